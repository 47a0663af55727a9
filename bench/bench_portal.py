"""Benchmark 3: the customer portal list of complaints, 10 vs 1,000.

A portal customer with a vehicle gets 10 complaints, then 80, then 1,000 (created in
ORM batches without tracking). ``GET /my/complaints`` (the first page, 80
rows, sorted by urgency) goes through Odoo's whole WSGI stack in this process
(``werkzeug.test.Client`` on ``odoo.http.root``, an authenticated session of
the customer): routing, the controller, record rules, QWeb rendering of the
portal layout. 80 complaints (one full page) are measured in between, as the
time reference of the large size. Each size is requested 3 times to warm the
caches, then R times (default 20): SQL queries per request
(``odoo.sql_db.sql_counter``) and wall time (median, min).

The requests run in their own cursors, so the data is committed: ``bench/run``
runs this script on a throw-away copy of the benchmark database whose name
ends in ``_portal`` (refused otherwise).

Knobs: BENCH_PORTAL_SMALL (10), BENCH_PORTAL_LARGE (1000), BENCH_PORTAL_REPEAT
(20).

Expected: the same number of queries for both sizes (the page shows 80 rows
whatever the total; nothing is fetched per row).
"""

import statistics
import sys
import time

import _common as bench
from werkzeug.test import Client

import odoo
import odoo.sql_db
from odoo import http

URL = "/my/complaints?sortby=urgency"


def create_complaints(env, partner, vehicle, count, start):
    team = env.ref("helpdesk_mgmt_complaint.helpdesk_team_complaints")
    phone = env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
    Ticket = env["helpdesk.ticket"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_notrack=True
    )
    for offset in range(0, count, 500):
        Ticket.create(
            [
                {
                    "name": f"Portal bench complaint {start + i}",
                    "description": "<p>Noise after the repair.</p>",
                    "team_id": team.id,
                    "partner_id": partner.id,
                    "channel_id": phone.id,
                    "vehicle_id": vehicle.id if i % 2 else False,
                    "urgency": ("normal", "medium", "high")[i % 3],
                }
                for i in range(offset, min(count, offset + 500))
            ]
        )
    env.cr.commit()


def session_client(env, user):
    sid = bench.session_id(env, user)
    client = Client(http.root)
    client.set_cookie("localhost", "session_id", sid)
    return client


def measure(client, repeat):
    for _ in range(3):
        response = client.get(URL)
        if response.status_code != 200:
            sys.exit(f"{URL} answered {response.status_code}")
    counts, times = [], []
    for _ in range(repeat):
        queries = odoo.sql_db.sql_counter
        start = time.perf_counter()
        response = client.get(URL)
        times.append((time.perf_counter() - start) * 1000.0)
        counts.append(odoo.sql_db.sql_counter - queries)
        assert response.status_code == 200
    rows = response.get_data(as_text=True).count("o_complaint_portal_row")
    return counts, times, rows


def main():
    small = bench.env_int("BENCH_PORTAL_SMALL", 10)
    large = bench.env_int("BENCH_PORTAL_LARGE", 1000)
    repeat = bench.env_int("BENCH_PORTAL_REPEAT", 20)
    with bench.environment(__doc__) as env:
        if not env.cr.dbname.endswith("_portal"):
            sys.exit("bench_portal commits: run it on a throw-away *_portal copy")
        bench.header("Benchmark 3: portal list of complaints (GET /my/complaints)")
        bench.machine_summary(env)
        env = env(su=True)
        user = env["res.users"].create(
            {
                "name": "Portal bench customer",
                "login": "portal_bench_customer",
                "email": "portal.bench@example.com",
                "groups_id": [(6, 0, [env.ref("base.group_portal").id])],
            }
        )
        model = env["fleet.vehicle.model"].create(
            {
                "name": "Bench model",
                "brand_id": env["fleet.vehicle.model.brand"]
                .create({"name": "Bench brand"})
                .id,
            }
        )
        vehicle = env["fleet.vehicle"].create(
            {
                "model_id": model.id,
                "license_plate": "1-BEN-001",
                "driver_id": user.partner_id.id,
            }
        )
        env.cr.commit()
        client = session_client(env, user)
        results = []
        created = 0
        # 80 = one full page: the fair time reference for the large size.
        sizes = sorted({small, min(max(small, 80), large), large})
        for size in sizes:
            create_complaints(env, user.partner_id, vehicle, size - created, created)
            created = size
            counts, times, rows = measure(client, repeat)
            results.append((size, rows, counts, times))
        bench.table(
            ["complaints", "rows shown", "queries", "median ms", "min ms"],
            [
                (
                    f"{size:,}",
                    rows,
                    "/".join(str(c) for c in sorted(set(counts))),
                    f"{statistics.median(times):.1f}",
                    f"{min(times):.1f}",
                )
                for size, rows, counts, times in results
            ],
        )
        (_, _, few, _few_t), *_middle, (_, _, many, many_t) = results
        page_t = results[-2][3] if len(results) > 2 else results[0][3]
        print(
            f"\nqueries {large:,} / {small:,}: {statistics.median(many)} / "
            f"{statistics.median(few)} "
            f"({'constant' if set(many) == set(few) else 'NOT constant'}); "
            f"time {large:,} / one full page: "
            f"{statistics.median(many_t) / statistics.median(page_t):.2f}x"
        )


if __name__ == "__main__":
    main()
