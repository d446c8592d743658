#!/usr/bin/env bash
# Back up the portal's state: the PostgreSQL database and the media files (uploads, generated reports).
#
#   DATABASE_URL=postgres://user:password@host:5432/oversight scripts/backup.sh [DIR]
#
# Writes DIR/oversight-YYYYMMDD-HHMMSS.dump (pg_dump custom format, for scripts/restore.sh) and
# DIR/media-YYYYMMDD-HHMMSS.tar.gz (the contents of DJANGO_MEDIA_ROOT, default media/ next to the code).
# DIR defaults to BACKUP_DIR, else backups/ in the current directory. The files hold personal data: they are
# created readable by their owner only. With docker-compose, see README.md "Operations" instead.
#
# 1. Check DATABASE_URL names PostgreSQL and the tools are there.
# 2. Dump the database to a temporary file, then rename it: a file with the final name is complete.
# 3. Archive the media directory the same way (skipped with a warning when it does not exist).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dir="${1:-${BACKUP_DIR:-backups}}"
media_root="${DJANGO_MEDIA_ROOT:-$ROOT/media}"
url="${DATABASE_URL:-}"

# --- 1. Checks --------------------------------------------------------------------------------------------
[ -n "$url" ] || die "set DATABASE_URL to the database to back up, e.g. postgres://oversight:...@127.0.0.1:5432/oversight"
case "$url" in
    postgres://* | postgresql://*) ;;
    pgsql://* | postgis://*) url="postgresql://${url#*://}" ;;
    *) die "DATABASE_URL is not PostgreSQL; for the local SQLite database copy db.sqlite3 instead" ;;
esac
command -v pg_dump >/dev/null || die "pg_dump is not installed (Debian: apt-get install postgresql-client)"

umask 077
mkdir -p "$dir"
stamp="$(date +%Y%m%d-%H%M%S)"
dump="$dir/oversight-$stamp.dump"
media="$dir/media-$stamp.tar.gz"

# --- 2. Database ------------------------------------------------------------------------------------------
say "Dumping the database to $dump"
pg_dump --format=custom --file="$dump.partial" --dbname="$url"
mv "$dump.partial" "$dump"

# --- 3. Media ---------------------------------------------------------------------------------------------
if [ -d "$media_root" ]; then
    say "Archiving $media_root to $media"
    tar -czf "$media.partial" -C "$media_root" .
    mv "$media.partial" "$media"
else
    warn "no media directory at $media_root (DJANGO_MEDIA_ROOT); only the database was backed up"
    media=""
fi

say "Backup complete: $dump${media:+ and $media}"
