"""Benchmark 2: counting complaints past their SLA among 100,000.

Inserts N complaints (default 100,000) straight with SQL (INSERT ... SELECT
generate_series) in the current transaction: P of them (default 5,000) open
and past their SLA deadline, O (default 10,000) open and on time, the rest
closed or rejected (deadlines in the past).  The three groups are spread
evenly over the table.  Then ANALYZE, then:

* ORM: ``env['helpdesk.ticket'].search_count([('sla_expired', '=', True)])``
  (as the benchmark user, and as the non-superuser ``admin`` with its record
  rules), repeated R times (default 50), median and minimum in ms;
* bare SQL baseline: ``SELECT count(*) FROM helpdesk_ticket WHERE
  sla_deadline < now() at time zone 'utc' AND complaint_state IN (open)
  AND active``,
  timed the same way;
* EXPLAIN (ANALYZE, BUFFERS) of the exact SQL the ORM sent (captured from
  the cursor), and whether it uses the sla_deadline index;
* what-if: the same with candidate indexes created in a savepoint (rolled
  back): a partial index on (sla_deadline) WHERE complaint_state IN (open),
  and a composite index on (complaint_state, sla_deadline).

Everything is rolled back at the end.  Caveat of that default mode: the rows
are never committed, so their pages are not all-visible and PostgreSQL cannot
answer count(*) from an index alone (no Index Only Scan).

Vacuumed mode (BENCH_SLA_COMMIT=1, used by ``bench/run`` on a throw-away copy
of the benchmark database whose name must end in ``_vacuum``): the rows are
committed and VACUUM ANALYZE'd first, as in a production database; the
candidate indexes are still created in savepoints and rolled back.

Knobs (environment variables): BENCH_SLA_N, BENCH_SLA_PAST, BENCH_SLA_ONTIME,
BENCH_SLA_REPEAT, BENCH_SLA_COMMIT, BENCH_LOGIN (see _common.py).

Target: ORM search_count <= 3 ms (median).
"""

import re
import threading

import _common as bench
import psycopg2

import odoo

TARGET_MS = 3.0
OPEN_STATES = ("registered", "analysed", "verified")
RAW_LABEL = "the ORM's SQL, run raw"
OPEN_SQL = "complaint_state IN ('registered', 'analysed', 'verified')"

# Same predicate as the ORM's (archived tickets excluded), without the ORM.
BARE_SQL = f"""
    SELECT count(*) FROM helpdesk_ticket
     WHERE sla_deadline < (now() at time zone 'utc')
       AND {OPEN_SQL} AND active
"""

# (label, name, DDL): tried one at a time in a savepoint, rolled back.  A
# candidate is skipped when an installed index has the same columns and the
# same predicate columns (e.g. the partial index the model may create).
CANDIDATE_INDEXES = [
    (
        "partial (sla_deadline) WHERE open",
        "bench_sla_open",
        "CREATE INDEX bench_sla_open ON helpdesk_ticket (sla_deadline) "
        f"WHERE {OPEN_SQL}",
    ),
    (
        "partial (sla_deadline) WHERE open AND active",
        "bench_sla_open_active",
        "CREATE INDEX bench_sla_open_active ON helpdesk_ticket (sla_deadline) "
        f"WHERE {OPEN_SQL} AND active",
    ),
    (
        "partial (sla_deadline) INCLUDE (company_id) WHERE open AND active",
        "bench_sla_open_active_company",
        "CREATE INDEX bench_sla_open_active_company ON helpdesk_ticket (sla_deadline) "
        f"INCLUDE (company_id) WHERE {OPEN_SQL} AND active",
    ),
    (
        "composite (complaint_state, sla_deadline)",
        "bench_sla_state_deadline",
        "CREATE INDEX bench_sla_state_deadline ON helpdesk_ticket "
        "(complaint_state, sla_deadline)",
    ),
]


