"""gunicorn's settings for the web process: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`.

scripts/docker-entrypoint.sh starts the container's web process with this file, and
tests/ops/test_slow_clients.py starts its gunicorn with it too (overriding only the address and the worker count).

Sync workers, behind the buffering proxy of deploy/nginx/portal.conf.template. gunicorn's documentation says it
plainly: a sync worker serves one request at a time, from its first byte to its last, so it needs a proxy that
buffers slow clients; without one, four connections that send their body at a byte a second hold two workers and
the portal stops answering (issue 12, finding 6). nginx reads every request whole before it passes it on and
reads every response whole before it trickles it out, so a worker only ever meets complete, fast requests.
Threaded workers (gthread) would not be a second line: a thread still reads its request's body, so fifty slow
connections would hold every thread of a few workers just the same.
"""

from __future__ import annotations

import os

bind = "0.0.0.0:8000"
# About two per core (WEB_CONCURRENCY in docker-compose.yml; gunicorn's own default reads the same variable).
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"

# A request still running after this many seconds has its worker killed and restarted; nothing the portal does
# in a request takes that long (reports are built by Celery). The proxy waits a little longer (proxy_read_timeout)
# so that the client hears gunicorn's answer rather than nginx's.
timeout = 60
# On a restart (a deploy), running requests get this long to finish.
graceful_timeout = 30

# The request line and headers are read by the worker itself: keep them small (gunicorn's defaults, written
# down so that the proxy's large_client_header_buffers can be checked against them).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# The access log on standard output, next to the portal's own log lines.
accesslog = "-"
