"""Public control in the workspace, mounted at workspace/<slug:slug>/monitoring/: monitoring events, draft-act
reviews, recommendations and information requests. Each helper appends its own routes."""

from django.urls import path

from . import workspace_events
from . import workspace_recommendations as rec

app_name = "monitoring_ws"

urlpatterns = [
    # Monitoring events and draft-act reviews (monitoring/workspace_events.py).
    path("events/", workspace_events.MonitoringEventListView.as_view(), name="events"),
    path("events/add/", workspace_events.MonitoringEventCreateView.as_view(), name="event_add"),
    path("events/<int:pk>/", workspace_events.MonitoringEventDetailView.as_view(), name="event_detail"),
    path("events/<int:pk>/edit/", workspace_events.MonitoringEventUpdateView.as_view(), name="event_edit"),
    path("drafts/", workspace_events.DraftReviewListView.as_view(), name="drafts"),
    path("drafts/add/", workspace_events.DraftReviewFormView.as_view(), name="draft_add"),
    path("drafts/<int:pk>/edit/", workspace_events.DraftReviewFormView.as_view(), name="draft_edit"),
]

# Recommendations, information requests and a state body's answers (monitoring/workspace_recommendations.py).
urlpatterns += [
    path("recommendations/", rec.RecommendationListView.as_view(), name="recommendations"),
    path("recommendations/new/", rec.RecommendationCreateView.as_view(), name="recommendation_create"),
    path("recommendations/<int:pk>/", rec.RecommendationDetailView.as_view(), name="recommendation_detail"),
    path("recommendations/<int:pk>/edit/", rec.RecommendationUpdateView.as_view(), name="recommendation_edit"),
    path("requests/", rec.InformationRequestListView.as_view(), name="requests"),
    path("requests/new/", rec.InformationRequestCreateView.as_view(), name="request_create"),
    path("requests/<int:pk>/", rec.InformationRequestDetailView.as_view(), name="request_detail"),
    path("requests/<int:pk>/edit/", rec.InformationRequestUpdateView.as_view(), name="request_edit"),
    path("requests/batches/new/", rec.InformationRequestBatchCreateView.as_view(), name="request_batch_create"),
    path("requests/batches/<int:pk>/", rec.InformationRequestBatchView.as_view(), name="request_batch"),
    path("requests/batches/<int:pk>/send/", rec.InformationRequestBatchSendView.as_view(), name="request_batch_send"),
    # An answer's document, through the tenant gate (never a /media/ address).
    path(
        "recommendations/<int:pk>/answers/<int:answer_id>/document/",
        rec.RecommendationAnswerDocumentView.as_view(),
        name="recommendation_answer_document",
    ),
    path(
        "requests/<int:pk>/answers/<int:answer_id>/document/",
        rec.InformationRequestAnswerDocumentView.as_view(),
        name="request_answer_document",
    ),
    path("state-bodies/<slug:body>/", rec.StateBodyView.as_view(), name="state_body"),
]
# One address per action on an item's page (…/send/, …/respond/, …/status/, …/extend/), POST only.
urlpatterns += [
    path(
        f"recommendations/<int:pk>/{name}/",
        rec.RecommendationActionView.as_view(),
        {"action": name},
        name=f"recommendation_{name}",
    )
    for name in rec.RECOMMENDATIONS.actions
] + [
    path(
        f"requests/<int:pk>/{name}/",
        rec.InformationRequestActionView.as_view(),
        {"action": name},
        name=f"request_{name}",
    )
    for name in rec.INFORMATION_REQUESTS.actions
]
