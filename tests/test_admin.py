"""Every model's admin opens for the portal administrator: list (with its search and filters) and add form."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

from tests.accounts.helpers import otp_verified_client

pytestmark = pytest.mark.django_db

MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label)


@pytest.fixture
def admin_client(client, personas):
    """The operator, signed in with a verified second factor (tests/accounts proves how it is asked for)."""
    user = User.objects.create_superuser("operator", "operator@example.kz", "not-a-real-password")
    return otp_verified_client(client, user)


@pytest.mark.parametrize("model", MODELS, ids=[m._meta.label for m in MODELS])
def test_admin_changelist_and_search_open(admin_client, model):
    model_admin = admin.site._registry[model]
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = admin_client.get(url, {"q": "Алматы"} if model_admin.search_fields else {})
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=[m._meta.label for m in MODELS])
def test_admin_add_form_opens_where_adding_is_allowed(admin_client, model, rf):
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = User.objects.get(username="operator")
    if not model_admin.has_add_permission(request):
        pytest.skip("adding is not offered for this model")
    response = admin_client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"))
    assert response.status_code == 200
