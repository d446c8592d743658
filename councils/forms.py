"""Workspace forms for a council's members, bodies, work plan and memoranda.

Every form takes the `council` and offers only that council's records in its choices; the services check again.
Forms validate what was typed; the services decide what the council's rules allow.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.core.validators import URLValidator
from django.db.models import Exists, OuterRef
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import member_services
from .member_services import CommitmentData, MemorandumData, WorkPlanItemData
from .models import (
    Affiliation,
    Body,
    BodyKind,
    BodyMembership,
    BodyRole,
    ConsultativeLevel,
    ConsultativeSeat,
    Convocation,
    Council,
    MemberRole,
    Membership,
    Memorandum,
    MemorandumCommitment,
    Partner,
    PartnerKind,
    Person,
    StateBody,
    WorkPlanItem,
)
from .plan import plan_record_kinds, record_choices
from .selectors import held_in_year
from .workspace import ServiceDataForm, input_names


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RecordsChoiceField(forms.ModelMultipleChoiceField):
    """Ticked records by id. A value that is not an id a database can hold ("99999999999999999999") is refused
    as any unknown choice is, before the query: Django's field sends it on, and SQLite raises OverflowError (a
    500) where PostgreSQL compares it as a number."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            text = str(pk)
            if not (text.isascii() and text.isdigit() and 0 < int(text) < 2**63):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": text[:40]}
                )
        return super()._check_values(value)


def council_convocations(council: Council):
    return Convocation.objects.filter(council=council).order_by("-number")


class RecordForm(forms.Form):
    """A plain form on a record's page (`WorkspaceActionView`): it gets the council and the record, and writes
    nothing into the record; the service does."""

    def __init__(self, *args: Any, council: Council, instance: Any = None, **kwargs: Any) -> None:
        self.council = council
        self.instance = instance
        super().__init__(*args, **kwargs)


