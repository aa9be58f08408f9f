#!/usr/bin/env python3
"""An oracle for `ctxdb migrate` that shares no code with core/.

The migration and the comparer both convert values through core/values, so a bug in
that code would make `ctxdb diff` agree with a wrong target. This test computes what
PostgreSQL must hold from the README's written rules alone: it reads the source with
Python's sqlite3 module and the target with psql, converts every source value with the
rules below (written here, independently), and compares row by row.

  migration_oracle.py CTXDB_PATH WORK_DIR       (CTX_TEST_PG_URL: a role with CREATEDB)

Exit 0: every row matches. Exit 1: the first differences, named, or no PostgreSQL.
"""
import csv
import datetime as dt
import decimal
import io
import json
import os
import sqlite3
import subprocess
import sys
import urllib.parse

MAX_CONTENT = 100_000
UTC = dt.timezone.utc
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)


def run(args, **kw):
    res = subprocess.run(args, capture_output=True, text=True, **kw)
    if res.returncode != 0:
        sys.exit(f"oracle: {' '.join(args[:3])} failed ({res.returncode}): {res.stderr.strip()}")
    return res.stdout


def with_database(url, name):
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


# ---- the rules, as the README states them ----------------------------------------

def text_value(raw):
    """TEXT: NUL bytes removed, invalid UTF-8 replaced by U+FFFD."""
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    if isinstance(raw, (int, float)):
        raw = repr(raw).encode() if isinstance(raw, float) else str(raw).encode()
    return raw.replace(b"\0", b"").decode("utf-8", "replace")


def content_value(raw):
    text = text_value(raw)
    return text[:MAX_CONTENT] if text is not None else None


def micros(seconds):
    """The microsecond nearest the exact value of the stored number (no float product)."""
    exact = decimal.Decimal(seconds) * 1_000_000
    return int(exact.quantize(decimal.Decimal(1), rounding=decimal.ROUND_HALF_EVEN))


def time_value(raw, required=False):
    """Every shape to UTC microseconds since the epoch; a naive time is UTC."""
    fallback = 0 if required else None
    if raw is None:
        return None
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    if isinstance(raw, (int, float)):
        return micros(raw)
    text = raw.strip()
    try:
        return micros(float(text))
    except ValueError:
        pass
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return fallback
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    delta = when - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def bool_value(raw):
    if raw is None:
        return None
    if isinstance(raw, (int, float)):
        return raw != 0
    word = text_value(raw).strip().lower()
    if word in ("1", "true", "t", "yes", "y", "on"):
        return True
    if word in ("0", "false", "f", "no", "n", "off"):
        return False
    return None


def json_value(raw):
    """JSON to JSONB; invalid JSON is stored as NULL."""
    if raw is None:
        return None
    try:
        return json.loads(text_value(raw))
    except ValueError:
        return None


def visibility_value(raw):
    value = text_value(raw)
    if value is None:
        return None
    return value if value in ("public", "private", "agent_only", "admin_only") else "admin_only"


# ---- hazards planted into a demo file ----------------------------------------------

def plant_hazards(path):
    db = sqlite3.connect(path)
    db.execute("PRAGMA ignore_check_constraints = ON")
    session = db.execute("SELECT id FROM sessions ORDER BY id LIMIT 1").fetchone()[0]
    rows = [
        (session, "nul-agent", "test", b"before\0after", "public", None, "2025-03-01 10:00:00"),
        (session, "utf8-agent", "test", b"bad \xff byte", "private", '{"a":1}', "1740823200"),
        (session, "json-agent", None, "invalid json", "public", "{not json", 1740823200.25),
        (session, "vis-agent", "test", "odd visibility", "everyone", "{}", "2025-03-01T10:00:00Z"),
        (session, "time-agent", "test", "unparseable time", "public", None, "yesterday noon"),
        (session, "offset-agent", "test", "offset time", "public", None, "2025-03-01T12:00:00+02:00"),
        (session, "long-agent", "test", "x" * (MAX_CONTENT + 25), "public", None, 1740823201),
        ("session_orphan0000000001", "orphan-agent", "test", "no session", "public", None, 1740823202),
    ]
    for s, sender, stype, content, vis, meta, ts in rows:
        db.execute("INSERT INTO messages(session_id, sender, sender_type, content, visibility,"
                   " metadata, timestamp) VALUES (?,?,?,CAST(? AS TEXT),?,?,?)",
                   (s, sender, stype, content, vis, meta, ts))
    last = db.execute("SELECT max(id) FROM messages").fetchone()[0]
    db.execute("INSERT INTO messages(session_id, sender, content, parent_message_id, timestamp)"
               " VALUES (?, 'parent-agent', 'dangling parent', ?, 1740823203)",
               (session, last + 1000))
    db.execute("UPDATE sessions SET is_active = 'true' WHERE id = ?", (session,))
    db.commit()
    db.close()


