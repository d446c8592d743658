"""A council's people and structure in the workspace, mounted at workspace/<slug:slug>/council/."""

from django.urls import path

from . import workspace_experts as experts
from . import workspace_members as views
from . import workspace_plan

app_name = "councils_ws"

urlpatterns = [
    path("members/", views.MemberListView.as_view(), name="members"),
    path("members/add/", views.MemberAddView.as_view(), name="member_add"),
    path("members/<int:pk>/end/", views.MembershipEndView.as_view(), name="membership_end"),
    path("members/<int:pk>/role/", views.MembershipRoleView.as_view(), name="membership_role"),
    path("composition/", views.CompositionView.as_view(), name="composition"),
    path("commissions/", views.BodyListView.as_view(), name="bodies"),
    path("commissions/add/", views.BodyCreateView.as_view(), name="body_add"),
    path("commissions/<int:pk>/", views.BodyDetailView.as_view(), name="body_detail"),
    path("commissions/<int:pk>/edit/", views.BodyEditView.as_view(), name="body_edit"),
    path("commissions/<int:pk>/seats/add/", views.BodySeatAddView.as_view(), name="seat_add"),
    path("commissions/seats/<int:pk>/end/", views.SeatEndView.as_view(), name="seat_end"),
    path("work-plan/", workspace_plan.WorkPlanListView.as_view(), name="workplan"),
    path("work-plan/add/", workspace_plan.WorkPlanCreateView.as_view(), name="workplan_add"),
    path("work-plan/<int:pk>/", workspace_plan.WorkPlanItemView.as_view(), name="workplan_item"),
    path("work-plan/<int:pk>/edit/", workspace_plan.WorkPlanUpdateView.as_view(), name="workplan_edit"),
    path("work-plan/links/<int:pk>/remove/", workspace_plan.WorkPlanLinkRemoveView.as_view(), name="workplan_unlink"),
    path("memoranda/", workspace_plan.MemorandumListView.as_view(), name="memoranda"),
    path("memoranda/add/", workspace_plan.MemorandumCreateView.as_view(), name="memorandum_add"),
    path("memoranda/<int:pk>/", workspace_plan.MemorandumDetailView.as_view(), name="memorandum_detail"),
    path("memoranda/<int:pk>/edit/", workspace_plan.MemorandumUpdateView.as_view(), name="memorandum_edit"),
    path(
        "memoranda/commitments/<int:pk>/edit/",
        workspace_plan.CommitmentUpdateView.as_view(),
        name="commitment_edit",
    ),
    path("consultative-bodies/", views.ConsultativeSeatListView.as_view(), name="consultative"),
    path("consultative-bodies/add/", views.ConsultativeSeatFormView.as_view(), name="consultative_add"),
    path("consultative-bodies/<int:pk>/edit/", views.ConsultativeSeatFormView.as_view(), name="consultative_edit"),
    path(
        "consultative-bodies/<int:pk>/delete/", views.ConsultativeSeatDeleteView.as_view(), name="consultative_delete"
    ),
    path("export/<int:year>.json", views.CouncilYearExportView.as_view(), name="year_export"),
    # The expert registry (councils/workspace_experts.py).
    path("experts/", experts.ExpertListView.as_view(), name="experts"),
    path("experts/add/", experts.ExpertCreateView.as_view(), name="expert_add"),
    path("experts/search/", experts.ExpertSearchView.as_view(), name="expert_search"),
    path("experts/<int:pk>/", experts.ExpertDetailView.as_view(), name="expert"),
    path("experts/<int:pk>/edit/", experts.ExpertEditView.as_view(), name="expert_edit"),
    path("experts/<int:pk>/consent/", experts.ExpertConsentView.as_view(), name="expert_consent"),
    path("experts/<int:pk>/cv/", experts.ExpertCVView.as_view(), name="expert_cv"),
    path(
        "experts/decisions/<int:pk>/document/",
        experts.ExpertDecisionDocumentView.as_view(),
        name="expert_decision_document",
    ),
    path("experts/<int:pk>/engagements/add/", experts.ExpertEngagementAddView.as_view(), name="expert_engage"),
    path(
        "experts/engagements/<int:pk>/remove/",
        experts.ExpertEngagementRemoveView.as_view(),
        name="expert_disengage",
    ),
]
