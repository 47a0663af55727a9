from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user
from odoo.tools import mute_logger

from .common import ComplaintCase


class TestComplaintTransfer(ComplaintCase):
    def _wizard(self, complaint, user, **vals):
        return (
            self.env["helpdesk.complaint.transfer.wizard"]
            .with_user(user)
            .create({"ticket_id": complaint.id, **vals})
        )

    def test_transfer_keeps_history_and_notifies(self):
        complaint = self._create_complaint(user=self.advisor, user_id=self.advisor.id)
        action = complaint.with_user(self.advisor).action_complaint_transfer()
        with Form(
            self.env[action["res_model"]]
            .with_user(self.advisor)
            .with_context(**action["context"])
        ) as wizard_form:
            self.assertEqual(wizard_form.current_user_id, self.advisor)
            wizard_form.user_id = self.handler
            wizard_form.reason = "Needs a body-shop specialist"
        wizard_form.record.action_transfer()
        self.assertEqual(complaint.user_id, self.handler)
        history = complaint.transfer_ids
        self.assertEqual(len(history), 1)
        self.assertEqual(history.from_user_id, self.advisor)
        self.assertEqual(history.to_user_id, self.handler)
        self.assertEqual(history.by_user_id, self.advisor)
        self.assertEqual(history.reason, "Needs a body-shop specialist")
        self.assertEqual(complaint.transfer_count, 1)
        action = complaint.with_user(self.advisor).action_view_complaint_transfers()
        self.assertEqual(
            self.env[action["res_model"]]
            .with_user(self.advisor)
            .search(action["domain"]),
            history,
        )
        note = complaint.message_ids[0]
        self.assertIn("Needs a body-shop specialist", note.body)
        self.assertIn(self.handler.partner_id, note.partner_ids)
        self.assertIn(self.handler.partner_id, complaint.message_partner_ids)

    def test_transfer_to_other_team(self):
        complaint = self._create_complaint(user_id=self.advisor.id)
        self._wizard(
            complaint,
            self.advisor,
            user_id=self.officer.id,
            team_id=self.plain_team.id,
            reason="Warranty question",
        ).action_transfer()
        # The officer is no member of the new team and is still kept.
        self.assertEqual(complaint.team_id, self.plain_team)
        self.assertEqual(complaint.user_id, self.officer)
        self.assertEqual(complaint.transfer_ids.to_team_id, self.plain_team)
        self.assertEqual(complaint.transfer_ids.from_team_id, self.team)

    def test_transfer_refusals(self):
        complaint = self._create_complaint(user_id=self.advisor.id)
        with self.assertRaisesRegex(UserError, "already handles"):
            self._wizard(
                complaint, self.advisor, user_id=self.advisor.id, reason="x"
            ).action_transfer()
        archived = new_test_user(
            self.env, login="hmc_gone", groups="helpdesk_mgmt.group_helpdesk_user"
        )
        archived.active = False
        with self.assertRaisesRegex(UserError, "archived"):
            self._wizard(
                complaint, self.advisor, user_id=archived.id, reason="x"
            ).action_transfer()
        no_access = new_test_user(self.env, login="hmc_sales", groups="base.group_user")
        with self.assertRaisesRegex(UserError, "no access"):
            self._wizard(
                complaint, self.advisor, user_id=no_access.id, reason="x"
            ).action_transfer()
        with self.assertRaisesRegex(UserError, "reason"):
            self._wizard(
                complaint, self.advisor, user_id=self.handler.id, reason="   "
            ).action_transfer()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._wizard(complaint, self.advisor, user_id=self.handler.id)
        self.assertFalse(complaint.transfer_ids)
        self.assertEqual(complaint.user_id, self.advisor)
