"""The workspace forms of the expert registry; each hands a typed input to councils/expert_services.py."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .expert_selectors import expertise_areas, search_experts
from .expert_services import (
    ENGAGEMENT_KINDS,
    ExpertCandidateData,
    ExpertDecisionData,
    ExpertProfileData,
)
from .forms import DateInput
from .models import EXPERT_STEPS, Council, ExpertAppointment, ExpertStatus, Person
from .plan import plan_record_kinds, record_choices
from .workspace import ServiceDataForm

PROFILE_FIELDS = (
    "areas",
    "field",
    "speaks_ru",
    "speaks_kk",
    "speaks_en",
    "other_languages",
    "region",
    "cv",
    "cv_public",
)


class ExpertProfileForm(ServiceDataForm, forms.Form):
    """What the registry says about an expert: areas from the portal's vocabulary and in the expert's own words,
    languages, region and the CV (PDF, DOCX, JPEG or PNG, checked by its content)."""

    data_class = ExpertProfileData

    areas = forms.ModelMultipleChoiceField(
        label=_("Areas of expertise"), queryset=expertise_areas(), required=False, widget=forms.CheckboxSelectMultiple
    )
    field = forms.CharField(
        label=_("Field of expertise"), max_length=255, required=False, help_text=_("In the expert's own words.")
    )
    speaks_ru = forms.BooleanField(label=_("Russian"), required=False)
    speaks_kk = forms.BooleanField(label=_("Kazakh"), required=False)
    speaks_en = forms.BooleanField(label=_("English"), required=False)
    other_languages = forms.CharField(label=_("Other languages"), max_length=200, required=False)
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    cv = forms.FileField(
        label=_("CV"), required=False, help_text=_("PDF, DOCX, JPEG or PNG; the content is checked, not the name.")
    )
    cv_public = forms.BooleanField(
        label=_("The expert agrees to publish the CV"),
        required=False,
        help_text=_("Unticked, the CV is for the council's staff only."),
    )

    def __init__(self, *args: Any, council: Council, instance: ExpertAppointment | None = None, **kwargs: Any) -> None:
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "areas": list(instance.areas.all()),
                **{name: getattr(instance, name) for name in PROFILE_FIELDS if name not in ("areas", "cv")},
            }
        super().__init__(*args, **kwargs)
        self.council = council


class ExpertCandidateForm(ExpertProfileForm):
    """A candidate: a person on file or a new name, the day the candidacy is recorded, and consent if given."""

    person = forms.ModelChoiceField(label=_("Person on file"), queryset=Person.objects.none(), required=False)
    full_name = forms.CharField(label=_("Or a new person: full name"), max_length=255, required=False)
    recorded_on = forms.DateField(label=_("Candidacy recorded on"), widget=DateInput())
    consent_given_on = forms.DateField(
        label=_("Consent to publication given on"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Leave empty until the expert agrees in writing: without consent nothing about the expert is published."
        ),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    field_order = ["person", "full_name", "recorded_on", "consent_given_on", "note", *PROFILE_FIELDS]

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        kwargs["initial"] = {"recorded_on": timezone.localdate(), **(kwargs.get("initial") or {})}
        super().__init__(*args, council=council, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(council=council).order_by("full_name")  # type: ignore[attr-defined]

    def to_data(self) -> ExpertCandidateData:
        data = self.cleaned_data
        values = {name: data[name] for name in PROFILE_FIELDS}
        values.update(areas=list(data["areas"]), cv=data["cv"] or None)
        return ExpertCandidateData(
            recorded_on=data["recorded_on"],
            profile=ExpertProfileData(**values),
            person=data["person"],
            full_name=data["full_name"],
            consent_given_on=data["consent_given_on"],
            note=data["note"],
        )


class ExpertProfileEditForm(ExpertProfileForm):
    def to_data(self) -> ExpertProfileData:
        data = self.cleaned_data
        values = {name: data[name] for name in PROFILE_FIELDS}
        values.update(areas=list(data["areas"]), cv=data["cv"] or None)
        return ExpertProfileData(**values)


class ExpertDecisionForm(ServiceDataForm, forms.Form):
    """The next step, offered only where the registry allows it from the expert's status."""

    data_class = ExpertDecisionData

    status = forms.ChoiceField(label=_("Next status"))
    date = forms.DateField(label=_("Date of the decision"), widget=DateInput())
    text = forms.CharField(
        label=_("Decision"),
        max_length=500,
        required=False,
        help_text=_("E.g. «Протокол заседания Совета от 16.05.2019 № 3» or the interview's outcome."),
    )
    document = forms.FileField(label=_("Document"), required=False)

    def __init__(self, *args: Any, council: Council, instance: ExpertAppointment, **kwargs: Any) -> None:
        kwargs["initial"] = {"date": timezone.localdate(), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (status, ExpertStatus(status).label) for status in EXPERT_STEPS[instance.status]
        ]

    def clean_document(self) -> Any:
        return self.cleaned_data.get("document") or None


class ExpertConsentForm(forms.Form):
    """Record consent (given on) or its withdrawal (withdrawn on): whichever the expert's consent allows next."""

    day = forms.DateField(label=_("Date"), widget=DateInput())

    def __init__(self, *args: Any, council: Council, instance: ExpertAppointment, **kwargs: Any) -> None:
        kwargs["initial"] = {"day": timezone.localdate(), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.withdrawing = instance.consents
        self.fields["day"].label = _("Consent withdrawn on") if self.withdrawing else _("Consent given on")


class ExpertEngagementForm(forms.Form):
    """The council's monitoring events, draft reviews and hearings of this year and last, grouped by kind."""

    record = forms.ChoiceField(label=_("Record"))
    role = forms.CharField(
        label=_("Role"), max_length=255, required=False, help_text=_("E.g. «экологическая экспертиза».")
    )

    def __init__(self, *args: Any, council: Council, instance: ExpertAppointment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = plan_record_kinds()
        this_year = timezone.localdate().year
        groups: list[tuple[str, list[tuple[str, str]]]] = []
        for key in ENGAGEMENT_KINDS:
            if key not in kinds:
                continue
            choices = [
                (f"{key}:{pk}", label)
                for year in (this_year, this_year - 1)
                for pk, label in record_choices(council=council, kind_key=key, year=year)
            ]
            if choices:
                groups.append((str(kinds[key].label), choices))
        self.fields["record"].choices = [("", "—"), *groups]  # type: ignore[attr-defined]

    def clean_record(self) -> tuple[str, int]:
        kind, _sep, pk = self.cleaned_data["record"].partition(":")
        return kind, int(pk)


class ExpertRegistryFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ExpertStatus.choices)
    q = django_filters.CharFilter(label=_("Area or words"), method="filter_q")

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        return search_experts(queryset, value)
