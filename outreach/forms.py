"""The workspace's consultation and training forms and list filters. Choices offer only the council's own
records (library documents, partners); the services check again."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from councils.forms import DateInput, RecordsChoiceField
from councils.models import Council, Partner
from councils.workspace import ServiceDataForm
from library.models import Document

from .models import (
    MAX_PARTICIPANTS,
    Audience,
    Consultation,
    ConsultationChannel,
    ConsultationKind,
    ConsultationOutcome,
    ConsultationTopic,
    Training,
    TrainingKind,
)
from .services import ConsultationData, TrainingData


class _InstanceForm(ServiceDataForm, forms.Form):
    """A plain form on create and edit pages: WorkspaceActionView passes the object as `instance`."""

    initial_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, council: Council, instance: Any = None, **kwargs: Any) -> None:
        self.council = council
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = model_to_dict(instance, fields=list(self.initial_fields))
        super().__init__(*args, **kwargs)


class ConsultationForm(_InstanceForm):
    data_class = ConsultationData
    initial_fields = (
        "date",
        "kind",
        "channel",
        "topic",
        "outcome",
        "referred_to",
        "client_name",
        "client_contact",
        "notes",
    )

    date = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=ConsultationKind.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=ConsultationChannel.choices)
    topic = forms.ChoiceField(label=_("Topic"), choices=ConsultationTopic.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ConsultationOutcome.choices)
    referred_to = forms.CharField(
        label=_("Referred to"),
        max_length=300,
        required=False,
        help_text=_("The body or organisation the person was sent to."),
    )
    client_name = forms.CharField(
        label=_("Name of the person"),
        max_length=200,
        required=False,
        help_text=_("Optional. Never published; cleared after the retention period."),
    )
    client_contact = forms.CharField(
        label=_("Contact"),
        max_length=200,
        required=False,
        help_text=_("Phone or e-mail, optional. Never published; cleared after the retention period."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The matter and the advice given. Never published."),
    )

    def __init__(self, *args: Any, instance: Consultation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, instance=instance, **kwargs)
        if instance is not None and instance.anonymised_at is not None:
            # Cleared by the retention rule: nothing personal is taken again.
            for name in ("client_name", "client_contact", "notes"):
                del self.fields[name]


class _DocumentChoice(RecordsChoiceField):
    def label_from_instance(self, obj: Document) -> str:
        return f"{obj.published_on:%d.%m.%Y} — {obj.title[:120]}"


class TrainingForm(_InstanceForm):
    data_class = TrainingData
    initial_fields = ("kind", "title", "date", "end_date", "place", "audience", "participants", "description")

    kind = forms.ChoiceField(label=_("Kind"), choices=TrainingKind.choices, initial=TrainingKind.SEMINAR)
    title = forms.CharField(label=_("Title"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    date = forms.DateField(label=_("Date"), widget=DateInput())
    end_date = forms.DateField(
        label=_("End date"), required=False, widget=DateInput(), help_text=_("For a campaign or a course of days.")
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    participants = forms.IntegerField(label=_("Participants"), min_value=0, max_value=MAX_PARTICIPANTS, initial=0)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    materials = _DocumentChoice(
        label=_("Materials"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Documents of the council's library used or handed out."),
    )
    partners = RecordsChoiceField(
        label=_("Partners"), queryset=Partner.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, council: Council, instance: Training | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            initial = model_to_dict(instance, fields=list(self.initial_fields))
            initial["materials"] = list(instance.materials.values_list("pk", flat=True))
            initial["partners"] = list(instance.partners.values_list("pk", flat=True))
            kwargs["initial"] = initial
        super().__init__(*args, council=council, instance=instance, **kwargs)
        self.fields["materials"].queryset = Document.objects.filter(council=council).order_by("-published_on", "-id")
        self.fields["partners"].queryset = Partner.objects.filter(council=council).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("It cannot end before it starts."))
        return data

    def to_data(self) -> TrainingData:
        data = self.cleaned_data
        return TrainingData(
            kind=data["kind"],
            title=data["title"],
            date=data["date"],
            end_date=data.get("end_date"),
            place=data.get("place", ""),
            audience=data["audience"],
            participants=data["participants"],
            description=data.get("description", ""),
            materials=list(data.get("materials") or []),
            partners=list(data.get("partners") or []),
        )


class ConsultationFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"), field_name="date", lookup_expr="year")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ConsultationKind.choices)
    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=ConsultationTopic.choices)
    outcome = django_filters.ChoiceFilter(label=_("Outcome"), choices=ConsultationOutcome.choices)
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=ConsultationChannel.choices)


class TrainingFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"), field_name="date", lookup_expr="year")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=TrainingKind.choices)
    audience = django_filters.ChoiceFilter(label=_("Audience"), choices=Audience.choices)
