"""Satisfaction after closing and hot alerts.

The rating itself is Odoo's ``rating`` (token, /rate/<token> pages, the
rating.rating record) and OCA helpdesk_mgmt_rating (a stage with a rating
e-mail template asks the customer to rate when a ticket reaches it). This
file adds what complaints need on top: the request follows the customer
message rules, a poor rating raises a *hot alert* (the complaint reopened or
a follow-up complaint opened, the officer alerted) and a hot complaint cannot
be closed again before the customer was called or written to. Ratings reach
us through rating.rating (models/rating_rating.py), whatever path the
customer rated through."""

from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from ..const import OPEN_STATES


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    complaint_satisfaction = fields.Selection(
        selection=[("good", "Good rating"), ("poor", "Poor rating")],
        string="Customer satisfaction",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="Last rating of the customer after closing, poor when at or under "
        "the company's threshold.",
    )
    complaint_hot = fields.Boolean(
        string="Hot alert",
        copy=False,
        readonly=True,
        index=True,
        tracking=True,
        help="The customer rated the complaint poorly: it stays hot until it is "
        "closed again, which takes a call or a message to the customer first.",
    )
    complaint_hot_date = fields.Datetime(
        string="Hot alert since", copy=False, readonly=True
    )
    complaint_hot_contacted = fields.Boolean(
        string="Customer contacted since the poor rating",
        copy=False,
        readonly=True,
        help="A call was logged or a message sent to the customer after the "
        "poor rating: the complaint may be closed again.",
    )
    complaint_hot_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Calls the customer",
        copy=False,
        readonly=True,
        help="Who was alerted to contact the customer after the poor rating "
        "(the customer-relations officer, else the handler).",
    )
    complaint_hot_rating_id = fields.Many2one(
        comodel_name="rating.rating",
        string="Rating of the hot alert",
        copy=False,
        readonly=True,
        help="The poor rating that raised the last hot alert (changing its "
        "score does not raise another).",
    )
    complaint_rating_origin_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Follow-up of",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="Complaint whose poor rating opened this follow-up complaint.",
    )
    complaint_followup_ids = fields.One2many(
        comodel_name="helpdesk.ticket",
        inverse_name="complaint_rating_origin_id",
        string="Follow-up complaints",
        readonly=True,
    )

    # -- the rating request ----------------------------------------------------
    def _send_ticket_rating_mail(self, force_send=False):
        """helpdesk_mgmt_rating sends the request of the stage reached from
        its ``write``; a complaint's request goes with its queued customer
        messages instead (``_complaint_send_rating_request``)."""
        return super(
            HelpdeskTicket, self.filtered(lambda t: not t.is_complaint)
        )._send_ticket_rating_mail(force_send=force_send)

    def _complaint_sends_customer_message(self):
        return super()._complaint_sends_customer_message() or bool(
            self.is_complaint
            and self.rating_status == "stage_change"
            and self.stage_id.rating_mail_template_id
        )

    def _complaint_notify_customer(self):
        super()._complaint_notify_customer()
        if not self.env.context.get("complaint_no_notify"):
            self._complaint_send_rating_request()

    def _complaint_send_rating_request(self):
        """The rating request of the stage each complaint is in, after the
        stage's own message ("your complaint is closed"), under the customer
        message rules: not to a customer who opted out nor to an unchecked
        sender, no address or a blacklisted one noted on the chatter, and a
        failed mail never undoes the close (``_complaint_send_mail`` sends in
        a savepoint)."""
        requests = defaultdict(lambda: self.browse())
        for ticket in self.filtered("is_complaint"):
            template = ticket.stage_id.rating_mail_template_id
            if ticket.rating_status != "stage_change" or not template:
                continue
            reason = ticket._complaint_rating_request_refusal()
            if reason:
                ticket._complaint_log(
                    self.env._("Rating request not sent: %(reason)s.", reason=reason)
                )
                continue
            requests[template, ticket.partner_id.lang] |= ticket
        # helpdesk_mgmt_rating's template does not say its language: the
        # customer's.
        for (template, lang), tickets in requests.items():
            tickets._complaint_send_mail(template, lang)

    def _complaint_rating_request_refusal(self):
        """Why the rating request is not sent to this customer (False: send)."""
        self.ensure_one()
        if not self.partner_id:
            return self.env._("the complaint has no customer")
        if self.partner_id.complaint_notify_optout:
            return self.env._("the customer opted out of complaint updates")
        if self.complaint_sender_review:
            return self.env._("the sender is to review (unknown address)")
        return False

    # -- ratings received (from rating.rating) -----------------------------------
    def _complaint_poor_limit(self):
        """Highest rating value that is poor (0: hot alerts disabled)."""
        self.ensure_one()
        return self._complaint_company().complaint_rating_poor_max

    def _complaint_rating_received(self, ratings):
        """`ratings`: {ticket id: rating.rating} just given by the customers.
        A poor rating raises a hot alert once (changing it to another poor
        score does not alert twice; a new rating after the next close does);
        a good one closes the loop, also when it replaces a poor one."""
        complaints = self.filtered("is_complaint")
        poor = complaints.filtered(
            lambda t: ratings[t.id].rating <= t._complaint_poor_limit()
        )
        good = complaints - poor
        good._complaint_close_hot_loop()
        good.write({"complaint_satisfaction": "good", "complaint_hot_rating_id": False})
        new = poor.filtered(lambda t: t.complaint_hot_rating_id != ratings[t.id])
        (poor - new).write({"complaint_satisfaction": "poor"})
        for ticket in new:
            ticket.write(
                {
                    "complaint_satisfaction": "poor",
                    "complaint_hot_rating_id": ratings[ticket.id].id,
                }
            )
        new._complaint_raise_hot_alert(
            {tid: rating.rating for tid, rating in ratings.items()}
        )

    def _complaint_close_hot_loop(self):
        """A good rating: the hot alert its poor rating raised (on the
        complaint or its follow-up) is over."""
        holders = (self | self.complaint_followup_ids).filtered("complaint_hot")
        if not holders:
            return
        holders.write({"complaint_hot": False})
        for ticket in holders:
            ticket._complaint_log(
                self.env._(
                    "The customer changed the rating to a good one: hot alert "
                    "closed."
                )
            )

    def _complaint_raise_hot_alert(self, values):
        """Reopen each complaint (or open a linked follow-up, per company),
        flag it hot and alert whoever will call the customer, in batch. Run
        as superuser: the customer triggers it, not an employee with the open
        right."""
        tickets = self.sudo()
        now = fields.Datetime.now()
        reopen = tickets.filtered(
            lambda t: t._complaint_company().complaint_hot_action == "reopen"
        )
        holders = reopen._complaint_hot_reopen() | (
            tickets - reopen
        )._complaint_hot_followup(values)
        alerts = []
        for ticket in holders:
            user = ticket._complaint_company().complaint_officer_id or ticket.user_id
            ticket.write(
                {
                    "complaint_hot": True,
                    "complaint_hot_date": now,
                    "complaint_hot_contacted": False,
                    "complaint_hot_user_id": user.id,
                }
            )
            origin = ticket.complaint_rating_origin_id or ticket
            alerts.append(
                (
                    ticket,
                    user,
                    self.env._(
                        "Hot alert: call the customer (rated %(value)s/5)",
                        value=round(values[origin.id]),
                    ),
                    self.env._(
                        "Hot alert: the customer rated complaint %(number)s "
                        "%(value)s/5. %(user)s is to call or write to the "
                        "customer before it can be closed again.",
                        number=origin.number,
                        value=round(values[origin.id]),
                        user=user.name or "-",
                    ),
                )
            )
        tickets._complaint_create_alerts(alerts)

    def _complaint_hot_reopen(self):
        """Move the closed ones back to the team's "analysed" stage (else its
        first open one), without the step message to the customer: the portal
        page tells them."""
        Stage = self.env["helpdesk.ticket.stage"]
        for team, tickets in self.filtered("closed").grouped("team_id").items():
            stages = Stage.search(
                [
                    ("complaint_state", "in", OPEN_STATES),
                    "|",
                    ("team_ids", "=", False),
                    ("team_ids", "in", team.ids),
                ],
                order="sequence, id",
            )
            stage = stages.filtered(lambda s: s.complaint_state == "analysed")[:1]
            stage = stage or stages[:1]
            if stage:
                tickets.with_context(complaint_no_notify=True).write(
                    {"stage_id": stage.id}
                )
        return self

    def _complaint_hot_followup(self, values):
        """One open follow-up complaint per complaint (an open hot follow-up
        already there is reused)."""
        existing = self.complaint_followup_ids.filtered(
            lambda t: t.complaint_hot and not t.closed
        )
        todo = self.filtered(lambda t: not (t.complaint_followup_ids & existing))
        vals_list = [
            {
                "name": self.env._("Follow-up: %(name)s", name=ticket.name),
                "description": ticket._complaint_followup_description(
                    values[ticket.id]
                ),
                "team_id": ticket.team_id.id,
                "user_id": ticket.user_id.id,
                "partner_id": ticket.partner_id.id,
                "channel_id": ticket.channel_id.id,
                "vehicle_id": ticket.vehicle_id.id,
                "company_id": ticket.company_id.id,
                "urgency": "high",
                "complaint_rating_origin_id": ticket.id,
            }
            for ticket in todo
        ]
        created = (
            self.env["helpdesk.ticket"]
            .with_context(complaint_no_notify=True, mail_create_nolog=True)
            .create(vals_list)
        )
        for ticket in todo:
            ticket._complaint_log(
                self.env._(
                    "Poor rating: follow-up complaint %(number)s opened.",
                    number=ticket.complaint_followup_ids[-1:].number,
                )
            )
        return existing | created

    def _complaint_followup_description(self, value):
        self.ensure_one()
        rating = self.rating_ids.filtered("consumed").sorted("write_date")[-1:]
        text = self.env._(
            "The customer rated the handling of complaint %(number)s "
            "%(value)s/5 after it was closed.",
            number=self.number,
            value=round(value),
        )
        if rating.feedback:
            text += "\n" + self.env._("Feedback: %(text)s", text=rating.feedback)
        return plaintext2html(text)

    # -- contact logged ------------------------------------------------------------
    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if (
            len(self) == 1
            and self.complaint_hot
            and not self.complaint_hot_contacted
            and not self.env.context.get("complaint_auto_message")
            and self._complaint_is_customer_contact(message)
        ):
            self.sudo().complaint_hot_contacted = True
        return res

    def _complaint_is_customer_contact(self, message):
        """A logged call, or a message (e-mail, chatter, SMS) sent to the
        customer, by an employee."""
        by_employee = self._complaint_by_employee(message)
        public_reply = message.message_type == "sms" or (
            message.message_type in ("comment", "email")
            and not message.is_internal
            and message.subtype_id == self.env.ref("mail.mt_comment")
        )
        logged_call = message.mail_activity_type_id.category == "phonecall"
        return bool(by_employee) and (public_reply or logged_call)

    # -- the close block -------------------------------------------------------------
    def _complaint_check_transitions(self, before, after=None):
        """Besides the close right: a hot complaint is not closed again until
        the customer was contacted after the poor rating. Same path as the
        right, so the button, the close dialog, a stage write, a kanban drop,
        an import and RPC are all refused alike."""
        after = after or self._complaint_rights_state()
        res = super()._complaint_check_transitions(before, after)
        if self.env.su:
            return res
        blocked = self.filtered(
            lambda t: t.complaint_hot
            and not t.complaint_hot_contacted
            and after[t.id][1]
            and not before.get(t.id, (False, False))[1]
        )
        if blocked:
            raise UserError(
                self.env._(
                    "Complaint %(names)s has a hot alert: call the customer or "
                    "send them a message before closing it again.",
                    names=", ".join(blocked.sudo().mapped("display_name")),
                )
            )
        return res

    def write(self, vals):
        res = super().write(vals)
        if "stage_id" in vals or "active" in vals:
            # Closed again after the contact: the hot alert is over.
            over = self.filtered(
                lambda t: t.complaint_hot and (t.closed or not t.active)
            )
            if over:
                over.sudo().write({"complaint_hot": False})
        return res

    # -- portal ----------------------------------------------------------------------
    def _complaint_portal_rating(self):
        """What the complaint page shows about the rating, as a dict: state
        False (nothing), 'ask' (closed, not rated yet), 'rated' or 'hot' (a
        poor rating being handled: who will call, the follow-up if any);
        token: the rating token for /rate/<token>/<score> (also to change a
        given rating); value: the rating given."""
        self.ensure_one()
        ticket = self.sudo()
        partner = ticket.partner_id
        ratings = ticket.rating_ids.filtered(lambda r: r.partner_id == partner)
        rated = ratings.filtered("consumed").sorted("write_date")[-1:]
        followup = ticket.complaint_followup_ids.filtered("complaint_hot")[-1:]
        holder = followup or ticket
        info = {"state": False, "token": rated.access_token, "value": rated.rating}
        if holder.complaint_hot:
            info.update(
                state="hot",
                followup=followup,
                caller=holder.complaint_hot_user_id or holder.user_id,
            )
            return info
        pending = ratings.filtered(lambda r: not r.consumed)[:1]
        asking = (
            ticket.complaint_state == "closed"
            and ticket.rating_status == "stage_change"
            and ticket.stage_id.rating_mail_template_id
        )
        if asking and (pending or not rated):
            info.update(
                state="ask",
                token=pending.access_token or ticket._rating_get_access_token(partner),
            )
        elif rated:
            info["state"] = "rated"
        return info
