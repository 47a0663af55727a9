from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_repair_start_days = fields.Integer(
        related="company_id.complaint_repair_start_days", readonly=False
    )
    complaint_repair_link_may_close = fields.Boolean(
        related="company_id.complaint_repair_link_may_close", readonly=False
    )
