"""Official names and biographies in Russian, Kazakh and optionally English (django-modeltranslation, as in
councils/translation.py)."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from .models import BodyConvocation, Committee, Constituency, Deputy, Locality, Party, RepresentativeBody


@register(RepresentativeBody)
class RepresentativeBodyTranslation(TranslationOptions):
    fields = ("name",)


@register(BodyConvocation)
class BodyConvocationTranslation(TranslationOptions):
    fields = ("name",)


@register(Locality)
class LocalityTranslation(TranslationOptions):
    fields = ("name",)


@register(Constituency)
class ConstituencyTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Party)
class PartyTranslation(TranslationOptions):
    fields = ("name",)


@register(Committee)
class CommitteeTranslation(TranslationOptions):
    fields = ("name",)


@register(Deputy)
class DeputyTranslation(TranslationOptions):
    fields = ("full_name", "biography")
