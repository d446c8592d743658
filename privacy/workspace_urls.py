"""Staff pages on personal data, mounted at /<lang>/workspace/<slug>/privacy/."""

from django.urls import path

from . import views

app_name = "privacy_ws"

urlpatterns = [
    path("register/", views.RegisterView.as_view(), name="register"),
]
