"""The OpenAPI schema's generator (drf-spectacular), told what the views' code says but the generator cannot see.

1. Who may call an operation. A public view (no authentication, no permission classes: the open data, the appeal
   form, tracking, statistics) is `security: [{}]`, anyone without credentials; drf-spectacular would leave it
   out, which reads as "not said". Staff-only views name the session cookie alone (`extend_schema(auth=...)`
   in reports/report_api.py).
2. The session cookie's scheme says what it is: a signed-in council staff member's, with CSRF for writes.
3. The errors of the open-data lists and records, which DRF and django-filter raise without the views naming
   them: 404 for an unknown record or a page past the end, 400 for a malformed filter (`{"field": ["why"]}`).
4. The downloads of the open-data lists and records as they are: a CSV is text whose header is the list's
   declared columns (`csv_columns`, given in order in the description and as the example's header line), not
   the paginated JSON drf-spectacular would repeat for every renderer; an XLSX is a binary workbook; `sep`
   (comma or semicolon) is a parameter of each. tests/api/test_csv_pandas.py holds the files to this.
"""

from __future__ import annotations

from typing import Any, Literal

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

ANYONE: list[dict[str, list[str]]] = [{}]


class NotFoundSerializer(serializers.Serializer[None]):
    detail = serializers.CharField(
        help_text="Why: no such published record, or the page is past the end of the list.",
    )


FIELD_ERRORS = {
    "type": "object",
    "description": 'What is wrong with each query parameter: `{"parameter": ["message", ...]}`.',
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
JSON = "application/json"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEP = OpenApiParameter(
    "sep",
    OpenApiTypes.STR,
    enum=["comma", "semicolon"],
    description="With `format=csv`: the CSV's separator, `comma` (the default) or `semicolon` (Excel in the "
    "Russian or Kazakh locale splits CSV on `;`).",
)


def csv_media(columns: tuple[str, ...]) -> dict[str, Any]:
    listed = ", ".join(f"`{column}`" for column in columns)
    return {
        "schema": {
            "type": "string",
            "description": "UTF-8 CSV with a byte order mark; one record a row (a list: every record the filters "
            f"select, not a page). The header is always these columns, in this order: {listed}. A column of a "
            "nested list joins its items' values with `; `.",
        },
        "example": ",".join(columns) + "\r\n",
    }


XLSX_MEDIA = {
    "schema": {
        "type": "string",
        "format": "binary",
        "description": "An Excel workbook with the CSV's columns: real dates, a frozen header and an autofilter.",
    }
}


class PortalAutoSchema(AutoSchema):
    def get_auth(self) -> list[dict[str, list[str]]]:
        auths = super().get_auth()
        if not auths and not self.view.get_authenticators() and not self.view.get_permissions():
            return ANYONE
        return auths

    def get_override_parameters(self) -> list[Any]:
        parameters: list[Any] = super().get_override_parameters()
        if self.method == "GET" and getattr(self.view, "csv_columns", None):
            parameters.append(SEP)
        return parameters

    def _get_response_bodies(self, direction: Literal["request", "response"] = "response") -> dict[str, Any]:
        # drf-spectacular's helpers below have no annotations: their calls are marked.
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if self.method != "GET" or direction != "response" or any(code.startswith("4") for code in responses):
            return responses
        columns = getattr(self.view, "csv_columns", None)
        content = responses.get("200", {}).get("content", {})
        if columns and CSV in content:
            content[CSV] = csv_media(tuple(columns))
        if columns and XLSX in content:
            content[XLSX] = XLSX_MEDIA
        if self._is_list_view():
            malformed = OpenApiResponse(FIELD_ERRORS, description="A filter or `sep` is malformed.")
            responses["400"] = self._get_response_for_code(malformed, "400", (JSON,), direction)  # type: ignore[no-untyped-call]
        missing = OpenApiResponse(NotFoundSerializer, description="No such published record, or no such page.")
        responses["404"] = self._get_response_for_code(missing, "404", (JSON,), direction)  # type: ignore[no-untyped-call]
        return responses


class StaffSessionScheme(SessionScheme):
    """Django's session cookie, as drf-spectacular describes it, with what it takes to have one."""

    priority = 0  # over drf-spectacular's own (-1)

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            **super().get_security_definition(auto_schema),  # type: ignore[no-untyped-call]
            "description": "The session of a council staff member signed in on the portal (its staff sign-in "
            "page); what they may see and do is decided per council by their role. A POST also needs Django's "
            "CSRF token, from the `csrftoken` cookie, in the `X-CSRFToken` header.",
        }


def nullable_as_null_type(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """A postprocessing hook: OpenAPI 3.1 has no `nullable`; what still writes it (DRF's paginator for `next`
    and `previous`) is rewritten the 3.1 way, `type: [..., "null"]`."""

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("nullable"), bool):
                if node.pop("nullable") and isinstance(node.get("type"), str):
                    node["type"] = [node["type"], "null"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    if result.get("openapi", "").startswith("3.1"):
        walk(result)
    return result
