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
    complaint_letter_intro = fields.Html(
        related="company_id.complaint_letter_intro", readonly=False
    )
    complaint_letter_closing = fields.Html(
        related="company_id.complaint_letter_closing", readonly=False
    )
