"""The stakeholder registry in the workspace, mounted at workspace/<slug:slug>/stakeholders/. Every view goes through
`councils.workspace`: the tenant gate, the object inside the council, the form, the service, the redirect.
Organisations shared by the councils of a network are read here too, never changed: their pages check that the
council owns a record before offering to change it. Contact people are personal data: their pages and exports
announce themselves to the access log (core.access_log)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import generic

from core.access_log import log_personal_data_view
from councils.forms import RecordForm
from councils.models import Partner
from councils.workspace import (
    CouncilScopedMixin,
    WorkspaceActionView,
    WorkspaceListView,
    choice_labels,
)

from . import selectors, services
from .forms import (
    IMPORT_COLUMNS,
    ContactFilter,
    ContactForm,
    GroupForm,
    ImportForm,
    LogEntryForm,
    LogFilter,
    MailOutForm,
    OrganisationFilter,
    OrganisationForm,
)
from .imports import UnreadableFile, read_table, rows_import
from .models import Contact, ContactKind, ContactLogEntry, GroupKind, MailingGroup, MailOut, OrganisationCategory

_category, _log_kind, _group_kind = (
    choice_labels(OrganisationCategory),
    choice_labels(ContactKind),
    choice_labels(GroupKind),
)


def _profile(partner: Partner, attribute: str) -> Any:
    profile = getattr(partner, "stakeholder_profile", None)
    return getattr(profile, attribute) if profile is not None else ""


def _category_of(partner: Partner) -> str:
    return _category(_profile(partner, "category") or OrganisationCategory.OTHER)


# ---- organisations ------------------------------------------------------------------------------------------


class OrganisationListView(WorkspaceListView):
    model = Partner
    template_name = "workspace/stakeholders/organisations.html"
    filterset_class = OrganisationFilter
    export_name = "organisations"
    export_columns = (
        (gettext_lazy("Name (Russian)"), lambda p: p.name_ru),
        (gettext_lazy("Name (Kazakh)"), lambda p: p.name_kk or ""),
        (gettext_lazy("Name (English)"), lambda p: p.name_en or ""),
        (gettext_lazy("Category"), _category_of),
        (gettext_lazy("Sector"), lambda p: _profile(p, "sector")),
        (gettext_lazy("Region"), lambda p: _profile(p, "region")),
        (gettext_lazy("Website"), lambda p: p.website),
        (gettext_lazy("Contact people"), lambda p: p.contact_count),
        (gettext_lazy("Council"), lambda p: p.council.slug),
    )

    def list_queryset(self) -> Any:
        return selectors.organisations_for_workspace(council=self.council)


class OrganisationCreateView(WorkspaceActionView):
    form_class = OrganisationForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("New organisation")
    cancel_url_name = "stakeholders_ws:organisations"
    success_message = gettext_lazy("The organisation was saved.")
    success_url_name = "stakeholders_ws:organisation"
    success_url_pk = "pk"

    def perform(self, form: OrganisationForm) -> Partner:
        return services.organisation_create(council=self.council, data=form.to_data())


class OrganisationUpdateView(WorkspaceActionView):
    model = Partner
    form_class = OrganisationForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("Edit the organisation")
    cancel_url_name = "stakeholders_ws:organisation"
    cancel_url_pk = "pk"
    success_message = gettext_lazy("The organisation was saved.")
    success_url_name = "stakeholders_ws:organisation"
    success_url_pk = "pk"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("stakeholder_profile")

    def perform(self, form: OrganisationForm) -> Partner:
        partner = Partner.objects.get(pk=self.object.pk)
        return services.organisation_update(partner=partner, data=form.to_data())


class OrganisationDetailView(CouncilScopedMixin, generic.TemplateView):
    """An organisation of the council, or one a council of its networks shares with it (read only)."""

    template_name = "workspace/stakeholders/organisation.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        partner = selectors.organisation_visible(council=self.council, pk=kwargs["pk"])
        if partner is None:
            raise Http404
        self.partner = partner
        contacts = selectors.contacts_visible(council=self.council, partner=partner)
        if contacts:
            log_personal_data_view(request, contacts, "detail", detail=f"organisation {partner.pk}")
        return self.render_to_response(self.get_context_data(partner=partner, contacts=contacts))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        partner = kwargs["partner"]
        context["own"] = partner.council_id == self.council.pk
        context["profile"] = getattr(partner, "stakeholder_profile", None)
        context["log"] = ContactLogEntry.objects.filter(partner=partner).select_related("contact", "by", "memorandum")[
            :100
        ]
        return context


class _OwnOrganisationAction(WorkspaceActionView):
    """A page that adds to one of the council's own organisations (`pk` names the organisation)."""

    model = Partner
    template_name = "workspace/_form_page.html"
    cancel_url_name = "stakeholders_ws:organisation"
    cancel_url_pk = "pk"
    success_url_name = "stakeholders_ws:organisation"
    success_url_pk = "partner_id"


