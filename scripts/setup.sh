#!/usr/bin/env bash
# Prepares this machine for the portal. Safe to run again: every step checks before it acts.
#
#   scripts/setup.sh          what `make run` needs
#   scripts/setup.sh --test   plus what `make test` needs (Chromium, Java, qpdf, docker-compose, nginx, PostgreSQL, Redis)
#
# 1. Installs the missing Debian packages (only as root, and only when something is missing).
# 2. Creates .venv with Python >= 3.11 when it is missing or broken.
# 3. Installs the project (pip install -e ".[dev]") when pyproject.toml changed since the last install;
#    the stamp file .venv/.pyproject.sha256 remembers which pyproject.toml was installed.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for_tests=0
case "${1:-}" in
    --test) for_tests=1 ;;
    "") ;;
    *) die "usage: scripts/setup.sh [--test]" ;;
esac

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

python_ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3 python3.13 python3.12 python3.11; do
        if [ -n "$candidate" ] && command -v "$candidate" >/dev/null && python_ok "$candidate"; then
            command -v "$candidate"
            return
        fi
    done
    die "Python 3.11 or newer is needed (Debian 12: apt-get install python3 python3-venv)"
}

# --- 1. Debian packages -------------------------------------------------------------------------------
missing=()
# WeasyPrint's libraries and fonts, Cairo for CairoSVG (the DOCX report's charts; Pango's Cairo already pulls it
# in), and msgfmt for compilemessages.
for pkg in gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libpangocairo-1.0-0 libcairo2 fonts-dejavu-core; do
    installed "$pkg" || missing+=("$pkg")
done
if [ ! -x "$VENV/bin/python" ] && ! "$(find_python)" -c 'import ensurepip' 2>/dev/null; then
    missing+=(python3-venv) # Debian's python3 cannot create a venv without it
fi
if [ "$for_tests" = 1 ]; then
    [ -x /usr/bin/chromium ] || missing+=(chromium)            # the browser tests
    command -v pdftoppm >/dev/null || missing+=(poppler-utils)  # the report's page images
    command -v qpdf >/dev/null || missing+=(qpdf)               # `qpdf --check` of the tagged report PDF
    command -v docker-compose >/dev/null || missing+=(docker-compose) # the compose file check
    command -v redis-server >/dev/null || missing+=(redis-server)
    command -v java >/dev/null || missing+=(default-jre-headless) # the Nu HTML Checker (vnu.jar, below)
    command -v npm >/dev/null || missing+=(npm) # installs axe-core and vnu.jar (below)
    # The slow-client tests run the shipped proxy config (deploy/nginx/) on Debian's nginx; the package's own
    # site is never started here (no init system runs in CI).
    [ -x /usr/sbin/nginx ] || missing+=(nginx)
    fresh_postgres=0
    if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
        missing+=(postgresql)
        fresh_postgres=1
    fi
fi

if [ "${#missing[@]}" -gt 0 ]; then
    if ! command -v apt-get >/dev/null; then
        warn "not a Debian system: install the equivalents of these packages yourself: ${missing[*]}"
    elif [ "$(id -u)" != 0 ]; then
        warn "not root, so the missing system packages are not installed; as root run:"
        warn "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
    else
        say "Installing system packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        # No recommends: docker-compose would otherwise pull in the Docker engine, which nothing here runs.
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
        if [ "$for_tests" = 1 ] && [ "$fresh_postgres" = 1 ]; then
            # A cluster this script created is a test cluster: let the postgres user in over TCP on
            # localhost without a password, as the test settings expect.
            for hba in /etc/postgresql/*/main/pg_hba.conf; do
                sed -i -e '1i host all postgres 127.0.0.1/32 trust' -e '1i host all postgres ::1/128 trust' "$hba"
            done
            version="$(ls /etc/postgresql | head -n 1)"
            pg_ctlcluster --skip-systemctl-redirect "$version" main reload 2>/dev/null || true
        fi
    fi
fi

# --- 2. The virtual environment -------------------------------------------------------------------------
if [ -e "$VENV" ] && ! python_ok "$PY"; then
    warn ".venv is broken or older than Python 3.11; recreating it"
    rm -rf "$VENV"
fi
if [ ! -e "$VENV" ]; then
    python="$(find_python)"
    say "Creating .venv with $python ($("$python" --version))"
    "$python" -m venv "$VENV"
fi

# --- 3. The project and its dependencies ------------------------------------------------------------------
stamp="$VENV/.pyproject.sha256"
wanted="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    say "Installing the project into .venv (pyproject.toml changed since the last install)"
    export PIP_DISABLE_PIP_VERSION_CHECK=1
    say "  (the first install downloads about 150 MB and takes a few minutes; pip lists each package as it goes)"
    # Not -q: pip's line per package is the only sign of life during minutes of downloads.
    (cd "$ROOT" && "$PY" -m pip install -e ".[dev]")
    echo "$wanted" >"$stamp"
fi

# --- 4. The checkers the tests run on the pages (only for tests) ---------------------------------------------
# axe-core (Deque's engine) is injected into the pages the browser tests open; the Nu HTML Checker (vnu.jar, the
# W3C validator's engine, run on Java) validates every public page's HTML. Both come from the npm registry into
# .cache/node (ignored by git): axe-core pinned to its major version, vnu-jar to one release, because a new
# release of the validator adds checks and would fail the suite on pages nobody touched.
node_wanted=()
[ -f "$ROOT/.cache/node/node_modules/axe-core/axe.min.js" ] || node_wanted+=(axe-core@4)
[ -f "$ROOT/.cache/node/node_modules/vnu-jar/build/dist/vnu.jar" ] || node_wanted+=(vnu-jar@26.9.27)
if [ "$for_tests" = 1 ] && [ "${#node_wanted[@]}" -gt 0 ]; then
    if command -v npm >/dev/null; then
        say "Installing ${node_wanted[*]} for the tests into .cache/node"
        npm install --silent --no-audit --no-fund --prefix "$ROOT/.cache/node" "${node_wanted[@]}" >/dev/null
    else
        warn "npm is missing: the tests need ${node_wanted[*]} (apt-get install npm, then run this again)"
    fi
fi

# --- 5. Redocly's OpenAPI linter (only for tests) --------------------------------------------------------------
# tests/api/test_redocly_lint.py lints /api/schema/ with Redocly's recommended ruleset (npm @redocly/cli, pinned to a
# minor version that runs on Node.js 20), from .cache/node like axe-core; it runs offline (REDOCLY_TELEMETRY=off).
if [ "$for_tests" = 1 ] && [ ! -x "$ROOT/.cache/node/node_modules/.bin/redocly" ]; then
    if command -v npm >/dev/null; then
        say "Installing @redocly/cli for the OpenAPI lint test into .cache/node"
        npm install --silent --no-audit --no-fund --prefix "$ROOT/.cache/node" @redocly/cli@2.77 >/dev/null
    else
        warn "npm is missing: the OpenAPI lint test needs @redocly/cli (apt-get install npm, then run this again)"
    fi
fi
