"""The workspace pages of a council's people and structure: members, the composition on a date, bodies with
their seats, the work plan, memoranda, the members' seats in consultative bodies, and the export of a whole year.

Every view goes through the shared workspace machinery (`councils.workspace`): the tenant gate first, then the
object inside the council, the form, the service, the redirect.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import generic

from . import member_services as services
from .forms import (
    BodyCreateForm,
    BodyEditForm,
    BodyFilter,
    BodySeatAddForm,
    CompositionDateForm,
    ConsultativeSeatFilter,
    ConsultativeSeatForm,
    MemberAddForm,
    MembershipEndForm,
    MembershipFilter,
    MembershipRoleForm,
    RecordForm,
    SeatEndForm,
)
from .models import Body, BodyMembership, ConsultativeSeat, Membership
from .selectors import (
    bodies_for_workspace,
    body_seats,
    composition_on,
    consultative_seats_for_workspace,
    convocation_on,
    experts_on,
    memberships_ended_in_year,
    memberships_for_workspace,
    seats_in_convocation,
)
from .workspace import (
    CouncilObjectMixin,
    CouncilScopedMixin,
    WorkspaceActionView,
    WorkspaceListView,
)

# ---- members -----------------------------------------------------------------------------------------------


def _commissions(m: Membership) -> str:
    return "; ".join(
        s.body.name + (f" ({s.get_role_display()})" if s.role != "member" else "")
        for s in seats_in_convocation(m)
        if s.end_date is None
    )


class MemberListView(WorkspaceListView):
    model = Membership
    template_name = "workspace/members/list.html"
    filterset_class = MembershipFilter
    paginate_by = 50
    export_name = "members"
    export_columns = (
        (gettext_lazy("Full name"), lambda m: m.person.full_name),
        (gettext_lazy("Convocation"), lambda m: m.convocation.name),
        (gettext_lazy("Role"), lambda m: m.get_role_display()),
        (gettext_lazy("Affiliation"), lambda m: m.get_affiliation_display()),
        (gettext_lazy("Organisation"), lambda m: m.person.organisation),
        (gettext_lazy("Position"), lambda m: m.person.position),
        (gettext_lazy("Commissions"), _commissions),
        (gettext_lazy("Start date"), lambda m: m.start_date),
        (gettext_lazy("End date"), lambda m: m.end_date),
    )

    def list_queryset(self) -> QuerySet[Membership]:
        return memberships_for_workspace(council=self.council)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        for membership in context["object_list"]:
            membership.seats_here = seats_in_convocation(membership)
        context["export_years"] = _export_years(self.council)
        return context


def _export_years(council: Any) -> list[int]:
    """The years a council-activity file can be asked for: the current convocation's years up to this one."""
    today = timezone.localdate()
    convocation = convocation_on(council=council, day=today)
    first = convocation.start_date.year if convocation else today.year
    return list(range(today.year, max(first, today.year - 10) - 1, -1))


class MemberAddView(WorkspaceActionView):
    form_class = MemberAddForm
    template_name = "workspace/members/add.html"
    page_title = gettext_lazy("Add a member")
    cancel_url_name = success_url_name = "councils_ws:members"
    success_message = gettext_lazy("The member was added.")

    def perform(self, form: MemberAddForm) -> Membership:
        return services.member_add(council=self.council, **form.to_data())


