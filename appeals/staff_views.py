"""The council staff's side of appeals: the inbox, its CSV export, registration from other channels, the
appeal page with its workflow actions, and attachment downloads.

Every view follows one recipe (STYLE.md): the council through the tenant gate (`council_for_user`: 404 for
outsiders, 403 for read-only staff on writes), the appeal inside that council, a small form, the service, a
redirect. A service's ValidationError is shown beside the form that caused it, with what was typed kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access_log import log_personal_data_view
from core.pagination import BoundedPaginator
from core.spreadsheets import XLSX_CONTENT_TYPE
from core.workdays import WorkCalendar
from councils.access import can_write, council_for_user
from councils.models import Council
from councils.workspace import Column, choice_labels, choice_names, export_response

from . import services
from .categories import category_labels, council_localities, inbox_place_counts
from .deadlines import (
    appeal_deadline_explained,
    appeal_forward_deadline_explained,
    forward_due_dates,
    forward_is_overdue,
    is_overdue,
)
from .filters import PAGE_SIZE, AppealFilter, appeals_for_inbox, due_soon_limit
from .models import (
    Appeal,
    AppealAttachment,
    AppealMessage,
    AppealStatus,
    AppealStatusChange,
    ApplicantType,
    Category,
    Channel,
    ExportStatus,
    InboxExport,
)
from .services import OPEN_STATUSES, TRANSITIONS, ApplicantData
from .staff_forms import (
    ActionForm,
    AnswerForm,
    AssignForm,
    BodyAnswerForm,
    CloseForm,
    ExtendForm,
    ForwardForm,
    LeaveForm,
    MergeForm,
    StaffRegistrationForm,
)


def _appeal_in(council: Council, number: str) -> Appeal:
    return get_object_or_404(
        Appeal.objects.select_related("council", "assigned_body", "assignee", "forwarded_to", "merged_into"),
        council=council,
        number=number,
    )


# --- The inbox and its export ------------------------------------------------------------------------------


def _urgency(appeal: Appeal, today: dt.date, soon_limit: dt.date) -> str:
    deadline = appeal.effective_deadline  # type: ignore[attr-defined]
    if is_overdue(status=appeal.status, deadline=deadline, as_of=today):
        return "overdue"
    if appeal.status in OPEN_STATUSES and deadline is not None and deadline <= soon_limit:
        return "due-soon"
    return ""


# The inbox counts matching appeals up to this many (core/pagination.py): past it, "more than …".
INBOX_COUNT_BOUND = 10_000
# A word search counts up to this many, along its GIN index (so the count reads at most this many rows): past
# it the list says "more than 1,000" (nobody reads 40 pages of a search: they add a word or a filter), and the
# pages are read by walking the order's index (`AppealFilter.walk_qs`) rather than sorting every match.
INBOX_SEARCH_COUNT_BOUND = 1_000
# What the inbox's table shows (templates/appeals/staff/inbox.html): the row is read without the applicant's text
# and personal data, which the list never shows.
INBOX_LIST_FIELDS = (
    "council_id",
    "number",
    "year",
    "registered_at",
    "applicant_type",
    "category",
    "locality",
    "subject",
    "status",
    "due_date",
    "extended_until",
    # Related rows come whole (select_related in appeals_for_inbox): a name has a column per language.
    "assigned_body",
    "assignee",
    "forwarded_to",
)


def _detail_urls(council: Council) -> Callable[[str], str]:
    """The address of an appeal's page by its number: the URL reversed once per page, not once per row."""
    marker = "~number~"  # no slug holds a tilde
    template = reverse("appeals_staff:detail", kwargs={"slug": council.slug, "number": marker})
    # Quoted as reverse() quotes a path (a number never holds a slash: the URL's converter refuses one).
    return lambda number: template.replace(marker, quote(number, safe="!$&'()*+,;=~:@"))


