"""For tests elsewhere that need a portal administrator past the second sign-in step."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def otp_verified_client(client: Client, user: User) -> Client:
    """`force_login` plus a verified authenticator app, as if the user had entered a code."""
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
