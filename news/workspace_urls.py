"""A council's news in the workspace, mounted at workspace/<slug:slug>/news/."""

from django.urls import path

from . import workspace_views as views

app_name = "news_ws"

urlpatterns = [
    path("", views.NewsListView.as_view(), name="list"),
    path("add/", views.NewsCreateView.as_view(), name="add"),
    path("<int:pk>/", views.NewsDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.NewsUpdateView.as_view(), name="edit"),
    path("<int:pk>/publish/", views.NewsPublishView.as_view(), name="publish"),
    path("<int:pk>/unschedule/", views.NewsUnscheduleView.as_view(), name="unschedule"),
    path("<int:pk>/withdraw/", views.NewsWithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/delete/", views.NewsDeleteView.as_view(), name="delete"),
    path("<int:pk>/send-to-media/", views.NewsSendToMediaView.as_view(), name="send_to_media"),
    path("<int:pk>/images/add/", views.NewsImageAddView.as_view(), name="image_add"),
    path("<int:pk>/records/add/", views.NewsLinkAddView.as_view(), name="link_add"),
    path("<int:pk>/media/add/", views.MediaPublicationAddView.as_view(), name="media_add"),
    path("images/<int:pk>/", views.NewsImageFileView.as_view(), name="image_file"),
    path("images/<int:pk>/delete/", views.NewsImageDeleteView.as_view(), name="image_delete"),
    path("records/<int:pk>/remove/", views.NewsLinkRemoveView.as_view(), name="link_remove"),
    path("media/<int:pk>/delete/", views.MediaPublicationDeleteView.as_view(), name="media_delete"),
]
