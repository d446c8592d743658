"""A representative body as a Popolo document (https://www.popoloproject.com/specs/): the body, its parties and
committees as organizations; its deputies as persons with their official contacts (public by law); their mandates
as memberships on posts (a seat per constituency, a party-list seat, the chair); published sessions as events;
published roll calls as vote events with counts and votes. Validated in the tests against the vendored schemas
(interchange/schema/popolo/). Only public records: no draft, no question, nothing of a question's author."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods

from .models import Mandate, Post, RepresentativeBody, VoteEvent
from .selectors import published_sessions, vote_tally

SCHEME = "oversight-deputies"
LICENSE = "CC-BY-4.0"


def _ident(value: str) -> list[dict[str, str]]:
    return [{"scheme": SCHEME, "identifier": value}]


def _names(record: Any, field: str = "name") -> list[dict[str, str]]:
    return [
        {"name": value, "note": lang}
        for lang in ("ru", "kk", "en")
        if (value := getattr(record, f"{field}_{lang}", None))
    ]


def body_popolo(body: RepresentativeBody) -> dict[str, Any]:
    body_id = f"bodies/{body.slug}"
    organizations: list[dict[str, Any]] = [
        {
            "id": body_id,
            "name": body.name_ru,
            "other_names": _names(body),
            "identifiers": _ident(body_id),
            "classification": f"legislature:{body.level}",
            "links": [{"url": body.website, "note": "website"}] if body.website else [],
        }
    ]
    for committee in body.committees.all():
        organizations.append(
            {
                "id": f"{body_id}/committees/{committee.pk}",
                "name": committee.name_ru,
                "other_names": _names(committee),
                "classification": "committee",
                "parent_id": body_id,
            }
        )
    posts: dict[str, dict[str, Any]] = {}

    def post_for(mandate: Mandate) -> str:
        if mandate.post == Post.CHAIR:
            key, label = "chair", "Председатель маслихата"
        elif mandate.constituency is not None:
            key, label = f"constituency-{mandate.constituency.number}", f"Округ № {mandate.constituency.number}"
        else:
            key, label = "party-list", "Депутат по партийному списку"
        post_id = f"{body_id}/posts/{key}"
        entry: dict[str, Any] = {"id": post_id, "label": label, "role": mandate.post, "organization_id": body_id}
        if mandate.constituency is not None:
            entry["area"] = {
                "id": f"{body_id}/areas/{mandate.constituency.number}",
                "name": mandate.constituency.name_ru,
            }
        posts.setdefault(post_id, entry)
        return post_id

    persons: dict[str, dict[str, Any]] = {}
    memberships: list[dict[str, Any]] = []
    party_ids: set[str] = set()
    mandates = (
        Mandate.objects.filter(convocation__body=body)
        .select_related("deputy", "constituency", "party", "convocation")
        .prefetch_related("committees")
        .order_by("id")
    )
    for mandate in mandates:
        deputy = mandate.deputy
        person_id = f"deputies/{deputy.slug}"
        if person_id not in persons:
            contacts = []
            if deputy.office_email:
                contacts.append({"type": "email", "value": deputy.office_email, "note": "official"})
            if deputy.office_phone:
                contacts.append({"type": "voice", "value": deputy.office_phone, "note": "official"})
            persons[person_id] = {
                "id": person_id,
                "name": deputy.full_name_ru,
                "other_names": _names(deputy, "full_name"),
                "identifiers": _ident(person_id),
                "biography": deputy.biography_ru or None,
                "contact_details": contacts,
            }
        membership: dict[str, Any] = {
            "id": f"mandates/{mandate.pk}",
            "label": mandate.convocation.name_ru,
            "role": mandate.post,
            "person_id": person_id,
            "organization_id": body_id,
            "post_id": post_for(mandate),
            "start_date": mandate.start_date.isoformat(),
            "end_date": mandate.end_date.isoformat() if mandate.end_date else None,
        }
        if mandate.party is not None:
            party_id = f"parties/{mandate.party.slug}"
            membership["on_behalf_of_id"] = party_id
            if party_id not in party_ids:
                party_ids.add(party_id)
                organizations.append(
                    {
                        "id": party_id,
                        "name": mandate.party.name_ru,
                        "other_names": _names(mandate.party),
                        "classification": "party",
                    }
                )
        memberships.append(membership)
        for committee in mandate.committees.all():
            memberships.append(
                {
                    "id": f"mandates/{mandate.pk}/committees/{committee.pk}",
                    "role": "member",
                    "person_id": person_id,
                    "organization_id": f"{body_id}/committees/{committee.pk}",
                    "start_date": mandate.start_date.isoformat(),
                    "end_date": mandate.end_date.isoformat() if mandate.end_date else None,
                }
            )
    sessions = list(published_sessions().filter(body=body).order_by("date", "id"))
    events = [
        {
            "id": f"sessions/{session.pk}",
            "name": f"Сессия № {session.number}",
            "start_date": session.date.isoformat(),
            "classification": f"session:{session.kind}",
            "organization_id": body_id,
            "identifiers": _ident(f"sessions/{session.pk}"),
            "links": [{"url": session.source_url, "note": "source"}] if session.source_url else [],
        }
        for session in sessions
    ]
    vote_events = []
    votes = (
        VoteEvent.objects.filter(session__in=[s.pk for s in sessions])
        .prefetch_related("ballots__deputy")
        .order_by("id")
    )
    for vote in votes:
        tally = vote_tally(vote)
        vote_events.append(
            {
                "id": f"votes/{vote.pk}",
                "organization_id": body_id,
                "legislative_session_id": f"sessions/{vote.session_id}",
                "motion": {"id": f"votes/{vote.pk}/motion", "text": vote.motion, "organization_id": body_id},
                "result": "pass" if tally.passed else "fail",
                "counts": [
                    {"option": "yes", "value": tally.yes},
                    {"option": "no", "value": tally.no},
                    {"option": "abstain", "value": tally.abstain},
                    {"option": "absent", "value": tally.absent},
                ],
                "votes": [
                    {
                        "id": f"votes/{vote.pk}/{ballot.deputy.slug}",
                        "vote_event_id": f"votes/{vote.pk}",
                        "voter_id": f"deputies/{ballot.deputy.slug}",
                        "option": ballot.option,
                    }
                    for ballot in vote.ballots.all()
                ],
            }
        )
    return {
        "meta": {
            "format": "popolo",
            "spec": "https://www.popoloproject.com/specs/",
            "body": body.slug,
            "license": LICENSE,
            "demo": body.is_demo,
        },
        "persons": list(persons.values()),
        "organizations": organizations,
        "memberships": memberships,
        "posts": list(posts.values()),
        "events": events,
        "vote_events": vote_events,
    }


@require_http_methods(["GET", "HEAD"])
def popolo_view(request: HttpRequest, body_slug: str) -> HttpResponse:
    body = get_object_or_404(RepresentativeBody, slug=body_slug)
    text = json.dumps(body_popolo(body), ensure_ascii=False, indent=1)
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{body.slug}.popolo.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