def insert_complaints(env, n, past, ontime):
    cr = env.cr
    team = env.ref("helpdesk_mgmt_complaint.helpdesk_team_complaints")
    stage = {
        state: env.ref(f"helpdesk_mgmt_complaint.stage_complaint_{state}")
        for state in ("registered", "analysed", "verified", "closed", "rejected")
    }
    channels = [
        env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone").id,
        env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email").id,
        env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web").id,
    ]
    partners = env["res.partner"].create(
        [{"name": f"Bench SLA customer {i:03d}"} for i in range(200)]
    )
    env.flush_all()
    # k = i * 7919 mod n is a permutation of 0..n-1 (7919 is prime and does
    # not divide n for the defaults): k < past -> open past SLA, k < past +
    # ontime -> open on time, otherwise closed/rejected; the groups are thus
    # spread evenly over the table's pages (the worst case for heap visits).
    cr.execute(
        """
        WITH src AS (
            SELECT i,
                   (i::bigint * 7919) %% %(n)s AS k,
                   (now() at time zone 'utc') AS now_utc
              FROM generate_series(1, %(n)s) AS i
        ), typed AS (
            SELECT i, k, now_utc,
                   CASE WHEN k < %(past)s THEN 'past'
                        WHEN k < %(past)s + %(ontime)s THEN 'ontime'
                        ELSE 'done' END AS grp
              FROM src
        ), dated AS (
            SELECT *,
                   CASE grp
                     -- overdue by 1 hour .. 30 days
                     WHEN 'past' THEN now_utc - interval '48 hours'
                                       - (1 + (i * 37) %% 719) * interval '1 hour'
                     -- registered 0 .. 46 hours ago
                     WHEN 'ontime' THEN now_utc - ((i * 13) %% 47) * interval '1 hour'
                     -- registered 3 .. 730 days ago
                     ELSE now_utc - (3 + (i * 31) %% 727) * interval '1 day'
                                  - ((i * 17) %% 24) * interval '1 hour'
                   END AS cdate,
                   CASE grp
                     WHEN 'done' THEN
                       CASE WHEN i %% 10 = 0 THEN %(rejected)s ELSE %(closed)s END
                     ELSE
                       (ARRAY[%(registered)s, %(analysed)s, %(verified)s])[1 + i %% 3]
                   END AS stage
              FROM typed
        )
        INSERT INTO helpdesk_ticket (
            number, name, description, company_id, team_id, stage_id,
            complaint_state, unattended, partner_id, commercial_partner_id,
            channel_id, is_complaint, urgency, priority, kanban_state, sequence,
            active, complaint_date, sla_deadline, closed_date, last_stage_update,
            sla_met, resolution_hours, first_response_hours,
            rating_status, create_uid, write_uid, create_date, write_date
        )
        SELECT 'BENCH' || lpad(i::text, 7, '0'),
               'Bench complaint ' || i,
               '<p>Customer complains about repair #' || i || ': noise.</p>',
               %(company)s, %(team)s, d.stage,
               s.complaint_state, s.unattended, p.id, p.id,
               (%(channels)s::int[])[1 + i %% 3], true,
               (ARRAY['normal', 'medium', 'high'])[1 + i %% 3], '1', 'normal', 10,
               true, d.cdate, d.cdate + interval '48 hours', d.closed_date, d.cdate,
               d.closed_date <= d.cdate + interval '48 hours',
               coalesce(extract(epoch FROM d.closed_date - d.cdate) / 3600.0, 0),
               0, 'stage_change', 2, 2, d.cdate, coalesce(d.closed_date, d.cdate)
          FROM (
                SELECT dated.*,
                       CASE WHEN grp = 'done'
                            THEN cdate + (1 + (i * 29) %% 96) * interval '1 hour'
                       END AS closed_date
                  FROM dated
               ) d
          JOIN helpdesk_ticket_stage s ON s.id = d.stage
          JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn
                  FROM res_partner WHERE id IN %(partners)s) p
            ON p.rn = d.i %% %(npartners)s
        """,
        {
            "n": n,
            "past": past,
            "ontime": ontime,
            "company": team.company_id.id or env.company.id,
            "team": team.id,
            "closed": stage["closed"].id,
            "rejected": stage["rejected"].id,
            "registered": stage["registered"].id,
            "analysed": stage["analysed"].id,
            "verified": stage["verified"].id,
            "channels": channels,
            "partners": tuple(partners.ids),
            "npartners": len(partners),
        },
    )
    inserted = cr.rowcount
    cr.execute("ANALYZE helpdesk_ticket")
    env.invalidate_all()
    return inserted


