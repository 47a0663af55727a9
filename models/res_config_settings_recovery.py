from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_reviewer_id = fields.Many2one(
        related="company_id.complaint_reviewer_id", readonly=False
    )
    complaint_comeback_days = fields.Integer(
        related="company_id.complaint_comeback_days", readonly=False
    )
