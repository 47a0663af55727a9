from odoo import fields, models


class HelpdeskTicketTransfer(models.Model):
    """One hand-over of a complaint: when, from whom, to whom, why, by whom."""

    _name = "helpdesk.ticket.transfer"
    _description = "Complaint Transfer"
    _order = "date desc, id desc"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    from_user_id = fields.Many2one(
        comodel_name="res.users", string="From", readonly=True
    )
    to_user_id = fields.Many2one(
        comodel_name="res.users", string="To", required=True, readonly=True
    )
    from_team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team", string="From team", readonly=True
    )
    to_team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team", string="To team", readonly=True
    )
    reason = fields.Text(required=True, readonly=True)
    by_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Transferred by",
        default=lambda self: self.env.user,
        readonly=True,
    )
