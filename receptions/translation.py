"""The topics and place of a reception, read by the public in Russian, Kazakh and English (councils/translation.py)."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from .models import Reception


@register(Reception)
class ReceptionTranslation(TranslationOptions):
    fields = ("topics", "place")
