from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Frequency


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Frequency.choices, initial=Frequency.WEEKLY, widget=forms.RadioSelect
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the portal keeps my e-mail address to send me these alerts, until I unsubscribe "
            "(Law of the Republic of Kazakhstan «On personal data and their protection» No. 94-V)."
        )
    )
    # A field people do not see: robots fill it in.
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


class FollowForm(forms.Form):
    """Follow one item: the subscription form without the frequency (a follower is told of each change)."""

    email = SubscribeForm.base_fields["email"]
    consent = forms.BooleanField(
        label=_(
            "I agree that the portal keeps my e-mail address to tell me when this item changes, until I unsubscribe "
            "(Law of the Republic of Kazakhstan «On personal data and their protection» No. 94-V)."
        )
    )
    website = SubscribeForm.base_fields["website"]

    def is_spam(self) -> bool:
        return bool(self.data.get("website"))
