"""The web container's health check (docker-compose.yml): the home page answers 200 through gunicorn.

Standard library only. The request carries the first allowed host and says it came over HTTPS, as the reverse
proxy's would, so the production settings serve the page instead of a 400 (ALLOWED_HOSTS) or a redirect
(SECURE_SSL_REDIRECT).
"""

from __future__ import annotations

import http.client
import os
import sys

PATH = "/healthz"


def main() -> int:
    hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = hosts[0].lstrip(".") if hosts and hosts[0] != "*" else "localhost"
    conn = http.client.HTTPConnection("127.0.0.1", 8000, timeout=5)
    try:
        conn.request("GET", PATH, headers={"Host": host, "X-Forwarded-Proto": "https"})
        status = conn.getresponse().status
    except OSError as exc:
        print(f"unhealthy: {PATH} did not answer: {exc}", file=sys.stderr)
        return 1
    finally:
        conn.close()
    if status != 200:
        print(f"unhealthy: {PATH} answered {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
