"""Every workspace address, present and future, keeps councils apart.

One parametrised test walks the whole URL map and takes every pattern under /workspace/ (this helper's pages, the
other helpers' pages, the appeals staff pages, whatever is added later). For each it fills the address with the
first council's records and checks:

1. anonymous visitors are sent to sign in (GET and POST);
2. the other council's secretary gets 404 on the first council's address (GET and POST);
3. where the address names records, the other council's secretary gets 404 on their *own* council's address
   with the first council's record ids: a record is looked up inside the council of the address.

Object ids are made generically: a URL keyword names a kind of record (`number` an appeal, `attachment_id` its
attachment), and `pk` means the view's own `model`. A keyword the test does not know fails loudly, so a new view
must be registered here before it can be merged.

A page may answer 405 to a method it does not take at all (a POST-only workflow action, a GET-only list): that
tells nothing about a council's data. The methods it does take must give 404.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils import timezone

from tests import factories as f

pytestmark = pytest.mark.django_db

KWARG_RE = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            # The language prefix is left out: the route is read as the project writes it.
            part = "" if isinstance(pattern.pattern, LocalePrefixPattern) else str(pattern.pattern)
            ns = ":".join(n for n in (namespace, pattern.namespace or "") if n)
            yield from _walk(pattern.url_patterns, prefix + part, ns)
        else:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
            yield prefix + str(pattern.pattern), name, pattern


def workspace_patterns() -> list[tuple[str, str, URLPattern]]:
    found = [entry for entry in _walk(get_resolver().url_patterns) if entry[0].startswith("workspace/")]
    # Each appeal workflow action is its own pattern with the same route shape: all are checked.
    return sorted(found, key=lambda entry: (entry[0], entry[1]))


PATTERNS = workspace_patterns()


# ---- records of the first council, made on demand ----------------------------------------------------------


def _appeal_attachment(world: World) -> Model:
    from appeals.models import AppealAttachment

    appeal = world.get("appeals.appeal")
    return AppealAttachment.objects.create(
        appeal=appeal,
        file=SimpleUploadedFile("akt.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        original_name="akt.pdf",
        content_type="application/pdf",
        size=15,
    )


def _information_request(world: World) -> Model:
    model = apps.get_model("monitoring", "InformationRequest")
    return model.objects.create(
        council=world.council,
        key="ir-1",
        organisation="ТОО «Алматы Су»",
        subject="Запрос информации",
        text="Просим предоставить документы",
    )


def _request_batch(world: World) -> Model:
    from monitoring.services import information_request_batch_create

    return information_request_batch_create(
        council=world.council,
        subject="Запрос в районные акиматы",
        text="Просим предоставить документы",
        organisations=["Акимат района 1", "Акимат района 2"],
        by=None,
    )


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def _data_request(world: World) -> Model:
    """A confirmed access request routed to the council (privacy/): it names an appeal's applicant."""
    from privacy.models import DataRequest

    appeal = world.get("appeals.appeal")
    return DataRequest.objects.create(
        number="PD-2019-00001",
        kind="access",
        email=appeal.email or "applicant@example.kz",
        council=world.council,
        received_at=appeal.registered_at,
    )


