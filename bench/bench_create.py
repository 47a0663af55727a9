"""Benchmark 1: batch creation of complaints vs plain helpdesk tickets.

One ORM call ``env['helpdesk.ticket'].create(vals_list)`` with N values
(default 10,000) for complaints of the "Customer Complaints" team, and the
same for plain tickets of a non-complaint team, in the same run, with the same
(default) context: creation message, followers and tracking are on for both.
Wall time includes ``env.flush_all()``; SQL queries are counted on the cursor.

The runs alternate (default order plain, complaint, complaint, plain) so that
both kinds get a cold and a warm run; the best run of each kind is compared.
Every run happens in a savepoint that is rolled back afterwards, and the whole
transaction is rolled back at the end.

Knobs (environment variables):

BENCH_CREATE_N         tickets per batch (default 10000)
BENCH_CREATE_ORDER     runs, comma-separated (default plain,complaint,complaint,plain)
BENCH_CREATE_POLICIES  1 (default): one more complaint run with three SLA
                       policies on a working-hours calendar; 0: skip it
BENCH_LOGIN            see _common.py

Target: complaint time <= 1.2 x plain time.
"""

import _common as bench

TARGET_RATIO = 1.2


def setup(env):
    """Records shared by all runs (rolled back with the transaction)."""
    complaint_team = env.ref("helpdesk_mgmt_complaint.helpdesk_team_complaints")
    plain_team = env["helpdesk.ticket.team"].create(
        {"name": "Bench service desk", "is_complaint": False}
    )
    countries = [env.ref("base.be"), env.ref("base.fr"), env.ref("base.de")]
    prefixes = {"BE": "+32 470", "FR": "+33 6", "DE": "+49 151"}
    partners = env["res.partner"].create(
        [
            {
                "name": f"Bench customer {i:03d}",
                "email": f"bench.customer{i:03d}@example.com",
                "country_id": countries[i % 3].id,
                # a third by mobile, a third by phone, a third without number
                ("mobile" if i % 3 == 0 else "phone"): (
                    f"{prefixes[countries[i % 3].code]} {i:02d} {i * 7 % 100:02d} {i * 3 % 100:02d}"
                    if i % 3 != 2
                    else False
                ),
            }
            for i in range(200)
        ]
    )
    env.flush_all()
    return complaint_team, plain_team, partners


def complaint_vals(env, n, team, partners):
    channel = env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
    urgencies = ("normal", "medium", "high")
    return [
        {
            "name": f"Bench complaint {i}",
            "description": f"<p>Customer complains about repair #{i}: noise after service.</p>",
            "partner_id": partners[i % len(partners)].id,
            "channel_id": channel.id,
            "urgency": urgencies[i % 3],
            "team_id": team.id,
            "is_complaint": True,
        }
        for i in range(n)
    ]


def plain_vals(env, n, team, partners):
    channel = env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
    return [
        {
            "name": f"Bench ticket {i}",
            "description": f"<p>Customer asks about repair #{i}: noise after service.</p>",
            "partner_id": partners[i % len(partners)].id,
            "channel_id": channel.id,
            "team_id": team.id,
            "is_complaint": False,
        }
        for i in range(n)
    ]


def one_run(env, kind, vals_list):
    """Create the batch in a savepoint, measure, check, roll back."""
    cr = env.cr
    Ticket = env["helpdesk.ticket"]
    env.flush_all()
    env.invalidate_all()
    sp = cr.savepoint()
    try:
        vals_list = [dict(vals) for vals in vals_list]  # create() may alter them
        with bench.QueryCounter(cr, by_kind=True) as queries, bench.Timer() as timer:
            tickets = Ticket.create(vals_list)
            env.flush_all()
        ids = tuple(tickets.ids)
        cr.execute(
            """SELECT count(*) FILTER (WHERE is_complaint),
                      count(*) FILTER (WHERE sla_deadline IS NOT NULL),
                      count(DISTINCT stage_id)
                 FROM helpdesk_ticket WHERE id IN %s""",
            [ids],
        )
        n_complaints, n_deadlines, n_stages = cr.fetchone()
        cr.execute(
            "SELECT count(*) FROM mail_message WHERE model = 'helpdesk.ticket' AND res_id IN %s",
            [ids],
        )
        n_messages = cr.fetchone()[0]
        cr.execute(
            "SELECT count(*) FROM mail_tracking_value v JOIN mail_message m ON m.id = v.mail_message_id"
            " WHERE m.model = 'helpdesk.ticket' AND m.res_id IN %s",
            [ids],
        )
        n_tracking = cr.fetchone()[0]
        cr.execute(
            "SELECT count(*) FROM mail_followers WHERE res_model = 'helpdesk.ticket' AND res_id IN %s",
            [ids],
        )
        n_followers = cr.fetchone()[0]
    finally:
        sp.close(rollback=True)
    env.invalidate_all()
    return {
        "kind": kind,
        "seconds": timer.seconds,
        "queries": queries.count,
        "kinds": queries.kinds,
        "n": len(ids),
        "complaints": n_complaints,
        "deadlines": n_deadlines,
        "stages": n_stages,
        "messages": n_messages,
        "tracking": n_tracking,
        "followers": n_followers,
    }


