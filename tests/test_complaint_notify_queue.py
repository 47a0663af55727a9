import re
from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from odoo import fields, sql_db
from odoo.tools import SQL

from odoo.addons.mail.tests.common import MailCase

from .common import ComplaintCase


class TestComplaintNotifyQueue(ComplaintCase, MailCase):
    """Customer messages go through the scheduled action that the change
    triggers, once each, however many complaints changed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"email": "garage@example.com", "complaint_notify_email": True}
        )
        cls.customers = cls.env["res.partner"].create(
            [
                {"name": f"Customer {i}", "email": f"customer{i}@example.com"}
                for i in range(60)
            ]
        )
        cls.received = cls.env.ref(
            "helpdesk_mgmt_complaint.mail_template_complaint_received"
        )

    def _received_messages(self, complaints):
        return self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "in", complaints.ids),
                ("subject", "like", "We received your complaint"),
            ]
        )

    def test_single_complaint_is_queued_and_sent_by_the_cron(self):
        """The request that registers a complaint does not render its
        messages: it queues them and triggers the scheduled action."""
        cron = self.env.ref("helpdesk_mgmt_complaint.ir_cron_complaint_notify")
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search([("cron_id", "=", cron.id)])
        complaint = self._create_complaint()
        self.assertTrue(complaint.complaint_notify_pending)
        self.assertFalse(self._received_messages(complaint))
        self.assertEqual(len(Trigger.search([("cron_id", "=", cron.id)]) - before), 1)
        self._send_customer_updates()
        self.assertFalse(complaint.complaint_notify_pending)
        self.assertEqual(len(self._received_messages(complaint)), 1)

    def test_queue_does_not_wake_the_cron_workers_at_once(self):
        """The trigger is due in a few seconds, not now: Odoo would wake the
        cron workers at commit over a new connection to the "postgres"
        database, for each change. The changes of a burst share it, and the
        next wake-up sends everything queued meanwhile."""
        cron = self.env.ref("helpdesk_mgmt_complaint.ir_cron_complaint_notify")
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search([("cron_id", "=", cron.id)])
        start = fields.Datetime.now()
        complaints = self._create_complaint() | self._create_complaint(
            partner_id=self.customers[1].id
        )
        wake_ups = [
            func
            for func in self.env.cr.postcommit._funcs
            if getattr(func, "__name__", "") == "_notifydb"
        ]
        self.assertFalse(wake_ups)
        triggers = Trigger.search([("cron_id", "=", cron.id)]) - before
        self.assertEqual(len(triggers), 1, "the second change reuses the trigger")
        self.assertGreater(triggers.call_at, start)
        self.assertLessEqual(triggers.call_at, start + timedelta(seconds=6))
        self.assertEqual(
            self.env["helpdesk.ticket"]._cron_complaint_notify_customers(), 2
        )
        self.assertEqual(len(self._received_messages(complaints)), 2)

    def test_trigger_due_too_soon_is_not_reused(self):
        """A pending trigger due within the margin may start its run before
        this change is committed: the change gets a trigger of its own."""
        cron = self.env.ref("helpdesk_mgmt_complaint.ir_cron_complaint_notify")
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search([("cron_id", "=", cron.id)])
        soon = cron._trigger(fields.Datetime.now() + timedelta(seconds=1))
        self._create_complaint()
        triggers = Trigger.search([("cron_id", "=", cron.id)]) - before - soon
        self.assertEqual(len(triggers), 1)
        self.assertGreater(triggers.call_at, soon.call_at)

    @contextmanager
    def _statements(self):
        """The SQL statements run inside the block."""
        seen = []
        execute = sql_db.Cursor.execute

        def spy(cr, query, params=None, log_exceptions=True):
            seen.append(query.code if isinstance(query, SQL) else str(query))
            return execute(cr, query, params, log_exceptions)

        with patch.object(sql_db.Cursor, "execute", spy):
            yield seen

    def test_stage_move_saves_the_flag_with_the_move(self):
        """The queued flag is written by the move's own UPDATE: one new
        version of the complaint's row, not two (each version writes every
        index of the table again)."""
        complaint = self._create_complaint(partner_id=self.customers[0].id)
        self._send_customer_updates()
        self.env.flush_all()
        with self._statements() as seen:
            complaint.with_user(self.handler).stage_id = self.stage_analysed
            self.env.flush_all()
        updates = [q for q in seen if re.match(r'\s*UPDATE "?helpdesk_ticket"?\s', q)]
        self.assertEqual(len(updates), 1, updates)
        self.assertIn("complaint_notify_pending", updates[0])
        self.assertTrue(complaint.complaint_notify_pending)

    def test_customer_signup_prepared_without_rewriting_the_row(self):
        """Each notification on a customer's complaint prepares their portal
        sign-up: once prepared, the customer's row is not written again (the
        scheduled action notifying them would collide with it), and the new
        link still signs the customer in."""
        self.env["ir.config_parameter"].sudo().set_param(
            "auth_signup.invitation_scope", "b2c"
        )
        customer = self.customers[5].sudo()
        customer.signup_get_auth_param()
        self.env.flush_all()
        with self._statements() as seen:
            params = customer.signup_get_auth_param()[customer.id]
            self.env.flush_all()
        self.assertFalse([q for q in seen if 'UPDATE "res_partner"' in q])
        Partner = self.env["res.partner"]
        self.assertEqual(
            Partner._signup_retrieve_partner(
                params["auth_signup_token"], check_validity=True
            ),
            customer,
        )

    def test_no_notify_context_queues_nothing(self):
        complaint = self._create_complaint()
        self._send_customer_updates()
        complaint.with_context(complaint_no_notify=True).stage_id = self.env.ref(
            "helpdesk_mgmt_complaint.stage_complaint_analysed"
        )
        self.assertFalse(complaint.complaint_notify_pending)

    def test_batch_is_queued_then_sent_once(self):
        cron = self.env.ref("helpdesk_mgmt_complaint.ir_cron_complaint_notify")
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search([("cron_id", "=", cron.id)])
        complaints = self.env["helpdesk.ticket"].create(
            [self._complaint_vals(partner_id=c.id) for c in self.customers]
        )
        triggers = Trigger.search([("cron_id", "=", cron.id)]) - before
        self.assertEqual(len(triggers), 1, "the cron is triggered at once")
        self.assertTrue(all(complaints.mapped("complaint_notify_pending")))
        self.assertFalse(self._received_messages(complaints))
        Ticket = self.env["helpdesk.ticket"]
        self.assertEqual(Ticket._cron_complaint_notify_customers(batch_size=25), 60)
        complaints.invalidate_recordset()
        self.assertFalse(any(complaints.mapped("complaint_notify_pending")))
        messages = self._received_messages(complaints)
        self.assertEqual(len(messages), 60)
        self.assertEqual(set(messages.mapped("res_id")), set(complaints.ids))
        # A second run finds nothing left to send.
        self.assertEqual(Ticket._cron_complaint_notify_customers(), 0)
        self.assertEqual(len(self._received_messages(complaints)), 60)

    def test_batch_renders_each_template_once_per_batch(self):
        """The e-mails of a batch are rendered together: 20 complaints in one
        call cost clearly less than 20 calls of one."""
        Ticket = self.env["helpdesk.ticket"]

        def send(customers, together):
            complaints = Ticket.create(
                [self._complaint_vals(partner_id=c.id) for c in customers]
            )
            self.env.flush_all()
            count = self.env.cr.sql_log_count
            for chunk in [complaints] if together else complaints:
                chunk._complaint_notify_customer()
            self.env.flush_all()
            self.assertEqual(len(self._received_messages(complaints)), len(customers))
            return self.env.cr.sql_log_count - count

        alone = send(self.customers[:20], together=False)
        together = send(self.customers[20:40], together=True)
        self.assertLess(together, 0.8 * alone, (alone, together))

    def test_one_broken_complaint_does_not_stop_the_batch(self):
        """A rendering that fails on one complaint of the batch: the others
        get their e-mail, the broken one a note, nothing is rolled back."""
        self.received.subject = (
            "{{ object.number }}: {{ 1 / (object.name != 'Broken' and 1 or 0) }}"
        )
        complaints = self.env["helpdesk.ticket"].create(
            [
                self._complaint_vals(partner_id=c.id, name=name)
                for c, name in zip(
                    self.customers[:3], ["Fine", "Broken", "Also fine"], strict=True
                )
            ]
        )
        self.assertEqual(
            self.env["helpdesk.ticket"]._cron_complaint_notify_customers(), 3
        )
        sent = self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "in", complaints.ids),
                ("message_type", "=", "comment"),
                ("subtype_id", "=", self.env.ref("mail.mt_comment").id),
            ]
        )
        self.assertEqual(
            set(sent.mapped("res_id")), set((complaints[0] | complaints[2]).ids)
        )
        broken = complaints[1]
        self.assertIn("could not be sent", "".join(broken.message_ids.mapped("body")))
        self.assertFalse(any(complaints.mapped("complaint_notify_pending")))

    def test_step_that_sends_nothing_is_not_queued(self):
        """No e-mail nor SMS enabled for the company: registering a complaint
        neither flags it nor wakes the scheduled action."""
        cron = self.env.ref("helpdesk_mgmt_complaint.ir_cron_complaint_notify")
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search([("cron_id", "=", cron.id)])
        self.company.write(
            {"complaint_notify_email": False, "complaint_notify_sms": False}
        )
        complaint = self._create_complaint()
        self.assertFalse(complaint.complaint_notify_pending)
        self.assertFalse(Trigger.search([("cron_id", "=", cron.id)]) - before)
        # Enabled again, the next step is queued as usual.
        self.company.complaint_notify_email = True
        complaint.stage_id = self.env.ref(
            "helpdesk_mgmt_complaint.stage_complaint_analysed"
        )
        self.assertTrue(complaint.complaint_notify_pending)
