"""The workspace's news forms: the item in three languages, its publication, withdrawal, images, the records it
is about and the publications in the media."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.forms import DateInput
from councils.models import Council
from councils.workspace import ServiceDataForm

from .models import MediaKind, NewsItem, NewsKind
from .selectors import record_choices
from .services import ImageData, MediaPublicationData, NewsData, news_languages

TEXT_FIELDS = ["kind", "title_ru", "body_ru", "title_kk", "body_kk", "title_en", "body_en"]


class _RecordForm(forms.Form):
    def __init__(self, *args: Any, council: Council, instance: Any = None, **kwargs: Any) -> None:
        self.council = council
        self.instance = instance
        super().__init__(*args, **kwargs)


class NewsForm(ServiceDataForm, _RecordForm):
    data_class = NewsData

    kind = forms.ChoiceField(label=_("Kind"), choices=NewsKind.choices)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=300)
    body_ru = forms.CharField(label=_("Text (Russian)"), widget=forms.Textarea(attrs={"rows": 10}))
    title_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=300, required=False)
    body_kk = forms.CharField(label=_("Text (Kazakh)"), required=False, widget=forms.Textarea(attrs={"rows": 10}))
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    body_en = forms.CharField(label=_("Text (English)"), required=False, widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args: Any, council: Council, instance: NewsItem | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = model_to_dict(instance, fields=TEXT_FIELDS)
        super().__init__(*args, council=council, instance=instance, **kwargs)


class PublishInput(TypedDict):
    publish_at: dt.datetime


class PublishForm(ServiceDataForm, _RecordForm):
    data_class = PublishInput

    publish_at = forms.DateTimeField(
        label=_("Publication"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Now or earlier publishes at once; a later moment schedules the publication."),
    )

    def __init__(self, *args: Any, council: Council, instance: NewsItem | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        moment = instance.publish_at if instance is not None and instance.publish_at else timezone.now()
        kwargs["initial"].setdefault("publish_at", timezone.localtime(moment).replace(second=0, microsecond=0))
        super().__init__(*args, council=council, instance=instance, **kwargs)


class WithdrawInput(TypedDict):
    reason: str


class WithdrawForm(ServiceDataForm, _RecordForm):
    data_class = WithdrawInput

    reason = forms.CharField(
        label=_("Reason for the withdrawal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the item's public page, which stays at its address."),
    )


class ImageForm(ServiceDataForm, _RecordForm):
    data_class = ImageData

    image = forms.FileField(
        label=_("Image"),
        help_text=_("A JPEG or PNG of up to 10 MB; its content is checked, and it is resized to 1600 pixels at most."),
    )
    alt_ru = forms.CharField(
        label=_("Description (Russian)"),
        max_length=300,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    alt_kk = forms.CharField(label=_("Description (Kazakh)"), max_length=300, required=False)
    alt_en = forms.CharField(label=_("Description (English)"), max_length=300, required=False)

    def to_data(self) -> ImageData:
        upload: UploadedFile[bytes] = self.cleaned_data["image"]
        return ImageData(
            image=upload,
            alt_ru=self.cleaned_data["alt_ru"],
            alt_kk=self.cleaned_data["alt_kk"],
            alt_en=self.cleaned_data["alt_en"],
        )


class LinkInput(TypedDict):
    kind: str
    object_id: int


class LinkForm(ServiceDataForm, _RecordForm):
    data_class = LinkInput

    record = forms.ChoiceField(label=_("Record"), help_text=_("A record of the council's the item is about."))

    def __init__(self, *args: Any, council: Council, instance: NewsItem | None = None, **kwargs: Any) -> None:
        super().__init__(*args, council=council, instance=instance, **kwargs)
        self.fields["record"].choices = [("", "—"), *record_choices(council=council)]

    def to_data(self) -> LinkInput:
        kind, _sep, pk = self.cleaned_data["record"].partition(":")
        return LinkInput(kind=kind, object_id=int(pk))


class MediaPublicationForm(ServiceDataForm, _RecordForm):
    data_class = MediaPublicationData

    outlet = forms.CharField(label=_("Outlet"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=MediaKind.choices)
    published_on = forms.DateField(label=_("Date"), widget=DateInput())
    url = forms.URLField(label=_("Address"), max_length=1000, assume_scheme="https")


class SendToMediaInput(TypedDict):
    language: str


LANGUAGE_NAMES = {"ru": _("Russian"), "kk": _("Kazakh"), "en": _("English")}


class SendToMediaForm(ServiceDataForm, _RecordForm):
    """The language of the mail-out: one the item is written in."""

    data_class = SendToMediaInput

    language = forms.ChoiceField(label=_("Language of the mail-out"))

    def __init__(self, *args: Any, council: Council, instance: NewsItem | None = None, **kwargs: Any) -> None:
        super().__init__(*args, council=council, instance=instance, **kwargs)
        languages = news_languages(instance) if instance is not None else ["ru"]
        self.fields["language"].choices = [(code, LANGUAGE_NAMES[code]) for code in languages]


class PublicFilterForm(forms.Form):
    """The public list's filter (GET): an unknown value is ignored."""

    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *NewsKind.choices], required=False)
