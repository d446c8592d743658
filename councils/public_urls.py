"""The public pages about councils alone (councils/views.py), under the language prefix and in the portal's
`reports` namespace: reports/urls.py includes them beside the other apps' public pages. `COUNCIL` is the prefix of
every council's pages, whichever app owns them."""

from __future__ import annotations

from django.urls import path

from core.page_cache import cache_council_page as cached
from core.page_cache import cache_portal_page as portal_cached

from . import expert_views, views

COUNCIL = "councils/<slug:slug>/"

urlpatterns = [
    path("councils/", portal_cached(views.council_list, "place", "kind", "page"), name="councils"),
    path(f"{COUNCIL}composition/", cached(views.council_composition, "year"), name="composition"),
    path(f"{COUNCIL}work-plan/", cached(views.council_plan, "year"), name="work_plan"),
    path(f"{COUNCIL}memoranda/", cached(views.council_memoranda, "year"), name="memoranda"),
    path(f"{COUNCIL}memoranda/<int:pk>/", cached(views.council_memorandum), name="memorandum"),
    path(f"{COUNCIL}memoranda/<int:pk>/document/", views.memorandum_document, name="memorandum_document"),
    # The expert registry: approved experts who consent to be published (a search with words is never cached).
    path(f"{COUNCIL}experts/", cached(expert_views.council_experts, "page"), name="experts"),
    path(f"{COUNCIL}experts/<int:pk>/", cached(expert_views.council_expert), name="expert"),
    path(f"{COUNCIL}experts/<int:pk>/cv/", expert_views.council_expert_cv, name="expert_cv"),
    path("experts/", expert_views.expert_search, name="expert_search"),
]
