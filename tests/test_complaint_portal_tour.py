# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Browser tour of the customer portal (static/tests/tours/complaint_portal_tour.js),
then the backend view of the complaint the customer opened."""

from odoo.tests import HttpCase, new_test_user, tagged

# Must match the constants of static/tests/tours/complaint_portal_tour.js.
PLATE = "7-TUR-777"
TITLE = "Wipers squeak since the service"
DESCRIPTION = "The new wiper blades squeak on a dry windscreen."
MESSAGE = "They squeak on the rear window too."


@tagged("post_install", "-at_install")
class TestComplaintPortalTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_user = new_test_user(
            cls.env,
            login="hmc_tour_customer",
            name="Tamara Tourova",
            email="tamara.tourova@example.com",
            groups="base.group_portal",
        )
        cls.customer = cls.customer_user.partner_id
        model = cls.env["fleet.vehicle.model"].create(
            {
                "name": "Yaris",
                "brand_id": cls.env["fleet.vehicle.model.brand"]
                .create({"name": "Toyota"})
                .id,
            }
        )
        cls.vehicle = cls.env["fleet.vehicle"].create(
            {"model_id": model.id, "license_plate": PLATE, "driver_id": cls.customer.id}
        )
        cls.advisor = new_test_user(
            cls.env,
            login="hmc_tour_advisor",
            name="Ada Advisor",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user,"
            "helpdesk_mgmt_complaint.group_complaint_open",
        )

    def test_customer_opens_complaint_on_portal(self):
        self.start_tour(
            "/my", "helpdesk_mgmt_complaint_portal_tour", login="hmc_tour_customer"
        )
        complaint = self.env["helpdesk.ticket"].search([("name", "=", TITLE)])
        self.assertEqual(len(complaint), 1)
        self.assertTrue(complaint.is_complaint)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.vehicle_id, self.vehicle)
        self.assertIn(DESCRIPTION, complaint.description)
        self.assertTrue(complaint.sla_deadline)
        message = complaint.message_ids.filtered(lambda m: MESSAGE in (m.body or ""))
        self.assertEqual(message.author_id, self.customer)
        # The backend: the complaint is on the complaints board with source "web".
        self.start_tour(
            "/odoo/action-helpdesk_mgmt_complaint.action_helpdesk_complaint",
            "helpdesk_mgmt_complaint_portal_backend_tour",
            login="hmc_tour_advisor",
        )
        Ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.advisor)
            .with_context(default_is_complaint=True)
        )
        board = Ticket.web_read_group(
            [("is_complaint", "=", True), ("channel_id.name", "=", "Web")],
            ["stage_id"],
            ["stage_id"],
        )
        self.assertTrue(board["groups"])
        found = Ticket.web_search_read(
            [("is_complaint", "=", True), ("name", "=", TITLE)],
            {"channel_id": {"fields": {"display_name": {}}}, "stage_id": {}},
        )["records"]
        self.assertEqual(len(found), 1)
        self.assertEqual(found[0]["channel_id"]["display_name"], "Web")
        self.assertEqual(
            complaint.channel_id,
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web"),
        )
