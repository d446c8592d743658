"""The record kinds of the `oversight.council-activity/4` file (docs/council-activity-format.md), declared once.

Each kind says which model its records are, the natural key that names a record in the file, how each file field
maps to the model's (dates, choices, translated names, references to other records by key) and which lists nest in
it. The import (`services.py`), the export (`selectors.py`) and the checks after the JSON Schema (`validation.py`:
unique keys, references that resolve, numbers and addresses the database would refuse) are driven by these
declarations; what they say by hand is only the rules no declaration carries (the order rows are written in, the
seats that must not overlap, an appeal's registration time).

Adding a field to a kind is one line here (or none: see below), one in the JSON Schema and one in the format's
documentation. The vocabulary (`Value`, `Day`, `Translated`, `Ref`, `RecordKind`) is in `core.record_spec`.

How a new app adds its records to the file
-------------------------------------------
An app below `interchange` in the layers of pyproject.toml (a later `deputies` or `library` app) must not import
`interchange`, and `interchange` must not import it. It declares its kinds with `core.record_spec` and registers them
from its `AppConfig.ready()`:

    # deputies/apps.py
    class DeputiesConfig(AppConfig):
        name = "deputies"

        def ready(self) -> None:
            from core.record_spec import Day, Ref, RecordKind, Value, exclude, register

            register(
                RecordKind(
                    "deputy_report", "deputies.DeputyReport", "deputy_reports",
                    fields=(Value("key"), Value("title"), Day("date", required=True), Ref("commission", "body"),
                            Value("demo", attr="is_demo", default=False)),
                    order=("date", "key"), missing=_("no deputy report with key %(value)s"), summary="deputy_reports",
                )
            )
            exclude("deputies.DeputyDraft", "a working draft, never published")

A kind registered after these ones is written after them and may refer to any of them by name ("body", "person",
"state_body", ...). The import upserts its records by key (or by `natural_key`) and makes its nested keyless lists
the file's, the export writes the year's records (those whose first `Day` field, or `year_attr`, falls in the
year; every record of the council for a kind without a date; with `follows`, those on a record of the file) in
`order`, with `where` choosing which rows the file carries at all, and the checks report a duplicate key or a
reference that does not resolve with its `$.path`. `KINDS_3` below is written that way: format /3's kinds have no
line of their own in services.py or selectors.py. The JSON Schema is the format's contract, made from these
declarations for what /3 added (interchange/schema_build.py): a new top-level list is a new property of it (and so
a new version of the format when files must stay readable by older portals). Every council-owned model
(councils/ownership.py) is either a kind here or left out with `exclude(label, reason)`:
tests/interchange/test_spec.py fails otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Model, Q
from django.utils.translation import gettext_lazy as _

from core.record_spec import (
    Day,
    ExportKeys,
    FileField,
    ImportRefs,
    JsonList,
    Moment,
    Record,
    RecordKind,
    Ref,
    RefList,
    Translated,
    TypedRef,
    Value,
    covered_models,
    exclude,
    kind,
    register,
)
from councils.ownership import CouncilOwned
from monitoring.models import RECOMMENDATION_SOURCES

# The languages a translated field has in the file besides Russian, each written `<field>_<language>`. The one list
# of languages not read from settings.LANGUAGES (core/languages.py): the file format names these keys in its JSON
# Schema, so a file means the same on every portal; another language is another version of the format.
FILE_LANGUAGES = ("kk", "en")

# Appeals are registered in Almaty time whatever the server's TIME_ZONE says; the file carries the local day.
ALMATY = ZoneInfo("Asia/Almaty")
# An imported appeal has a registration day but no time: 10:00 local is inside office hours on any day.
APPEAL_REGISTRATION_TIME = dt.time(10, 0)


def _name(name: str) -> Translated:
    return Translated(name, FILE_LANGUAGES, fallback=True)


def _text(name: str) -> Translated:
    return Translated(name, FILE_LANGUAGES)


def _optional(name: str) -> Value:
    return Value(name, default="")


DEMO = Value("demo", attr="is_demo", default=False)
_DEPUTIES = "the deputies' monitoring has its own open lists and Popolo export (deputies/), not this file"
_FILE = "an uploaded document: the file carries text, not files"
_PERSONAL = "the applicant's personal data never leaves the workspace"
_APPEAL_PERSONAL = (
    "applicant_name",
    "organisation",
    "bin_iin",
    "email",
    "phone",
    "address",
    "place",
    "latitude",
    "longitude",
    "subject",
    "text",
    "answer_text",
    "personal_data_consent",
    "consent_withdrawn_at",
)


def _since3_day(name: str) -> Day:
    """A date format /3 added to a kind of /2: a /2 file leaves it as it is."""
    return Day(name, keep_if_missing=True)


def _since3_text(name: str) -> Value:
    """A text format /3 added to a kind of /2: a /2 file leaves it as it is (or one /4 added: an older file does)."""
    return Value(name, default="", keep_if_missing=True)


_COMMENTER = "who wrote a public comment: personal data never leaves the workspace"


def _settings(*names: str) -> dict[str, str]:
    return {name: "a setting of the portal's deadlines and reports, not the council's activity" for name in names}


KEY = Value("key")


class MeetingTime(FileField):
    """A meeting's start time ("HH:MM", the schema checked its shape) and its duration, which needs a start. A file
    written before the fields existed leaves them out, and its import leaves the time on file alone."""

    name = "start_time"

    def read(self, record: Record, refs: ImportRefs, current: Model | None) -> Record:
        if "start_time" not in record:
            return {}
        start = dt.time.fromisoformat(record["start_time"]) if record["start_time"] else None
        return {"start_time": start, "duration_minutes": record.get("duration_minutes") if start else None}

    def write(self, obj: Model, keys: ExportKeys) -> Record:
        start: dt.time | None = getattr(obj, "start_time")  # noqa: B009 - any Model, typed for mypy
        return {
            "start_time": start.strftime("%H:%M") if start is not None else None,
            "duration_minutes": getattr(obj, "duration_minutes") if start is not None else None,  # noqa: B009
        }

    def file_names(self) -> tuple[str, ...]:
        return ("start_time", "duration_minutes")

    def defaults(self) -> Record:
        return {"start_time": None, "duration_minutes": None}

    def model_attrs(self) -> tuple[str, ...]:
        return ("start_time", "duration_minutes")


class AppealNumber(FileField):
    """`<council code>-<year>-<sequence>`: the number, and the year and sequence it is made of."""

    name = "number"

    def read(self, record: Record, refs: ImportRefs, current: Model | None) -> Record:
        _code, year, sequence = record["number"].split("-")
        return {"number": record["number"], "year": int(year), "sequence": int(sequence)}

    def write(self, obj: Model, keys: ExportKeys) -> Record:
        return {"number": getattr(obj, "number")}  # noqa: B009

    def model_attrs(self) -> tuple[str, ...]:
        return ("number", "year", "sequence")


class RegisteredOn(FileField):
    """The day an appeal was registered. The file knows the day only: an appeal on file registered that day keeps
    its real time, a new one (or one moved to another day) gets `APPEAL_REGISTRATION_TIME`."""

    name = "registered_on"

    def read(self, record: Record, refs: ImportRefs, current: Model | None) -> Record:
        day = dt.date.fromisoformat(record["registered_on"])
        if current is not None and getattr(current, "registered_at").astimezone(ALMATY).date() == day:  # noqa: B009
            return {}
        return {"registered_at": dt.datetime.combine(day, APPEAL_REGISTRATION_TIME, tzinfo=ALMATY)}

    def write(self, obj: Model, keys: ExportKeys) -> Record:
        return {"registered_on": getattr(obj, "registered_at").astimezone(ALMATY).date().isoformat()}  # noqa: B009

    def model_attrs(self) -> tuple[str, ...]:
        return ("registered_at",)


class Source(FileField):
    """A recommendation's source, `{type, key}`: a generic reference to a record of one of the kinds in
    `monitoring.models.RECOMMENDATION_SOURCES` (whose keys are the kinds' names here, and the file's `type`)."""

    name = "source"

    def read(self, record: Record, refs: ImportRefs, current: Model | None) -> Record:
        ref = record.get("source")
        if not ref:
            return {"source_type_id": None, "source_id": None}
        return {"source_type_id": refs.content_types[ref["type"]], "source_id": refs.pk(ref["type"], ref["key"])}

    def write(self, obj: Model, keys: ExportKeys) -> Record:
        type_id, source_id = getattr(obj, "source_type_id"), getattr(obj, "source_id")  # noqa: B009
        name = keys.content_types.get(type_id) if type_id else None
        key = keys.keys[name].get(source_id) if name and source_id is not None else None
        return {"source": {"type": name, "key": key} if name and key else None}

    def defaults(self) -> Record:
        return {"source": None}

    def model_attrs(self) -> tuple[str, ...]:
        return ("source_type_id", "source_id")


def source_kinds() -> list[RecordKind]:
    """The record kinds a recommendation may name as its source, in the order `RECOMMENDATION_SOURCES` lists them."""
    return [kind(name) for name in RECOMMENDATION_SOURCES]


KINDS = (
    RecordKind(
        "council",
        "councils.Council",
        "council",
        key="slug",
        key_attr="slug",
        owner="",
        summary="council",
        not_in_file={
            "is_published": "whether the portal shows the council: the portal's setting, not the council's record",
            **_settings(
                "recommendation_send_days",
                "recommendation_answer_days",
                "information_request_months",
                "information_request_extension_months",
                "report_annex_threshold",
            ),
        },
        fields=(
            Value("slug"),
            Value("code"),
            _name("name"),
            _text("short_name"),
            _text("legal_basis"),
            _text("description"),
            Value("kind"),
            _optional("city"),
            _optional("region"),
            _optional("website"),
            JsonList("social_links"),
        ),
    ),
    RecordKind(
        "convocation",
        "councils.Convocation",
        "convocations",
        key="number",
        key_attr="number",
        order=("number",),
        missing=_("no convocation with number %(value)s"),
        summary="convocations",
        fields=(Value("number"), _name("name"), Day("start_date", required=True), Day("end_date")),
    ),
    RecordKind(
        "state_body",
        "councils.StateBody",
        "state_bodies",
        key_attr="slug",
        owner="",
        order=("key",),
        missing=_("no state body with key %(value)s"),
        summary="state_bodies",
        fields=(
            Value("key", attr="slug"),
            _name("name"),
            Value("kind", default="other"),
            _optional("city"),
            _optional("website"),
        ),
    ),
    RecordKind(
        "body",
        "councils.Body",
        "bodies",
        order=("key",),
        missing=_("no body with key %(value)s"),
        summary="bodies",
        fields=(
            KEY,
            Ref("convocation", "convocation"),
            Value("kind"),
            Value("number", default=None),
            _name("name"),
            _text("description"),
        ),
    ),
    RecordKind(
        "person",
        "councils.Person",
        "people",
        order=("key",),
        missing=_("no person with key %(value)s"),
        summary="people",
        not_in_file={name: "contacts are for the council's staff only" for name in ("email", "phone")},
        fields=(KEY, Value("full_name"), _optional("organisation"), _optional("position"), DEMO),
    ),
    RecordKind(
        "membership",
        "councils.Membership",
        "memberships",
        parent="person",
        parent_attr="person_id",
        related_name="memberships",
        key="convocation",
        key_attr="convocation_id",
        order=("convocation",),
        summary="memberships",
        not_in_file={"end_decision_file": _FILE},
        fields=(
            Ref("convocation", "convocation"),
            Value("affiliation"),
            Value("role"),
            Day("start_date", required=True),
            Day("end_date"),
            # Why the member left: a file written before these fields says nothing, and leaves them as they are.
            Value("end_reason", keep_if_missing=True),
            Value("end_decision", keep_if_missing=True),
        ),
    ),
    RecordKind(
        "expert",
        "councils.ExpertAppointment",
        "experts",
        key=None,
        order=("person", "start_date"),
        summary="experts",
        not_in_file={
            "decision_file": _FILE,
            "cv": _FILE,
            "cv_public": "whether the CV may be published: the file carries no CV",
            "search_document": "the search index, made from the text",
            # A file lists the experts the council approved (approved now, or inactive since); whether each consents
            # to be published stays in the workspace (the public year file lists only those who do).
            **dict.fromkeys(
                ("consent_given_on", "consent_withdrawn_on"),
                "the expert's consent to publication: the registry's record, never published",
            ),
            "status": "the registry's workflow: an expert of the file is approved, inactive once its `end_date` is "
            "set (as an import records one new to the portal)",
        },
        fields=(
            Ref("person", "person"),
            Day("start_date", required=True),
            Day("end_date"),
            _optional("field"),
            _optional("decision"),
            # Format /4: the registry's public part (councils/expert_selectors.py); a /2 or /3 file, which knows none
            # of it, leaves it as it is (a /4 file that leaves a field out means its default).
            RefList("areas", "expertise_area"),
            Value("speaks_ru", default=False, keep_if_missing=True),
            Value("speaks_kk", default=False, keep_if_missing=True),
            Value("speaks_en", default=False, keep_if_missing=True),
            _since3_text("other_languages"),
            _since3_text("region"),
        ),
    ),
    RecordKind(
        "body_seat",
        "councils.BodyMembership",
        "bodies",
        parent="person",
        parent_attr="person_id",
        related_name="body_seats",
        key=None,
        # A person who left a body and rejoined it has a seat for each time, in the order they held them.
        order=("body", "start_date"),
        summary="body_seats",
        fields=(Ref("body", "body"), Value("role"), Day("start_date"), Day("end_date")),
    ),
    RecordKind(
        "partner",
        "councils.Partner",
        "partners",
        order=("key",),
        missing=_("no partner with key %(value)s"),
        summary="partners",
        fields=(KEY, _name("name"), Value("kind", default="other"), _optional("website")),
    ),
    RecordKind(
        "memorandum",
        "councils.Memorandum",
        "memoranda",
        order=("signed_on", "key"),
        summary="memoranda",
        not_in_file={"document": _FILE},
        fields=(
            KEY,
            Value("title"),
            Ref("partner", "partner"),
            Day("signed_on", required=True),
            _optional("description"),
            DEMO,
            # Format /3: the other parties, the term and the termination (a /2 file leaves them as they are).
            RefList("other_parties", "partner"),
            _since3_day("valid_until"),
            _since3_day("terminated_on"),
            _since3_text("termination_reason"),
        ),
    ),
    RecordKind(
        "consultative_seat",
        "councils.ConsultativeSeat",
        "consultative_seats",
        order=("start_date", "key"),
        summary="consultative_seats",
        fields=(
            KEY,
            Ref("person", "person"),
            Value("body_name"),
            Ref("state_body", "state_body"),
            Value("level"),
            Day("start_date", required=True),
            Day("end_date"),
            _optional("note"),
            _optional("link"),
            DEMO,
        ),
    ),
    RecordKind(
        "meeting",
        "hearings.Meeting",
        "meetings",
        order=("date", "key"),
        missing=_("no meeting with key %(value)s"),
        summary="meetings",
        not_in_file={"minutes": _FILE},
        fields=(
            KEY,
            Value("kind"),
            Ref("body", "body"),
            _optional("title"),
            _optional("goal"),
            Day("date", required=True),
            MeetingTime(),
            _optional("place"),
            Value("is_open", default=True),
            Value("is_extended", default=False),
            Value("attendance", default=None),
            JsonList("links"),
            DEMO,
        ),
    ),
    RecordKind(
        "agenda_item",
        "hearings.AgendaItem",
        "agenda",
        parent="meeting",
        parent_attr="meeting_id",
        related_name="agenda_items",
        key_unique_in_file=True,
        missing=_("no agenda item with key %(value)s"),
        summary="agenda_items",
        fields=(
            KEY,
            Value("number"),
            Value("title"),
            Value("kind", default="other"),
            Ref("state_body", "state_body"),
            _optional("speakers"),
            _optional("decision"),
            JsonList("links"),
        ),
    ),
    RecordKind(
        "meeting_attendee",
        "hearings.MeetingAttendance",
        "attendees",
        parent="meeting",
        parent_attr="meeting_id",
        related_name="attendees",
        key=None,
        order=("person",),
        summary="meeting_attendees",
        fields=(Ref("person", "person"),),
    ),
    RecordKind(
        "hearing",
        "hearings.PublicHearing",
        "hearings",
        order=("date", "key"),
        missing=_("no hearing with key %(value)s"),
        summary="hearings",
        fields=(
            KEY,
            Value("number", default=None),
            Value("topic"),
            Day("date", required=True),
            Ref("organiser", "body"),
            _optional("participants"),
            _optional("resolution"),
            JsonList("links"),
            DEMO,
            # Format /3: public participation (participation/): an EIA hearing's project and its comment window.
            Value("kind", default="general", keep_if_missing=True),
            _since3_text("project"),
            _since3_text("operator"),
            _since3_day("notice_date"),
            _since3_day("comments_open"),
            _since3_day("comments_close"),
            _since3_day("record_published_on"),
        ),
    ),
    # Every other column of a monitoring event (its topic, date, findings, ...) is in the file under its own name.
    RecordKind(
        "monitoring",
        "monitoring.MonitoringEvent",
        "monitoring",
        order=("date", "key"),
        missing=_("no monitoring event with key %(value)s"),
        summary="monitoring",
        derive=True,
        fields=(KEY, Ref("commission", "body"), DEMO),
    ),
    RecordKind(
        "monitoring_participant",
        "monitoring.MonitoringParticipant",
        "participants",
        parent="monitoring",
        parent_attr="event_id",
        related_name="participants",
        key=None,
        position="position",
        summary="monitoring_participants",
        fields=(Ref("person", "person"), _optional("name"), Value("kind")),
    ),
    RecordKind(
        "publicity_link",
        "monitoring.PublicityLink",
        "publicity",
        parent="monitoring",
        parent_attr="event_id",
        related_name="publicity_links",
        key=None,
        position="position",
        summary="publicity_links",
        fields=(Value("url"), Value("kind", default="other")),
    ),
    RecordKind(
        "draft_review",
        "monitoring.DraftActReview",
        "draft_reviews",
        order=("discussion_start", "key"),
        missing=_("no draft review with key %(value)s"),
        summary="draft_reviews",
        not_in_file={"draft_file": _FILE},
        fields=(
            KEY,
            Value("title"),
            Ref("developer", "state_body"),
            Day("discussion_start", required=True),
            Day("discussion_end", required=True),
            _optional("conclusion"),
            _optional("remarks"),
            DEMO,
            _since3_text("draft_url"),  # format /3: where the public reads the draft
        ),
    ),
    RecordKind(
        "appeal",
        "appeals.Appeal",
        "appeals",
        key="number",
        key_attr="number",
        order=("number",),
        missing=_("no appeal with number %(value)s"),
        summary="appeals",
        # The file holds no personal data: those fields stay as they are (empty when new).
        not_in_file={
            **{name: _PERSONAL for name in _APPEAL_PERSONAL},
            "language": "the language the applicant is written to in: the workspace's",
            "extended_until": "the workspace's deadline bookkeeping; the file has the due date",
            "assignee_id": "a workspace account",
            "merged_into_id": "the workspace's bookkeeping of duplicate appeals",
            "search_document": "the search index, made from the text",
            "inbox_rank": "the inbox order, made from the status and dates",
            "open_deadline": "made from the status and the due date",
            "tracking_token": "the applicant's secret link to the tracker",
            "submission_key": "guards the public form against double submission",
            "submission_digest": "guards the public form against double submission",
        },
        fields=(
            AppealNumber(),
            RegisteredOn(),
            Value("applicant_type"),
            Value("channel", default="web"),
            Value("category"),
            Value("status"),
            Day("due_date"),
            Day("answered_on"),
            Ref("forwarded_to", "state_body"),
            Ref("assigned_body", "body"),
            DEMO,
            Ref("locality", "locality", keep_if_missing=True),  # format /3: the council's district
        ),
    ),
    RecordKind(
        "recommendation",
        "monitoring.Recommendation",
        "recommendations",
        order=("issued_on", "key"),
        missing=_("no recommendation with key %(value)s"),
        summary="recommendations",
        fields=(
            KEY,
            Value("text"),
            Ref("state_body", "state_body"),
            Source(),
            Day("issued_on", required=True),
            Day("sent_on"),
            Day("response_due"),
            Value("status"),
            DEMO,
        ),
    ),
    # The database lists responses and history by date: the file's lists are read in that order (stably) so that
    # a list in another order is not taken for a change on every import.
    RecordKind(
        "recommendation_response",
        "monitoring.RecommendationResponse",
        "responses",
        parent="recommendation",
        parent_attr="recommendation_id",
        related_name="responses",
        key=None,
        order=("received_on",),
        summary="recommendation_responses",
        not_in_file={"document": _FILE},
        fields=(Day("received_on", required=True), Value("text")),
    ),
    RecordKind(
        "recommendation_status_change",
        "monitoring.RecommendationStatusChange",
        "history",
        parent="recommendation",
        parent_attr="recommendation_id",
        related_name="history",
        key=None,
        order=("date",),
        summary="recommendation_history",
        not_in_file={
            "changed_by_id": "who made the change: a workspace account, not part of the record",
            "created_at": "when the change was entered, not when it happened",
        },
        fields=(Value("status"), Day("date", attr="changed_on", required=True), _optional("note")),
    ),
    RecordKind(
        "work_plan_item",
        "councils.WorkPlanItem",
        "work_plan",
        key="number",
        key_attr="number",
        order=("number",),
        summary="work_plan",
        not_in_file={"year": "the file's year"},
        fields=(
            Value("number"),
            Value("activity"),
            _optional("period"),
            _optional("expected_result"),
            _optional("responsible"),
            Value("status", default="planned"),
            # Format /3: the plan's execution (councils/plan.py).
            _since3_day("due_date"),
            _since3_text("status_reason"),
        ),
    ),
)

# The records a work plan item's links may name: the file's `type` (a record kind) and the plan record kind
# (councils/plan.py) the link stores.
PLAN_RECORD_TYPES = (
    ("meeting", "meeting"),
    ("hearing", "hearing"),
    ("monitoring", "monitoring_event"),
    ("draft_review", "draft_review"),
    ("information_request", "information_request"),
    ("recommendation", "recommendation"),
)

_CREATED = "when the row was entered, not part of the record"

# What format /3 added: the records of session 5's apps, each carried by its declaration alone (the import,
# the export and the checks read them; nothing below is written by hand in services.py or selectors.py).
KINDS_3 = (
    RecordKind(
        "memorandum_commitment",
        "councils.MemorandumCommitment",
        "commitments",
        parent="memorandum",
        parent_attr="memorandum_id",
        related_name="commitments",
        key=None,
        order=("due_date", "text", "owner"),
        summary="memorandum_commitments",
        since=3,
        fields=(Value("text"), Value("owner"), Day("due_date"), Day("done_on"), _optional("result")),
    ),
    RecordKind(
        "work_plan_link",
        "councils.WorkPlanLink",
        "records",
        parent="work_plan_item",
        parent_attr="item_id",
        related_name="links",
        key=None,
        order=("record",),
        summary="work_plan_links",
        since=3,
        fields=(TypedRef("record", PLAN_RECORD_TYPES),),
    ),
    RecordKind(
        "hearing_document",
        "participation.HearingDocument",
        "documents",
        parent="hearing",
        parent_attr="hearing_id",
        related_name="documents",
        key=None,
        order=("title", "url"),
        summary="hearing_documents",
        # A document that is only an uploaded file has no address to carry: it stays in the workspace.
        where=~Q(url=""),
        since=3,
        not_in_file={"file": _FILE, "added_at": _CREATED},
        fields=(Value("title"), Value("url")),
    ),
    RecordKind(
        "appeal_category",
        "appeals.AppealCategory",
        "appeal_categories",
        key="code",
        key_attr="code",
        order=("position", "code"),
        missing=_("no appeal category with code %(value)s"),
        summary="appeal_categories",
        since=3,
        fields=(Value("code"), _name("name"), Value("position", default=0), Value("is_active", default=True)),
    ),
    RecordKind(
        "locality",
        "appeals.Locality",
        "localities",
        key="code",
        key_attr="code",
        order=("position", "code"),
        missing=_("no locality with code %(value)s"),
        summary="localities",
        since=3,
        fields=(
            Value("code"),
            Value("kind", default="district"),
            _name("name"),
            Value("position", default=0),
            Value("is_active", default=True),
        ),
    ),
    RecordKind(
        "information_request_batch",
        "monitoring.InformationRequestBatch",
        "information_request_batches",
        order=("key",),
        missing=_("no information request batch with key %(value)s"),
        summary="information_request_batches",
        since=3,
        not_in_file={"created_at": _CREATED},
        fields=(KEY, Value("subject"), Value("text")),
    ),
    RecordKind(
        "information_request",
        "monitoring.InformationRequest",
        "information_requests",
        order=("sent_on", "key"),
        missing=_("no information request with key %(value)s"),
        summary="information_requests",
        since=3,
        not_in_file={"created_at": _CREATED},
        fields=(
            KEY,
            Day("sent_on"),
            Ref("state_body", "state_body"),
            _optional("organisation"),
            Value("subject"),
            Value("text"),
            Value("status"),
            Value("rule", default="access_law"),
            Ref("batch", "information_request_batch"),
            Day("response_due"),
            Day("extended_until"),
            _optional("extension_reason"),
            Day("extension_notice_on"),
            DEMO,
        ),
    ),
    RecordKind(
        "information_request_response",
        "monitoring.InformationRequestResponse",
        "responses",
        parent="information_request",
        parent_attr="information_request_id",
        related_name="responses",
        key=None,
        order=("received_on", "text"),
        summary="information_request_responses",
        since=3,
        not_in_file={"document": _FILE},
        fields=(
            Day("received_on", required=True),
            Value("text"),
            _optional("kind"),
            _optional("refusal_ground"),
            Ref("transferred_to", "state_body"),
            _optional("transferred_to_name"),
        ),
    ),
    RecordKind(
        "information_request_status_change",
        "monitoring.InformationRequestStatusChange",
        "history",
        parent="information_request",
        parent_attr="information_request_id",
        related_name="history",
        key=None,
        order=("date", "status"),
        summary="information_request_history",
        since=3,
        not_in_file={
            "changed_by_id": "who made the change: a workspace account, not part of the record",
            "created_at": "when the change was entered, not when it happened",
        },
        fields=(Value("status"), Day("date", attr="changed_on", required=True), _optional("note")),
    ),
    RecordKind(
        "library_document",
        "library.Document",
        "library",
        order=("published_on", "key"),
        missing=_("no library document with key %(value)s"),
        summary="library_documents",
        # A document that is only an uploaded file has no address to carry: it stays in the workspace.
        where=~Q(url=""),
        since=3,
        not_in_file={
            **dict.fromkeys(("file", "original_name", "content_type", "size"), _FILE),
            "created_at": _CREATED,
            "search_document": "the search index, made from the title and summary",
        },
        fields=(
            KEY,
            Value("title"),
            _optional("summary"),
            Value("kind"),
            Value("topic"),
            Value("language"),
            Day("published_on", required=True),
            _optional("source"),
            Value("url"),
            Value("is_published", default=True),
            DEMO,
        ),
    ),
    RecordKind(
        "training",
        "outreach.Training",
        "trainings",
        order=("date", "key"),
        missing=_("no training with key %(value)s"),
        summary="trainings",
        since=3,
        fields=(
            KEY,
            Value("kind"),
            Value("title"),
            Day("date", required=True),
            Day("end_date"),
            _optional("place"),
            Value("audience"),
            Value("participants", default=0),
            _optional("description"),
            RefList("materials", "library_document"),
            RefList("partners", "partner"),
            DEMO,
        ),
    ),
    RecordKind(
        "reception",
        "receptions.Reception",
        "receptions",
        key=None,
        natural_key=("host_id", "starts_at"),
        year_attr="starts_at",
        order=("starts_at", "host"),
        summary="receptions",
        since=3,
        fields=(
            Ref("host", "person"),
            Moment("starts_at"),
            Value("slot_minutes"),
            Value("slots"),
            Value("format", default="in_person"),
            _text("place"),
            _optional("online_link"),
            _text("topics"),
            Value("is_cancelled", default=False),
        ),
    ),
    RecordKind(
        "public_comment",
        "participation.PublicComment",
        "public_comments",
        key="number",
        key_attr="number",
        order=("number",),
        summary="public_comments",
        # Published comments only, with the hearing or draft review they are on; their text and the council's
        # answer, never who wrote them.
        where=Q(status="published"),
        create_with={"status": "published"},
        follows=("hearing", "draft"),
        since=3,
        not_in_file={
            **dict.fromkeys(("author_name", "email", "pseudonym", "personal_data_consent"), _COMMENTER),
            "submitted_at": _CREATED,
            "moderated_at": "the moderation's bookkeeping",
            "moderated_by_id": "a workspace account",
            "rejection_reason": "a rejected comment is never in the file",
            "answered_at": "when the answer was entered; the record's publication day is the hearing's",
        },
        fields=(
            Value("number"),
            Ref("hearing", "hearing"),
            Ref("draft", "draft_review"),
            Value("kind", default="comment"),
            Value("text"),
            Value("language", default="ru"),
            _optional("outcome"),
            _optional("answer"),
        ),
    ),
)


class StoredFile(Value):
    """An uploaded file by the name the portal stored it under (`news/<hex>.jpg`): the file carries the reference,
    not the bytes; a portal that imports it serves the image once its media files are copied with the file."""

    def write(self, obj: Model, keys: ExportKeys) -> Record:
        return {self.name: getattr(obj, self.attname).name}


@dataclass(frozen=True)
class DraftWritten(Moment):
    """The moment a draft without a moment of publication was written: the file's year is its year (it is in no
    other), so the file carries it for such a draft only (null for any other item). An import gives it to a draft
    it creates and leaves the moment of one on file as it is."""

    def read(self, record: Record, refs: ImportRefs, current: Model | None) -> Record:
        value = record.get(self.name)
        if current is not None or not value:
            return {}
        return {self.attname: dt.datetime.fromisoformat(value).replace(tzinfo=ZoneInfo(self.zone))}

    def write(self, obj: Model, keys: ExportKeys) -> Record:
        if getattr(obj, "publish_at") is not None:  # noqa: B009
            return {self.name: None}
        return super().write(obj, keys)


def _news_text(name: str) -> Translated:
    """A news item's text in three languages: its columns are its own (not modeltranslation's), "" when empty."""
    return Translated(name, FILE_LANGUAGES, empty="")


_NEWS_ROW = "when the row was entered or last edited, not part of the record"

# The records an expert's engagements may name: the file's `type` and the plan record kind (councils/plan.py) the
# engagement stores (councils.expert_services.ENGAGEMENT_KINDS).
EXPERT_RECORD_TYPES = (("monitoring", "monitoring_event"), ("draft_review", "draft_review"), ("hearing", "hearing"))

# What format /4 added: the records merged after /3 was drawn up, each carried by its declaration alone (but the
# expert registry's two, which the export and the import write with the experts: `BY_HAND_4`).
KINDS_4 = (
    # The portal's vocabulary of areas of expertise, as many of it as the file's experts name: an import adds the
    # areas a portal lacks and never renames one it has (its administrators keep the vocabulary).
    RecordKind(
        "expertise_area",
        "councils.ExpertiseArea",
        "expertise_areas",
        owner="",
        order=("key",),
        missing=_("no area of expertise with key %(value)s"),
        summary="expertise_areas",
        since=4,
        not_in_file={"search_document": "the search index, made from the names"},
        fields=(KEY, _name("name")),
    ),
    # The records an expert worked on (monitoring events, draft reviews, hearings), nested in the expert's record:
    # its person and start date name it. Left out when empty (a list /4 added to a record of /3: absent means none);
    # a /2 or /3 file, which knows no such list, leaves the engagements as they are.
    RecordKind(
        "expert_engagement",
        "councils.ExpertEngagement",
        "engagements",
        parent="expert",
        parent_attr="appointment_id",
        related_name="engagements",
        key=None,
        order=("record",),
        summary="expert_engagements",
        since=4,
        fields=(TypedRef("record", EXPERT_RECORD_TYPES), _optional("role")),
    ),
    # The stakeholder registry's facts about an organisation the file carries (a partner): its public part
    # (category, sector, region: the open API's organisations) and the council's notes on it; never its contact
    # people, their log or the mailing groups (personal data, excluded below).
    RecordKind(
        "partner_profile",
        "stakeholders.PartnerProfile",
        "partner_profiles",
        key=None,
        natural_key=("partner_id",),
        owner="partner__council_id",
        order=("partner",),
        summary="partner_profiles",
        follows=("partner",),
        since=4,
        not_in_file={
            "shared": "whom the council's networks let read the registry: the workspace's setting, not the record",
            "updated_at": "when the row was last edited, not part of the record",
        },
        fields=(
            Ref("partner", "partner"),
            Value("category", default="other"),
            _optional("sector"),
            _optional("region"),
            _optional("description"),
        ),
    ),
    # The council's news (news/): an item of the year by its moment of publication (a draft without one by the moment
    # it was written, which the file carries for it alone: an export and its import lose no draft), its texts in
    # the three languages, the records it is about (`{type, key}` as a work plan item's links), its images by their
    # description and stored file, and the publications in the media that took it up.
    # Nothing of it names a workspace account.
    RecordKind(
        "news_item",
        "news.NewsItem",
        "news",
        order=("publish_at", "key"),
        missing=_("no news item with key %(value)s"),
        summary="news",
        year_attr="publish_at",
        undated_year_attr="created_at",
        since=4,
        not_in_file={
            "released": "the portal's bookkeeping of its cached pages (set again once the moment has passed)",
            "updated_at": _NEWS_ROW,
        },
        fields=(
            KEY,
            Value("kind", default="news"),
            Value("status", default="published"),
            Moment("publish_at", required=False),
            _news_text("title"),
            _news_text("body"),
            Moment("withdrawn_at", required=False),
            _optional("withdrawal_reason"),
            DEMO,
            DraftWritten("created_at", required=False),
        ),
    ),
    RecordKind(
        "news_image",
        "news.NewsImage",
        "images",
        parent="news_item",
        parent_attr="item_id",
        related_name="images",
        key=None,
        position="position",
        summary="news_images",
        since=4,
        fields=(
            StoredFile("file", attr="image"),
            _news_text("alt"),
            Value("content_type"),
            Value("width"),
            Value("height"),
            Value("size"),
        ),
    ),
    RecordKind(
        "news_link",
        "news.NewsLink",
        "records",
        parent="news_item",
        parent_attr="item_id",
        related_name="links",
        key=None,
        order=("record",),
        summary="news_links",
        since=4,
        fields=(TypedRef("record", PLAN_RECORD_TYPES),),
    ),
    RecordKind(
        "media_publication",
        "news.MediaPublication",
        "media_publications",
        parent="news_item",
        parent_attr="item_id",
        related_name="media_publications",
        key=None,
        order=("published_on", "outlet", "url"),
        summary="media_publications",
        since=4,
        fields=(Value("outlet"), Value("kind", default="site"), Day("published_on", required=True), Value("url")),
    ),
)

# Council-owned models that are not in the file, and why.
EXCLUDED = {
    "deputies.MonitoredBody": _DEPUTIES,
    "deputies.Session": _DEPUTIES,
    "deputies.Attendance": _DEPUTIES,
    "deputies.VoteEvent": _DEPUTIES,
    "deputies.Ballot": _DEPUTIES,
    "deputies.Activity": _DEPUTIES,
    "deputies.Promise": _DEPUTIES,
    "deputies.Answer": _DEPUTIES,
    "deputies.Question": "a citizen's question to a deputy: its author's data never leaves the workspace",
    "deputies.InboundAnswer": "a deputy's e-mail reply awaiting moderation: once published it is an Answer",
    "participation.HearingRegistration": "a citizen's registration to attend: personal data never leaves the workspace",
    "receptions.Booking": "a visitor's booking: personal data never leaves the workspace",
    # Decided for format /3: the log's rows are personal (who was consulted, how to reach them, the notes); what is
    # public of it is counts, and counts cannot be imported back into rows without inventing consultations.
    "outreach.Consultation": "the consultation log names the people consulted: their data never leaves the workspace",
    # The file carries an expert's appointment (its decision's words and dates) and engagements; the registry's
    # steps to it (interviews, a declined candidacy) are its staff's.
    "councils.ExpertDecision": "the expert registry's history of decisions: staff records of the registry",
    "councils.CouncilStaff": "who may sign in to the council's workspace: accounts, not the council's activity",
    "appeals.AppealCounter": "the numbering counter: the file's appeal numbers carry their sequence",
    "appeals.AppealYearCount": "a cached count, made again from the appeals",
    "appeals.AppealYearFigure": "cached counts, made again from the appeals",
    "appeals.AppealOutcomeFigures": "cached counts, made again from the appeals",
    "appeals.InboxExport": "a staff member's export file: personal data never leaves the workspace",
    "appeals.AppealMessage": "the correspondence with a citizen: personal data never leaves the workspace",
    "appeals.AppealAttachment": "a citizen's files: personal data never leaves the workspace",
    "appeals.AppealStatusChange": "an appeal's internal trail; the file carries the appeal's status and dates",
    "appeals.AppealFeedback": "a citizen's rating of the answer: personal, and not the council's record",
    "alerts.Subscription": "a citizen's e-mail subscription: personal data",
    "privacy.RequestConfirmation": "a citizen's confirmation token: personal data",
    "privacy.DataRequest": "a citizen's request about their personal data",
    "privacy.AccessLogEntry": "who read personal data: the audit of the workspace, not the council's activity",
    "reports.ReportBuild": "a built report file, made again from the records",
    "stakeholders.Contact": "a contact person of an organisation: personal data never leaves the workspace",
    "stakeholders.ContactLogEntry": "names contact people: the registry's log never leaves the workspace",
    "stakeholders.MailingGroup": "lists contact people: personal data never leaves the workspace",
    "stakeholders.MailOut": "the council's mail to its contacts, not a record of its activity",
    "stakeholders.MailOutDelivery": "who was mailed: personal data never leaves the workspace",
}


# The kinds of /4 the export and the import write with the experts, by hand.
BY_HAND_4 = frozenset({"expertise_area", "expert_engagement"})


def register_council_activity() -> None:
    """Called from `InterchangeConfig.ready()`: the kinds of the apps below interchange, in the order an import
    writes them."""
    register(*KINDS, *KINDS_3, *KINDS_4)
    for label, reason in EXCLUDED.items():
        exclude(label, reason)


def uncovered_models(owned: Iterable[tuple[type[Model], CouncilOwned]]) -> list[str]:
    """The council-owned models that are neither a record kind of the file nor left out with a reason."""
    covered = covered_models()
    return [model._meta.label for model, _ownership in owned if model._meta.label not in covered]
