"""Check demo/almaty_2019.json: the schema, the figures of DOMAIN.md and the integrity of every reference.

    .venv/bin/python demo/tools/check_figures.py [path/to/file.json]

Exits non-zero with the list of failures. The figures are computed the way the annual report counts them:
members are memberships active on 31 December 2019 (experts are listed apart, in `experts`, and never counted).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path

import jsonschema

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workdays import add_working_days, is_working_day  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "demo" / "almaty_2019.json"
SCHEMA = ROOT / "interchange" / "schema" / "council-activity-3.schema.json"
YEAR_END = dt.date(2019, 12, 31)
MEMBER_ROLES = {"chair", "deputy_chair", "secretary", "member"}

failures: list[str] = []


def check(condition: bool, message: str) -> None:
    if not condition:
        failures.append(message)


def d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def active(start: str | None, end: str | None, day: dt.date = YEAR_END) -> bool:
    return (start is None or d(start) <= day) and (end is None or d(end) >= day)


def membership(person: dict) -> dict | None:
    """The person's membership of the file's one convocation (version 2 keeps a list, one per convocation)."""
    ms = person.get("memberships") or []
    check(len(ms) <= 1, f"{person['key']}: {len(ms)} memberships, the file has one convocation")
    return ms[0] if ms else None


def unique_keys(rows: list[dict], what: str, field: str = "key") -> set[str]:
    keys = [r[field] for r in rows]
    dupes = [k for k, n in Counter(keys).items() if n > 1]
    check(not dupes, f"{what}: duplicate {field}s {dupes}")
    return set(keys)


def walk_dates(node, path=""):
    """Every value that looks like a date, with its path."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from walk_dates(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk_dates(v, f"{path}[{i}]")
    elif isinstance(node, str) and len(node) == 10 and node[4] == "-" and node[7] == "-" and node[:4].isdigit():
        yield path, node


