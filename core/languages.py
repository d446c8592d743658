"""The site's languages, every list of them read from `settings.LANGUAGES` (the only place they are written).

Adding a language is:

1. a line in `LANGUAGES` (config/settings.py); `MODELTRANSLATION_LANGUAGES` and the API's language enum follow it;
2. its catalogue, `locale/<code>/LC_MESSAGES/django.po` (core.E001 stops the portal while it is missing);
3. its format module, `config/formats/<code>/formats.py`: `LANGUAGE_NAME`, the language's own name for the switcher,
   and `LANGUAGE_TAG`, its BCP 47 tag with a region (`og:locale`, the Word report), beside any date and number
   formats Django does not ship for it (Django's own module gives the rest);
4. one generated migration (`manage.py makemigrations`): django-modeltranslation adds a column per language to
   each translated model field (councils/translation.py) when the migration runs, not at run time.

Everything else (the switcher, hreflang and the sitemap's alternates, robots.txt, the appeal and report
languages of the forms and the API, the official names in the open API) follows from these. The one deliberate
exception is the council activity file (interchange/services.py `FILE_LANGUAGES`): a published file format names
its keys (`name_kk`, `name_en`) in its JSON Schema, and a new language there is a new version of the format.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.formats import get_format_modules
from rest_framework import serializers


def codes() -> tuple[str, ...]:
    """The site's language codes in the order of `settings.LANGUAGES`, the default first."""
    return tuple(code for code, _name in settings.LANGUAGES)


def choices() -> list[tuple[str, Any]]:
    """(code, name) pairs for a choice field; pass the function itself (`choices=languages.choices`) so the field
    reads the settings when it is used, not when it is imported."""
    return list(settings.LANGUAGES)


def default() -> str:
    """The language every record has and every page falls back to (Russian)."""
    return settings.LANGUAGE_CODE


def others() -> tuple[str, ...]:
    """Every language but the default."""
    return tuple(code for code in codes() if code != default())


def is_supported(code: object) -> bool:
    return isinstance(code, str) and code in codes()


def columns(field: str) -> tuple[str, ...]:
    """A translated model field's columns (`name_ru`, `name_kk`, …), one per language modeltranslation made."""
    return tuple(f"{field}_{code}" for code in settings.MODELTRANSLATION_LANGUAGES)


def _from_format_module(code: str, name: str) -> str | None:
    """An attribute of the language's format module (config/formats/<code>/formats.py, then Django's own)."""
    for module in get_format_modules(code):
        value = getattr(module, name, None)
        if value:
            return str(value)
    return None


def native_name(code: str) -> str:
    """The language's name in itself, as the switcher shows it (a reader looks for their own language's name,
    W3C i18n "language selectors"): the format module's `LANGUAGE_NAME`, else Django's, else the code."""
    name = _from_format_module(code, "LANGUAGE_NAME")
    if name:
        return name
    try:
        return str(translation.get_language_info(code)["name_local"])
    except KeyError:
        return code


def tag(code: str) -> str:
    """The language's BCP 47 tag with its region (`kk-KZ`): the format module's `LANGUAGE_TAG`, else the code."""
    return _from_format_module(code, "LANGUAGE_TAG") or code


def og_locale(code: str) -> str:
    """The Open Graph locale (`kk_KZ`): the tag with an underscore."""
    return tag(code).replace("-", "_")


class LanguageField(serializers.ChoiceField):
    """An API field that takes one of the site's languages, read when each serializer is made (DRF copies a
    declared field by calling its class again), so the choices follow the settings."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "One of the site's languages: " + ", ".join(codes()) + ".")
        super().__init__(choices=codes(), **kwargs)
