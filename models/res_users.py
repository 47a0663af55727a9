from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    complaint_digest_date = fields.Date(
        string="Last complaint digest",
        copy=False,
        readonly=True,
        help="Day the daily digest of overdue complaints was last sent to this "
        "user (it is sent at most once a day).",
    )
