"""A JSON parser for the API that refuses, with a 400, what the standard one turns into a 500.

Python's `json` recurses once per nested array or object: `{"a":` repeated 100 000 times raises RecursionError,
which DRF does not catch. The body is measured first, in one linear pass over its brackets (strings skipped),
and parsed only when it is shallow enough. It is also read no further than DATA_UPLOAD_MAX_MEMORY_SIZE, the limit
Django applies to a form's fields, which a JSON body would otherwise escape.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils.json import strict_constant

# Far more than any request of the portal needs (an appeal is one flat object), far less than the recursion limit.
MAX_JSON_DEPTH = 32
# A string (with its escapes) or a bracket: a bracket inside a string does not nest anything.
_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in `text`, without parsing it (linear, no recursion)."""
    depth = deepest = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        piece = match.group()
        if piece in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
        elif piece in ("]", "}"):
            depth -= 1
    return deepest


class JSONTooLarge(APIException):
    status_code = 413
    default_code = "too_large"

    def __init__(self) -> None:
        super().__init__(_("The request body is too large."))


class DepthLimitedJSONParser(JSONParser):
    """DRF's JSONParser, but a body nested deeper than MAX_JSON_DEPTH, or larger than DATA_UPLOAD_MAX_MEMORY_SIZE,
    is a 400 with a translated message rather than a 500 or an unbounded read."""

    def parse(
        self, stream: IO[bytes], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:  # Any here and above: DRF's BaseParser signature; a JSON body has any shape (what json.loads gives)
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise JSONTooLarge()
        try:
            text = codecs.decode(raw, encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(_("The request body is not valid text.")) from exc
        if json_depth(text) > MAX_JSON_DEPTH:
            raise ParseError(_("The JSON is nested too deeply: at most %(depth)d levels.") % {"depth": MAX_JSON_DEPTH})
        try:
            return json.loads(text, parse_constant=strict_constant if self.strict else None)
        except (ValueError, RecursionError) as exc:
            raise ParseError(_("The request body is not valid JSON.")) from exc
