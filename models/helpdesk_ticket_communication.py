"""Communication of complaints: what the customer is sent at each step (e-mail
and SMS templates of the stages, sent by a scheduled action that the change
triggers), who gets which message, first response and progress from the
chatter (letters: see helpdesk_ticket_letter.py)."""

import logging
from collections import defaultdict
from datetime import timedelta

import phonenumbers

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

from ..const import NOTIFY_REUSE_MARGIN, NOTIFY_TRIGGER_DELAY

_logger = logging.getLogger(__name__)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # -- fields ------------------------------------------------------------------
    complaint_notify_pending = fields.Boolean(
        string="Customer update pending",
        copy=False,
        help="The customer messages of the current stage wait for the "
        "scheduled action that sends them, within about a minute of the change.",
    )

    complaint_outcome = fields.Text(
        string="Outcome for the customer",
        copy=False,
        tracking=True,
        help="What was decided, in words for the customer: the closing message "
        "and the letter show it.",
    )

    def init(self):
        res = super().init()
        # The queue of customer messages: the scheduled action, triggered by
        # every change, finds the few pending complaints without a scan.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS helpdesk_ticket_notify_pending_index "
            "ON helpdesk_ticket (id) WHERE complaint_notify_pending AND active"
        )
        return res

    # -- chatter hooks -----------------------------------------------------------
    def _track_template(self, tracking):
        res = super()._track_template(tracking)
        if self[:1].is_complaint:
            # Complaints send their stage's templates themselves, with the
            # opt-out, blacklist and number checks and the SMS.
            res.pop("stage_id", None)
        return res

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        """The customer of a complaint never gets internal notes (even when
        mentioned) nor automatic notifications (tracking, creation, alerts):
        only what is written to them, and the complaint's SMS."""
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        if not (self[:1].is_complaint and recipients):
            return recipients
        msg_vals = msg_vals or {}
        message_type = msg_vals.get("message_type") or message.message_type
        if message_type == "sms":
            return recipients
        subtype = self.env["mail.message.subtype"].browse(
            msg_vals.get("subtype_id") or message.subtype_id.id
        )
        internal = (
            msg_vals.get("is_internal", message.is_internal)
            or subtype.internal
            or message_type in ("notification", "user_notification", "auto_comment")
        )
        if not internal:
            return recipients
        return [r for r in recipients if r.get("type") == "user"]

    def _message_post_after_hook(self, message, msg_vals):
        # The first message sent to the customer by an employee, or the first
        # logged call, is the first response; internal notes do not count.
        if self.env.context.get("complaint_auto_message"):
            # Automatic step messages are neither a response nor progress.
            return super()._message_post_after_hook(message, msg_vals)
        public_reply = (
            message.message_type == "comment"
            and not message.is_internal
            and message.subtype_id == self.env.ref("mail.mt_comment")
        )
        logged_call = message.mail_activity_type_id.category == "phonecall"
        if (
            self.is_complaint
            and not self.first_response_date
            and (public_reply or logged_call)
            and self._complaint_by_employee(message)
        ):
            self.sudo().first_response_date = message.date or fields.Datetime.now()
        if self.is_complaint and self._complaint_is_progress(message):
            self._complaint_mark_progress(message.date or fields.Datetime.now())
        return super()._message_post_after_hook(message, msg_vals)

    def _complaint_mark_progress(self, when):
        """Move ``last_progress_date`` forward. A plain UPDATE: the date is
        technical (no tracking, no computed field depends on it), so a note is
        not a change of the complaint (no write date, no tracked-field reads,
        no rights checks of a write)."""
        self.flush_recordset(["last_progress_date"])
        self.env.cr.execute(
            SQL(
                "UPDATE helpdesk_ticket SET last_progress_date = %s "
                "WHERE id IN %s AND (last_progress_date IS NULL "
                "OR last_progress_date < %s)",
                when,
                tuple(self.ids),
                when,
            )
        )
        self.invalidate_recordset(["last_progress_date"])

    def _complaint_is_progress(self, message):
        """A message or logged call of an employee (not of the customer, not
        an automatic notification) is progress for the inactivity alert."""
        if message.message_type not in ("comment", "email", "sms") and not (
            message.mail_activity_type_id
        ):
            return False
        return self._complaint_by_employee(message)

    def _complaint_by_employee(self, message):
        """Whether an employee (an internal user) wrote `message`. Usually the
        current user, whose record is loaded: no query then."""
        user = self.env.user
        author = message.author_id
        if author and author == user.partner_id and user.active and not user.share:
            return True
        return bool(author.user_ids.filtered(lambda u: not u.share))

    # -- customer messages -------------------------------------------------------
    def _complaint_notify_customer_or_queue(self):
        """Queue the customer messages of the complaints' current stage for
        the scheduled action: it renders and sends them in its own
        transaction at the cron workers' next wake-up (within about a
        minute), so the change that caused them (a creation, a stage move, an
        e-mail to the alias) does not wait for the e-mail and SMS, and the
        complaints queued meanwhile are rendered together (half the work of
        one at a time). ``complaint_notify_now`` in the context sends them
        here instead."""
        if self.env.context.get("complaint_no_notify"):
            return
        # A step that sends nothing costs no run of the scheduled action.
        tickets = self.filtered(lambda t: t._complaint_sends_customer_message())
        if not tickets:
            return
        if self.env.context.get("complaint_notify_now"):
            tickets._complaint_notify_customer()
            return
        # Through the ORM, so that the flag is saved by the same UPDATE as
        # the change (not a second version of the rows: every index of the
        # table would be written twice). A technical flag: no tracking.
        tickets.sudo().with_context(tracking_disable=True).write(
            {"complaint_notify_pending": True}
        )
        # Not env.ref(): its existence check is one more query per change.
        cron_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "helpdesk_mgmt_complaint.ir_cron_complaint_notify", raise_if_not_found=True
        )
        self._complaint_trigger_soon(self.env["ir.cron"].browse(cron_id))

    @api.model
    def _complaint_trigger_soon(self, cron):
        """Trigger a scheduled action that sends what was queued (customer
        updates, the e-mail queue) a few seconds ahead, once per burst of
        changes. Not due now: Odoo would wake the cron workers at commit over
        a new connection to the "postgres" database, for every change. A
        pending trigger is reused when it is due far enough ahead for this
        change to be committed before the run it starts; a run that misses a
        change anyway leaves it queued for the next one."""
        now = fields.Datetime.now()
        pending = (
            self.env["ir.cron.trigger"]
            .sudo()
            .search_count(
                [
                    ("cron_id", "=", cron.id),
                    ("call_at", ">=", now + timedelta(seconds=NOTIFY_REUSE_MARGIN)),
                ],
                limit=1,
            )
        )
        if not pending:
            cron._trigger(now + timedelta(seconds=NOTIFY_TRIGGER_DELAY))

    def _complaint_stage_templates(self):
        """(e-mail template, SMS template) that the complaint's stage sends
        its customer, each empty when the company does not send that kind."""
        self.ensure_one()
        company = self._complaint_company()
        stage = self.stage_id
        mail = stage.mail_template_id
        sms = stage.complaint_sms_template_id
        return (
            mail if company.complaint_notify_email else mail.browse(),
            sms if company.complaint_notify_sms else sms.browse(),
        )

    def _complaint_sends_customer_message(self):
        """Whether the stage the complaint is in sends its customer anything."""
        self.ensure_one()
        return bool(
            self.is_complaint
            and self.partner_id
            and any(self._complaint_stage_templates())
        )

    @api.model
    def _cron_complaint_notify_customers(self, batch_size=200):
        """Scheduled action: the queued customer messages, in batches. Each
        complaint gets the messages of the stage it is in when they are sent
        (a complaint moved twice in between gets the latest step only)."""

        def process(tickets):
            tickets._complaint_notify_customer()
            tickets.write({"complaint_notify_pending": False})

        return self._complaint_run_batches(
            SQL("complaint_notify_pending AND active"), process, batch_size
        )

    def _complaint_notify_customer(self):
        """Send each complaint's customer the e-mail and SMS templates of the
        stage it is in (received, in progress, resolved, closed...).

        Nothing is raised: a customer who opted out, a blacklisted or missing
        address, an invalid mobile or a failed rendering is noted on the
        chatter, and the complaint (or its stage change) is kept. Sending
        itself goes through Odoo's mail and SMS queues, which keep failures
        visible (mail.mail / sms.sms in error) and retry."""
        if self.env.context.get("complaint_no_notify"):
            return
        mails = defaultdict(lambda: self.browse())
        sms = []
        for ticket in self:
            if not ticket.is_complaint or not ticket.partner_id:
                continue
            mail_template, sms_template = ticket._complaint_stage_templates()
            if not (mail_template or sms_template):
                continue
            if ticket.partner_id.complaint_notify_optout:
                ticket._complaint_log(
                    self.env._(
                        "The customer opted out of complaint updates: no message "
                        "sent for stage %(stage)s.",
                        stage=ticket.stage_id.name,
                    )
                )
                continue
            if mail_template:
                mails[mail_template] |= ticket
            if sms_template:
                sms.append((ticket, sms_template))
        # The e-mails of one template rendered together (2.5 times cheaper
        # than one by one), then the SMS.
        for template, tickets in mails.items():
            tickets._complaint_send_mail(template)
        for ticket, template in sms:
            ticket._complaint_send_sms(template)

    def _complaint_log(self, body):
        """Internal note on the chatter (no notification, not progress)."""
        self.ensure_one()
        self.sudo()._message_log(body=body)

    def _complaint_send_mail(self, template, lang=None):
        """Post the e-mail `template` to the customer of each complaint, and
        return the complaints it went to (rendered in `lang` when the template
        does not say its language). A customer without a valid address
        or blacklisted gets a note instead. The e-mails are rendered together
        in one savepoint; if that fails, each complaint is tried on its own,
        so one bad complaint only costs its own e-mail (noted)."""
        ready = self.browse()
        for ticket in self:
            partner = ticket.partner_id
            if not partner.email_normalized:
                ticket._complaint_log(
                    self.env._(
                        "E-mail %(template)s not sent: the customer has no valid "
                        "e-mail address.",
                        template=template.name,
                    )
                )
            elif partner.is_blacklisted:
                ticket._complaint_log(
                    self.env._(
                        "E-mail %(template)s not sent: %(email)s is blacklisted.",
                        template=template.name,
                        email=partner.email_normalized,
                    )
                )
            else:
                ready |= ticket
        if len(ready) > 1:
            try:
                with self.env.cr.savepoint():
                    ready._complaint_post_template(template, lang)
                return ready
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise  # the whole request is retried by Odoo
            except Exception:  # noqa: BLE001 - retried one by one below
                _logger.info(
                    "Template %s failed on %s complaints together: one by one",
                    template.id,
                    len(ready),
                )
        failure = self.env._("E-mail %(template)s could not be sent: %(error)s")
        return ready.filtered(
            lambda ticket: ticket._complaint_send_safely(
                template,
                lambda: ticket._complaint_post_template(template, lang),
                failure,
            )
        )

    def _complaint_post_template(self, template, lang=None):
        """The e-mail template posted on every complaint of `self`, rendered
        in one batch (the composer in comment mode), as a message to the
        customer that is neither a response nor progress."""
        composer = (
            self.env["mail.compose.message"]
            .with_context(
                complaint_auto_message=True,
                lang=lang or self.env.lang,
                default_composition_mode="comment",
                default_model=self._name,
                default_res_ids=self.ids,
                default_template_id=template.id,
            )
            .create(
                {
                    "message_type": "comment",
                    "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id(
                        "mail.mt_comment"
                    ),
                }
            )
        )
        return composer._action_send_mail()[1]

    def _complaint_send_safely(self, template, send, failure):
        """Run `send()` in a savepoint. A failure is logged and noted on the
        chatter with the message `failure` (%(template)s, %(error)s), never
        raised: the complaint and its stage change are kept."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                send()
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # the whole request is retried by Odoo
        except Exception as error:  # noqa: BLE001 - never lose the complaint
            _logger.exception("Complaint %s: template %s failed", self.id, template.id)
            self._complaint_log(
                failure % {"template": template.name, "error": str(error)}
            )
            return False
        return True

    def _complaint_sms_number(self):
        """(E.164 mobile number, False) or (False, reason for the chatter)."""
        self.ensure_one()
        partner = self.partner_id
        country = partner.country_id or self._complaint_company().country_id
        candidates = self._complaint_phone_numbers()
        for number in candidates:
            try:
                parsed = phonenumbers.parse(number, country.code or None)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(parsed) and phonenumbers.number_type(
                parsed
            ) in (
                phonenumbers.PhoneNumberType.MOBILE,
                phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
            ):
                return (
                    phonenumbers.format_number(
                        parsed, phonenumbers.PhoneNumberFormat.E164
                    ),
                    False,
                )
        if not candidates:
            return False, self.env._("the customer has no mobile number")
        return False, self.env._(
            "%(numbers)s is not a valid mobile number",
            numbers=", ".join(candidates),
        )

    def _complaint_send_sms(self, template):
        self.ensure_one()
        number, reason = self._complaint_sms_number()
        if not reason and self.env["phone.blacklist"].sudo().search_count(
            [("number", "=", number)], limit=1
        ):
            reason = self.env._("%(number)s is blacklisted", number=number)
        if reason:
            self._complaint_log(
                self.env._(
                    "SMS %(template)s not sent: %(reason)s.",
                    template=template.name,
                    reason=reason,
                )
            )
            return False
        return self._complaint_send_safely(
            template,
            lambda: self.with_context(
                complaint_auto_message=True
            )._message_sms_with_template(
                template=template,
                partner_ids=self.partner_id.ids,
                sms_pid_to_number={self.partner_id.id: number},
                put_in_queue=True,
            ),
            self.env._("SMS %(template)s could not be sent: %(error)s"),
        )
