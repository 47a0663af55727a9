from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_repair_start_days = fields.Integer(
        string="Repair start alert (days)",
        default=3,
        help="Alert the complaint's handler when a repair request sent to a "
        "service centre has not started after this many days (0: no alert).",
    )
    complaint_repair_link_may_close = fields.Boolean(
        string="Service centres may close complaints",
        help="A state set by a service centre through its link may move the "
        "complaint to a closed stage (acting as the complaint's handler, who "
        "needs the close right). Off: such moves are left to the staff.",
    )
