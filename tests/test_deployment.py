"""The deployment files hold together: docker-compose.yml, deploy/, .env.example, the Makefile, .ci/run and scripts/.

Nothing here starts a container: `docker-compose config` only reads, validates and resolves the file. The
Redis settings of the compose file are tried on real redis-server processes. docker-compose and redis-server
are test dependencies (scripts/setup.sh --test installs them): when one is missing the tests fail, never skip.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
PROXY_TEMPLATE = ROOT / "deploy" / "nginx" / "portal.conf.template"
SERVICES = {"web", "worker", "beat", "proxy", "db", "redis", "cache"}


def compose_services() -> dict[str, str]:
    """The text of each service block in docker-compose.yml, by name (PyYAML is no dependency)."""
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    in_services = False
    for line in COMPOSE.read_text(encoding="utf-8").splitlines():
        if re.match(r"^\S", line):  # a top-level key ends the previous section
            in_services = line.startswith("services:")
            current = None
        elif in_services and (match := re.match(r"^  ([\w-]+):\s*$", line)):
            current = blocks.setdefault(match.group(1), [])
        elif current is not None:
            current.append(line)
    return {name: "\n".join(lines) for name, lines in blocks.items()}


def required_settings() -> list[str]:
    """The keys .env.example leaves blank: the ones a deployment must fill in."""
    return re.findall(r"^([A-Z_]+)=$", ENV_EXAMPLE.read_text(encoding="utf-8"), flags=re.MULTILINE)


def run(program: str, *args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    executable = shutil.which(program)
    assert executable, f"{program} is not installed"
    # Fixed arguments, no shell.
    return subprocess.run([executable, *args], capture_output=True, text=True, check=False, **kwargs)  # noqa: S603


def compose_config(
    tmp_path: Path, env_values: dict[str, str], *, quiet: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run `docker-compose config` on a copy of the file next to an .env holding `env_values`."""
    shutil.copy(COMPOSE, tmp_path / "docker-compose.yml")
    (tmp_path / ".env").write_text("".join(f"{k}={v}\n" for k, v in env_values.items()), encoding="utf-8")
    # Only the .env may supply the settings: the caller's environment must not paper over a gap.
    clean_env = {
        k: v for k, v in os.environ.items() if k not in required_settings() and k != "OVERSIGHT_MAX_REQUEST_BYTES"
    }
    compose_file = str(tmp_path / "docker-compose.yml")
    args = ["-f", compose_file, "config", *(["-q"] if quiet else [])]
    return run("docker-compose", *args, env=clean_env, cwd=tmp_path, timeout=60)


def resolved_services(tmp_path: Path, **extra: str) -> dict[str, dict]:
    """The services as docker-compose resolves them, with the example settings filled in."""
    result = compose_config(tmp_path, {key: "filled-in" for key in required_settings()} | extra, quiet=False)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)["services"]


def published_ports(service: dict) -> list[str]:
    """A service's published ports as host_ip:published:target (docker-compose 1 writes strings, 2 mappings)."""
    ports = []
    for port in service.get("ports", []):
        if isinstance(port, dict):
            ports.append(f"{port.get('host_ip', '')}:{port['published']}:{port['target']}")
        else:
            ports.append(str(port).removesuffix("/tcp"))
    return ports


def command_options(command: list[str]) -> dict[str, str]:
    """`redis-server --name value ...` as {name: value}."""
    assert command[0] == "redis-server"
    return {name.removeprefix("--"): value for name, value in zip(command[1::2], command[2::2], strict=True)}


def test_env_example_lists_the_required_settings():
    expected = {
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "SITE_URL",
        "OVERSIGHT_CLIENT_IP_HEADER",
        "POSTGRES_PASSWORD",
    }

    assert set(required_settings()) >= expected


def test_docker_compose_accepts_the_file_with_the_example_settings_filled_in(tmp_path):
    result = compose_config(tmp_path, {key: "filled-in" for key in required_settings()})

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("missing", required_settings())
def test_docker_compose_refuses_to_start_without_a_required_setting(tmp_path, missing):
    result = compose_config(tmp_path, {key: "filled-in" for key in required_settings() if key != missing})

    assert result.returncode != 0
    assert f"set {missing} in .env" in result.stderr


def test_compose_file_names_the_seven_services():
    assert set(compose_services()) == SERVICES


def test_compose_file_uses_the_spec_format_without_a_version_key():
    assert not re.search(r"^version:", COMPOSE.read_text(encoding="utf-8"), flags=re.MULTILINE)


