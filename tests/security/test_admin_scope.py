"""The admin as the secretary of council A, with council B (unpublished) holding a record of every kind.

The walk visits every registered admin (and every inline of each): its changelist (rows and list filters), its add
form and the change form of A's record, and asserts that no select offers a record of B (people, convocations,
messages, B's staff accounts) and that a POST carrying B's id in any foreign key (of the main form, of each inline
row, of a new inline row) is refused with an error on that field, the record unchanged (issue 12, finding 2).
An admin or a field the walk cannot classify fails the walk: a new one has to be taught here first.

The secretary holds every permission of the portal's own apps, so the tenant gate alone stands between them and
council B; the third-party admins (accounts, sign-in locks, second factors) stay closed to council staff.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import lxml.html
import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.forms import ModelChoiceField
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from appeals.models import AppealAttachment, AppealFeedback, AppealMessage, AppealStatusChange, InboxExport
from core.admin import PortalRecordAdmin
from core.models import CalendarDay
from councils.access import council_lookup
from councils.admin import ScopedFieldsMixin, ScopedInlineMixin
from councils.models import ConsultativeSeat, Convocation, Council, CouncilStaff, ExpertiseArea, StaffRole, StateBody
from hearings.models import MeetingAttendance
from monitoring.models import (
    InformationRequest,
    InformationRequestBatch,
    InformationRequestResponse,
    InformationRequestStatusChange,
    RecommendationStatusChange,
)
from tests.accounts.helpers import otp_verified_client
from tests.factories import (
    AgendaItemFactory,
    AppealFactory,
    BodyFactory,
    BodyMembershipFactory,
    ConsultativeSeatFactory,
    DraftActReviewFactory,
    ExpertAppointmentFactory,
    MeetingFactory,
    MembershipFactory,
    MemorandumFactory,
    MonitoringEventFactory,
    MonitoringParticipantFactory,
    PersonFactory,
    PublicHearingFactory,
    PublicityLinkFactory,
    RecommendationFactory,
    RecommendationResponseFactory,
    ReportBuildFactory,
    StateBodyFactory,
    UserFactory,
    WorkPlanItemFactory,
)

pytestmark = pytest.mark.django_db

# The portal's own apps: their admins must inherit the scoped bases. Every other registered admin (Django's
# accounts, django-axes, django-otp) must stay closed to council staff.
PORTAL_APPS = {"core", "councils", "hearings", "monitoring", "appeals", "reports", "alerts"}
# Related records that belong to no council and may be offered to every council's staff.
SHARED = {StateBody}

MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label)


@dataclass
class World:
    a: Council
    b: Council
    secretary: User
    records: dict[type[Model], dict[str, Model]]  # model → {"a": A's record, "b": B's record}

    def foreign_ids(self, model: type[Model]) -> set[Any]:
        """The ids of B's records of `model` (for accounts: those of B's staff only): what A must never be offered."""
        if model is User:
            only_b = CouncilStaff.objects.filter(council=self.b).exclude(user__council_roles__council=self.a)
            return set(only_b.values_list("user_id", flat=True))
        if model in SHARED:
            return set()
        lookup = council_lookup(model)
        if lookup is None:
            pytest.fail(f"The walk cannot classify {model._meta.label}: is it a council's, an account or shared?")
        return set(model._default_manager.filter(**{lookup: self.b.pk}).values_list("pk", flat=True))


def _appeal_category(council: Council) -> Model:
    from appeals.categories import CategoryData, appeal_category_create

    return appeal_category_create(council=council, data=CategoryData(name_ru="Охрана труда", name_en="Labour safety"))


def _locality(council: Council) -> Model:
    from appeals.categories import LocalityData, locality_create

    return locality_create(council=council, data=LocalityData(name_ru="Алмалинский район"))


def _records(council: Council, staff: User) -> dict[type[Model], Model]:
    """One record of every council-owned kind in `council`, each inline's parent with a child."""
    convocation = Convocation.objects.get(council=council)
    body = BodyFactory(council=council, convocation=convocation)
    person = PersonFactory(council=council, full_name=f"Член совета {council.code}")
    meeting = MeetingFactory(council=council, body=body)
    event = MonitoringEventFactory(council=council, commission=body)
    state_body = StateBodyFactory()
    recommendation = RecommendationFactory(council=council, state_body=state_body)
    request = InformationRequest.objects.create(
        council=council, key=f"req-{council.code}", subject="Запрос", text="Текст", state_body=state_body
    )
    appeal = AppealFactory(council=council, assigned_body=body, assignee=staff)
    message = AppealMessage.objects.create(appeal=appeal, author="Секретарь", text="Ответ")
    records: list[Model] = [
        council,
        convocation,
        body,
        person,
        MembershipFactory(convocation=convocation, person=person),
        BodyMembershipFactory(body=body, person=person),
        MemorandumFactory(council=council),
        MemorandumFactory(council=council).partner,
        WorkPlanItemFactory(council=council),
        MemorandumFactory(council=council).commitments.create(text="Совместный мониторинг", owner="Совет"),
        WorkPlanItemFactory(council=council).links.create(kind="meeting", object_id=meeting.pk),
        _appeal_category(council),
        _locality(council),
        InformationRequestBatch.objects.create(
            council=council, key=f"batch-{council.code}", subject="Запрос", text="Текст"
        ),
        ConsultativeSeatFactory(council=council, person=person, state_body=state_body),
        CouncilStaff.objects.get(council=council, user=staff),
        meeting,
        AgendaItemFactory(meeting=meeting, state_body=state_body),
        MeetingAttendance.objects.create(meeting=meeting, person=person),
        PublicHearingFactory(council=council, organiser=body),
        event,
        MonitoringParticipantFactory(event=event, person=person),
        PublicityLinkFactory(event=event),
        DraftActReviewFactory(council=council, developer=state_body),
        recommendation,
        RecommendationResponseFactory(recommendation=recommendation),
        RecommendationStatusChange.objects.create(
            recommendation=recommendation, status="sent", changed_on=dt.date(2019, 6, 2), changed_by=staff
        ),
        request,
        InformationRequestResponse.objects.create(
            information_request=request, received_on=dt.date(2019, 7, 1), text="Ответ"
        ),
        InformationRequestStatusChange.objects.create(
            information_request=request, status="sent", changed_on=dt.date(2019, 6, 2), changed_by=staff
        ),
        appeal,
        AppealFactory(council=council, merged_into=appeal, sequence=900 + council.pk),
        message,
        AppealAttachment.objects.create(
            appeal=appeal,
            message=message,
            file=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan", content_type="application/pdf"),
            original_name="scan.pdf",
            content_type="application/pdf",
            size=13,
        ),
        AppealStatusChange.objects.create(
            appeal=appeal, status="registered", changed_at=timezone.now(), changed_by=staff
        ),
        AppealFeedback.objects.create(
            appeal=appeal,
            answer=AppealStatusChange.objects.create(appeal=appeal, status="answered", changed_at=timezone.now()),
            resolved=False,
            reason="Не решено",
        ),
        ExpertAppointmentFactory(council=council, person=person),
        ReportBuildFactory(council=council, requested_by=staff),
    ]
    # The expert registry (councils/expert_services.py): a decision on the appointment and an engagement.
    appointment = records[-2]
    records += [
        appointment.decisions.create(status="approved", date=dt.date(2019, 5, 16), text="Протокол № 3"),
        appointment.engagements.create(kind="meeting", object_id=meeting.pk),
        # A large inbox export waiting for its task (appeals/exports).
        InboxExport.objects.create(council=council, requested_by=staff, language="ru"),
    ]
    return {type(record): record for record in reversed(records)}  # the first record of a kind is kept


