from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_service_centre = fields.Boolean(
        string="Service centre",
        help="External service centre the repair requests of complaints are "
        "sent to.",
    )
