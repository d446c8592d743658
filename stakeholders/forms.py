"""The registry's workspace forms and list filters. Choices offer only the council's own records (contacts,
memoranda, groups); the services check again."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from councils.forms import DateInput
from councils.models import Council, Memorandum, Partner
from councils.plan import plan_record_kinds
from councils.workspace import ServiceDataForm

from .imports import COLUMNS, MAX_BYTES
from .models import CATEGORY_OF_KIND, Contact, ContactKind, GroupKind, MailingGroup, OrganisationCategory
from .selectors import contacts_for_workspace
from .services import ContactData, GroupData, LogEntryData, MailOutData, OrganisationData


class _Form(ServiceDataForm, forms.Form):
    """A plain form; WorkspaceActionView passes the council and, on a record's page, the record as `instance`."""

    def __init__(self, *args: Any, council: Council, instance: Any = None, **kwargs: Any) -> None:
        self.council = council
        self.instance = instance
        super().__init__(*args, **kwargs)


class OrganisationForm(_Form):
    data_class = OrganisationData

    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=500)
    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=500, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=500, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=OrganisationCategory.choices)
    sector = forms.CharField(
        label=_("Sector"), max_length=200, required=False, help_text=_("E.g. mining, water, housing.")
    )
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    website = forms.URLField(label=_("Website"), max_length=200, required=False, assume_scheme="https")
    description = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    shared = forms.BooleanField(
        label=_("Share with the councils of our networks"),
        required=False,
        help_text=_("Their staff may then read this organisation and its contact people; only we change them."),
    )

    def __init__(self, *args: Any, instance: Partner | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            profile = getattr(instance, "stakeholder_profile", None)
            kwargs["initial"] = {
                "name_ru": instance.name_ru,
                "name_kk": instance.name_kk or "",
                "name_en": instance.name_en or "",
                "website": instance.website,
                "category": profile.category if profile else CATEGORY_OF_KIND.get(instance.kind, "other"),
                "sector": profile.sector if profile else "",
                "region": profile.region if profile else "",
                "description": profile.description if profile else "",
                "shared": profile.shared if profile else False,
            }
        super().__init__(*args, instance=instance, **kwargs)


class ContactForm(_Form):
    data_class = ContactData

    full_name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=300, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Never published; cleared with the person's data after the retention period."),
    )
    is_active = forms.BooleanField(label=_("Works there now"), required=False, initial=True)

    def __init__(self, *args: Any, instance: Contact | Partner | None = None, **kwargs: Any) -> None:
        if isinstance(instance, Contact) and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(instance, name)
                for name in ("full_name", "position", "email", "phone", "notes", "is_active")
            }
        super().__init__(*args, instance=instance, **kwargs)


class LogEntryForm(_Form):
    data_class = LogEntryData

    kind = forms.ChoiceField(label=_("What"), choices=ContactKind.choices)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    contact = forms.ModelChoiceField(label=_("Contact person"), queryset=Contact.objects.none(), required=False)
    summary = forms.CharField(label=_("Summary"), max_length=500, required=False)
    memorandum = forms.ModelChoiceField(label=_("Memorandum"), queryset=Memorandum.objects.none(), required=False)
    record_kind = forms.ChoiceField(label=_("About a record of the council"), required=False)
    record_id = forms.IntegerField(
        label=_("Record number"),
        min_value=1,
        max_value=2_147_483_647,
        required=False,
        help_text=_("The number in the record's workspace address."),
    )

    def __init__(self, *args: Any, instance: Partner, **kwargs: Any) -> None:
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["contact"].queryset = Contact.objects.filter(  # type: ignore[attr-defined]
            partner=instance, anonymised_at__isnull=True
        )
        self.fields["memorandum"].queryset = Memorandum.objects.filter(  # type: ignore[attr-defined]
            council=self.council
        ).order_by("-signed_on")
        kinds = [(key, kind.label) for key, kind in plan_record_kinds().items()]
        self.fields["record_kind"].choices = [("", "—"), *kinds]  # type: ignore[attr-defined]

    def to_data(self) -> LogEntryData:
        data = self.cleaned_data
        return LogEntryData(
            kind=data["kind"],
            date=data["date"],
            contact=data.get("contact"),
            summary=data.get("summary", ""),
            memorandum=data.get("memorandum"),
            record_kind=data.get("record_kind") or "",
            record_id=data.get("record_id"),
        )


class _ContactChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Contact) -> str:
        return f"{obj.full_name} — {obj.partner.name}"


class GroupForm(_Form):
    data_class = GroupData

    name = forms.CharField(label=pgettext_lazy("title", "Name"), max_length=300)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=GroupKind.choices,
        help_text=_("The media group also reaches every contact of the organisations of the category «Media»."),
    )
    contacts = _ContactChoice(
        label=_("Contact people"),
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, instance: MailingGroup | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "kind": instance.kind,
                "contacts": list(instance.contacts.values_list("pk", flat=True)),
            }
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["contacts"].queryset = contacts_for_workspace(  # type: ignore[attr-defined]
            council=self.council
        ).filter(anonymised_at__isnull=True)

    def to_data(self) -> GroupData:
        data = self.cleaned_data
        return GroupData(name=data["name"], kind=data["kind"], contacts=list(data.get("contacts") or []))


class MailOutForm(_Form):
    data_class = MailOutData

    group = forms.ModelChoiceField(label=_("Group"), queryset=MailingGroup.objects.none())
    language = forms.ChoiceField(label=_("Language of the message's footer"), choices=settings.LANGUAGES)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        help_text=_("Plain text. Each person gets their own message with a link to unsubscribe."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = MailingGroup.objects.filter(  # type: ignore[attr-defined]
            council=self.council
        ).order_by("name")

    def clean_subject(self) -> str:
        subject: str = self.cleaned_data["subject"]
        if "\n" in subject or "\r" in subject:
            raise ValidationError(_("Give a subject of one line."))
        return subject


class ImportForm(_Form):
    file = forms.FileField(
        label=_("Organisations and contacts (CSV or XLSX)"),
        help_text=_(
            "The first row names the columns: organisation (required), name_kk, name_en, category, sector, region, "
            "website, contact_name, position, email, phone. One row per organisation or contact person; at most "
            "5,000 rows and 5 MB."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("Upload a CSV or XLSX file."))
        if upload.size > MAX_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload


IMPORT_COLUMNS = COLUMNS


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=pgettext_lazy("title", "Name"), field_name="name_ru", lookup_expr="icontains")
    category = django_filters.ChoiceFilter(
        label=_("Category"), field_name="stakeholder_profile__category", choices=OrganisationCategory.choices
    )
    region = django_filters.CharFilter(
        label=_("Region"), field_name="stakeholder_profile__region", lookup_expr="icontains"
    )
    sector = django_filters.CharFilter(
        label=_("Sector"), field_name="stakeholder_profile__sector", lookup_expr="icontains"
    )


class ContactFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=pgettext_lazy("person", "Name"), field_name="full_name", lookup_expr="icontains"
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"),
        field_name="partner__stakeholder_profile__category",
        choices=OrganisationCategory.choices,
    )
    is_active = django_filters.BooleanFilter(label=_("Works there now"))


class LogFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"), field_name="date", lookup_expr="year")
    kind = django_filters.ChoiceFilter(label=_("What"), choices=ContactKind.choices)
