"""Service recovery settings of a company: who reviews the complaints opened
from surveys, and how far back a complaint looks for the one it comes back
to (helpdesk_ticket_survey.py, helpdesk_ticket_comeback.py)."""

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_reviewer_id = fields.Many2one(
        comodel_name="res.users",
        string="Complaint reviewer",
        domain="[('share', '=', False)]",
        help="Gets an activity for every complaint opened from a survey "
        "response. Empty: the customer-relations officer.",
    )
    complaint_comeback_days = fields.Integer(
        string="Comeback window (days)",
        default=30,
        help="A complaint about the same vehicle (or the same customer and "
        "product) with the same category or a shared topic, registered at most "
        "this many days after an earlier one, is a comeback. 0 disables it.",
    )

    _sql_constraints = [
        (
            "complaint_comeback_days_positive",
            "CHECK (complaint_comeback_days >= 0)",
            "The comeback window cannot be negative.",
        ),
    ]

    def _complaint_reviewer(self):
        """Who reviews survey complaints: the reviewer, else the officer."""
        self.ensure_one()
        return self.complaint_reviewer_id or self.complaint_officer_id
