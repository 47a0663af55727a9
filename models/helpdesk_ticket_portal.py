# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the customer reads about a complaint on the portal: the state in
their words (the review states are the officers' vocabulary) and the promise
in their time zone, without seconds, as in the acknowledgement mail."""

from odoo import api, fields, models
from odoo.tools.misc import format_datetime

from ..const import PORTAL_STATE_LABELS


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    complaint_portal_state = fields.Char(
        string="State for the customer",
        compute="_compute_complaint_portal_state",
        help="The review state as the customer reads it on the portal.",
    )

    @api.depends("complaint_state", "stage_id")
    @api.depends_context("lang")
    def _compute_complaint_portal_state(self):
        for ticket in self:
            label = PORTAL_STATE_LABELS.get(ticket.complaint_state)
            ticket.complaint_portal_state = (
                self.env._(label) if label else ticket.stage_id.name
            )

    def _complaint_promised_date(self):
        """The SLA deadline in the customer's time zone (else the company's),
        short format: the words of the acknowledgement mail and SMS."""
        self.ensure_one()
        if not self.sla_deadline:
            return ""
        tz = self.partner_id.tz or self.company_id.partner_id.tz or "UTC"
        return format_datetime(self.env, self.sla_deadline, tz=tz, dt_format="short")
