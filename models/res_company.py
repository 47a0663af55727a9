from odoo import fields, models


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
    complaint_letter_intro = fields.Html(
        string="Complaint letter: opening",
        translate=True,
        sanitize=True,
        default=lambda self: self.env._(
            "<p>Dear customer,</p><p>Thank you for telling us about your "
            "experience. We have examined your complaint carefully; here is "
            "what we found and what we have done about it.</p>"
        ),
        help="Text of the customer letter before the complaint details.",
    )
    complaint_letter_closing = fields.Html(
        string="Complaint letter: closing",
        translate=True,
        sanitize=True,
        default=lambda self: self.env._(
            "<p>We apologise for the inconvenience and remain at your disposal "
            "for any question.</p><p>Kind regards,</p>"
        ),
        help="Text of the customer letter after the complaint details.",
    )
