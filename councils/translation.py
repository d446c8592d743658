"""The fields that have an official name in Russian and Kazakh (and optionally English).

django-modeltranslation (settings: why) adds `<field>_ru`, `<field>_kk`, `<field>_en` columns beside each field
named here; reading `obj.name` gives the active language's value, falling back to Russian. Pages mark the fallback
with `lang="ru"` through one template tag (`core.templatetags.names.tr_name`).
"""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from .models import Body, Convocation, Council, ExpertiseArea, Partner, StateBody


@register(Council)
class CouncilTranslation(TranslationOptions):
    fields = ("name", "short_name", "legal_basis", "description")


@register(Convocation)
class ConvocationTranslation(TranslationOptions):
    fields = ("name",)


@register(Body)
class BodyTranslation(TranslationOptions):
    fields = ("name", "description")


@register(StateBody)
class StateBodyTranslation(TranslationOptions):
    fields = ("name",)


@register(Partner)
class PartnerTranslation(TranslationOptions):
    fields = ("name",)


@register(ExpertiseArea)
class ExpertiseAreaTranslation(TranslationOptions):
    fields = ("name",)
