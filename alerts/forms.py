from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.public_forms import PublicForm

from .models import Frequency


class SubscribeForm(PublicForm):
    consent_label = _(
        "I agree that the portal keeps my e-mail address to send me these alerts, until I unsubscribe "
        "(Law of the Republic of Kazakhstan «On personal data and their protection» No. 94-V)."
    )
    consent_refusal = _("Without your consent the portal cannot send you alerts.")

    email = forms.EmailField(label=_("E-mail"), max_length=254)
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Frequency.choices, initial=Frequency.WEEKLY, widget=forms.RadioSelect
    )


class FollowForm(PublicForm):
    """Follow one item: the subscription form without the frequency (a follower is told of each change)."""

    consent_label = _(
        "I agree that the portal keeps my e-mail address to tell me when this item changes, until I unsubscribe "
        "(Law of the Republic of Kazakhstan «On personal data and their protection» No. 94-V)."
    )
    consent_refusal = _("Without your consent the portal cannot send you alerts.")

    email = forms.EmailField(label=_("E-mail"), max_length=254)
