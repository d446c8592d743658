"""The workspace pages of recommendations and information requests, and of a state body's answers.

Both kinds of item live one lifecycle (`monitoring.lifecycle`), so their pages are one set of views configured
twice: a list (filters, CSV/XLSX export of the filtered rows, overdue marked by a label), a create and an edit
form, and a detail page with the history, the answers and the actions (send, record an answer, change the status,
and for requests extend the term). Every view goes through the shared machinery of `councils.workspace`: the
tenant gate (404 for outsiders, 403 for read-only staff on writes), the object inside the council, the form, the
service, the redirect; a service's refusal is shown beside the form with what was typed kept.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, TypedDict

import django_filters
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext_lazy as _
from django.views import generic
from django.views.generic.detail import SingleObjectMixin

from core.files import stored_file_download
from councils.forms import DateInput, RecordsChoiceField, request_council_slug
from councils.models import Council, StateBody
from councils.workspace import CouncilObjectMixin, ServiceDataForm, WorkspaceActionView, WorkspaceListView

from . import services
from .access_rules import AccessRule
from .lifecycle import Lifecycle, lifecycle_is_overdue
from .models import (
    INFORMATION_REQUEST_LIFECYCLE,
    RECOMMENDATION_LIFECYCLE,
    RECOMMENDATION_SOURCES,
    AnswerKind,
    DatePrecision,
    InformationRequest,
    InformationRequestBatch,
    InformationRequestStatus,
    MonitoringEvent,
    Recommendation,
    RecommendationStatus,
    RefusalGround,
)
from .selectors import (
    information_requests_for_workspace,
    recommendation_send_limit,
    recommendation_source_choices,
    recommendation_source_get,
    recommendation_source_reference,
    recommendations_for_workspace,
    state_body_response_stats,
    tracked_detail,
)

# ---- forms -------------------------------------------------------------------------------------------------


def _state_bodies():
    return StateBody.objects.order_by("name")


class RecommendationForm(ServiceDataForm, forms.ModelForm):
    """Text, addressee, the day the control ended, and the source: a record of this council, picked from its
    monitoring events, hearings, agenda items and draft reviews, or named by `?source=kind:id`."""

    data_class = services.RecommendationInput

    source = forms.ChoiceField(label=_("Source"), required=False)

    class Meta:
        model = Recommendation
        fields = ["text", "state_body", "issued_on"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6}), "issued_on": DateInput()}
        help_texts = {
            "issued_on": _("The day the control that made it ended: the term to send it counts from this day."),
            "state_body": _("Needed before the recommendation can be sent."),
        }

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.council = council
        self.fields["state_body"].queryset = _state_bodies()
        self.fields["state_body"].label = _("State body")
        choices: list[Any] = [("", _("— none —")), *recommendation_source_choices(council=council)]
        wanted = str(self.data.get("source") or self.initial.get("source") or "")
        offered = {value for _group, options in choices[1:] for value, _label in options}
        if wanted and wanted not in offered:
            # A kind not in the picker (an appeal), or a record named by the page the secretary came from.
            record = recommendation_source_get(council=council, reference=wanted)
            if record is not None:
                kind = RECOMMENDATION_SOURCES[wanted.partition(":")[0]]
                choices.append((str(kind.label), [(wanted, str(record)[:100])]))
        self.fields["source"].choices = choices

    def clean_source(self) -> Any:
        reference = self.cleaned_data["source"]
        if not reference:
            return None
        record = recommendation_source_get(council=self.council, reference=reference)
        if record is None:
            raise forms.ValidationError(_("Choose a record of this council."))
        return record


class InformationRequestForm(ServiceDataForm, forms.ModelForm):
    data_class = services.InformationRequestInput

    class Meta:
        model = InformationRequest
        fields = ["state_body", "organisation", "subject", "text", "rule"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "state_body": _(
                "A state body, a quasi-state company or an operator on file; or leave empty and name the "
                "organisation below."
            ),
            "rule": _(
                "The time limit the holder must answer in: the Law «On access to information», or the Aarhus "
                "Convention for environmental information."
            ),
        }

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state_body"].queryset = _state_bodies()
        self.fields["state_body"].label = _("Holder of the information")


class InformationRequestBatchForm(forms.Form):
    """One request to several holders at once: each gets its own request, followed on its own."""

    subject = forms.CharField(label=_("Subject"), max_length=500)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    rule = forms.ChoiceField(label=_("Time limit rule"), choices=AccessRule.choices, initial=AccessRule.ACCESS_LAW)
    state_bodies = RecordsChoiceField(
        label=_("Holders on file"),
        queryset=StateBody.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisations = forms.CharField(
        label=_("Other organisations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One name a line, for holders not on file."),
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
        self.fields["state_bodies"].queryset = _state_bodies()

    def clean_organisations(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["organisations"].splitlines() if line.strip()]


class ActionForm(ServiceDataForm, forms.Form):
    """The form of one action on an item's page; it knows the item and its lifecycle. Its `to_data()` gives the
    keyword arguments of the kind's service for the action (after the item, before `by`); the fields carry
    their names."""

    def __init__(self, *args: Any, lifecycle: Lifecycle, item: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lifecycle, self.item = lifecycle, item


class SendInput(TypedDict):
    sent_on: dt.date


class ResponseInput(TypedDict):
    received_on: dt.date
    text: str
    document: UploadedFile | None


class StatusInput(TypedDict):
    status: str
    note: str


class ExtendInput(TypedDict):
    reasons: str


class RequestExtendInput(TypedDict):
    reasons: str
    notice_on: dt.date | None


class ClassificationInput(TypedDict):
    kind: str
    refusal_ground: str
    transferred_to: StateBody | None
    transferred_to_name: str


class RequestResponseInput(ResponseInput, ClassificationInput):
    pass


class ClassifyInput(ClassificationInput):
    answer: int


class SendForm(ActionForm):
    data_class = SendInput
    sent_on = forms.DateField(label=_("Sent on"), widget=DateInput(), initial=timezone.localdate)


class ResponseForm(ActionForm):
    data_class = ResponseInput
    received_on = forms.DateField(label=_("Received on"), widget=DateInput(), initial=timezone.localdate)
    text = forms.CharField(label=_("Text of the answer, or its summary"), widget=forms.Textarea(attrs={"rows": 5}))
    document = forms.FileField(
        label=_("Document"), required=False, help_text=_("The answer as received: PDF, JPEG, PNG or DOCX.")
    )


class AnyStatusChoiceField(forms.ChoiceField):
    """Offers the statuses allowed now, but lets any known status through to the service, which says why a
    status cannot follow (a page left open while someone else moved the item on, or a crafted request)."""

    def __init__(self, *args: Any, known: frozenset[str] = frozenset(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.known = known

    def valid_value(self, value: Any) -> bool:
        return str(value) in self.known or super().valid_value(value)


class StatusForm(ActionForm):
    data_class = StatusInput
    status = AnyStatusChoiceField(label=_("New status"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        field.known = frozenset(self.lifecycle.statuses.values)
        field.choices = [(s, self.lifecycle.label(s)) for s in self.lifecycle.manual_targets(self.item.status)]


class ExtendForm(ActionForm):
    data_class = ExtendInput
    reasons = forms.CharField(
        label=_("Reasons for the extension"),
        required=False,  # the service says, in the domain's words, that reasons are required
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RequestExtendForm(ExtendForm):
    """The holder's notice of an extension: when it arrived and the reasons it gives."""

    data_class = RequestExtendInput

    notice_on = forms.DateField(
        label=_("Notice received on"), widget=DateInput(), initial=timezone.localdate, required=False
    )


