from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import plaintext2html


class HelpdeskComplaintCallWizard(models.TransientModel):
    """Call the customer of a complaint: a ``tel:`` link, then the outcome is
    logged as a done *Call* activity (who, when, outcome) on the chatter."""

    _name = "helpdesk.complaint.call.wizard"
    _description = "Call the Customer of a Complaint"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(related="ticket_id.partner_id")
    phone = fields.Char(compute="_compute_phone", readonly=False, store=True)
    outcome = fields.Text(required=True)

    @api.depends("ticket_id")
    def _compute_phone(self):
        for wizard in self:
            ticket = wizard.ticket_id
            wizard.phone = ticket and (ticket._complaint_phone_numbers() or [False])[0]

    def action_log_call(self):
        self.ensure_one()
        if not (self.outcome or "").strip():
            raise ValidationError(self.env._("Describe the outcome of the call."))
        ticket = self.ticket_id
        activity = ticket.activity_schedule(
            "mail.mail_activity_data_call",
            summary=self.env._("Call to %(phone)s", phone=self.phone or "-"),
            user_id=self.env.user.id,
        )
        activity.action_feedback(feedback=plaintext2html(self.outcome))
        return {"type": "ir.actions.act_window_close"}
