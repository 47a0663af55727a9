# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Browser tours of the main complaint flow, with the rights split between the
service advisor (register, transfer, classify) and the customer-relations
officer (close). The tours live in static/tests/tours/complaint_tour.js."""

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

# Must match the constants of static/tests/tours/complaint_tour.js.
CUSTOMER = "Zebulon Quirkfield"
TITLE = "Brakes squeak after the 60k service"
ESSENCE = "The customer says the brakes squeak since the last service."
NEW_HANDLER = "Hannah Brakeworth"
REASON = "Brake specialist must take over"
OUTCOME = "The brake pads were replaced free of charge."

HELPDESK_USER = "helpdesk_mgmt.group_helpdesk_user"
GROUP_OPEN = "helpdesk_mgmt_complaint.group_complaint_open"
GROUP_CLOSE = "helpdesk_mgmt_complaint.group_complaint_close"


@tagged("post_install", "-at_install")
class TestComplaintTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.advisor = new_test_user(
            cls.env,
            login="complaint_advisor",
            name="Sam Advisor",
            groups=f"base.group_user,{HELPDESK_USER},{GROUP_OPEN}",
        )
        cls.handler = new_test_user(
            cls.env,
            login="complaint_handler",
            name=NEW_HANDLER,
            groups=f"base.group_user,{HELPDESK_USER}",
        )
        cls.officer = new_test_user(
            cls.env,
            login="complaint_officer",
            name="Olga Officer",
            groups=f"base.group_user,{HELPDESK_USER},{GROUP_CLOSE}",
        )
        cls.env.company.complaint_officer_id = cls.officer
        cls.customer = cls.env["res.partner"].create(
            {"name": CUSTOMER, "email": "zebulon.quirkfield@example.com"}
        )
        cls.team = cls.env.ref("helpdesk_mgmt_complaint.helpdesk_team_complaints")
        cls.phone = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        cls.delay = cls.env.ref("helpdesk_mgmt_complaint.complaint_topic_delay")
        cls.stage_registered = cls.env.ref(
            "helpdesk_mgmt_complaint.stage_complaint_registered"
        )
        cls.stage_closed = cls.env.ref("helpdesk_mgmt_complaint.stage_complaint_closed")

    def _complaint(self):
        self.env.invalidate_all()
        return self.env["helpdesk.ticket"].search([("name", "=", TITLE)])

    def _form_arch(self, user):
        views = self.env["helpdesk.ticket"].with_user(user).get_views([(False, "form")])
        return views["views"]["form"]["arch"]

    def test_complaint_flow_rights_split(self):
        self.assertFalse(self._complaint(), "the tour must create the complaint")
        # The close buttons are only in the officer's form.
        advisor_arch = self._form_arch(self.advisor)
        officer_arch = self._form_arch(self.officer)
        self.assertNotIn('name="action_complaint_close_dialog"', advisor_arch)
        self.assertNotIn('name="action_complaint_reject_dialog"', advisor_arch)
        self.assertIn('name="action_complaint_transfer"', advisor_arch)
        self.assertIn('name="action_complaint_close_dialog"', officer_arch)
        self.assertIn('name="action_complaint_reject_dialog"', officer_arch)

        # -- 1. the service advisor registers, transfers and classifies ---------
        self.start_tour(
            "/odoo", "helpdesk_mgmt_complaint_register_tour", login="complaint_advisor"
        )
        complaint = self._complaint()
        self.assertEqual(len(complaint), 1)
        self.assertTrue(complaint.is_complaint)
        self.assertEqual(complaint.create_uid, self.advisor)
        self.assertEqual(complaint.team_id, self.team)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.channel_id, self.phone)
        self.assertEqual(complaint.urgency, "high")
        self.assertIn(ESSENCE, complaint.description)
        self.assertEqual(complaint.stage_id, self.stage_registered)
        self.assertEqual(complaint.complaint_state, "registered")
        self.assertTrue(complaint.sla_deadline)
        self.assertGreater(complaint.sla_deadline, complaint.complaint_date)
        self.assertEqual(complaint.topic_ids, self.delay)
        # Nobody was chosen in the form: the officer got it, then the transfer.
        self.assertEqual(complaint.user_id, self.handler)
        transfer = complaint.transfer_ids
        self.assertEqual(len(transfer), 1)
        self.assertEqual(transfer.reason, REASON)
        self.assertEqual(transfer.from_user_id, self.officer)
        self.assertEqual(transfer.to_user_id, self.handler)
        self.assertEqual(transfer.by_user_id, self.advisor)
        self.assertEqual(transfer.to_team_id, self.team)
        self.assertIn(self.handler.partner_id, complaint.message_partner_ids)
        self.assertTrue(
            complaint.message_ids.filtered(lambda m: REASON in (m.body or "")),
            "the transfer is logged in the chatter with its reason",
        )
        self.assertFalse(complaint.closed_date)

        # The advisor cannot close it, even by calling the button's method.
        with self.assertRaises(AccessError):
            complaint.with_user(self.advisor).action_complaint_close()
        with self.assertRaises(AccessError):
            complaint.with_user(self.advisor).write({"stage_id": self.stage_closed.id})
        self.assertEqual(self._complaint().complaint_state, "registered")

        # -- 2. the customer-relations officer closes it ----------------------
        self.start_tour(
            "/odoo/action-helpdesk_mgmt_complaint.action_helpdesk_complaint",
            "helpdesk_mgmt_complaint_close_tour",
            login="complaint_officer",
        )
        complaint = self._complaint()
        self.assertEqual(complaint.stage_id, self.stage_closed)
        self.assertEqual(complaint.complaint_state, "closed")
        self.assertTrue(complaint.closed)
        self.assertTrue(complaint.closed_date)
        self.assertTrue(complaint.sla_met, "closed within the default 48 h SLA")
        self.assertEqual(complaint.sla_status, "met")
        self.assertEqual(complaint.user_id, self.handler)
        self.assertEqual(complaint.topic_ids, self.delay)
        self.assertEqual(complaint.resolution_method, "repair")
        self.assertEqual(complaint.complaint_outcome, OUTCOME)
