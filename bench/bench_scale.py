"""Benchmark 6: the complaint screens at 100,000 and at 1,000,000 complaints.

On a throw-away database (name starting with ``hmc_scale_``; it commits):
5 companies (a complaint team each), 40 handlers, 500 customers with a phone
and a vehicle, then the most recent BENCH_SCALE_SMALL_N complaints (default
100,000) bulk-inserted (``_scale_data.insert_tickets``: 3 % open, 0.5 %
past SLA, 80,000 a year), committed and VACUUM ANALYZEd: everything is
measured; then the older complaints up to BENCH_SCALE_N (default 1,000,000)
are added the same way and everything is measured again. Printed: each
figure at both sizes, the ratio and the query counts.

Measured as ``admin`` (record rules; all 5 companies allowed, as the
company switcher with every company ticked), R times each (BENCH_SCALE_REPEAT,
default 5) after a warm-up, median:

* Past SLA: ``search_count`` and ``search(limit=80)`` of the action's domain
  + the Past SLA filter;
* kanban of the complaints as the web client (Odoo 18) loads it: one
  ``web_read_group`` by stage (aggregates of the kanban's fields, lazy),
  then for each unfolded column with cards one ``web_search_read`` of 40 cards
  with the kanban's specification (fields of the arch) and ``count_limit``
  10,001; with the action's default filter (open complaints), and without;
* the list: ``web_search_read`` of 80 rows with the list view's
  specification and its count (count_limit 10,001), open complaints and all;
* portal list ``GET /my/complaints`` of a customer (WSGI stack in process);
* analysis pivot ``helpdesk.complaint.report.read_group`` month x urgency,
  over the last year and over all time;
* the SLA alert cron with 5,000 complaints due (BENCH_SCALE_DUE), in a
  savepoint rolled back;
* the XLSX workbook (``_export_xlsx``) of the last year and of everything
  (BENCH_SCALE_XLSX_ALL=0 skips the latter), each in a forked child: time and
  peak RSS.

The open complaints (3 % of BENCH_SCALE_N) are among the newest ones
(BENCH_SCALE_BACKLOG=recent, the default): the first measure already holds the
whole backlog and the growth to 1,000,000 is history, as on a desk that keeps
its complaints for years. BENCH_SCALE_BACKLOG=spread keeps 3 % of each size
open instead (3,000 then 30,000: the backlog grows with the history).

Knobs: BENCH_SCALE_N, BENCH_SCALE_SMALL_N, BENCH_SCALE_REPEAT, BENCH_SCALE_DUE,
BENCH_SCALE_BACKLOG,
BENCH_SCALE_XLSX (0: no workbook), BENCH_SCALE_XLSX_ALL, BENCH_SCALE_BEFORE (1:
first drop the indexes issue #14 added and restore the former Past SLA index,
to measure the "before" state on the same data).
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta

import _common as bench
import _scale_data as data
from _specs import kanban_requests_from_view, spec_from_view
from bench_portal import session_client
from bench_report import in_child

import odoo.sql_db
from odoo import fields
from odoo.osv.expression import AND

OPEN_FILTER = [("complaint_state", "in", data.OPEN_STATES)]
# What the complaint board asked before it was reshaped (issue #14): the sums
# of colour and rating percentage in every column, and helpdesk_mgmt's
# activity-state progress bar.
FORMER_BOARD_REQUESTS = (
    ["color:sum", "positive_rate_percentage:sum"],
    {
        "field": "activity_state",
        "colors": {"planned": "success", "today": "warning", "overdue": "danger"},
        "sum_field": False,
    },
)
ACTION_DOMAIN = [("is_complaint", "=", True)]


def timed(env, func, repeat):
    """Warm-up, then `repeat` runs: (median ms, queries of one run, result)."""
    result = func()
    times, counts = [], []
    for _ in range(repeat):
        env.invalidate_all()
        before = env.cr.sql_log_count
        start = time.perf_counter()
        result = func()
        times.append((time.perf_counter() - start) * 1000.0)
        counts.append(env.cr.sql_log_count - before)
    return statistics.median(times), max(counts), result


def kanban(Ticket, domain, spec, requests):
    """web_read_group (with the columns' aggregates), read_progress_bar, then
    one web_search_read per unfolded column (40 cards)."""
    aggregates, progress_bar = requests
    res = Ticket.web_read_group(domain, aggregates, ["stage_id"], limit=80, lazy=True)
    if progress_bar:
        Ticket.read_progress_bar(domain, "stage_id", progress_bar)
    cards = 0
    for group in res["groups"]:
        if group.get("__fold") or not group["stage_id_count"]:
            continue
        page = Ticket.web_search_read(
            AND([domain, [("stage_id", "=", group["stage_id"][0])]]),
            spec,
            limit=40,
            count_limit=10001,
        )
        cards += len(page["records"])
    total = sum(g["stage_id_count"] for g in res["groups"])
    return f"{len(res['groups'])} columns, {cards} cards, {total:,} counted"


def measure(env, people, portal_client, repeat):
    """{key: (label, median ms, queries, result)} of every screen."""
    admin = env.ref("base.user_admin")
    uenv = env(
        user=admin.id,
        su=False,
        context={
            "allowed_company_ids": people["companies"],
            "bin_size": True,
            "default_is_complaint": True,
        },
    )
    Ticket = uenv["helpdesk.ticket"]
    Report = uenv["helpdesk.complaint.report"]
    kanban_view = env.ref("helpdesk_mgmt_complaint.helpdesk_complaint_view_kanban")
    list_view = env.ref("helpdesk_mgmt.ticket_view_tree")
    kanban_spec = spec_from_view(Ticket, kanban_view.id, "kanban")
    kanban_requests = kanban_requests_from_view(Ticket, kanban_view.id)
    list_spec = spec_from_view(Ticket, list_view.id, "list")
    past = AND([ACTION_DOMAIN, [("sla_expired", "=", True)]])
    open_domain = AND([ACTION_DOMAIN, OPEN_FILTER])
    year_ago = fields.Datetime.now() - timedelta(days=365)
    res = {}

    def run(key, label, func):
        ms, queries, result = timed(uenv, func, repeat)
        res[key] = (label, ms, queries, result)
        print(f"  {label}: {ms:.1f} ms, {queries} queries ({result})")
        sys.stdout.flush()

    run("past_count", "Past SLA search_count", lambda: Ticket.search_count(past))
    run(
        "past_search",
        "Past SLA search(limit=80)",
        lambda: f"{len(Ticket.search(past, limit=80))} rows",
    )
    run(
        "kanban_open",
        "kanban, open complaints (default filter)",
        lambda: kanban(Ticket, open_domain, kanban_spec, kanban_requests),
    )
    run(
        "kanban_open_former",
        "kanban, open complaints, former board (sums, activity bar)",
        lambda: kanban(Ticket, open_domain, kanban_spec, FORMER_BOARD_REQUESTS),
    )
    run(
        "kanban_all",
        "kanban, all complaints (no filter)",
        lambda: kanban(Ticket, ACTION_DOMAIN, kanban_spec, kanban_requests),
    )

    def listing(domain):
        page = Ticket.web_search_read(domain, list_spec, limit=80, count_limit=10001)
        return f"{len(page['records'])} rows, count {page['length']:,}"

    run(
        "list_open", "list of 80 + count, open complaints", lambda: listing(open_domain)
    )
    run(
        "list_all",
        "list of 80 + count (limit 10,001), all",
        lambda: listing(ACTION_DOMAIN),
    )

    def pivot(domain):
        groups = Report.read_group(
            domain, ["nbr:sum"], ["complaint_date:month", "urgency"], lazy=False
        )
        return f"{len(groups)} cells, {sum(g['nbr'] for g in groups):,} complaints"

    run(
        "pivot_year",
        "pivot month x urgency, last year",
        lambda: pivot([("complaint_date", ">=", year_ago)]),
    )
    run("pivot_all", "pivot month x urgency, all time", lambda: pivot([]))
    if portal_client:
        res["portal"] = portal(portal_client, repeat)
        print(f"  portal: {res['portal'][1]:.1f} ms, {res['portal'][2]} queries")
    return res


def portal(client, repeat):
    url = "/my/complaints"
    for _ in range(2):
        assert client.get(url).status_code == 200
    times, counts = [], []
    for _ in range(repeat):
        before = odoo.sql_db.sql_counter
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000.0)
        counts.append(odoo.sql_db.sql_counter - before)
        assert response.status_code == 200
    rows = response.get_data(as_text=True).count("o_complaint_portal_row")
    return (
        "portal GET /my/complaints (customer)",
        statistics.median(times),
        max(counts),
        f"{rows} rows",
    )


def cron(env, due):
    """SLA alert cron with `due` complaints due, rolled back."""
    env.cr.execute("SAVEPOINT scale_cron")
    try:
        env.cr.execute(
            """UPDATE helpdesk_ticket SET sla_alert_level = 0,
                      sla_next_alert_date =
                          now() at time zone 'utc' - interval '1 minute'
                WHERE id IN (SELECT id FROM helpdesk_ticket
                              WHERE complaint_state IN %s AND is_complaint
                              ORDER BY id DESC LIMIT %s)""",
            [data.OPEN_STATES, due],
        )
        env.invalidate_all()
        with bench.QueryCounter(env.cr) as qc, bench.Timer() as t:
            done = env["helpdesk.ticket"]._cron_complaint_sla_alerts()
            env.flush_all()
        return ("SLA alert cron", t.seconds * 1000.0, qc.count, f"{done:,} alerted")
    finally:
        env.cr.execute("ROLLBACK TO SAVEPOINT scale_cron")
        env.invalidate_all()


def xlsx(env, domain):
    def run():
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as f:
            rows = env["helpdesk.complaint.report"]._export_xlsx(f.name, domain)
            return rows, os.path.getsize(f.name)

    (rows, size), seconds, peak, rss0 = in_child(run)
    return seconds, peak, rss0, rows, size


def print_xlsx(what, result):
    seconds, peak, rss0, rows, _size = result
    print(
        f"  xlsx {what}: {seconds:.1f} s, peak {peak:.0f} MB (fork {rss0:.0f} MB), "
        f"{rows:,} rows"
    )


def measure_all(env, people, client, repeat, due, size):
    bench.header(f"{size:,} complaints")
    res = measure(env, people, client, repeat)
    res["cron"] = cron(env, due)
    _label, ms, queries, result = res["cron"]
    print(f"  cron: {ms / 1000:.1f} s, {queries} queries ({result})")
    if os.environ.get("BENCH_SCALE_XLSX", "1") != "0":
        year_ago = fields.Datetime.now() - timedelta(days=365)
        res["xlsx_year"] = xlsx(env, [("complaint_date", ">=", year_ago)])
        print_xlsx("year", res["xlsx_year"])
        if os.environ.get("BENCH_SCALE_XLSX_ALL", "1") != "0":
            res["xlsx_all"] = xlsx(env, [])
            print_xlsx("all", res["xlsx_all"])
    sys.stdout.flush()
    return res


def portal_user(env, people):
    """A portal user for the first customer (complaints: 1 in 500)."""
    partner = env["res.partner"].browse(people["partners"][0])
    return env["res.users"].create(
        {
            "name": partner.name,
            "login": "scale_portal_customer",
            "partner_id": partner.id,
            "groups_id": [(6, 0, [env.ref("base.group_portal").id])],
        }
    )


def report(small, large, n_small, n):
    bench.header(f"Scale: {n_small:,} -> {n:,} complaints")
    rows = []
    for key, value in small.items():
        if key.startswith("xlsx"):
            continue
        label, ms, q, _result = value
        _l, ms2, q2, result2 = large[key]
        rows.append(
            (label, f"{ms:.1f}", q, f"{ms2:.1f}", q2, f"{ms2 / ms:.2f}x", result2)
        )
    bench.table(
        [
            "measure",
            f"ms @{n_small:,}",
            "queries",
            f"ms @{n:,}",
            "queries",
            "growth",
            f"result @{n:,}",
        ],
        rows,
    )
    xrows = []
    for key, label in (
        ("xlsx_year", "XLSX, last year"),
        ("xlsx_all", "XLSX, everything"),
    ):
        for size, res in ((n_small, small), (n, large)):
            if key in res:
                s, peak, rss0, count, fsize = res[key]
                xrows.append(
                    (
                        label,
                        f"{size:,}",
                        f"{count:,}",
                        f"{s:.1f}",
                        f"{peak:.0f}",
                        f"{rss0:.0f}",
                        f"{fsize / 2**20:.1f}",
                    )
                )
    if xrows:
        bench.table(
            [
                "export",
                "complaints",
                "rows",
                "time s",
                "peak RSS MB",
                "RSS at fork MB",
                "file MB",
            ],
            xrows,
        )


# The indexes added after the first measurements (issue #14), and the one
# they replaced: BENCH_SCALE_BEFORE=1 measures without them.
ISSUE_14_INDEXES = (
    "helpdesk_ticket_sla_open_complaint_index",
    "helpdesk_ticket_open_order_index",
    "helpdesk_ticket_open_board_index",
    "helpdesk_ticket_partner_date_index",
    "helpdesk_ticket_complaint_order_index",
)
FORMER_SLA_INDEX = (
    "CREATE INDEX IF NOT EXISTS helpdesk_ticket_sla_open_index ON helpdesk_ticket "
    "(sla_deadline) INCLUDE (company_id) WHERE complaint_state IN "
    "('registered', 'analysed', 'verified') AND active"
)


def restore_before(env):
    for name in ISSUE_14_INDEXES:
        env.cr.execute(f"DROP INDEX IF EXISTS {name}")
    env.cr.execute(FORMER_SLA_INDEX)
    env.cr.commit()
    print(
        "BENCH_SCALE_BEFORE=1: indexes of issue #14 dropped, former Past SLA index back"
    )


def main():
    n = bench.env_int("BENCH_SCALE_N", 1000000)
    n_small = bench.env_int("BENCH_SCALE_SMALL_N", 100000)
    repeat = bench.env_int("BENCH_SCALE_REPEAT", 5)
    due = bench.env_int("BENCH_SCALE_DUE", 5000)
    with bench.environment(__doc__.splitlines()[0]) as env:
        if not env.cr.dbname.startswith("hmc_scale_"):
            sys.exit("bench_scale commits: run it on a throw-away hmc_scale_* database")
        bench.header("Benchmark 6: scale")
        bench.machine_summary(env)
        env = env(su=True)
        if os.environ.get("BENCH_SCALE_BEFORE") == "1":
            restore_before(env)
        people = data.ensure_people(env)
        user = portal_user(env, people)
        env.cr.commit()
        client = session_client(env, user)
        # recent: the open complaints are among the newest (the first
        # measure already holds the whole backlog; the growth is history);
        # spread: 3 % of each size is open (the backlog grows tenfold too).
        backlog = os.environ.get("BENCH_SCALE_BACKLOG", "recent")
        if backlog not in ("recent", "spread"):
            sys.exit("BENCH_SCALE_BACKLOG: recent or spread")
        open_from = n - n_small if backlog == "recent" else 0
        print(f"backlog: {backlog}")
        with bench.Timer() as t:
            inserted = data.insert_tickets(
                env, people, n - n_small + 1, n, n, open_from=open_from
            )
            data.vacuum(env)
        print(f"inserted {inserted:,} complaints + VACUUM ANALYZE in {t.seconds:.1f} s")
        small = measure_all(env, people, client, repeat, due, inserted)
        with bench.Timer() as t:
            inserted += data.insert_tickets(
                env, people, 1, n - n_small, n, open_from=open_from
            )
            data.vacuum(env)
        print(f"grown to {inserted:,} complaints + VACUUM ANALYZE in {t.seconds:.1f} s")
        large = measure_all(env, people, client, repeat, due, inserted)
        report(small, large, n_small, inserted)


if __name__ == "__main__":
    main()
