from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import clean_context


class HelpdeskComplaintTransferWizard(models.TransientModel):
    _name = "helpdesk.complaint.transfer.wizard"
    _description = "Transfer a complaint to another handler"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="ticket_id.company_id")
    current_user_id = fields.Many2one(
        related="ticket_id.user_id", string="Current handler"
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="New handler",
        required=True,
        domain="[('share', '=', False), ('id', '!=', current_user_id),"
        " ('company_ids', 'in', company_id)]",
    )
    team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        string="New team",
        domain="[('is_complaint', '=', True),"
        " ('company_id', 'in', [company_id, False])]",
        help="Leave empty to keep the current team. Only complaint teams: "
        "making a complaint an ordinary ticket takes the close right.",
    )
    reason = fields.Text(required=True)

    @api.model
    def _check_target_user(self, ticket, user):
        """Refuse a handler who could not work on the complaint; the final
        word is _check_target_access once the ticket is handed over."""
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
        if ticket.company_id not in user.sudo().company_ids:
            raise UserError(
                self.env._(
                    "%(user)s does not work for %(company)s and could not open "
                    "complaint %(ticket)s.",
                    user=user.name,
                    company=ticket.company_id.name,
                    ticket=ticket.display_name,
                )
            )

    @api.model
    def _check_target_access(self, ticket, user):
        """The new handler must be able to open the complaint as it is after
        the transfer, whatever record rules apply to them."""
        as_user = ticket.with_user(user).with_context(
            allowed_company_ids=user.sudo().company_ids.ids
        )
        if not as_user.has_access("read"):
            raise UserError(
                self.env._(
                    "%(user)s could not open complaint %(ticket)s after the "
                    "transfer: choose another handler or team.",
                    user=user.name,
                    ticket=ticket.display_name,
                )
            )

    def _create_transfer_row(self, vals):
        """History rows are read-only for users: write them as superuser,
        with the real author and time and no defaults from the context."""
        return (
            self.env["helpdesk.ticket.transfer"]
            .sudo()
            .with_context(clean_context(self.env.context))
            .create(
                {
                    **vals,
                    "by_user_id": self.env.user.id,
                    "date": fields.Datetime.now(),
                }
            )
        )

    def action_transfer(self):
        self.ensure_one()
        ticket = self.ticket_id
        # Only someone who may change the complaint may hand it over.
        ticket.check_access("write")
        user = self.user_id.with_context(active_test=False)
        self._check_target_user(ticket, user)
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for the transfer."))
        from_user, from_team = ticket.user_id, ticket.team_id
        to_team = self.team_id or from_team
        # Chatter first: a personal-tickets user loses access to the complaint
        # once it is handed over.
        ticket.message_subscribe(partner_ids=user.partner_id.ids)
        # The e-mail to the new handler is queued, not sent by this request
        # (a connection to the mail server and a second commit): the e-mail
        # queue is triggered to send it within about a minute.
        ticket.with_context(mail_notify_force_send=False).message_post(
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
        # Team and user in one write so helpdesk_mgmt's team compute does not
        # drop a handler who is not a member of the new team. As superuser:
        # a personal-tickets user can no longer read the complaint once it is
        # handed over (its tracking runs at commit); the user's rights on the
        # complaint's transitions (a team change) are checked explicitly.
        before = ticket._complaint_rights_state()
        with self.env.cr.savepoint():
            # The note above told the new handler (with the reason): no
            # second "you have been assigned" e-mail.
            ticket_sudo = ticket.sudo().with_context(mail_auto_subscribe_no_notify=True)
            ticket_sudo.write({"user_id": user.id, "team_id": to_team.id})
            # Recomputed fields (team properties...) as superuser too.
            ticket_sudo.env.flush_all()
            ticket._complaint_check_transitions(
                before, ticket_sudo._complaint_rights_state()
            )
        self._check_target_access(ticket, user)
        # Not env.ref(): its existence check is one more query.
        queue_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "mail.ir_cron_mail_scheduler_action", raise_if_not_found=False
        )
        if queue_id:
            self.env["helpdesk.ticket"]._complaint_trigger_soon(
                self.env["ir.cron"].browse(queue_id)
            )
        self._create_transfer_row(
            {
                "ticket_id": ticket.id,
                "from_user_id": from_user.id,
                "to_user_id": user.id,
                "from_team_id": from_team.id,
                "to_team_id": to_team.id,
                "reason": reason,
            }
        )
        return {"type": "ir.actions.act_window_close"}
