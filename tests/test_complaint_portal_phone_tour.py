# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer portal at phone size (390 x 844, touch), as the demo customer
Ana Kovač (static/tests/tours/complaint_portal_phone_tour.js)."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

TITLE = "Rattle from the dashboard on cobbles"


@tagged("post_install", "-at_install")
class TestComplaintPortalPhoneTour(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_phone_portal(self):
        user = self.env.ref(
            "helpdesk_mgmt_complaint.user_portal_ana_kovac_demo",
            raise_if_not_found=False,
        )
        if not user:
            self.skipTest("needs the demo data (the demo customer Ana)")
        vehicle = self.env.ref("helpdesk_mgmt_complaint.vehicle_kovac_clio_demo")
        own = self.env["helpdesk.ticket"].search(
            [("is_complaint", "=", True), ("partner_id", "=", user.partner_id.id)]
        )
        # One open complaint of hers past its promise, one just received.
        registered = own.filtered(lambda c: c.complaint_state == "registered")[:1]
        self.assertTrue(registered, "the demo customer has a received complaint")
        registered.sla_deadline = fields.Datetime.now() - timedelta(days=2)
        self.start_tour("/my", "helpdesk_mgmt_complaint_portal_phone_tour", login="ana")
        new = self.env["helpdesk.ticket"].search([("name", "=", TITLE)])
        self.assertEqual(len(new), 1)
        self.assertEqual(new.partner_id, user.partner_id)
        self.assertEqual(new.vehicle_id, vehicle, "her only car, preselected")
