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
  sla_deadline < now() at time zone 'utc' AND complaint_state IN (open)``,
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

import psycopg2

import _common as bench
import odoo

TARGET_MS = 3.0
OPEN_STATES = ("registered", "analysed", "verified")
SLA_INDEX = "helpdesk_ticket__sla_deadline_index"

BARE_SQL = """
    SELECT count(*) FROM helpdesk_ticket
     WHERE sla_deadline < (now() at time zone 'utc')
       AND complaint_state IN ('registered', 'analysed', 'verified')
"""

CANDIDATE_INDEXES = [
    (
        "partial (sla_deadline) WHERE complaint_state IN (open)",
        "CREATE INDEX bench_sla_open_partial ON helpdesk_ticket (sla_deadline) "
        "WHERE complaint_state IN ('registered', 'analysed', 'verified')",
        "bench_sla_open_partial",
    ),
    (
        "partial (sla_deadline) WHERE complaint_state IN (open) AND active",
        "CREATE INDEX bench_sla_open_active ON helpdesk_ticket (sla_deadline) "
        "WHERE complaint_state IN ('registered', 'analysed', 'verified') AND active",
        "bench_sla_open_active",
    ),
    (
        "composite (complaint_state, sla_deadline)",
        "CREATE INDEX bench_sla_state_deadline ON helpdesk_ticket "
        "(complaint_state, sla_deadline)",
        "bench_sla_state_deadline",
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
    # spread evenly over the table's pages.
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
                     -- registered 0 .. 47 hours ago
                     WHEN 'ontime' THEN now_utc - ((i * 13) %% 47) * interval '1 hour'
                     -- registered 3 .. 730 days ago
                     ELSE now_utc - (3 + (i * 31) %% 727) * interval '1 day'
                                  - ((i * 17) %% 24) * interval '1 hour'
                   END AS cdate,
                   CASE grp
                     WHEN 'done' THEN CASE WHEN i %% 10 = 0 THEN %(rejected)s ELSE %(closed)s END
                     ELSE (ARRAY[%(registered)s, %(analysed)s, %(verified)s])[1 + i %% 3]
                   END AS stage
              FROM typed
        )
        INSERT INTO helpdesk_ticket (
            number, name, description, company_id, team_id, stage_id,
            complaint_state, unattended, partner_id, commercial_partner_id,
            channel_id, is_complaint, urgency, priority, kanban_state, sequence,
            active, complaint_date, sla_deadline, closed_date, last_stage_update,
            sla_met, resolution_hours, first_response_hours,
            create_uid, write_uid, create_date, write_date
        )
        SELECT 'BENCH' || lpad(i::text, 7, '0'),
               'Bench complaint ' || i,
               '<p>Customer complains about repair #' || i || ': noise after service.</p>',
               %(company)s, %(team)s, d.stage,
               s.complaint_state, s.unattended, p.id, p.id,
               (%(channels)s::int[])[1 + i %% 3], true,
               (ARRAY['normal', 'medium', 'high'])[1 + i %% 3], '1', 'normal', 10,
               true, d.cdate, d.cdate + interval '48 hours', d.closed_date, d.cdate,
               d.closed_date <= d.cdate + interval '48 hours',
               coalesce(extract(epoch FROM d.closed_date - d.cdate) / 3600.0, 0),
               0, 2, 2, d.cdate, coalesce(d.closed_date, d.cdate)
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


def plan_verdict(plan, index_name):
    text = "\n".join(plan)
    nodes = re.findall(r"((?:Bitmap Index|Index Only|Index|Seq|Bitmap Heap) Scan)(?: using| on) (\S+)", text)
    used = [f"{kind} on {name}" for kind, name in nodes]
    uses_index = any(name == index_name and "Index" in kind for kind, name in nodes)
    exec_ms = re.search(r"Execution Time: ([\d.]+) ms", text)
    return uses_index, used, float(exec_ms.group(1)) if exec_ms else None


def measure(env, repeat, label_env):
    """Time the ORM search_count (per environment) and the bare SQL."""
    cr = env.cr
    rows = []
    results = {}
    for label, e in label_env:
        Ticket = e["helpdesk.ticket"]
        count = Ticket.search_count([("sla_expired", "=", True)])  # warm-up
        times = bench.repeat_ms(
            lambda Ticket=Ticket: Ticket.search_count([("sla_expired", "=", True)]), repeat
        )
        results[label] = (bench.summary_ms(times), count)

    def bare():
        cr.execute(BARE_SQL)
        return cr.fetchone()[0]

    count = bare()
    times = bench.repeat_ms(bare, repeat)
    results["bare SQL"] = (bench.summary_ms(times), count)
    base = results["bare SQL"][0]["median"]
    for label, (s, count) in results.items():
        rows.append(
            (
                label,
                f"{count:,}",
                f"{s['median']:.2f}",
                f"{s['min']:.2f}",
                f"{s['p90']:.2f}",
                f"{s['median'] / base:.2f}x",
            )
        )
    bench.table(["query", "count", "median ms", "min ms", "p90 ms", "vs bare SQL"], rows)
    return results


def orm_sql(env):
    Ticket = env["helpdesk.ticket"]
    with CaptureQueries(env.cr) as capture:
        Ticket.search_count([("sla_expired", "=", True)])
    selects = [(q, p) for q, p in capture.queries if "helpdesk_ticket" in str(q)]
    return selects[-1]


def report_plan(env, title, index_name, full=True):
    """EXPLAIN ANALYZE the SQL search_count sends; print it (or a summary)."""
    query, params = orm_sql(env)
    plan = explain(env.cr, query, params)
    print(f"\n{title}")
    print("ORM SQL: " + env.cr.mogrify(query, params).decode())
    if full:
        print("EXPLAIN (ANALYZE, BUFFERS):")
        for line in plan:
            print("    " + line)
    uses, nodes, exec_ms = plan_verdict(plan, index_name)
    heap = re.search(r"Heap Fetches: (\d+)", "\n".join(plan))
    print(
        f"scan nodes: {', '.join(nodes) or '-'}"
        f"{f'; heap fetches {heap.group(1)}' if heap else ''}; execution {exec_ms} ms; "
        f"uses {index_name}: {'yes' if uses else 'NO'}"
    )
    return uses, nodes, exec_ms


def main():
    with bench.environment(__doc__.splitlines()[0]) as env:
        n = bench.env_int("BENCH_SLA_N", 100000)
        past = bench.env_int("BENCH_SLA_PAST", 5000)
        ontime = bench.env_int("BENCH_SLA_ONTIME", 10000)
        repeat = bench.env_int("BENCH_SLA_REPEAT", 50)
        committed = bench.env_int("BENCH_SLA_COMMIT", 0)
        mode = "committed + VACUUM ANALYZE" if committed else "uncommitted, rolled back"
        bench.header(f"Benchmark 2: search_count of Past SLA among {n:,} complaints ({mode})")
        bench.machine_summary(env)
        with bench.Timer() as timer:
            inserted = insert_complaints(env, n, past, ontime)
            if committed:
                commit_and_vacuum(env)
        env.cr.execute(
            "SELECT count(*), count(*) FILTER (WHERE is_complaint), "
            "count(*) FILTER (WHERE complaint_state IN %s), "
            "count(*) FILTER (WHERE sla_deadline < now() at time zone 'utc') "
            "FROM helpdesk_ticket",
            [OPEN_STATES],
        )
        total, complaints, open_, deadline_past = env.cr.fetchone()
        print(
            f"inserted {inserted:,} complaints + {'VACUUM ' if committed else ''}ANALYZE in "
            f"{timer.seconds:.1f} s; table: {total:,} tickets, {complaints:,} complaints, "
            f"{open_:,} open, {deadline_past:,} with deadline passed (open or not), "
            f"{past:,} expected past SLA"
        )

        main_label = f"ORM search_count ({env.user.login})"
        label_env = [(main_label, env)]
        admin = env.ref("base.user_admin")
        if env.su or env.uid != admin.id:
            label_env.append(
                ("ORM search_count (admin, record rules)", env(user=admin.id, su=False))
            )

        print(f"\nTimings, {repeat} runs each (target ORM median <= {TARGET_MS} ms):")
        results = measure(env, repeat, label_env)
        uses, nodes, exec_ms = report_plan(
            env, f"Plan of the ORM query ({env.user.login}), indexes as installed:", SLA_INDEX
        )
        for label, e in label_env[1:]:
            report_plan(e, f"Plan of the ORM query ({label}):", SLA_INDEX, full=False)
        orm_median = results[main_label][0]["median"]
        bare_median = results["bare SQL"][0]["median"]
        print()
        print(
            f"ORM median {orm_median:.2f} ms (target <= {TARGET_MS} ms: "
            f"{'met' if orm_median <= TARGET_MS else 'NOT met'}), bare SQL median "
            f"{bare_median:.2f} ms, ratio ORM/SQL {orm_median / bare_median:.2f}x"
        )
        if uses:
            print(f"the ORM query USES the sla_deadline index ({SLA_INDEX}).")
        else:
            print(
                f"the ORM query does NOT use the sla_deadline index ({SLA_INDEX}); "
                f"it scans with: {', '.join(nodes) or '-'}."
            )

        summary = [
            ("as installed", orm_median, results.get(label_env[-1][0])[0]["median"],
             bare_median, exec_ms, ", ".join(nodes))
        ]
        for label, ddl, name in CANDIDATE_INDEXES:
            sp = env.cr.savepoint(flush=False)
            try:
                with bench.Timer() as t:
                    env.cr.execute(ddl)
                    env.cr.execute("ANALYZE helpdesk_ticket")
                print(
                    f"\n--- what-if: {label} "
                    f"(created + ANALYZE in {t.seconds * 1000:.0f} ms, rolled back)"
                )
                res = measure(env, repeat, label_env)
                used, nodes, exec_ms = report_plan(env, f"Plan with {name}:", name)
                for other_label, e in label_env[1:]:
                    report_plan(e, f"Plan with {name} ({other_label}):", name, full=False)
                summary.append(
                    (
                        label,
                        res[main_label][0]["median"],
                        res[label_env[-1][0]][0]["median"],
                        res["bare SQL"][0]["median"],
                        exec_ms,
                        ", ".join(nodes),
                    )
                )
            finally:
                sp.close(rollback=True)
                env.invalidate_all()

        print(f"\nSummary ({mode}; medians of {repeat} runs; target ORM <= {TARGET_MS} ms):")
        bench.table(
            ["indexes", "ORM ms", label_env[-1][0].replace("search_count ", "") + " ms",
             "bare SQL ms",
             "ORM/SQL", "EXPLAIN ms", "scan"],
            [
                (label, f"{o:.2f}", f"{a:.2f}", f"{b:.2f}", f"{o / b:.2f}x", f"{e}", nodes)
                for label, o, a, b, e, nodes in summary
            ],
        )


if __name__ == "__main__":
    main()