class MembershipEndView(WorkspaceActionView):
    model = Membership
    form_class = MembershipEndForm
    template_name = "workspace/_form_page.html"
    cancel_url_name = success_url_name = "councils_ws:members"
    success_message = gettext_lazy("The membership was ended; it stays in the history.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["page_title"] = _("End the membership of %(name)s") % {"name": self.object.person.full_name}
        context["intro"] = _(
            "The member stays in the list with the end date; the composition on earlier dates does not change. "
            "Their open seats in the convocation's commissions end on the same day."
        )
        return context

    def perform(self, form: MembershipEndForm) -> Membership:
        return services.membership_end(membership=self.object, **form.to_data())


class MembershipRoleView(WorkspaceActionView):
    model = Membership
    form_class = MembershipRoleForm
    template_name = "workspace/_form_page.html"
    cancel_url_name = success_url_name = "councils_ws:members"
    success_message = gettext_lazy("The role was changed.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["page_title"] = _("Role of %(name)s") % {"name": self.object.person.full_name}
        return context

    def perform(self, form: MembershipRoleForm) -> Membership:
        return services.membership_change_role(membership=self.object, **form.to_data())


class CompositionView(CouncilScopedMixin, generic.TemplateView):
    """The council as it stood on `?date=YYYY-MM-DD` (today by default): totals by affiliation and the list."""

    template_name = "workspace/members/composition.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = CompositionDateForm(self.request.GET or None)
        day = timezone.localdate()
        if form.is_bound and form.is_valid() and form.cleaned_data["date"]:
            day = form.cleaned_data["date"]
        elif not form.is_bound:
            form = CompositionDateForm(initial={"date": day})
        context["form"] = form
        context["composition"] = composition_on(council=self.council, day=day)
        # Who left in the year of the date, why and by which decision: staff see it beside the composition.
        context["left"] = memberships_ended_in_year(council=self.council, year=day.year)
        context["experts"] = experts_on(council=self.council, day=day)
        return context


# ---- bodies (presidium, commissions, working groups) and their seats -----------------------------------------


class BodyListView(WorkspaceListView):
    model = Body
    template_name = "workspace/members/bodies.html"
    filterset_class = BodyFilter
    export_name = "commissions"
    export_columns = (
        (pgettext_lazy("title", "Name"), lambda b: b.name),
        (gettext_lazy("Kind"), lambda b: b.get_kind_display()),
        (gettext_lazy("Number"), lambda b: b.number),
        (gettext_lazy("Convocation"), lambda b: b.convocation.name),
        (gettext_lazy("Chair"), lambda b: ", ".join(s.person.full_name for s in b.chairs)),
        (gettext_lazy("Members today"), lambda b: b.member_count),
    )

    def list_queryset(self) -> QuerySet[Body]:
        return bodies_for_workspace(council=self.council, day=timezone.localdate())


class BodyCreateView(WorkspaceActionView):
    form_class = BodyCreateForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("Add a commission or another body")
    cancel_url_name = "councils_ws:bodies"
    success_message = gettext_lazy("The body was added.")
    success_url_name, success_url_pk = "councils_ws:body_detail", "pk"

    def perform(self, form: BodyCreateForm) -> Body:
        return services.body_create(council=self.council, **form.to_data())


class BodyEditView(WorkspaceActionView):
    model = Body
    form_class = BodyEditForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("Edit the body's names")
    cancel_url_name = "councils_ws:bodies"
    success_message = gettext_lazy("The body was saved.")
    success_url_name, success_url_pk = "councils_ws:body_detail", "pk"

    def perform(self, form: BodyEditForm) -> Body:
        return services.body_update(body=self.object, **form.to_data())


class BodyDetailView(CouncilObjectMixin, generic.DetailView):
    model = Body
    template_name = "workspace/members/body_detail.html"

    def get_queryset(self) -> QuerySet[Body]:
        return super().get_queryset().select_related("convocation")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["seats"] = body_seats(body=self.object)
        if context["can_write"]:
            context.setdefault("form", BodySeatAddForm(instance=self.object, council=self.council))
        return context


class BodySeatAddView(WorkspaceActionView):
    """Posts from the body's page; on an error the body's page is shown again with the form's errors."""

    model = Body
    form_class = BodySeatAddForm
    template_name = "workspace/members/body_detail.html"
    success_message = gettext_lazy("The seat was added.")
    success_url_name, success_url_pk = "councils_ws:body_detail", "body_id"

    def get_queryset(self) -> QuerySet[Body]:
        return super().get_queryset().select_related("convocation")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["seats"] = body_seats(body=self.object)
        return context

    def perform(self, form: BodySeatAddForm) -> BodyMembership:
        return services.body_seat_add(body=self.object, **form.to_data())


class SeatEndView(WorkspaceActionView):
    model = BodyMembership
    form_class = SeatEndForm
    template_name = "workspace/_form_page.html"
    success_message = gettext_lazy("The seat was ended; it stays in the history.")
    success_url_name = cancel_url_name = "councils_ws:body_detail"
    success_url_pk = cancel_url_pk = "body_id"

    def get_queryset(self) -> QuerySet[BodyMembership]:
        return super().get_queryset().select_related("person", "body")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["page_title"] = _("End the seat of %(name)s in %(body)s") % {
            "name": self.object.person.full_name,
            "body": self.object.body.name,
        }
        return context

    def perform(self, form: SeatEndForm) -> BodyMembership:
        return services.body_seat_end(seat=self.object, **form.to_data())


# ---- the whole year as a council-activity file --------------------------------------------------------------


class CouncilYearExportView(CouncilScopedMixin, generic.View):
    """`.../council/export/<year>.json`: the council's year as an `oversight.council-activity/4` document.

    Read access is enough: the document carries no contacts and no applicant's personal data.
    """

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The interchange app stands above councils: imported here, where the two are wired together.
        from interchange.selectors import NothingToExport, council_activity_dumps, council_activity_export

        year = kwargs["year"]
        if not 1990 <= year <= timezone.localdate().year + 1:
            raise Http404
        try:
            document = council_activity_export(council=self.council, year=year)
        except NothingToExport:
            messages.error(
                request, _("The council had no convocation in %(year)s: there is nothing to export.") % {"year": year}
            )
            return redirect("councils_ws:members", slug=self.council.slug)
        response = HttpResponse(council_activity_dumps(document), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.council.slug}-{year}.json"'
        return response


# ---- seats in consultative and advisory bodies ------------------------------------------------------------


class ConsultativeSeatListView(WorkspaceListView):
    model = ConsultativeSeat
    template_name = "workspace/consultative/list.html"
    filterset_class = ConsultativeSeatFilter
    export_name = "consultative-bodies"
    export_columns = (
        (gettext_lazy("Full name"), lambda s: s.person.full_name),
        (gettext_lazy("Consultative body"), lambda s: s.body_name),
        (gettext_lazy("State body"), lambda s: s.state_body.name if s.state_body else ""),
        (gettext_lazy("Level"), lambda s: s.get_level_display()),
        (gettext_lazy("Start date"), lambda s: s.start_date),
        (gettext_lazy("End date"), lambda s: s.end_date),
        (gettext_lazy("Note"), lambda s: s.note),
        (gettext_lazy("Link"), lambda s: s.link),
    )

    def list_queryset(self) -> QuerySet[ConsultativeSeat]:
        return consultative_seats_for_workspace(council=self.council)


class ConsultativeSeatFormView(WorkspaceActionView):
    """A new seat in a consultative body (`consultative-bodies/add/`), or one edited (`…/<pk>/edit/`)."""

    model = ConsultativeSeat
    form_class = ConsultativeSeatForm
    template_name = "workspace/_form_page.html"
    cancel_url_name = success_url_name = "councils_ws:consultative"
    success_message = gettext_lazy("The seat in the consultative body was saved.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["page_title"] = (
            _("Add a seat in a consultative body") if self.object is None else _("Edit a seat in a consultative body")
        )
        return context

    def perform(self, form: ConsultativeSeatForm) -> ConsultativeSeat:
        if self.object is None:
            return services.consultative_seat_create(council=self.council, data=form.to_data())
        return services.consultative_seat_update(seat=self.object, data=form.to_data())


class ConsultativeSeatDeleteView(WorkspaceActionView):
    """GET asks to confirm; POST deletes. Only writers may open it."""

    model = ConsultativeSeat
    form_class = RecordForm
    template_name = "workspace/consultative/delete.html"
    page_title = gettext_lazy("Delete a seat in a consultative body")
    cancel_url_name = success_url_name = "councils_ws:consultative"
    success_message = gettext_lazy("The seat in the consultative body was deleted.")

    def get_queryset(self) -> QuerySet[ConsultativeSeat]:
        return super().get_queryset().select_related("person")

    def perform(self, form: RecordForm) -> None:
        services.consultative_seat_delete(seat=self.object)
