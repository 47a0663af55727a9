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
