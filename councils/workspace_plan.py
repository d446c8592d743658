"""The workspace pages of the council's own year: the work plan, whose items' status follows from the records
that fulfil them (councils/plan.py), with an item's page where the secretary links those records; and the
memoranda with their parties, term and commitments (councils/memoranda.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from . import member_services as services
from .forms import (
    CommitmentForm,
    MemorandumFilter,
    MemorandumForm,
    WorkPlanFilter,
    WorkPlanItemForm,
    WorkPlanLinkForm,
)
from .memoranda import MEMORANDUM_STATES, memorandum_state, memorandum_view
from .models import Memorandum, MemorandumCommitment, WorkPlanItem, WorkPlanLink, WorkPlanStatus
from .plan import PlanItemResult, results_for_items
from .workspace import WorkspaceActionView, WorkspaceListView, WorkspaceRemoveView, export_response


def _records(result: PlanItemResult) -> str:
    parts = []
    for record in result.records:
        day = f", {record.day:%d.%m.%Y}" if record.day else ""
        parts.append(f"{record.kind_label}{day}: {record.title}")
    return "; ".join(parts)


class WorkPlanListView(WorkspaceListView):
    model = WorkPlanItem
    template_name = "workspace/workplan/list.html"
    filterset_class = WorkPlanFilter
    paginate_by = 50
    export_name = "work-plan"
    export_columns = (
        (gettext_lazy("Year"), lambda r: r.item.year),
        (gettext_lazy("Number"), lambda r: r.item.number),
        (gettext_lazy("Activity"), lambda r: r.item.activity),
        (gettext_lazy("Period"), lambda r: r.item.period),
        (gettext_lazy("Due date"), lambda r: r.item.due_date),
        (gettext_lazy("Expected result"), lambda r: r.item.expected_result),
        (gettext_lazy("Responsible"), lambda r: r.item.responsible),
        (gettext_lazy("Status"), lambda r: r.status_label),
        (gettext_lazy("Done on"), lambda r: r.done_on),
        (gettext_lazy("Not done on time"), lambda r: r.late),
        (gettext_lazy("Reason"), lambda r: r.item.status_reason),
        (gettext_lazy("Records"), _records),
    )

    def get_queryset(self) -> QuerySet[WorkPlanItem]:
        return super().get_queryset().order_by("-year", "number")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = request.GET.get("format")
        if fmt in ("csv", "xlsx"):
            # A plan has tens of items a year: its status needs the linked records, read per kind for all rows.
            rows = results_for_items(self.get_queryset(), council=self.council, today=timezone.localdate())
            return export_response(
                rows=rows, columns=self.export_columns, fmt=fmt, filename=f"{self.council.slug}-{self.export_name}"
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["results"] = results_for_items(context["object_list"], council=self.council, today=timezone.localdate())
        return context


class WorkPlanCreateView(WorkspaceActionView):
    form_class = WorkPlanItemForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("Add a work plan item")
    cancel_url_name = "councils_ws:workplan"
    success_message = gettext_lazy("The work plan item was saved.")
    success_url_name = "councils_ws:workplan_item"
    success_url_pk = "pk"

    def perform(self, form: WorkPlanItemForm) -> WorkPlanItem:
        return services.work_plan_item_create(council=self.council, data=form.to_data())


class WorkPlanUpdateView(WorkspaceActionView):
    model = WorkPlanItem
    form_class = WorkPlanItemForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("Edit a work plan item")
    cancel_url_name = "councils_ws:workplan"
    success_message = gettext_lazy("The work plan item was saved.")
    success_url_name = "councils_ws:workplan_item"
    success_url_pk = "pk"

    def perform(self, form: WorkPlanItemForm) -> WorkPlanItem:
        return services.work_plan_item_update(item=self.object, data=form.to_data())


class WorkPlanItemView(WorkspaceActionView):
    """An item, its status and the records that fulfil it; a writer links another record (POST)."""

    model = WorkPlanItem
    write_required = None  # every member reads the page; linking is a write
    template_name = "workspace/workplan/item.html"
    form_class = WorkPlanLinkForm
    success_message = gettext_lazy("The record was linked to the plan item.")
    success_url_name = "councils_ws:workplan_item"
    success_url_pk = "item_id"

    def perform(self, form: WorkPlanLinkForm) -> WorkPlanLink:
        kind, object_id = form.cleaned_data["record"]
        return services.work_plan_link_add(item=self.object, kind=kind, object_id=object_id)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        item = self.object
        context["item"] = item
        context["result"] = results_for_items([item], council=self.council, today=timezone.localdate())[0]
        context["decided"] = item.status in (WorkPlanStatus.POSTPONED, WorkPlanStatus.CANCELLED)
        return context


class WorkPlanLinkRemoveView(WorkspaceRemoveView):
    """Unlinks a record from its item (the record itself stays). The button posts the link's id again (`link`)."""

    model = WorkPlanLink
    pressed_field, pressed_value = "link", "pk"
    done_message = gettext_lazy("The record was unlinked from the plan item.")
    refused_message = gettext_lazy("Nothing was unlinked: use the button beside the record.")
    back_url_name, back_url_pk = "councils_ws:workplan_item", "item_id"

    def remove(self, record: WorkPlanLink) -> None:
        services.work_plan_link_remove(link=record)


