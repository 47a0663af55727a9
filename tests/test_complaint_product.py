# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Product complaints: serial search, warranty state, serial in e-mails
(only the sender's own), product and serial from the portal form."""

from datetime import date, datetime

from odoo import http
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ComplaintCase


class ProductCase(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.boiler = cls.env["product.product"].create(
            {"name": "Boiler X200", "complaint_warranty_months": 24}
        )
        cls.pump = cls.env["product.product"].create({"name": "Pump P1"})
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other Customer", "email": "other@example.com"}
        )

    def _product_complaint(self, serial="SN-2024/0001", partner=None, **vals):
        return self._create_complaint(
            product_id=self.boiler.id,
            product_serial=serial,
            partner_id=(partner or self.customer).id,
            **vals,
        )


@tagged("post_install", "-at_install")
class TestComplaintProduct(ProductCase):
    def test_serial_search_however_typed(self):
        complaint = self._product_complaint("SN-2024/0001")
        other = self._product_complaint("XY 999 888")
        Ticket = self.env["helpdesk.ticket"]
        for typed in ("sn20240001", "SN 2024 0001", "sn-2024-0001", "2024/0001"):
            found = Ticket.search([("complaint_serial_search", "ilike", typed)])
            self.assertEqual(found, complaint, typed)
        self.assertEqual(
            Ticket.search([("complaint_serial_search", "ilike", "xy-999888")]), other
        )
        self.assertFalse(Ticket.search([("complaint_serial_search", "ilike", "--")]))
        self.assertEqual(complaint.product_serial_normalized, "SN20240001")

    def test_warranty_state_on_registration_date(self):
        complaint = self._product_complaint(
            product_sale_date=date(2025, 1, 15),
            complaint_date=datetime(2026, 6, 1, 10, 0),
        )
        self.assertEqual(complaint.product_warranty_end_date, date(2027, 1, 15))
        self.assertEqual(complaint.product_warranty_state, "under_warranty")
        complaint.product_sale_date = date(2024, 5, 31)
        self.assertEqual(complaint.product_warranty_end_date, date(2026, 5, 31))
        self.assertEqual(complaint.product_warranty_state, "expired")
        # Last day of the warranty still counts.
        complaint.product_sale_date = date(2024, 6, 1)
        self.assertEqual(complaint.product_warranty_state, "under_warranty")
        # The product's period changed: recomputed.
        self.boiler.complaint_warranty_months = 12
        self.assertEqual(complaint.product_warranty_state, "expired")
        complaint.product_sale_date = False
        self.assertEqual(complaint.product_warranty_state, "unknown")
        self.assertFalse(complaint.product_warranty_end_date)
        pump = self._create_complaint(
            product_id=self.pump.id, product_sale_date=date(2026, 1, 1)
        )
        self.assertEqual(pump.product_warranty_state, "unknown", "no period")
        self.assertEqual(
            self.env["helpdesk.ticket"].search_count(
                [
                    ("id", "in", (complaint | pump).ids),
                    ("product_warranty_state", "=", "unknown"),
                ]
            ),
            2,
            "stored: searchable and groupable",
        )

    def test_form_product_block(self):
        with Form(
            self.env["helpdesk.ticket"].with_context(default_is_complaint=True)
        ) as form:
            form.name = "Boiler leaks"
            form.description = "<p>Water under the boiler.</p>"
            form.team_id = self.team
            form.partner_id = self.other_customer
            form.channel_id = self.channel_phone
            form.product_id = self.boiler
            form.product_serial = "b-77 12"
            form.product_sale_date = date.today()
            self.assertEqual(form.product_warranty_state, "under_warranty")
        complaint = form.save()
        self.assertEqual(complaint.product_serial_normalized, "B7712")

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_mail_intake_finds_senders_serial_only(self):
        domain = self.env["mail.alias.domain"].create({"name": "garage.example.com"})
        self.company.alias_domain_id = domain
        self.team.alias_id.alias_domain_id = domain
        alias = self.team.alias_id.alias_full_name
        earlier = self._product_complaint(
            "SN-2024/0001", product_sale_date=date(2025, 3, 1)
        )
        self._product_complaint("OTH-555-777", partner=self.other_customer)
        Ticket = self.env["helpdesk.ticket"]

        def process(subject, body, msgid):
            raw = (
                f"From: Ivana Horvat <ivana.horvat@example.com>\r\nTo: {alias}\r\n"
                f"Subject: {subject}\r\nMessage-ID: <{msgid}@example.com>\r\n"
                "Content-Type: text/plain; charset=utf-8\r\n\r\n"
                f"{body}\r\n"
            )
            return Ticket.browse(self.env["mail.thread"].message_process(None, raw))

        own = process("Boiler again", "The boiler sn 2024 0001 leaks again.", "s1")
        self.assertEqual(own.partner_id, self.customer)
        self.assertEqual(own.product_id, self.boiler)
        self.assertEqual(own.product_serial, earlier.product_serial)
        self.assertEqual(own.product_sale_date, date(2025, 3, 1))
        # Another customer's serial is never linked to the sender's complaint.
        foreign = process("Boiler", "My unit OTH-555-777 is broken.", "s2")
        self.assertFalse(foreign.product_id)
        self.assertFalse(foreign.product_serial)


@tagged("post_install", "-at_install")
class TestComplaintProductPortal(HttpCase):
    def test_portal_new_complaint_product_and_serial(self):
        user = new_test_user(
            self.env,
            login="hmc_portal_product",
            name="Pia Product",
            email="pia@example.com",
            groups="base.group_portal",
        )
        product = self.env["product.product"].create(
            {"name": "Heat Pump HP9", "complaint_warranty_months": 36}
        )
        self.authenticate("hmc_portal_product", "hmc_portal_product")
        page = self.url_open("/my/complaints/new")
        self.assertIn('name="product_serial"', page.text, "no vehicle: product inputs")
        resp = self.url_open(
            "/my/complaints/submit",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "subject": "pump-noise",
                "description": "The pump hums.",
                "product_text": "heat pump hp9",
                "product_serial": "HP9-000-123",
            },
        )
        self.assertEqual(resp.status_code, 200)
        complaint = self.env["helpdesk.ticket"].search([("name", "=", "pump-noise")])
        self.assertEqual(complaint.partner_id, user.partner_id)
        self.assertEqual(complaint.product_id, product)
        self.assertEqual(complaint.product_serial_normalized, "HP9000123")
        self.assertIn("HP9-000-123", resp.text, "shown on the complaint page")
        # An unknown product name is kept in the description, not lost.
        self.url_open(
            "/my/complaints/submit",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "subject": "unknown-product",
                "description": "Broken.",
                "product_text": "Mystery Gadget",
            },
        )
        other = self.env["helpdesk.ticket"].search([("name", "=", "unknown-product")])
        self.assertFalse(other.product_id)
        self.assertIn("Mystery Gadget", other.description)
