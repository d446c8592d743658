from __future__ import annotations

import re
import uuid
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.files import validate_attachment
from core.public_forms import PublicForm

from .categories import appeal_form_lists
from .models import LATITUDE_RANGE, LONGITUDE_RANGE, AppealAttachment, ApplicantType, Category, Channel, Locality

MAX_ATTACHMENTS = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Up to MAX_ATTACHMENTS files, each checked by its content."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(_("Attach at most %(n)d files.") % {"n": MAX_ATTACHMENTS}, code="too_many")
        errors = []
        for upload in files:
            upload = super().clean(upload, initial)
            try:
                validate_attachment(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return files


class CoordinateField(forms.DecimalField):
    """Degrees inside Kazakhstan's bounding box, kept to 6 decimal places (about 10 cm; the model's precision).

    A decimal comma is read as a point (a Russian keyboard types one), and a longer fraction, which a phone's
    location gives, is rounded rather than refused.
    """

    PLACES = Decimal("0.000001")
    MAX_LENGTH = 40

    def __init__(self, *, bounds: tuple[Decimal, Decimal], out_of_range: str, **kwargs):
        low, high = bounds
        kwargs.setdefault("required", False)
        # Text, not type=number: a browser blanks a number input whose text it cannot parse ("43,2" in some
        # browsers), and the form must give back everything typed.
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(min_value=low, max_value=high, **kwargs)
        self.error_messages["min_value"] = self.error_messages["max_value"] = out_of_range

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
            if len(value) > self.MAX_LENGTH:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def clean(self, value):
        value = super().clean(value)
        # Within the bounds by now, so the rounding cannot overflow.
        return value.quantize(self.PLACES, rounding=ROUND_HALF_UP) if value is not None else None


class AppealFieldsForm(forms.Form):
    """The appeal's own fields, shared by the public form and the secretary's registration form."""

    applicant_type = forms.ChoiceField(
        label=_("I am writing as"),
        choices=ApplicantType.choices,
        widget=forms.RadioSelect,
        initial=ApplicantType.INDIVIDUAL,
    )
    # Autocomplete tokens (HTML "autofill"): a phone fills in the applicant's own details in one tap.
    name = forms.CharField(
        label=_("Full name"),
        max_length=255,
        required=False,
        help_text=_("Required for an individual: anonymous appeals are not considered."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=255,
        required=False,
        help_text=_("Required for a legal entity."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    bin_iin = forms.CharField(
        label=_("BIN/IIN"),
        max_length=12,
        required=False,
        help_text=_("12 digits; optional."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("An e-mail or a phone is required, so that the council can answer you."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        help_text=_("E.g. +7 701 123 45 67."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    address = forms.CharField(
        label=_("Postal address"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),  # "street-address" is for a textarea
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    # The council's districts and towns (appeals/categories.py); the field is left out while it keeps none.
    locality = forms.ModelChoiceField(
        label=_("District or town"),
        queryset=Locality.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Not chosen"),
        error_messages={"invalid_choice": _("Choose a district or town from the council's list.")},
    )
    subject = forms.CharField(label=_("Subject"), max_length=255)
    text = forms.CharField(label=_("Text of the appeal"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)
    place = forms.CharField(
        label=_("Place"),
        max_length=500,
        required=False,
        help_text=_("The address the appeal is about, if any."),
    )
    latitude = CoordinateField(
        label=_("Latitude"),
        bounds=LATITUDE_RANGE,
        out_of_range=_("The point must be in Kazakhstan: the latitude is from 40.5 to 55.5 degrees."),
        help_text=_("Optional: where the problem is, in degrees, e.g. 43.238949."),
    )
    longitude = CoordinateField(
        label=_("Longitude"),
        bounds=LONGITUDE_RANGE,
        out_of_range=_("The point must be in Kazakhstan: the longitude is from 46.5 to 87.5 degrees."),
        help_text=_("E.g. 76.889709. Only the council sees the point; it is never published."),
    )
    attachments = MultipleFileField(
        label=_("Documents or photos"),
        help_text=_("Up to 5 files: PDF, JPEG, PNG or DOCX, at most 10 MB each."),
    )

    # Required in some cases only (checked in clean()): the field partial marks them as required, and their
    # hints say when, so that the form does not spring a requirement on the applicant after sending.
    CONDITIONALLY_REQUIRED = ("name", "organisation", "email", "phone")

    def __init__(self, *args, council=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.CONDITIONALLY_REQUIRED:
            self.fields[name].mark_required = True
        # The council's own lists (appeals/categories.py): a code outside them is refused with the field's error.
        if council is not None:
            lists = appeal_form_lists(council=council)
            self.fields["category"].choices = lists.categories
            if lists.has_localities:
                self.fields["locality"].queryset = Locality.objects.filter(council=council, is_active=True).order_by(
                    "position", "id"
                )
            else:
                del self.fields["locality"]
        else:
            del self.fields["locality"]

    def clean_bin_iin(self) -> str:
        value = self.cleaned_data["bin_iin"].strip()
        if value and not re.fullmatch(r"\d{12}", value):
            raise ValidationError(_("A BIN or IIN has exactly 12 digits."), code="bad_bin")
        return value

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if value and not re.fullmatch(r"\+?[\d\s()\-]{6,20}", value):
            raise ValidationError(_("Enter a phone number, e.g. +7 701 123 45 67."), code="bad_phone")
        return value

    def clean(self):
        data = super().clean()
        if data.get("applicant_type") == ApplicantType.LEGAL_ENTITY:
            if not data.get("organisation", "").strip():
                self.add_error("organisation", _("Give the organisation's name."))
        elif not data.get("name", "").strip():
            self.add_error("name", _("Give your full name: anonymous appeals are not considered."))
        if not data.get("email") and not data.get("phone") and "email" not in self.errors:
            self.add_error("email", _("Give an e-mail or a phone number so that the council can answer you."))
        self._clean_point(data)
        return data

    def _clean_point(self, data: dict) -> None:
        """A point needs both coordinates; one alone is marked on the empty one (unless that one is wrong)."""
        if "latitude" in self.errors or "longitude" in self.errors:
            return
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (latitude is None) != (longitude is None):
            missing = "longitude" if longitude is None else "latitude"
            self.add_error(missing, _("Give both the latitude and the longitude, or leave both empty."))


class PublicAppealForm(PublicForm, AppealFieldsForm):
    """The citizen's form: the appeal's fields, with the consent and the honeypot of every public form
    (core/public_forms.py)."""

    consent_refusal = _("Without your consent the council cannot register the appeal.")
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)


class StaffAppealForm(AppealFieldsForm):
    """A secretary registers an appeal that came by e-mail, a social network, the duty service or in person."""

    channel = forms.ChoiceField(label=_("Channel"), choices=[c for c in Channel.choices if c[0] != Channel.WEB])
    personal_data_consent = forms.BooleanField(
        label=_("The applicant consented to personal data processing"), required=False
    )


class CitizenMessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=20000
    )
    attachments = MultipleFileField(label=_("Documents"))


class AppealAttachmentAdminForm(forms.ModelForm):
    """An attachment added in the admin: checked by its content like every other upload, its name, type and
    size taken from the file (the admin shows them read-only, so nothing else would fill them in)."""

    class Meta:
        model = AppealAttachment
        fields = ["file", "message"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):  # a new file; an unchanged one is already stored and was checked
            validate_attachment(upload)
        return upload

    def save(self, commit: bool = True) -> AppealAttachment:
        attachment = super().save(commit=False)
        upload = self.cleaned_data.get("file")
        new_file = isinstance(upload, UploadedFile)
        if new_file:
            attachment.original_name = upload.name[:255]
            attachment.content_type = upload.content_type
            attachment.size = upload.size
        if commit:
            try:
                with transaction.atomic():
                    attachment.save()
            except Exception:
                # The storage wrote the file before the row was refused: remove it, so no unlisted file is kept.
                if new_file and attachment.file.name:
                    attachment.file.storage.delete(attachment.file.name)
                raise
            self._save_m2m()
        return attachment


class AppealFeedbackForm(forms.Form):
    """The applicant's word on the answer (FixMyStreet's questionnaire)."""

    resolved = forms.TypedChoiceField(
        label=_("Did the answer resolve your matter?"),
        choices=[("yes", _("Yes, it is resolved")), ("no", _("No, it is not resolved"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the answer resolved your matter.")},
    )
    reason = forms.CharField(
        label=_("What is still not resolved?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        help_text=_("Needed when it is not resolved: the council reopens the appeal and reads this."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "feedback")
        super().__init__(*args, **kwargs)
        self.fields["reason"].mark_required = True

    def clean(self):
        data = super().clean()
        if data.get("resolved") is False and not data.get("reason", "").strip():
            self.add_error("reason", _("Say what is still not resolved, so that the council can act on it."))
        return data
