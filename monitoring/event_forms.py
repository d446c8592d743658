"""Workspace forms and list filters for monitoring events (with participant and link formsets) and draft-act
reviews. Choices offer only the council's own records; the services check again."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from councils.forms import DateInput, request_council_slug
from councils.models import Body, BodyKind, Council, Person, StateBody
from councils.workspace import ServiceDataForm, input_names

from .event_services import DraftReviewData, LinkData, MonitoringEventData, ParticipantData, discussion_min_days
from .models import DraftActReview, DraftConclusion, LinkKind, MonitoringEvent, ParticipantKind


class MonitoringEventForm(ServiceDataForm, forms.ModelForm):
    """The service's input names the columns the page edits: a column added to `MonitoringEventData` (and the
    model) appears here with the model's own label and widget, and `to_data()` hands it through."""

    data_class = MonitoringEventData

    class Meta:
        model = MonitoringEvent
        fields = input_names(MonitoringEventData)
        widgets = {
            "date": DateInput(),
            "topic": forms.Textarea(attrs={"rows": 2}),
            "findings": forms.Textarea(attrs={"rows": 4}),
            "recommendations_summary": forms.Textarea(attrs={"rows": 3}),
            "publicity_note": forms.Textarea(attrs={"rows": 2}),
            "results": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commission"].queryset = (
            Body.objects.filter(council=council, kind__in=[BodyKind.COMMISSION, BodyKind.WORKING_GROUP])
            .select_related("convocation")
            .order_by("-convocation__number", "kind", "number", "name")
        )
        self.fields["commission"].label = _("Commission")
        self.fields["date_precision"].help_text = _("For a month-only date, any day of the month will do.")


def council_people(council: Council):
    return Person.objects.filter(council=council).order_by("full_name")


class ParticipantForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Member or expert of the council"), queryset=Person.objects.none(), required=False
    )
    name = forms.CharField(
        label=_("Or the name of an outside participant"),
        max_length=500,
        required=False,
        help_text=_("With their organisation, e.g. «Ivanov I., akimat of Almaly district»."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ParticipantKind.choices, initial=ParticipantKind.MEMBER)

    def __init__(
        self, *args: Any, council: Council, person_choices: list[tuple[Any, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = council_people(council)
        if person_choices is not None:
            # Read once for the whole formset, not once per row.
            self.fields["person"].widget.choices = person_choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        person, name = data.get("person"), (data.get("name") or "").strip()
        if person is None and not name:
            raise forms.ValidationError(_("Choose a person on file or enter a name."))
        if person is not None and name:
            raise forms.ValidationError(_("Either choose a person on file or enter a name, not both."))
        if person is None and data.get("kind") in (ParticipantKind.MEMBER, ParticipantKind.EXPERT):
            self.add_error("kind", _("A member or expert of the council is chosen from the list."))
        return data


class PublicityLinkForm(forms.Form):
    url = forms.URLField(
        label=_("Address"),
        max_length=1000,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
    )
    kind = forms.ChoiceField(label=_("Where"), choices=LinkKind.choices, initial=LinkKind.SITE)


ParticipantFormSet = forms.formset_factory(ParticipantForm, extra=2, can_delete=True, max_num=200, validate_max=True)
PublicityLinkFormSet = forms.formset_factory(
    PublicityLinkForm, extra=2, can_delete=True, max_num=100, validate_max=True
)


def participant_formset(data: Any | None, *, council: Council, initial: list[dict[str, Any]] | None = None):
    empty = ParticipantForm.base_fields["person"].empty_label or ""
    choices = [("", empty)] + [(p.pk, p.full_name) for p in council_people(council).only("id", "full_name")]
    return ParticipantFormSet(
        data, prefix="participants", initial=initial, form_kwargs={"council": council, "person_choices": choices}
    )


def _kept(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    """The rows to keep, in order: untouched empty rows have no cleaned data; rows ticked for deletion go."""
    return [form.cleaned_data for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]


def participants_from_formset(formset: forms.BaseFormSet) -> list[ParticipantData]:
    return [ParticipantData(kind=row["kind"], person=row["person"], name=row["name"]) for row in _kept(formset)]


def links_from_formset(formset: forms.BaseFormSet) -> list[LinkData]:
    return [LinkData(url=row["url"], kind=row["kind"]) for row in _kept(formset)]


def participants_initial(event: MonitoringEvent) -> list[dict[str, Any]]:
    return [
        {"person": p.person_id, "name": p.name, "kind": p.kind} for p in event.participants.order_by("position", "id")
    ]


def links_initial(event: MonitoringEvent) -> list[dict[str, Any]]:
    return [{"url": link.url, "kind": link.kind} for link in event.publicity_links.order_by("position", "id")]


class DraftReviewForm(ServiceDataForm, forms.ModelForm):
    """Its fields are the service's input (`DraftReviewData`); the period's rules (the end after the start, the
    legal minimum) are the service's, said on the end date's field."""

    data_class = DraftReviewData

    class Meta:
        model = DraftActReview
        fields = input_names(DraftReviewData)
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "discussion_start": DateInput(),
            "discussion_end": DateInput(),
            "remarks": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["developer"].queryset = StateBody.objects.order_by("name")
        self.fields["developer"].label = _("Developer (state body)")
        self.fields["discussion_end"].help_text = _(
            "The public discussion lasts at least %(min)s calendar days, both ends included."
        ) % {"min": discussion_min_days()}


# ---- list filters ------------------------------------------------------------------------------------------


def _commissions_of_request(request: Any):
    return Body.objects.filter(
        council__slug=request_council_slug(request), kind__in=[BodyKind.COMMISSION, BodyKind.WORKING_GROUP]
    ).order_by("kind", "number", "name")


class MonitoringEventFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"), field_name="date", lookup_expr="year")
    month = django_filters.NumberFilter(label=_("Month"), field_name="date", lookup_expr="month")
    commission = django_filters.ModelChoiceFilter(label=_("Commission"), queryset=_commissions_of_request)
    topic = django_filters.CharFilter(label=_("Topic"), field_name="topic", lookup_expr="icontains")


class DraftReviewFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"), field_name="discussion_start", lookup_expr="year")
    conclusion = django_filters.ChoiceFilter(
        label=_("Conclusion"),
        choices=[*DraftConclusion.choices, ("none", _("No conclusion yet"))],
        method="filter_conclusion",
    )
    developer = django_filters.ModelChoiceFilter(label=_("Developer"), queryset=StateBody.objects.order_by("name"))

    def filter_conclusion(self, queryset, name: str, value: str):
        return queryset.filter(conclusion="" if value == "none" else value)
