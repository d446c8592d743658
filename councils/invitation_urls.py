"""The invitee's page to set a password, mounted at /<lang>/accounts/invitation/ (no sign-in)."""

from django.urls import path

from .workspace_staff import InvitationAcceptView

urlpatterns = [
    path("<uidb64>/<token>/", InvitationAcceptView.as_view(), name="invitation_accept"),
]
