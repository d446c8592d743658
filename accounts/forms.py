from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """One code: six digits from the authenticator app or, where the page allows, a backup code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
                "size": 12,
            }
        ),
    )

    def __init__(self, *args, backup_allowed: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if backup_allowed:
            field.help_text = _("Six digits from your authenticator app, or one of your backup codes.")
        else:
            field.help_text = _("The six digits your authenticator app shows now.")
            field.widget.attrs["inputmode"] = "numeric"
