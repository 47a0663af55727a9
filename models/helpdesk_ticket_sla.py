"""SLA of complaints: the deadline (policies of helpdesk.complaint.sla, or the
company default), its status, "Past SLA", and the first-response and
resolution times."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..const import OPEN_STATES


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # -- fields ------------------------------------------------------------------
    sla_policy_id = fields.Many2one(
        comodel_name="helpdesk.complaint.sla",
        string="SLA policy",
        compute="_compute_sla",
        store=True,
    )
    sla_deadline = fields.Datetime(
        string="SLA deadline",
        compute="_compute_sla",
        store=True,
        index="btree_not_null",
        tracking=True,
        copy=False,
    )
    sla_expired = fields.Boolean(
        string="Past SLA",
        compute="_compute_sla_status",
        search="_search_sla_expired",
        help="Open complaint whose SLA deadline has passed.",
    )
    sla_status = fields.Selection(
        selection=[
            ("on_time", "On time"),
            ("late", "Past SLA"),
            ("met", "Met"),
            ("breached", "Breached"),
        ],
        string="SLA status",
        compute="_compute_sla_status",
    )
    sla_deadline_relative = fields.Char(
        string="Due",
        compute="_compute_sla_status",
        help='The deadline of an open complaint in words: "due in 5 h", '
        '"overdue by 2 days".',
    )
    first_response_date = fields.Datetime(copy=False, readonly=True)
    first_response_hours = fields.Float(
        string="First response (hours)",
        compute="_compute_durations",
        store=True,
        aggregator="avg",
    )
    resolution_hours = fields.Float(
        string="Resolution (hours)",
        compute="_compute_durations",
        store=True,
        aggregator="avg",
    )
    sla_met = fields.Boolean(
        string="SLA met",
        compute="_compute_durations",
        store=True,
        help="Closed no later than the SLA deadline.",
    )

    # -- computes and search -----------------------------------------------------
    def init(self):
        res = super().init()
        # "Past SLA" = open, active and deadline passed. A partial index on the
        # open complaints' deadlines keeps it a short range scan however many
        # closed complaints accumulate; company_id included, the count (company
        # rule too) is index-only. Its predicate is the one of the other open
        # complaint indexes (is_complaint included): otherwise PostgreSQL
        # prefers the index whose predicate matches the domain better and
        # visits every open complaint's row (bench/run scale).
        self.env.cr.execute("DROP INDEX IF EXISTS helpdesk_ticket_sla_open_index")
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS helpdesk_ticket_sla_open_complaint_index "
                "ON helpdesk_ticket (sla_deadline) INCLUDE (company_id) WHERE %s",
                self._complaint_open_predicate(),
            )
        )
        return res

    @api.model
    def _complaint_open_predicate(self):
        """WHERE clause of the partial indexes on open complaints (one
        predicate for all, so that the planner can use each of them)."""
        return SQL("complaint_state IN %s AND active AND is_complaint", OPEN_STATES)

    @api.depends(
        "is_complaint",
        "complaint_date",
        "urgency",
        "category_id",
        "team_id",
        "partner_id",
        "company_id",
    )
    def _compute_sla(self):
        complaints = self.filtered("is_complaint")
        (self - complaints).update({"sla_policy_id": False, "sla_deadline": False})
        if not complaints:
            return
        # Policies are configuration every complaint author must be able to apply.
        Sla = self.env["helpdesk.complaint.sla"].sudo()
        candidates = Sla._get_candidates()
        for ticket in complaints:
            policy = Sla._find(
                candidates,
                ticket.company_id,
                ticket.team_id,
                ticket.category_id,
                ticket.urgency,
                ticket.partner_id,
            )
            if policy:
                hours, calendar = policy.hours, policy.calendar_id
            else:
                company = ticket._complaint_company()
                hours = company.complaint_sla_hours or 48.0
                calendar = company.complaint_sla_calendar_id
            ticket.sla_policy_id = policy
            ticket.sla_deadline = Sla._compute_deadline(
                ticket.complaint_date, hours, calendar
            )

    @api.depends("sla_deadline", "closed_date", "complaint_state")
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        for ticket in self:
            status = False
            if ticket.sla_deadline:
                if ticket.complaint_state in OPEN_STATES:
                    status = "late" if ticket.sla_deadline < now else "on_time"
                else:
                    status = "met" if ticket.sla_met else "breached"
            ticket.sla_status = status
            ticket.sla_expired = status == "late"
            ticket.sla_deadline_relative = (
                self._complaint_relative_deadline(ticket.sla_deadline, now)
                if status in ("late", "on_time")
                else False
            )

    @api.model
    def _complaint_relative_deadline(self, deadline, now=None):
        """ "due in 5 h" / "overdue by 2 days": what people read on cards and
        in the portal, rounded to minutes, hours (under two days) or days."""
        seconds = (deadline - (now or fields.Datetime.now())).total_seconds()
        minutes = int(abs(seconds) // 60)
        if minutes < 60:
            delay = self.env._("%(count)s min", count=max(minutes, 1))
        elif minutes < 48 * 60:
            delay = self.env._("%(count)s h", count=minutes // 60)
        else:
            delay = self.env._("%(count)s days", count=minutes // (24 * 60))
        if seconds < 0:
            return self.env._("overdue by %(delay)s", delay=delay)
        return self.env._("due in %(delay)s", delay=delay)

    def _search_sla_expired(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(self.env._("Unsupported search on Past SLA."))
        # is_complaint changes nothing (only complaints have a deadline) but
        # matches the predicate of the partial index of open complaints.
        expired = [
            ("is_complaint", "=", True),
            ("sla_deadline", "<", fields.Datetime.now()),
            ("complaint_state", "in", OPEN_STATES),
        ]
        if (operator == "=") == value:
            return expired
        return ["!", "&", "&", *expired]

    @api.depends("complaint_date", "first_response_date", "closed_date", "sla_deadline")
    def _compute_durations(self):
        def hours_between(start, end):
            if not (start and end):
                return 0.0
            return round((end - start).total_seconds() / 3600.0, 2)

        for ticket in self:
            start = ticket.complaint_date
            ticket.first_response_hours = hours_between(
                start, ticket.first_response_date
            )
            ticket.resolution_hours = hours_between(start, ticket.closed_date)
            ticket.sla_met = bool(
                ticket.sla_deadline
                and ticket.closed_date
                and ticket.closed_date <= ticket.sla_deadline
            )
