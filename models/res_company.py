import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..const import DEFAULT_PLATE_PATTERN, OPEN_STATES


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_officer_id = fields.Many2one(
        comodel_name="res.users",
        string="Customer-relations officer",
        domain="[('share', '=', False)]",
        help="Receives complaints no rule assigns to anyone, and the SLA alerts. "
        "Normally the only person allowed to close complaints.",
    )
    complaint_sla_hours = fields.Float(
        string="Default complaint SLA (hours)",
        default=48.0,
        help="Resolution commitment used when no complaint SLA policy matches.",
    )
    complaint_sla_calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        string="Count default SLA in working hours of",
        help="Leave empty to count the default SLA in calendar hours (day and night).",
    )
    # -- customer communication ---------------------------------------------
    complaint_notify_email = fields.Boolean(
        string="E-mail customers at each complaint step",
        default=True,
        help="Send the e-mail template of the stage a complaint reaches.",
    )
    complaint_notify_sms = fields.Boolean(
        string="SMS customers at each complaint step",
        default=True,
        help="Send the SMS template of the stage a complaint reaches.",
    )
    # -- alerts ----------------------------------------------------------------
    complaint_warning_percent = fields.Float(
        string="SLA warning at (% of the SLA time)",
        default=75.0,
        help="The handler is warned when this share of the time between "
        "registration and SLA deadline has elapsed. 0 disables the warning.",
    )
    complaint_escalation_hours = fields.Float(
        string="Escalate to the team leader after (hours)",
        default=24.0,
        help="Hours after the SLA deadline when an open complaint is escalated "
        "to its team leader. 0 disables this level.",
    )
    complaint_manager_id = fields.Many2one(
        comodel_name="res.users",
        string="Service manager",
        domain="[('share', '=', False)]",
        help="Last escalation level of complaints past their SLA.",
    )
    complaint_escalation2_hours = fields.Float(
        string="Escalate to the service manager after (hours)",
        default=72.0,
        help="Hours after the SLA deadline when an open complaint is escalated "
        "to the service manager. 0 disables this level.",
    )
    complaint_inactivity_days = fields.Integer(
        string="Inactivity alert after (days)",
        default=7,
        help="An open complaint without progress (stage change, message, logged "
        "call) for this many days is reported to its handler. 0 disables it.",
    )

    _sql_constraints = [
        (
            "complaint_warning_percent_range",
            "CHECK (complaint_warning_percent >= 0 "
            "AND complaint_warning_percent < 100)",
            "The SLA warning share must be between 0 and 100 %.",
        ),
        (
            "complaint_alert_delays_positive",
            "CHECK (complaint_escalation_hours >= 0 "
            "AND complaint_escalation2_hours >= 0 "
            "AND complaint_inactivity_days >= 0)",
            "Escalation delays and the inactivity period cannot be negative.",
        ),
    ]

    _complaint_alert_fields = (
        "complaint_warning_percent",
        "complaint_escalation_hours",
        "complaint_escalation2_hours",
        "complaint_manager_id",
    )

    def write(self, vals):
        res = super().write(vals)
        if any(fname in vals for fname in self._complaint_alert_fields):
            # New thresholds move the next alert of the open complaints.
            Ticket = self.env["helpdesk.ticket"].sudo()
            tickets = Ticket.search(
                [
                    ("company_id", "in", self.ids),
                    ("is_complaint", "=", True),
                    ("complaint_state", "in", OPEN_STATES),
                ]
            )
            self.env.add_to_compute(Ticket._fields["sla_next_alert_date"], tickets)
        return res

    complaint_plate_pattern = fields.Char(
        string="License plate pattern",
        help="Regular expression (case-insensitive) finding license plates in the "
        "subject and body of e-mails sent to a complaint team; matches are compared "
        "with the vehicles' plates ignoring spaces, dashes and case. Empty: runs of "
        "short groups of letters and digits (" + DEFAULT_PLATE_PATTERN + ").",
    )

    @api.constrains("complaint_plate_pattern")
    def _check_complaint_plate_pattern(self):
        for company in self.filtered("complaint_plate_pattern"):
            try:
                re.compile(company.complaint_plate_pattern)
            except re.error as error:
                raise ValidationError(
                    self.env._(
                        "The license plate pattern is not a valid regular "
                        "expression: %(error)s",
                        error=error,
                    )
                ) from error
