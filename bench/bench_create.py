"""Benchmark 1: batch creation of complaints vs plain helpdesk tickets.

One ORM call ``env['helpdesk.ticket'].create(vals_list)`` with N values
(default 10,000) for complaints of the "Customer Complaints" team, and the
same for plain tickets of a non-complaint team, in the same run, with the same
(default) context: creation message, followers and tracking are on for both.
Wall time includes ``env.flush_all()``; SQL queries are counted on the cursor,
with the time PostgreSQL took for them; the CPU time of this process is
reported too (less sensitive than wall time to other load on the machine).

Run plan (every run in a savepoint rolled back afterwards; the whole
transaction is rolled back at the end):

1. warm-up: plain, then complaint, SMALL_N tickets each (default 1,000);
2. measured: complaint then plain, N tickets each (the reverse order of the
   warm-up); with BENCH_CREATE_ABBA=1: plain, complaint, complaint, plain
   (fairer, twice as long) and the best run of each kind is compared;
3. SLA policies: SMALL_N complaints with three SLA policies on the standard
   40-hour working calendar, then SMALL_N complaints without them (reference).

Knobs (environment variables):

BENCH_CREATE_N         tickets per measured batch (default 10000)
BENCH_CREATE_SMALL_N   tickets per warm-up / policy batch (default 1000; 0: skip)
BENCH_CREATE_ABBA      1: measured runs plain, complaint, complaint, plain
BENCH_CREATE_POLICIES  0: skip step 3
BENCH_LOGIN            see _common.py

Target: complaint time <= 1.2 x plain time.
"""

import _common as bench

TARGET_RATIO = 1.2


