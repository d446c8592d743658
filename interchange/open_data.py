"""The open data files: each published council's year as a council-activity file with public fields only, the same
as a Popolo document, and a ZIP of every council's years (the open-data page, `interchange/views.py`).

The public file is the council's own export (`selectors.council_activity_export`) with what the public may not know
taken out, by the rules that already decide it elsewhere, never by a list of its own:

1. Meetings as `hearings.selectors.public_meeting` shows them: a closed meeting by its key, date, kind, body and
   format only; its title, goal, place, attendance, links and agenda are emptied. Nobody's attendance is listed
   (the public pages give the number present, not the names).
2. Every field the register of processing (`core.personal_data`) declares personal and not public is emptied in
   every list that holds it; the people in the file are the council's members, experts and participants in its
   public record, whose names, organisation and position the register declares public (their contacts are never
   exported at all).
3. Appeals are not listed one by one: a citizen's appeal is the citizen's business, and its number, dates and
   category together could point at a person. The file carries the year's figures instead (`publication.appeals`,
   the figures of the annual report, `appeals.selectors.appeal_counts`), and a recommendation made on an appeal
   names no source, as in the open API.
4. Recommendations still in draft are left out, and a recommendation's history gives statuses and dates without
   the staff's notes, as in the open API; so does an information request's.
5. What format /3 added is published as the public pages show it: the library's published documents only (a
   training's materials name no other), a reception's schedule without its video link (the link is mailed to
   those who booked). Public comments are in the file only when published, and never with who wrote them.
6. Experts are listed only as the public registry shows them: approved (not inactive) and consenting to be published
   (councils/expert_selectors.py), with their areas of expertise, languages, region and engagements; a person who
   is nothing but an expert who withdrew consent is not in the file at all.
7. What format /4 added is published as the open API shows it: an organisation's profile by its category, sector
   and region, without the council's notes; the news items the public pages list (published, their moment come),
   never a draft, a scheduled item before its moment or a withdrawn one (its tombstone page shows neither its text
   nor its images, which a record of the file must carry), and an item's link to a record left out of the file
   is left out with it. No news record names who wrote it.

The result is still a valid `oversight.council-activity/4` document (the schema allows the `publication` block),
so the tools that read council files read these too. It is worked on with every field written out
(`record_spec.with_defaults`: the Popolo view reads it so) and published, like the export, without the fields whose
value is their default (`public_file_text`).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from appeals.selectors import appeal_counts
from core.personal_data import erased_values, fields_of
from core.record_spec import with_defaults, without_defaults
from councils.models import Convocation, Council, ExpertAppointment, ExpertStatus, Person
from councils.selectors import published_councils, unpublished_expert, year_as_of
from hearings.models import Meeting
from hearings.selectors import public_meeting, with_public_agenda, yearly_totals
from monitoring.selectors import activity_years
from news.models import NewsItem, NewsStatus

from .selectors import NothingToExport, council_activity_dumps, council_activity_export
from .validation import FILE_LANGUAGES

LICENSE = "CC-BY-4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
CODE_LICENSE = "AGPL-3.0-or-later"

# The lists of the file and the model each record comes from: the register of processing is read through it.
# Nested lists are named by their path ("meetings.agenda"). A list whose model has a personal field that is not
# public must be here (tests/interchange/test_open_data.py checks the register against it).
SECTION_MODELS: dict[str, str] = {
    "people": "councils.Person",
    "bodies": "councils.Body",
    "state_bodies": "councils.StateBody",
    "meetings": "hearings.Meeting",
    "meetings.agenda": "hearings.AgendaItem",
    "hearings": "hearings.PublicHearing",
    "monitoring": "monitoring.MonitoringEvent",
    "monitoring.participants": "monitoring.MonitoringParticipant",
    "draft_reviews": "monitoring.DraftActReview",
    "recommendations": "monitoring.Recommendation",
    "recommendations.responses": "monitoring.RecommendationResponse",
    "recommendations.history": "monitoring.RecommendationStatusChange",
    "partners": "councils.Partner",
    "memoranda": "councils.Memorandum",
    "consultative_seats": "councils.ConsultativeSeat",
    "experts": "councils.ExpertAppointment",
    "experts.engagements": "councils.ExpertEngagement",
    "expertise_areas": "councils.ExpertiseArea",
    "work_plan": "councils.WorkPlanItem",
    "work_plan.records": "councils.WorkPlanLink",
    "memoranda.commitments": "councils.MemorandumCommitment",
    "hearings.documents": "participation.HearingDocument",
    "appeal_categories": "appeals.AppealCategory",
    "localities": "appeals.Locality",
    "information_request_batches": "monitoring.InformationRequestBatch",
    "information_requests": "monitoring.InformationRequest",
    "information_requests.responses": "monitoring.InformationRequestResponse",
    "information_requests.history": "monitoring.InformationRequestStatusChange",
    "library": "library.Document",
    "trainings": "outreach.Training",
    "receptions": "receptions.Reception",
    "public_comments": "participation.PublicComment",
    "partner_profiles": "stakeholders.PartnerProfile",
    "news": "news.NewsItem",
    "news.images": "news.NewsImage",
    "news.records": "news.NewsLink",
    "news.media_publications": "news.MediaPublication",
}
# Lists that are never published record by record.
WITHHELD_SECTIONS = ("appeals",)
# What of a recommendation's status change is public (the open API's `history`): the staff's note is not.
HISTORY_PUBLIC_FIELDS = ("status", "date")


def council_years(council: Council) -> list[int]:
    """The years a council's file can be published for, oldest first: see `councils_years`."""
    return councils_years([council])[council.pk]