class MemberAddForm(ServiceDataForm, forms.Form):
    data_class = member_services.MemberAddInput

    convocation = forms.ModelChoiceField(label=_("Convocation"), queryset=Convocation.objects.none())
    person = forms.ModelChoiceField(
        label=_("Person on file"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Choose someone the council already works with, or fill in the new person's details below."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=255, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=255, required=False)
    position = forms.CharField(label=_("Position"), max_length=255, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    affiliation = forms.ChoiceField(label=_("Affiliation"), choices=Affiliation.choices)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        convocations = council_convocations(council)
        self.fields["convocation"].queryset = convocations
        self.fields["convocation"].initial = convocations.first()
        self.fields["person"].queryset = Person.objects.filter(council=council).order_by("full_name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("person") and not (data.get("full_name") or "").strip():
            self.add_error("full_name", _("Choose a person on file or enter the new member's name."))
        if data.get("person") and (data.get("full_name") or "").strip():
            self.add_error("full_name", _("Either choose a person on file or enter a new one, not both."))
        return data

    def to_data(self) -> member_services.MemberAddInput:
        data = self.cleaned_data
        person_data = member_services.PersonData(**{f: data[f] for f in input_names(member_services.PersonData)})
        return member_services.MemberAddInput(
            convocation=data["convocation"],
            affiliation=data["affiliation"],
            role=data["role"],
            start_date=data["start_date"],
            person=data["person"],
            person_data=person_data,
        )


# The membership's own fields, as a ModelForm would offer them (labels, choices, lengths).
_MEMBERSHIP_FIELDS = forms.fields_for_model(
    Membership, fields=["role", "affiliation", "end_reason", "end_decision", "end_decision_file"]
)


class MembershipEndForm(ServiceDataForm, RecordForm):
    """A member leaves on a date, for a reason, by a decision: the report's composition part says who left and why."""

    data_class = member_services.MembershipEndInput
    data_names = {"end_reason": "reason", "end_decision": "decision", "end_decision_file": "decision_file"}

    end_date = forms.DateField(label=_("End date"), widget=DateInput())
    end_reason = _MEMBERSHIP_FIELDS["end_reason"]
    end_decision = _MEMBERSHIP_FIELDS["end_decision"]
    end_decision_file = _MEMBERSHIP_FIELDS["end_decision_file"]

    def __init__(self, *args: Any, instance: Membership, **kwargs: Any) -> None:
        kwargs.setdefault("initial", model_to_dict(instance, fields=list(self.data_names)))
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["end_date"].initial = timezone.localdate()
        self.fields["end_reason"].required = True

    def to_data(self) -> member_services.MembershipEndInput:
        data: member_services.MembershipEndInput = super().to_data()
        return {**data, "decision_file": data["decision_file"] or None}


class MembershipRoleForm(ServiceDataForm, RecordForm):
    data_class = member_services.MembershipRoleInput

    role = _MEMBERSHIP_FIELDS["role"]
    affiliation = _MEMBERSHIP_FIELDS["affiliation"]

    def __init__(self, *args: Any, instance: Membership, **kwargs: Any) -> None:
        kwargs.setdefault("initial", model_to_dict(instance, fields=["role", "affiliation"]))
        super().__init__(*args, instance=instance, **kwargs)


class CompositionDateForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput(), required=False)


class OfficialNameForm(forms.Form):
    """The three columns of an official name (councils/translation.py), each a field of its own.

    A form that knew only `name` would write the active language's column (django-modeltranslation), so a
    secretary working in /kk/ would overwrite the Kazakh name with whatever was typed, and could never enter
    the Russian one; the services take the three columns by name instead."""

    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=255)
    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=255, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=255, required=False)


class BodyCreateForm(ServiceDataForm, OfficialNameForm):
    data_class = member_services.BodyCreateInput
    field_order = ["convocation", "kind", "number", "name_ru", "name_kk", "name_en", "description"]
    convocation = forms.ModelChoiceField(label=_("Convocation"), queryset=Convocation.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=BodyKind.choices, initial=BodyKind.COMMISSION)
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=999, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        convocations = council_convocations(council)
        self.fields["convocation"].queryset = convocations
        self.fields["convocation"].initial = convocations.first()


class BodyEditForm(ServiceDataForm, OfficialNameForm):
    """The official names and the description of a body; its kind, number and convocation stay as created
    (its key and the seats' history hang on them)."""

    data_class = member_services.BodyNamesInput

    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, council: Council, instance: Body, **kwargs: Any) -> None:
        # Each field shows its own column, never the active language's fallback to Russian.
        kwargs["initial"] = {
            "name_ru": instance.name_ru,
            "name_kk": instance.name_kk or "",
            "name_en": instance.name_en or "",
            "description": instance.description_ru or "",
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)


class BodySeatAddForm(ServiceDataForm, RecordForm):
    """Adds a seat to the body given as `instance`: the choices are the council's people without an open seat
    there (someone who left may rejoin)."""

    data_class = member_services.BodySeatAddInput

    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=BodyRole.choices, initial=BodyRole.MEMBER)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, council: Council, instance: Body, **kwargs: Any) -> None:
        super().__init__(*args, council=council, instance=instance, **kwargs)
        people = Person.objects.filter(council=council)
        if instance.kind != BodyKind.WORKING_GROUP:
            people = people.filter(
                Exists(Membership.objects.filter(person=OuterRef("pk"), convocation=instance.convocation_id))
            )
        self.fields["person"].queryset = people.exclude(
            Exists(BodyMembership.objects.filter(person=OuterRef("pk"), body=instance, end_date__isnull=True))
        ).order_by("full_name")


