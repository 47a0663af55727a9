from odoo import fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    is_complaint = fields.Boolean(
        string="Complaint team",
        help="Tickets of this team are customer complaints: they need a customer, "
        "a source and an essence, get an SLA deadline, and only users with the "
        "close right may close them.",
    )
    complaint_strict_review = fields.Boolean(
        string="Review steps cannot be skipped",
        help="Complaints of this team go through Registered, Analysed, Verified "
        "and Closed one step at a time (Rejected may be chosen at any step).",
    )
