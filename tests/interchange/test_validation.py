"""The validator alone: no database. Every error is reported with its JSON path."""

from __future__ import annotations

from typing import Any

import pytest

from interchange.validation import ValidationIssue, validate_council_activity


def messages(data: Any) -> list[str]:
    return [str(issue) for issue in validate_council_activity(data)]


def test_sample_is_valid(sample):
    assert validate_council_activity(sample) == []


def test_issue_is_path_and_message():
    issue = ValidationIssue("$.year", "expected integer")
    assert str(issue) == "$.year: expected integer"


def test_a_document_that_is_not_an_object_is_refused():
    assert messages([]) == ["$: expected an object, got array"]


def test_wrong_type_names_the_path(sample):
    sample["year"] = "2019"
    assert messages(sample) == ["$.year: expected integer, got string '2019'"]


def test_dangling_state_body_names_the_agenda_path(sample):
    sample["meetings"][1]["agenda"][1]["state_body"] = "x"
    assert messages(sample) == ["$.meetings[1].agenda[1].state_body: no state body with key 'x'"]


def test_unknown_meeting_kind_is_refused(sample):
    sample["meetings"][3]["kind"] = "party"
    [message] = messages(sample)
    assert message.startswith("$.meetings[3].kind: 'party' is not one of: ")


def test_missing_required_field_names_the_field(sample):
    del sample["hearings"][0]["topic"]
    assert messages(sample) == ["$.hearings[0].topic: required field is missing"]


def test_unknown_field_is_refused(sample):
    sample["council"]["email"] = "x@example.kz"
    assert messages(sample) == ["$.council.email: unknown field"]


def test_nullable_reference_reports_the_key_pattern_not_one_of(sample):
    sample["hearings"][0]["organiser"] = "Bad Key"
    assert messages(sample) == [
        "$.hearings[0].organiser: 'Bad Key' is not a valid key: use lower-case Latin letters, digits, '-' and '_', "
        "at most 64 characters, starting with a letter or digit, e.g. 'bad-key'"
    ]


def test_invalid_calendar_date_is_refused(sample):
    sample["meetings"][0]["date"] = "2019-02-30"
    assert messages(sample) == [
        "$.meetings[0].date: '2019-02-30' is not a valid date: there is no such day in the calendar"
    ]


def test_invalid_link_is_refused(sample):
    sample["meetings"][1]["links"] = ["http://bad url"]
    assert messages(sample) == ["$.meetings[1].links[0]: 'http://bad url' is not a valid http(s) address"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["convocations"][0].update(end_date="2018-01-01"),
            "$.convocations[0].end_date: 2018-01-01 is before 2018-12-20 ($.convocations[0].start_date): "
            "a convocation cannot end before it starts",
        ),
        (
            lambda d: d["people"][3]["memberships"][0].update(end_date="2018-01-01"),
            "$.people[3].memberships[0].end_date: 2018-01-01 is before 2018-12-20 "
            "($.people[3].memberships[0].start_date): a membership cannot end before it starts",
        ),
        (
            lambda d: d["draft_reviews"][0].update(discussion_end="2019-02-28"),
            "$.draft_reviews[0].discussion_end: 2019-02-28 is before 2019-03-01 "
            "($.draft_reviews[0].discussion_start): the discussion cannot end before it starts",
        ),
        (
            lambda d: d["recommendations"][0].update(sent_on="2019-03-17"),
            "$.recommendations[0].sent_on: 2019-03-17 is before 2019-03-18 ($.recommendations[0].issued_on): "
            "a recommendation cannot be sent before it is issued",
        ),
    ],
    ids=["convocation", "membership", "discussion", "sent-on"],
)
def test_dates_out_of_order_are_refused(sample, change, expected):
    change(sample)
    assert messages(sample) == [expected]


def test_duplicate_key_in_a_list_is_refused(sample):
    sample["partners"][1]["key"] = "eco-ngo"
    sample["memoranda"][1]["partner"] = "eco-ngo"
    assert messages(sample) == ["$.partners[1].key: duplicate key 'eco-ngo' (first used at $.partners[0].key)"]


def test_agenda_keys_are_unique_across_the_file(sample):
    sample["meetings"][2]["agenda"][0]["key"] = "c0410-org"
    assert messages(sample) == [
        "$.meetings[2].agenda[0].key: duplicate agenda key 'c0410-org' (first used at $.meetings[1].agenda[0].key)"
    ]


def test_agenda_numbers_are_unique_within_a_meeting(sample):
    sample["meetings"][1]["agenda"][1]["number"] = 1
    assert messages(sample) == [
        "$.meetings[1].agenda[1].number: duplicate agenda number 1 (first used at $.meetings[1].agenda[0].number)"
    ]


def test_duplicate_appeal_number_is_refused(sample):
    sample["appeals"][2]["number"] = "ALM-2019-000002"
    assert messages(sample) == [
        "$.appeals[2].number: duplicate number 'ALM-2019-000002' (first used at $.appeals[1].number)"
    ]


@pytest.mark.parametrize(
    ("index", "source_type", "what"),
    [
        (0, "draft_review", "no draft review with key 'nope'"),
        (1, "agenda_item", "no agenda item with key 'nope'"),
        (2, "monitoring", "no monitoring event with key 'nope'"),
        (3, "hearing", "no hearing with key 'nope'"),
        (4, "appeal", "no appeal with number 'nope'"),
    ],
)
def test_recommendation_source_must_resolve(sample, index, source_type, what):
    sample["recommendations"][index]["source"] = {"type": source_type, "key": "nope"}
    assert messages(sample) == [f"$.recommendations[{index}].source.key: {what}"]


