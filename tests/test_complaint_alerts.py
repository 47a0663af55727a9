from datetime import datetime
from unittest.mock import patch

import psycopg2.errors
from freezegun import freeze_time

from odoo import SUPERUSER_ID
from odoo.tests import new_test_user

from .common import ComplaintCase


class WorkerKilled(BaseException):
    """A worker dying mid-batch: not an error the cron can isolate."""


class TestComplaintAlerts(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leader = new_test_user(
            cls.env,
            login="hmc_leader",
            name="Team Leader",
            groups="helpdesk_mgmt.group_helpdesk_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="hmc_manager",
            name="Service Manager",
            groups="helpdesk_mgmt.group_helpdesk_user",
        )
        cls.team.user_id = cls.leader
        cls.company.write(
            {
                "complaint_warning_percent": 75,
                "complaint_escalation_hours": 24,
                "complaint_escalation2_hours": 72,
                "complaint_manager_id": cls.manager.id,
                "complaint_inactivity_days": 7,
            }
        )
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.alert_type = cls.env.ref(
            "helpdesk_mgmt_complaint.mail_activity_type_complaint_alert"
        )

    def _alerts(self, tickets):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "helpdesk.ticket"),
                ("res_id", "in", tickets.ids),
                ("activity_type_id", "=", self.alert_type.id),
            ]
        )

    def _run_sla_cron(self, at, **kwargs):
        with freeze_time(at):
            return self.Ticket._cron_complaint_sla_alerts(**kwargs)

    def test_each_alert_level_once(self):
        with freeze_time("2026-01-09 14:00:00"):
            complaint = self._create_complaint(user_id=self.handler.id)
        # 48 h SLA: warning at 75 % (36 h), breach at 48 h, team leader 24 h
        # later, service manager 72 h after the deadline.
        self.assertEqual(complaint.sla_next_alert_date, datetime(2026, 1, 11, 2))
        steps = [
            ("2026-01-11 01:59:00", 0, self.env["res.users"]),
            ("2026-01-11 02:00:00", 1, self.handler),
            ("2026-01-11 14:00:00", 2, self.officer),
            ("2026-01-12 14:00:00", 3, self.leader),
            ("2026-01-14 14:00:00", 4, self.manager),
        ]
        expected_users = self.env["res.users"]
        for at, level, user in steps:
            expected_users |= user
            for _run in range(2):  # a second run sends nothing twice
                self._run_sla_cron(at)
                alerts = self._alerts(complaint)
                self.assertEqual(complaint.sla_alert_level, level, at)
                self.assertEqual(len(alerts), len(expected_users), at)
                self.assertEqual(alerts.user_id, expected_users, at)
        self.assertFalse(complaint.sla_next_alert_date)
        self._run_sla_cron("2026-03-01 00:00:00")
        self.assertEqual(len(self._alerts(complaint)), 4)
        notes = complaint.message_ids.filtered(
            lambda m: "SLA" in (m.body or "") and m.is_internal
        )
        self.assertEqual(len(notes), 4)
        self.assertIn("Service Manager", notes[0].body)
        warning = self._alerts(complaint).filtered(lambda a: a.user_id == self.handler)
        self.assertIn("75%", warning.summary)

    def test_late_cron_skips_warning_but_not_escalations(self):
        with freeze_time("2026-01-09 14:00:00"):
            complaint = self._create_complaint(user_id=self.handler.id)
        self._run_sla_cron("2026-01-12 15:00:00")
        alerts = self._alerts(complaint)
        self.assertEqual(alerts.user_id, self.officer | self.leader)
        self.assertEqual(complaint.sla_alert_level, 3)
        self.assertEqual(complaint.sla_next_alert_date, datetime(2026, 1, 14, 14))

    def test_disabled_levels_and_closed_complaints(self):
        self.company.write(
            {
                "complaint_warning_percent": 0,
                "complaint_escalation_hours": 0,
                "complaint_manager_id": False,
            }
        )
        with freeze_time("2026-01-09 14:00:00"):
            open_one = self._create_complaint(user_id=self.handler.id)
            closed = self._create_complaint(user_id=self.handler.id)
            closed.topic_ids = self.topic_delay
            closed.with_user(self.officer).action_complaint_close()
            plain = self.Ticket.create(
                {"name": "x", "description": "<p>x</p>", "team_id": self.plain_team.id}
            )
        self.assertEqual(open_one.sla_next_alert_date, datetime(2026, 1, 11, 14))
        self.assertFalse(closed.sla_next_alert_date)
        self.assertFalse(plain.sla_next_alert_date)
        self._run_sla_cron("2026-02-01 00:00:00")
        self.assertEqual(self._alerts(open_one).user_id, self.officer)
        self.assertFalse(self._alerts(closed | plain))
        self.assertFalse(open_one.sla_next_alert_date)

    def test_settings_change_reschedules(self):
        with freeze_time("2026-01-09 14:00:00"):
            complaint = self._create_complaint()
        self.assertEqual(complaint.sla_next_alert_date, datetime(2026, 1, 11, 2))
        self.company.complaint_warning_percent = 50
        self.assertEqual(complaint.sla_next_alert_date, datetime(2026, 1, 10, 14))

    def test_interrupted_cron_resumes_exactly_once(self):
        with freeze_time("2026-01-09 14:00:00"):
            complaints = self.Ticket.create(
                [self._complaint_vals(name=f"C{i}") for i in range(5)]
            )
        original = type(self.Ticket)._complaint_send_sla_alerts
        calls = []

        def crash_on_second_batch(tickets, now):
            calls.append(tickets.ids)
            if len(calls) == 2:
                original(tickets, now)
                raise WorkerKilled("worker killed")
            return original(tickets, now)

        with patch.object(
            type(self.Ticket),
            "_complaint_send_sla_alerts",
            crash_on_second_batch,
            create=True,
        ):
            with self.assertRaisesRegex(WorkerKilled, "worker killed"):
                self._run_sla_cron("2026-01-11 15:00:00", batch_size=2)
        self.env.invalidate_all()
        # The first batch is done, the crashed one left no trace.
        self.assertEqual(len(self._alerts(complaints)), 2)
        self.assertEqual(
            sorted(complaints.filtered(lambda c: c.sla_alert_level == 2).ids),
            sorted(calls[0]),
        )
        with patch.object(type(self.env["ir.cron"]), "_notify_progress") as progress:
            done = self._run_sla_cron("2026-01-11 15:00:00", batch_size=2)
        self.assertEqual(done, 3)
        self.assertEqual(
            [c.kwargs for c in progress.call_args_list],
            [{"done": 2, "remaining": 1}, {"done": 3, "remaining": 0}],
        )
        alerts = self._alerts(complaints)
        self.assertEqual(len(alerts), 5)
        self.assertEqual(alerts.mapped("res_id").__len__(), 5)
        self.assertEqual(set(complaints.mapped("sla_alert_level")), {2})
        self.assertEqual(self._run_sla_cron("2026-01-11 15:30:00"), 0)
        self.assertEqual(len(self._alerts(complaints)), 5)

    def test_inactivity_alert(self):
        Ticket = self.Ticket
        with freeze_time("2026-01-05 09:00:00"):
            complaint = self._create_complaint(user_id=self.handler.id)
        self.company.complaint_warning_percent = 0
        self.company.complaint_escalation_hours = 0
        self.company.complaint_escalation2_hours = 0

        def inactivity_alerts():
            return self._alerts(complaint).filtered(
                lambda a: "No progress" in a.summary
            )

        with freeze_time("2026-01-12 08:59:00"):
            Ticket._cron_complaint_inactivity_alerts()
        self.assertFalse(inactivity_alerts())
        with freeze_time("2026-01-12 09:01:00"):
            Ticket._cron_complaint_inactivity_alerts()
            Ticket._cron_complaint_inactivity_alerts()
        self.assertEqual(len(inactivity_alerts()), 1)
        self.assertEqual(inactivity_alerts().user_id, self.handler)
        # A message of the handler is progress; the customer's is not.
        with freeze_time("2026-01-13 10:00:00"):
            complaint.with_user(self.handler).message_post(
                body="Parts ordered",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        self.assertEqual(complaint.last_progress_date, datetime(2026, 1, 13, 10))
        with freeze_time("2026-01-14 10:00:00"):
            complaint.message_post(
                body="Any news?",
                author_id=self.customer.id,
                message_type="email",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(complaint.last_progress_date, datetime(2026, 1, 13, 10))
        # Nor is a note of the system (OdooBot, posted by the superuser).
        with freeze_time("2026-01-14 11:00:00"):
            complaint.with_user(SUPERUSER_ID).message_post(
                body="Automatic check", message_type="comment"
            )
        self.assertEqual(complaint.last_progress_date, datetime(2026, 1, 13, 10))
        with freeze_time("2026-01-20 09:00:00"):
            Ticket._cron_complaint_inactivity_alerts()
        self.assertEqual(len(inactivity_alerts()), 1)
        with freeze_time("2026-01-20 10:01:00"):
            Ticket._cron_complaint_inactivity_alerts()
            Ticket._cron_complaint_inactivity_alerts()
        self.assertEqual(len(inactivity_alerts()), 2)
        # A stage change is progress too.
        with freeze_time("2026-01-21 10:00:00"):
            complaint.stage_id = self.stage_analysed
        self.assertEqual(complaint.last_progress_date, datetime(2026, 1, 21, 10))
        with freeze_time("2026-01-27 10:00:00"):
            Ticket._cron_complaint_inactivity_alerts()
        self.assertEqual(len(inactivity_alerts()), 2)

    def test_inactivity_disabled(self):
        self.company.complaint_inactivity_days = 0
        with freeze_time("2026-01-05 09:00:00"):
            complaint = self._create_complaint(user_id=self.handler.id)
        with freeze_time("2026-03-01 09:00:00"):
            self.assertEqual(self.Ticket._cron_complaint_inactivity_alerts(), 0)
        self.assertFalse(complaint.inactivity_alert_date)

    def test_daily_digest_once_a_day(self):
        other = new_test_user(
            self.env,
            login="hmc_other",
            name="Other Handler",
            email="other@example.com",
            groups="helpdesk_mgmt.group_helpdesk_user",
        )
        self.handler.email = "handler@example.com"
        self.officer.email = "officer@example.com"
        with freeze_time("2026-01-05 09:00:00"):
            late1 = self._create_complaint(user_id=self.handler.id)
            late2 = self._create_complaint(user_id=self.handler.id)
            late3 = self._create_complaint(user_id=other.id)
        with freeze_time("2026-01-06 09:00:00"):
            on_time = self._create_complaint(user_id=self.handler.id)
        Mail = self.env["mail.mail"]
        with freeze_time("2026-01-07 10:00:00"):
            mails = self.Ticket._cron_complaint_digest()
            self.assertFalse(self.Ticket._cron_complaint_digest())
        by_user = {mail.recipient_ids.user_ids: mail for mail in mails}
        self.assertEqual(set(by_user), {self.handler, other, self.officer})
        handler_mail = by_user[self.handler]
        self.assertIn("2 overdue complaint", handler_mail.subject)
        for complaint in late1 | late2:
            self.assertIn(complaint.number, handler_mail.body_html)
            self.assertIn(
                f"/odoo/helpdesk.ticket/{complaint.id}", handler_mail.body_html
            )
        self.assertNotIn(on_time.number, handler_mail.body_html)
        self.assertNotIn(late3.number, handler_mail.body_html)
        self.assertIn(late3.number, by_user[self.officer].body_html)
        self.assertIn("3 overdue complaint", by_user[self.officer].subject)
        # Next day: sent again (still overdue); closed ones drop out.
        late3.topic_ids = self.topic_delay
        late3.with_user(self.officer).action_complaint_close()
        with freeze_time("2026-01-08 10:00:00"):
            mails = self.Ticket._cron_complaint_digest()
        self.assertEqual(mails.recipient_ids.user_ids, self.handler | self.officer)
        self.assertTrue(Mail.search_count([("id", "in", mails.ids)]))

    def test_scheduled_action_commits_per_batch_and_reports_progress(self):
        with freeze_time("2026-01-09 14:00:00"):
            complaints = self.Ticket.create(
                [self._complaint_vals(name=f"C{i}") for i in range(3)]
            )
        cron = self.env.ref("helpdesk_mgmt_complaint.ir_cron_complaint_sla_alerts")
        cron.code = "model._cron_complaint_sla_alerts(batch_size=2)"
        with (
            freeze_time("2026-01-11 15:00:00"),
            patch.object(self.env.cr, "commit") as commit,
        ):
            cron.method_direct_trigger()
        # One commit per batch, in the scheduled action only.
        self.assertEqual(commit.call_count, 2)
        self.assertEqual(len(self._alerts(complaints)), 3)
        progress = self.env["ir.cron.progress"].search(
            [("cron_id", "=", cron.id)], order="id desc", limit=1
        )
        self.assertEqual((progress.done, progress.remaining), (3, 0))
        for xmlid in (
            "ir_cron_complaint_inactivity_alerts",
            "ir_cron_complaint_digest",
        ):
            with patch.object(self.env.cr, "commit"):
                self.env.ref(f"helpdesk_mgmt_complaint.{xmlid}").method_direct_trigger()

    def test_one_activity_per_recipient_when_one_person_holds_every_role(self):
        # The officer is also the team leader and the service manager; the
        # cron was down, so breach and both escalations are due at once.
        self.team.user_id = self.officer
        self.company.complaint_manager_id = self.officer
        with freeze_time("2026-01-09 14:00:00"):
            complaints = self.Ticket.create(
                [
                    self._complaint_vals(user_id=self.handler.id, name=f"C{i}")
                    for i in range(3)
                ]
            )
        self.assertEqual(self._run_sla_cron("2026-01-20 00:00:00"), 3)
        alerts = self._alerts(complaints)
        self.assertEqual(len(alerts), 3)
        self.assertEqual(alerts.user_id, self.officer)
        for alert in alerts:
            self.assertIn("SLA breached", alert.summary)
            self.assertIn("level 2", alert.summary)
        self.assertEqual(set(complaints.mapped("sla_alert_level")), {4})
        self.assertEqual(
            complaints.message_partner_ids & self.officer.partner_id,
            self.officer.partner_id,
        )
        self.assertEqual(self._run_sla_cron("2026-01-20 01:00:00"), 0)

    def test_failing_complaint_is_isolated_and_retried(self):
        with freeze_time("2026-01-09 14:00:00"):
            complaints = self.Ticket.create(
                [self._complaint_vals(name=f"C{i}") for i in range(5)]
            )
        bad = complaints[2]
        original = type(self.Ticket)._complaint_alert_texts

        def broken_for_one(ticket, level, user):
            if ticket == bad:
                raise ValueError("broken template")
            return original(ticket, level, user)

        with patch.object(type(self.Ticket), "_complaint_alert_texts", broken_for_one):
            with self.assertLogs(
                "odoo.addons.helpdesk_mgmt_complaint", level="WARNING"
            ):
                done = self._run_sla_cron("2026-01-11 15:00:00", batch_size=2)
            self.assertEqual(done, 4)
            self.assertEqual(self._alerts(complaints).mapped("res_id").__len__(), 4)
            self.assertFalse(self._alerts(bad))
            self.assertEqual(bad.sla_alert_level, 0)
            self.assertEqual(bad.complaint_cron_error, "broken template")
            notes = bad.message_ids.filtered(lambda m: "could not process" in m.body)
            self.assertEqual(len(notes), 1)
            # Next run: still failing, no second note; the others are done.
            self.assertEqual(self._run_sla_cron("2026-01-11 15:15:00"), 0)
            notes = bad.message_ids.filtered(lambda m: "could not process" in m.body)
            self.assertEqual(len(notes), 1)
        # Mended: the next run sends it and clears the error.
        self.assertEqual(self._run_sla_cron("2026-01-11 15:30:00"), 1)
        self.assertEqual(len(self._alerts(bad)), 1)
        self.assertFalse(bad.complaint_cron_error)

    def test_concurrent_update_retried_in_scheduled_action(self):
        with freeze_time("2026-01-09 14:00:00"):
            complaints = self.Ticket.create(
                [self._complaint_vals(name=f"C{i}") for i in range(3)]
            )
        original = type(self.Ticket)._complaint_send_sla_alerts
        calls = []

        def conflict_once(tickets, now):
            calls.append(tickets.ids)
            if len(calls) == 1:
                raise psycopg2.errors.SerializationFailure("concurrent update")
            return original(tickets, now)

        cron = self.env.ref("helpdesk_mgmt_complaint.ir_cron_complaint_sla_alerts")
        cron.code = "model._cron_complaint_sla_alerts(batch_size=2)"
        with (
            freeze_time("2026-01-11 15:00:00"),
            patch.object(self.env.cr, "commit"),
            patch.object(self.env.cr, "rollback") as rollback,
            patch.object(
                type(self.Ticket), "_complaint_send_sla_alerts", conflict_once
            ),
            patch("time.sleep"),
        ):
            cron.method_direct_trigger()
        self.assertEqual(rollback.call_count, 1)
        self.assertEqual(calls[0], calls[1])
        alerts = self._alerts(complaints)
        self.assertEqual(len(alerts), 3)
        self.assertEqual(len(set(alerts.mapped("res_id"))), 3)
