import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Runs of short groups of letters/digits separated by spaces or dashes
# ("1-ABC-234", "AB-123-CD", "WX 12345", "LJ AB-123"); every run of up to four
# consecutive groups is then compared with the vehicles' normalized plates, so
# a loose pattern is fine.
DEFAULT_PLATE_PATTERN = r"\b[A-Z0-9]{1,8}(?:[ -]+[A-Z0-9]{1,8})*\b"


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
    complaint_plate_pattern = fields.Char(
        string="Licence plate pattern",
        help="Regular expression (case-insensitive) finding licence plates in the "
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
                        "The licence plate pattern is not a valid regular "
                        "expression: %(error)s",
                        error=error,
                    )
                ) from error
