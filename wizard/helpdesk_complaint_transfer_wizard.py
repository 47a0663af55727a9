from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError


class HelpdeskComplaintTransferWizard(models.TransientModel):
    _name = "helpdesk.complaint.transfer.wizard"
    _description = "Transfer a complaint to another handler"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", required=True, ondelete="cascade"
    )
    current_user_id = fields.Many2one(
        related="ticket_id.user_id", string="Current handler"
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="New handler",
        required=True,
        domain="[('share', '=', False), ('id', '!=', current_user_id)]",
    )
    team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        string="New team",
        help="Leave empty to keep the current team.",
    )
    reason = fields.Text(required=True)

    @api.model
    def _check_target_user(self, ticket, user):
        if user == ticket.user_id:
            raise UserError(
                self.env._(
                    "%(user)s already handles complaint %(ticket)s: choose another "
                    "user.",
                    user=user.name,
                    ticket=ticket.display_name,
                )
            )
        if not user.active:
            raise UserError(
                self.env._(
                    "%(user)s is archived and cannot receive complaints.",
                    user=user.name,
                )
            )
        if user.share or not user.has_group("helpdesk_mgmt.group_helpdesk_user_own"):
            raise UserError(
                self.env._(
                    "%(user)s has no access to the helpdesk and could not work on "
                    "the complaint.",
                    user=user.name,
                )
            )

    def action_transfer(self):
        self.ensure_one()
        ticket = self.ticket_id
        user = self.user_id.with_context(active_test=False)
        self._check_target_user(ticket, user)
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for the transfer."))
        from_user, from_team = ticket.user_id, ticket.team_id
        to_team = self.team_id or from_team
        self.env["helpdesk.ticket.transfer"].create(
            {
                "ticket_id": ticket.id,
                "from_user_id": from_user.id,
                "to_user_id": user.id,
                "from_team_id": from_team.id,
                "to_team_id": to_team.id,
                "reason": reason,
            }
        )
        # Team and user in one write so helpdesk_mgmt's team compute does not
        # drop a handler who is not a member of the new team.
        ticket.write({"user_id": user.id, "team_id": to_team.id})
        ticket.message_subscribe(partner_ids=user.partner_id.ids)
        ticket.message_post(
            body=Markup("<p>%s</p><p>%s</p>")
            % (
                self.env._(
                    "Complaint transferred from %(from)s to %(to)s.",
                    **{"from": from_user.name or "-", "to": user.name},
                ),
                reason,
            ),
            partner_ids=user.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}