def setup(env):
    """Records shared by all runs (rolled back with the transaction)."""
    complaint_team = env.ref("helpdesk_mgmt_complaint.helpdesk_team_complaints")
    # Like the complaint team (created at install by the inactive system user),
    # the plain team gets no follower: team followers would be copied onto
    # each of its tickets and skew the comparison under BENCH_LOGIN.
    plain_team = (
        env["helpdesk.ticket.team"]
        .with_context(mail_create_nosubscribe=True)
        .create({"name": "Bench service desk", "is_complaint": False})
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
                    f"{prefixes[countries[i % 3].code]} {i:02d} "
                    f"{i * 7 % 100:02d} {i * 3 % 100:02d}"
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
            "description": f"<p>Customer complains about repair #{i}: noise.</p>",
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
            "description": f"<p>Customer asks about repair #{i}: noise.</p>",
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
            "SELECT count(*) FROM mail_message"
            " WHERE model = 'helpdesk.ticket' AND res_id IN %s",
            [ids],
        )
        n_messages = cr.fetchone()[0]
        cr.execute(
            "SELECT count(*) FROM mail_tracking_value v"
            " JOIN mail_message m ON m.id = v.mail_message_id"
            " WHERE m.model = 'helpdesk.ticket' AND m.res_id IN %s",
            [ids],
        )
        n_tracking = cr.fetchone()[0]
        cr.execute(
            "SELECT count(*) FROM mail_followers"
            " WHERE res_model = 'helpdesk.ticket' AND res_id IN %s",
            [ids],
        )
        n_followers = cr.fetchone()[0]
    finally:
        sp.close(rollback=True)
    env.invalidate_all()
    return {
        "kind": kind,
        "seconds": timer.seconds,
        "cpu": timer.cpu_seconds,
        "sql": queries.sql_seconds,
        "queries": queries.count,
        "kinds": queries.kinds,
        "kind_seconds": queries.kind_seconds,
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
            {
                "name": "Bench normal",
                "urgency": "normal",
                "hours": 48,
                "calendar_id": calendar.id,
            },
            {
                "name": "Bench medium",
                "urgency": "medium",
                "hours": 24,
                "calendar_id": calendar.id,
            },
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


def fmt_run(r):
    return (
        f"  {r['label']:<38} {r['n']:>6,} tickets {r['seconds']:8.2f} s wall "
        f"{r['cpu']:7.2f} s CPU {r['sql']:7.2f} s SQL {r['queries']:>8,} queries"
    )


def main():
    with bench.environment(__doc__.splitlines()[0]) as env:
        n = bench.env_int("BENCH_CREATE_N", 10000)
        small = bench.env_int("BENCH_CREATE_SMALL_N", 1000)
        abba = bench.env_int("BENCH_CREATE_ABBA", 0)
        policies = bench.env_int("BENCH_CREATE_POLICIES", 1)
        bench.header(f"Benchmark 1: create {n:,} tickets in one ORM batch")
        bench.machine_summary(env)
        complaint_team, plain_team, partners = setup(env)
        builders = {
            "plain": lambda size: plain_vals(env, size, plain_team, partners),
            "complaint": lambda size: complaint_vals(
                env, size, complaint_team, partners
            ),
        }
        # (label, kind, size, with policies, measured)
        plan = []
        if small:
            plan += [
                ("warm-up plain", "plain", small, False, False),
                ("warm-up complaint", "complaint", small, False, False),
            ]
        measured = (
            ["plain", "complaint", "complaint", "plain"]
            if abba
            else ["complaint", "plain"]
        )
        plan += [(kind, kind, n, False, True) for kind in measured]
        if small and policies:
            plan += [
                (
                    "complaint + 3 calendar SLA policies",
                    "complaint",
                    small,
                    True,
                    False,
                ),
                ("complaint, no policy (reference)", "complaint", small, False, False),
            ]

        runs = []
        for i, (label, kind, size, with_policies, is_measured) in enumerate(plan, 1):
            sp = env.cr.savepoint()
            try:
                if with_policies:
                    add_policies(env, complaint_team)
                result = one_run(env, kind, builders[kind](size))
            finally:
                sp.close(rollback=True)
                env.invalidate_all()
            result.update(
                label=f"{i}. {label}", measured=is_measured, policies=with_policies
            )
            runs.append(result)
            print(fmt_run(result), flush=True)

        print()
        bench.table(
            [
                "run",
                "tickets",
                "wall s",
                "CPU s",
                "SQL s",
                "ms/ticket",
                "queries",
                "q/ticket",
                "complaints",
                "deadlines",
                "messages",
                "tracking",
                "followers",
            ],
            [
                (
                    r["label"],
                    f"{r['n']:,}",
                    f"{r['seconds']:.2f}",
                    f"{r['cpu']:.2f}",
                    f"{r['sql']:.2f}",
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

        def best(kind):
            return min(
                (r for r in runs if r["measured"] and r["kind"] == kind),
                key=lambda r: r["seconds"],
                default=None,
            )

        plain, compl = best("plain"), best("complaint")
        if plain and compl:
            ratio = compl["seconds"] / plain["seconds"]
            print()
            print(
                f"plain     ({n:,}): {plain['seconds']:.2f} s wall, "
                f"{plain['cpu']:.2f} s CPU, "
                f"{plain['sql']:.2f} s SQL, {plain['queries']:,} queries"
            )
            print(
                f"complaint ({n:,}): {compl['seconds']:.2f} s wall, "
                f"{compl['cpu']:.2f} s CPU, "
                f"{compl['sql']:.2f} s SQL, {compl['queries']:,} queries"
            )
            print(
                f"ratio complaint/plain: wall {ratio:.2f}x (target <= {TARGET_RATIO}x: "
                f"{'met' if ratio <= TARGET_RATIO else 'NOT met'}), "
                f"CPU {compl['cpu'] / plain['cpu']:.2f}x, "
                f"SQL time {compl['sql'] / plain['sql']:.2f}x, "
                f"queries {compl['queries'] / plain['queries']:.2f}x"
            )
        with_pol = [r for r in runs if r["policies"]]
        ref = [r for r in runs if r["label"].endswith("(reference)")]
        if with_pol and ref:
            w, r = with_pol[0], ref[0]
            print(
                f"3 calendar SLA policies vs none ({w['n']:,} complaints): wall "
                f"{w['seconds'] / r['seconds']:.2f}x, CPU {w['cpu'] / r['cpu']:.2f}x, "
                f"queries {w['queries'] / r['queries']:.2f}x "
                f"({(w['seconds'] - r['seconds']) * 1000 / w['n']:+.2f} ms/complaint)"
            )
        if not (plain and compl):
            return

        print()
        print(
            "Query kinds, measured complaint run minus plain run "
            "(top 10 by count difference):"
        )
        diff = {
            k: compl["kinds"].get(k, 0) - plain["kinds"].get(k, 0)
            for k in set(compl["kinds"]) | set(plain["kinds"])
        }
        rows = sorted(diff.items(), key=lambda kv: (-abs(kv[1]), kv[0]))[:10]
        bench.table(
            ["query kind", "plain", "complaint", "difference"],
            [
                (
                    k,
                    f"{plain['kinds'].get(k, 0):,}",
                    f"{compl['kinds'].get(k, 0):,}",
                    f"{d:+,}",
                )
                for k, d in rows
            ],
        )
        print()
        print("Where the SQL time of the measured complaint run goes (top 10):")
        bench.table(
            ["query kind", "count", "SQL s", "ms/query"],
            [
                (
                    k,
                    f"{compl['kinds'][k]:,}",
                    f"{t:.2f}",
                    f"{t * 1000 / compl['kinds'][k]:.3f}",
                )
                for k, t in compl["kind_seconds"].most_common(10)
            ],
        )


if __name__ == "__main__":
    main()