@pytest.fixture
def world(personas) -> World:
    a, b = personas.council, personas.other_council
    b.is_published = False
    b.save(update_fields=["is_published"])
    # The walk's secretary holds every permission of the portal's apps: only the tenant gate keeps B from them.
    personas.secretary.user_permissions.set(Permission.objects.filter(content_type__app_label__in=PORTAL_APPS))
    # A second account of B's staff only (a chair), so that "B's staff" is not just one name.
    chair = UserFactory(username="other-chair", is_staff=True)
    CouncilStaff.objects.create(user=chair, council=b, role=StaffRole.CHAIR)
    mine, theirs = _records(a, personas.secretary), _records(b, personas.other_secretary)
    records: dict[type[Model], dict[str, Any]] = {model: {"a": mine[model], "b": theirs[model]} for model in mine}
    # Records of the whole portal: one each, nobody's.
    records[StateBody] = {"a": mine[ConsultativeSeat].state_body, "b": None}
    day, _new = CalendarDay.objects.get_or_create(date=dt.date(2019, 3, 8), defaults={"kind": "holiday"})
    records[CalendarDay] = {"a": day, "b": None}
    # The portal's vocabulary of areas of expertise (the expert registry): seeded by a migration, which a
    # transactional test before this one may have emptied.
    area = ExpertiseArea.objects.first() or ExpertiseArea.objects.create(key="ecology", name_ru="Экология")
    records[ExpertiseArea] = {"a": area, "b": None}
    world = World(a=a, b=b, secretary=personas.secretary, records=records)
    # Every council-owned model has a record in both councils, so that a choice of B's has a chance to show.
    for model in apps.get_models():
        if model._meta.app_label not in PORTAL_APPS or model.__name__.startswith("Historical"):
            continue
        lookup = council_lookup(model)
        if lookup is None or model._meta.label in {"appeals.AppealCounter", "alerts.Subscription"}:
            continue
        for council in (a, b):
            assert model._default_manager.filter(**{lookup: council.pk}).exists(), (
                f"The walk's world has no {model._meta.label} of {council.slug}: add one to _records()"
            )
    return world


