#!/usr/bin/env bash
# Makes sure the PostgreSQL (127.0.0.1:5432, user postgres, trust auth) and the Redis (127.0.0.1:6379) that
# the test suite uses are running, and starts them when they are not.
#
# 1. PostgreSQL: start the cluster when pg_isready does not answer, wait for it, check that the postgres
#    user gets in without a password, create the `oversight` database when it is missing.
# 2. Redis: start a throw-away server (no persistence) when `redis-cli ping` does not answer, wait for it.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

timeout="${SERVICES_TIMEOUT:-30}" # seconds to wait for each service

# wait_until NAME COMMAND...: run COMMAND every half second until it succeeds or the timeout passes.
wait_until() {
    local name="$1" deadline=$((SECONDS + timeout))
    shift
    until "$@" >/dev/null 2>&1; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            die "$name did not answer within ${timeout}s (SERVICES_TIMEOUT to wait longer)"
        fi
        sleep 0.5
    done
}

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; }

# --- 1. PostgreSQL ----------------------------------------------------------------------------------------
command -v pg_isready >/dev/null || die "PostgreSQL is not installed (as root: scripts/setup.sh --test)"
if ! pg_up; then
    version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)"
    [ -n "$version" ] || die "no PostgreSQL cluster in /etc/postgresql (as root: scripts/setup.sh --test)"
    say "Starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start ||
        die "PostgreSQL $version did not start; see /var/log/postgresql/postgresql-$version-main.log"
    wait_until "PostgreSQL on 127.0.0.1:5432" pg_up
fi
psql=(psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -v ON_ERROR_STOP=1 -tAq)
"${psql[@]}" -c 'select 1' >/dev/null 2>&1 ||
    die "PostgreSQL answers, but user postgres cannot log in over TCP without a password; the tests expect" \
        "trust auth on 127.0.0.1 (pg_hba.conf: host all postgres 127.0.0.1/32 trust)"
if [ "$("${psql[@]}" -c "select 1 from pg_database where datname = 'oversight'")" != 1 ]; then
    "${psql[@]}" -c 'create database oversight'
fi

# --- 2. Redis ---------------------------------------------------------------------------------------------
command -v redis-server >/dev/null || die "Redis is not installed (as root: scripts/setup.sh --test)"
if ! redis_up; then
    say "Starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log ||
        die "Redis did not start; see /var/log/redis/ci.log"
    wait_until "Redis on 127.0.0.1:6379" redis_up
fi
say "PostgreSQL and Redis are up"