def test_source_of_the_wrong_type_does_not_resolve(sample):
    # The key exists, but as a hearing, not as a monitoring event.
    sample["recommendations"][2]["source"] = {"type": "monitoring", "key": "hearing-parks"}
    assert messages(sample) == ["$.recommendations[2].source.key: no monitoring event with key 'hearing-parks'"]


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("meetings", 0, "body"), "nope", "$.meetings[0].body: no body with key 'nope'"),
        (("hearings", 1, "organiser"), "nope", "$.hearings[1].organiser: no body with key 'nope'"),
        (("monitoring", 0, "commission"), "nope", "$.monitoring[0].commission: no body with key 'nope'"),
        (("draft_reviews", 0, "developer"), "nope", "$.draft_reviews[0].developer: no state body with key 'nope'"),
        (
            ("recommendations", 0, "state_body"),
            "nope",
            "$.recommendations[0].state_body: no state body with key 'nope'",
        ),
        (("appeals", 0, "forwarded_to"), "nope", "$.appeals[0].forwarded_to: no state body with key 'nope'"),
        (("appeals", 1, "assigned_body"), "nope", "$.appeals[1].assigned_body: no body with key 'nope'"),
        (("memoranda", 0, "partner"), "nope", "$.memoranda[0].partner: no partner with key 'nope'"),
    ],
)
def test_dangling_reference_is_refused(sample, path, value, expected):
    *parents, last = path
    target = sample
    for part in parents:
        target = target[part]
    target[last] = value
    assert messages(sample) == [expected]


def test_dangling_person_and_seat_are_refused(sample):
    sample["monitoring"][0]["participants"][0]["person"] = "nobody"
    sample["people"][1]["bodies"][0]["body"] = "nowhere"
    assert messages(sample) == [
        "$.people[1].bodies[0].body: no body with key 'nowhere'",
        "$.monitoring[0].participants[0].person: no person with key 'nobody'",
    ]


def test_a_person_may_hold_seats_in_one_body_one_after_another(sample):
    seats = sample["people"][3]["bodies"]  # Seitkali chaired the ecology commission until 2019-10-01
    seats.append({"body": "commission-ecology", "role": "member", "start_date": "2019-11-01", "end_date": None})
    assert messages(sample) == []


@pytest.mark.parametrize(
    ("start_date", "earlier_end"),
    [("2019-10-01", "2019-10-01"), (None, "2019-10-01"), ("2019-11-01", None)],
    ids=["starts-the-day-the-other-ends", "no-start-date", "earlier-seat-still-open"],
)
def test_overlapping_seats_in_one_body_are_refused(sample, start_date, earlier_end):
    seats = sample["people"][3]["bodies"]
    seats[0]["end_date"] = earlier_end
    seats.append({"body": "commission-ecology", "role": "member", "start_date": start_date, "end_date": None})
    later, earlier = (2, 0) if start_date else (0, 2)  # a seat without a start date is the earliest
    assert messages(sample) == [
        f"$.people[3].bodies[{later}].body: seat in body 'commission-ecology' overlaps the seat at "
        f"$.people[3].bodies[{earlier}]: a later seat in the same body must start after the earlier one ends"
    ]


def test_participant_needs_a_person_or_a_name(sample):
    sample["monitoring"][0]["participants"][2]["name"] = " "
    assert messages(sample) == ["$.monitoring[0].participants[2]: a participant needs a person key or a name"]


def test_appeal_number_carries_the_council_code_and_the_file_year(sample):
    sample["appeals"][0]["number"] = "AST-2019-000001"
    sample["appeals"][1]["number"] = "ALM-2018-000002"
    sample["recommendations"][4]["source"] = None
    assert messages(sample) == [
        "$.appeals[0].number: 'AST-2019-000001' does not start with the council code 'ALM'",
        "$.appeals[1].number: 'ALM-2018-000002' does not carry the file's year 2019",
    ]


def test_numbers_the_database_cannot_hold_are_refused(sample):
    sample["meetings"][0]["attendance"] = 40000
    assert messages(sample) == ["$.meetings[0].attendance: 40000: must be at most 32767"]


def test_every_error_is_reported_in_the_order_of_the_file(sample):
    sample["year"] = "2019"
    sample["meetings"][3]["kind"] = "party"
    sample["meetings"][1]["agenda"][1]["state_body"] = "x"
    del sample["hearings"][0]["topic"]
    sample["draft_reviews"][1]["discussion_end"] = "2019-06-01"
    sample["bodies"][3]["key"] = "presidium"
    issues = validate_council_activity(sample)
    # The file's own order (the fields as written, list items by index), not the paths sorted as text.
    assert [issue.path for issue in issues] == [
        "$.year",
        "$.bodies[3].key",
        "$.meetings[1].agenda[1].state_body",
        "$.meetings[3].kind",
        "$.hearings[0].topic",
        "$.draft_reviews[1].discussion_end",
    ]
    # The working group's key is gone, so Seitkali's seat in it dangles: a consequence, not a second mistake.
    assert [str(c) for c in issues[1].consequences] == ["$.people[3].bodies[1].body: no body with key 'wg-legislation'"]
