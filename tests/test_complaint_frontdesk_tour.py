"""The issue's "done when" as browser tours: a complaint registered from the
caller's phone number in six user steps (customer and vehicle found by the
number), then closed by the officer through the close dialog. The tours
live in static/tests/tours/complaint_frontdesk_tour.js."""

from odoo.tests import HttpCase, new_test_user, tagged

# Must match static/tests/tours/complaint_frontdesk_tour.js.
CUSTOMER = "Quinta Roadwell"
PLATE = "KP 12-QRS"
TITLE = "Wipers smear after the service"
OUTCOME = "Wiper blades replaced."

HELPDESK_USER = "helpdesk_mgmt.group_helpdesk_user"


@tagged("post_install", "-at_install")
class TestComplaintFrontDeskTour(HttpCase):
    def test_phone_first_registration_then_close_dialog(self):
        new_test_user(
            self.env,
            login="fd_advisor",
            groups=f"{HELPDESK_USER},helpdesk_mgmt_complaint.group_complaint_open",
        )
        officer = new_test_user(
            self.env,
            login="fd_officer",
            groups=f"{HELPDESK_USER},helpdesk_mgmt_complaint.group_complaint_close",
        )
        self.env.company.complaint_officer_id = officer
        customer = self.env["res.partner"].create(
            {"name": CUSTOMER, "mobile": "041 888 214"}
        )
        vehicle = self.env["fleet.vehicle"].create(
            {
                "model_id": self.env["fleet.vehicle.model"]
                .create(
                    {
                        "name": "Megane",
                        "brand_id": self.env["fleet.vehicle.model.brand"]
                        .create({"name": "Renault"})
                        .id,
                    }
                )
                .id,
                "license_plate": PLATE,
                "driver_id": customer.id,
            }
        )
        self.start_tour(
            "/odoo/action-helpdesk_mgmt_complaint.action_helpdesk_complaint/new",
            "helpdesk_mgmt_complaint_phone_first_tour",
            login="fd_advisor",
        )
        complaint = self.env["helpdesk.ticket"].search([("name", "=", TITLE)])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.partner_id, customer)
        self.assertEqual(complaint.vehicle_id, vehicle)
        self.assertEqual(complaint.partner_phone, "+386 41 888 214")
        self.assertEqual(complaint.complaint_state, "registered")

        self.start_tour(
            f"/odoo/action-helpdesk_mgmt_complaint.action_helpdesk_complaint/{complaint.id}",
            "helpdesk_mgmt_complaint_close_dialog_tour",
            login="fd_officer",
        )
        self.env.invalidate_all()
        self.assertEqual(complaint.complaint_state, "closed")
        self.assertEqual(complaint.resolution_method, "repair")
        self.assertEqual(complaint.complaint_outcome, OUTCOME)
        self.assertTrue(complaint.topic_ids)
