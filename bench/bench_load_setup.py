"""Prepare a load-test database (bench/run load): users, tickets, sessions.

``bench_load_setup.py -c odoo.conf -d hmc_load_<mode> --mode complaint|plain
--out plan.json --duration SECONDS``

Commits (refused unless the database name starts with ``hmc_load_``):

* 20 handlers (helpdesk users; in complaint mode also "Close complaints"),
  500 customers with a phone (and a vehicle in complaint mode), 50 of them
  portal users;
* BENCH_LOAD_N tickets (default 100,000; ``_scale_data.insert_tickets``:
  3 % open), complaints or plain helpdesk_mgmt tickets, VACUUM ANALYZE;
* an authenticated session per user (written to the session store the
  server reads, as a login would: no password hashing during the run);
* complaint mode: the pending rating of each closed complaint of the
  portal customers, as the rating request sent at closing leaves it;
* complaint mode: BENCH_LOAD_DUE open complaints (default 200) whose next SLA
  alert falls due during the run (spread evenly from 30 s after the setup to
  80 % of the duration), listed in table ``hmc_load_due`` for the lag report;
  the SLA alert cron every BENCH_LOAD_CRON_MINUTES (default 1).

Writes the plan (sessions and ids the locust users pick from) as JSON.
"""

import argparse
import json
import sys
from datetime import datetime, timedelta

import _common as bench
import _scale_data as data

import odoo
from odoo import SUPERUSER_ID, api


def schedule_alerts(env, due_count, duration):
    """Due SLA alerts during the run, recorded in hmc_load_due."""
    cr = env.cr
    cr.execute("DROP TABLE IF EXISTS hmc_load_due")
    cr.execute("CREATE TABLE hmc_load_due (ticket_id int PRIMARY KEY, due timestamp)")
    start = datetime.utcnow() + timedelta(seconds=30)
    span = max(1.0, duration * 0.8 - 30)
    cr.execute(
        """
        WITH picked AS (
            SELECT id, row_number() OVER (ORDER BY id DESC) - 1 AS rn
              FROM helpdesk_ticket
             WHERE is_complaint AND complaint_state IN %s AND active
                   AND sla_deadline > now() at time zone 'utc' + interval '3 hours'
             ORDER BY id DESC LIMIT %s
        )
        INSERT INTO hmc_load_due (ticket_id, due)
        SELECT id, %s::timestamp + rn * (%s / %s) * interval '1 second' FROM picked
        """,
        [data.OPEN_STATES, due_count, start, span, due_count],
    )
    # The cron checks the schedule (warning at the company's share of the
    # 48 h SLA), not only sla_next_alert_date: registration and deadline are
    # moved so that the warning falls exactly on the due time.
    share = (env.company.complaint_warning_percent or 75.0) / 100.0
    cr.execute(
        """UPDATE helpdesk_ticket t
              SET sla_alert_level = 0, sla_next_alert_date = d.due,
                  complaint_date = d.due - %s * interval '48 hours',
                  sla_deadline = d.due + %s * interval '48 hours'
             FROM hmc_load_due d WHERE d.ticket_id = t.id""",
        [share, 1.0 - share],
    )
    minutes = bench.env_int("BENCH_LOAD_CRON_MINUTES", 1)
    env.ref("helpdesk_mgmt_complaint.ir_cron_complaint_sla_alerts").write(
        {
            "interval_number": minutes,
            "interval_type": "minutes",
            "nextcall": datetime.utcnow() + timedelta(seconds=30),
            "active": True,
        }
    )
    return minutes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--mode", choices=("complaint", "plain"), required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--duration", type=int, default=300)
    args = parser.parse_args()
    if not args.database.startswith("hmc_load_"):
        sys.exit("bench_load_setup commits: use a throw-away hmc_load_* database")
    odoo.tools.config.parse_config(
        ["-c", args.config, "-d", args.database, "--log-level=warn", "--no-http"]
    )
    complaint = args.mode == "complaint"
    n = bench.env_int("BENCH_LOAD_N", 100000)
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        people = data.ensure_people(
            env, companies=1, handlers=20, customers=500, complaint=complaint
        )
        handlers = env["res.users"].browse(people["users"])
        partners = env["res.partner"].browse(people["partners"][:50])
        portal_group = env.ref("base.group_portal")
        portal_users = env["res.users"].create(
            [
                {
                    "name": p.name,
                    "login": f"load_portal_{i:02d}",
                    "partner_id": p.id,
                    "groups_id": [(6, 0, [portal_group.id])],
                }
                for i, p in enumerate(partners)
            ]
        )
        inserted = data.insert_tickets(env, people, 1, n, n, complaint=complaint)
        # Ticket numbers: the sequence continues after the inserted ones.
        seq = env["ir.sequence"].search(
            [("code", "=", "helpdesk.ticket.sequence")], limit=1
        )
        if seq:
            seq.number_next = n + 1
        data.vacuum(env)
        print(
            f"{args.database}: {inserted:,} {'complaints' if complaint else 'tickets'}"
        )
        Ticket = env["helpdesk.ticket"]
        open_domain = [("stage_id.closed", "=", False)]
        open_tickets = Ticket.search(open_domain, limit=400, order="id desc")
        portal = []
        for user in portal_users:
            mine = Ticket.search(
                [("partner_id", "=", user.partner_id.id)], limit=20, order="id desc"
            )
            for ticket in mine:
                ticket._portal_ensure_token()
                if complaint:
                    # The rating request sent at closing created the pending
                    # rating that the page links to (inserted rows have none:
                    # each first view would create it).
                    ticket._complaint_portal_rating()
            portal.append(
                {
                    "sid": bench.session_id(env, user),
                    "tickets": [[t.id, t.access_token] for t in mine],
                }
            )
        stages = env["helpdesk.ticket.stage"].search(
            [("closed", "=", False)], order="sequence, id"
        )
        if complaint:
            # The complaint team's own steps (helpdesk_mgmt's generic stages
            # count as "registered" too, but no handler moves a complaint there).
            stages = stages.filtered(
                lambda s: s.complaint_state in data.OPEN_STATES
                and people["teams"][0] in s.team_ids.ids
            )
            minutes = schedule_alerts(
                env, bench.env_int("BENCH_LOAD_DUE", 200), args.duration
            )
        else:
            minutes = None
        plan = {
            "mode": args.mode,
            "db": args.database,
            "handlers": [
                {"sid": bench.session_id(env, u), "uid": u.id} for u in handlers
            ],
            "admin": bench.session_id(env, env.ref("base.user_admin")),
            "portal": portal,
            "open_ids": open_tickets.ids,
            "stages": stages.ids,
            "team": people["teams"][0],
            "plates": [f"SC-{i:04d}" for i in range(500)] if complaint else [],
            "customers": [
                {"name": p.name, "email": p.email, "phone": p.phone}
                for p in env["res.partner"].browse(people["partners"])
            ],
            "cron_minutes": minutes,
            "kanban_view_id": complaint
            and env.ref("helpdesk_mgmt_complaint.helpdesk_complaint_view_kanban").id,
        }
        cr.commit()
    with open(args.out, "w") as f:
        json.dump(plan, f)
    print(f"plan written to {args.out}")


if __name__ == "__main__":
    main()
