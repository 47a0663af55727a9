from odoo.exceptions import AccessError, ValidationError
from odoo.tools import mute_logger

from .common import ComplaintCase


class TestComplaintRights(ComplaintCase):
    """Each path to close (or open) a complaint, called as the restricted user
    the way RPC would call it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint = cls._create_complaint(
            user_id=cls.advisor.id, topic_ids=[cls.topic_delay.id]
        )

    def _as(self, user):
        return self.complaint.with_user(user)

    def test_button_close_refused_without_right(self):
        with self.assertRaisesRegex(AccessError, "not allowed to close"):
            self._as(self.advisor).action_complaint_close()
        with self.assertRaises(AccessError):
            self._as(self.advisor).action_complaint_reject()
        self.assertEqual(self.complaint.complaint_state, "registered")

    def test_button_close_as_officer(self):
        self._as(self.officer).action_complaint_close()
        self.assertEqual(self.complaint.stage_id, self.stage_closed)
        self.assertEqual(self.complaint.complaint_state, "closed")
        self.assertTrue(self.complaint.closed_date)

    def test_reject_as_officer(self):
        self._as(self.officer).action_complaint_reject()
        self.assertEqual(self.complaint.complaint_state, "rejected")

    def test_kanban_drag_refused(self):
        # A kanban drop saves the record through web_save with the new stage.
        with self.assertRaises(AccessError):
            self._as(self.advisor).web_save(
                {"stage_id": self.stage_closed.id}, {"stage_id": {}}
            )
        self.assertEqual(self.complaint.stage_id, self.stage_registered)
        self._as(self.advisor).web_save(
            {"stage_id": self.stage_analysed.id}, {"stage_id": {}}
        )
        self.assertEqual(self.complaint.complaint_state, "analysed")

    def test_rpc_write_refused(self):
        with self.assertRaises(AccessError):
            self._as(self.advisor).write({"stage_id": self.stage_rejected.id})
        # Also as a plain handler without any complaint right.
        with self.assertRaises(AccessError):
            self._as(self.handler).write({"stage_id": self.stage_closed.id})
        self.assertFalse(self.complaint.closed)

    @mute_logger("odoo.sql_db")
    def test_import_refused(self):
        result = (
            self.env["helpdesk.ticket"]
            .with_user(self.advisor)
            .load(
                ["id", "stage_id/id"],
                [
                    [
                        self.complaint.export_data(["id"])["datas"][0][0],
                        "helpdesk_mgmt_complaint.stage_complaint_closed",
                    ]
                ],
            )
        )
        self.assertFalse(result["ids"])
        self.assertTrue(
            any("not allowed to close" in m["message"] for m in result["messages"])
        )
        self.assertEqual(self.complaint.complaint_state, "registered")

    def test_import_as_officer(self):
        xmlid = self.complaint.export_data(["id"])["datas"][0][0]
        result = (
            self.env["helpdesk.ticket"]
            .with_user(self.officer)
            .load(
                ["id", "stage_id/id"],
                [[xmlid, "helpdesk_mgmt_complaint.stage_complaint_closed"]],
            )
        )
        self.assertEqual(result["ids"], self.complaint.ids, result["messages"])
        self.assertEqual(self.complaint.complaint_state, "closed")

    def test_create_closed_refused(self):
        with self.assertRaises(AccessError):
            self._create_complaint(
                user=self.advisor,
                stage_id=self.stage_closed.id,
                topic_ids=[self.topic_delay.id],
            )

    def test_open_right(self):
        with self.assertRaisesRegex(AccessError, "not allowed to open"):
            self._create_complaint(user=self.handler)
        with self.assertRaises(AccessError):
            self._create_complaint(user=self.officer)
        plain = (
            self.env["helpdesk.ticket"]
            .with_user(self.handler)
            .create(
                {"name": "x", "description": "<p>x</p>", "team_id": self.plain_team.id}
            )
        )
        # Turning a ticket into a complaint is opening one.
        with self.assertRaises(AccessError):
            plain.write({"is_complaint": True})
        self.assertTrue(self._create_complaint(user=self.advisor).is_complaint)

    def test_reopen_needs_open_right(self):
        self._as(self.officer).action_complaint_close()
        with self.assertRaises(AccessError):
            self._as(self.officer).write({"stage_id": self.stage_analysed.id})
        self._as(self.advisor).write({"stage_id": self.stage_analysed.id})
        self.assertEqual(self.complaint.complaint_state, "analysed")

    def test_manager_has_both_rights(self):
        manager = self.complaint_manager
        complaint = self._create_complaint(
            user=manager, topic_ids=[self.topic_delay.id]
        )
        complaint.action_complaint_close()
        self.assertEqual(complaint.complaint_state, "closed")
        self.env["helpdesk.complaint.topic"].with_user(manager).create(
            {"name": "Smell"}
        )
        with self.assertRaises(AccessError):
            self.env["helpdesk.complaint.topic"].with_user(self.advisor).create(
                {"name": "Noise"}
            )

    def test_close_without_classification(self):
        complaint = self._create_complaint()
        with self.assertRaisesRegex(ValidationError, "without classification"):
            with self.env.cr.savepoint():
                complaint.with_user(self.officer).action_complaint_close()
        complaint.invalidate_recordset()
        self.assertEqual(complaint.complaint_state, "registered")
        # Plain tickets close without topics as before.
        plain = self.env["helpdesk.ticket"].create(
            {"name": "x", "description": "<p>x</p>", "team_id": self.plain_team.id}
        )
        plain.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        self.assertTrue(plain.closed)

    def test_plain_tickets_unaffected(self):
        plain = (
            self.env["helpdesk.ticket"]
            .with_user(self.handler)
            .create(
                {"name": "x", "description": "<p>x</p>", "team_id": self.plain_team.id}
            )
        )
        plain.write(
            {"stage_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id}
        )
        self.assertTrue(plain.closed)
        self.assertFalse(plain.is_complaint)
