from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

from ..const import RESOLUTION_METHODS


class HelpdeskComplaintCloseWizard(models.TransientModel):
    """Close or reject a complaint: topics, resolution method and the outcome
    for the customer asked in one dialog (required there, so a missing topic
    is marked on its field instead of an error from a tab), then one ordinary
    write of the ticket: the close right and the review order apply."""

    _name = "helpdesk.complaint.close.wizard"
    _description = "Close or Reject a Complaint"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", required=True, ondelete="cascade"
    )
    state = fields.Selection(
        selection=[("closed", "Close"), ("rejected", "Reject")],
        required=True,
        default="closed",
    )
    topic_ids = fields.Many2many(
        comodel_name="helpdesk.complaint.topic",
        string="Topics",
        compute="_compute_from_ticket",
        store=True,
        readonly=False,
    )
    resolution_method = fields.Selection(
        selection=RESOLUTION_METHODS,
        compute="_compute_from_ticket",
        store=True,
        readonly=False,
    )
    outcome = fields.Text(
        string="Outcome for the customer",
        compute="_compute_from_ticket",
        store=True,
        readonly=False,
        help="Shown in the closing message and the letter to the customer.",
    )

    @api.depends("ticket_id", "state")
    def _compute_from_ticket(self):
        for wizard in self:
            ticket = wizard.ticket_id
            wizard.topic_ids = ticket.topic_ids
            wizard.resolution_method = ticket.resolution_method or (
                "rejected" if wizard.state == "rejected" else False
            )
            wizard.outcome = ticket.complaint_outcome

    def action_confirm(self):
        self.ensure_one()
        if not self.topic_ids:
            raise ValidationError(
                self.env._("Choose at least one topic to classify the complaint.")
            )
        if not self.resolution_method:
            raise ValidationError(self.env._("Choose the resolution method."))
        self.ticket_id._complaint_move_to_state(
            self.state,
            {
                "topic_ids": [Command.set(self.topic_ids.ids)],
                "resolution_method": self.resolution_method,
                "complaint_outcome": (self.outcome or "").strip() or False,
            },
        )
        return {"type": "ir.actions.act_window_close"}
