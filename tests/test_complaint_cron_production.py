"""Scheduled actions as the server runs them, on the shipped demo data.

``tools/test`` copies the freshly installed demo database (addon and demo
data, nothing else) to ``$HMC_CRON_DB`` before the suite starts. These tests
open that copy with a registry and cursors of their own and **commit**, as
the cron worker does: on the test database itself every change is rolled
back, which hid a cron that raised on every run of the demo database.

* each scheduled action goes through ``ir.cron``'s own path
  (``_acquire_one_job`` + ``_process_job``, what the cron thread calls),
  twice: the first run sends something, the second nothing, no error logged;
* the SLA and inactivity crons run from two threads each, with their own
  connections, over a few thousand due complaints at once: each alert is
  sent exactly once and none is lost.
"""

import logging
import os
import threading
from datetime import timedelta
from unittest.mock import patch

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, tagged

COPY_ENV = "HMC_CRON_DB"
CRONS = (
    "ir_cron_complaint_sla_alerts",
    "ir_cron_complaint_inactivity_alerts",
    "ir_cron_complaint_digest",
)
ALERT_TYPE = "helpdesk_mgmt_complaint.mail_activity_type_complaint_alert"


@tagged("post_install", "-at_install")
class TestComplaintCronProduction(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.db_name = os.environ.get(COPY_ENV)
        if not cls.db_name:
            raise RuntimeError(
                f"{COPY_ENV} is not set: run the suite with tools/test, which "
                "copies the installed demo database for these tests."
            )
        # Load the copy's registry without running its tests again.
        with patch.dict(odoo.tools.config.options, test_enable=False):
            cls.registry = Registry(cls.db_name)

    def env_of(self, cr, **context):
        return api.Environment(cr, SUPERUSER_ID, context)

    def _run_like_server(self, xmlid):
        """Run one scheduled action as the cron thread does, now."""
        with self.registry.cursor() as cr:
            cron = self.env_of(cr).ref(f"helpdesk_mgmt_complaint.{xmlid}")
            cron.write({"nextcall": fields.Datetime.now() - timedelta(minutes=1)})
            cron_id = cron.id
        db = odoo.sql_db.db_connect(self.db_name)
        IrCron = self.registry["ir.cron"]
        with db.cursor() as cron_cr:
            job = IrCron._acquire_one_job(cron_cr, cron_id)
            self.assertTrue(job, f"{xmlid} could not be acquired")
            IrCron._process_job(db, cron_cr, job)
        with self.registry.cursor() as cr:
            return self.env_of(cr)["ir.cron"].browse(cron_id).failure_count

    def _sent(self):
        """(alert activities, alert notes, digest mails) in the copy."""
        with self.registry.cursor() as cr:
            env = self.env_of(cr)
            activities = env["mail.activity"].search_count(
                [("activity_type_id", "=", env.ref(ALERT_TYPE).id)]
            )
            notes = env["mail.message"].search_count(
                [
                    ("model", "=", "helpdesk.ticket"),
                    ("message_type", "=", "notification"),
                    "|",
                    "|",
                    ("body", "ilike", "SLA"),
                    ("body", "ilike", "No progress"),
                    ("body", "ilike", "scheduled action"),
                ]
            )
            mails = env["mail.mail"].search_count(
                [("subject", "ilike", "overdue complaint")]
            )
            return activities, notes, mails

    def _one_person_all_roles(self):
        """The demo's officer is also the team leader and the service
        manager, with short escalation delays; returns the officer's id."""
        with self.registry.cursor() as cr:
            env = self.env_of(cr)
            company = env.ref("base.main_company")
            officer = company.complaint_officer_id
            self.assertTrue(officer, "the demo configures an officer")
            env.ref(
                "helpdesk_mgmt_complaint.helpdesk_team_complaints"
            ).user_id = officer
            company.write(
                {
                    "complaint_manager_id": officer.id,
                    "complaint_escalation_hours": 1,
                    "complaint_escalation2_hours": 2,
                }
            )
            officer.partner_id.email = officer.partner_id.email or "officer@example.com"
            return officer.id

    def test_01_demo_crons_through_ir_cron(self):
        self._one_person_all_roles()
        before = self._sent()
        with self.assertNoLogs("odoo.addons.base.models.ir_cron", level="ERROR"):
            with self.assertNoLogs("odoo.addons.helpdesk_mgmt_complaint", "WARNING"):
                failures = [self._run_like_server(xmlid) for xmlid in CRONS]
        self.assertEqual(failures, [0, 0, 0])
        first = self._sent()
        activities, notes, mails = (a - b for a, b in zip(first, before, strict=True))
        self.assertGreater(activities, 0, "the SLA / inactivity alerts went out")
        self.assertGreater(notes, 0)
        self.assertGreater(mails, 0, "the daily digest went out")
        with self.registry.cursor() as cr:
            env = self.env_of(cr)
            # One alert activity per (complaint, recipient), however many
            # levels it covers.
            groups = env["mail.activity"]._read_group(
                [("activity_type_id", "=", env.ref(ALERT_TYPE).id)],
                ["res_id", "user_id"],
                ["__count"],
                having=[("__count", ">", 1)],
            )
            # The inactivity alert goes to the handler, the SLA one to the
            # officer: the same person only for the officer's own complaints.
            self.assertFalse(
                [g for g in groups if g[2] > 2], "duplicate alert activities"
            )
            self.assertFalse(
                env["helpdesk.ticket"].search_count(
                    [("complaint_cron_error", "!=", False)]
                )
            )
        with self.assertNoLogs("odoo.addons.base.models.ir_cron", level="ERROR"):
            failures = [self._run_like_server(xmlid) for xmlid in CRONS]
        self.assertEqual(failures, [0, 0, 0])
        self.assertEqual(self._sent(), first, "a second run sends nothing")

    def _insert_due_complaints(self, cr, count):
        """`count` open complaints registered 10 days ago and never alerted
        (the cron was down): breach and both escalations are due, and the
        inactivity alert."""
        env = self.env_of(cr)
        team = env.ref("helpdesk_mgmt_complaint.helpdesk_team_complaints")
        stage = env.ref("helpdesk_mgmt_complaint.stage_complaint_registered")
        handler = env.ref("helpdesk_mgmt_complaint.user_dana_levi_demo")
        partner = env.ref("base.res_partner_2")
        channel = env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        cr.execute(
            """
            INSERT INTO helpdesk_ticket (
                number, name, description, company_id, team_id, stage_id,
                complaint_state, unattended, partner_id, commercial_partner_id,
                channel_id, is_complaint, urgency, priority, kanban_state,
                sequence, active, complaint_date, sla_deadline,
                last_stage_update, user_id, sla_alert_level,
                sla_next_alert_date, last_progress_date, sla_met,
                resolution_hours, first_response_hours, rating_status,
                create_uid, write_uid, create_date, write_date)
            SELECT 'CRON' || lpad(i::text, 6, '0'), 'Due complaint ' || i,
                   '<p>Still waiting.</p>', %(company)s, %(team)s, %(stage)s,
                   'registered', false, %(partner)s, %(partner)s, %(channel)s,
                   true, 'normal', '1', 'normal', 10, true, d, d + interval '48 hours',
                   d, %(user)s, 0, d + interval '36 hours', d, false, 0, 0,
                   'stage_change', 1, 1, d, d
              FROM generate_series(1, %(count)s) i,
                   LATERAL (SELECT (now() at time zone 'utc')
                                   - interval '10 days' AS d) dd
            RETURNING id
            """,
            {
                "company": team.company_id.id or env.company.id,
                "team": team.id,
                "stage": stage.id,
                "partner": partner.id,
                "channel": channel.id,
                "user": handler.id,
                "count": count,
            },
        )
        return [row[0] for row in cr.fetchall()]

    def _run_method_in_thread(self, method, barrier, errors):
        def target():
            try:
                with self.registry.cursor() as cr:
                    env = self.env_of(cr)
                    xmlid = {
                        "_cron_complaint_sla_alerts": CRONS[0],
                        "_cron_complaint_inactivity_alerts": CRONS[1],
                    }[method]
                    cron, _progress = env.ref(
                        f"helpdesk_mgmt_complaint.{xmlid}"
                    )._add_progress()
                    cr.commit()
                    barrier.wait()
                    model = cron.env["helpdesk.ticket"]
                    getattr(model, method)(batch_size=100)
                    cr.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                logging.getLogger(__name__).exception("worker failed")
                errors.append(error)

        return threading.Thread(target=target)

    def test_02_two_workers_send_each_alert_once(self):
        count = 2000
        officer_id = self._one_person_all_roles()
        with self.registry.cursor() as cr:
            ids = self._insert_due_complaints(cr, count)
        methods = ["_cron_complaint_sla_alerts", "_cron_complaint_inactivity_alerts"]
        barrier = threading.Barrier(4)
        errors = []
        threads = [
            self._run_method_in_thread(method, barrier, errors)
            for method in methods * 2
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
        self.assertFalse(errors)
        # What a worker skipped (locked by the other) goes out on the next run.
        for method in methods:
            self._run_method_in_thread(method, threading.Barrier(1), errors).run()
        self.assertFalse(errors)
        with self.registry.cursor() as cr:
            env = self.env_of(cr)
            tickets = env["helpdesk.ticket"].browse(ids)
            self.assertEqual(set(tickets.mapped("sla_alert_level")), {4})
            self.assertFalse(tickets.filtered(lambda t: not t.inactivity_alert_date))
            alert_type = env.ref(ALERT_TYPE)
            per_ticket = env["mail.activity"]._read_group(
                [
                    ("res_model", "=", "helpdesk.ticket"),
                    ("res_id", "in", ids),
                    ("activity_type_id", "=", alert_type.id),
                ],
                ["user_id"],
                ["__count", "res_id:count_distinct"],
            )
            by_user = {user: (n, distinct) for user, n, distinct in per_ticket}
            # The officer (breach, team leader, manager: one activity) and
            # the handler (inactivity): one each per complaint, none twice.
            officer = env["res.users"].browse(officer_id)
            self.assertEqual(by_user[officer], (count, count))
            handler = env.ref("helpdesk_mgmt_complaint.user_dana_levi_demo")
            self.assertEqual(by_user[handler], (count, count))
            breach_notes = env["mail.message"]._read_group(
                [
                    ("model", "=", "helpdesk.ticket"),
                    ("res_id", "in", ids),
                    ("body", "ilike", "SLA breached (deadline"),
                ],
                [],
                ["__count", "res_id:count_distinct"],
            )[0]
            self.assertEqual(breach_notes, (count, count))

    def test_03_repair_alerts_through_ir_cron(self):
        """The repair timeliness cron on the demo copy (a request sent 5 days
        ago and not started, returns overdue), as the server runs it: it
        alerts, and a second run alerts nothing more."""
        self._one_person_all_roles()

        def state():
            with self.registry.cursor() as cr:
                env = self.env_of(cr)
                Repair = env["helpdesk.complaint.repair"]
                return (
                    Repair.search_count([("start_alert_date", "!=", False)]),
                    Repair.search_count([("return_alert_date", "!=", False)]),
                    env["mail.activity"].search_count(
                        [("res_model", "=", "helpdesk.ticket")]
                    ),
                )

        before = state()
        xmlid = "ir_cron_complaint_repair_alerts"
        with self.assertNoLogs("odoo.addons.base.models.ir_cron", level="ERROR"):
            self.assertEqual(self._run_like_server(xmlid), 0)
        first = state()
        self.assertGreater(first[0], before[0], "a late start was alerted")
        self.assertGreater(first[2], before[2], "the handler got an activity")
        with self.assertNoLogs("odoo.addons.base.models.ir_cron", level="ERROR"):
            self.assertEqual(self._run_like_server(xmlid), 0)
        self.assertEqual(state(), first, "a second run alerts nothing more")

    def test_04_customer_updates_through_ir_cron(self):
        """Every demo complaint's customer messages were queued at install
        (they are never rendered in the request that registers or moves a
        complaint): the triggered scheduled action sends them on the demo
        copy as the server runs it, and a second run sends nothing."""

        def state():
            with self.registry.cursor() as cr:
                env = self.env_of(cr)
                return (
                    env["helpdesk.ticket"].search_count(
                        [("complaint_notify_pending", "=", True)]
                    ),
                    env["mail.message"].search_count(
                        [("model", "=", "helpdesk.ticket")]
                    ),
                )

        pending, messages = state()
        self.assertGreater(pending, 0, "the demo complaints were queued")
        xmlid = "ir_cron_complaint_notify"
        with self.assertNoLogs("odoo.addons.base.models.ir_cron", level="ERROR"):
            self.assertEqual(self._run_like_server(xmlid), 0)
        pending_after, messages_after = state()
        self.assertEqual(pending_after, 0, "every queued complaint was handled")
        self.assertGreater(messages_after, messages, "the messages went out")
        with self.assertNoLogs("odoo.addons.base.models.ir_cron", level="ERROR"):
            self.assertEqual(self._run_like_server(xmlid), 0)
        self.assertEqual(state(), (0, messages_after), "nothing sent twice")
