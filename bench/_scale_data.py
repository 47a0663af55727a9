"""Bulk data of the scale and load benchmarks (bench_scale.py, bench_load_setup.py).

Tickets are inserted with one ``INSERT ... SELECT generate_series`` per range
of numbers, every stored column the views, crons and reports read consistent
with what the ORM computes. A ticket's attributes depend only on its number
``i`` (1..total), so a range inserted later (the growth from 100,000 to
1,000,000) continues the same distribution:

* 3 % open (``k = i * 7919 mod 1000 < 30``), of which one in six (0.5 % of
  all) past its SLA deadline by 1 hour to 30 days, the others registered 0-46 h
  ago; the rest closed (9 in 10) or rejected. With ``open_from``, the open
  ones are all numbered above it (the backlog is recent, as on a real desk:
  still 3 % of `total`, a larger share of the recent numbers) and older
  tickets are all closed or rejected;
* closed/rejected complaints registered ``(total - i) / (PER_YEAR * total)`` years
  ago: the highest numbers are the most recent, 8 % of all a year (80,000 of
  1,000,000: 12.5 years of history);
* handler, company (and its team), customer, vehicle and channel cycle with i.

Complaint mode needs helpdesk_mgmt_complaint; plain mode (``complaint=False``)
only helpdesk_mgmt's columns (ordinary tickets, the anchor of the load test).
"""

PER_YEAR = 0.08  # share of all tickets registered per year: 80,000 of 1,000,000
OPEN_STATES = ("registered", "analysed", "verified")


def ensure_people(env, companies=5, handlers=40, customers=500, complaint=True):
    """Companies (with a team each), handlers, customers (phones) and, in
    complaint mode, one vehicle per customer. Returns a dict of id lists."""
    env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
    main = env.ref("base.main_company")
    comps = main
    for n in range(1, companies):
        comps |= env["res.company"].create({"name": f"Scale company {n}"})
    (env.user | env.ref("base.user_admin")).write(
        {"company_ids": [(4, c.id) for c in comps]}
    )
    Team = env["helpdesk.ticket.team"]
    if complaint:
        base_team = env.ref("helpdesk_mgmt_complaint.helpdesk_team_complaints")
        teams = base_team
        for comp in comps[1:]:
            teams |= Team.create(
                {
                    "name": f"Complaints {comp.name}",
                    "is_complaint": True,
                    "company_id": comp.id,
                }
            )
    else:
        teams = Team.browse()
        for comp in comps:
            teams |= Team.create(
                {"name": f"Support {comp.name}", "company_id": comp.id}
            )
    groups = [env.ref("helpdesk_mgmt.group_helpdesk_user").id]
    if complaint:
        groups.append(env.ref("helpdesk_mgmt_complaint.group_complaint_close").id)
    users = env["res.users"].create(
        [
            {
                "name": f"Handler {i:02d}",
                "login": f"scale_handler_{i:02d}",
                "email": f"handler{i:02d}@example.com",
                "company_id": comps[i % len(comps)].id,
                "company_ids": [(6, 0, comps.ids)],
                "groups_id": [(6, 0, groups)],
            }
            for i in range(handlers)
        ]
    )
    teams.write({"user_ids": [(6, 0, users.ids)]})
    partners = env["res.partner"].create(
        [
            {
                "name": f"Customer {i:04d}",
                "email": f"customer{i:04d}@example.com",
                "phone": f"+32 470 {i // 100:02d} {i % 100:02d} 00",
            }
            for i in range(customers)
        ]
    )
    vehicles = []
    if complaint:
        brand = env["fleet.vehicle.model.brand"].create({"name": "Scale make"})
        model = env["fleet.vehicle.model"].create(
            {"name": "Scale model", "brand_id": brand.id}
        )
        vehicles = (
            env["fleet.vehicle"]
            .create(
                [
                    {
                        "model_id": model.id,
                        "license_plate": f"SC-{i:04d}",
                        "driver_id": partners[i].id,
                    }
                    for i in range(customers)
                ]
            )
            .ids
        )
    env.flush_all()
    return {
        "companies": comps.ids,
        "teams": teams.ids,
        "users": users.ids,
        "partners": partners.ids,
        "vehicles": vehicles,
    }