def commit_and_vacuum(env):
    """Commit the inserted rows and VACUUM ANALYZE the table (own connection,
    VACUUM cannot run in a transaction)."""
    dbname = env.cr.dbname
    if not dbname.endswith("_vacuum"):
        raise SystemExit(
            f"BENCH_SLA_COMMIT=1 commits 100,000 rows: refusing on {dbname!r} "
            "(use a throw-away copy whose name ends in _vacuum, as bench/run does)"
        )
    env.cr.commit()
    _name, info = odoo.sql_db.connection_info_for(dbname)
    cnx = psycopg2.connect(**info)
    try:
        cnx.autocommit = True
        with cnx.cursor() as c:
            c.execute("VACUUM ANALYZE helpdesk_ticket")
    finally:
        cnx.close()


class CaptureQueries:
    """Record the (query, params) a block sends on a cursor."""

    def __init__(self, cr):
        self.cr = cr
        self.queries = []

    def _hook(self, cr, query, params, start, delay):
        if cr is self.cr:
            self.queries.append((query, params))

    def __enter__(self):
        thread = threading.current_thread()
        self._old = getattr(thread, "query_hooks", ())
        thread.query_hooks = (*self._old, self._hook)
        return self

    def __exit__(self, *exc):
        threading.current_thread().query_hooks = self._old
        return False


def explain(cr, query, params):
    cr.execute("EXPLAIN (ANALYZE, BUFFERS) " + query, params)
    return [row[0] for row in cr.fetchall()]


def sla_indexes(cr):
    """{name: definition} of the indexes of helpdesk_ticket led by sla_deadline."""
    cr.execute(
        "SELECT indexname, indexdef FROM pg_indexes"
        " WHERE tablename = 'helpdesk_ticket' "
        "AND indexdef ~ 'USING btree \\(sla_deadline[,)]' ORDER BY indexname"
    )
    return dict(cr.fetchall())


def _shape(indexdef):
    """Columns + predicate columns of an index definition, for comparison."""
    cols = re.search(r"USING btree \(([^)]*)\)", indexdef).group(1)
    include = re.search(r"INCLUDE \(([^)]*)\)", indexdef)
    where = indexdef.split(" WHERE ", 1)[1] if " WHERE " in indexdef else ""
    pred = tuple(
        sorted(
            c for c in ("complaint_state", "active") if re.search(rf"\b{c}\b", where)
        )
    )
    return cols.replace(" ", ""), include.group(1) if include else "", pred


def plan_nodes(plan):
    text = "\n".join(plan)
    nodes = re.findall(
        r"((?:Bitmap Index|Index Only|Index|Parallel Seq|Seq|Bitmap Heap) Scan)"
        r"(?: using| on) (\S+)",
        text,
    )
    exec_ms = re.search(r"Execution Time: ([\d.]+) ms", text)
    heap = re.search(r"Heap Fetches: (\d+)", text)
    return (
        nodes,
        float(exec_ms.group(1)) if exec_ms else None,
        heap and int(heap.group(1)),
    )