@login_required
@require_GET
def inbox(request: HttpRequest, slug: str) -> HttpResponse:
    council = council_for_user(request.user, slug)
    today = timezone.localdate()
    appeal_filter = AppealFilter(request.GET, queryset=appeals_for_inbox(council=council), council=council, today=today)
    matches = appeal_filter.qs
    searching = appeal_filter.searching
    bound = INBOX_SEARCH_COUNT_BOUND if searching else INBOX_COUNT_BOUND
    # A search's count reads the matches' ids (keep_ids): under the bound they are all of them.
    paginator = BoundedPaginator(
        matches.only(*INBOX_LIST_FIELDS), PAGE_SIZE, bound=bound, count_unordered=searching, keep_ids=searching
    )
    if paginator.capped:
        if (walk := appeal_filter.walk_qs()) is not None:
            # Many matches: walk the order's index and test each row, stopping at the page's last (two-step search).
            paginator.read_pages_from(walk.only(*INBOX_LIST_FIELDS))
    elif paginator.ids is not None:
        # Few matches, all found by the count: the page and the place counts read them by their ids.
        matches = appeal_filter.found_qs(paginator.ids)
        paginator.read_pages_from(matches.only(*INBOX_LIST_FIELDS))
    page = paginator.get_page(request.GET.get("page"))
    soon_limit = due_soon_limit(today)
    forward_due = forward_due_dates(page)
    detail_url = _detail_urls(council)
    for appeal in page:
        appeal.detail_url = detail_url(appeal.number)  # type: ignore[attr-defined]
        appeal.urgency = _urgency(appeal, today, soon_limit)  # type: ignore[attr-defined]
        due = forward_due.get(appeal.pk)
        appeal.forward_due = due  # type: ignore[attr-defined]
        appeal.forward_overdue = due is not None and forward_is_overdue(due, today)  # type: ignore[attr-defined]
    context = {
        "council": council,
        "filter": appeal_filter,
        "page": page,
        "can_write": can_write(request.user, council),
        "today": today,
        "category_labels": category_labels(council=council),
        # Translated once for the page's rows (appeals/templatetags/appeal_labels.py).
        "status_labels": choice_names(AppealStatus),
        "applicant_type_labels": choice_names(ApplicantType),
        # Counted only while the matches are few enough to count at all (the paginator's bound).
        "place_counts": None if page.paginator.capped else inbox_place_counts(council=council, appeals=matches),
        "locality_names": {loc.pk: loc.name for loc in council_localities(council=council)},
    }
    return render(request, "appeals/staff/inbox.html", context)


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def inbox_columns() -> tuple[Column, ...]:
    """The case columns of the inbox's export, their choice labels translated once for the whole file."""
    channel, applicant_type = choice_labels(Channel), choice_labels(ApplicantType)
    category, status = choice_labels(Category), choice_labels(AppealStatus)
    return (
        (gettext_lazy("Number"), lambda a: a.number),
        (gettext_lazy("Registered at"), lambda a: timezone.localtime(a.registered_at).strftime("%Y-%m-%d %H:%M")),
        (gettext_lazy("Channel"), lambda a: channel(a.channel)),
        (gettext_lazy("Applicant type"), lambda a: applicant_type(a.applicant_type)),
        (gettext_lazy("Category"), lambda a: category(a.category)),
        (gettext_lazy("Subject"), lambda a: a.subject),
        (gettext_lazy("Place"), lambda a: a.place),
        (gettext_lazy("Status"), lambda a: status(a.status)),
        (gettext_lazy("Deadline"), lambda a: a.effective_deadline),
        (gettext_lazy("Extended until"), lambda a: a.extended_until),
        (gettext_lazy("Commission"), lambda a: a.assigned_body.name if a.assigned_body else ""),
        (gettext_lazy("Assignee"), lambda a: _name(a.assignee)),
        (gettext_lazy("Forwarded to"), lambda a: a.forwarded_to.name if a.forwarded_to else ""),
        (gettext_lazy("Answered on"), lambda a: a.answered_on),
    )