def insert_tickets(env, people, first, last, total, complaint=True, open_from=0):
    """Insert tickets numbered first..last (inclusive) out of `total`; the
    open ones among the numbers above `open_from` only."""
    cr = env.cr
    if complaint:
        stage = {
            s: env.ref(f"helpdesk_mgmt_complaint.stage_complaint_{s}").id
            for s in ("registered", "analysed", "verified", "closed", "rejected")
        }
        open_stages = [stage[s] for s in OPEN_STATES]
        done_stage, rejected_stage = stage["closed"], stage["rejected"]
        extra_cols = """, complaint_state, is_complaint, urgency, complaint_date,
            sla_deadline, sla_met, resolution_hours, first_response_hours,
            first_response_date, vehicle_id, sla_alert_level, last_progress_date,
            inactivity_alert_date, partner_phone, resolution_method, rating_status"""
        extra_vals = """, s.complaint_state, true,
            (ARRAY['normal', 'medium', 'high'])[1 + d.i %% 3], d.cdate,
            d.cdate + interval '48 hours',
            coalesce(d.closed_date <= d.cdate + interval '48 hours', false),
            coalesce(extract(epoch FROM d.closed_date - d.cdate) / 3600.0, 0),
            1 + d.i %% 7, d.cdate + (1 + d.i %% 7) * interval '1 hour',
            CASE WHEN d.i %% 4 > 0 THEN (%(vehicles)s::int[])[1 + d.i %% %(nveh)s] END,
            4, coalesce(d.closed_date, d.cdate + (d.i %% 5) * interval '1 hour'),
            now() at time zone 'utc', p.phone,
            CASE WHEN d.closed_date IS NOT NULL THEN 'repair' END, 'stage_change'"""
    else:
        stages = env["helpdesk.ticket.stage"].search([], order="sequence, id")
        open_stages = stages.filtered(lambda s: not s.closed)[:3].ids
        closed = stages.filtered("closed")
        done_stage = closed[0].id
        rejected_stage = closed[-1].id
        extra_cols = extra_vals = ""
    cr.execute(
        f"""
        WITH src AS (
            -- k < 5: past SLA, k < 30: open; with open_from, k is scaled so
            -- that the same number of open tickets falls above open_from.
            SELECT i,
                   CASE WHEN i > %(open_from)s
                        THEN ((i::bigint * 7919) %% 1000) * %(window)s::float
                             / %(total)s
                        ELSE 1000 END AS k,
                   (now() at time zone 'utc') AS now_utc
              FROM generate_series(%(first)s, %(last)s) AS i
        ), dated AS (
            SELECT i, k,
                   CASE WHEN k < 5 THEN now_utc - interval '48 hours'
                                        - (1 + (i * 37) %% 719) * interval '1 hour'
                        WHEN k < 30 THEN now_utc - ((i * 13) %% 47) * interval '1 hour'
                        ELSE now_utc - ((%(total)s - i) * 365.0 / %(per_year)s)
                                       * interval '1 day'
                                     - ((i * 17) %% 24) * interval '1 hour'
                   END AS cdate,
                   CASE WHEN k >= 30 THEN
                          CASE WHEN i %% 10 = 0 THEN %(rejected)s ELSE %(done)s END
                        ELSE (%(open)s::int[])[1 + i %% 3]
                   END AS stage
              FROM src
        ), d AS (
            SELECT dated.*,
                   CASE WHEN k >= 30
                        THEN cdate + (1 + (i * 29) %% 96) * interval '1 hour'
                   END AS closed_date
              FROM dated
        )
        INSERT INTO helpdesk_ticket (
            number, name, description, company_id, team_id, stage_id,
            unattended, partner_id, commercial_partner_id, partner_name,
            partner_email, channel_id, priority, kanban_state, sequence, active,
            user_id, assigned_date, closed_date, last_stage_update,
            create_uid, write_uid, create_date, write_date {extra_cols}
        )
        SELECT 'SC' || lpad(d.i::text, 8, '0'),
               'Noise after repair #' || d.i,
               '<p>Customer complains about repair #' || d.i || ': noise.</p>',
               (%(companies)s::int[])[1 + d.i %% %(ncomp)s],
               (%(teams)s::int[])[1 + d.i %% %(ncomp)s],
               d.stage, s.unattended, p.id, p.id, p.name, p.email,
               %(channel)s, '1', 'normal', 10, true,
               (%(users)s::int[])[1 + d.i %% %(nusers)s],
               d.cdate + (d.i %% 5) * interval '1 hour', d.closed_date, d.cdate,
               2, 2, d.cdate, coalesce(d.closed_date, d.cdate) {extra_vals}
          FROM d
          JOIN helpdesk_ticket_stage s ON s.id = d.stage
          JOIN (SELECT id, name, email, phone,
                       row_number() OVER (ORDER BY id) - 1 AS rn
                  FROM res_partner WHERE id = ANY(%(partners)s)) p
            ON p.rn = d.i %% %(npartners)s
        """,
        {
            "first": first,
            "last": last,
            "total": total,
            "open_from": open_from,
            "window": total - open_from,
            "per_year": max(1, int(total * PER_YEAR)),
            "open": open_stages,
            "done": done_stage,
            "rejected": rejected_stage,
            "companies": people["companies"],
            "teams": people["teams"],
            "ncomp": len(people["companies"]),
            "users": people["users"],
            "nusers": len(people["users"]),
            "partners": people["partners"],
            "npartners": len(people["partners"]),
            "vehicles": people["vehicles"] or [0],
            "nveh": max(1, len(people["vehicles"])),
            "channel": env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone").id,
        },
    )
    inserted = cr.rowcount
    # Ticket numbers are unique per sequence: move it past what was inserted.
    env.invalidate_all()
    return inserted


def vacuum(env, tables=("helpdesk_ticket", "res_partner")):
    """Commit, then VACUUM ANALYZE and CHECKPOINT (own autocommit
    connection)."""
    import psycopg2

    import odoo

    env.cr.commit()
    _name, info = odoo.sql_db.connection_info_for(env.cr.dbname)
    cnx = psycopg2.connect(**info)
    try:
        cnx.autocommit = True
        with cnx.cursor() as c:
            for table in tables:
                c.execute(f"VACUUM ANALYZE {table}")
            # Write the inserted pages out now, not during the measurements
            # (a checkpoint after a million-row insert competes with them).
            c.execute("CHECKPOINT")
    finally:
        cnx.close()