class ContactCreateView(_OwnOrganisationAction):
    form_class = ContactForm
    page_title = gettext_lazy("New contact person")
    success_message = gettext_lazy("The contact person was saved.")

    def perform(self, form: ContactForm) -> Contact:
        return services.contact_create(partner=self.object, data=form.to_data())


class LogEntryCreateView(_OwnOrganisationAction):
    form_class = LogEntryForm
    page_title = gettext_lazy("New entry in the contact log")
    success_message = gettext_lazy("The entry was added to the log.")

    def get_initial(self) -> dict[str, Any]:
        return {"date": timezone.localdate()}

    def perform(self, form: LogEntryForm) -> ContactLogEntry:
        return services.log_entry_create(partner=self.object, data=form.to_data(), by=self.request.user)


class ContactUpdateView(WorkspaceActionView):
    model = Contact
    form_class = ContactForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("Edit the contact person")
    success_message = gettext_lazy("The contact person was saved.")
    success_url_name = "stakeholders_ws:organisation"
    success_url_pk = "partner_id"
    cancel_url_name = "stakeholders_ws:organisation"
    cancel_url_pk = "partner_id"

    def perform(self, form: ContactForm) -> Contact:
        contact = Contact.objects.get(pk=self.object.pk)
        return services.contact_update(contact=contact, data=form.to_data())


# ---- contacts and the log, as lists ---------------------------------------------------------------------------


class ContactListView(WorkspaceListView):
    model = Contact
    template_name = "workspace/stakeholders/contacts.html"
    filterset_class = ContactFilter
    export_name = "contacts"
    export_columns = (
        (pgettext_lazy("person", "Name"), lambda c: c.full_name),
        (gettext_lazy("Position"), lambda c: c.position),
        (gettext_lazy("Organisation"), lambda c: c.partner.name_ru),
        (gettext_lazy("E-mail"), lambda c: c.email),
        (gettext_lazy("Phone"), lambda c: c.phone),
        (gettext_lazy("Works there now"), lambda c: c.is_active),
        (gettext_lazy("Unsubscribed from mail-outs"), lambda c: c.unsubscribed_at),
    )

    def list_queryset(self) -> Any:
        return selectors.contacts_for_workspace(council=self.council)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("format") in ("csv", "xlsx"):
            log_personal_data_view(request, self.list_queryset(), "export", detail="stakeholder contacts")
        return super().get(request, *args, **kwargs)


class LogListView(WorkspaceListView):
    model = ContactLogEntry
    template_name = "workspace/stakeholders/log.html"
    filterset_class = LogFilter
    export_name = "contact-log"
    export_columns = (
        (gettext_lazy("Date"), lambda e: e.date),
        (gettext_lazy("What"), lambda e: _log_kind(e.kind)),
        (gettext_lazy("Organisation"), lambda e: e.partner.name_ru),
        (gettext_lazy("Contact person"), lambda e: e.contact.full_name if e.contact else ""),
        (gettext_lazy("Summary"), lambda e: e.summary),
        (gettext_lazy("By"), lambda e: e.by.get_username() if e.by else ""),
    )

    def list_queryset(self) -> Any:
        return selectors.log_for_workspace(council=self.council)


