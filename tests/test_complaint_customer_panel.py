# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer panel of the complaint form
(models/helpdesk_ticket_customer_panel.py): other open and past complaints,
vehicles, last visit; a fixed number of queries for any batch."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import Form

from .common import ComplaintCase


class TestComplaintCustomerPanel(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls.env["res.partner"].create(
            {"name": "Ivana's assistant", "parent_id": cls.customer.id}
        )
        cls.customer.is_company = True
        cls.second_vehicle = cls.vehicle.copy(
            {"license_plate": "1-ABC-999", "vin_sn": False, "driver_id": cls.contact.id}
        )
        cls.stranger = cls.env["res.partner"].create({"name": "Walk-in"})

    def _close(self, complaint, stage=None):
        complaint.write(
            {
                "topic_ids": [Command.link(self.topic_delay.id)],
                "stage_id": (stage or self.stage_closed).id,
            }
        )

    def test_counts_vehicles_and_last_visit(self):
        first = self._create_complaint()
        second = self._create_complaint(partner_id=self.contact.id)
        past = self._create_complaint()
        self._close(past)
        rejected = self._create_complaint()
        self._close(rejected, self.stage_rejected)
        other = self._create_complaint(partner_id=self.stranger.id)
        (first | second | past | other).invalidate_recordset()
        # The company's contacts share the history; this complaint aside.
        self.assertEqual(first.customer_open_complaint_count, 1)
        self.assertEqual(second.customer_open_complaint_count, 1)
        self.assertEqual(first.customer_past_complaint_count, 2)
        self.assertEqual(past.customer_open_complaint_count, 2)
        self.assertEqual(first.customer_vehicle_ids, self.vehicle | self.second_vehicle)
        self.assertEqual(first.customer_vehicle_count, 2)
        self.assertFalse(first.customer_last_visit)
        self.assertEqual(
            (other.customer_open_complaint_count, other.customer_vehicle_count),
            (0, 0),
        )
        # Last visit: a past service of a vehicle, a past booked visit; the
        # latest wins, future ones do not count.
        today = fields.Date.context_today(first)
        services = self.env["fleet.vehicle.log.services"]
        services.create(
            {"vehicle_id": self.second_vehicle.id, "date": today - timedelta(days=40)}
        )
        services.create(
            {"vehicle_id": self.vehicle.id, "date": today + timedelta(days=3)}
        )
        first.invalidate_recordset()
        self.assertEqual(first.customer_last_visit, today - timedelta(days=40))
        self.env["calendar.event"].create(
            {
                "name": "Visit",
                "res_model_id": self.env["ir.model"]._get_id("helpdesk.ticket"),
                "res_id": past.id,
                "start": fields.Datetime.now() - timedelta(days=10),
                "stop": fields.Datetime.now() - timedelta(days=10, hours=-1),
                "partner_ids": [
                    Command.set((self.customer | self.handler.partner_id).ids)
                ],
            }
        )
        first.invalidate_recordset()
        self.assertEqual(
            first.customer_last_visit,
            (fields.Datetime.now() - timedelta(days=10)).date(),
        )
        self.assertFalse(other.customer_last_visit)

    def test_smart_buttons_open_the_customers_records(self):
        first = self._create_complaint()
        second = self._create_complaint(partner_id=self.contact.id)
        past = self._create_complaint()
        self._close(past)
        Ticket = self.env["helpdesk.ticket"].with_user(self.advisor)
        action = first.with_user(
            self.advisor
        ).action_complaint_customer_open_complaints()
        self.assertEqual(Ticket.search(action["domain"]), second)
        action = first.with_user(
            self.advisor
        ).action_complaint_customer_past_complaints()
        self.assertEqual(Ticket.search(action["domain"]), past)
        action = first.action_complaint_customer_vehicles()
        self.assertEqual(
            self.env["fleet.vehicle"].search(action["domain"]),
            self.vehicle | self.second_vehicle,
        )

    def test_new_complaint_form_shows_panel_for_a_known_customer(self):
        self._create_complaint()
        form = Form(
            self.env["helpdesk.ticket"]
            .with_user(self.advisor)
            .with_context(default_is_complaint=True, default_team_id=self.team.id)
        )
        self.assertEqual(form.customer_open_complaint_count, 0)
        form.partner_id = self.customer
        self.assertEqual(form.customer_open_complaint_count, 1)
        self.assertEqual(form.customer_vehicle_count, 2)

    def test_query_count_does_not_grow_with_the_batch(self):
        Ticket = self.env["helpdesk.ticket"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True
        )
        partners = self.env["res.partner"].create(
            [{"name": f"Panel customer {i}"} for i in range(30)]
        )
        self.env["fleet.vehicle"].create(
            [
                {
                    "model_id": self.vehicle.model_id.id,
                    "license_plate": f"PN-{i:03d}",
                    "driver_id": partner.id,
                }
                for i, partner in enumerate(partners)
            ]
        )

        def create(count):
            return Ticket.create(
                [
                    self._complaint_vals(partner_id=partners[i % 30].id)
                    for i in range(count)
                ]
            )

        def queries(tickets):
            tickets.invalidate_recordset()
            self.env["fleet.vehicle"].invalidate_model()
            self.env["res.partner"].invalidate_model()
            start = self.cr.sql_log_count
            tickets.mapped("customer_last_visit")
            return self.cr.sql_log_count - start

        few, many = create(3), create(90)
        baseline = queries(few)
        with self.assertQueryCount(baseline):
            queries(many)
