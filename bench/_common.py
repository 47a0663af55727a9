"""Shared helpers of the benchmarks in this folder (run them through bench/run).

Each benchmark script is started with the project's virtualenv python as
``bench_<name>.py -c <odoo.conf> -d <database>``.  It works in one cursor
whose transaction is rolled back at the end: the database is left untouched.

Environment knobs common to all scripts:

BENCH_LOGIN  run as this user (e.g. ``admin``: record rules and access
             rights apply) instead of the superuser (the default).
"""

import argparse
import collections
import contextlib
import os
import re
import statistics
import sys
import threading
import time

import odoo
from odoo import SUPERUSER_ID, api


def env_int(name, default):
    return int(os.environ.get(name) or default)


def parse_args(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("-c", "--config", required=True, help="odoo.conf")
    parser.add_argument("-d", "--database", required=True)
    return parser.parse_args()


@contextlib.contextmanager
def environment(description):
    """Yield an Environment on the benchmark database, always rolled back."""
    args = parse_args(description)
    odoo.tools.config.parse_config(
        ["-c", args.config, "-d", args.database, "--log-level=warn", "--no-http"]
    )
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        try:
            env = api.Environment(cr, SUPERUSER_ID, {})
            login = os.environ.get("BENCH_LOGIN")
            if login:
                user = env["res.users"].search([("login", "=", login)], limit=1)
                if not user:
                    sys.exit(f"BENCH_LOGIN: no user with login {login!r}")
                env = env(user=user.id, su=False)
            yield env
        finally:
            cr.rollback()


def header(title):
    print()
    print(title)
    print("=" * len(title))
    sys.stdout.flush()


def machine_summary(env):
    env.cr.execute("SHOW server_version")
    pg = env.cr.fetchone()[0]
    print(
        f"Odoo {odoo.release.version}, PostgreSQL {pg}, python "
        f"{sys.version.split()[0]}, {os.cpu_count()} CPU(s), "
        f"user {env.user.login}{' (superuser mode)' if env.su else ''}"
    )


_QUERY_RE = re.compile(
    r"^\s*(?:WITH\b.*?\)\s*)?(SELECT|INSERT INTO|UPDATE|DELETE FROM)\s",
    re.IGNORECASE | re.DOTALL,
)
_TABLE_RE = re.compile(r'(?:FROM|INTO|UPDATE)\s+"?([a-z_][a-z0-9_]*)"?', re.IGNORECASE)


def _classify(query):
    if isinstance(query, bytes):
        query = query.decode(errors="replace")
    query = str(query)
    verb = _QUERY_RE.match(query)
    verb = verb.group(1).split()[0].upper() if verb else query.split(None, 1)[0].upper()
    table = _TABLE_RE.search(query)
    return f"{verb} {table.group(1) if table else '?'}"


class QueryCounter:
    """Count the queries of a cursor, optionally by kind ("SELECT table")."""

    def __init__(self, cr, by_kind=False):
        self.cr = cr
        self.by_kind = by_kind
        self.kinds = collections.Counter()
        self.kind_seconds = collections.Counter()
        self.count = 0
        self.sql_seconds = 0.0

    def _hook(self, cr, query, params, start, delay):
        if cr is self.cr:
            kind = _classify(query)
            self.kinds[kind] += 1
            self.kind_seconds[kind] += delay
            self.sql_seconds += delay

    def __enter__(self):
        self._start = self.cr.sql_log_count
        if self.by_kind:
            thread = threading.current_thread()
            self._old_hooks = getattr(thread, "query_hooks", ())
            thread.query_hooks = (*self._old_hooks, self._hook)
        return self

    def __exit__(self, *exc):
        self.count = self.cr.sql_log_count - self._start
        if self.by_kind:
            threading.current_thread().query_hooks = self._old_hooks
        return False


class Timer:
    """Wall time (perf_counter) and CPU time of this process."""

    def __enter__(self):
        self._start = time.perf_counter()
        self._cpu = time.process_time()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self._start
        self.cpu_seconds = time.process_time() - self._cpu
        return False


def repeat_ms(func, repeat):
    """Run `func` `repeat` times; return the list of durations in ms."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000.0)
    return times


def summary_ms(times):
    return {
        "median": statistics.median(times),
        "min": min(times),
        "p90": sorted(times)[max(0, int(round(0.9 * len(times))) - 1)],
    }


def table(headers, rows):
    """Print a small Markdown table (copy-paste friendly for README.md)."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    fmt = "| " + " | ".join("{:%d}" % w for w in widths) + " |"
    print(fmt.format(*cells[0]))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells[1:]:
        print(fmt.format(*row))
    sys.stdout.flush()


def session_id(env, user):
    """An authenticated session of `user` written to the session store (the
    web client's login, without the round trip); returns its sid."""
    from odoo import http
    from odoo.service import security

    session = http.root.session_store.new()
    session.update(http.get_default_session(), db=env.cr.dbname)
    session.uid = user.id
    session.login = user.login
    session.context = dict(env["res.users"].with_user(user).context_get())
    session.session_token = security.compute_session_token(session, env)
    http.root.session_store.save(session)
    return session.sid