def walk_urls(node, path=""):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in {"url", "website"} and isinstance(v, str) and v:
                yield f"{path}.{k}", v
            elif k in {"links", "social_links"}:
                for i, u in enumerate(v):
                    yield f"{path}.{k}[{i}]", u
            else:
                yield from walk_urls(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk_urls(v, f"{path}[{i}]")


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA
    raw = path.read_bytes()
    data = json.loads(raw)

    # -- format ---------------------------------------------------------------------------------------------
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).iter_errors(data))
    for e in errors[:20]:
        failures.append(f"schema: {'/'.join(map(str, e.absolute_path))}: {e.message[:200]}")
    check(raw.endswith(b"\n") and not raw.endswith(b"\n\n"), "file must end with exactly one newline")
    check(
        raw == (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode(),
        "not written with ensure_ascii=False, indent=2",
    )
    check(data["year"] == 2019, "year must be 2019")
    c = data["council"]
    check((c["slug"], c["code"], c["kind"], c.get("city")) == ("almaty", "ALM", "city", "Алматы"), "council identity")
    check(data["format"] == "oversight.council-activity/3", "format must be oversight.council-activity/3")
    convocations = data["convocations"]
    check(
        [(cv["number"], cv["start_date"]) for cv in convocations] == [(2, "2019-03-01")],
        "one convocation: the II, from 2019-03-01",
    )
    check(all(b["convocation"] == 2 for b in data["bodies"]), "every body belongs to the II convocation")

    for where, day in walk_dates(data):
        check(day.startswith("2019-"), f"date outside 2019 at {where}: {day}")

    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator  # the validator of the models' URLField

    validate_url = URLValidator(schemes=["http", "https"])
    for where, url in walk_urls(data):
        try:
            validate_url(url)
        except ValidationError:
            failures.append(f"invalid URL at {where}: {url}")
        check(not url.endswith((",", ".", ";", ")")), f"URL with trailing punctuation at {where}: {url}")

    # -- keys -------------------------------------------------------------------------------------------------
    bodies = {b["key"]: b for b in data["bodies"]}
    unique_keys(data["bodies"], "bodies")
    people = {p["key"]: p for p in data["people"]}
    unique_keys(data["people"], "people")
    experts = {e["person"] for e in data.get("experts", [])}
    for e in data.get("experts", []):
        check(e["person"] in people, f"experts: unknown person {e['person']}")
        check(membership(people.get(e["person"], {"key": e["person"]})) is None, f"expert {e['person']} is a member")
    check(len(experts) == 3, f"experts: {len(experts)} != 3")
    state_bodies = unique_keys(data["state_bodies"], "state_bodies")
    meetings = data["meetings"]
    unique_keys(meetings, "meetings")
    agenda_items = {ai["key"]: (m, ai) for m in meetings for ai in m.get("agenda", [])}
    unique_keys([ai for m in meetings for ai in m.get("agenda", [])], "agenda items (across the file)")
    for m in meetings:
        numbers = [ai["number"] for ai in m.get("agenda", [])]
        check(numbers == list(range(1, len(numbers) + 1)), f"{m['key']}: agenda numbers {numbers}")
    hearings = {h["key"]: h for h in data["hearings"]}
    unique_keys(data["hearings"], "hearings")
    monitoring = {m["key"]: m for m in data["monitoring"]}
    unique_keys(data["monitoring"], "monitoring")
    reviews = {r["key"]: r for r in data["draft_reviews"]}
    unique_keys(data["draft_reviews"], "draft_reviews")
    unique_keys(data["recommendations"], "recommendations")
    appeal_numbers = unique_keys(data["appeals"], "appeals", "number")
    partners = unique_keys(data["partners"], "partners")
    unique_keys(data["memoranda"], "memoranda")
    unique_keys(data["work_plan"], "work_plan", "number")

    def ref(value, keys, where):
        check(value is None or value in keys, f"{where}: unknown key {value!r}")

    for p in data["people"]:
        for s in p.get("bodies") or []:
            ref(s["body"], bodies, f"people {p['key']} bodies")
    for m in meetings:
        ref(m.get("body"), bodies, f"meeting {m['key']} body")
        for ai in m.get("agenda", []):
            ref(ai.get("state_body"), state_bodies, f"agenda item {ai['key']} state_body")
    for h in data["hearings"]:
        ref(h.get("organiser"), bodies, f"hearing {h['key']} organiser")
    for ev in data["monitoring"]:
        ref(ev.get("commission"), bodies, f"monitoring {ev['key']} commission")
        for part in ev.get("participants", []):
            ref(part.get("person"), people, f"monitoring {ev['key']} participant")
            check(bool(part.get("person")) or bool(part.get("name")), f"monitoring {ev['key']}: unnamed participant")
            if part.get("person"):
                ms = membership(people[part["person"]])
                if part["kind"] == "member":
                    check(
                        ms is not None and ms["role"] in MEMBER_ROLES, f"{ev['key']}: {part['person']} is not a member"
                    )
                if part["kind"] == "outsider":
                    check(ms is None, f"{ev['key']}: outsider {part['person']} has a membership")
    for r in data["draft_reviews"]:
        ref(r.get("developer"), state_bodies, f"draft review {r['key']} developer")
    source_keys = {
        "monitoring": set(monitoring),
        "hearing": set(hearings),
        "agenda_item": set(agenda_items),
        "draft_review": set(reviews),
        "appeal": appeal_numbers,
    }
    for r in data["recommendations"]:
        ref(r.get("state_body"), state_bodies, f"recommendation {r['key']} state_body")
        if r.get("source"):
            ref(r["source"]["key"], source_keys[r["source"]["type"]], f"recommendation {r['key']} source")
    for a in data["appeals"]:
        ref(a.get("forwarded_to"), state_bodies, f"appeal {a['number']} forwarded_to")
        ref(a.get("assigned_body"), bodies, f"appeal {a['number']} assigned_body")
    for mem in data["memoranda"]:
        ref(mem.get("partner"), partners, f"memorandum {mem['key']} partner")
        for other in mem.get("other_parties", []):
            ref(other, partners, f"memorandum {mem['key']} other party")
    record_keys = {
        "meeting": {m["key"] for m in data["meetings"]},
        "hearing": {h["key"] for h in data["hearings"]},
        "monitoring": {e["key"] for e in data["monitoring"]},
        "draft_review": {r["key"] for r in data["draft_reviews"]},
        "recommendation": {r["key"] for r in data["recommendations"]},
    }
    for item in data["work_plan"]:
        for link in item.get("records", []):
            ref(link["record"]["key"], record_keys[link["record"]["type"]], f"work plan item {item['number']} record")
    unique_keys(data.get("consultative_seats", []), "consultative_seats")
    for cs in data.get("consultative_seats", []):
        ref(cs["person"], people, f"consultative seat {cs['key']} person")
        ref(cs.get("state_body"), state_bodies, f"consultative seat {cs['key']} state_body")
        ms = membership(people[cs["person"]]) if cs["person"] in people else None
        check(
            ms is not None or cs["person"] in experts,
            f"consultative seat {cs['key']}: {cs['person']} is not a member or expert",
        )
        check(cs.get("demo") is True, f"consultative seat {cs['key']}: the report names no body, so it is demo")

    # -- composition on 31 December 2019 ------------------------------------------------------------------
    members = [
        p
        for p in data["people"]
        if membership(p)
        and membership(p)["role"] in MEMBER_ROLES
        and active(membership(p)["start_date"], membership(p).get("end_date"))
    ]
    aff = Counter(membership(p)["affiliation"] for p in members)
    check(len(members) == 37, f"members on 2019-12-31: {len(members)} != 37")
    check(aff["state_body"] == 3, f"state body members: {aff['state_body']} != 3")
    check(aff["civil_society"] == 34, f"civil society members: {aff['civil_society']} != 34")
    check(sum(membership(p)["role"] == "chair" for p in members) <= 1, "more than one council chair")
    commissions = [b for b in data["bodies"] if b["kind"] == "commission"]
    check(len(commissions) == 7, f"commissions: {len(commissions)} != 7")
    check(sorted(b["number"] for b in commissions) == list(range(1, 8)), "commission numbers must be 1..7")
    check(sum(b["kind"] == "presidium" for b in data["bodies"]) == 1, "exactly one presidium")
    commission_keys = {b["key"] for b in commissions}
    for p in members:
        seats = [
            s
            for s in p.get("bodies") or []
            if s["body"] in commission_keys and active(s.get("start_date"), s.get("end_date"))
        ]
        check(1 <= len(seats) <= 2, f"member {p['key']} sits in {len(seats)} commissions on 2019-12-31")
    for key in commission_keys:
        chairs = [
            p["key"]
            for p in members
            for s in p.get("bodies") or []
            if s["body"] == key and s["role"] == "chair" and active(s.get("start_date"), s.get("end_date"))
        ]
        check(len(chairs) == 1, f"{key}: {len(chairs)} chairs on 2019-12-31")
    for p in data["people"]:
        ms = membership(p)
        for s in p.get("bodies") or []:
            if ms and s.get("start_date"):
                check(s["start_date"] >= ms["start_date"], f"{p['key']}: seat in {s['body']} before the membership")
            if ms and ms.get("end_date"):
                check(
                    s.get("end_date") is not None and s["end_date"] <= ms["end_date"],
                    f"{p['key']}: seat in {s['body']} outlives the membership",
                )
            if s["role"] == "chair" and s["body"] in commission_keys:
                check(
                    ms is not None and ms["role"] in MEMBER_ROLES,
                    f"{p['key']} chairs a commission but is no member",
                )
        # Demo records are marked by their flag only: a visitor reads names, not placeholders.
        for field in ("full_name", "organisation", "position"):
            check("демо" not in (p.get(field) or "").lower(), f"{p['key']}: «демо» in the {field} a visitor reads")
    names = Counter(p["full_name"] for p in data["people"])
    check(all(n == 1 for n in names.values()), f"the same name twice: {[k for k, n in names.items() if n > 1]}")

    # -- meetings -------------------------------------------------------------------------------------------
    by_kind = Counter(m["kind"] for m in meetings)
    check(by_kind["council"] == 17, f"council meetings: {by_kind['council']} != 17")
    presidium_months = sorted(d(m["date"]).month for m in meetings if m["kind"] == "presidium")
    check(presidium_months == [4, 5, 10, 11], f"presidium meetings by month: {presidium_months}")
    check(by_kind["seminar"] == 5, f"seminars: {by_kind['seminar']} != 5")
    check(by_kind["round_table"] == 4, f"round tables: {by_kind['round_table']} != 4")
    check(by_kind["working"] == 1, f"working meetings: {by_kind['working']} != 1")
    council_items = sum(len(m["agenda"]) for m in meetings if m["kind"] == "council")
    check(council_items == 28, f"council agenda items: {council_items} != 28 (the report's list)")
    council_months = {d(m["date"]).month for m in meetings if m["kind"] == "council"}
    check(min(council_months) >= 3, "council meetings before March")
    ext_items = sum(len(m["agenda"]) for m in meetings if m["kind"] == "commission" and m.get("is_extended"))
    check(ext_items == 21, f"extended commission agenda items: {ext_items} != 21 (the report's list)")
    for m in meetings:
        check(is_working_day(d(m["date"])), f"meeting {m['key']} on a day off {m['date']}")
        if m["kind"] == "commission":
            check(bodies.get(m.get("body"), {}).get("kind") == "commission", f"{m['key']}: body is not a commission")
        if m["kind"] == "presidium":
            check(m.get("body") == "presidium", f"{m['key']}: body is not the presidium")
        if m["kind"] == "round_table":
            check(bool(m.get("title")), f"{m['key']}: round table without a topic")
        for ai in m.get("agenda", []):
            if ai.get("kind") == "report_hearing" and m["kind"] == "commission":
                check(ai.get("state_body") is not None, f"{ai['key']}: report heard without a state body")

    # -- hearings -------------------------------------------------------------------------------------------
    check(len(hearings) == 4, f"hearings: {len(hearings)} != 4")
    dates = sorted(h["date"] for h in hearings.values())
    check(dates[0] == "2019-04-26" and dates[-1] == "2019-12-12", f"hearing dates: {dates}")
    for h in hearings.values():
        if h["date"] not in {"2019-04-26", "2019-12-12"}:
            check(h.get("demo") is True, f"hearing {h['key']} has a chosen date but no demo flag")

    # -- monitoring -----------------------------------------------------------------------------------------
    check(len(monitoring) == 18, f"monitoring events: {len(monitoring)} != 18")
    months = Counter(d(ev["date"]).month for ev in monitoring.values())
    expected = {4: 4, 5: 2, 6: 5, 7: 2, 8: 1, 10: 2, 11: 1, 12: 1}
    check(dict(months) == expected, f"monitoring by month: {dict(sorted(months.items()))} != {expected}")
    for ev in monitoring.values():
        if ev.get("date_precision") == "month":
            check(ev["date"].endswith("-01"), f"{ev['key']}: month precision but not the 1st")
        for link in ev.get("publicity", []):
            host = link["url"].split("/")[2].removeprefix("www.")
            if host == "almatykenes.kz":
                check(link["kind"] == "site", f"{ev['key']}: {link['url']} should be site")
            if "facebook.com" in host:
                check(link["kind"] == "facebook", f"{ev['key']}: {link['url']} should be facebook")

    # -- draft reviews --------------------------------------------------------------------------------------
    rv = data["draft_reviews"]
    conclusions = Counter(r.get("conclusion", "") for r in rv)
    check(len(rv) == 89, f"draft reviews: {len(rv)} != 89")
    approved = conclusions["approved"] + conclusions["approved_with_remarks"]
    check(approved == 89, f"approved (incl. with remarks): {approved} != 89")
    check(conclusions["approved_with_remarks"] == 4, f"with remarks: {conclusions['approved_with_remarks']} != 4")
    for r in rv:
        length = (d(r["discussion_end"]) - d(r["discussion_start"])).days
        check(length >= 10, f"{r['key']}: discussion {length} days < 10")
        if r.get("conclusion") == "approved_with_remarks":
            check(bool(r.get("remarks")), f"{r['key']}: remarks missing")
    real = [r for r in rv if not r.get("demo")]
    check(
        len(real) == 1
        and "О мирных собраниях" in real[0]["title"]
        and real[0]["conclusion"] == "approved_with_remarks",
        "the one transcribed review must be «О мирных собраниях», approved with remarks",
    )

    # -- recommendations ------------------------------------------------------------------------------------
    for r in data["recommendations"]:
        hist = r.get("history", [])
        check(bool(hist) and hist[-1]["status"] == r["status"], f"{r['key']}: status is not the last history entry")
        check([h["date"] for h in hist] == sorted(h["date"] for h in hist), f"{r['key']}: history out of order")
        if r.get("sent_on"):
            check(r["sent_on"] >= r["issued_on"], f"{r['key']}: sent before issued")
            due = add_working_days(d(r["sent_on"]), 10).isoformat()
            check(r.get("response_due") == due, f"{r['key']}: response_due {r.get('response_due')} != {due}")
            check(
                hist[0]["status"] == "sent" and hist[0]["date"] == r["sent_on"],
                f"{r['key']}: history must start with sent",
            )
        if r["status"] in {"answered", "implemented"}:
            check(bool(r.get("responses")), f"{r['key']}: {r['status']} without a response")
        for resp in r.get("responses", []):
            check(resp["received_on"] >= (r.get("sent_on") or r["issued_on"]), f"{r['key']}: answer before sending")
    sources = Counter(r["source"]["type"] for r in data["recommendations"] if r.get("source"))
    check(
        sources["hearing"] >= 2 and sources["monitoring"] >= 1 and sources["agenda_item"] >= 1,
        f"recommendation sources: {sources}",
    )

    # -- appeals --------------------------------------------------------------------------------------------
    appeals = data["appeals"]
    kinds = Counter(a["applicant_type"] for a in appeals)
    check(len(appeals) == 764, f"appeals: {len(appeals)} != 764")
    check(kinds["individual"] == 213, f"individual appeals: {kinds['individual']} != 213")
    check(kinds["legal_entity"] == 551, f"legal entity appeals: {kinds['legal_entity']} != 551")
    cats = Counter(a["category"] for a in appeals if a["applicant_type"] == "individual")
    eti = cats["ecology"] + cats["transport"] + cats["improvement"]
    check((eti, cats["housing"], 213 - eti - cats["housing"]) == (149, 21, 43), f"individual categories: {dict(cats)}")
    expected_numbers = [f"ALM-2019-{n:06d}" for n in range(1, len(appeals) + 1)]
    check([a["number"] for a in appeals] == expected_numbers, "appeal numbers must run ALM-2019-000001.. in file order")
    registered = [a["registered_on"] for a in appeals]
    check(registered == sorted(registered), "appeal numbers not in date order")
    for a in appeals:
        day = d(a["registered_on"])
        check(a.get("demo") is True, f"{a['number']}: not demo")
        check(3 <= day.month <= 12 and is_working_day(day), f"{a['number']}: registered on {day}")
        check(a.get("due_date") == add_working_days(day, 15).isoformat(), f"{a['number']}: due_date")
        if a.get("answered_on"):
            check(a["registered_on"] <= a["answered_on"] <= a["due_date"], f"{a['number']}: answered_on")
        if a["status"] in {"forwarded", "answer_received"}:
            check(a.get("forwarded_to") is not None, f"{a['number']}: forwarded without a body")
        if a["status"] in {"answered", "closed"}:
            check(a.get("answered_on") is not None, f"{a['number']}: {a['status']} without answered_on")

    # -- memoranda, work plan -------------------------------------------------------------------------------
    check(len(data["memoranda"]) == 3, f"memoranda: {len(data['memoranda'])} != 3")
    check(all(m.get("partner") for m in data["memoranda"]), "every memorandum needs a partner")
    check(len(data["work_plan"]) >= 8, "work plan too short")
    # Format /3: the plan's execution and the memoranda's commitments, as the report tells them.
    linked = {item["number"]: len(item.get("records", [])) for item in data["work_plan"]}
    check(
        [n for n, count in linked.items() if count] == [1, 2, 3, 4, 5, 7, 8, 9],
        f"plan items with records: {linked}",
    )
    check(linked[3] == 4 and linked[4] == 18 and linked[5] == 89 and linked[7] == 5 and linked[8] == 4, "plan links")
    commitments = {m["key"]: m.get("commitments", []) for m in data["memoranda"]}
    check(len(commitments["mem-3"]) == 4, "mem-3: the report names four things the memorandum brought")
    check(
        all(c["done_on"] is None or c["done_on"] <= "2019-12-31" for cs in commitments.values() for c in cs),
        "a commitment done after the year",
    )

    if failures:
        print(f"{path}: {len(failures)} failure(s)")
        for f in failures:
            print("  -", f)
        return 1
    print(
        f"{path}: OK — members 37 (3 state, 34 civil society), 7 commissions, {by_kind['council']} council and "
        f"4 presidium meetings, 4 hearings, 18 monitoring events, 89 draft reviews (4 with remarks), "
        f"{len(appeals)} appeals ({kinds['individual']} individuals, {kinds['legal_entity']} legal entities), "
        f"5 seminars, 4 round tables, 3 memoranda, {len(data['recommendations'])} recommendations; references intact"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
