from datetime import timedelta

from odoo import api, fields, models

from ..const import SLA_CANDIDATES_KEY, URGENCIES


class HelpdeskComplaintSla(models.Model):
    """Resolution commitment for complaints.

    A policy applies when each of its criteria is empty or matches the
    complaint; the most specific applicable policy wins, then the sequence,
    then customer, category, urgency, team (_get_candidates).
    """

    _name = "helpdesk.complaint.sla"
    _description = "Complaint SLA Policy"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(comodel_name="res.company")
    hours = fields.Float(
        string="Resolution time (hours)",
        required=True,
        default=48.0,
    )
    calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        string="Working hours",
        help="Count the resolution time in these working hours (nights, "
        "weekends and public holidays excluded). Empty: calendar hours.",
    )
    urgency = fields.Selection(selection=URGENCIES)
    category_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.category",
        string="Categories",
    )
    team_ids = fields.Many2many(comodel_name="helpdesk.ticket.team", string="Teams")
    partner_ids = fields.Many2many(
        comodel_name="res.partner",
        string="Customers",
        help="Companies or persons this commitment is specific to "
        "(their contacts included).",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Handler",
        domain="[('share', '=', False)]",
        help="Complaints this policy applies to are assigned to this user "
        "unless a preferred handler was chosen.",
    )

    _sql_constraints = [
        ("hours_positive", "CHECK (hours > 0)", "The SLA time must be positive.")
    ]

    def _specificity(self):
        self.ensure_one()
        return sum(
            bool(criterion)
            for criterion in (
                self.urgency,
                self.category_ids,
                self.team_ids,
                self.partner_ids,
            )
        )

    def _complaint_precedence(self):
        """Between policies as specific and of the same sequence: customer
        beats category, category beats urgency, urgency beats team (a
        customer's contract overrides the general rule)."""
        self.ensure_one()
        return (
            bool(self.partner_ids),
            bool(self.category_ids),
            bool(self.urgency),
            bool(self.team_ids),
        )

    @api.model
    def _get_candidates(self):
        """Active policies in precedence order: most criteria first, then the
        sequence, then customer, category, urgency, team
        (_complaint_precedence). Loaded once per transaction (registering a
        complaint needs them for its handler, then for its deadline), and
        again after a policy is changed in it."""
        data = self.env.cr.precommit.data
        if SLA_CANDIDATES_KEY not in data:
            policies = self.sudo().search([("active", "=", True)])
            data[SLA_CANDIDATES_KEY] = policies.sorted(
                lambda p: (
                    -p._specificity(),
                    p.sequence,
                    tuple(not c for c in p._complaint_precedence()),
                    p.id,
                )
            ).ids
        return self.browse(data[SLA_CANDIDATES_KEY])

    @api.model_create_multi
    def create(self, vals_list):
        self.env.cr.precommit.data.pop(SLA_CANDIDATES_KEY, None)
        return super().create(vals_list)

    def write(self, vals):
        self.env.cr.precommit.data.pop(SLA_CANDIDATES_KEY, None)
        return super().write(vals)

    def unlink(self):
        self.env.cr.precommit.data.pop(SLA_CANDIDATES_KEY, None)
        return super().unlink()

    def _matches(self, company, team, category, urgency, partner):
        self.ensure_one()
        commercial = partner.commercial_partner_id
        return (
            (not self.company_id or self.company_id == company)
            and (not self.urgency or self.urgency == urgency)
            and (not self.category_ids or category in self.category_ids)
            and (not self.team_ids or team in self.team_ids)
            and (
                not self.partner_ids or bool((partner | commercial) & self.partner_ids)
            )
        )

    @api.model
    def _find(self, candidates, company, team, category, urgency, partner):
        """First policy of `candidates` (from _get_candidates) that applies."""
        for policy in candidates:
            if policy._matches(company, team, category, urgency, partner):
                return policy
        return self.browse()

    @api.model
    def _compute_deadline(self, start, hours, calendar):
        """`start` plus `hours`, counted in `calendar` when given.

        Datetimes are naive UTC, as stored by Odoo; the calendar's own
        time zone decides what a working hour is.
        """
        if not start:
            return False
        if not calendar:
            return start + timedelta(hours=hours)
        return calendar.plan_hours(hours, start, compute_leaves=True) or False
