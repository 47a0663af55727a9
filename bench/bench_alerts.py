"""Benchmark 3: the SLA warning / breach cron over 100,000 open complaints.

Inserts open complaints straight with SQL (INSERT ... SELECT
generate_series), with every stored column the alert cron reads consistent
with what the ORM would compute (``sla_deadline`` = registration + 48 h,
``sla_alert_level`` = 0, ``sla_next_alert_date`` = the 75 % warning time):

* W (default 2,500) registered 36-47 h ago: the 75 % warning is due;
* B (default 2,500) past their deadline by 1-23 h: the breach alert is due
  (the warning is skipped once the deadline has passed);
* the rest (default 95,000) registered less than 36 h ago: nothing due.

Then, each in a savepoint rolled back afterwards:

1. the batched cron ``env['helpdesk.ticket']._cron_complaint_sla_alerts()``
   over the first 20,000 complaints (5,000 due), then over all 100,000
   (the same 5,000 due): its query count must not depend on the number of
   complaints;
2. a naive per-record loop over the same 100,000 complaints: read each open
   complaint, compute its alert schedule, and for each due one create the
   activity, post the message and write the level one record at a time;
3. the cron run a second time right after the first: nothing is sent again.

Knobs (environment variables): BENCH_ALERT_N (100000), BENCH_ALERT_SMALL_N
(20000), BENCH_ALERT_WARN (2500), BENCH_ALERT_BREACH (2500),
BENCH_ALERT_NAIVE (1: run the naive loop; 0: skip it).

Targets: query count independent of the number of complaints; <= 30 s for
100,000 complaints.
"""

import _common as bench

from odoo import fields

TARGET_S = 30.0
OPEN_STATES = ("registered", "analysed", "verified")


def insert_complaints(env, start, n, warn, breach, partners, user):
    """Insert n open complaints numbered from `start`; the first `warn` are
    due for a warning, the next `breach` for a breach alert."""
    cr = env.cr
    team = env.ref("helpdesk_mgmt_complaint.helpdesk_team_complaints")
    stages = [
        env.ref(f"helpdesk_mgmt_complaint.stage_complaint_{state}").id
        for state in OPEN_STATES
    ]
    cr.execute(
        """
        WITH src AS (
            SELECT i, (now() at time zone 'utc') AS now_utc
              FROM generate_series(%(start)s, %(start)s + %(n)s - 1) AS i
        ), dated AS (
            SELECT i,
                   CASE
                     -- 36 .. 47 hours ago: warning (75 %% of 48 h) due
                     WHEN i - %(start)s < %(warn)s
                       THEN now_utc - (36 + i %% 12) * interval '1 hour'
                            - interval '1 minute'
                     -- deadline passed by 1 .. 23 hours: breach due
                     WHEN i - %(start)s < %(warn)s + %(breach)s
                       THEN now_utc - (49 + i %% 23) * interval '1 hour'
                     -- 0 .. 35 hours ago: nothing due
                     ELSE now_utc - (i %% 35) * interval '1 hour'
                          - interval '1 minute'
                   END AS cdate,
                   (%(stages)s::int[])[1 + i %% 3] AS stage
              FROM src
        )
        INSERT INTO helpdesk_ticket (
            number, name, description, company_id, team_id, stage_id,
            complaint_state, unattended, partner_id, commercial_partner_id,
            channel_id, is_complaint, urgency, priority, kanban_state, sequence,
            active, complaint_date, sla_deadline, last_stage_update, user_id,
            sla_alert_level, sla_next_alert_date, last_progress_date,
            sla_met, resolution_hours, first_response_hours,
            rating_status, create_uid, write_uid, create_date, write_date
        )
        SELECT 'BENCHA' || lpad(d.i::text, 7, '0'),
               'Bench alert complaint ' || d.i,
               '<p>Customer complains about repair #' || d.i || '.</p>',
               %(company)s, %(team)s, d.stage,
               s.complaint_state, s.unattended, p.id, p.id,
               %(channel)s, true, 'normal', '1', 'normal', 10,
               true, d.cdate, d.cdate + interval '48 hours', d.cdate, %(user)s,
               0, d.cdate + interval '36 hours', now() at time zone 'utc',
               false, 0, 0, 'stage_change', 2, 2, d.cdate, d.cdate
          FROM dated d
          JOIN helpdesk_ticket_stage s ON s.id = d.stage
          JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn
                  FROM res_partner WHERE id IN %(partners)s) p
            ON p.rn = d.i %% %(npartners)s
        """,
        {
            "start": start,
            "n": n,
            "warn": warn,
            "breach": breach,
            "stages": stages,
            "company": team.company_id.id or env.company.id,
            "team": team.id,
            "channel": env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone").id,
            "user": user.id,
            "partners": tuple(partners.ids),
            "npartners": len(partners),
        },
    )
    inserted = cr.rowcount
    cr.execute("ANALYZE helpdesk_ticket")
    env.invalidate_all()
    return inserted


def alert_count(env):
    env.flush_all()
    env.cr.execute(
        "SELECT count(*) FROM mail_activity a JOIN mail_activity_type t "
        "ON t.id = a.activity_type_id WHERE a.res_model = 'helpdesk.ticket' "
        "AND a.summary IS NOT NULL AND a.create_date >= now() at time zone 'utc'"
        " - interval '1 hour' AND t.id = %s",
        [env.ref("helpdesk_mgmt_complaint.mail_activity_type_complaint_alert").id],
    )
    return env.cr.fetchone()[0]