@pytest.mark.parametrize(
    ("service", "probe"),
    [
        ("db", "pg_isready"),
        ("redis", "redis-cli"),
        ("cache", "redis-cli"),
        ("web", "scripts/healthcheck.py"),
        ("proxy", "/proxy-health"),
    ],
)
def test_service_has_a_health_check(service, probe):
    block = compose_services()[service]

    assert "healthcheck:" in block
    assert probe in block


def test_web_health_check_requests_the_health_endpoint():
    # /healthz checks the database, the cache and the broker, not just that a page renders.
    assert 'PATH = "/healthz"' in (ROOT / "scripts" / "healthcheck.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("service", ["web", "worker", "beat"])
def test_app_service_waits_for_healthy_dependencies(service):
    block = compose_services()[service]

    assert "condition: service_healthy" in block
    assert "condition: service_started" not in block


def test_database_and_redis_keep_their_data_in_named_volumes():
    services = compose_services()

    assert "image: postgres:15" in services["db"]
    assert "pgdata:/var/lib/postgresql/data" in services["db"]
    assert "image: redis:7" in services["redis"]
    assert "redisdata:/data" in services["redis"]


# --- The reverse proxy (issue 12, finding 6) -------------------------------------------------------------------


def test_only_the_proxy_publishes_a_port_and_only_on_localhost(tmp_path):
    services = resolved_services(tmp_path)

    published = {name: published_ports(service) for name, service in services.items() if service.get("ports")}

    # The host's TLS terminator forwards to 127.0.0.1:WEB_PORT; gunicorn is reachable from the proxy alone.
    assert published == {"proxy": ["127.0.0.1:8000:8080"]}
    assert services["proxy"]["environment"]["PROXY_LISTEN"] == "8080"
    assert services["proxy"]["environment"]["PROXY_UPSTREAM"] == "web:8000"
    assert services["proxy"]["environment"]["PROXY_RESOLVER"] == "127.0.0.11"  # Docker's DNS


def test_proxy_runs_the_shipped_template_and_never_mounts_the_media(tmp_path):
    proxy = resolved_services(tmp_path)["proxy"]

    volumes = [str(volume) for volume in proxy["volumes"]]
    assert f"{tmp_path}/deploy/nginx/portal.conf.template:/etc/nginx/templates/default.conf.template:ro" in volumes
    assert "static:/srv/static:ro" in volumes
    # Attachments are personal data: downloaded through the staff views only (SECURITY.md).
    assert not [volume for volume in volumes if "media" in volume]
    assert re.search(r"location /media/ \{\s*return 404;\s*\}", PROXY_TEMPLATE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("override", [None, "10485760"])
def test_proxy_body_cap_is_the_portals_own(tmp_path, override):
    extra = {"OVERSIGHT_MAX_REQUEST_BYTES": override} if override else {}
    services = resolved_services(tmp_path, **extra)

    portal_cap = services["web"]["environment"]["OVERSIGHT_MAX_REQUEST_BYTES"]
    proxy_cap = services["proxy"]["environment"]["OVERSIGHT_MAX_REQUEST_BYTES"]

    assert proxy_cap == portal_cap == (override or str(settings.OVERSIGHT_MAX_REQUEST_BYTES))
    assert "client_max_body_size ${OVERSIGHT_MAX_REQUEST_BYTES};" in PROXY_TEMPLATE.read_text(encoding="utf-8")


def test_proxy_sets_the_client_address_header_the_portal_is_told_to_read():
    template = PROXY_TEMPLATE.read_text(encoding="utf-8")

    # A client cannot choose its own address: the proxy overwrites the header with the one it saw.
    assert "proxy_set_header X-Real-IP $remote_addr;" in template
    # ... and the header .env.example tells the operator to name in OVERSIGHT_CLIENT_IP_HEADER.
    assert "proxy_set_header X-Real-IP $remote_addr;" in ENV_EXAMPLE.read_text(encoding="utf-8")
    assert "write HTTP_X_REAL_IP" in ENV_EXAMPLE.read_text(encoding="utf-8")


def test_proxy_times_out_before_gunicorn_would_not():
    # gunicorn kills a request after its timeout; the proxy must wait longer, or clients get nginx's 504 while
    # the worker is still busy.
    gunicorn = (ROOT / "deploy" / "gunicorn.conf.py").read_text(encoding="utf-8")
    worker_timeout = int(re.search(r"^timeout = (\d+)$", gunicorn, flags=re.MULTILINE).group(1))
    read_timeout = int(re.search(r"proxy_read_timeout (\d+)s;", PROXY_TEMPLATE.read_text(encoding="utf-8")).group(1))

    assert read_timeout > worker_timeout
    assert 'worker_class = "sync"' in gunicorn
    assert "deploy/gunicorn.conf.py" in (ROOT / "scripts" / "docker-entrypoint.sh").read_text(encoding="utf-8")


# --- Two Redis servers: the cache may forget, the broker may not (issue 12, finding 7) ---------------------------


def test_cache_and_broker_are_different_redis_servers(tmp_path):
    environment = resolved_services(tmp_path)["web"]["environment"]

    assert urlsplit(environment["CACHE_URL"]).hostname == "cache"
    assert urlsplit(environment["CELERY_BROKER_URL"]).hostname == "redis"


def test_cache_redis_is_bounded_and_evicts_the_least_recently_used(tmp_path):
    cache = resolved_services(tmp_path)["cache"]

    options = command_options(cache["command"])
    assert options == {"maxmemory": "256mb", "maxmemory-policy": "allkeys-lru", "save": "", "appendonly": "no"}
    assert "volumes" not in cache


def test_broker_redis_keeps_its_queue_and_never_evicts(tmp_path):
    options = command_options(resolved_services(tmp_path)["redis"]["command"])

    assert options == {"appendonly": "yes", "maxmemory-policy": "noeviction"}


@contextmanager
def redis_server(command: list[str], workdir: Path) -> Iterator[redis.Redis]:
    """A redis-server with the compose file's options, on a free port, its files in `workdir`."""
    executable = shutil.which("redis-server")
    assert executable, "redis-server is not installed: scripts/setup.sh --test installs it"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # The compose options first; then only where to listen and write, and a small memory for a quick flood.
    extra = ["--port", str(port), "--bind", "127.0.0.1", "--dir", str(workdir), "--maxmemory", "2mb"]
    proc = subprocess.Popen([executable, *command[1:], *extra], stdout=subprocess.DEVNULL)  # noqa: S603
    client = redis.Redis(port=port, socket_timeout=5)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        yield client
    finally:
        proc.terminate()
        proc.wait(timeout=10)


FLOOD_WRITES = 400


def flood(client: redis.Redis) -> int:
    """Write 4 MB of page-sized values (twice the memory); how many writes Redis refused."""
    refused = 0
    for n in range(FLOOD_WRITES):
        try:
            client.set(f"page:{n}", b"x" * 10_000)
        except redis.exceptions.OutOfMemoryError:
            refused += 1
    return refused


def test_a_cache_flood_pushes_out_pages_and_never_fails(tmp_path):
    with redis_server(resolved_services(tmp_path)["cache"]["command"], tmp_path) as cache:
        refused = flood(cache)

        assert refused == 0
        # Pages made room for the newer ones (which: Redis's LRU is approximate, to the second).
        assert cache.dbsize() < FLOOD_WRITES


def test_a_full_broker_refuses_new_work_and_keeps_every_queued_task(tmp_path):
    with redis_server(resolved_services(tmp_path)["redis"]["command"], tmp_path) as broker:
        broker.rpush("celery", b"queued task")

        refused = flood(broker)

        # A refused write leaves the row in the outbox, to be handed over later; the queued task is still there.
        assert refused > 0
        assert broker.lrange("celery", 0, -1) == [b"queued task"]


def test_ci_run_calls_make_test():
    lines = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]

    assert "set -euo pipefail" in lines
    assert lines[-1] == "make test"


def test_makefile_has_the_documented_targets():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, flags=re.MULTILINE))

    documented = {"run", "test", "setup", "lint", "format", "migrations-check", "messages", "bench"}
    assert targets >= documented | {"worker", "beat"}


@pytest.mark.parametrize("script", sorted(p.name for p in (ROOT / "scripts").glob("*.sh")) + ["../.ci/run"])
def test_shell_script_parses(script):
    path = ROOT / "scripts" / script
    result = run("bash", "-n", str(path))

    assert result.returncode == 0, result.stderr


def settings_variables() -> set[str]:
    """The environment variables config/settings.py reads through the helpers of config/env.py."""
    tree = ast.parse((ROOT / "config" / "settings.py").read_text(encoding="utf-8"))
    helpers = {"env", "envbool", "envint", "envlist", "required"}
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in helpers
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def test_readme_documents_every_environment_variable_the_settings_read():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table_rows = set(re.findall(r"^\| `([A-Z_]+)` \|", readme, flags=re.MULTILINE))

    assert settings_variables() - table_rows == set()
    assert table_rows - settings_variables() == set()