CONTACT_COLUMNS: tuple[Column, ...] = (
    (gettext_lazy("Name"), lambda a: a.applicant_name),
    (gettext_lazy("Organisation"), lambda a: a.organisation),
    (gettext_lazy("BIN/IIN"), lambda a: a.bin_iin),
    (gettext_lazy("E-mail"), lambda a: a.email),
    (gettext_lazy("Phone"), lambda a: a.phone),
    (gettext_lazy("Postal address"), lambda a: a.address),
    # The map point may be the applicant's home: it travels with the contacts, not with the case columns.
    (gettext_lazy("Latitude"), lambda a: a.latitude),
    (gettext_lazy("Longitude"), lambda a: a.longitude),
)


@login_required
@require_GET
def inbox_export(request: HttpRequest, slug: str) -> StreamingHttpResponse | FileResponse:
    """The filtered inbox as CSV (or XLSX with `?format=xlsx`), through the workspace's one exporter.

    Everyone who may read the inbox gets the case columns. The applicant's identity and contacts (name,
    organisation, BIN/IIN, e-mail, phone, postal address) are added only for the secretary and the chair, who
    answer the applicant: a spreadsheet travels further than the workspace, so members get it without them.
    """
    council = council_for_user(request.user, slug)
    columns = inbox_columns() + (CONTACT_COLUMNS if can_write(request.user, council) else ())
    appeal_filter = AppealFilter(request.GET, queryset=appeals_for_inbox(council=council), council=council)
    log_personal_data_view(request, appeal_filter.qs, "export", detail=request.GET.urlencode()[:255])
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    limit = services.inbox_export_sync_rows()
    if fmt == "xlsx" and appeal_filter.qs.order_by()[: limit + 1].count() > limit:
        # Too many rows to build in a request: a task builds the file; its page follows it (inbox_export_*).
        query = request.GET.copy()
        query.pop("format", None)
        export = services.inbox_export_request(
            council=council,
            user=request.user,
            query=query.urlencode(),
            language=get_language(),
            with_contacts=can_write(request.user, council),
        )
        return redirect("appeals_staff:export_status", slug=council.slug, pk=export.pk)
    response = export_response(
        rows=appeal_filter.qs.iterator(chunk_size=1000),
        columns=columns,
        fmt=fmt,
        filename=f"appeals-{council.slug}-{timezone.localdate():%Y-%m-%d}",
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


# How often the page of an export being prepared reloads itself.
EXPORT_REFRESH_SECONDS = 3


def _own_export(request: HttpRequest, slug: str, pk: int) -> tuple[Council, InboxExport]:
    """The export, if the user asked for it in this council (which they may still read): else 404."""
    council = council_for_user(request.user, slug)
    return council, get_object_or_404(InboxExport, pk=pk, council=council, requested_by=request.user)


@login_required
@require_GET
def inbox_export_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A large export's page: "being prepared" (refreshing itself), the download, or why there is none; the
    streamed CSV of the same filter is offered in every case (it needs no worker)."""
    council, export = _own_export(request, slug, pk)
    expired = export.expires_at is not None and export.expires_at <= timezone.now()
    inbox_url = reverse("appeals_staff:inbox", kwargs={"slug": council.slug})
    csv_url = reverse("appeals_staff:export", kwargs={"slug": council.slug})
    context = {
        "council": council,
        "export": export,
        "expired": expired,
        "preparing": export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING),
        "refresh_seconds": EXPORT_REFRESH_SECONDS,
        "csv_url": f"{csv_url}?{export.query}" if export.query else csv_url,
        "inbox_url": f"{inbox_url}?{export.query}" if export.query else inbox_url,
    }
    response = render(request, "appeals/staff/export_status.html", context)
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_GET
def inbox_export_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """The file of a finished export, to the user who asked for it, until it expires."""
    _council, export = _own_export(request, slug, pk)
    expired = export.expires_at is not None and export.expires_at <= timezone.now()
    if export.status != ExportStatus.DONE or not export.file or expired:
        raise Http404
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.file.name.rsplit("/", 1)[-1],
        content_type=XLSX_CONTENT_TYPE,
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- Registration from other channels ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def appeal_register(request: HttpRequest, slug: str) -> HttpResponse:
    council = council_for_user(request.user, slug, write=True)
    status = 200
    if request.method == "POST":
        form = StaffRegistrationForm(request.POST, request.FILES, council=council)
        if form.is_valid():
            data = form.cleaned_data
            try:
                appeal, created = services.appeal_submit(
                    council=council,
                    applicant=ApplicantData(
                        applicant_type=data["applicant_type"],
                        name=data["name"],
                        organisation=data["organisation"],
                        bin_iin=data["bin_iin"],
                        email=data["email"],
                        phone=data["phone"],
                        address=data["address"],
                    ),
                    category=data["category"],
                    locality=data.get("locality"),
                    subject=data["subject"],
                    text=data["text"],
                    place=data["place"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    personal_data_consent=data["personal_data_consent"],
                    attachments=data["attachments"],
                    channel=data["channel"],
                    submission_key=data["submission_key"],
                    registered_by=request.user,
                    received_at=data["received_at"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if created:
                    messages.success(request, _("Appeal %(number)s is registered.") % {"number": appeal.number})
                else:
                    messages.info(
                        request,
                        _("This form was already sent: appeal %(number)s.") % {"number": appeal.number},
                    )
                return redirect("appeals_staff:detail", slug=council.slug, number=appeal.number)
        status = 400
    else:
        form = StaffRegistrationForm(council=council)
    files_lost = request.method == "POST" and bool(request.FILES)
    return render(
        request,
        "appeals/staff/register.html",
        {"council": council, "form": form, "files_lost": files_lost, "can_write": True},
        status=status,
    )


# --- The appeal page and its actions -----------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """One workflow step the appeal page offers: its form, when it applies, and the service it calls."""

    name: str
    title: Promise
    form_class: type[ActionForm]
    applies: Callable[[Appeal], bool]
    run: Callable[..., Appeal]  # the service: called with the appeal, the user and the form's `to_data()`
    done: Promise
    button: Promise


def _leads_to(status: str) -> Callable[[Appeal], bool]:
    return lambda appeal: status in TRANSITIONS[appeal.status]


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action(
            name="assign",
            title=gettext_lazy("Assign to a commission or a member"),
            form_class=AssignForm,
            applies=_leads_to(AppealStatus.ASSIGNED),
            run=services.appeal_assign,
            done=gettext_lazy("The appeal is assigned."),
            button=gettext_lazy("Assign"),
        ),
        Action(
            name="forward",
            title=gettext_lazy("Forward to a state body"),
            form_class=ForwardForm,
            applies=_leads_to(AppealStatus.FORWARDED),
            run=services.appeal_forward,
            done=gettext_lazy("The appeal is forwarded; the applicant is told."),
            button=gettext_lazy("Forward"),
        ),
        Action(
            name="body-answer",
            title=gettext_lazy("Record the state body's answer"),
            form_class=BodyAnswerForm,
            applies=_leads_to(AppealStatus.ANSWER_RECEIVED),
            run=services.appeal_record_body_answer,
            done=gettext_lazy("The state body's answer is recorded."),
            button=gettext_lazy("Record the answer"),
        ),
        Action(
            name="answer",
            title=gettext_lazy("Answer the applicant"),
            form_class=AnswerForm,
            # Offered on a new appeal too: answering takes it (assigns it to the one answering) in the same step.
            applies=lambda appeal: (
                AppealStatus.ANSWERED in TRANSITIONS[appeal.status] or appeal.status == AppealStatus.REGISTERED
            ),
            run=services.appeal_take_and_answer,
            done=gettext_lazy("The answer is sent to the applicant."),
            button=gettext_lazy("Send the answer"),
        ),
        Action(
            name="extend",
            title=gettext_lazy("Extend the deadline"),
            form_class=ExtendForm,
            applies=lambda appeal: appeal.status in OPEN_STATUSES and appeal.extended_until is None,
            run=services.appeal_extend,
            done=gettext_lazy("The deadline is extended; the applicant is told."),
            button=gettext_lazy("Extend"),
        ),
        Action(
            name="merge",
            title=gettext_lazy("Merge into another appeal"),
            form_class=MergeForm,
            applies=_leads_to(AppealStatus.MERGED),
            run=services.appeal_merge,
            done=gettext_lazy("The appeal is merged."),
            button=gettext_lazy("Merge"),
        ),
        Action(
            name="leave",
            title=gettext_lazy("Leave without consideration"),
            form_class=LeaveForm,
            applies=_leads_to(AppealStatus.LEFT_WITHOUT_CONSIDERATION),
            run=services.appeal_leave_without_consideration,
            done=gettext_lazy("The appeal is left without consideration; the applicant is told."),
            button=gettext_lazy("Leave without consideration"),
        ),
        Action(
            name="close",
            title=gettext_lazy("Close"),
            form_class=CloseForm,
            applies=_leads_to(AppealStatus.CLOSED),
            run=services.appeal_close,
            done=gettext_lazy("The appeal is closed."),
            button=gettext_lazy("Close the appeal"),
        ),
    )
}


def _form(action: Action, council: Council, data=None, files=None) -> ActionForm:
    return action.form_class(data, files, council=council, prefix=action.name)


def _detail_context(
    request: HttpRequest, council: Council, appeal: Appeal, bound: tuple[Action, forms.Form] | None = None
) -> dict[str, Any]:
    writer = can_write(request.user, council)
    forms_by_action: list[tuple[Action, forms.Form]] = []
    if writer:
        for action in ACTIONS.values():
            if bound is not None and bound[0] is action:
                forms_by_action.append(bound)
            elif action.applies(appeal):
                forms_by_action.append((action, _form(action, council)))
        # An action refused by the workflow is still shown, with the reason, where it was used.
        if bound is not None and bound not in forms_by_action:
            forms_by_action.insert(0, bound)
    registered_on = timezone.localdate(appeal.registered_at)
    return {
        "council": council,
        "appeal": appeal,
        "can_write": writer,
        "deadline": appeal_deadline_explained(appeal=appeal),
        "forward_deadline": appeal_forward_deadline_explained(appeal=appeal, as_of=timezone.localdate()),
        "extension_limit": WorkCalendar.add_months_capped(registered_on, 2),
        "is_open": appeal.status in OPEN_STATUSES,
        "attachments": appeal.attachments.filter(message__isnull=True).order_by("uploaded_at", "id"),
        "messages_list": appeal.messages.prefetch_related(
            Prefetch("attachments", queryset=AppealAttachment.objects.order_by("id"))
        ),
        "history": AppealStatusChange.objects.filter(appeal=appeal).select_related("changed_by"),
        "merged_here": Appeal.objects.filter(merged_into=appeal).only("number", "subject"),
        "actions": forms_by_action,
        "failed_action": bound[0].name if bound else "",
        "Author": AppealMessage.Author,
        "category_label": category_labels(council=council).get(appeal.category, appeal.category),
    }


@login_required
@require_GET
def appeal_detail(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    council = council_for_user(request.user, slug)
    appeal = _appeal_in(council, number)
    log_personal_data_view(request, appeal, "detail")
    return render(request, "appeals/staff/detail.html", _detail_context(request, council, appeal))


@login_required
@require_POST
def appeal_action(request: HttpRequest, slug: str, number: str, action: str) -> HttpResponse:
    council = council_for_user(request.user, slug, write=True)
    appeal = _appeal_in(council, number)
    step = ACTIONS[action]
    form = _form(step, council, request.POST, request.FILES)
    if form.is_valid():
        try:
            step.run(appeal=appeal, by=request.user, **form.to_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, str(step.done))
            return redirect("appeals_staff:detail", slug=council.slug, number=appeal.number)
    appeal = _appeal_in(council, number)  # as the database has it: the refused change left nothing behind
    context = _detail_context(request, council, appeal, bound=(step, form))
    return render(request, "appeals/staff/detail.html", context, status=400)


@login_required
@require_GET
def attachment_download(request: HttpRequest, slug: str, number: str, attachment_id: int) -> FileResponse:
    """Stream an attachment to the council's staff; the files are never served from a public media URL."""
    council = council_for_user(request.user, slug)
    attachment = get_object_or_404(AppealAttachment, pk=attachment_id, appeal__council=council, appeal__number=number)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    log_personal_data_view(request, attachment.appeal, "attachment", detail=attachment.original_name)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
