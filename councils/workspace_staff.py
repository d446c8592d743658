"""The council's staff accounts in the workspace: who signs in, in which role, and invitations for new staff.

The list is for those who may change the council's records (secretary, chair, portal administrator); inviting,
resending and revoking are for the chair and portal administrators (`invitations.can_manage_staff`). The invitee's
page to set a password is here too: it is reached from the mail, without signing in.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic
from django.views.decorators.http import require_POST

from core.limits import refusal
from core.ratelimit import submission_rate_limited

from . import invitations
from .access import council_for_user
from .models import CouncilStaff, StaffRole
from .services import council_staff_revoke


class StaffInviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail"), max_length=150)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=StaffRole.choices, initial=StaffRole.SECRETARY)


def _rate_limited(request: HttpRequest) -> HttpResponse | None:
    if submission_rate_limited(
        request,
        group="staff-invite",
        email=f"inviter-{request.user.pk}",
        per_ip=invitations.INVITE_RATE_PER_IP,
        per_email=invitations.INVITE_RATE_PER_INVITER,
    ):
        return refusal(
            request,
            status=429,
            title=_("Too many requests"),
            message=_("You sent too many invitations in a short time. Please try again in an hour."),
        )
    return None


@login_required
def staff_list(request: HttpRequest, slug: str) -> HttpResponse:
    council = council_for_user(request.user, slug, write=True)
    context = {
        "council": council,
        "can_write": True,
        "can_manage": invitations.can_manage_staff(request.user, council),
        "rows": invitations.staff_for_council(council=council),
        "hours": int(invitations.INVITATION_MAX_AGE.total_seconds() // 3600),
    }
    return render(request, "councils/staff/list.html", context)


class StaffInviteView(LoginRequiredMixin, generic.FormView):
    form_class = StaffInviteForm
    template_name = "councils/staff/invite.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.council = invitations.council_for_staff_manager(request.user, kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if (refused := _rate_limited(request)) is not None:
            return refused
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: StaffInviteForm) -> HttpResponse:
        try:
            staff = invitations.staff_invite(
                council=self.council,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=self.request.user,
            )
        except ValidationError as exc:
            form.add_error("email" if hasattr(exc, "error_dict") else None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The invitation was sent to %(email)s.") % {"email": staff.user.email})
        return redirect("workspace:staff", slug=self.council.slug)

    def form_invalid(self, form: StaffInviteForm) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        hours = int(invitations.INVITATION_MAX_AGE.total_seconds() // 3600)
        context.update(
            council=self.council,
            can_write=True,
            page_title=_("Invite staff"),
            intro=_(
                "The person gets an e-mail with a link to set a password (valid for %(hours)d hours), then signs "
                "in to this council's workspace in the role you choose."
            )
            % {"hours": hours},
            cancel_url=reverse("workspace:staff", kwargs={"slug": self.council.slug}),
        )
        return context


def _staff_row(request: HttpRequest, slug: str, pk: int) -> tuple[Any, CouncilStaff]:
    """The tenant gate (404 for outsiders), the row inside that council (404), then the right to manage (403)."""
    council = council_for_user(request.user, slug)
    staff = get_object_or_404(CouncilStaff.objects.select_related("user"), pk=pk, council=council)
    if not invitations.can_manage_staff(request.user, council):
        raise PermissionDenied
    return council, staff


@login_required
@require_POST
def staff_resend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    council, staff = _staff_row(request, slug, pk)
    if (refused := _rate_limited(request)) is not None:
        return refused
    try:
        invitations.staff_invite_resend(staff=staff, invited_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("A new link was sent to %(email)s.") % {"email": staff.user.email})
    return redirect("workspace:staff", slug=council.slug)


@login_required
@require_POST
def staff_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    council, staff = _staff_row(request, slug, pk)
    if staff.user_id == request.user.pk:
        messages.error(request, _("You cannot take away your own access; another chair or an administrator can."))
    else:
        council_staff_revoke(user=staff.user, council=council)
        messages.success(request, _("%(email)s no longer has access to this council.") % {"email": staff.user.email})
    return redirect("workspace:staff", slug=council.slug)


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """Django's password-reset confirmation (the token moves to the session before the form shows, so it never
    leaks in a Referer), with the invitation's token and only for accounts that still hold a council role."""

    token_generator = invitations.invitation_token_generator
    form_class = SetPasswordForm
    template_name = "councils/staff/accept.html"

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        if user is None or not user.is_active or not CouncilStaff.objects.filter(user=user).exists():
            return None
        return user

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        if not self.validlink:
            kwargs["status"] = 404  # used, expired, revoked or made up: nothing to do here
        return super().render_to_response(context, **kwargs)

    def get_success_url(self) -> str:
        messages.success(
            self.request, _("Your password is set. Sign in with your e-mail address and the new password.")
        )
        return f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': reverse('workspace:home')})}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Set your password") if self.validlink else _("This link no longer works")
        context["username"] = self.user.get_username() if self.user is not None else ""
        return context
