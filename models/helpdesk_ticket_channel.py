from odoo import fields, models


class HelpdeskTicketChannel(models.Model):
    _inherit = "helpdesk.ticket.channel"

    complaint_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Complaint handler",
        domain="[('share', '=', False)]",
        help="Complaints received through this channel go to this user when "
        "neither a preferred handler, an SLA policy nor the customer's "
        "salesperson designates one.",
    )