# ---- Reading what a page offers -------------------------------------------------------------------------------


def _forms_of(response: Any) -> list[tuple[str, Any]]:
    """(prefix, form) for the main form and every inline form, the empty form included."""
    forms: list[tuple[str, Any]] = [("", response.context["adminform"].form)]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [(form.prefix, form) for form in formset.forms]
        forms.append((formset.empty_form.prefix, formset.empty_form))
    return forms


def _choice_fields(form: Any) -> list[tuple[str, ModelChoiceField]]:
    return [(name, field) for name, field in form.fields.items() if isinstance(field, ModelChoiceField)]


def _assert_offers_nothing_of_b(world: World, where: str, response: Any) -> None:
    assert world.b.name not in response.content.decode(), f"{where} names council B"
    for prefix, form in _forms_of(response):
        for name, field in _choice_fields(form):
            offered = set(field.queryset.values_list("pk", flat=True))
            leaked = offered & world.foreign_ids(field.queryset.model)
            assert not leaked, f"{where}: {prefix or 'form'}.{name} offers B's {field.queryset.model.__name__} {leaked}"


def _post_data(response: Any) -> dict[str, list[str]]:
    """What a browser submits from the page's admin form, untouched (the empty inline template left out)."""
    # Decoded as the page says (UTF-8): lxml would read bytes without a declared charset as Latin-1.
    page = lxml.html.fromstring(response.content.decode(response.charset or "utf-8"))
    (form,) = [f for f in page.forms if (f.get("id") or "").endswith("_form")]
    data: dict[str, list[str]] = {}
    for name, value in form.form_values():
        if "__prefix__" not in name:
            data.setdefault(name, []).append(value)
    data["_save"] = ["Save"]
    return data


def _field_errors(response: Any, prefix: str, name: str) -> list[str]:
    if not prefix:
        return list(response.context["adminform"].form.errors.get(name, []))
    for inline in response.context["inline_admin_formsets"]:
        for form in inline.formset.forms:
            if form.prefix == prefix:
                return list(form.errors.get(name, []))
    pytest.fail(f"no inline form {prefix} on the page")


def _foreign_keys(world: World, response: Any) -> list[tuple[str, str, ModelChoiceField, Any]]:
    """(prefix, field name, field, B's id) for every related field of the page whose model B has records of,
    including one new row of each inline (the `__prefix__` of its empty form, numbered as the browser would)."""
    targets = []
    forms = [("", response.context["adminform"].form)]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [(form.prefix, form) for form in formset.forms]
        forms.append((formset.add_prefix(len(formset.forms)), formset.empty_form))
    for prefix, form in forms:
        for name, field in _choice_fields(form):
            foreign = world.foreign_ids(field.queryset.model)
            if foreign:
                targets.append((prefix, name, field, min(foreign)))
    return targets


def _submit_foreign_ids(world: World, client: Client, url: str, response: Any, count: Any) -> int:
    """POST the page once per related field with B's id in it: each is refused on that field, nothing saved."""
    base = _post_data(response)
    before = count()
    targets = _foreign_keys(world, response)
    for prefix, name, _field, foreign_id in targets:
        data = {key: list(values) for key, values in base.items()}
        key = f"{prefix}-{name}" if prefix else name
        if prefix and key not in data and "-" in prefix:
            # A new inline row: the formset counts one more form.
            total = f"{prefix.rsplit('-', 1)[0]}-TOTAL_FORMS"
            data[total] = [str(int(data[total][0]) + 1)]
        data[key] = [str(foreign_id)]
        refused = client.post(url, data)
        assert refused.status_code == 200, f"{url}: {key}={foreign_id} (B's) was accepted"
        errors = _field_errors(refused, prefix, name)
        assert errors, f"{url}: {key}={foreign_id} (B's) raised no error on the field"
    assert count() == before, f"{url}: a POST with B's id changed the records"
    return len(targets)