# ---- reading both sides ------------------------------------------------------------

def source_rows(path, sql):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.text_factory = bytes
    rows = db.execute(sql).fetchall()
    db.close()
    return rows


def target_rows(url, sql):
    out = run(["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c",
               f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, FORCE_QUOTE *)"])
    return list(csv.reader(io.StringIO(out)))


def target_time(text):
    return None if text == "" else int(text)


def compare(table, expected, actual, problems):
    for key in sorted(set(expected) | set(actual), key=str):
        want, got = expected.get(key), actual.get(key)
        if want == got:
            continue
        if isinstance(want, tuple) and isinstance(got, tuple) and len(want) == len(got):
            fields = [i for i in range(len(want)) if want[i] != got[i]]
            want = {i: want[i] for i in fields}
            got = {i: got[i] for i in fields}
        problems.append(f"{table} {key}: expected {want!r:.300} got {got!r:.300}")


# ---- the checks --------------------------------------------------------------------

def epoch(column):
    return f"(extract(epoch from {column}) * 1000000)::bigint::text"


def check_messages(src, url, problems):
    rows = source_rows(src, "SELECT id, session_id, sender, sender_type, content, visibility,"
                            " message_type, metadata, timestamp, parent_message_id FROM messages")
    ids = {r[0] for r in rows}
    expected = {}
    for (mid, sid, sender, stype, content, vis, mtype, meta, ts, parent) in rows:
        expected[mid] = (text_value(sid), text_value(sender),
                         text_value(stype) if stype is not None else "generic",
                         content_value(content), visibility_value(vis), text_value(mtype),
                         json_value(meta), time_value(ts),
                         parent if parent in ids else None)
    actual = {}
    for r in target_rows(url, "SELECT id, session_id, sender, sender_type, content, visibility,"
                              f" message_type, metadata::text, {epoch('timestamp')},"
                              " parent_message_id FROM messages"):
        actual[int(r[0])] = (r[1], r[2], r[3], r[4], r[5] or None, r[6] or None,
                             json.loads(r[7]) if r[7] else None,
                             target_time(r[8]), int(r[9]) if r[9] else None)
    compare("messages", expected, actual, problems)
    return {text_value(r[1]) for r in rows}


def check_sessions(src, url, referenced, problems):
    rows = source_rows(src, "SELECT id, purpose, created_at, updated_at, is_active,"
                            " created_by, metadata FROM sessions")
    expected = {text_value(r[0]): (text_value(r[1]), time_value(r[2]), time_value(r[3]),
                                   bool_value(r[4]), text_value(r[5]), json_value(r[6]))
                for r in rows}
    actual = {}
    for r in target_rows(url, f"SELECT id, purpose, {epoch('created_at')}, {epoch('updated_at')},"
                              " is_active::text, created_by, metadata::text FROM sessions"):
        meta = json.loads(r[6]) if r[6] else None
        if r[0] not in expected and isinstance(meta, dict) and meta.get("ctx_recovered"):
            actual.setdefault("placeholders", set()).add(r[0])
            continue
        actual[r[0]] = (r[1], target_time(r[2]), target_time(r[3]),
                        {"true": True, "false": False}.get(r[4]), r[5], meta)
    orphans = {s for s in referenced if s not in expected}
    expected["placeholders"] = orphans or None
    actual.setdefault("placeholders", None)
    compare("sessions", expected, actual, problems)


def check_audit_and_tokens(src, url, problems):
    rows = source_rows(src, "SELECT id, timestamp, event_type, agent_id, session_id, resource,"
                            " action, result, metadata FROM audit_log")
    expected = {r[0]: (time_value(r[1]),) + tuple(text_value(v) for v in r[2:8]) +
                (json_value(r[8]),) for r in rows}
    actual = {int(r[0]): (target_time(r[1]),) + tuple(v if v != "" else None for v in r[2:8]) +
              (json.loads(r[8]) if r[8] else None,)
              for r in target_rows(url, f"SELECT id, {epoch('timestamp')}, event_type, agent_id,"
                                        " session_id, resource, action, result, metadata::text"
                                        " FROM audit_log")}
    compare("audit_log", expected, actual, problems)
    rows = source_rows(src, "SELECT id, token_id, encrypted_jwt, agent_id, expires_at,"
                            " created_at FROM secure_tokens")
    expected = {r[0]: (text_value(r[1]), bytes(r[2]).hex(), text_value(r[3]),
                       time_value(r[4], required=True), time_value(r[5])) for r in rows}
    actual = {int(r[0]): (r[1], r[2][2:], r[3], target_time(r[4]), target_time(r[5]))
              for r in target_rows(url, "SELECT id, token_id, encrypted_jwt::text, agent_id,"
                                        f" {epoch('expires_at')}, {epoch('created_at')}"
                                        " FROM secure_tokens")}
    compare("secure_tokens", expected, actual, problems)


def check_memory(src, url, problems):
    rows = source_rows(src, "SELECT id, agent_id, session_id, key, value, metadata, created_at,"
                            " updated_at, expires_at FROM agent_memory")
    expected = {r[0]: tuple(text_value(v) for v in r[1:5]) + (json_value(r[5]),) +
                tuple(time_value(v) for v in r[6:9]) for r in rows}
    actual = {int(r[0]): tuple(v if v != "" else None for v in r[1:5]) +
              (json.loads(r[5]) if r[5] else None,) + tuple(target_time(v) for v in r[6:9])
              for r in target_rows(url, "SELECT id, agent_id, session_id, key, value,"
                                        f" metadata::text, {epoch('created_at')},"
                                        f" {epoch('updated_at')}, {epoch('expires_at')}"
                                        " FROM agent_memory")}
    compare("agent_memory", expected, actual, problems)


def check_rejects(src, url, problems):
    """Every value changed by a rule is recorded with its original bytes."""
    recorded = {(r[0], r[1], r[2]): r[3] for r in target_rows(
        url, "SELECT table_name, row_key, column_name, reason FROM ctx_migration_rejects")}
    wanted = {}
    for mid, content, vis, meta, ts in source_rows(
            src, "SELECT id, content, visibility, metadata, timestamp FROM messages"):
        raw = content if isinstance(content, bytes) else str(content).encode()
        if b"\0" in raw:
            wanted[("messages", str(mid), "content")] = "nul_bytes"
        elif text_value(raw).encode("utf-8", "surrogatepass") != raw:
            wanted[("messages", str(mid), "content")] = "invalid_utf8"
        elif len(text_value(raw)) > MAX_CONTENT:
            wanted[("messages", str(mid), "content")] = "content_too_long"
        if meta is not None and json_value(meta) is None:
            wanted[("messages", str(mid), "metadata")] = "invalid_json"
        if vis is not None and visibility_value(vis) != text_value(vis):
            wanted[("messages", str(mid), "visibility")] = "invalid_visibility"
        if ts is not None and time_value(ts) is None:
            wanted[("messages", str(mid), "timestamp")] = "unparseable_timestamp"
    for key, reason in wanted.items():
        if recorded.get(key) != reason:
            problems.append(f"rejects {key}: expected reason {reason} got {recorded.get(key)}")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    ctxdb, work = sys.argv[1], sys.argv[2]
    base = os.environ.get("CTX_TEST_PG_URL")
    if not base:
        print("oracle: CTX_TEST_PG_URL is not set (run it under scripts/pg-sandbox run)")
        return 1
    os.makedirs(work, exist_ok=True)
    src = os.path.join(work, "oracle-source.db")
    if os.path.exists(src):
        os.remove(src)
    run([ctxdb, "demo", "--out", src, "--messages", "2000", "--seed", "11"])
    plant_hazards(src)
    name = f"ctx_oracle_{os.getpid()}"
    run(["psql", base, "-X", "-q", "-c", f"CREATE DATABASE {name}"])
    url = with_database(base, name)
    try:
        run([ctxdb, "migrate", src, url])
        problems = []
        referenced = check_messages(src, url, problems)
        check_sessions(src, url, referenced, problems)
        check_audit_and_tokens(src, url, problems)
        check_memory(src, url, problems)
        check_rejects(src, url, problems)
    finally:
        subprocess.run(["psql", base, "-X", "-q", "-c", f"DROP DATABASE IF EXISTS {name}"],
                       capture_output=True)
    for line in problems[:20]:
        print("oracle:", line)
    if problems:
        print(f"oracle: {len(problems)} differences between the source and its migration")
        return 1
    print("oracle: every row of messages, sessions, agent_memory, audit_log and secure_tokens"
          " holds what the written rules make of the source")
    return 0


if __name__ == "__main__":
    sys.exit(main())