# ---- memoranda -----------------------------------------------------------------------------------------------


class MemorandumListView(WorkspaceListView):
    model = Memorandum
    template_name = "workspace/memoranda/list.html"
    filterset_class = MemorandumFilter
    export_name = "memoranda"
    export_columns = (
        (gettext_lazy("Signed on"), lambda m: m.signed_on),
        (gettext_lazy("Title"), lambda m: m.title),
        (gettext_lazy("Partner"), lambda m: m.partner.name if m.partner else ""),
        (gettext_lazy("Other parties"), lambda m: "; ".join(p.name for p in m.other_parties.all())),
        (gettext_lazy("In force until"), lambda m: m.valid_until),
        (gettext_lazy("Terminated on"), lambda m: m.terminated_on),
        (gettext_lazy("State"), lambda m: MEMORANDUM_STATES[memorandum_state(m, timezone.localdate())]),
        (gettext_lazy("Commitments"), lambda m: len(m.commitments.all())),
        (gettext_lazy("Description"), lambda m: m.description),
    )

    def get_queryset(self) -> QuerySet[Memorandum]:
        return (
            super()
            .get_queryset()
            .select_related("partner")
            .prefetch_related("other_parties", "commitments")
            .order_by("-signed_on", "id")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["rows"] = [(m, MEMORANDUM_STATES[memorandum_state(m, today)]) for m in context["object_list"]]
        return context


class MemorandumCreateView(WorkspaceActionView):
    form_class = MemorandumForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("Add a memorandum")
    cancel_url_name = "councils_ws:memoranda"
    success_message = gettext_lazy("The memorandum was saved.")
    success_url_name = "councils_ws:memorandum_detail"
    success_url_pk = "pk"

    def perform(self, form: MemorandumForm) -> Memorandum:
        return services.memorandum_create(council=self.council, data=form.to_data())


class MemorandumUpdateView(WorkspaceActionView):
    model = Memorandum
    form_class = MemorandumForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("Edit a memorandum")
    cancel_url_name = "councils_ws:memoranda"
    success_message = gettext_lazy("The memorandum was saved.")
    success_url_name = "councils_ws:memorandum_detail"
    success_url_pk = "pk"

    def perform(self, form: MemorandumForm) -> Memorandum:
        return services.memorandum_update(memorandum=self.object, data=form.to_data())


class MemorandumDetailView(WorkspaceActionView):
    """A memorandum, its state and its commitments; a writer adds a commitment (POST)."""

    model = Memorandum
    write_required = None  # every member reads the page; adding a commitment is a write
    template_name = "workspace/memoranda/detail.html"
    form_class = CommitmentForm
    success_message = gettext_lazy("The commitment was saved.")
    success_url_name = "councils_ws:memorandum_detail"
    success_url_pk = "memorandum_id"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)  # the form makes a new commitment of this memorandum
        return kwargs

    def perform(self, form: CommitmentForm) -> MemorandumCommitment:
        return services.memorandum_commitment_add(memorandum=self.object, data=form.to_data())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["view_of"] = memorandum_view(memorandum=self.object, as_of=timezone.localdate())
        context["memorandum"] = self.object
        return context


class CommitmentUpdateView(WorkspaceActionView):
    model = MemorandumCommitment
    form_class = CommitmentForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("Edit a commitment")
    cancel_url_name = "councils_ws:memorandum_detail"
    cancel_url_pk = "memorandum_id"
    success_message = gettext_lazy("The commitment was saved.")
    success_url_name = "councils_ws:memorandum_detail"
    success_url_pk = "memorandum_id"

    def perform(self, form: CommitmentForm) -> MemorandumCommitment:
        return services.memorandum_commitment_update(commitment=self.object, data=form.to_data())
