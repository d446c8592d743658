"""A structural check of an Atom document against RFC 4287's requirements (its "MUST"s and the RELAX NG
schema of its Appendix B). No well-kept Atom validator is published on PyPI (the W3C feed validator is a
Python 2 web application), so the rules are written out here, each with the section it comes from; feedparser
(a tolerant parser, `bozo` = malformed) is checked beside it.

`atom_errors(xml)` returns the list of broken rules; an empty list is a valid feed.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree, html

NS = "http://www.w3.org/2005/Atom"
A = f"{{{NS}}}"
# RFC 3339 date-time, as 3.3 requires: an upper-case T and Z, seconds present, an offset or Z.
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
TEXT_TYPES = {"text", "html", "xhtml"}


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return element.findall(f"{A}{name}")


def _is_iri(value: str) -> bool:
    """4.2.6: an id is an absolute IRI (a scheme, then something)."""
    parts = urlsplit(value)
    return bool(parts.scheme) and bool(parts.netloc or parts.path) and " " not in value


def _text_construct(element: etree._Element, where: str) -> list[str]:
    """3.1: type is text, html or xhtml; html content is escaped markup that parses; xhtml holds one div."""
    errors = []
    kind = element.get("type", "text")
    if kind not in TEXT_TYPES:
        errors.append(f"{where}: type={kind!r} is not text, html or xhtml (3.1.1)")
    if kind in ("text", "html") and len(element):
        errors.append(f"{where}: type={kind} holds child elements; its markup must be escaped (3.1.1.1-2)")
    if kind == "html" and (element.text or "").strip():
        try:
            html.fragment_fromstring(element.text, create_parent="div")
        except etree.ParserError as error:
            errors.append(f"{where}: the escaped HTML does not parse: {error} (3.1.1.2)")
    if kind == "xhtml":
        divs = [c for c in element if c.tag == "{http://www.w3.org/1999/xhtml}div"]
        if len(element) != 1 or len(divs) != 1:
            errors.append(f"{where}: xhtml content must be exactly one XHTML div (3.1.1.3)")
    return errors


def _person(element: etree._Element, where: str) -> list[str]:
    """3.2: exactly one non-empty name; at most one uri and email."""
    errors = []
    names = _children(element, "name")
    if len(names) != 1 or not (names[0].text or "").strip():
        errors.append(f"{where}: a person construct needs exactly one non-empty atom:name (3.2.1)")
    for optional in ("uri", "email"):
        if len(_children(element, optional)) > 1:
            errors.append(f"{where}: more than one atom:{optional} (3.2)")
    return errors


def _links(element: etree._Element, where: str) -> list[str]:
    """4.2.7: href present; at most one rel=alternate per (type, hreflang)."""
    errors = []
    alternates: set[tuple[str | None, str | None]] = set()
    for link in _children(element, "link"):
        if not link.get("href"):
            errors.append(f"{where}: atom:link without href (4.2.7.1)")
        if link.get("rel", "alternate") == "alternate":
            pair = (link.get("type"), link.get("hreflang"))
            if pair in alternates:
                errors.append(f"{where}: two rel=alternate links with the same type and hreflang (4.1.1, 4.1.2)")
            alternates.add(pair)
    return errors


def _common(element: etree._Element, where: str, *, required: tuple[str, ...]) -> list[str]:
    errors = []
    for name in required:
        found = _children(element, name)
        if len(found) != 1:
            errors.append(f"{where}: exactly one atom:{name} required, found {len(found)}")
    for name in (
        "id",
        "title",
        "updated",
        "rights",
        "subtitle",
        "icon",
        "logo",
        "generator",
        "summary",
        "published",
        "content",
        "source",
    ):
        if len(_children(element, name)) > 1:
            errors.append(f"{where}: more than one atom:{name}")
    for ident in _children(element, "id"):
        if not _is_iri((ident.text or "").strip()):
            errors.append(f"{where}: atom:id {ident.text!r} is not an absolute IRI (4.2.6)")
    for name in ("updated", "published"):
        for date in _children(element, name):
            if not DATE.match((date.text or "").strip()):
                errors.append(f"{where}: atom:{name} {date.text!r} is not an RFC 3339 date-time (3.3)")
    for name in ("title", "subtitle", "summary", "rights"):
        for construct in _children(element, name):
            errors += _text_construct(construct, f"{where} atom:{name}")
    for name in ("author", "contributor"):
        for person in _children(element, name):
            errors += _person(person, f"{where} atom:{name}")
    errors += _links(element, where)
    return errors


def atom_errors(document: bytes) -> list[str]:
    """Every RFC 4287 rule the document breaks (4.1.1 feed, 4.1.2 entry)."""
    root = etree.fromstring(document)
    if root.tag != f"{A}feed":
        return [f"the root element is {root.tag}, not atom:feed (4.1.1)"]
    errors = _common(root, "feed", required=("id", "title", "updated"))
    if not any(link.get("rel") == "self" for link in _children(root, "link")):
        errors.append("feed: no rel=self link (4.1.1: SHOULD; feed validators report it)")
    feed_has_author = bool(_children(root, "author"))
    ids = []
    for number, entry in enumerate(_children(root, "entry"), 1):
        where = f"entry {number}"
        errors += _common(entry, where, required=("id", "title", "updated"))
        if not feed_has_author and not _children(entry, "author"):
            errors.append(f"{where}: no atom:author, and the feed has none either (4.1.1, 4.1.2)")
        alternate = any(link.get("rel", "alternate") == "alternate" for link in _children(entry, "link"))
        if not _children(entry, "content") and not alternate:
            errors.append(f"{where}: neither atom:content nor a rel=alternate link (4.1.2)")
        ids.append((entry.findtext(f"{A}id"), entry.findtext(f"{A}updated")))
    if len(set(ids)) != len(ids):
        errors.append("two entries share an atom:id and atom:updated (4.1.1)")
    return errors
