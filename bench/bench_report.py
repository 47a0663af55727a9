"""Benchmark 3: complaint reports over 100,000 complaints.

Inserts N complaints (default 100,000; ``bench_past_sla.insert_complaints``:
one INSERT ... SELECT generate_series in the current transaction) and gives
them handlers (8 users), categories, vehicles (40, of 8 models), assignment
and first-response dates with one UPDATE. Then ANALYZE, and:

1. **Analysis grouped by handler x urgency**: what the pivot of the analysis
   view asks, ``helpdesk.complaint.report.read_group([], ['nbr:sum',
   'past_sla_count:sum'], ['user_id', 'urgency'], lazy=False)``, as the
   benchmark user and, when it differs, the non-superuser ``admin`` (record
   rules), plus the distribution screen (open complaints only). Repeated R
   times (default 20), median and minimum. Target <= 200 ms.
2. **XLSX workbook** of the N complaints: ``helpdesk.complaint.report.
   _export_xlsx`` (complaint sheet + distribution sheets + totals, constant-
   memory mode) against Odoo's own export of the same rows and columns:
   ``helpdesk.ticket.export_data(fields)`` then
   ``odoo.addons.web.controllers.export.ExportXlsxWriter`` (what the web
   client's "Export" > XLSX runs). Each export runs in a forked child process
   (it shares the transaction, so it sees the rows), which reports its wall
   time and its peak RSS (``resource.getrusage``); the child starts with the
   parent's memory, so the RSS at the fork is printed too. Targets: <= 1.0x
   the time of Odoo's export, <= 300 MB peak RSS.

Everything is rolled back at the end. Knobs: BENCH_REPORT_N,
BENCH_REPORT_REPEAT, BENCH_REPORT_ODOO_EXPORT (0: skip Odoo's export, which
takes minutes), BENCH_LOGIN (see _common.py).
"""

import json
import os
import resource
import sys
import tempfile
import time
from unittest.mock import patch

import _common as bench
from bench_past_sla import insert_complaints

GROUP_TARGET_MS = 200.0
RSS_TARGET_MB = 300.0

# The columns of the workbook's complaint sheet, as export paths on
# helpdesk.ticket (Odoo's export of the "same rows and columns").
ODOO_EXPORT_FIELDS = [
    "number",
    "name",
    "complaint_date",
    "commercial_partner_id",
    "vehicle_id/license_plate",
    "vehicle_id/brand_id",
    "vehicle_model_id",
    "team_id",
    "user_id",
    "urgency",
    "channel_id",
    "category_id",
    "complaint_state",
    "resolution_method",
    "sla_deadline",
    "assigned_date",
    "first_response_date",
    "closed_date",
    "sla_expired",
    "sla_met",
    "sla_status",
    "first_response_hours",
    "last_stage_update",
    "resolution_hours",
]


def enrich(env, n):
    """Handlers, categories, vehicles, assignment and first response."""
    users = env["res.users"].create(
        [
            {
                "name": f"Bench handler {i}",
                "login": f"bench_handler_{i}",
                "groups_id": [(4, env.ref("helpdesk_mgmt.group_helpdesk_user").id)],
            }
            for i in range(8)
        ]
    )
    categories = env["helpdesk.ticket.category"].create(
        [{"name": f"Bench category {i}"} for i in range(5)]
    )
    brands = env["fleet.vehicle.model.brand"].create(
        [{"name": f"Bench make {i}"} for i in range(4)]
    )
    models = env["fleet.vehicle.model"].create(
        [{"name": f"Model {i}", "brand_id": brands[i % 4].id} for i in range(8)]
    )
    vehicles = env["fleet.vehicle"].create(
        [
            {"model_id": models[i % 8].id, "license_plate": f"BENCH-{i:03d}"}
            for i in range(40)
        ]
    )
    env.flush_all()
    env.cr.execute(
        """
        UPDATE helpdesk_ticket t
           SET user_id = (%(users)s::int[])[1 + t.id %% 8],
               category_id = (%(categories)s::int[])[1 + t.id %% 5],
               vehicle_id = CASE WHEN t.id %% 4 > 0
                            THEN (%(vehicles)s::int[])[1 + t.id %% 40] END,
               assigned_date = t.complaint_date + (t.id %% 5) * interval '1 hour',
               first_response_date = t.complaint_date
                                     + (1 + t.id %% 7) * interval '1 hour',
               first_response_hours = 1 + t.id %% 7,
               resolution_method = CASE WHEN t.closed_date IS NOT NULL
                                   THEN 'repair' END
         WHERE t.number LIKE 'BENCH%%'
        """,
        {
            "users": users.ids,
            "categories": categories.ids,
            "vehicles": vehicles.ids,
        },
    )
    assert env.cr.rowcount == n, env.cr.rowcount
    env.cr.execute("ANALYZE helpdesk_ticket")
    env.invalidate_all()
    return users


