"""The close dialog: classification asked where it is required, one ordinary
write (rights apply), the outcome in the closing message and the letter, the
status bar without closed stages for users who may not close, and the
per-team review order."""

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form

from .common import ComplaintCase


class TestComplaintCloseDialog(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage_verified = cls.env.ref(
            "helpdesk_mgmt_complaint.stage_complaint_verified"
        )
        cls.complaint = cls._create_complaint(user_id=cls.officer.id)

    def _dialog(self, user, state="closed"):
        action = self.complaint.with_user(user).action_complaint_close_dialog()
        if state == "rejected":
            action = self.complaint.with_user(user).action_complaint_reject_dialog()
        self.assertEqual(action["res_model"], "helpdesk.complaint.close.wizard")
        self.assertEqual(action["target"], "new")
        return Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(action["context"])
        )

    def test_close_through_dialog(self):
        form = self._dialog(self.officer)
        self.assertFalse(form.topic_ids)
        form.topic_ids.add(self.topic_delay)
        form.resolution_method = "repair"
        form.outcome = "Brake pads replaced free of charge."
        form.save().action_confirm()
        self.assertEqual(self.complaint.complaint_state, "closed")
        self.assertEqual(self.complaint.topic_ids, self.topic_delay)
        self.assertEqual(self.complaint.resolution_method, "repair")
        self.assertEqual(
            self.complaint.complaint_outcome, "Brake pads replaced free of charge."
        )
        # The closed stage's e-mail tells the customer the outcome.
        self._send_customer_updates()
        mail = self.complaint.message_ids.filtered(
            lambda m: "is closed" in (m.body or "") and m.message_type != "sms"
        )
        self.assertEqual(len(mail), 1)
        self.assertIn("Brake pads replaced free of charge.", mail.body)

    def test_reject_defaults_to_rejected_method(self):
        self.complaint.topic_ids = self.topic_delay
        form = self._dialog(self.officer, "rejected")
        self.assertEqual(form.topic_ids[:], self.topic_delay)
        self.assertEqual(form.resolution_method, "rejected")
        form.save().action_confirm()
        self.assertEqual(self.complaint.complaint_state, "rejected")

    def test_topics_and_method_are_required_in_the_dialog(self):
        # Required in the dialog itself: the client marks the fields.
        arch = etree.fromstring(
            self.env["helpdesk.complaint.close.wizard"]
            .with_user(self.officer)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        for name in ("topic_ids", "resolution_method"):
            self.assertEqual(arch.xpath(f"//field[@name='{name}']/@required"), ["1"])
        wizard = self.env["helpdesk.complaint.close.wizard"].with_user(self.officer)
        wizard = wizard.create({"ticket_id": self.complaint.id, "state": "closed"})
        with self.assertRaisesRegex(ValidationError, "at least one topic"):
            wizard.action_confirm()
        wizard.topic_ids = self.topic_delay
        with self.assertRaisesRegex(ValidationError, "resolution method"):
            wizard.action_confirm()
        self.assertEqual(self.complaint.complaint_state, "registered")

    def test_dialog_is_no_bypass(self):
        """Confirmed by a user without the close right: refused, nothing
        written."""
        wizard = (
            self.env["helpdesk.complaint.close.wizard"]
            .with_user(self.advisor)
            .create(
                {
                    "ticket_id": self.complaint.id,
                    "topic_ids": [Command.set(self.topic_delay.ids)],
                    "resolution_method": "repair",
                    "outcome": "Should not be written",
                }
            )
        )
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        self.assertEqual(self.complaint.complaint_state, "registered")
        self.assertFalse(self.complaint.complaint_outcome)

    def test_status_bar_offers_closed_stages_only_with_the_right(self):
        advisor_stages = self.complaint.with_user(self.advisor).complaint_stage_ids
        officer_stages = self.complaint.with_user(self.officer).complaint_stage_ids
        self.assertIn(self.stage_analysed, advisor_stages)
        self.assertNotIn(self.stage_closed, advisor_stages)
        self.assertNotIn(self.stage_rejected, advisor_stages)
        self.assertIn(self.stage_closed, officer_stages)
        self.assertIn(self.stage_rejected, officer_stages)
        # The server refusal stays.
        with self.assertRaises(AccessError):
            self.complaint.with_user(self.advisor).write(
                {"stage_id": self.stage_closed.id}
            )

    def test_strict_review_order(self):
        self.team.complaint_strict_review = True
        self.complaint.topic_ids = self.topic_delay
        officer = self.complaint.with_user(self.officer)
        with self.assertRaisesRegex(ValidationError, "cannot be skipped"):
            officer.write({"stage_id": self.stage_closed.id})
        with self.assertRaisesRegex(ValidationError, "Move it to Analysed"):
            officer.write({"stage_id": self.stage_verified.id})
        officer.write({"stage_id": self.stage_analysed.id})
        officer.write({"stage_id": self.stage_verified.id})
        officer.write({"stage_id": self.stage_closed.id})
        self.assertEqual(officer.complaint_state, "closed")
        # Rejected from any step; back is allowed.
        other = self._create_complaint(topic_ids=[self.topic_delay.id])
        other.with_user(self.officer).write({"stage_id": self.stage_rejected.id})
        self.assertEqual(other.complaint_state, "rejected")
        other.with_user(self.complaint_manager).write(
            {"stage_id": self.stage_registered.id}
        )
        self.assertEqual(other.complaint_state, "registered")

    def test_without_strict_review_steps_may_be_skipped(self):
        self.complaint.topic_ids = self.topic_delay
        self.complaint.with_user(self.officer).write({"stage_id": self.stage_closed.id})
        self.assertEqual(self.complaint.complaint_state, "closed")

    def test_letter_outcome_only_when_there_is_one(self):
        report = self.env["ir.actions.report"]
        name = "helpdesk_mgmt_complaint.report_complaint_letter"
        html = report._render_qweb_html(name, self.complaint.ids)[0].decode()
        self.assertNotIn("Outcome", html)
        self.complaint.write(
            {"resolution_method": "refund", "complaint_outcome": "Invoice refunded."}
        )
        html = report._render_qweb_html(name, self.complaint.ids)[0].decode()
        self.assertIn("Outcome", html)
        self.assertIn("Refund", html)
        self.assertIn("Invoice refunded.", html)
