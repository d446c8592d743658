"""The deployment files hold together: docker-compose.yml, .env.example, the Makefile, .ci/run and scripts/.

Nothing here starts a container: `docker-compose config` only reads and validates the file.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
SERVICES = {"web", "worker", "beat", "db", "redis"}


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


def compose_config(tmp_path: Path, env_values: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `docker-compose config` on a copy of the file next to an .env holding `env_values`."""
    shutil.copy(COMPOSE, tmp_path / "docker-compose.yml")
    (tmp_path / ".env").write_text("".join(f"{k}={v}\n" for k, v in env_values.items()), encoding="utf-8")
    # Only the .env may supply the settings: the caller's environment must not paper over a gap.
    clean_env = {k: v for k, v in os.environ.items() if k not in required_settings()}
    compose_file = str(tmp_path / "docker-compose.yml")
    return run("docker-compose", "-f", compose_file, "config", "-q", env=clean_env, cwd=tmp_path, timeout=60)


needs_docker_compose = pytest.mark.skipif(
    shutil.which("docker-compose") is None,
    reason="the docker-compose binary is absent (make test installs Debian's docker-compose)",
)


def test_env_example_lists_the_required_settings():
    expected = {
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "SITE_URL",
        "OVERSIGHT_CLIENT_IP_HEADER",
        "POSTGRES_PASSWORD",
    }

    assert set(required_settings()) >= expected


@needs_docker_compose
def test_docker_compose_accepts_the_file_with_the_example_settings_filled_in(tmp_path):
    result = compose_config(tmp_path, {key: "filled-in" for key in required_settings()})

    assert result.returncode == 0, result.stderr


@needs_docker_compose
@pytest.mark.parametrize("missing", required_settings())
def test_docker_compose_refuses_to_start_without_a_required_setting(tmp_path, missing):
    result = compose_config(tmp_path, {key: "filled-in" for key in required_settings() if key != missing})

    assert result.returncode != 0
    assert f"set {missing} in .env" in result.stderr


def test_compose_file_names_the_five_services():
    assert set(compose_services()) == SERVICES


def test_compose_file_uses_the_spec_format_without_a_version_key():
    assert not re.search(r"^version:", COMPOSE.read_text(encoding="utf-8"), flags=re.MULTILINE)


@pytest.mark.parametrize(
    ("service", "probe"),
    [("db", "pg_isready"), ("redis", "redis-cli"), ("web", "scripts/healthcheck.py")],
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
