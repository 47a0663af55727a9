"""Alerts of complaints and their scheduled actions: SLA warning, breach and
escalations, inactivity, the daily digest, and the batch runner the
scheduled actions share (_complaint_run_batches)."""

import logging
import random
import time
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.service.model import (
    MAX_TRIES_ON_CONCURRENCY_FAILURE,
    PG_CONCURRENCY_EXCEPTIONS_TO_RETRY,
)
from odoo.tools import SQL, format_datetime

from ..const import (
    ALERT_BREACH,
    ALERT_MANAGER,
    ALERT_TEAM_LEADER,
    ALERT_WARNING,
    CRON_TIME_BUDGET,
    OPEN_STATES,
)

_logger = logging.getLogger(__name__)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # -- fields ------------------------------------------------------------------
    sla_alert_level = fields.Integer(
        string="SLA alerts sent",
        default=0,
        copy=False,
        readonly=True,
        help="Last SLA alert sent: 0 none, 1 warning to the handler, 2 breach "
        "(customer-relations officer), 3 team leader, 4 service manager.",
    )
    sla_next_alert_date = fields.Datetime(
        string="Next SLA alert",
        compute="_compute_sla_next_alert_date",
        store=True,
        index="btree_not_null",
        copy=False,
        help="When the SLA alert cron sends the next warning or escalation.",
    )
    last_progress_date = fields.Datetime(
        string="Last progress",
        default=fields.Datetime.now,
        copy=False,
        readonly=True,
        help="Last stage change, message or logged call of an employee.",
    )
    inactivity_alert_date = fields.Datetime(
        string="Inactivity alert sent on", copy=False, readonly=True
    )
    complaint_cron_error = fields.Char(
        string="Scheduled action error",
        copy=False,
        readonly=True,
        help="Last error of a scheduled action on this complaint (alerts, "
        "customer updates); cleared when it goes through.",
    )

    # -- schedule ----------------------------------------------------------------
    def init(self):
        res = super().init()
        # Inactivity cron: open complaints by last progress.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS helpdesk_ticket_progress_open_index "
                "ON helpdesk_ticket (last_progress_date) WHERE %s",
                self._complaint_open_predicate(),
            )
        )
        return res

    @api.depends(
        "is_complaint",
        "active",
        "complaint_state",
        "complaint_date",
        "sla_deadline",
        "sla_alert_level",
        "company_id",
    )
    def _compute_sla_next_alert_date(self):
        for ticket in self:
            next_date = False
            if (
                ticket.is_complaint
                and ticket.active
                and ticket.sla_deadline
                and ticket.complaint_state in OPEN_STATES
            ):
                next_date = next(
                    (
                        date
                        for level, date in ticket._complaint_alert_schedule()
                        if level > ticket.sla_alert_level
                    ),
                    False,
                )
            ticket.sla_next_alert_date = next_date

    def _complaint_alert_schedule(self):
        """[(level, date)] of the SLA alerts of this complaint, in order."""
        self.ensure_one()
        company = self._complaint_company()
        start, deadline = self.complaint_date, self.sla_deadline
        schedule = []
        share = (company.complaint_warning_percent or 0.0) / 100.0
        if 0 < share < 1 and start and deadline > start:
            schedule.append((ALERT_WARNING, start + (deadline - start) * share))
        schedule.append((ALERT_BREACH, deadline))
        if company.complaint_escalation_hours:
            schedule.append(
                (
                    ALERT_TEAM_LEADER,
                    deadline + timedelta(hours=company.complaint_escalation_hours),
                )
            )
        if company.complaint_escalation2_hours and company.complaint_manager_id:
            schedule.append(
                (
                    ALERT_MANAGER,
                    deadline + timedelta(hours=company.complaint_escalation2_hours),
                )
            )
        return schedule

    def _complaint_alert_recipient(self, level):
        """User who gets the alert of `level` (a falsy record: nobody)."""
        self.ensure_one()
        company = self._complaint_company()
        officer = company.complaint_officer_id
        if level == ALERT_WARNING:
            return self.user_id or officer
        if level == ALERT_BREACH:
            return officer or self.user_id
        if level == ALERT_TEAM_LEADER:
            return self.team_id.user_id or officer
        return company.complaint_manager_id

    def _complaint_alert_texts(self, level, user):
        """(activity summary, chatter line) of an alert, in `user`'s language."""
        self.ensure_one()
        env = self.with_context(lang=user.lang or self.env.lang).env
        deadline = format_datetime(env, self.sla_deadline, tz=user.tz or "UTC")
        who = user.name or env._("nobody (no recipient configured)")
        if level == ALERT_WARNING:
            company = self._complaint_company()
            summary = env._(
                "SLA warning: %(percent)s%% of the time elapsed",
                percent=round(company.complaint_warning_percent),
            )
            line = env._(
                "SLA warning sent to %(user)s: the complaint must be resolved "
                "by %(deadline)s.",
                user=who,
                deadline=deadline,
            )
        elif level == ALERT_BREACH:
            summary = env._("SLA breached")
            line = env._(
                "SLA breached (deadline %(deadline)s): alert sent to %(user)s.",
                deadline=deadline,
                user=who,
            )
        else:
            summary = env._(
                "SLA breach escalated (level %(level)s)", level=level - ALERT_BREACH
            )
            line = env._(
                "SLA breach escalated to %(user)s (level %(level)s, deadline "
                "%(deadline)s).",
                user=who,
                level=level - ALERT_BREACH,
                deadline=deadline,
            )
        return summary, line

    # -- sending -----------------------------------------------------------------
    def _complaint_create_alerts(self, alerts):
        """Create in batch the activities and chatter notes of `alerts`, a
        list of (ticket, user, summary, line). A recipient gets one activity
        per complaint, naming every alert it covers (the officer may also be
        the team leader and the manager). No e-mail per activity: the
        activity itself is the push, the daily digest the reminder."""
        activity_type = self.env.ref(
            "helpdesk_mgmt_complaint.mail_activity_type_complaint_alert",
            raise_if_not_found=False,
        ) or self.env.ref("mail.mail_activity_data_todo")
        per_recipient = defaultdict(list)
        bodies = defaultdict(list)
        for ticket, user, summary, line in alerts:
            if user:
                per_recipient[ticket.id, user.id].append((summary, line))
            bodies[ticket.id].append(line)
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": ticket_id,
                    "activity_type_id": activity_type.id,
                    "summary": "; ".join(summary for summary, _line in texts),
                    "note": Markup("<br/>").join(line for _summary, line in texts),
                    "user_id": user_id,
                    "date_deadline": today,
                }
                for (ticket_id, user_id), texts in per_recipient.items()
            ]
        )
        if bodies:
            self.browse(list(bodies))._message_log_batch(
                bodies={
                    tid: Markup("<br/>").join(lines) for tid, lines in bodies.items()
                }
            )

    def _complaint_send_sla_alerts(self, now):
        """Send the SLA alerts of `self` due at `now`, each level once.

        A cron that did not run for a while sends every missed escalation
        level, but no longer the warning once the deadline has passed."""
        alerts = []
        by_level = defaultdict(list)
        for ticket in self:
            due = [
                level
                for level, date in ticket._complaint_alert_schedule()
                if level > ticket.sla_alert_level and date <= now
            ]
            if not due:
                # Nothing due after all (settings changed): reschedule.
                self.env.add_to_compute(self._fields["sla_next_alert_date"], ticket)
                continue
            if max(due) >= ALERT_BREACH:
                due = [level for level in due if level >= ALERT_BREACH]
            for level in due:
                user = ticket._complaint_alert_recipient(level)
                alerts.append(
                    (ticket, user, *ticket._complaint_alert_texts(level, user))
                )
            by_level[max(due)].append(ticket.id)
        self._complaint_create_alerts(alerts)
        for level, ids in by_level.items():
            self.browse(ids).sudo().write({"sla_alert_level": level})
        return len(alerts)

    def _complaint_send_inactivity_alerts(self, now):
        alerts = []
        for ticket in self:
            company = ticket._complaint_company()
            user = ticket.user_id or company.complaint_officer_id
            env = ticket.with_context(lang=user.lang or self.env.lang).env
            days = company.complaint_inactivity_days
            alerts.append(
                (
                    ticket,
                    user,
                    env._("No progress for %(days)s days", days=days),
                    env._(
                        "No progress on this complaint for %(days)s days: alert "
                        "sent to %(user)s.",
                        days=days,
                        user=user.name or env._("nobody (no handler)"),
                    ),
                )
            )
        self._complaint_create_alerts(alerts)
        self.sudo().write({"inactivity_alert_date": now})
        return len(alerts)

    @api.model
    def _complaint_sla_alert_where(self, now):
        return SQL(
            "sla_next_alert_date <= %s AND complaint_state IN %s AND active "
            "AND is_complaint",
            now,
            OPEN_STATES,
        )

    @api.model
    def _complaint_inactivity_where(self, now):
        return SQL(
            "complaint_state IN %s AND active AND is_complaint "
            "AND last_progress_date <= %s - interval '1 day' * ("
            "  SELECT c.complaint_inactivity_days FROM res_company c"
            "  WHERE c.id = %s.company_id"
            "    AND c.complaint_inactivity_days > 0) "
            "AND (inactivity_alert_date IS NULL "
            "     OR inactivity_alert_date < last_progress_date)",
            OPEN_STATES,
            now,
            SQL.identifier(self._table),
        )

    @api.model
    def _cron_complaint_sla_alerts(self, batch_size=500):
        """Scheduled action: SLA warnings, breach alerts and escalations."""
        now = fields.Datetime.now()
        return self._complaint_run_batches(
            self._complaint_sla_alert_where(now),
            lambda tickets: tickets._complaint_send_sla_alerts(now),
            batch_size,
        )

    @api.model
    def _cron_complaint_inactivity_alerts(self, batch_size=500):
        """Scheduled action: alert the handler of complaints without progress."""
        now = fields.Datetime.now()
        return self._complaint_run_batches(
            self._complaint_inactivity_where(now),
            lambda tickets: tickets._complaint_send_inactivity_alerts(now),
            batch_size,
        )

    # -- batches of scheduled actions --------------------------------------------
    @api.model
    def _complaint_run_batches(self, where, process, batch_size):
        """Process the complaints matching `where` in batches of `batch_size`.

        Each batch is locked with ``FOR UPDATE SKIP LOCKED`` (another worker
        running the same job takes other rows), processed, flagged by
        `process` (so that it no longer matches `where`) and, in a scheduled
        action, committed with its progress: a crash loses at most the batch
        being processed, which the next run redoes from scratch. Outside a
        scheduled action each batch runs in a savepoint and nothing is
        committed.

        A batch that fails is processed again complaint by complaint: the
        others go out, the failing one gets a note and is left for the next
        run. In a scheduled action a concurrency error (serialization
        failure, deadlock) rolls the batch back and takes it again. Returns
        the number of complaints processed."""
        cr = self.env.cr
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        started = time.monotonic()
        done = 0
        seen = set()
        failed = set()
        retries = 0
        while True:
            try:
                ids = self._complaint_lock_batch(where, batch_size, failed)
                if not ids or seen.intersection(ids):
                    break
                batch_failed = self._complaint_process_batch(ids, process)
                batch_done = len(ids) - len(batch_failed)
                remaining = self._complaint_count_where(where, failed | batch_failed)
                self.env["ir.cron"]._notify_progress(
                    done=done + batch_done, remaining=remaining
                )
                if in_cron:
                    # Committed per batch: what is flagged as sent is never
                    # sent again.
                    cr.commit()  # pylint: disable=invalid-commit
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                if not in_cron or retries >= MAX_TRIES_ON_CONCURRENCY_FAILURE:
                    raise
                # Another worker changed these rows: take them again.
                _logger.info("Complaint batch: concurrent update, retried")
                cr.rollback()
                self.env.invalidate_all()
                retries += 1
                time.sleep(random.uniform(0.0, 0.5 * retries))
                continue
            failed |= batch_failed
            done += batch_done
            retries = 0
            seen.update(ids)
            if in_cron:
                self.env.invalidate_all()
                if time.monotonic() - started > CRON_TIME_BUDGET:
                    break
            if not remaining:
                break
        return done

    @api.model
    def _complaint_lock_batch(self, where, batch_size, exclude):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE %s AND id != ALL(%s) ORDER BY id LIMIT %s "
                "FOR UPDATE SKIP LOCKED",
                SQL.identifier(self._table),
                where,
                list(exclude),
                batch_size,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _complaint_count_where(self, where, exclude):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM %s WHERE %s AND id != ALL(%s)",
                SQL.identifier(self._table),
                where,
                list(exclude),
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _complaint_process_batch(self, ids, process):
        """Run `process` on the complaints `ids` in a savepoint; when it fails,
        again one complaint at a time. Returns the ids that failed alone."""
        tickets = self.sudo().browse(ids)
        try:
            with self.env.cr.savepoint():
                process(tickets)
                tickets.filtered("complaint_cron_error").complaint_cron_error = False
            return set()
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise
        except Exception:  # noqa: BLE001 - isolate the record, keep the batch
            _logger.warning(
                "Complaints %s-%s: batch failed, retried one by one",
                ids[0],
                ids[-1],
                exc_info=True,
            )
        failed = set()
        for ticket in tickets:
            try:
                with self.env.cr.savepoint():
                    process(ticket)
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise
            except Exception as error:  # noqa: BLE001
                _logger.exception(
                    "Complaint %s: scheduled processing failed", ticket.id
                )
                failed.add(ticket.id)
                ticket._complaint_note_failure(error)
        return failed

    def _complaint_note_failure(self, error):
        """Say on the chatter, once per distinct error, that a scheduled
        action could not process this complaint (it is retried next run)."""
        self.ensure_one()
        message = str(error)[:500] or type(error).__name__
        if self.complaint_cron_error == message:
            return
        try:
            with self.env.cr.savepoint():
                self.complaint_cron_error = message
                self._complaint_log(
                    self.env._(
                        "A scheduled action could not process this complaint; "
                        "it will try again on its next run. Error: %(error)s",
                        error=message,
                    )
                )
        except Exception:  # noqa: BLE001 - the server log keeps the error
            _logger.exception("Complaint %s: could not note the failure", self.id)

    # -- daily digest ------------------------------------------------------------
    @api.model
    def _complaint_digest_recipients(self):
        """{user: overdue complaints} -- each handler gets theirs, each
        company's customer-relations officer all of the company's."""
        domain = [("is_complaint", "=", True), ("sla_expired", "=", True)]
        by_user = defaultdict(lambda: self.browse())
        for user, tickets in self._read_group(domain, ["user_id"], ["id:recordset"]):
            if user:
                by_user[user] |= tickets
        for company, tickets in self._read_group(
            domain, ["company_id"], ["id:recordset"]
        ):
            if company.complaint_officer_id:
                by_user[company.complaint_officer_id] |= tickets
        return by_user

    @api.model
    def _cron_complaint_digest(self):
        """Scheduled action: one e-mail a day per responsible person listing
        their overdue complaints with links. A user gets it at most once a
        day (``res.users.complaint_digest_date``); mails and flags are
        written in one transaction, so a crash sends nothing and a rerun
        sends what is missing."""
        today = fields.Date.context_today(self)
        base_url = self.get_base_url()
        mail_vals = []
        done_users = self.env["res.users"]
        for user, tickets in self._complaint_digest_recipients().items():
            if user.complaint_digest_date == today or not user.active:
                continue
            if not user.email:
                done_users |= user
                continue
            lang_self = self.with_context(lang=user.lang or self.env.lang)
            tickets = tickets.with_context(lang=user.lang).sorted("sla_deadline")
            body = (
                self.env["ir.qweb"]
                .with_context(lang=user.lang)
                ._render(
                    "helpdesk_mgmt_complaint.complaint_digest_mail",
                    {
                        "user": user,
                        "tickets": tickets,
                        "base_url": base_url,
                        "format_datetime": lambda dt, e=lang_self.env, tz=user.tz: (
                            format_datetime(e, dt, tz=tz or "UTC", dt_format="short")
                        ),
                    },
                )
            )
            company = tickets[:1]._complaint_company()
            mail_vals.append(
                {
                    "subject": lang_self.env._(
                        "%(count)s overdue complaint(s)", count=len(tickets)
                    ),
                    "body_html": body,
                    "email_from": company.email_formatted
                    or self.env.user.email_formatted,
                    "recipient_ids": [fields.Command.link(user.partner_id.id)],
                    "auto_delete": True,
                }
            )
            done_users |= user
        mails = self.env["mail.mail"].sudo().create(mail_vals)
        done_users.sudo().write({"complaint_digest_date": today})
        self.env["ir.cron"]._notify_progress(done=len(mails), remaining=0)
        return mails