def add_policies(env, complaint_team):
    calendar = env.ref("resource.resource_calendar_std")
    Sla = env["helpdesk.complaint.sla"]
    Sla.create(
        [
            {"name": "Bench normal", "urgency": "normal", "hours": 48, "calendar_id": calendar.id},
            {"name": "Bench medium", "urgency": "medium", "hours": 24, "calendar_id": calendar.id},
            {
                "name": "Bench high (team)",
                "urgency": "high",
                "hours": 8,
                "calendar_id": calendar.id,
                "team_ids": [(6, 0, complaint_team.ids)],
            },
        ]
    )
    env.flush_all()


def main():
    with bench.environment(__doc__.splitlines()[0]) as env:
        n = bench.env_int("BENCH_CREATE_N", 10000)
        order = [
            kind.strip()
            for kind in (
                bench.os.environ.get("BENCH_CREATE_ORDER")
                or "plain,complaint,complaint,plain"
            ).split(",")
        ]
        bench.header(f"Benchmark 1: create {n:,} tickets in one ORM batch")
        bench.machine_summary(env)
        complaint_team, plain_team, partners = setup(env)
        builders = {
            "plain": lambda: plain_vals(env, n, plain_team, partners),
            "complaint": lambda: complaint_vals(env, n, complaint_team, partners),
        }
        runs = []
        for i, kind in enumerate(order, 1):
            result = one_run(env, kind, builders[kind]())
            result["label"] = f"{i}. {kind}"
            runs.append(result)
            print(
                f"  run {result['label']:<14} {result['seconds']:8.2f} s "
                f"{result['queries']:>8,} queries",
                flush=True,
            )
        if bench.env_int("BENCH_CREATE_POLICIES", 1):
            sp = env.cr.savepoint()
            try:
                add_policies(env, complaint_team)
                result = one_run(env, "complaint", builders["complaint"]())
            finally:
                sp.close(rollback=True)
                env.invalidate_all()
            result["label"] = f"{len(runs) + 1}. complaint + 3 SLA policies (calendar)"
            result["policies"] = True
            runs.append(result)
            print(
                f"  run {result['label']:<14} {result['seconds']:8.2f} s "
                f"{result['queries']:>8,} queries",
                flush=True,
            )

        print()
        bench.table(
            ["run", "s", "ms/ticket", "queries", "q/ticket", "complaints",
             "deadlines", "messages", "tracking values", "followers"],
            [
                (
                    r["label"],
                    f"{r['seconds']:.2f}",
                    f"{r['seconds'] * 1000 / r['n']:.2f}",
                    f"{r['queries']:,}",
                    f"{r['queries'] / r['n']:.2f}",
                    f"{r['complaints']:,}",
                    f"{r['deadlines']:,}",
                    f"{r['messages']:,}",
                    f"{r['tracking']:,}",
                    f"{r['followers']:,}",
                )
                for r in runs
            ],
        )

        base = [r for r in runs if not r.get("policies")]
        plain = min((r for r in base if r["kind"] == "plain"), key=lambda r: r["seconds"], default=None)
        compl = min((r for r in base if r["kind"] == "complaint"), key=lambda r: r["seconds"], default=None)
        if not (plain and compl):
            return
        ratio = compl["seconds"] / plain["seconds"]
        qratio = compl["queries"] / plain["queries"]
        print()
        print(f"best plain      : {plain['seconds']:.2f} s, {plain['queries']:,} queries")
        print(f"best complaint  : {compl['seconds']:.2f} s, {compl['queries']:,} queries")
        print(
            f"ratio complaint/plain: time {ratio:.2f}x (target <= {TARGET_RATIO}x: "
            f"{'met' if ratio <= TARGET_RATIO else 'NOT met'}), queries {qratio:.2f}x"
        )
        for r in runs:
            if r.get("policies"):
                print(
                    f"with 3 calendar SLA policies: {r['seconds']:.2f} s, "
                    f"{r['seconds'] / plain['seconds']:.2f}x plain, {r['queries']:,} queries"
                )

        print()
        print("Query kinds, best complaint run minus best plain run (top 12 by difference):")
        diff = {
            k: compl["kinds"].get(k, 0) - plain["kinds"].get(k, 0)
            for k in set(compl["kinds"]) | set(plain["kinds"])
        }
        rows = sorted(diff.items(), key=lambda kv: -abs(kv[1]))[:12]
        bench.table(
            ["query kind", "plain", "complaint", "difference"],
            [(k, f"{plain['kinds'].get(k, 0):,}", f"{compl['kinds'].get(k, 0):,}", f"{d:+,}") for k, d in rows],
        )
        print()
        print("Most frequent query kinds of the best complaint run:")
        bench.table(
            ["query kind", "count"],
            [(k, f"{c:,}") for k, c in compl["kinds"].most_common(8)],
        )


if __name__ == "__main__":
    main()