def measure(env, repeat, label_env):
    """Time the ORM search_count (per environment), the SQL the ORM sends run
    raw on the cursor, and the bare SQL baseline; print and return medians.

    The variants are interleaved (one call of each per round, in rotating
    order) so that load from other processes hits them alike."""
    cr = env.cr
    funcs = {}
    for label, e in label_env:
        Ticket = e["helpdesk.ticket"]

        def orm(Ticket=Ticket):
            return Ticket.search_count([("sla_expired", "=", True)])

        funcs[label] = orm

    query, params = orm_sql(env)

    def raw():
        cr.execute(query, params)
        return cr.fetchone()[0]

    def bare():
        cr.execute(BARE_SQL)
        return cr.fetchone()[0]

    funcs[RAW_LABEL] = raw
    funcs["bare SQL"] = bare
    counts = {label: func() for label, func in funcs.items()}  # warm-up
    times = {label: [] for label in funcs}
    labels = list(funcs)
    for i in range(repeat):
        for label in labels[i % len(labels) :] + labels[: i % len(labels)]:
            start = bench.time.perf_counter()
            funcs[label]()
            times[label].append((bench.time.perf_counter() - start) * 1000.0)
    stats = {label: bench.summary_ms(t) for label, t in times.items()}
    base = stats["bare SQL"]["median"]
    bench.table(
        ["query", "count", "median ms", "min ms", "p90 ms", "vs bare SQL"],
        [
            (
                label,
                f"{counts[label]:,}",
                f"{s['median']:.2f}",
                f"{s['min']:.2f}",
                f"{s['p90']:.2f}",
                f"{s['median'] / base:.2f}x",
            )
            for label, s in stats.items()
        ],
    )
    return {label: s["median"] for label, s in stats.items()}


def orm_sql(env):
    Ticket = env["helpdesk.ticket"]
    with CaptureQueries(env.cr) as capture:
        Ticket.search_count([("sla_expired", "=", True)])
    return [(q, p) for q, p in capture.queries if "helpdesk_ticket" in str(q)][-1]


def report_plan(env, title, full=True, sql=None):
    """EXPLAIN ANALYZE the SQL search_count sends (or `sql`); print it (or a
    summary)."""
    query, params = (sql, None) if sql else orm_sql(env)
    plan = explain(env.cr, query, params)
    print(f"\n{title}")
    print("  SQL: " + " ".join(env.cr.mogrify(query, params).decode().split()))
    if full:
        print("  EXPLAIN (ANALYZE, BUFFERS):")
        for line in plan:
            print("    " + line)
    nodes, exec_ms, heap = plan_nodes(plan)
    scans = ", ".join(f"{kind} on {name}" for kind, name in nodes) or "-"
    print(
        f"  => {scans}{f'; heap fetches {heap}' if heap is not None else ''}; "
        f"execution {exec_ms} ms"
    )
    return nodes, exec_ms, scans


