"""Names of a council's appeal categories and localities in Russian, Kazakh and English (councils/translation.py
explains the approach: `name_ru`, `name_kk`, `name_en` columns in the same table)."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from .models import AppealCategory, Locality


@register(AppealCategory)
class AppealCategoryTranslation(TranslationOptions):
    fields = ("name",)


@register(Locality)
class LocalityTranslation(TranslationOptions):
    fields = ("name",)