def bench_group(env, repeat):
    bench.header("Analysis grouped by handler x urgency")
    envs = [(env.user.login + (" (su)" if env.su else ""), env)]
    admin = env.ref("base.user_admin")
    if env.su or env.user != admin:
        envs.append(("admin (record rules)", env(user=admin.id, su=False)))
    rows = []
    for label, e in envs:
        Report = e["helpdesk.complaint.report"]
        for what, domain in (
            ("analysis, all complaints", []),
            ("distribution screen, open", [("is_open", "=", True)]),
        ):

            def run(Report=Report, domain=domain):
                return Report.read_group(
                    domain,
                    ["nbr:sum", "past_sla_count:sum"],
                    ["user_id", "urgency"],
                    lazy=False,
                )

            groups = run()  # warm-up
            e.invalidate_all()
            stats = bench.summary_ms(bench.repeat_ms(run, repeat))
            rows.append(
                (
                    label,
                    what,
                    len(groups),
                    f"{sum(g['nbr'] for g in groups):,}",
                    f"{stats['median']:.1f}",
                    f"{stats['min']:.1f}",
                    "yes" if stats["median"] <= GROUP_TARGET_MS else "NO",
                )
            )
    bench.table(
        ["user", "query", "groups", "complaints", "median ms", "min ms", "<= 200"],
        rows,
    )


def _rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def in_child(func):
    """Run func() in a forked child; return (its result, seconds, peak RSS
    MB, RSS MB at the fork)."""
    sys.stdout.flush()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: same DB connection and transaction as the parent
        os.close(read_fd)
        status = 0
        try:
            start_rss = _rss_mb()
            start = time.perf_counter()
            result = func()
            seconds = time.perf_counter() - start
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
            payload = {"result": result, "s": seconds, "peak": peak, "rss0": start_rss}
        except Exception as exc:  # reported to the parent
            payload = {"error": repr(exc)}
            status = 1
        with os.fdopen(write_fd, "w") as out:
            json.dump(payload, out)
        os._exit(status)
    os.close(write_fd)
    with os.fdopen(read_fd) as inp:
        data = inp.read()
    os.waitpid(pid, 0)
    payload = json.loads(data)
    if "error" in payload:
        raise SystemExit(f"child failed: {payload['error']}")
    return payload["result"], payload["s"], payload["peak"], payload["rss0"]


def our_xlsx(env):
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as f:
        rows = env["helpdesk.complaint.report"]._export_xlsx(f.name, [])
        return rows, os.path.getsize(f.name)


def odoo_xlsx(env):
    from odoo.addons.web.controllers import export

    # As the web client's export dialog sends it (not import-compatible).
    tickets = (
        env["helpdesk.ticket"]
        .with_context(import_compat=False)
        .search([("is_complaint", "=", True)])
    )
    fields = [
        {"name": path, "type": tickets._fields[path.split("/")[0]].type}
        for path in ODOO_EXPORT_FIELDS
    ]
    headers = [
        tickets._fields[path.split("/")[0]].string for path in ODOO_EXPORT_FIELDS
    ]
    request = type("Request", (), {"env": env})()
    with patch.object(export, "request", request):
        # What ExportFormat.base() + XLSXExport.from_data() do.
        datas = tickets.export_data(ODOO_EXPORT_FIELDS).get("datas", [])
        with export.ExportXlsxWriter(fields, headers, len(datas)) as writer:
            for row_index, row in enumerate(datas):
                for cell_index, cell_value in enumerate(row):
                    writer.write_cell(row_index + 1, cell_index, cell_value)
        return len(datas), len(writer.value)


def bench_xlsx(env, n):
    bench.header(f"XLSX workbook of {n:,} complaints")
    rows = []
    (count, size), ours_s, ours_peak, rss0 = in_child(lambda: our_xlsx(env))
    rows.append(("_export_xlsx (workbook)", count, ours_s, ours_peak, size))
    if os.environ.get("BENCH_REPORT_ODOO_EXPORT", "1") != "0":
        (count, size), odoo_s, odoo_peak, _rss = in_child(lambda: odoo_xlsx(env))
        rows.append(("Odoo export_data + XLSX", count, odoo_s, odoo_peak, size))
    else:
        odoo_s = None
    bench.table(
        ["export", "rows", "time s", "peak RSS MB", "file MB", "vs Odoo time"],
        [
            (
                label,
                f"{count:,}",
                f"{s:.1f}",
                f"{peak:.0f}",
                f"{fsize / 2**20:.1f}",
                f"{s / odoo_s:.2f}x" if odoo_s else "-",
            )
            for label, count, s, peak, fsize in rows
        ],
    )
    print(
        f"RSS of the process at the fork: {rss0:.0f} MB. Targets: <= 1.0x Odoo's "
        f"time, <= {RSS_TARGET_MB:.0f} MB peak: time "
        f"{'met' if odoo_s and ours_s <= odoo_s else 'NOT met' if odoo_s else 'n/a'}"
        f", memory {'met' if ours_peak <= RSS_TARGET_MB else 'NOT met'}."
    )


def main():
    n = bench.env_int("BENCH_REPORT_N", 100000)
    repeat = bench.env_int("BENCH_REPORT_REPEAT", 20)
    with bench.environment(__doc__.splitlines()[0]) as env:
        bench.header("Complaint reports")
        bench.machine_summary(env)
        su_env = env(su=True)
        with bench.Timer() as t:
            inserted = insert_complaints(su_env, n, n // 20, n // 10)
            enrich(su_env, inserted)
        print(f"inserted {inserted:,} complaints in {t.seconds:.1f} s")
        bench_group(env, repeat)
        bench_xlsx(env, inserted)


if __name__ == "__main__":
    main()
