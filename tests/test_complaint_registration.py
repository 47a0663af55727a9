from odoo.exceptions import ValidationError
from odoo.tests import Form

from .common import ComplaintCase


class TestComplaintRegistration(ComplaintCase):
    def test_team_makes_ticket_a_complaint(self):
        complaint = self._create_complaint()
        plain = self.env["helpdesk.ticket"].create(
            {
                "name": "Printer",
                "description": "<p>jam</p>",
                "team_id": self.plain_team.id,
            }
        )
        self.assertTrue(complaint.is_complaint)
        self.assertEqual(complaint.stage_id, self.stage_registered)
        self.assertEqual(complaint.complaint_state, "registered")
        self.assertEqual(complaint.urgency, "normal")
        self.assertFalse(plain.is_complaint)
        # Plain tickets keep helpdesk_mgmt's behaviour: no customer needed,
        # no SLA.
        self.assertFalse(plain.sla_deadline)
        self.assertFalse(plain.partner_id)

    def test_form_onchanges(self):
        with Form(self.env["helpdesk.ticket"].with_user(self.advisor)) as form:
            form.team_id = self.team
            self.assertTrue(form.is_complaint)
            form.name = "Scratch on the door"
            form.description = "<p>A new scratch after the car wash.</p>"
            form.partner_id = self.customer
            self.assertEqual(form.partner_phone, "0470 12 34 56")
            form.channel_id = self.channel_phone
            form.urgency = "high"
            form.vehicle_id = self.vehicle
            self.assertEqual(form.vehicle_license_plate, "1-ABC-234")
            self.assertEqual(form.vehicle_vin, "TMBJJ7NE5K0123456")
        complaint = form.record
        self.assertEqual(complaint.vehicle_model_id.name, "Octavia")
        self.assertEqual(complaint.partner_ref, "C-10042")
        # Typed as national number, sanitized to E.164 with the customer's country.
        self.assertEqual(complaint.phone_sanitized, "+32470123456")
        self.assertFalse(complaint.phone_warning)

    def test_missing_customer_essence_source(self):
        for field, label in (
            ("partner_id", "customer"),
            ("description", "essence"),
            ("channel_id", "source"),
        ):
            with self.subTest(field=field):
                with self.assertRaisesRegex(ValidationError, label):
                    self._create_complaint(**{field: False})
        with self.assertRaisesRegex(ValidationError, "essence"):
            self._create_complaint(description="<p><br></p>")

    def test_invalid_phone_kept_with_warning(self):
        complaint = self._create_complaint(partner_phone="12-34 bad")
        self.assertEqual(complaint.partner_phone, "12-34 bad")
        self.assertFalse(complaint.phone_sanitized)
        self.assertIn("12-34 bad", complaint.phone_warning)

    def test_phone_read_in_the_complaint_company_country(self):
        """A customer without a country: the number is read in the country of
        the complaint's company, not of the user's current one (Belgium)."""
        garage_si = self.env["res.company"].create(
            {"name": "Garage Ljubljana", "country_id": self.env.ref("base.si").id}
        )
        walk_in = self.env["res.partner"].create({"name": "Walk-in customer"})
        self.assertEqual(self.env.company, self.company)
        complaint = self._create_complaint(
            partner_id=walk_in.id,
            partner_phone="041 123 456",
            company_id=garage_si.id,
            team_id=False,
            is_complaint=True,
        )
        self.assertEqual(complaint.company_id, garage_si)
        self.assertEqual(complaint.phone_sanitized, "+38641123456")
        # The same number is no Belgian one.
        here = self._create_complaint(
            partner_id=walk_in.id, partner_phone="041 123 456"
        )
        self.assertFalse(here.phone_sanitized)
        self.assertIn("041 123 456", here.phone_warning)

    def test_customer_matched_by_email_then_phone(self):
        by_email = self._create_complaint(
            partner_id=False, partner_email="IVANA.Horvat@example.com"
        )
        self.assertEqual(by_email.partner_id, self.customer)
        # Another format of the customer's phone, company country (Belgium).
        by_phone = self._create_complaint(
            partner_id=False, partner_phone="+32 470/12.34.56"
        )
        self.assertEqual(by_phone.partner_id, self.customer)
        with self.assertRaisesRegex(ValidationError, "customer"):
            self._create_complaint(partner_id=False, partner_phone="+32 499 99 99 99")

    def test_assignment_rules(self):
        # Preferred handler first.
        complaint = self._create_complaint(preferred_user_id=self.handler.id)
        self.assertEqual(complaint.user_id, self.handler)
        # Then the SLA policy's handler.
        policy = self.env["helpdesk.complaint.sla"].create(
            {"name": "High", "urgency": "high", "hours": 24, "user_id": self.advisor.id}
        )
        self.assertEqual(self._create_complaint(urgency="high").user_id, self.advisor)
        policy.active = False
        # Then the customer's salesperson when a helpdesk user.
        self.customer.user_id = self.handler
        self.assertEqual(self._create_complaint().user_id, self.handler)
        self.customer.user_id = False
        # Then the source channel's handler.
        self.channel_phone.complaint_user_id = self.advisor
        self.assertEqual(self._create_complaint().user_id, self.advisor)
        self.channel_phone.complaint_user_id = False
        # Else the customer-relations officer.
        self.assertEqual(self._create_complaint().user_id, self.officer)
        # An explicit handler is kept.
        explicit = self._create_complaint(user_id=self.handler.id)
        self.assertEqual(explicit.user_id, self.handler)

    def test_quick_find(self):
        complaint = self._create_complaint(vehicle_id=self.vehicle.id)
        other = self._create_complaint(
            partner_id=self.env["res.partner"]
            .create({"name": "Other", "phone": "+32 2 555 12 12"})
            .id
        )
        Ticket = self.env["helpdesk.ticket"].with_user(self.advisor)

        def find(field, value):
            view = Ticket.get_views([(False, "search")])["views"]["search"]["arch"]
            self.assertIn(f'name="{field}"', view)
            filter_domains = {
                "vehicle_id": [
                    "|",
                    ("vehicle_id.license_plate", "ilike", value),
                    ("vehicle_id.vin_sn", "ilike", value),
                ],
                "partner_ref": [
                    ("partner_id.commercial_partner_id.ref", "=ilike", value)
                ],
                "complaint_phone_search": [("complaint_phone_search", "ilike", value)],
                "partner_email": [
                    "|",
                    ("partner_email", "ilike", value),
                    ("partner_id.email", "ilike", value),
                ],
            }
            return Ticket.search(filter_domains[field] + [("is_complaint", "=", True)])

        self.assertIn(complaint, find("vehicle_id", "ABC-234"))
        self.assertNotIn(other, find("vehicle_id", "ABC-234"))
        self.assertIn(complaint, find("partner_ref", "c-10042"))
        for typed in ("0470123456", "0470 12 34 56", "+32470123456", "470-12-34"):
            with self.subTest(phone=typed):
                found = find("complaint_phone_search", typed)
                self.assertIn(complaint, found)
                self.assertNotIn(other, found)
        self.assertIn(complaint, find("partner_email", "ivana.horvat@"))

    def test_smart_buttons(self):
        self._create_complaint(vehicle_id=self.vehicle.id)
        self._create_complaint()
        self.env["helpdesk.ticket"].create(
            {
                "name": "Not a complaint",
                "description": "<p>x</p>",
                "partner_id": self.customer.id,
                "team_id": self.plain_team.id,
            }
        )
        self.assertEqual(self.customer.complaint_count, 2)
        self.assertEqual(self.vehicle.complaint_count, 1)
        action = self.vehicle.action_view_complaints()
        self.assertEqual(self.env["helpdesk.ticket"].search_count(action["domain"]), 1)
        # New complaints from the button land in the complaint team, for this
        # vehicle and its driver.
        self.assertEqual(action["context"]["default_team_id"], self.team.id)
        self.assertEqual(action["context"]["default_vehicle_id"], self.vehicle.id)
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)
        self.assertNotIn("search_default_open_complaints", action["context"])
        action = self.customer.action_view_complaints()
        self.assertEqual(
            self.env["helpdesk.ticket"].search_count(
                action["domain"] + [("is_complaint", "=", True)]
            ),
            2,
        )
