"""Log lines for production: one JSON object per line, with the request id when there is one.

Standard library only, so that `LOGGING` in the settings can name these classes before Django has loaded any
app. The request id is set by `core.middleware.RequestIdMiddleware` for the duration of a request.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# The attributes every LogRecord has; anything else was passed through `extra=` and goes into the line too.
_RECORD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
}


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (empty outside a request) to every record, for both formats."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """`{"time": ..., "level": ..., "logger": ..., "message": ..., "request_id": ...}` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", "") or request_id_var.get()
        if request_id:
            line["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _RECORD_ATTRS and key not in line and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack_info"] = self.formatStack(record.stack_info)
        # default=str: a non-JSON value passed in `extra` (a request, a datetime) must not lose the line.
        return json.dumps(line, ensure_ascii=False, default=str)
