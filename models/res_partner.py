from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    complaint_count = fields.Integer(compute="_compute_complaint_count")
    complaint_notify_optout = fields.Boolean(
        string="No complaint updates",
        help="Do not send this customer the SMS and e-mails about the progress "
        "of their complaints (on top of the e-mail and phone blacklists).",
    )

    def _compute_complaint_count(self):
        # Contacts count towards their company, as helpdesk_mgmt's ticket
        # counter does; shown on one form at a time.
        Ticket = self.env["helpdesk.ticket"]
        for partner in self:
            partner.complaint_count = partner.id and Ticket.search_count(
                [("is_complaint", "=", True), ("partner_id", "child_of", partner.id)]
            )

    def action_view_complaints(self):
        self.ensure_one()
        return self.env["helpdesk.ticket"]._complaint_action(
            [("partner_id", "child_of", self.id)], partner_id=self.id
        )