def councils_years(councils: Iterable[Council]) -> dict[int, list[int]]:
    """{council id: the years its file can be published for, oldest first}: the years its convocations sat (up to
    this one) and the years it recorded meetings, hearings, monitoring, draft reviews or public recommendations in.
    Five queries for any number of councils: the open-data page lists them all."""
    this_year = timezone.localdate().year
    ids = [council.pk for council in councils]
    years: dict[int, set[int]] = {pk: set() for pk in ids}
    for council_id, start, end in Convocation.objects.filter(council_id__in=ids).values_list(
        "council_id", "start_date", "end_date"
    ):
        years[council_id].update(range(start.year, min(end.year if end else this_year, this_year) + 1))
    for council_id, year in (*yearly_totals(council_ids=ids), *activity_years(council_ids=ids)):
        years[council_id].add(year)
    return {pk: sorted(year for year in found if year <= this_year) for pk, found in years.items()}


def _scrub(records: Iterable[dict[str, Any]], model_label: str) -> None:
    """Empty, in place, each field the register declares personal and not public ("" or null as anonymisation
    writes it), so that the record keeps its shape and the file its schema."""
    model: type[models.Model] = apps.get_model(model_label)
    private = [entry for entry in fields_of(model) if not entry.declaration.public]
    values = erased_values(private)
    values.update({entry.field.name: None for entry in private if entry.field.name not in values})
    for record in records:
        for name, value in values.items():
            if name in record:
                record[name] = value


def _records(data: dict[str, Any], path: str) -> list[dict[str, Any]]:
    head, _, rest = path.partition(".")
    records = data.get(head) or []
    if not rest:
        return list(records)
    return [child for record in records for child in record.get(rest) or []]


def _as_of(year: int) -> dt.date:
    """The day a year's figures are counted on: 31 December once the year is over, today while it runs (the
    annual report's rule)."""
    return year_as_of(year)


def _appeal_figures(council: Council, year: int) -> dict[str, Any]:
    counts = appeal_counts(council=council, year=year, as_of=_as_of(year))
    return {
        "as_of": _as_of(year).isoformat(),
        "total": counts.total,
        "individuals": counts.individuals,
        "legal_entities": counts.legal_entities,
        "by_category": counts.by_category,
        "by_channel": counts.by_channel,
        "by_status": counts.by_status,
        "answered": counts.answered,
        "answered_on_time": counts.answered_on_time,
        "open": counts.open,
        "overdue": counts.overdue,
    }


def site_url(path: str = "") -> str:
    return settings.SITE_URL.rstrip("/") + path


