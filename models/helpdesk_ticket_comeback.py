"""Comebacks: a complaint about the same vehicle (or the same customer and
product) with the same category or a shared topic as an earlier complaint
registered at most N days before (company setting, default 30) is flagged
as a comeback of it, and the customer-relations officer is told.

Rules (README, "Comebacks"):
- the window counts calendar days (UTC dates) and is inclusive: registered
  N days after the earlier one is a comeback, N + 1 days is not;
- the same vehicle is a comeback whoever the customer is (the car came back),
  the same product only for the same customer (commercial entity);
- detection runs when a complaint is created and again when its category,
  topics, vehicle, product, customer or date are set later (topics are set
  at classification), for complaints not flagged yet; a flag is never
  removed automatically;
- the same number of queries for the whole batch, however many complaints:
  one equi-join per key of _complaint_comeback_keys(), so that PostgreSQL
  can hash or index them, then _complaint_comeback_is_similar() on the pairs
  found."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

# Fields whose change may make a complaint a comeback.
COMEBACK_TRIGGER_FIELDS = (
    "is_complaint",
    "category_id",
    "topic_ids",
    "vehicle_id",
    "product_id",
    "product_serial",
    "partner_id",
    "complaint_date",
    "company_id",
)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    is_comeback = fields.Boolean(
        string="Comeback",
        copy=False,
        readonly=True,
        help="Registered for the same vehicle (or customer and product), with "
        "the same category or a shared topic, within the comeback window of "
        "an earlier complaint.",
    )
    comeback_of_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Comeback of",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The latest earlier complaint this one comes back to.",
    )
    comeback_ids = fields.One2many(
        comodel_name="helpdesk.ticket",
        inverse_name="comeback_of_id",
        string="Comebacks",
        readonly=True,
        help="Later complaints that came back to this one.",
    )

    def init(self):
        res = super().init()
        # The comeback check looks up earlier complaints by vehicle, or by
        # customer and product, within a date window.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS helpdesk_ticket_comeback_vehicle_index "
            "ON helpdesk_ticket (vehicle_id, complaint_date) "
            "WHERE is_complaint AND vehicle_id IS NOT NULL"
        )
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS helpdesk_ticket_comeback_product_index "
            "ON helpdesk_ticket (commercial_partner_id, product_id, complaint_date) "
            "WHERE is_complaint AND product_id IS NOT NULL"
        )
        return res

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets._complaint_detect_comebacks()
        return tickets

    def write(self, vals):
        res = super().write(vals)
        if not vals.keys().isdisjoint(COMEBACK_TRIGGER_FIELDS):
            self._complaint_detect_comebacks()
        return res

    # -- detection -------------------------------------------------------------
    @api.model
    def _complaint_comeback_subject_fields(self):
        """Fields one of which a key of _complaint_comeback_keys() compares:
        a complaint with none of them set is not looked up. Extend it with a
        key on another field."""
        return ["vehicle_id", "product_id"]

    @api.model
    def _complaint_comeback_keys(self):
        """{name: SQL condition}: what makes the new complaint ``n`` and an
        earlier one ``e`` about the same thing; any one is enough. Extend it
        (e.g. customer + product + serial) or replace an entry by name. Keep
        each condition a conjunction of equalities (it is joined on), on a
        field of _complaint_comeback_subject_fields()."""
        return {
            "vehicle": SQL("n.vehicle_id = e.vehicle_id"),
            "product": SQL(
                "n.commercial_partner_id = e.commercial_partner_id "
                "AND n.product_id = e.product_id"
            ),
        }

    def _complaint_comeback_is_similar(self, earlier):
        """Whether this complaint and `earlier` are about the same problem:
        the same category or a shared topic. Extend it for other criteria."""
        self.ensure_one()
        return bool(
            (self.category_id and self.category_id == earlier.category_id)
            or self.topic_ids & earlier.topic_ids
        )

    def _complaint_detect_comebacks(self):
        """Flag the complaints of `self` not flagged yet that come back to an
        earlier complaint, linked to the latest one. The same number of
        queries whatever the batch: one statement finds the earlier
        complaints about the same subject, their category and topics are
        read at once, and one statement flags the comebacks. Returns the new
        comebacks (the officer is told)."""
        subjects = self._complaint_comeback_subject_fields()
        candidates = self.filtered(
            lambda t: t.is_complaint
            and not t.is_comeback
            and any(t[fname] for fname in subjects)
        )
        if not candidates:
            return self.browse()
        self.env.flush_all()
        # One equi-join per key (hash or index joins; an OR of the keys in
        # one join would compare every pair of complaints in the window). The
        # new complaints are a materialized CTE, so that PostgreSQL plans the
        # earlier ones' side only; the same problem is compared in Python on
        # the few pairs found (as SQL it took longer to plan than to run).
        pairs = SQL(" UNION ALL ").join(
            SQL(
                """
                SELECT n.id AS new_id, e.id AS earlier_id,
                       e.complaint_date AS earlier_date
                  FROM n
                  JOIN helpdesk_ticket e
                    ON %s
                   AND e.is_complaint AND e.active
                   AND e.company_id = n.company_id
                   AND (e.complaint_date, e.id) < (n.complaint_date, n.id)
                   AND e.complaint_date >= n.comeback_since
                """,
                key,
            )
            for key in self._complaint_comeback_keys().values()
        )
        self.env.cr.execute(
            SQL(
                """
                WITH n AS MATERIALIZED (
                    SELECT t.*, t.complaint_date::date - c.complaint_comeback_days
                                AS comeback_since
                      FROM helpdesk_ticket t
                      JOIN res_company c
                        ON c.id = t.company_id AND c.complaint_comeback_days > 0
                     WHERE t.id = ANY(%s)
                       AND t.is_complaint AND t.is_comeback IS NOT TRUE
                )
                SELECT new_id, earlier_id FROM (%s) pairs
                 ORDER BY new_id, earlier_date DESC, earlier_id DESC
                """,
                candidates.ids,
                pairs,
            )
        )
        rows = self.env.cr.fetchall()
        if not rows:
            return self.browse()
        # Earlier complaints may be outside the user's record rules.
        tickets = self.sudo().browse({tid for row in rows for tid in row})
        tickets.fetch(["category_id", "topic_ids"])
        latest = {}
        for new_id, earlier_id in rows:
            if new_id in latest:
                continue
            new = tickets.browse(new_id).with_prefetch(tickets._prefetch_ids)
            earlier = tickets.browse(earlier_id).with_prefetch(tickets._prefetch_ids)
            if new._complaint_comeback_is_similar(earlier):
                latest[new_id] = earlier_id
        if not latest:
            return self.browse()
        self.env.cr.execute(
            SQL(
                "UPDATE helpdesk_ticket t SET is_comeback = TRUE, "
                "comeback_of_id = m.earlier_id FROM (VALUES %s) "
                "AS m(new_id, earlier_id) WHERE t.id = m.new_id",
                SQL(", ").join(SQL("(%s, %s)", *item) for item in latest.items()),
            )
        )
        comebacks = self.browse(latest)
        self.invalidate_model(["is_comeback", "comeback_of_id", "comeback_ids"])
        comebacks._complaint_notify_comebacks()
        return comebacks

    def _complaint_notify_comebacks(self):
        """Tell the officer of each comeback's company: one activity and one
        chatter note per comeback, created in batch."""
        alerts = []
        for ticket in self.sudo():
            officer = ticket._complaint_company().complaint_officer_id
            lang = officer.lang or self.env.lang
            env = self.with_context(lang=lang).env
            earlier = ticket.comeback_of_id
            alerts.append(
                (
                    ticket,
                    officer,
                    env._("Comeback of %(earlier)s", earlier=earlier.display_name),
                    Markup("%s")
                    % env._(
                        "Comeback: the same vehicle or product came back with "
                        "the same problem after complaint %(earlier)s "
                        "(registered on %(date)s).",
                        earlier=earlier.display_name,
                        date=fields.Date.to_string(earlier.complaint_date),
                    ),
                )
            )
        self.sudo()._complaint_create_alerts(alerts)