# ---- groups and mail-outs -------------------------------------------------------------------------------------


class GroupListView(WorkspaceListView):
    model = MailingGroup
    template_name = "workspace/stakeholders/groups.html"
    export_name = "mailing-groups"
    export_columns = (
        (pgettext_lazy("title", "Name"), lambda g: g.name),
        (gettext_lazy("Kind"), lambda g: _group_kind(g.kind)),
        (gettext_lazy("Chosen contacts"), lambda g: g.member_count),
    )

    def list_queryset(self) -> Any:
        return selectors.groups_for_workspace(council=self.council)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["mail_outs"] = selectors.mail_outs_for_workspace(council=self.council)[:50]
        return context


class GroupCreateView(WorkspaceActionView):
    form_class = GroupForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("New mailing group")
    cancel_url_name = "stakeholders_ws:groups"
    success_message = gettext_lazy("The group was saved.")
    success_url_name = "stakeholders_ws:groups"

    def perform(self, form: GroupForm) -> MailingGroup:
        return services.group_create(council=self.council, data=form.to_data())


class GroupUpdateView(WorkspaceActionView):
    model = MailingGroup
    form_class = GroupForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("Edit the mailing group")
    cancel_url_name = "stakeholders_ws:groups"
    success_message = gettext_lazy("The group was saved.")
    success_url_name = "stakeholders_ws:groups"

    def perform(self, form: GroupForm) -> MailingGroup:
        group = MailingGroup.objects.get(pk=self.object.pk)
        return services.group_update(group=group, data=form.to_data())


class GroupDeleteView(WorkspaceActionView):
    """GET asks to confirm; POST deletes. Only writers may open it."""

    model = MailingGroup
    form_class = RecordForm
    template_name = "workspace/stakeholders/group_delete.html"
    page_title = gettext_lazy("Delete the mailing group")
    cancel_url_name = success_url_name = "stakeholders_ws:groups"
    success_message = gettext_lazy("The group was deleted; its contact people stay in the registry.")

    def perform(self, form: RecordForm) -> None:
        services.group_delete(group=self.object)


class MailOutCreateView(WorkspaceActionView):
    form_class = MailOutForm
    template_name = "workspace/_form_page.html"
    page_title = gettext_lazy("New mail-out")
    cancel_url_name = "stakeholders_ws:groups"
    success_message = gettext_lazy("The mail-out is queued: one message per contact person.")
    success_url_name = "stakeholders_ws:groups"

    def get_initial(self) -> dict[str, Any]:
        return {"language": translation.get_language() or "ru"}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["intro"] = gettext_lazy(
            "Each contact person of the group gets their own message with a one-click link to unsubscribe; those "
            "who unsubscribed, left their organisation or have no address get nothing."
        )
        return context

    def perform(self, form: MailOutForm) -> MailOut:
        return services.mail_out_send(council=self.council, data=form.to_data(), by=self.request.user)


# ---- import ---------------------------------------------------------------------------------------------------


class ImportView(CouncilScopedMixin, generic.FormView):
    """Organisations and contacts from a CSV or XLSX; the rejected rows are reported by line, column and reason."""

    form_class = ImportForm
    template_name = "workspace/stakeholders/import.html"
    write_required = True

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["council"] = self.council
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["columns"] = IMPORT_COLUMNS
        return context

    def form_valid(self, form: ImportForm) -> HttpResponse:
        try:
            rows = read_table(form.cleaned_data["file"])
        except UnreadableFile as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        result = rows_import(council=self.council, rows=rows)
        context = self.get_context_data(form=ImportForm(council=self.council), result=result)
        return render(self.request, self.template_name, context)

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response