def public_council_activity(*, council: Council, year: int) -> dict[str, Any]:
    """The council's year as the public may know it (the module's docstring lists what is taken out). Raises
    NothingToExport as the export does."""
    # The withheld lists are not read at all (a big council's year has some 10,000 appeals); the file is built
    # written out in full (`with_defaults`) for the steps below, then written in the /4 form.
    data = with_defaults(council_activity_export(council=council, year=year, leave_out=WITHHELD_SECTIONS))

    # 1. Meetings through the one rule of what of a meeting is public.
    keys = [meeting["key"] for meeting in data["meetings"]]
    shown = {
        m.key: public_meeting(m)
        for m in with_public_agenda(Meeting.objects.filter(council=council, key__in=keys)).order_by()
    }
    for meeting in data["meetings"]:
        public = shown[meeting["key"]]
        agenda_keys = {item.key for item in public.agenda}
        meeting.update(
            title=public.title,
            goal=public.goal,
            place=public.place,
            attendance=public.attendance,
            links=list(public.links),
            attendees=[],
            agenda=[item for item in meeting["agenda"] if item["key"] in agenda_keys],
        )

    # 3. and 4. Appeals as figures; no draft recommendation, no appeal named as a source, no staff note.
    for section in WITHHELD_SECTIONS:
        data[section] = []
    data["recommendations"] = [rec for rec in data["recommendations"] if rec["status"] != "draft"]
    for rec in data["recommendations"]:
        if rec["source"] is not None and rec["source"]["type"] == "appeal":
            rec["source"] = None
    for change in [*_records(data, "recommendations.history"), *_records(data, "information_requests.history")]:
        for name in change:
            if name not in HISTORY_PUBLIC_FIELDS:
                change[name] = ""

    # 5. Format /3's records as the public pages show them.
    data["library"] = [document for document in data.get("library", []) if document["is_published"]]
    published = {document["key"] for document in data["library"]}
    for training in data.get("trainings", []):
        training["materials"] = [key for key in training["materials"] if key in published]
    for reception in data.get("receptions", []):
        reception["online_link"] = ""
    # A plan item's link to a record left out above (a draft recommendation) is left out with it.
    kept = {"recommendation": {rec["key"] for rec in data["recommendations"]}}
    for item in data["work_plan"]:
        item["records"] = [
            link
            for link in item.get("records", [])
            if link["record"]["type"] not in kept or link["record"]["key"] in kept[link["record"]["type"]]
        ]

    # 6. Experts only while they consent to be published; a person who is nothing but an unpublished expert (a
    #    withdrawn consent) is not in the file at all (councils.selectors.unpublished_expert).
    #    As the public registry shows them (councils.expert_selectors.public_experts): approved now (an inactive
    #    expert is not), consenting now; with their areas, languages, region and what they worked on, never their
    #    consent or CV (the file has neither).
    consenting = set(
        ExpertAppointment.objects.filter(
            council=council,
            person__key__in=[expert["person"] for expert in data.get("experts", [])],
            consent_given_on__isnull=False,
            consent_withdrawn_on__isnull=True,
            status=ExpertStatus.APPROVED,
        ).values_list("person__key", "start_date")
    )
    data["experts"] = [
        e for e in data.get("experts", []) if (e["person"], dt.date.fromisoformat(e["start_date"])) in consenting
    ]
    named_areas = {key for e in data["experts"] for key in e["areas"]}
    data["expertise_areas"] = [area for area in data.get("expertise_areas", []) if area["key"] in named_areas]
    hidden = set(Person.objects.filter(council=council).filter(unpublished_expert()).values_list("key", flat=True))
    data["people"] = [person for person in data["people"] if person["key"] not in hidden]

    # 7. Format /4's organisation profiles as the open API's organisations show them: category, sector and region;
    #    the council's notes on an organisation stay in the workspace.
    for profile in data.get("partner_profiles", []):
        profile["description"] = ""
    #    The news the public pages list: published and its moment come (news.selectors.public_news).
    if data.get("news"):
        public = set(
            NewsItem.objects.filter(
                council=council, status=NewsStatus.PUBLISHED, publish_at__lte=timezone.now()
            ).values_list("key", flat=True)
        )
        data["news"] = [item for item in data["news"] if item["key"] in public]
        for item in data["news"]:
            item["records"] = [
                link
                for link in item.get("records", [])
                if link["record"]["type"] not in kept or link["record"]["key"] in kept[link["record"]["type"]]
            ]

    # 2. The register of processing, over every list.
    for path, label in SECTION_MODELS.items():
        _scrub(_records(data, path), label)

    data["publication"] = {
        "publisher": str(getattr(settings, "OVERSIGHT_PORTAL_NAME", "") or ""),
        "source": site_url(f"/open-data/{council.slug}/{year}.json"),
        "license": LICENSE,
        "license_url": LICENSE_URL,
        "public_fields_only": True,
        "appeals": _appeal_figures(council, year),
    }
    return data