def _inbox_export(world: World) -> Model:
    """A finished large XLSX export of the inbox, asked for by the council's secretary (only they may open it)."""
    from django.core.files.base import ContentFile

    from appeals.models import ExportStatus, InboxExport
    from councils.models import CouncilStaff

    secretary = CouncilStaff.objects.filter(council=world.council, role="secretary").first().user
    export = InboxExport(
        council=world.council,
        requested_by=secretary,
        language="ru",
        status=ExportStatus.DONE,
        rows=1,
        finished_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    export.file.save("appeals.xlsx", ContentFile(b"PK"), save=False)
    export.save()
    return export


def _invited_staff(world: World) -> Model:
    """A pending invitation (an account with no password yet) in the first council, not a persona's own row: the
    walks post to revoke it."""
    from django.contrib.auth.models import User

    from councils.models import CouncilStaff

    user = User.objects.create_user(username="invited@example.kz", email="invited@example.kz", password=None)
    return CouncilStaff.objects.create(user=user, council=world.council, role="member")


def _report_build(world: World) -> Model:
    return f.ReportBuildFactory(council=world.council)


def _appeal_category(world: World) -> Model:
    from appeals.categories import CategoryData, appeal_category_create

    return appeal_category_create(council=world.council, data=CategoryData(name_ru="Охрана труда", name_en="Labour"))


def _reception(world: World) -> Model:
    import datetime as dt

    from django.utils import timezone

    from receptions.models import Reception

    return Reception.objects.create(
        council=world.council,
        host=world.get("councils.membership").person,
        starts_at=timezone.now() + dt.timedelta(days=3),
        place_ru="ул. Абая, 10",
    )


def _public_comment(world: World) -> Model:
    from participation.models import PublicComment

    hearing = world.get("hearings.publichearing")
    return PublicComment.objects.create(
        council=world.council, hearing=hearing, number=1, author_name="Гражданин", email="c@example.kz", text="Текст"
    )


def _hearing_document(world: World) -> Model:
    from participation.models import HearingDocument

    return HearingDocument.objects.create(
        hearing=world.get("hearings.publichearing"), title="Отчёт о возможных воздействиях", url="https://example.kz/"
    )


def _monitored_body(world: World) -> Model:
    """A maslikhat the first council monitors (deputies/), with one deputy holding a mandate."""
    import datetime as dt

    from deputies.models import BodyConvocation, Deputy, Mandate, MonitoredBody, RepresentativeBody

    body = RepresentativeBody.objects.create(slug="scope-maslikhat", level="city", name_ru="Маслихат", city="pavlodar")
    convocation = BodyConvocation.objects.create(body=body, number=8, name_ru="VIII", start_date=dt.date(2023, 3, 29))
    deputy = Deputy.objects.create(slug="scope-deputy", full_name_ru="Депутат Проверочный")
    Mandate.objects.create(deputy=deputy, convocation=convocation, start_date=convocation.start_date)
    return MonitoredBody.objects.create(council=world.council, body=body)


def _deputy(world: World) -> Any:
    return world.get("deputies.monitoredbody").body.convocations.get().mandates.get().deputy


def _deputies_session(world: World) -> Model:
    from deputies.models import Session

    body = world.get("deputies.monitoredbody").body
    return Session.objects.create(council=world.council, body=body, number=1, date="2024-04-25")


def _deputies_activity(world: World) -> Model:
    from deputies.models import Activity

    return Activity.objects.create(
        council=world.council, deputy=_deputy(world), kind="reception", date="2024-04-25", title="Приём"
    )


def _deputies_promise(world: World) -> Model:
    from deputies.models import Promise

    return Promise.objects.create(council=world.council, deputy=_deputy(world), text="Построить школу")


def _deputies_question(world: World) -> Model:
    from django.utils import timezone

    from deputies.models import Question

    return Question.objects.create(
        council=world.council,
        deputy=_deputy(world),
        author_name="Автор",
        author_email="author@example.kz",
        subject="Тема",
        text="Текст вопроса",
        asked_at=timezone.now(),
        personal_data_consent=True,
    )


def _deputies_inbound_answer(world: World) -> Model:
    from django.utils import timezone

    return world.get("deputies.question").inbound_answers.create(
        text="Ответ депутата", sender="deputy@example.kz", received_at=timezone.now()
    )


def _news_image(world: World) -> Model:
    from news import services as news_services
    from tests.news.images import png_upload

    return news_services.news_image_add(
        item=world.get("news.newsitem"), data=news_services.ImageData(image=png_upload(), alt_ru="Фото")
    )


OBJECT_FACTORIES: dict[str, Callable[[World], Model]] = {
    "deputies.monitoredbody": _monitored_body,
    "deputies.session": _deputies_session,
    "deputies.activity": _deputies_activity,
    "deputies.promise": _deputies_promise,
    "deputies.question": _deputies_question,
    "deputies.inboundanswer": _deputies_inbound_answer,
    # With its signed scan, so that the scan's page has something to serve.
    "hearings.meeting": lambda w: f.MeetingFactory(
        council=w.council, minutes=SimpleUploadedFile("m.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    ),
    "hearings.agendaitem": lambda w: f.AgendaItemFactory(meeting=w.get("hearings.meeting")),
    "hearings.publichearing": lambda w: f.PublicHearingFactory(council=w.council),
    "monitoring.monitoringevent": lambda w: f.MonitoringEventFactory(council=w.council),
    "monitoring.draftactreview": lambda w: f.DraftActReviewFactory(council=w.council),
    "monitoring.recommendation": lambda w: f.RecommendationFactory(council=w.council),
    # Each answer with its document, so that the document's address has something to serve.
    "monitoring.recommendationresponse": lambda w: f.RecommendationResponseFactory(
        recommendation=w.get("monitoring.recommendation"), document=_pdf("answer.pdf")
    ),
    "monitoring.informationrequest": _information_request,
    # A batch with its two draft requests, so that its page lists them and its sending has drafts to send.
    "monitoring.informationrequestbatch": lambda w: _request_batch(w),
    "monitoring.informationrequestresponse": lambda w: w.get("monitoring.informationrequest").responses.create(
        received_on="2019-06-11", text="Информация направлена", document=_pdf("answer.pdf")
    ),
    "councils.body": lambda w: f.BodyFactory(council=w.council, convocation=w.convocation),
    "councils.person": lambda w: f.PersonFactory(council=w.council),
    "councils.membership": lambda w: f.MembershipFactory(convocation=w.convocation, person=w.get("councils.person")),
    "councils.bodymembership": lambda w: f.BodyMembershipFactory(
        body=w.get("councils.body"), person=w.get("councils.membership").person
    ),
    "councils.workplanitem": lambda w: f.WorkPlanItemFactory(council=w.council),
    "councils.workplanlink": lambda w: w.get("councils.workplanitem").links.create(
        kind="monitoring_event", object_id=w.get("monitoring.monitoringevent").pk
    ),
    "councils.memorandum": lambda w: f.MemorandumFactory(council=w.council),
    "councils.memorandumcommitment": lambda w: w.get("councils.memorandum").commitments.create(
        text="Проводить совместные мониторинги", owner="Совет"
    ),
    "councils.consultativeseat": lambda w: f.ConsultativeSeatFactory(
        council=w.council, person=w.get("councils.membership").person
    ),
    "councils.partner": lambda w: f.PartnerFactory(council=w.council),
    # With a CV, so that the CV's address has something to serve.
    "councils.expertappointment": lambda w: f.ExpertAppointmentFactory(council=w.council, cv=_pdf("cv.pdf")),
    "councils.expertdecision": lambda w: w.get("councils.expertappointment").decisions.create(
        status="approved", date="2019-05-16", text="Протокол № 3", document=_pdf("decision.pdf")
    ),
    "councils.expertengagement": lambda w: w.get("councils.expertappointment").engagements.create(
        kind="monitoring_event", object_id=w.get("monitoring.monitoringevent").pk
    ),
    "councils.convocation": lambda w: w.convocation,
    "councils.statebody": lambda w: f.StateBodyFactory(),
    "appeals.appeal": lambda w: f.AppealFactory(council=w.council),
    "appeals.appealattachment": _appeal_attachment,
    # Through the service, which copies the national list in first: the other tests' appeals keep their category.
    "appeals.appealcategory": lambda w: _appeal_category(w),
    "appeals.locality": lambda w: w.council.localities.create(code="medeu", name_ru="Медеуский район"),
    "reports.reportbuild": _report_build,
    "receptions.reception": lambda w: _reception(w),
    "receptions.booking": lambda w: w.get("receptions.reception").bookings.create(
        slot=1, category="ecology", name="Гость", email="guest@example.kz", cancel_token="scope-walk-token"
    ),
    "councils.councilstaff": _invited_staff,
    "appeals.inboxexport": _inbox_export,
    "privacy.datarequest": _data_request,
    # With its file, so that the file's address has something to serve.
    "library.document": lambda w: f.DocumentFactory(
        council=w.council, file=_pdf("report.pdf"), content_type="application/pdf"
    ),
    "outreach.consultation": lambda w: f.ConsultationFactory(council=w.council, client_name="Гражданин"),
    "outreach.training": lambda w: f.TrainingFactory(council=w.council),
    "stakeholders.contact": lambda w: f.ContactFactory(partner=w.get("councils.partner")),
    "stakeholders.mailinggroup": lambda w: f.MailingGroupFactory(council=w.council),
    "participation.publiccomment": lambda w: _public_comment(w),
    "participation.hearingdocument": lambda w: _hearing_document(w),
    "news.newsitem": lambda w: f.NewsItemFactory(council=w.council),
    # With its stored image, so that the image's address has something to serve.
    "news.newsimage": lambda w: _news_image(w),
    "news.newslink": lambda w: w.get("news.newsitem").links.create(
        kind="monitoring_event", object_id=w.get("monitoring.monitoringevent").pk
    ),
    "news.mediapublication": lambda w: f.MediaPublicationFactory(item=w.get("news.newsitem")),
}

# URL keywords that always name the same kind of record: (model label, attribute put in the address).
KWARG_OBJECTS: dict[str, tuple[str, str]] = {
    "number": ("appeals.appeal", "number"),
    "attachment_id": ("appeals.appealattachment", "pk"),
    "request_id": ("privacy.datarequest", "pk"),
}
# Keywords that are not records of a council: the value to use.
PLAIN_KWARGS: dict[str, Any] = {"year": 2019}
# The same, for one address: {"url name": {kwarg: value maker}}.
PLAIN_BY_URL_NAME: dict[str, dict[str, Callable[[World], Any]]] = {
    # State bodies are shared by all councils: the page shows what the council of the address asked of one.
    "monitoring_ws:state_body": {"body": lambda w: w.get("councils.statebody").slug},
}
# A view whose `pk` is not its `model` (or that has none, e.g. a function view): "url name" -> {kwarg: label}.
BY_URL_NAME: dict[str, dict[str, str]] = {
    "workspace:staff_resend": {"pk": "councils.councilstaff"},
    "workspace:staff_revoke": {"pk": "councils.councilstaff"},
    "monitoring_ws:recommendation_answer_document": {"answer_id": "monitoring.recommendationresponse"},
    "monitoring_ws:request_answer_document": {"answer_id": "monitoring.informationrequestresponse"},
    "participation_ws:comment": {"pk": "participation.publiccomment"},
    "participation_ws:document_add": {"pk": "hearings.publichearing"},
    "participation_ws:document_delete": {
        "pk": "hearings.publichearing",
        "document_id": "participation.hearingdocument",
    },
    "participation_ws:registrations": {"pk": "hearings.publichearing"},
    "participation_ws:record": {"pk": "hearings.publichearing"},
    "participation_ws:draft": {"pk": "monitoring.draftactreview"},
    "monitoring_ws:request_batch_send": {"pk": "monitoring.informationrequestbatch"},
    "stakeholders_ws:organisation": {"pk": "councils.partner"},
    "appeals_staff:export_status": {"pk": "appeals.inboxexport"},
    "appeals_staff:export_download": {"pk": "appeals.inboxexport"},
}


# Pages for the council's chair and portal administrators only (inviting staff): the council's secretary gets 403,
# its chair opens them; the walks that post forms sign in as the chair there.
CHAIR_PAGES = frozenset({"workspace:staff_invite", "workspace:staff_resend", "workspace:staff_revoke"})


class World:
    """The first council's records, each made the first time an address needs it."""

    def __init__(self, personas: Any) -> None:
        self.council = personas.council
        self.convocation = personas.council.convocations.get()
        self._made: dict[str, Model] = {}

    def get(self, label: str) -> Model:
        if label not in self._made:
            if label not in OBJECT_FACTORIES:
                pytest.fail(f"No factory for {label}: add one to OBJECT_FACTORIES in {__name__}.")
            self._made[label] = OBJECT_FACTORIES[label](self)
        return self._made[label]


def _model_label(model: type[Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def fill_kwargs(name: str, route: str, pattern: URLPattern, world: World, slug: str) -> tuple[dict[str, Any], bool]:
    """The address's keywords for the first council's records; also whether it names any record."""
    kwargs: dict[str, Any] = {}
    names_records = False
    view_class = getattr(pattern.callback, "view_class", None)
    for match in KWARG_RE.finditer(route):
        kw = match["name"]
        if kw == "slug":
            kwargs[kw] = slug
            continue
        if kw in PLAIN_BY_URL_NAME.get(name, {}):
            kwargs[kw] = PLAIN_BY_URL_NAME[name][kw](world)
            continue
        if kw in PLAIN_KWARGS:
            kwargs[kw] = PLAIN_KWARGS[kw]
            continue
        names_records = True
        if kw in BY_URL_NAME.get(name, {}):
            kwargs[kw] = world.get(BY_URL_NAME[name][kw]).pk
        elif kw in KWARG_OBJECTS:
            label, attr = KWARG_OBJECTS[kw]
            kwargs[kw] = getattr(world.get(label), attr)
        elif kw == "pk" and getattr(view_class, "model", None) is not None:
            kwargs[kw] = world.get(_model_label(view_class.model)).pk
        else:
            pytest.fail(
                f"{name} ({route}): unknown URL keyword {kw!r}. Register it in KWARG_OBJECTS, PLAIN_KWARGS or "
                f"BY_URL_NAME in {__name__}, so that this test can check the page keeps councils apart."
            )
    return kwargs, names_records


def test_the_walk_finds_every_part_of_the_workspace():
    names = {name for _route, name, _pattern in PATTERNS}
    for expected in (
        "workspace:dashboard",
        "appeals_staff:detail",
        "hearings_ws:meeting_detail",
        "hearings_ws:minutes_pdf",
        "monitoring_ws:event_detail",
        "monitoring_ws:draft_edit",
        "councils_ws:members",
        "councils_ws:year_export",
    ):
        assert expected in names


def _assert_hidden(client: Any, url: str) -> None:
    """404 for the methods the page takes; 405 only for a method it does not take at all."""
    statuses = {method: getattr(client, method)(url).status_code for method in ("get", "post")}
    assert set(statuses.values()) <= {404, 405}, f"{url}: {statuses}"
    assert 404 in statuses.values(), f"{url}: {statuses}"


@pytest.mark.parametrize(("route", "name", "pattern"), PATTERNS, ids=[f"{n or r}" for r, n, _p in PATTERNS])
def test_every_workspace_url_keeps_councils_apart(personas, route, name, pattern):
    if not name:
        pytest.fail(f"workspace/{route} has no name: name it so that it can be reversed and checked.")
    world = World(personas)
    mine, _ = fill_kwargs(name, route, pattern, world, personas.council.slug)
    url = reverse(name, kwargs=mine)

    anonymous = personas.client_for(None)
    for method in ("get", "post"):
        response = getattr(anonymous, method)(url)
        assert response.status_code == 302, f"anonymous {method.upper()} {url} gave {response.status_code}"
        assert "/accounts/login/" in response["Location"]

    if "slug" not in mine:
        return  # the council switcher: it lists the user's own councils only
    outsider = personas.client_for(personas.other_secretary)
    _assert_hidden(outsider, url)

    theirs, names_records = fill_kwargs(name, route, pattern, world, personas.other_council.slug)
    if names_records:
        _assert_hidden(outsider, reverse(name, kwargs=theirs))


@pytest.mark.parametrize(("route", "name", "pattern"), PATTERNS, ids=[f"{n or r}" for r, n, _p in PATTERNS])
def test_the_councils_own_secretary_opens_every_workspace_page(personas, route, name, pattern):
    """The other side of the same walk: the pages exist for their own council (no 404, no error)."""
    world = World(personas)
    kwargs, _names_records = fill_kwargs(name, route, pattern, world, personas.council.slug)
    url = reverse(name, kwargs=kwargs)
    if name in CHAIR_PAGES:
        assert personas.client_for(personas.secretary).get(url).status_code in (403, 405), name
        from councils.models import CouncilStaff, StaffRole

        chair = CouncilStaff.objects.create(
            user=get_user_model().objects.create_user(username="chair"), council=personas.council, role=StaffRole.CHAIR
        ).user
        response = personas.client_for(chair).get(url)
    else:
        response = personas.client_for(personas.secretary).get(url)
    # 405: a POST-only action; 302: a page that sends on (the switcher, an export with nothing to export).
    assert response.status_code in (200, 302, 405), f"{name}: {response.status_code}"
