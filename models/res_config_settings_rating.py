from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_rating_poor_max = fields.Integer(
        related="company_id.complaint_rating_poor_max", readonly=False
    )
    complaint_hot_action = fields.Selection(
        related="company_id.complaint_hot_action", readonly=False
    )