# ---- Popolo --------------------------------------------------------------------------------------------------


def identifier(council_slug: str, collection: str, key: str) -> str:
    """A record's stable identifier across the open data: `<council>/<list>/<key>` (the list as the file names
    it), e.g. `almaty/meetings/m-council-01`. The council's own is its slug; a state body's `state_bodies/<slug>`."""
    return f"{council_slug}/{collection}/{key}"


def state_body_identifier(slug: str) -> str:
    return f"state_bodies/{slug}"


def _date_or_none(value: str | None) -> str | None:
    return value or None


def popolo_document(data: dict[str, Any]) -> dict[str, Any]:
    """A public council-activity document as Popolo (https://www.popoloproject.com/specs/): the council, its
    bodies and the state bodies as organizations; its people as persons; their seats on the council and in its
    bodies as memberships, each on a post (the role in that organization); its meetings and public hearings as
    events. Built from the public file, so it holds nothing the file does not."""
    slug = data["council"]["slug"]
    council_id = slug
    scheme = "oversight"

    def ident(value: str) -> list[dict[str, str]]:
        return [{"scheme": scheme, "identifier": value}]

    def names(record: dict[str, Any], field: str = "name") -> list[dict[str, Any]]:
        return [
            {"name": record[f"{field}_{lang}"], "note": lang}
            for lang in FILE_LANGUAGES
            if record.get(f"{field}_{lang}")
        ]

    organizations: list[dict[str, Any]] = [
        {
            "id": council_id,
            "name": data["council"]["name"],
            "other_names": names(data["council"]),
            "identifiers": ident(council_id),
            "classification": "public_council",
            "description": data["council"]["description"] or None,
            "links": [{"url": data["council"]["website"], "note": "website"}] if data["council"]["website"] else [],
        }
    ]
    body_ids = {}
    for body in data["bodies"]:
        body_id = identifier(slug, "bodies", body["key"])
        body_ids[body["key"]] = body_id
        organizations.append(
            {
                "id": body_id,
                "name": body["name"],
                "other_names": names(body),
                "identifiers": ident(body_id),
                "classification": body["kind"],
                "parent_id": council_id,
                "description": body["description"] or None,
            }
        )
    for state_body in data["state_bodies"]:
        state_id = state_body_identifier(state_body["key"])
        organizations.append(
            {
                "id": state_id,
                "name": state_body["name"],
                "other_names": names(state_body),
                "identifiers": ident(state_id),
                "classification": f"state_body:{state_body['kind']}",
                "links": [{"url": state_body["website"], "note": "website"}] if state_body["website"] else [],
            }
        )

    posts: dict[str, dict[str, Any]] = {}

    def post_for(organization_id: str, role: str) -> str:
        post_id = f"{organization_id}/posts/{role}"
        posts.setdefault(post_id, {"id": post_id, "label": role, "role": role, "organization_id": organization_id})
        return post_id

    convocation_names = {c["number"]: c["name"] for c in data["convocations"]}
    persons: list[dict[str, Any]] = []
    memberships: list[dict[str, Any]] = []
    for person in data["people"]:
        person_id = identifier(slug, "people", person["key"])
        summary = ", ".join(part for part in (person["position"], person["organisation"]) if part)
        persons.append(
            {
                "id": person_id,
                "name": person["full_name"],
                "identifiers": ident(person_id),
                "summary": summary or None,
            }
        )
        for n, membership in enumerate(person["memberships"]):
            memberships.append(
                {
                    "id": f"{person_id}/memberships/{membership['convocation']}-{n}",
                    "label": convocation_names.get(membership["convocation"]) or None,
                    "role": membership["role"],
                    "person_id": person_id,
                    "organization_id": council_id,
                    "post_id": post_for(council_id, membership["role"]),
                    "start_date": _date_or_none(membership["start_date"]),
                    "end_date": _date_or_none(membership["end_date"]),
                }
            )
        for n, seat in enumerate(person["bodies"]):
            body_id = body_ids[seat["body"]]
            memberships.append(
                {
                    "id": f"{person_id}/seats/{seat['body']}-{n}",
                    "role": seat["role"],
                    "person_id": person_id,
                    "organization_id": body_id,
                    "post_id": post_for(body_id, seat["role"]),
                    "start_date": _date_or_none(seat["start_date"]),
                    "end_date": _date_or_none(seat["end_date"]),
                }
            )

    events: list[dict[str, Any]] = []
    for meeting in data["meetings"]:
        event_id = identifier(slug, "meetings", meeting["key"])
        events.append(
            {
                "id": event_id,
                "name": meeting["title"] or meeting["kind"],
                "description": meeting["goal"] or None,
                "start_date": meeting["date"],
                "location": meeting["place"] or None,
                "classification": f"meeting:{meeting['kind']}",
                "identifiers": ident(event_id),
                "organization_id": body_ids.get(meeting["body"]) if meeting["body"] else council_id,
            }
        )
    for hearing in data["hearings"]:
        event_id = identifier(slug, "hearings", hearing["key"])
        events.append(
            {
                "id": event_id,
                "name": hearing["topic"],
                "start_date": hearing["date"],
                "classification": "public_hearing",
                "identifiers": ident(event_id),
                "organization_id": body_ids.get(hearing["organiser"]) if hearing["organiser"] else council_id,
            }
        )

    return {
        "meta": {
            "format": "popolo",
            "spec": "https://www.popoloproject.com/specs/",
            "council": slug,
            "year": data["year"],
            "source": site_url(f"/open-data/{slug}/{data['year']}.json"),
            "license": LICENSE,
            "license_url": LICENSE_URL,
            "identifier_scheme": "oversight: <council>/<list>/<key>, the lists and keys of the council-activity "
            "file; state bodies state_bodies/<slug>",
        },
        "persons": persons,
        "organizations": organizations,
        "memberships": memberships,
        "posts": sorted(posts.values(), key=lambda post: post["id"]),
        "events": events,
    }


