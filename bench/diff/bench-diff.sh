#!/bin/sh
# bench/diff: `ctxdb diff` of a legacy SQLite file against its migrated PostgreSQL copy,
# against a reference measured in the same run: reading both sides once, side by side
# as the diff reads them (sqlite3 selecting every row of every table while psql \copies
# every table to /dev/null), after one untimed read of each, as the diff finds them.
#   bench/diff/bench-diff.sh SQLITE_FILE POSTGRES_URL [CTXDB] [JOBS]
#   bench/diff/bench-diff.sh --messages N [CTXDB] [JOBS]
#     the demo file of N messages (/tmp/ctx-bench/demo-N.db, shared with bench/browse)
#     and its copy in database ctx_bench_diff_N of the server in CTX_TEST_PG_URL or
#     /tmp/ctxpg.url, each made first when missing, after a check of the free space.
# Prepare (the first form): ctxdb demo --out /tmp/bench1m.db --messages 1000000
#          ctxdb migrate /tmp/bench1m.db postgresql://...
# Run under flock /tmp/ctx-bench.lock. Changes 100 messages in the target and puts
# them back. Last line: full_vs_read=R1 diff100_vs_read=R2 peak_rss_mb=M
set -eu
if [ "${1:-}" = "--messages" ]; then
  [ $# -ge 2 ] || { echo "usage: bench-diff.sh --messages N [CTXDB] [JOBS]" >&2; exit 2; }
  messages=$2
  shift 2
  CTXDB=${1:-build/app/ctxdb}
  # shellcheck source=bench/free-space.sh
  . "$(dirname "$0")/../free-space.sh"
  mkdir -p /tmp/ctx-bench
  A=/tmp/ctx-bench/demo-$messages.db
  url=${CTX_TEST_PG_URL:-$(cat /tmp/ctxpg.url)}
  B=${url%/*}/ctx_bench_diff_$messages
  # The demo file (2.1 KB a message) unless it exists, and its PostgreSQL copy (3 KB).
  need=$((messages * 3000))
  [ -f "$A" ] || need=$((messages * 5200))
  if [ ! -f "$A" ] || ! psql "$B" -qAtc "SELECT 1 FROM messages LIMIT 1" >/dev/null 2>&1; then
    require_free_space /tmp "$need" "the $messages-message demo file and its copy"
  fi
  if [ ! -f "$A" ]; then
    echo "bench/diff: writing $A ($messages messages)" >&2
    "$CTXDB" demo --out "$A" --messages "$messages" >/dev/null
  fi
  if ! psql "$B" -qAtc "SELECT 1 FROM messages LIMIT 1" >/dev/null 2>&1; then
    echo "bench/diff: migrating $A into ctx_bench_diff_$messages" >&2
    psql "$url" -qXc "DROP DATABASE IF EXISTS ctx_bench_diff_$messages WITH (FORCE)" \
      -c "CREATE DATABASE ctx_bench_diff_$messages" >/dev/null
    "$CTXDB" migrate "$A" "$B" >/dev/null
  fi
  set -- "$A" "$B" "$CTXDB" "${2:-2}"
fi
A=$1
B=$2
CTXDB=${3:-build/app/ctxdb}
JOBS=${4:-2}
TABLES="sessions messages agent_memory audit_log secure_tokens"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

now() { date +%s.%N; }
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }

read_sqlite_side() { for t in $TABLES; do sqlite3 "$A" "SELECT * FROM \"$t\"" >/dev/null; done; }
read_pg_side() { for t in $TABLES; do psql "$B" -qc "\\copy \"$t\" to '/dev/null'"; done; }
# The same cache state as the diff that follows: both sides read once untimed, so the
# reference and the diff both find the file and PostgreSQL's buffers warm.
read_sqlite_side
read_pg_side
# Both sides at once, as the diff reads them: the reference is the slower side.
t0=$(now)
( read_sqlite_side; now >"$TMP/sqlite.done" ) &
( read_pg_side; now >"$TMP/pg.done" ) &
wait
read_sqlite=$(python3 -c "print(f'{$(cat "$TMP/sqlite.done")-$t0:.2f}')")
read_pg=$(python3 -c "print(f'{$(cat "$TMP/pg.done")-$t0:.2f}')")
read_both=$(python3 -c "print(f'{max($(cat "$TMP/sqlite.done"), $(cat "$TMP/pg.done"))-$t0:.2f}')")
echo "reference: read both sides once, in parallel, warm: ${read_both} s (sqlite3 ${read_sqlite} s, psql ${read_pg} s)"

rc=0
t3=$(now)
/usr/bin/time -f %M -o "$TMP/rss1" "$CTXDB" diff "$A" "$B" --jobs "$JOBS" --json >"$TMP/full.json" || rc=$?
t4=$(now)
[ "$rc" -eq 0 ] || { echo "full diff: expected exit 0 (equal), got $rc" >&2; exit 1; }
full=$(python3 -c "print(f'{$t4-$t3:.2f}')")
echo "full diff, no differences: ${full} s (exit 0)"

# 100 scattered differences: every k-th message gets a changed content.
IDS=$(psql "$B" -Atc "SELECT string_agg(id::text, ',') FROM (SELECT id, row_number() OVER (ORDER BY id) rn, count(*) OVER () n FROM messages) x WHERE rn % (n / 100) = 0 AND rn / (n / 100) <= 100")
psql "$B" -qc "UPDATE messages SET content = content || '#bench' WHERE id IN ($IDS)"
rc=0
t5=$(now)
/usr/bin/time -f %M -o "$TMP/rss2" "$CTXDB" diff "$A" "$B" --jobs "$JOBS" --json >"$TMP/diff100.json" || rc=$?
t6=$(now)
psql "$B" -qc "UPDATE messages SET content = left(content, -6) WHERE id IN ($IDS)"
[ "$rc" -eq 3 ] || { echo "diff with 100 changes: expected exit 3, got $rc" >&2; exit 1; }
found=$(python3 -c "import json,sys; d=json.load(open('$TMP/diff100.json')); print(sum(t['different'] for t in d['tables']))")
[ "$found" -eq 100 ] || { echo "expected 100 differing rows, found $found" >&2; exit 1; }
diff100=$(python3 -c "print(f'{$t6-$t5:.2f}')")
echo "diff with 100 scattered differences: ${diff100} s (exit 3, ${found} rows found)"

rss=$(python3 -c "print(max(int(open('$TMP/rss1').read().split()[-1]), int(open('$TMP/rss2').read().split()[-1])) // 1024)")
echo "full_vs_read=$(ratio "$full" "$read_both") diff100_vs_read=$(ratio "$diff100" "$read_both") peak_rss_mb=$rss"