def run_cron(env, label):
    Ticket = env["helpdesk.ticket"]
    before = alert_count(env)
    with bench.QueryCounter(env.cr, by_kind=True) as qc, bench.Timer() as timer:
        done = Ticket._cron_complaint_sla_alerts()
        env.flush_all()
    sent = alert_count(env) - before
    return {
        "label": label,
        "done": done,
        "sent": sent,
        "seconds": timer.seconds,
        "cpu": timer.cpu_seconds,
        "queries": qc.count,
        "kinds": qc.kinds,
    }


def run_naive(env):
    """What a straightforward implementation would do: loop over the open
    complaints, one activity, one message and one write per due complaint."""
    Ticket = env["helpdesk.ticket"]
    Activity = env["mail.activity"]
    activity_type = env.ref(
        "helpdesk_mgmt_complaint.mail_activity_type_complaint_alert"
    )
    model_id = env["ir.model"]._get_id("helpdesk.ticket")
    before = alert_count(env)
    with bench.QueryCounter(env.cr) as qc, bench.Timer() as timer:
        now = fields.Datetime.now()
        for ticket in Ticket.search(
            [("is_complaint", "=", True), ("complaint_state", "in", OPEN_STATES)]
        ):
            due = [
                level
                for level, date in ticket._complaint_alert_schedule()
                if level > ticket.sla_alert_level and date <= now
            ]
            if not due:
                continue
            level = max(due)
            user = ticket._complaint_alert_recipient(level)
            summary, line = ticket._complaint_alert_texts(level, user)
            Activity.with_context(mail_activity_quick_update=True).create(
                {
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "activity_type_id": activity_type.id,
                    "summary": summary,
                    "note": line,
                    "user_id": user.id,
                }
            )
            ticket.message_post(body=line)
            ticket.sla_alert_level = level
        env.flush_all()
    return {
        "label": "naive per-record loop",
        "done": "-",
        "sent": alert_count(env) - before,
        "seconds": timer.seconds,
        "cpu": timer.cpu_seconds,
        "queries": qc.count,
        "kinds": {},
    }


def main():
    with bench.environment(__doc__.splitlines()[0]) as env:
        cr = env.cr
        n = bench.env_int("BENCH_ALERT_N", 100000)
        small = bench.env_int("BENCH_ALERT_SMALL_N", 20000)
        warn = bench.env_int("BENCH_ALERT_WARN", 2500)
        breach = bench.env_int("BENCH_ALERT_BREACH", 2500)
        naive = bench.env_int("BENCH_ALERT_NAIVE", 1)
        bench.header(
            f"Benchmark 3: SLA alert cron over {n:,} open complaints "
            f"({warn + breach:,} due)"
        )
        bench.machine_summary(env)
        company = env.company
        officer = env.ref("base.user_admin")
        company.write(
            {
                "complaint_officer_id": officer.id,
                "complaint_warning_percent": 75,
                "complaint_escalation_hours": 24,
                "complaint_escalation2_hours": 72,
            }
        )
        partners = env["res.partner"].create(
            [{"name": f"Bench alert customer {i:03d}"} for i in range(200)]
        )
        env.flush_all()
        with bench.Timer() as t:
            insert_complaints(env, 1, small, warn, breach, partners, officer)
        print(
            f"inserted {small:,} complaints ({warn + breach:,} due) "
            f"in {t.seconds:.1f} s"
        )
        results = []
        sp = cr.savepoint(flush=False)
        try:
            results.append(run_cron(env, f"batched cron, {small:,} complaints"))
        finally:
            sp.close(rollback=True)
            env.invalidate_all()
        with bench.Timer() as t:
            insert_complaints(env, small + 1, n - small, 0, 0, partners, officer)
        print(f"inserted {n - small:,} more complaints, none due, in {t.seconds:.1f} s")
        sp = cr.savepoint(flush=False)
        try:
            results.append(run_cron(env, f"batched cron, {n:,} complaints"))
            results.append(run_cron(env, f"same cron again, {n:,} complaints"))
        finally:
            sp.close(rollback=True)
            env.invalidate_all()
        if naive:
            sp = cr.savepoint(flush=False)
            try:
                results.append(run_naive(env))
            finally:
                sp.close(rollback=True)
                env.invalidate_all()
        print()
        bench.table(
            ["run", "processed", "alerts sent", "wall s", "CPU s", "queries"],
            [
                (
                    r["label"],
                    f"{r['done']:,}" if isinstance(r["done"], int) else r["done"],
                    f"{r['sent']:,}",
                    f"{r['seconds']:.2f}",
                    f"{r['cpu']:.2f}",
                    f"{r['queries']:,}",
                )
                for r in results
            ],
        )
        small_run, big_run = results[0], results[1]
        print()
        print("queries by kind, batched cron over all complaints (top 12):")
        for kind, count in big_run["kinds"].most_common(12):
            print(f"  {kind}: {count:,}")
        print()
        print(
            f"batched cron: {big_run['seconds']:.2f} s for {n:,} complaints "
            f"(target <= {TARGET_S:.0f} s: "
            f"{'met' if big_run['seconds'] <= TARGET_S else 'NOT met'}); "
            f"queries {small_run['queries']:,} with {small:,} complaints vs "
            f"{big_run['queries']:,} with {n:,} (same due set)"
        )
        if naive:
            naive_run = results[-1]
            print(
                f"naive loop: {naive_run['seconds']:.2f} s, "
                f"{naive_run['queries']:,} queries: batched cron "
                f"{naive_run['seconds'] / big_run['seconds']:.1f}x faster, "
                f"{naive_run['queries'] / max(big_run['queries'], 1):.1f}x fewer "
                "queries"
            )


if __name__ == "__main__":
    main()
