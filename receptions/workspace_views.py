"""The council's receptions in the workspace: the schedule (list, add, edit), a reception's bookings and the
outcome of each visit. One recipe: the gate, the form, the service, a redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from appeals.categories import category_labels
from councils.workspace import (
    CouncilObjectMixin,
    WorkspaceActionView,
    WorkspaceListView,
)

from . import services
from .forms import OUTCOME_CHOICES, OutcomeForm, ReceptionForm
from .models import Booking, Reception
from .selectors import receptions_for_workspace


class ReceptionListView(WorkspaceListView):
    model = Reception
    template_name = "receptions/workspace/list.html"
    export_name = "receptions"
    export_columns = (
        (gettext_lazy("Starts at"), lambda r: timezone.localtime(r.starts_at).strftime("%Y-%m-%d %H:%M")),
        (gettext_lazy("Member"), lambda r: r.host.full_name),
        (gettext_lazy("Format"), lambda r: r.get_format_display()),
        (gettext_lazy("Place"), lambda r: r.place),
        (gettext_lazy("Number of slots"), lambda r: r.slots),
        (gettext_lazy("Booked"), lambda r: r.taken),
        (gettext_lazy("Visited"), lambda r: r.visited),
    )

    def list_queryset(self) -> QuerySet[Any]:
        return receptions_for_workspace(council=self.council)


class ReceptionCreateView(WorkspaceActionView):
    form_class = ReceptionForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("Schedule a reception of citizens")
    cancel_url_name = "receptions_ws:list"
    success_url_name = "receptions_ws:detail"
    success_url_pk = "pk"
    success_message = gettext_lazy("The reception is scheduled.")

    def perform(self, form: ReceptionForm) -> Reception:
        return services.reception_create(council=self.council, data=form.to_data())


class ReceptionEditView(WorkspaceActionView):
    model = Reception
    form_class = ReceptionForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("Edit the reception")
    cancel_url_name = "receptions_ws:list"
    success_url_name = "receptions_ws:detail"
    success_url_pk = "pk"
    success_message = gettext_lazy("The reception is saved.")

    def perform(self, form: ReceptionForm) -> Reception:
        return services.reception_update(reception=self.object, data=form.to_data())


class ReceptionDetailView(CouncilObjectMixin, generic.DetailView):
    model = Reception
    template_name = "receptions/workspace/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["bookings"] = list(self.object.bookings.order_by("slot", "id"))
        context["category_labels"] = category_labels(council=self.council)
        context["outcome_choices"] = OUTCOME_CHOICES
        return context


class BookingOutcomeView(CouncilObjectMixin, generic.View):
    """POST: record the outcome of one visit (the member or the secretary); «appeal registered» registers it."""

    model = Booking
    write_required = True

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        booking = get_object_or_404(self.get_queryset().select_related("reception"), pk=pk)
        form = OutcomeForm(request.POST)
        if form.is_valid():
            try:
                booking = services.booking_record_outcome(
                    booking=booking,
                    outcome=form.cleaned_data["outcome"],
                    note=form.cleaned_data["note"],
                    by=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if booking.appeal_number:
                    messages.success(request, _("Appeal %(number)s is registered.") % {"number": booking.appeal_number})
                else:
                    messages.success(request, _("The outcome is recorded."))
                return redirect("receptions_ws:detail", slug=self.council.slug, pk=booking.reception_id)
        reception = booking.reception
        return render(
            request,
            "receptions/workspace/detail.html",
            {
                "council": self.council,
                "object": reception,
                "reception": reception,
                "can_write": True,
                "bookings": list(reception.bookings.order_by("slot", "id")),
                "category_labels": category_labels(council=self.council),
                "outcome_choices": OUTCOME_CHOICES,
                "failed_booking": booking.pk,
                "failed_form": form,
            },
            status=400,
        )