# ---- The walk -------------------------------------------------------------------------------------------------


def _url(model: type[Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _snapshot(world: World, model: type[Model]) -> Any:
    """Every row of A's record and its children, to prove a refused POST changed nothing."""
    record = world.records[model]["a"]
    model_admin = admin.site._registry[model]
    rows = [tuple(model._default_manager.filter(pk=record.pk).values_list())]
    for inline in model_admin.inlines:
        link = next(
            f.name
            for f in inline.model._meta.concrete_fields
            if f.many_to_one and f.related_model is model and not f.null
        )
        rows.append(tuple(inline.model._default_manager.filter(**{link: record}).order_by("pk").values_list()))
    return rows


@pytest.mark.parametrize("model", MODELS, ids=[m._meta.label for m in MODELS])
def test_admin_offers_and_accepts_nothing_of_another_council(world, model, rf):
    model_admin = admin.site._registry[model]
    client = Client()
    client.force_login(world.secretary)
    changelist = client.get(_url(model, "changelist"))

    if model._meta.app_label not in PORTAL_APPS:
        assert changelist.status_code == 403, f"{model._meta.label}'s admin opens for a council's secretary"
        return
    assert isinstance(model_admin, ScopedFieldsMixin | PortalRecordAdmin), (
        f"{type(model_admin).__name__} inherits neither CouncilScopedAdmin nor SharedRecordAdmin: the walk "
        "cannot classify it"
    )
    for inline in model_admin.inlines:
        assert issubclass(inline, ScopedInlineMixin), f"{inline.__name__} skips the scoped inline base"
    if changelist.status_code == 403:
        return  # the operator's records (the outbox, subscriptions): closed to council staff

    # 1. The changelist: no row of B, and its related filters list nothing of B.
    assert changelist.status_code == 200
    cl = changelist.context["cl"]
    if council_lookup(model) is not None:
        assert not {r.pk for r in cl.result_list} & world.foreign_ids(model), f"{model._meta.label} lists B's rows"
    assert world.b.name not in changelist.content.decode(), f"{model._meta.label}'s changelist names council B"
    for spec in cl.filter_specs:
        field = getattr(spec, "field", None)
        if field is not None and field.is_relation:
            offered = {pk for pk, _label in spec.lookup_choices}
            assert not offered & world.foreign_ids(field.related_model), f"the {spec.title} filter lists B's"

    # 2. The add form offers nothing of B and refuses B's ids.
    add = client.get(_url(model, "add"))
    if add.status_code == 200:
        _assert_offers_nothing_of_b(world, f"{model._meta.label} add", add)
        _submit_foreign_ids(world, client, _url(model, "add"), add, model._default_manager.count)
    else:
        assert add.status_code == 403

    # 3. A's record: its change form (and inlines) likewise; the untouched form saves, B's ids do not.
    if model not in world.records:
        pytest.fail(f"The walk's world has no record of {model._meta.label}: add one to _records()")
    record = world.records[model]["a"]
    url = _url(model, "change", record.pk)
    change = client.get(url)
    assert change.status_code == 200
    _assert_offers_nothing_of_b(world, f"{model._meta.label} change", change)
    request = rf.get(url)
    request.user = world.secretary
    if not model_admin.has_change_permission(request, record):
        return  # view only (state bodies, the calendar): nothing to submit
    before = _snapshot(world, model)
    _submit_foreign_ids(world, client, url, change, lambda: _snapshot(world, model))
    assert _snapshot(world, model) == before
    # The same page, untouched, is accepted: the refusals above are the foreign ids', not a broken form.
    assert client.post(url, _post_data(change)).status_code == 302

    # 4. B's record is not there for A's secretary.
    if world.records[model]["b"] is not None:
        assert client.get(_url(model, "change", world.records[model]["b"].pk)).status_code != 200


def test_the_walk_submits_a_foreign_id_in_every_inline(world):
    """The walk above is not vacuous: the appeal's page alone has B's ids to try in the main form and in each inline
    (an attachment's message, a status change's author, a new row of each)."""
    client = Client()
    client.force_login(world.secretary)
    record = next(r["a"] for m, r in world.records.items() if m._meta.label == "appeals.Appeal")
    page = client.get(_url(type(record), "change", record.pk))
    keys = {f"{prefix}-{name}" if prefix else name for prefix, name, _f, _id in _foreign_keys(world, page)}
    assert {"council", "assignee", "assigned_body", "merged_into"} <= keys
    assert any(k.endswith("-message") for k in keys) and any(k.endswith("-changed_by") for k in keys)


def test_attachment_offers_only_its_own_appeals_messages(world):
    """Even within one council, an attachment picks among its own appeal's messages: another appeal's are
    another citizen's correspondence."""
    appeal = next(r["a"] for m, r in world.records.items() if m._meta.label == "appeals.Appeal")
    other = AppealFactory(council=world.a, sequence=777)
    AppealMessage.objects.create(appeal=other, author="Секретарь", text="Другому заявителю")
    client = Client()
    client.force_login(world.secretary)
    page = client.get(_url(type(appeal), "change", appeal.pk))
    for _prefix, form in _forms_of(page):
        if "message" in form.fields:
            offered = set(form.fields["message"].queryset.values_list("appeal_id", flat=True))
            assert offered <= {appeal.pk}


# ---- Shared records: state bodies ------------------------------------------------------------------------------


def test_secretary_cannot_change_a_state_body(world):
    state_body = StateBodyFactory(name="Управление образования")
    client = Client()
    client.force_login(world.secretary)
    url = _url(StateBody, "change", state_body.pk)
    page = client.get(url)
    assert page.status_code == 200  # they may look at it
    assert 'name="name"' not in page.content.decode()  # but there is nothing to edit
    response = client.post(url, {"slug": state_body.slug, "name": "Переименовано", "kind": "other"})
    assert response.status_code == 403
    assert client.post(_url(StateBody, "delete", state_body.pk), {"post": "yes"}).status_code == 403
    assert client.get(_url(StateBody, "add")).status_code == 403
    state_body.refresh_from_db()
    assert state_body.name == "Управление образования"


def test_administrator_changes_a_state_body(world, client):
    state_body = StateBodyFactory(name="Управление образования")
    operator = User.objects.create_superuser("operator", "operator@example.kz", "not-a-real-password")
    client = otp_verified_client(client, operator)
    page = client.get(_url(StateBody, "change", state_body.pk))
    data = _post_data(page)
    data["name"] = ["Управление образования и науки"]
    data["name_ru"] = ["Управление образования и науки"]  # the official Russian name, beside the translated ones
    assert client.post(_url(StateBody, "change", state_body.pk), data).status_code == 302
    state_body.refresh_from_db()
    assert state_body.name == "Управление образования и науки"


# ---- The gate's classification --------------------------------------------------------------------------------


def test_council_lookup_agrees_with_the_audit_registry():
    """The admin reads a record's council from its foreign keys; the audit trail declares it by hand: they agree."""
    from councils.audit import audited_models

    for audited in audited_models():
        assert council_lookup(audited.model) == audited.council_path, audited.label


def test_gate_refuses_to_scope_a_model_it_cannot_classify(personas):
    from django.contrib.auth.models import Group
    from django.core.exceptions import ImproperlyConfigured

    from councils.access import scope_to_councils

    with pytest.raises(ImproperlyConfigured):
        scope_to_councils(Group.objects.all(), Council.objects.filter(id=personas.council.id))


def test_an_inline_that_skips_the_scoped_base_stops_the_site():
    from councils.admin import CouncilScopedAdmin
    from councils.models import Body, BodyMembership

    class PlainSeats(admin.TabularInline):
        model = BodyMembership

    class Careless(CouncilScopedAdmin):
        inlines = [PlainSeats]

    errors = Careless(Body, admin.site).check()
    assert [e.id for e in errors] == ["councils.E001"]


def test_a_former_secretary_stays_on_the_records_they_signed(world):
    """Scoping accounts to today's staff must not wipe who changed a status: a former secretary, no longer
    staff anywhere, stays the author of their status change when the appeal is saved."""
    appeal = next(r["a"] for m, r in world.records.items() if m._meta.label == "appeals.Appeal")
    former = UserFactory(username="former-secretary")
    change = AppealStatusChange.objects.create(
        appeal=appeal, status="registered", changed_at=timezone.now(), changed_by=former
    )
    client = Client()
    client.force_login(world.secretary)
    url = _url(type(appeal), "change", appeal.pk)
    page = client.get(url)
    assert client.post(url, _post_data(page)).status_code == 302
    change.refresh_from_db()
    assert change.changed_by == former
