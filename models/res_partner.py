from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    complaint_count = fields.Integer(compute="_compute_complaint_count")

    def _compute_complaint_count(self):
        # One grouped query for the whole batch; contacts count towards
        # their company as in helpdesk_mgmt's ticket counter.
        groups = self.env["helpdesk.ticket"]._read_group(
            [("is_complaint", "=", True), ("partner_id", "child_of", self.ids)],
            ["partner_id"],
            ["__count"],
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.complaint_count = sum(
                count
                for pid, count in counts.items()
                if pid == partner.id or pid in partner.child_ids.ids
            )

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt_complaint.action_helpdesk_complaint"
        )
        action["domain"] = [("partner_id", "child_of", self.id)]
        action["context"] = {
            "default_partner_id": self.id,
            "default_is_complaint": True,
        }
        return action