class SeatEndForm(ServiceDataForm, RecordForm):
    data_class = member_services.BodySeatEndInput

    end_date = forms.DateField(label=_("End date"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["end_date"].initial = timezone.localdate()


class WorkPlanItemForm(ServiceDataForm, forms.ModelForm):
    """Planned, in progress and done are set by hand only for an item with no record linked: once records are
    linked (on the item's page) they decide. Postponed and cancelled take a reason."""

    data_class = WorkPlanItemData

    class Meta:
        model = WorkPlanItem
        fields = [
            "year",
            "number",
            "activity",
            "period",
            "due_date",
            "expected_result",
            "responsible",
            "status",
            "status_reason",
        ]
        widgets = {
            "activity": forms.Textarea(attrs={"rows": 3}),
            "expected_result": forms.Textarea(attrs={"rows": 3}),
            "status_reason": forms.Textarea(attrs={"rows": 2}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["year"].initial = timezone.localdate().year
        self.fields["year"].validators.append(_year_in_range)


def _year_in_range(value: int) -> None:
    if not 2000 <= value <= dt.date.today().year + 5:
        raise forms.ValidationError(_("Enter a year between 2000 and five years from now."))


class MemorandumForm(ServiceDataForm, forms.ModelForm):
    """The term and termination rules are the service's (member_services._check_memorandum), said once there:
    ServiceDataForm leaves the model's CheckConstraints to it."""

    data_class = MemorandumData
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none(), required=False)
    other_parties = RecordsChoiceField(
        label=_("Other parties"),
        queryset=Partner.objects.none(),
        required=False,
        help_text=_("When more than two sign: every other partner that signed the memorandum."),
    )
    document = forms.FileField(label=_("Signed memorandum (file)"), required=False)
    new_partner_name = forms.CharField(
        label=_("New partner's name (Russian)"),
        max_length=500,
        required=False,
        help_text=_("If the partner is not in the list: its name, and it is added to the council's partners."),
    )
    new_partner_name_kk = forms.CharField(label=_("New partner's name (Kazakh)"), max_length=500, required=False)
    new_partner_name_en = forms.CharField(label=_("New partner's name (English)"), max_length=500, required=False)
    new_partner_kind = forms.ChoiceField(
        label=_("Kind of the new partner"), choices=PartnerKind.choices, initial=PartnerKind.OTHER, required=False
    )

    class Meta:
        model = Memorandum
        fields = ["title", "signed_on", "valid_until", "terminated_on", "termination_reason", "description"]
        widgets = {
            "signed_on": DateInput(),
            "valid_until": DateInput(),
            "terminated_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partners = Partner.objects.filter(council=council).order_by("name")
        self.fields["partner"].queryset = partners
        self.fields["other_parties"].queryset = partners
        if self.instance.pk:
            self.fields["partner"].initial = self.instance.partner_id
            self.fields["other_parties"].initial = list(self.instance.other_parties.values_list("pk", flat=True))
        self.order_fields(
            [
                "title",
                "partner",
                "new_partner_name",
                "new_partner_name_kk",
                "new_partner_name_en",
                "new_partner_kind",
                "other_parties",
                "signed_on",
                "valid_until",
                "terminated_on",
                "termination_reason",
                "document",
                "description",
            ]
        )

    def to_data(self) -> MemorandumData:
        data = self.cleaned_data
        return MemorandumData(
            title=data["title"],
            signed_on=data["signed_on"],
            description=data["description"],
            partner=data["partner"],
            new_partner_name=data["new_partner_name"],
            new_partner_name_kk=data["new_partner_name_kk"],
            new_partner_name_en=data["new_partner_name_en"],
            new_partner_kind=data["new_partner_kind"] or "other",
            other_parties=tuple(data["other_parties"]),
            valid_until=data["valid_until"],
            terminated_on=data["terminated_on"],
            termination_reason=data["termination_reason"],
            document=data["document"] or None,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("new_partner_name") or "").strip() and any(
            (data.get(f) or "").strip() for f in ("new_partner_name_kk", "new_partner_name_en")
        ):
            # Russian is the name every record has, the one other languages fall back to.
            self.add_error("new_partner_name", _("Enter the new partner's name in Russian."))
        if data.get("partner") and (data.get("new_partner_name") or "").strip():
            self.add_error("new_partner_name", _("Either choose a partner or name a new one, not both."))
        return data


# ---- list filters ------------------------------------------------------------------------------------------


def request_council_slug(request: Any) -> str:
    """The council of the page being filtered: the URL's slug, already checked by the tenant gate."""
    return request.resolver_match.kwargs["slug"] if request is not None and request.resolver_match else ""


def _convocations_of_request(request: Any):
    return Convocation.objects.filter(council__slug=request_council_slug(request)).order_by("-number")


class MembershipFilter(django_filters.FilterSet):
    convocation = django_filters.ModelChoiceFilter(
        label=_("Convocation"), queryset=_convocations_of_request, field_name="convocation"
    )
    affiliation = django_filters.ChoiceFilter(label=_("Affiliation"), choices=Affiliation.choices)
    role = django_filters.ChoiceFilter(label=_("Role"), choices=MemberRole.choices)
    state = django_filters.ChoiceFilter(
        label=_("Membership"),
        choices=[("current", _("Current")), ("ended", _("Ended"))],
        method="filter_state",
    )
    name = django_filters.CharFilter(
        label=pgettext_lazy("person", "Name"), field_name="person__full_name", lookup_expr="icontains"
    )

    def filter_state(self, queryset, name: str, value: str):
        return queryset.filter(end_date__isnull=value == "current")


class BodyFilter(django_filters.FilterSet):
    convocation = django_filters.ModelChoiceFilter(
        label=_("Convocation"), queryset=_convocations_of_request, field_name="convocation"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=BodyKind.choices)


class WorkPlanFilter(django_filters.FilterSet):
    # No status filter: an item's status follows from its linked records as of a day (councils/plan.py).
    year = django_filters.NumberFilter(label=_("Year"), field_name="year")


class WorkPlanLinkForm(forms.Form):
    """One list of the council's records of the item's year, grouped by kind: the record that fulfils the item."""

    record = forms.ChoiceField(label=_("Record"))

    def __init__(self, *args: Any, council: Council, instance: WorkPlanItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        item = instance
        groups: list[tuple[str, list[tuple[str, str]]]] = []
        for key, kind in plan_record_kinds().items():
            choices = record_choices(council=item.council, kind_key=key, year=item.year)
            if choices:
                groups.append((str(kind.label), [(f"{key}:{pk}", label) for pk, label in choices]))
        self.fields["record"].choices = [("", "—"), *groups]
        self.fields["record"].help_text = _("The council's records of %(year)s.") % {"year": item.year}

    def clean_record(self) -> tuple[str, int]:
        kind, _sep, pk = self.cleaned_data["record"].partition(":")
        return kind, int(pk)


class CommitmentForm(ServiceDataForm, forms.ModelForm):
    data_class = CommitmentData

    class Meta:
        model = MemorandumCommitment
        fields = ["text", "owner", "due_date", "done_on", "result"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "result": forms.Textarea(attrs={"rows": 3}),
            "due_date": DateInput(),
            "done_on": DateInput(),
        }

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class MemorandumFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"), field_name="signed_on", lookup_expr="year")
    title = django_filters.CharFilter(label=_("Title"), field_name="title", lookup_expr="icontains")


# ---- seats in consultative and advisory bodies ---------------------------------------------------------------


class ConsultativeSeatForm(ServiceDataForm, forms.ModelForm):
    """The people offered are the council's members and experts, of any of its convocations."""

    data_class = member_services.ConsultativeSeatData

    link = forms.URLField(
        label=_("Link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("The order or the page that names the body's members, if public."),
    )

    class Meta:
        model = ConsultativeSeat
        fields = ["person", "body_name", "state_body", "level", "start_date", "end_date", "note", "link"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            Person.objects.filter(council=council)
            .filter(Exists(Membership.objects.filter(person=OuterRef("pk"), convocation__council=council)))
            .order_by("full_name")
        )
        self.fields["state_body"].queryset = StateBody.objects.order_by("name")


class ConsultativeSeatFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Held in the year"), method="filter_year")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=ConsultativeLevel.choices)
    name = django_filters.CharFilter(
        label=pgettext_lazy("person", "Name"), field_name="person__full_name", lookup_expr="icontains"
    )

    def filter_year(self, queryset, name: str, value: int):
        if not dt.MINYEAR < value < dt.MAXYEAR:
            return queryset.none()
        return queryset.filter(held_in_year(int(value)))
