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
