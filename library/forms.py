"""The workspace's library form and list filter."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from councils.forms import DateInput
from councils.models import Council
from councils.workspace import ServiceDataForm

from .models import Document, DocumentKind, DocumentLanguage, Topic
from .services import DocumentData


class DocumentForm(ServiceDataForm, forms.Form):
    data_class = DocumentData

    title = forms.CharField(label=_("Title"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    language = forms.ChoiceField(label=_("Language"), choices=DocumentLanguage.choices)
    published_on = forms.DateField(label=_("Date"), widget=DateInput())
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        required=False,
        help_text=_("Who wrote or issued it: a ministry, a company, the council."),
    )
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    url = forms.URLField(
        label=_("Link"), max_length=1000, required=False, assume_scheme="https", help_text=_("Where it is published.")
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("A PDF, JPEG, PNG or DOCX file of up to 10 MB; its content is checked, not its name."),
    )
    remove_file = forms.BooleanField(label=_("Remove the file"), required=False)
    is_published = forms.BooleanField(
        label=_("Published"),
        required=False,
        initial=True,
        help_text=_("Unticked, the document is a draft that only the council's staff see."),
    )

    def __init__(self, *args: Any, council: Council, instance: Document | None = None, **kwargs: Any) -> None:
        self.council = council
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = model_to_dict(
                instance,
                fields=[
                    "title",
                    "kind",
                    "topic",
                    "language",
                    "published_on",
                    "source",
                    "summary",
                    "url",
                    "is_published",
                ],
            )
        super().__init__(*args, **kwargs)
        if instance is None or not instance.file:
            del self.fields["remove_file"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        has_file = bool(data.get("file")) or bool(self.instance and self.instance.file and not data.get("remove_file"))
        if not data.get("url") and not has_file and not self.errors:
            self.add_error("url", _("Give a link, or upload the file."))
        return data


class DocumentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Words"), method="filter_words")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DocumentKind.choices)
    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=Topic.choices)
    language = django_filters.ChoiceFilter(label=_("Language"), choices=DocumentLanguage.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="published_on", lookup_expr="year")

    def filter_words(self, queryset: Any, name: str, value: str) -> Any:
        from .selectors import search_documents

        return search_documents(queryset, value)


class PublicFilterForm(forms.Form):
    """The public list's filters (GET): an unknown value is ignored, never an error page."""

    q = forms.CharField(label=_("Words"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *DocumentKind.choices], required=False)
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", _("All topics")), *Topic.choices], required=False)
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("All languages")), *DocumentLanguage.choices], required=False
    )
