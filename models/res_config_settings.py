from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_officer_id = fields.Many2one(
        related="company_id.complaint_officer_id", readonly=False
    )
    complaint_sla_hours = fields.Float(
        related="company_id.complaint_sla_hours", readonly=False
    )
    complaint_sla_calendar_id = fields.Many2one(
        related="company_id.complaint_sla_calendar_id", readonly=False
    )
    complaint_plate_pattern = fields.Char(
        related="company_id.complaint_plate_pattern", readonly=False
    )