def main():
    with bench.environment(__doc__.splitlines()[0]) as env:
        cr = env.cr
        n = bench.env_int("BENCH_SLA_N", 100000)
        past = bench.env_int("BENCH_SLA_PAST", 5000)
        ontime = bench.env_int("BENCH_SLA_ONTIME", 10000)
        repeat = bench.env_int("BENCH_SLA_REPEAT", 50)
        committed = bench.env_int("BENCH_SLA_COMMIT", 0)
        mode = "committed + VACUUM ANALYZE" if committed else "uncommitted, rolled back"
        bench.header(
            f"Benchmark 2: search_count of Past SLA among {n:,} complaints ({mode})"
        )
        bench.machine_summary(env)
        with bench.Timer() as timer:
            inserted = insert_complaints(env, n, past, ontime)
            if committed:
                commit_and_vacuum(env)
        cr.execute(
            "SELECT count(*), count(*) FILTER (WHERE is_complaint), "
            f"count(*) FILTER (WHERE {OPEN_SQL}), "
            "count(*) FILTER (WHERE sla_deadline < now() at time zone 'utc'), "
            "pg_relation_size('helpdesk_ticket') / 8192 FROM helpdesk_ticket"
        )
        total, complaints, open_, deadline_past, pages = cr.fetchone()
        print(
            f"inserted {inserted:,} complaints + "
            f"{'VACUUM ' if committed else ''}ANALYZE in "
            f"{timer.seconds:.1f} s; table: {total:,} tickets ({pages:,} pages), "
            f"{complaints:,} complaints, {open_:,} open, "
            f"{deadline_past:,} with deadline "
            f"passed (open or not), {past:,} expected past SLA"
        )
        installed = sla_indexes(cr)
        print("indexes on sla_deadline as installed:")
        for name, definition in installed.items():
            print(f"  {name}: {definition.split(' USING ', 1)[1]}")

        main_label = f"ORM search_count ({env.user.login})"
        label_env = [(main_label, env)]
        admin = env.ref("base.user_admin")
        if env.su or env.uid != admin.id:
            label_env.append(
                ("ORM search_count (admin, record rules)", env(user=admin.id, su=False))
            )
        rules_label = label_env[-1][0]

        print(f"\nTimings, {repeat} runs each (target ORM median <= {TARGET_MS} ms):")
        medians = measure(env, repeat, label_env)
        nodes, exec_ms, scans = report_plan(
            env, f"Plan of the ORM query ({env.user.login}), indexes as installed:"
        )
        for label, e in label_env[1:]:
            report_plan(e, f"Plan of the ORM query ({label}):", full=False)
        report_plan(env, "Plan of the bare SQL:", full=False, sql=BARE_SQL)
        orm, bare = medians[main_label], medians["bare SQL"]
        used = [
            (kind, name)
            for kind, name in nodes
            if name in installed and "Index" in kind
        ]
        print()
        print(
            f"ORM median {orm:.2f} ms (target <= {TARGET_MS} ms: "
            f"{'met' if orm <= TARGET_MS else 'NOT met'}); "
            f"bare SQL median {bare:.2f} ms; "
            f"ratio ORM/bare SQL {orm / bare:.2f}x; ORM/its own SQL run raw "
            f"{orm / medians[RAW_LABEL]:.2f}x"
        )
        if used:
            print(
                "the ORM query USES an sla_deadline index: "
                + ", ".join(f"{kind} on {name}" for kind, name in used)
            )
        else:
            print(
                "the ORM query does NOT use any sla_deadline index; "
                f"it scans with: {scans}"
            )

        summary = [("as installed", medians, exec_ms, scans)]
        shapes = {_shape(d) for d in installed.values()}
        for label, name, ddl in CANDIDATE_INDEXES:
            shape = _shape(
                ddl.replace(
                    f"CREATE INDEX {name} ON helpdesk_ticket (", "USING btree ("
                )
            )
            if shape in shapes:
                print(
                    f"\n--- what-if: {label}: skipped, "
                    "an installed index has that shape"
                )
                continue
            sp = cr.savepoint(flush=False)
            try:
                with bench.Timer() as t:
                    cr.execute(ddl)
                    cr.execute("ANALYZE helpdesk_ticket")
                print(
                    f"\n--- what-if: {label} "
                    f"(created + ANALYZE in {t.seconds * 1000:.0f} ms, rolled back)"
                )
                res = measure(env, repeat, label_env)
                _nodes, exec_ms, scans = report_plan(env, f"Plan with {name}:")
                for other_label, e in label_env[1:]:
                    report_plan(e, f"Plan with {name} ({other_label}):", full=False)
                report_plan(
                    env, f"Plan with {name} (bare SQL):", full=False, sql=BARE_SQL
                )
                summary.append((label, res, exec_ms, scans))
            finally:
                sp.close(rollback=True)
                env.invalidate_all()

        print(
            f"\nSummary ({mode}; medians of {repeat} runs; "
            f"target ORM <= {TARGET_MS} ms):"
        )
        bench.table(
            [
                "extra index",
                "ORM ms",
                rules_label.replace("search_count ", "") + " ms",
                "ORM SQL raw ms",
                "bare SQL ms",
                "ORM/bare",
                "EXPLAIN ms",
                "plan (superuser ORM query)",
            ],
            [
                (
                    label,
                    f"{m[main_label]:.2f}",
                    f"{m[rules_label]:.2f}",
                    f"{m[RAW_LABEL]:.2f}",
                    f"{m['bare SQL']:.2f}",
                    f"{m[main_label] / m['bare SQL']:.2f}x",
                    f"{e}",
                    scans,
                )
                for label, m, e, scans in summary
            ],
        )


if __name__ == "__main__":
    main()
