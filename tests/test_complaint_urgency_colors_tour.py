# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Urgency colours in the analysis graph
(static/src/views/graph/urgency_colors.js, checked by
static/tests/tours/complaint_urgency_colors_tour.js)."""

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestComplaintUrgencyColorsTour(HttpCase):
    def test_urgency_colours_in_graph(self):
        team = self.env.ref("helpdesk_mgmt_complaint.helpdesk_team_complaints")
        partner = self.env["res.partner"].create({"name": "Graph Customer"})
        phone = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        # Open complaints of each urgency: in the analysis' default filter.
        complaints = self.env["helpdesk.ticket"].create(
            [
                {
                    "name": f"graph {urgency}",
                    "description": "<p>graph</p>",
                    "team_id": team.id,
                    "partner_id": partner.id,
                    "channel_id": phone.id,
                    "urgency": urgency,
                }
                for urgency in ("normal", "medium", "high")
            ]
        )
        self.assertEqual(len(complaints), 3)
        self.start_tour(
            "/odoo/complaint-analysis",
            "helpdesk_mgmt_complaint_urgency_colors_tour",
            login="admin",
        )