class _Classification(forms.Form):
    kind = forms.ChoiceField(label=_("Classification of the answer"), choices=[("", "—"), *AnswerKind.choices])
    refusal_ground = forms.ChoiceField(
        label=_("Legal ground of the refusal"),
        choices=[("", "—"), *RefusalGround.choices],
        required=False,
        help_text=_("For a refusal."),
    )
    transferred_to = forms.ModelChoiceField(
        label=_("Transferred to (on file)"),
        queryset=StateBody.objects.none(),
        required=False,
        help_text=_("For a transfer to another holder."),
    )
    transferred_to_name = forms.CharField(label=_("Transferred to (name)"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["transferred_to"].queryset = _state_bodies()


class RequestResponseForm(_Classification, ResponseForm):
    """An answer to a request, classified as it is recorded."""

    data_class = RequestResponseInput

    field_order = ["received_on", "text", "document", "kind", "refusal_ground", "transferred_to", "transferred_to_name"]


class ClassifyForm(_Classification, ActionForm):
    """A council member classifies (or reclassifies) an answer on file."""

    data_class = ClassifyInput

    answer = forms.TypedChoiceField(label=_("Answer"), coerce=int)
    field_order = ["answer", "kind", "refusal_ground", "transferred_to", "transferred_to_name"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer"].choices = [
            (r.pk, f"{r.received_on:%d.%m.%Y} — {r.text[:60]}")
            for r in self.item.responses.order_by("received_on", "id")
        ]


# ---- list filters ------------------------------------------------------------------------------------------


def _addressed_state_bodies(request: HttpRequest | None):
    """The filter's choices: the state bodies this council has addressed (the URL's council, already gated)."""
    slug = request_council_slug(request)
    addressed = Q(recommendations__council__slug=slug) | Q(information_requests__council__slug=slug)
    return StateBody.objects.filter(addressed).distinct().order_by("name")


class _TrackedFilter(django_filters.FilterSet):
    lifecycle: Lifecycle
    state_body = django_filters.ModelChoiceFilter(queryset=_addressed_state_bodies, label=_("State body"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue only"), widget=forms.CheckboxInput)

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        from .lifecycle import lifecycle_overdue_q

        return queryset.filter(lifecycle_overdue_q(self.lifecycle, timezone.localdate()))


class RecommendationFilter(_TrackedFilter):
    lifecycle = RECOMMENDATION_LIFECYCLE
    status = django_filters.ChoiceFilter(choices=RecommendationStatus.choices, label=_("Status"))
    source_kind = django_filters.ChoiceFilter(
        choices=[(kind.key, kind.label) for kind in RECOMMENDATION_SOURCES.values()],
        method="filter_source_kind",
        label=_("Source"),
    )
    year = django_filters.NumberFilter(field_name="issued_on", lookup_expr="year", label=_("Year issued"))

    class Meta:
        model = Recommendation
        fields: list[str] = []

    def filter_source_kind(self, queryset, name, value):
        app_label, model = RECOMMENDATION_SOURCES[value].model_label.lower().split(".")
        return queryset.filter(source_type__app_label=app_label, source_type__model=model)


class InformationRequestFilter(_TrackedFilter):
    lifecycle = INFORMATION_REQUEST_LIFECYCLE
    status = django_filters.ChoiceFilter(choices=InformationRequestStatus.choices, label=_("Status"))
    year = django_filters.NumberFilter(method="filter_year", label=_("Year"))

    class Meta:
        model = InformationRequest
        fields: list[str] = []

    def filter_year(self, queryset, name, value):
        # The year it was sent; a draft counts in the year it was written.
        year = int(value)
        return queryset.filter(sent_on__year=year) | queryset.filter(sent_on__isnull=True, created_at__year=year)


# ---- the two kinds of page, configured --------------------------------------------------------------------


def _draft(lifecycle: Lifecycle, item: Any) -> bool:
    return item.status == lifecycle.draft


def _sent(lifecycle: Lifecycle, item: Any) -> bool:
    return item.status != lifecycle.draft


def _manual(lifecycle: Lifecycle, item: Any) -> bool:
    return bool(lifecycle.manual_targets(item.status))


def _classifiable(lifecycle: Lifecycle, item: Any) -> bool:
    return item.status not in lifecycle.final and item.responses.exists()


def _extendable(lifecycle: Lifecycle, item: Any) -> bool:
    waiting = item.status != lifecycle.draft and item.status not in lifecycle.settled
    return lifecycle.extendable and waiting and item.extended_until is None


@dataclass(frozen=True)
class Action:
    """One action of an item's page. Its form's cleaned data are the keyword arguments of the kind's service
    for it (`sent_on`; `received_on`, `text`, `document`; `reasons`; `status`, `note`)."""

    name: str
    title: Promise
    button: Promise
    form: type[ActionForm]
    available: Callable[[Lifecycle, Any], bool]
    done: Promise


ACTIONS = (
    Action("send", _("Record the sending"), _("Record"), SendForm, _draft, _("The sending was recorded.")),
    Action(
        "respond", _("Record an answer"), _("Record the answer"), ResponseForm, _sent, _("The answer was recorded.")
    ),
    Action("extend", _("Extend the term"), _("Extend"), ExtendForm, _extendable, _("The term was extended.")),
    Action("status", _("Change the status"), _("Change"), StatusForm, _manual, _("The status was changed.")),
    Action(
        "classify",
        _("Classify an answer"),
        _("Classify"),
        ClassifyForm,
        _classifiable,
        _("The answer was classified."),
    ),
)


def _recommendation_extra(item: Recommendation) -> dict[str, Any]:
    return {"source": item.source, "send_limit": recommendation_send_limit(recommendation=item)}


@dataclass(frozen=True)
class Kind:
    """What differs between recommendations and information requests on their pages."""

    lifecycle: Lifecycle
    url: str  # the URL-name stem: "recommendation" gives recommendation_detail, recommendation_send, ...
    list_url: str
    template_dir: str
    selector: Callable[..., Any]  # the council's items, annotated for the overdue condition
    item_kwarg: str  # the services' name for the item
    verbs: dict[str, Callable[..., Any]]  # "create", "update" and each action's name -> its service
    more_context: Callable[[Any], dict[str, Any]] = lambda item: {}
    # An action whose form differs for this kind (a request's answer is classified as it is recorded).
    action_forms: dict[str, type[ActionForm]] = field(default_factory=dict)

    @property
    def actions(self) -> dict[str, Action]:
        return {
            action.name: replace(action, form=self.action_forms.get(action.name, action.form))
            for action in ACTIONS
            if action.name in self.verbs
        }

    def run(self, action: Action, item: Any, data: dict[str, Any], by: Any) -> Any:
        return self.verbs[action.name](**{self.item_kwarg: item}, **data, by=by)


RECOMMENDATIONS = Kind(
    lifecycle=RECOMMENDATION_LIFECYCLE,
    url="recommendation",
    list_url="recommendations",
    template_dir="workspace/recommendations",
    selector=recommendations_for_workspace,
    item_kwarg="recommendation",
    verbs={
        "create": services.recommendation_create,
        "update": services.recommendation_update,
        "send": services.recommendation_send,
        "respond": services.recommendation_record_response,
        "status": services.recommendation_set_status,
    },
    more_context=_recommendation_extra,
)

INFORMATION_REQUESTS = Kind(
    lifecycle=INFORMATION_REQUEST_LIFECYCLE,
    url="request",
    list_url="requests",
    template_dir="workspace/requests",
    selector=information_requests_for_workspace,
    item_kwarg="information_request",
    verbs={
        "create": services.information_request_create,
        "update": services.information_request_update,
        "send": services.information_request_send,
        "respond": services.information_request_record_response,
        "extend": services.information_request_extend,
        "status": services.information_request_set_status,
        "classify": services.information_request_classify_answer,
    },
    action_forms={"respond": RequestResponseForm, "extend": RequestExtendForm},
)


# ---- lists -------------------------------------------------------------------------------------------------


def _yes_no_overdue(lifecycle: Lifecycle) -> Callable[[Any], bool]:
    return lambda item: lifecycle_is_overdue(lifecycle, item, timezone.localdate())


class TrackedListView(WorkspaceListView):
    """The kind's items (its selector, annotated for the overdue condition), the overdue rows of the page marked
    (the label in the template says so in words, not colour only)."""

    kind: Kind

    def list_queryset(self):
        return self.kind.selector(council=self.council)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        for item in context["object_list"]:
            item.is_overdue = lifecycle_is_overdue(self.kind.lifecycle, item, today)
        context["today"] = today
        return context


class RecommendationListView(TrackedListView):
    kind = RECOMMENDATIONS
    model = Recommendation
    template_name = "workspace/recommendations/list.html"
    filterset_class = RecommendationFilter
    export_name = "recommendations"
    export_columns = (
        (_("Issued on"), lambda r: r.issued_on),
        (_("Text"), lambda r: r.text),
        (_("State body"), lambda r: r.state_body.name if r.state_body_id else ""),
        (_("Source"), lambda r: r.source_type.model_class()._meta.verbose_name if r.source_type_id else ""),
        (_("Status"), lambda r: r.get_status_display()),
        (_("Sent on"), lambda r: r.sent_on),
        (_("Response due"), lambda r: r.effective_due_date),
        (_("Answer on file"), lambda r: r.has_response),
        (_("Overdue"), _yes_no_overdue(RECOMMENDATION_LIFECYCLE)),
    )


class InformationRequestListView(TrackedListView):
    kind = INFORMATION_REQUESTS
    model = InformationRequest
    template_name = "workspace/requests/list.html"
    filterset_class = InformationRequestFilter
    export_name = "information-requests"
    export_columns = (
        (_("Subject"), lambda r: r.subject),
        (_("Addressee"), lambda r: r.addressee),
        (_("Status"), lambda r: r.get_status_display()),
        (_("Sent on"), lambda r: r.sent_on),
        (_("Response due"), lambda r: r.response_due),
        (_("Extended until"), lambda r: r.extended_until),
        (_("Answer on file"), lambda r: r.has_response),
        (_("Overdue"), _yes_no_overdue(INFORMATION_REQUEST_LIFECYCLE)),
        (_("Text"), lambda r: r.text),
    )


# ---- detail pages and their actions ------------------------------------------------------------------------


def tracked_context(
    kind: Kind, council: Council, item: Any, bound: ActionForm | None = None, failed: str = ""
) -> dict[str, Any]:
    """The detail page's content, shared by the page itself and by an action whose form was refused."""
    lifecycle = kind.lifecycle
    today, slug = timezone.localdate(), council.slug
    actions = []
    for action in kind.actions.values():
        if action.name == failed and bound is not None:
            form = bound
        elif action.available(lifecycle, item):
            form = action.form(lifecycle=lifecycle, item=item, auto_id=f"id_{action.name}_%s")
        else:
            continue
        url = reverse(f"monitoring_ws:{kind.url}_{action.name}", kwargs={"slug": slug, "pk": item.pk})
        actions.append({"action": action, "form": form, "url": url})
    return {
        "item": item,
        "kind": kind,
        "actions": actions,
        "failed_action": failed,
        "is_overdue": lifecycle_is_overdue(lifecycle, item, today),
        "term": lifecycle.item_term(item).describe(council),
        "edit_url": reverse(f"monitoring_ws:{kind.url}_edit", kwargs={"slug": slug, "pk": item.pk}),
        "answer_document_url": f"monitoring_ws:{kind.url}_answer_document",
        "list_url": reverse(f"monitoring_ws:{kind.list_url}", kwargs={"slug": slug}),
        **tracked_detail(item),
        **kind.more_context(item),
    }


class TrackedDetailView(CouncilObjectMixin, generic.DetailView):
    kind: Kind
    context_object_name = "item"

    def get_queryset(self):
        return self.kind.selector(council=self.council)

    def get_template_names(self) -> list[str]:
        return [f"{self.kind.template_dir}/detail.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(tracked_context(self.kind, self.council, self.object))
        return context


class TrackedActionView(WorkspaceActionView):
    """POST only: one action's form, the service, back to the item's page; refused, the page again with the
    form's errors beside its fields (status 400) and nothing changed."""

    kind: Kind
    http_method_names = ["post"]
    success_url_pk = "pk"

    def get_queryset(self):
        return self.kind.selector(council=self.council)

    def get_template_names(self) -> list[str]:
        return [f"{self.kind.template_dir}/detail.html"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.action = self.kind.actions.get(kwargs["action"])
        if self.action is None:
            raise Http404
        return super().post(request, *args, **kwargs)

    def get_form_class(self) -> type[ActionForm]:
        return self.action.form

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        del kwargs["council"], kwargs["instance"]
        kwargs.update(lifecycle=self.kind.lifecycle, item=self.object, auto_id=f"id_{self.action.name}_%s")
        return kwargs

    def perform(self, form: ActionForm) -> Any:
        self.success_message = self.action.done
        self.kind.run(self.action, self.object, form.to_data(), self.request.user)
        return self.object

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(tracked_context(self.kind, self.council, self.object, kwargs.get("form"), self.action.name))
        return context


class TrackedAnswerDocumentView(CouncilObjectMixin, SingleObjectMixin, generic.View):
    """The document of an answer, for the council's staff (read-only members too): through the tenant gate, never
    from a public media address (nothing serves /media/ in production, and answers to information requests are
    not public)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        item = self.get_object()
        answer = get_object_or_404(item.responses.exclude(document=""), pk=kwargs["answer_id"])
        stem = f"{self.council.slug}-{item.key}-answer-{answer.received_on:%Y-%m-%d}"
        return stored_file_download(answer.document, stem=stem, private=True)


class RecommendationDetailView(TrackedDetailView):
    kind = RECOMMENDATIONS
    model = Recommendation


class RecommendationActionView(TrackedActionView):
    kind = RECOMMENDATIONS
    model = Recommendation
    success_url_name = "monitoring_ws:recommendation_detail"


class RecommendationAnswerDocumentView(TrackedAnswerDocumentView):
    model = Recommendation


class InformationRequestDetailView(TrackedDetailView):
    kind = INFORMATION_REQUESTS
    model = InformationRequest


class InformationRequestActionView(TrackedActionView):
    kind = INFORMATION_REQUESTS
    model = InformationRequest
    success_url_name = "monitoring_ws:request_detail"


class InformationRequestAnswerDocumentView(TrackedAnswerDocumentView):
    model = InformationRequest


# ---- create and edit ---------------------------------------------------------------------------------------


class TrackedFormView(WorkspaceActionView):
    """Create and edit pages: the form's `to_data()` are the keyword arguments of the kind's `create` or `update`
    service; back to the item's page (an edit page's "Cancel" too)."""

    kind: Kind
    template_name = "workspace/_form_page.html"
    success_url_pk = "pk"

    def perform(self, form: RecommendationForm | InformationRequestForm) -> Any:
        by = self.request.user
        if self.object is not None:
            return self.kind.verbs["update"](**{self.kind.item_kwarg: self.object}, **form.to_data(), by=by)
        return self.kind.verbs["create"](council=self.council, **form.to_data(), by=by)


class RecommendationCreateView(TrackedFormView):
    kind = RECOMMENDATIONS
    form_class = RecommendationForm
    page_title = _("New recommendation")
    cancel_url_name = "monitoring_ws:recommendations"
    success_url_name = "monitoring_ws:recommendation_detail"
    success_message = _("The recommendation was saved as a draft. Record the sending when it goes out.")

    def get_initial(self) -> dict[str, Any]:
        reference = self.request.GET.get("source", "")
        initial = {"issued_on": timezone.localdate(), "source": reference}
        if reference:
            record = recommendation_source_get(council=self.council, reference=reference)
            if isinstance(record, MonitoringEvent):
                initial.update(_from_monitoring_event(record, today=timezone.localdate()))
        return initial


def _from_monitoring_event(event: MonitoringEvent, *, today: dt.date) -> dict[str, Any]:
    """What a recommendation made from a monitoring event takes from it: the day the control ended (the event's
    day; for an event known only by its month, the month's last day, never later than today), since the term to
    send it counts from that day, and the recommendations the event recorded, to edit rather than retype."""
    issued_on = event.date
    if event.date_precision == DatePrecision.MONTH:
        last = calendar.monthrange(event.date.year, event.date.month)[1]
        issued_on = min(event.date.replace(day=last), today)
    initial: dict[str, Any] = {"issued_on": issued_on}
    if event.recommendations_summary.strip():
        initial["text"] = event.recommendations_summary.strip()
    return initial


class RecommendationUpdateView(TrackedFormView):
    kind = RECOMMENDATIONS
    model = Recommendation
    form_class = RecommendationForm
    page_title = _("Edit the recommendation")
    success_url_name = cancel_url_name = "monitoring_ws:recommendation_detail"
    cancel_url_pk = "pk"
    success_message = _("The recommendation was saved.")

    def get_initial(self) -> dict[str, Any]:
        return {"source": recommendation_source_reference(self.object)}


class InformationRequestCreateView(TrackedFormView):
    kind = INFORMATION_REQUESTS
    form_class = InformationRequestForm
    page_title = _("New information request")
    cancel_url_name = "monitoring_ws:requests"
    success_url_name = "monitoring_ws:request_detail"
    success_message = _("The request was saved as a draft. Record the sending when it goes out.")


class InformationRequestUpdateView(TrackedFormView):
    kind = INFORMATION_REQUESTS
    model = InformationRequest
    form_class = InformationRequestForm
    page_title = _("Edit the information request")
    success_url_name = cancel_url_name = "monitoring_ws:request_detail"
    cancel_url_pk = "pk"
    success_message = _("The request was saved.")


# ---- a state body's answers to this council ----------------------------------------------------------------


class StateBodyView(TrackedListView):
    """The recommendations this council sent to one state body, with how the body answers (this council's and
    all councils' figures); exportable like any list."""

    kind = RECOMMENDATIONS
    model = Recommendation
    template_name = "workspace/recommendations/state_body.html"
    export_columns = RecommendationListView.export_columns

    @cached_property
    def state_body(self) -> StateBody:
        # Looked up after the tenant gate (dispatch), so an outsider learns nothing from the address.
        return get_object_or_404(StateBody, slug=self.kwargs["body"])

    @property
    def export_name(self) -> str:  # type: ignore[override]
        return f"recommendations-{self.state_body.slug}"

    def list_queryset(self):
        return recommendations_for_workspace(council=self.council).filter(
            state_body=self.state_body, sent_on__isnull=False
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["state_body"] = self.state_body
        context["stats"] = state_body_response_stats(state_body=self.state_body, council=self.council)
        context["stats_all"] = state_body_response_stats(state_body=self.state_body)
        context["requests"] = list(
            information_requests_for_workspace(council=self.council).filter(state_body=self.state_body)[:50]
        )
        return context


# ---- batch requests ----------------------------------------------------------------------------------------


class InformationRequestBatchCreateView(WorkspaceActionView):
    """One request to several holders: a draft request for each, and the batch's page."""

    form_class = InformationRequestBatchForm
    template_name = "workspace/_form_page.html"
    page_title = _("New request to several holders")
    cancel_url_name = "monitoring_ws:requests"
    success_message = _("A draft request was saved for each recipient. Record the sending when they go out.")
    success_url_name = "monitoring_ws:request_batch"
    success_url_pk = "pk"

    def perform(self, form: InformationRequestBatchForm) -> Any:
        data = form.cleaned_data
        return services.information_request_batch_create(
            council=self.council,
            subject=data["subject"],
            text=data["text"],
            rule=data["rule"],
            state_bodies=list(data["state_bodies"]),
            organisations=data["organisations"],
            by=self.request.user,
        )


class BatchSendForm(forms.Form):
    sent_on = forms.DateField(label=_("Sent on"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args: Any, council: Council | None = None, **kwargs: Any) -> None:
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)


class InformationRequestBatchView(CouncilObjectMixin, generic.DetailView):
    """A batch in the workspace: its requests, each with its state, and the sending of those still drafts."""

    model = InformationRequestBatch
    template_name = "workspace/requests/batch.html"
    context_object_name = "batch"

    def get_queryset(self):
        return InformationRequestBatch.objects.filter(council=self.council)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        requests = list(information_requests_for_workspace(council=self.council).filter(batch=self.object))
        today = timezone.localdate()
        for item in requests:
            item.is_overdue = lifecycle_is_overdue(INFORMATION_REQUEST_LIFECYCLE, item, today)
        context["requests"] = requests
        context["drafts"] = sum(1 for r in requests if r.status == INFORMATION_REQUEST_LIFECYCLE.draft)
        context.setdefault("send_form", BatchSendForm())
        return context


class InformationRequestBatchSendView(WorkspaceActionView):
    """POST only: the sending of the batch's drafts, on one day; refused, the batch's page with the error."""

    model = InformationRequestBatch
    http_method_names = ["post"]
    form_class = BatchSendForm
    template_name = "workspace/requests/batch.html"
    success_message = _("The sending was recorded.")
    success_url_name = "monitoring_ws:request_batch"
    success_url_pk = "pk"

    def perform(self, form: BatchSendForm) -> Any:
        services.information_request_batch_send(
            batch=self.object, sent_on=form.cleaned_data["sent_on"], by=self.request.user
        )
        return self.object

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        requests = list(information_requests_for_workspace(council=self.council).filter(batch=self.object))
        context.update(batch=self.object, requests=requests, send_form=kwargs.get("form"))
        context["drafts"] = sum(1 for r in requests if r.status == INFORMATION_REQUEST_LIFECYCLE.draft)
        return context
