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
        # Contacts count towards their company (child_of), as helpdesk_mgmt's
        # ticket counter does: one grouped query, then summed up the tree.
        partners = self.filtered("id")
        (self - partners).complaint_count = 0
        if not partners:
            return
        groups = self.env["helpdesk.ticket"]._read_group(
            [("is_complaint", "=", True), ("partner_id", "child_of", partners.ids)],
            ["partner_id"],
            ["__count"],
        )
        counts = dict.fromkeys(partners.ids, 0)
        for customer, count in groups:
            while customer:
                if customer.id in counts:
                    counts[customer.id] += count
                customer = customer.parent_id
        for partner in partners:
            partner.complaint_count = counts[partner.id]

    def action_view_complaints(self):
        self.ensure_one()
        return self.env["helpdesk.ticket"]._complaint_action(
            [("partner_id", "child_of", self.id)], partner_id=self.id
        )
