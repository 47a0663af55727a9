# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer panel of the complaint form: the customer's other open and
past complaints, their vehicles and their last visit, so whoever takes the
call knows the history before answering.

The customer is the complaint's commercial partner (a company's contacts
share one history). The last visit is the latest of the past visits booked
from the customer's complaints (calendar events) and the past services of
their vehicles (fleet service logs). Computed for a whole batch of
complaints with a fixed number of queries, whatever its size."""

from odoo import api, fields, models
from odoo.tools import SQL

from ..const import OPEN_STATES


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    customer_open_complaint_count = fields.Integer(
        string="Other open complaints",
        compute="_compute_customer_panel",
        help="Open complaints of the same customer, this one aside.",
    )
    customer_past_complaint_count = fields.Integer(
        string="Past complaints",
        compute="_compute_customer_panel",
        help="Closed or rejected complaints of the same customer.",
    )
    customer_vehicle_ids = fields.Many2many(
        comodel_name="fleet.vehicle",
        string="Customer's vehicles",
        compute="_compute_customer_panel",
    )
    customer_vehicle_count = fields.Integer(
        string="Customer's vehicle count", compute="_compute_customer_panel"
    )
    customer_last_visit = fields.Date(
        string="Last visit",
        compute="_compute_customer_panel",
        help="The latest past visit booked from one of the customer's "
        "complaints, or the latest past service of one of their vehicles.",
    )

    def init(self):
        res = super().init()
        # The panel counts a customer's complaints by state: index-only, a
        # few entries per customer, instead of a scan of every complaint.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS helpdesk_ticket_customer_state_index "
                "ON helpdesk_ticket (commercial_partner_id, complaint_state) "
                "INCLUDE (company_id) WHERE is_complaint AND active"
            )
        )
        return res

    @api.depends("partner_id", "complaint_state")
    def _compute_customer_panel(self):
        customers = self.commercial_partner_id
        counts = self._complaint_panel_counts(customers)
        vehicles = self._complaint_panel_vehicles(customers)
        visits = self._complaint_panel_last_visits(customers, vehicles)
        for ticket in self:
            customer = ticket.commercial_partner_id
            own_vehicles = vehicles.get(customer.id, self.env["fleet.vehicle"])
            is_open = ticket.complaint_state in OPEN_STATES and bool(ticket._origin.id)
            ticket.customer_open_complaint_count = max(
                counts.get((customer.id, True), 0) - (1 if is_open else 0), 0
            )
            ticket.customer_past_complaint_count = counts.get((customer.id, False), 0)
            ticket.customer_vehicle_ids = own_vehicles
            ticket.customer_vehicle_count = len(own_vehicles)
            ticket.customer_last_visit = visits.get(customer.id, False)

    @api.model
    def _complaint_panel_counts(self, customers):
        """{(customer id, is open): complaints}, as the user may see them."""
        if not customers:
            return {}
        groups = self._read_group(
            [
                ("is_complaint", "=", True),
                ("commercial_partner_id", "in", customers.ids),
            ],
            ["commercial_partner_id", "complaint_state"],
            ["__count"],
        )
        counts = {}
        for customer, state, count in groups:
            key = (customer.id, state in OPEN_STATES)
            counts[key] = counts.get(key, 0) + count
        return counts

    @api.model
    def _complaint_panel_vehicles(self, customers):
        """{customer id: vehicles driven by the customer or their contacts}."""
        if not customers:
            return {}
        vehicles = (
            self.env["fleet.vehicle"]
            .sudo()
            .search(
                [("driver_id.commercial_partner_id", "in", customers.ids)],
                order="license_plate, id",
            )
        )
        by_customer = {}
        for vehicle in vehicles:
            key = vehicle.driver_id.commercial_partner_id.id
            by_customer[key] = by_customer.get(key, vehicles.browse()) | vehicle
        # Read by the user (not superuser) on the form.
        return {key: found.with_env(self.env) for key, found in by_customer.items()}

    @api.model
    def _complaint_panel_last_visits(self, customers, vehicles):
        """{customer id: date of the last visit}, visits in the past only."""
        last = {}

        def keep(customer_id, day):
            if customer_id and day and day > last.get(customer_id, day.min):
                last[customer_id] = day

        if not customers:
            return last
        now = fields.Datetime.now()
        events = (
            self.env["calendar.event"]
            .sudo()
            ._read_group(
                [
                    ("res_model", "=", self._name),
                    ("start", "<=", now),
                    ("partner_ids.commercial_partner_id", "in", customers.ids),
                ],
                ["partner_ids"],
                ["start:max"],
            )
        )
        for partner, start in events:
            # Attendees are grouped one by one: the handler's are left out.
            if partner.commercial_partner_id in customers:
                keep(partner.commercial_partner_id.id, start and start.date())
        vehicle_customer = {
            vehicle.id: customer_id
            for customer_id, found in vehicles.items()
            for vehicle in found
        }
        if vehicle_customer:
            services = (
                self.env["fleet.vehicle.log.services"]
                .sudo()
                ._read_group(
                    [
                        ("vehicle_id", "in", list(vehicle_customer)),
                        ("date", "<=", fields.Date.context_today(self)),
                    ],
                    ["vehicle_id"],
                    ["date:max"],
                )
            )
            for vehicle, day in services:
                keep(vehicle_customer.get(vehicle.id), day)
        return last

    # -- smart buttons -----------------------------------------------------------
    def _complaint_customer_complaints_action(self, open_ones):
        self.ensure_one()
        states = OPEN_STATES if open_ones else ("closed", "rejected")
        return self._complaint_action(
            [
                ("is_complaint", "=", True),
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ("complaint_state", "in", states),
                ("id", "!=", self.id),
            ],
            partner_id=self.partner_id.id,
        )

    def action_complaint_customer_open_complaints(self):
        return self._complaint_customer_complaints_action(open_ones=True)

    def action_complaint_customer_past_complaints(self):
        return self._complaint_customer_complaints_action(open_ones=False)

    def action_complaint_customer_vehicles(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "fleet.fleet_vehicle_action"
        )
        action["domain"] = [("id", "in", self.customer_vehicle_ids.ids)]
        action["context"] = {"default_driver_id": self.partner_id.id}
        return action
