"""Which council a record belongs to is declared once, on its model (`ownership`, councils/ownership.py), and every
registry is built from it. This walks every model of the project: a model that points at a council and says
nothing, or a council-owned model missing from a registry it did not opt out of, fails here, instead of silently
losing its audit trail or leaving public pages stale."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.test.utils import isolate_apps

from councils.access import council_lookup
from councils.admin import CouncilScopedAdmin
from councils.audit import HISTORY_MANAGER, audited_models
from councils.models import Council
from councils.ownership import (
    CouncilOwned,
    NotCouncilOwned,
    council_owned_models,
    council_path_from_keys,
    ownership_of,
    project_models,
)
from monitoring.models import RECOMMENDATION_SOURCES


def _resolves_to_council(model: type[models.Model], path: str) -> bool:
    if path == "id":
        return model is Council
    current: type[models.Model] = model
    for name in path.split("__"):
        current = current._meta.get_field(name).related_model
        if current is None:
            return False
    return current is Council


def undeclared(candidates: list[type[models.Model]]) -> list[str]:
    """Models with a path to a council through their foreign keys and no declaration either way."""
    return [
        model._meta.label
        for model in candidates
        if council_path_from_keys(model) is not None and ownership_of(model) is None
    ]


def _connected(signal, model: type[models.Model], uid: str) -> bool:
    return any(key[0][0] == uid for key in signal.receivers if key[0][1] == id(model))


def test_every_model_with_a_path_to_a_council_declares_whether_it_belongs_to_one():
    assert len(project_models()) > 30  # the walk sees the project's models, not an empty list
    assert undeclared(project_models()) == []


@isolate_apps("councils")
def test_a_new_model_pointing_at_a_council_without_a_declaration_is_caught():
    class Minutes(models.Model):  # noqa: DJ008 - a throwaway model
        council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "councils"

    class Page(models.Model):  # noqa: DJ008 - a throwaway model
        minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "councils"

    class Declared(models.Model):  # noqa: DJ008 - a throwaway model
        ownership = CouncilOwned("council")
        council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "councils"

    class Unrelated(models.Model):  # noqa: DJ008 - a throwaway model
        title = models.CharField(max_length=10)

        class Meta:
            app_label = "councils"

    assert undeclared([Minutes, Page, Declared, Unrelated]) == ["councils.Minutes", "councils.Page"]


def test_a_declaration_that_leaves_a_registry_out_must_say_why():
    with pytest.raises(ValueError, match="why_not"):
        CouncilOwned("council", audit=False)


def test_every_declared_path_leads_to_the_council_the_foreign_keys_give():
    for model, owned in council_owned_models():
        assert _resolves_to_council(model, owned.path), model._meta.label
        walked = council_path_from_keys(model)
        assert walked in (None, owned.path), (model._meta.label, walked, owned.path)
    for model in project_models():
        if isinstance(ownership_of(model), NotCouncilOwned):
            assert ownership_of(model).reason, model._meta.label


def test_every_council_owned_model_keeps_an_audit_trail_unless_it_says_why_not():
    audited = {a.label: a for a in audited_models()}
    for model, owned in council_owned_models():
        label = model._meta.label
        if owned.audit:
            assert audited[label].council_path == owned.path, label
            assert hasattr(model, HISTORY_MANAGER), f"{label} has no historical twin"
        else:
            assert label not in audited and owned.why_not, label


def test_every_council_owned_model_bumps_its_councils_page_cache_unless_it_says_why_not():
    for model, owned in council_owned_models():
        label = model._meta.label
        expected = owned.page_cache
        assert _connected(post_save, model, f"portal-cache.save.{label}") is expected, label
        assert _connected(post_delete, model, f"portal-cache.delete.{label}") is expected, label


def test_the_shared_state_bodies_are_audited_and_bump_every_council():
    from councils.models import StateBody

    declared = ownership_of(StateBody)
    assert isinstance(declared, NotCouncilOwned) and declared.audit and declared.page_cache
    assert "councils.StateBody" in {a.label for a in audited_models()}
    assert _connected(post_save, StateBody, "portal-cache.save.councils.StateBody")


def test_recommendation_sources_and_the_admin_read_the_same_declaration():
    for kind in RECOMMENDATION_SOURCES.values():
        assert kind.council_path == ownership_of(kind.model).path, kind.key
    for model, owned in council_owned_models():
        assert council_lookup(model) == owned.path, model._meta.label


def test_every_council_owned_model_in_the_admin_is_scoped_to_its_council():
    from core.admin import PortalOnlyAdmin

    owned = {model for model, _declared in council_owned_models()}
    for model, model_admin in admin.site._registry.items():
        if model in owned:
            assert isinstance(model_admin, CouncilScopedAdmin | PortalOnlyAdmin), model._meta.label