# ---- the files as bytes, kept under the data version ---------------------------------------------------------


@dataclass(frozen=True)
class OpenDataFile:
    content: bytes
    etag: str
    filename: str
    content_type: str


def _file(content: bytes, filename: str, content_type: str) -> OpenDataFile:
    return OpenDataFile(
        content=content,
        etag=hashlib.sha256(content).hexdigest()[:32],
        filename=filename,
        content_type=content_type,
    )


def public_file_text(data: dict[str, Any]) -> str:
    """The published file of a `public_council_activity` document: format /4, a field at its default left out."""
    return council_activity_dumps(without_defaults(copy.deepcopy(data)))


def council_year_file(council: Council, year: int) -> OpenDataFile:
    data = public_council_activity(council=council, year=year)
    return _file(
        public_file_text(data).encode("utf-8"), f"{council.slug}-{year}.json", "application/json; charset=utf-8"
    )


def council_year_popolo(council: Council, year: int) -> OpenDataFile:
    data = popolo_document(public_council_activity(council=council, year=year))
    return _file(
        council_activity_dumps(data).encode("utf-8"),
        f"{council.slug}-{year}.popolo.json",
        "application/json; charset=utf-8",
    )


BULK_README = """Open data of the public councils of Kazakhstan
==============================================

{councils} councils, one file per council and year: <council>/<council>-<year>.json, a council-activity file
(format oversight.council-activity/4, public fields only) and <council>/<council>-<year>.popolo.json, the
same as Popolo. The format: {site}/open-data/ and docs/council-activity-format.md in the portal's source.

Licence: Creative Commons Attribution 4.0 International (CC BY 4.0), {license_url}.
Source: {site}/open-data/
"""


def bulk_zip() -> OpenDataFile:
    """Every published council's every year, as public files and Popolo documents, with a README (deflated; the
    dates in the archive are fixed, so the same data gives the same bytes)."""
    buffer = io.BytesIO()
    stamp = (1980, 1, 1, 0, 0, 0)
    councils = list(published_councils())
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, content: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)

        add(
            "README.txt",
            BULK_README.format(councils=len(councils), site=site_url(), license_url=LICENSE_URL).encode("utf-8"),
        )
        for council in councils:
            for year in council_years(council):
                try:
                    data = public_council_activity(council=council, year=year)
                except NothingToExport:
                    continue
                add(f"{council.slug}/{council.slug}-{year}.json", public_file_text(data).encode("utf-8"))
                add(
                    f"{council.slug}/{council.slug}-{year}.popolo.json",
                    council_activity_dumps(popolo_document(data)).encode("utf-8"),
                )
    return _file(buffer.getvalue(), "oversight-open-data.zip", "application/zip")
