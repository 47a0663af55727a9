# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Browser tour: send a repair request and record its return
(static/tests/tours/complaint_repair_tour.js)."""

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestComplaintRepairTour(HttpCase):
    def test_send_and_return(self):
        env = self.env
        team = env.ref("helpdesk_mgmt_complaint.helpdesk_team_complaints")
        team.complaint_strict_review = False
        centre = env["res.partner"].create(
            {
                "name": "Tour Service Centre",
                "email": "tour.centre@example.com",
                "is_service_centre": True,
            }
        )
        complaint = env["helpdesk.ticket"].create(
            {
                "name": "Tour pump complaint",
                "description": "<p>The pump stopped.</p>",
                "team_id": team.id,
                "partner_id": env["res.partner"].create({"name": "Tour Customer"}).id,
                "channel_id": env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone").id,
                "product_serial": "TOUR-SN-42",
                "user_id": env.ref("base.user_admin").id,
            }
        )
        repair = env["helpdesk.complaint.repair"].create(
            {"ticket_id": complaint.id, "service_centre_id": centre.id}
        )
        self.start_tour(
            f"/odoo/action-helpdesk_mgmt_complaint.action_helpdesk_complaint_repair/{repair.id}",
            "helpdesk_mgmt_complaint_repair_tour",
            login="admin",
        )
        self.assertEqual(repair.state, "returned")
        self.assertEqual(
            repair.event_ids.mapped("state"),
            ["returned", "repaired", "started", "received", "sent"],
        )
        self.assertTrue(repair.date_returned)
        sent = repair.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertIn(centre, sent.partner_ids)
