#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the database DATABASE_URL names (and the media directory).
#
#   DATABASE_URL=postgres://user:password@host:5432/oversight scripts/restore.sh FILE.dump [MEDIA.tar.gz]
#
# The database must exist (it may be empty). Its objects that the dump holds are dropped and recreated
# (pg_restore --clean --if-exists), in one transaction: a restore that fails changes nothing. Ownership is
# not restored (--no-owner): the objects belong to the user in DATABASE_URL. The media archive is unpacked
# into DJANGO_MEDIA_ROOT (default media/ next to the code); files not in the archive are left in place.
# Stop the web, worker and beat processes first. With docker-compose, see README.md "Operations" instead.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: DATABASE_URL=... scripts/restore.sh FILE.dump [MEDIA.tar.gz]"
dump="$1"
media="${2:-}"
media_root="${DJANGO_MEDIA_ROOT:-$ROOT/media}"
url="${DATABASE_URL:-}"

[ -n "$url" ] || die "set DATABASE_URL to the database to restore into"
case "$url" in
    postgres://* | postgresql://*) ;;
    pgsql://* | postgis://*) url="postgresql://${url#*://}" ;;
    *) die "DATABASE_URL is not PostgreSQL" ;;
esac
[ -f "$dump" ] || die "no such dump file: $dump"
[ -z "$media" ] || [ -f "$media" ] || die "no such media archive: $media"
command -v pg_restore >/dev/null || die "pg_restore is not installed (Debian: apt-get install postgresql-client)"

# The address without its password, for the message.
say "Restoring $dump into $(printf '%s' "$url" | sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#')"
pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error --dbname="$url" "$dump"

if [ -n "$media" ]; then
    say "Unpacking $media into $media_root"
    mkdir -p "$media_root"
    tar -xf "$media" -C "$media_root"
fi

say "Restore complete"
