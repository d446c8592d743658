"""Personal data never reaches a public page, feed, file or API answer, present or future.

A marker is planted in every personal field the portal keeps, as the register of processing declares them
(core/personal_data.py): an appeal's applicant (name, organisation, e-mail, phone, BIN/IIN, address), its place,
map point, subject, text, answer, the applicant's message, an attachment's name and file, a history note; a
person's e-mail and phone; an alert subscriber's e-mail. A test fails when a declared field has no marker planted,
so a new personal field cannot slip past the walk. Then one test walks the whole URL map and takes every public pattern
(everything but the admin, the workspace, the sign-in pages, the language switch and the appeal tracking links,
which show the applicant their own appeal by design). It fills each address from the planted records, opens it
in every language (pages) or as JSON and CSV (the API), and looks for the marker.

A URL keyword the test does not know fails loudly: a new public address must be registered here (in `KWARGS` or
`SEGMENT_OBJECTS`) before it can be merged.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern, RoutePattern
from django.utils import timezone, translation

from alerts.models import Subscription
from alerts.services import CONFIRM_SALT
from appeals.models import Appeal, AppealAttachment, AppealFeedback, AppealMessage
from core.personal_data import register
from councils.models import BodyKind
from monitoring import services as monitoring_services
from monitoring.models import RecommendationStatus
from reports.models import BuildStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

MARKER = "ZXQ-PRIVATE-7731"
DIGITS = "77317731"  # in the phone numbers and the BIN/IIN: a field of digits cannot hold the word
# The appeal's map point, and how a page would print it (a decimal point, or a comma in Russian and Kazakh).
LATITUDE, LONGITUDE = "43.773177", "76.917731"
POINT_NEEDLES = (LATITUDE, LONGITUDE, LATITUDE.replace(".", ","), LONGITUDE.replace(".", ","))
LANGUAGES = [code for code, _name in settings.LANGUAGES]

# Not public, or public by design to the one person they belong to.
EXCLUDED_PREFIXES = ("admin/", "workspace/", "accounts/", "i18n/")
EXCLUDED_NAMES = {
    "appeals:track",  # the applicant's own appeal, behind a secret token
    "api-appeal-track",  # the same, as JSON
    "appeals:withdraw_consent",  # the applicant's own appeal again, behind the same token
    "appeals:feedback",  # the applicant's word on the answer, behind the same token (POST only)
    "appeals:attachment",  # the applicant's own documents, behind the same token
    "deputy_answer_webhook",  # an inbound-mail service's webhook (POST only, behind a shared secret), not a page
}
# Served by Django only with DEBUG on (the web server serves uploads in production): a file store, not a page.
EXCLUDED_ROUTES = (r"^media/",)

KWARG_RE = re.compile(r"<(?:[^>:]+:)?(?P<name>[^>]+)>|\(\?P<(?P<regex_name>[^>]+)>")


@dataclass
class World:
    council: Any
    state_body: Any
    objects: dict[str, Any]
    subscriber: Subscription
    newcomer: Subscription


@pytest.fixture
def world(db) -> World:
    cache.clear()
    state_body = f.StateBodyFactory(slug="almaty-akimat", name="Акимат города Алматы")
    council = f.CouncilFactory(slug="almaty", code="ALM", name="Общественный совет города Алматы")
    convocation = f.ConvocationFactory(council=council, number=2)
    body = f.BodyFactory(convocation=convocation, kind=BodyKind.COMMISSION)
    person = f.PersonFactory(
        council=council, full_name="Демо Член Совета", email=f"{MARKER}@example.kz", phone=f"+7 {DIGITS}"
    )
    f.MembershipFactory(convocation=convocation, person=person)
    f.BodyMembershipFactory(body=body, person=person)
    # Named on the composition page and in the report: the name is public, the contacts are not.
    seat = f.ConsultativeSeatFactory(council=council, person=person, start_date=convocation.start_date)
    meeting = f.MeetingFactory(council=council, body=body)
    f.AgendaItemFactory(meeting=meeting, state_body=state_body)
    hearing = f.PublicHearingFactory(council=council, organiser=body)
    event = f.MonitoringEventFactory(council=council, commission=body)
    f.MonitoringParticipantFactory(event=event, person=person, name="")
    f.PublicityLinkFactory(event=event)
    draft = f.DraftActReviewFactory(council=council, developer=state_body)
    appeal = f.AppealFactory(
        council=council,
        applicant_name=f"Заявитель {MARKER}",
        organisation=f"ТОО {MARKER}",
        bin_iin=f"{DIGITS}1234",
        email=f"{MARKER}@example.kz",
        phone=f"+7 {DIGITS}",
        address=f"ул. {MARKER}, 1",
        place=f"сквер {MARKER}",
        latitude=Decimal(LATITUDE),
        longitude=Decimal(LONGITUDE),
        subject=f"Тема {MARKER}",
        text=f"Текст {MARKER}",
        answer_text=f"Ответ {MARKER}",
        answered_on=timezone.localdate(),
        tracking_token="t" * 40,
    )
    message = AppealMessage.objects.create(
        appeal=appeal, author=AppealMessage.Author.CITIZEN, text=f"Сообщение {MARKER}"
    )
    AppealAttachment.objects.create(
        appeal=appeal,
        message=message,
        file=SimpleUploadedFile(f"{MARKER}.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        original_name=f"Заявление {MARKER}.pdf",
        content_type="application/pdf",
        size=15,
    )
    # A note the applicant is shown (the worst case): a state body's answer recorded in the history.
    answer = appeal.history.create(
        status=appeal.status, changed_at=timezone.now(), note=f"Ответ акимата {MARKER}", visible_to_applicant=True
    )
    AppealFeedback.objects.create(appeal=appeal, answer=answer, resolved=False, reason=f"Не решено {MARKER}")
    recommendation = f.RecommendationFactory(
        council=council,
        state_body=state_body,
        source_type=ContentType.objects.get_for_model(Appeal),
        source_id=appeal.pk,
        status=RecommendationStatus.ANSWERED,
    )
    recommendation.history.create(status=RecommendationStatus.SENT, changed_on=recommendation.issued_on)
    # With a document, so that the walk also downloads it through its public address.
    answer = f.RecommendationResponseFactory(
        recommendation=recommendation,
        document=SimpleUploadedFile("answer.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
    # Information requests (monitoring/public_requests.py): a batch to two holders, one answered with a document
    # and refused, the steps recorded by a staff member whose name must never reach a public page.
    staff = User.objects.create_user(username=f"{MARKER}-staff", first_name=f"Сотрудник {MARKER}", password="x")
    operator = f.StateBodyFactory(slug="almaty-operator", name="ТОО «Оператор»", kind="operator")
    batch = monitoring_services.information_request_batch_create(
        council=council,
        subject="Данные мониторинга атмосферного воздуха",
        text="Просим предоставить данные",
        state_bodies=[state_body, operator],
        by=staff,
    )
    monitoring_services.information_request_batch_send(batch=batch, sent_on=dt.date(2019, 6, 3), by=staff)
    information_request = batch.requests.get(state_body=state_body)
    request_answer = monitoring_services.information_request_record_response(
        information_request=information_request,
        received_on=dt.date(2019, 6, 14),
        text="Отказ: сведения ограниченного доступа",
        document=SimpleUploadedFile("otvet.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        kind="refused",
        refusal_ground="restricted",
        by=staff,
    )
    build = f.ReportBuildFactory(
        council=council,
        status=BuildStatus.DONE,
        is_published=True,
        file=SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
    subscriber = Subscription.objects.create(
        email=f"{MARKER}-reader@example.kz",
        council=council,
        token="s" * 43,
        confirmed_at=timezone.now(),
    )
    newcomer = Subscription.objects.create(email=f"{MARKER}-new@example.kz", state_body=state_body, token="n" * 43)
    # Followers of one item (alerts/follow.py): of the recommendation, confirmed, and of the hearing, not yet. The
    # follow pages and the items' own pages must show neither address.
    Subscription.objects.create(
        email=f"{MARKER}-follower@example.kz",
        council=council,
        item_kind="recommendation",
        item_id=recommendation.pk,
        token="r" * 43,
        confirmed_at=timezone.now(),
    )
    Subscription.objects.create(
        email=f"{MARKER}-hearing@example.kz", council=council, item_kind="hearing", item_id=hearing.pk, token="h" * 43
    )
    # A follower of the state body (recommendations to it), confirmed: kept under no council.
    Subscription.objects.create(
        email=f"{MARKER}-body@example.kz",
        item_kind="state_body",
        item_id=state_body.pk,
        token="b" * 43,
        confirmed_at=timezone.now(),
    )
    # A personal data request, unconfirmed and answered with a file (privacy/): the address, what was asked and
    # the answer are the person's.
    from privacy.models import DataRequest, RequestConfirmation

    RequestConfirmation.objects.create(email=f"{MARKER}-ask@example.kz", kind="correction", details=f"Fix {MARKER}")
    DataRequest.objects.create(
        number="PD-2019-00001",
        kind="correction",
        email=f"{MARKER}-ask@example.kz",
        details=f"Fix {MARKER}",
        council=council,
        received_at=timezone.now(),
        answer=f"Fixed {MARKER}",
        export_file=SimpleUploadedFile(f"{MARKER}.zip", b"PK\x05\x06" + b"\x00" * 18),
    )
    # A memorandum with its signed file and a commitment: all of it public, none of it personal.
    memorandum = f.MemorandumFactory(
        council=council,
        document=SimpleUploadedFile("memo.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
    memorandum.commitments.create(text="Совместный мониторинг", owner="Совет", due_date=event.date)
    # The public work plan names the records that did an item.
    plan_item = f.WorkPlanItemFactory(council=council, year=event.date.year)
    plan_item.links.create(kind="monitoring_event", object_id=event.pk)
    plan_item.links.create(kind="meeting", object_id=meeting.pk)
    # The library, trainings and the consultation log: a consultation names the person consulted, their contact
    # and their matter; only counts of consultations are public.
    document = f.DocumentFactory(
        council=council,
        file=SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        content_type="application/pdf",
        published_on=dt.date(2019, 6, 14),
    )
    training = f.TrainingFactory(council=council, date=document.published_on)
    training.materials.add(document)
    training.partners.add(f.PartnerFactory(council=council))
    f.ConsultationFactory(
        council=council,
        date=document.published_on,
        client_name=f"Гражданин {MARKER}",
        client_contact=f"+7 {DIGITS}",
        notes=f"Жалоба {MARKER} на выбросы",
        referred_to="Департамент экологии",
        outcome="referred",
    )
    # The expert registry: an approved, consenting expert with a staff-only CV (its stored name carries the marker)
    # who took part in the monitoring event, the hearing and the draft review; the public sees the name only.
    expert = f.ExpertAppointmentFactory(council=council, person__full_name="Эксперт Публичный", region="Алматы")
    expert.areas.add(f.ExpertiseAreaFactory(key="ecology"))
    type(expert).objects.filter(pk=expert.pk).update(cv=f"councils/experts/cv/{MARKER}.pdf")
    for kind, record in (("monitoring_event", event), ("hearing", hearing), ("draft_review", draft)):
        expert.engagements.create(kind=kind, object_id=record.pk)
    # A reception with a visitor who has told everything (receptions/): the public page counts them, names no one.
    from receptions.models import Booking, BookingStatus, Reception

    reception = Reception.objects.create(
        council=council, host=person, starts_at=timezone.now() + dt.timedelta(days=2), place_ru="ул. Абая, 10"
    )
    booking = Booking.objects.create(
        reception=reception,
        slot=1,
        category="ecology",
        status=BookingStatus.BOOKED,
        name=f"Посетитель {MARKER}",
        email=f"{MARKER}-visitor@example.kz",
        phone=f"+7 {DIGITS}",
        question=f"Вопрос {MARKER}",
        outcome_note=f"Итог {MARKER}",
        cancel_token="c" * 43,
    )
    # Public participation (participation/): a published comment signed with a pseudonym, one awaiting moderation
    # and one refused, whose texts are not public; a registration to attend; a document and the draft's text.
    from participation.models import HearingDocument, HearingRegistration, PublicComment

    hearing.kind, hearing.project, hearing.operator = "eia", "Карьер", "ТОО «Недра»"
    hearing.comments_open, hearing.comments_close = timezone.localdate(), timezone.localdate()
    hearing.record_published_on = timezone.localdate()
    hearing.save()
    comments = []
    for number, status, text in ((1, "published", "Прошу учесть шум"), (2, "pending", f"Ждёт {MARKER}")):
        comments.append(
            PublicComment.objects.create(
                council=council,
                hearing=hearing,
                number=number,
                author_name=f"Комментатор {MARKER}",
                email=f"{MARKER}-comment@example.kz",
                pseudonym="Эколог",
                text=text,
                status=status,
                outcome="accepted" if status == "published" else "",
            )
        )
    PublicComment.objects.create(
        council=council,
        draft=draft,
        number=3,
        author_name=f"Автор {MARKER}",
        email=f"{MARKER}-draft@example.kz",
        text=f"Отклонён {MARKER}",
        status="rejected",
        rejection_reason=f"Оскорбления {MARKER}",
    )
    HearingRegistration.objects.create(
        hearing=hearing,
        name=f"Участник {MARKER}",
        email=f"{MARKER}-attend@example.kz",
        organisation=f"ОО {MARKER}",
        questions=f"Вопрос {MARKER}",
        token="n" * 43,  # the cancel link's page is walked with the planted newcomer's token
    )
    hearing_document = HearingDocument.objects.create(
        hearing=hearing,
        title="Отчёт о возможных воздействиях",
        file=SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
    draft.draft_file = SimpleUploadedFile("draft.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    draft.save()
    # Deputies (deputies/): a published, answered question whose author's name and e-mail are private, and a
    # published session with a roll call, so that every public page of the app has something to show.
    from deputies import services as deputy_services
    from tests.deputies.world import build as build_deputies

    dw = build_deputies(slug="desenta-privacy")
    question = deputy_services.question_submit(
        deputy=dw.ivanova,
        data=deputy_services.QuestionData(
            author_name=f"Автор {MARKER}",
            author_email=f"{MARKER}-asker@example.kz",
            subject="Освещение",
            text="Когда будет освещение улицы?",
            personal_data_consent=True,
        ),
        language="kk",
    )
    deputy_services.question_moderate(question=question, user=dw.reviewer, publish=True)
    deputy_services.question_answer(question=question, user=dw.office, text="В мае.")
    deputy_session = deputy_services.session_record(
        monitor=dw.ngo,
        user=dw.monitor,
        data=deputy_services.SessionData(
            body=dw.body, number=1, date=dw.convocation.start_date, source_url="https://example.kz/1"
        ),
        attendance={dw.ivanova.pk: "present"},
    )
    deputy_services.vote_record(session=deputy_session, motion="Повестка", ballots={dw.ivanova.pk: "yes"})
    deputy_services.record_publish(record=deputy_session, reviewer=dw.reviewer)
    # The stakeholder registry (stakeholders/): an organisation is public (the open API lists it), its contact
    # person, the log that names them, the media group and a mail-out are not.
    from stakeholders import services as stakeholder_services
    from stakeholders.models import Contact

    organisation = stakeholder_services.organisation_create(
        council=council,
        data=stakeholder_services.OrganisationData(name_ru="Редакция «Вечерний Алматы»", category="media"),
    )
    contact = Contact.objects.create(
        partner=organisation,
        full_name=f"Журналист {MARKER}",
        position=f"Редактор {MARKER}",
        email=f"{MARKER}-press@example.kz",
        phone=f"+7 {DIGITS}",
        notes=f"Пишет об экологии {MARKER}",
    )
    stakeholder_services.log_entry_create(
        partner=organisation,
        data=stakeholder_services.LogEntryData(kind="met", date=event.date, contact=contact, summary="Интервью"),
        by=staff,
    )
    media = stakeholder_services.media_group_get_or_create(council=council)
    stakeholder_services.mail_out_send(
        council=council,
        data=stakeholder_services.MailOutData(group=media, subject="Пресс-релиз", body="Текст пресс-релиза"),
        by=staff,
    )
    # News (news/): a published statement with an image, the records it is about (the meeting, the monitoring
    # event) and a publication in the media.
    from news import services as news_services
    from tests.news.images import png_upload

    news_item = news_services.news_create(
        council=council,
        data=news_services.NewsData(kind="statement", title_ru="Заявление совета", body_ru="Текст заявления."),
    )
    news_image = news_services.news_image_add(
        item=news_item, data=news_services.ImageData(image=png_upload(), alt_ru="Заседание совета")
    )
    news_services.news_link_add(item=news_item, kind="meeting", object_id=meeting.pk)
    news_services.news_link_add(item=news_item, kind="monitoring_event", object_id=event.pk)
    news_services.media_publication_add(
        item=news_item,
        data=news_services.MediaPublicationData(
            outlet="Время", kind="press", published_on=dt.date(2019, 6, 15), url="https://example.kz/news/1"
        ),
    )
    news_services.news_publish(item=news_item, publish_at=timezone.now() - dt.timedelta(hours=1))
    return World(
        council=council,
        state_body=state_body,
        subscriber=subscriber,
        newcomer=newcomer,
        objects={
            "body": body,
            "person": person,
            "seat": seat,
            "meeting": meeting,
            "hearing": hearing,
            "event": event,
            "draft": draft,
            "recommendation": recommendation,
            "state_body": state_body,
            "answer": answer,
            "build": build,
            "memorandum": memorandum,
            "plan_item": plan_item,
            "expert": expert,
            "document": document,
            "training": training,
            "reception": reception,
            "booking": booking,
            "hearing_document": hearing_document,
            "comment": comments[0],
            "deputy_body": dw.body,
            "deputy": dw.ivanova,
            "deputy_session": deputy_session,
            "deputy_question": question,
            "deputy_vote": deputy_session.votes.get(),
            "deputy_mandate": dw.ivanova.mandates.get(),
            "information_request": information_request,
            "request_answer": request_answer,
            "request_batch": batch,
            "organisation": organisation,
            "contact": contact,
            "news_item": news_item,
            "news_image": news_image,
        },
    )


# ---- the URL map ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Public:
    route: str
    name: str
    localized: bool
    kwargs: tuple[str, ...]


def _route_text(pattern: Any) -> str:
    return str(pattern.pattern) if isinstance(pattern.pattern, RoutePattern) else pattern.pattern.regex.pattern


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "", localized: bool = False) -> Iterator[Public]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            is_locale = isinstance(pattern.pattern, LocalePrefixPattern)
            part = "" if is_locale else _route_text(pattern).lstrip("^")
            ns = ":".join(n for n in (namespace, pattern.namespace or "") if n)
            yield from _walk(pattern.url_patterns, prefix + part, ns, localized or is_locale)
        else:
            route = prefix + _route_text(pattern).lstrip("^")
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
            kwargs = tuple(m.group("name") or m.group("regex_name") for m in KWARG_RE.finditer(route))
            yield Public(route=route, name=name, localized=localized, kwargs=kwargs)


def public_patterns() -> list[Public]:
    found = []
    for entry in _walk(get_resolver().url_patterns):
        if entry.route.startswith(EXCLUDED_PREFIXES) or entry.name in EXCLUDED_NAMES:
            continue
        if any(re.match(rx, entry.route) for rx in EXCLUDED_ROUTES):
            continue
        found.append(entry)
    return sorted(found, key=lambda e: (e.route, e.name))


PATTERNS = public_patterns()


# ---- filling an address ----------------------------------------------------------------------------------------

# The record a numeric id names, by the path segment before it ("meetings/<int:pk>/" is a meeting).
SEGMENT_OBJECTS: dict[str, str] = {
    "bodies": "body",
    "commissions": "body",
    "people": "person",
    "members": "person",
    "consultative-seats": "seat",
    "meetings": "meeting",
    "hearings": "hearing",
    "monitoring": "event",
    "monitoring-events": "event",
    "draft-reviews": "draft",
    "recommendations": "recommendation",
    "reports": "build",
    "published-reports": "build",
    "memoranda": "memorandum",
    "experts": "expert",
    "work-plan-items": "plan_item",
    "library": "document",
    "library-documents": "document",
    "trainings": "training",
    "receptions": "reception",
    "public-comments": "comment",
    "deputies": "deputy",
    "deputy-sessions": "deputy_session",
    "deputy-votes": "deputy_vote",
    "mandates": "deputy_mandate",
    "representative-bodies": "deputy_body",
    "information-requests": "information_request",
    "batches": "request_batch",
    "organisations": "organisation",
    "news": "news_item",
    "news-images": "news_image",
    "state-bodies": "state_body",
}


def _segment_before(route: str, kwarg: str) -> str:
    head = re.split(rf"<(?:[^>:]+:)?{kwarg}>|\(\?P<{kwarg}>", route, maxsplit=1)[0]
    segments = [s for s in re.sub(r"[\\^$?]", "", head).split("/") if s]
    return segments[-1] if segments else ""


def _slug(world: World, route: str) -> str:
    segment = _segment_before(route, "slug")
    # The open-data files (/open-data/<council>/<year>.json, /api/v1/popolo/<council>/<year>.json) name a council.
    if segment in ("councils", "open-data", "popolo"):
        return world.council.slug
    if segment == "state-bodies":
        return world.state_body.slug
    pytest.fail(f"{route}: register what <slug> names after «{segment}/» in tests/test_privacy.py")


def _object_id(world: World, route: str, kwarg: str) -> int:
    segment = _segment_before(route, kwarg)
    if segment not in SEGMENT_OBJECTS:
        pytest.fail(f"{route}: register what <{kwarg}> names after «{segment}/» in SEGMENT_OBJECTS")
    return world.objects[SEGMENT_OBJECTS[segment]].pk


KWARGS: dict[str, Callable[[World, str], Any]] = {
    "slug": _slug,
    "pk": lambda w, route: _object_id(w, route, "pk"),
    "id": lambda w, route: _object_id(w, route, "id"),
    "build_id": lambda w, route: w.objects["build"].pk,
    "answer_id": lambda w, route: w.objects["request_answer" if "information-requests" in route else "answer"].pk,
    "document_id": lambda w, route: w.objects["hearing_document"].pk,
    "year": lambda w, route: 2019,
    "body_slug": lambda w, route: w.objects["deputy_body"].slug,
    "deputy_slug": lambda w, route: w.objects["deputy"].slug,
    "session_id": lambda w, route: w.objects["deputy_session"].pk,
    "question_id": lambda w, route: w.objects["deputy_question"].pk,
    # An alert link for the planted newcomer: the confirmation page, then the unsubscribe page, must not show
    # the address they are about.
    "signed": lambda w, route: signing.TimestampSigner(salt=CONFIRM_SALT).sign(w.newcomer.token),
    # … a question author's confirmation and unsubscribe links (deputies/) must not show the author, and a
    # mail-out's unsubscribe page (stakeholders/) names the council, never the contact person.
    "token": lambda w, route: (
        w.objects["deputy_question"].mail_token
        if route.startswith("deputies/questions/")
        else w.objects["contact"].unsubscribe_token
        if "mail-outs" in route
        else w.newcomer.token
    ),
    # A booking's cancel link and its confirmation page: they name the reception, never the visitor.
    "cancel_token": lambda w, route: w.objects["booking"].cancel_token,
}

# Query strings each page is opened with, besides none.
QUERIES: dict[str, list[dict[str, str]]] = {
    "alerts:subscribe": [{"council": "almaty"}, {"state_body": "almaty-akimat"}],
    # A search must not find appeals: ask for the words planted next to the marker.
    "reports:search": [{"q": word} for word in ("Заявитель", "Тема", "Текст", "Ответ", "сквер", "Сообщение")],
    "reports:experts": [{"q": "эколог"}, {"area": "ecology"}, {"language": "ru"}],
    "reports:expert_search": [{"q": "эколог"}, {"q": "Алматы"}],
}
DEFAULT_QUERIES = [{"year": "2019"}, {"council": "almaty"}, {"state_body": "almaty-akimat"}]


def _fill(world: World, entry: Public) -> dict[str, Any]:
    kwargs = {}
    for name in entry.kwargs:
        if name not in KWARGS:
            pytest.fail(f"{entry.route} ({entry.name}): unknown URL keyword <{name}>: register it in KWARGS")
        kwargs[name] = KWARGS[name](world, entry.route)
    return kwargs


def _addresses(world: World, entry: Public) -> Iterator[tuple[str, dict[str, str]]]:
    if not entry.name:
        pytest.fail(f"{entry.route}: a public pattern without a name cannot be checked; name it")
    kwargs = _fill(world, entry)
    queries = [{}, *QUERIES.get(entry.name, DEFAULT_QUERIES)]
    if entry.route.startswith("api/"):
        path = reverse(entry.name, kwargs=kwargs)
        for query in queries:
            for fmt in ("json", "csv", "xlsx"):
                yield path, {**query, "format": fmt}
        return
    for language in LANGUAGES if entry.localized else [settings.LANGUAGE_CODE]:
        with translation.override(language):
            path = reverse(entry.name, kwargs=kwargs)
        for query in queries:
            yield path, query


def _leaks(body: bytes) -> list[str]:
    if body.startswith(b"PK"):  # an XLSX download: a zip, whose text is in its XML parts
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body = b"".join(archive.read(name) for name in archive.namelist())
    text = body.decode("utf-8", errors="replace").lower()
    return [needle for needle in (MARKER.lower(), DIGITS, *POINT_NEEDLES) if needle in text]


def _planted(model, field) -> bool:
    """Some row of the model holds a needle in this field."""
    for value in model._default_manager.values_list(field.name, flat=True):
        text = str(getattr(value, "name", value) or "").lower()
        if MARKER.lower() in text or DIGITS in text or text in POINT_NEEDLES:
            return True
    return False


def test_a_marker_is_planted_in_every_private_field_of_the_register(world):
    """Names published by design (a council member's name, the public record's participants) are not markers:
    every other declared field must carry one, or the walk below would not notice it leaking."""
    private = [entry for entry in register() if not entry.declaration.public]
    assert private, "the register is empty"

    unplanted = [entry.label for entry in private if not _planted(entry.model, entry.field)]

    assert unplanted == [], "plant a marker in these fields in the `world` fixture"


def test_the_walk_covers_the_public_surface():
    names = {entry.name for entry in PATTERNS}

    assert {"reports:home", "reports:council", "alerts:subscribe", "open_api:recommendation-list"} <= names
    assert "open_api:person-detail" in names
    assert {"open_data", "open_data:council_year", "open_data:council_year_popolo", "open_data:bulk"} <= names
    assert "open_data_api:popolo" in names
    assert not any(entry.route.startswith("workspace/") for entry in PATTERNS)


@pytest.mark.parametrize("entry", PATTERNS, ids=[f"{e.name or e.route}" for e in PATTERNS])
def test_no_public_address_shows_personal_data(world, entry):
    client = Client()
    for path, query in _addresses(world, entry):
        cache.clear()  # rate limits
        response = client.get(path, query)
        where = f"{path}?{query}"
        assert response.status_code < 500, f"{where} answered {response.status_code}"
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert not _leaks(body), f"{where} shows personal data"
