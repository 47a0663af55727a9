"""The front desk: the caller found by phone in any format, by e-mail or by
customer number; plates found however they are typed; customer and vehicle
filled in from whatever was typed first; deadlines in words."""

from datetime import datetime, timedelta

from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import ComplaintCase


class TestComplaintFrontDesk(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ana = cls.env["res.partner"].create(
            {
                "name": "Ana Novak",
                "email": "ana.novak@example.com",
                "phone": "041 777 912",
                "ref": "C-20077",
            }
        )
        # Stored in national form, no country: phonenumbers cannot tell.
        cls.dana = cls.env["res.partner"].create(
            {"name": "Dana Levi", "phone": "052-987 6543"}
        )
        cls.ana_car = cls.vehicle.copy(
            {"license_plate": "KR 88-XYZ", "driver_id": cls.ana.id, "vin_sn": False}
        )
        cls.Partner = cls.env["res.partner"].with_context(complaint_partner_search=True)

    def _customer_search(self, text):
        return self.Partner.browse(
            [pid for pid, _name in self.Partner.name_search(text, limit=20)]
        )

    def test_customer_field_finds_the_caller_by_any_phone_format(self):
        for typed in ("041 777 912", "041777912", "041-777-912", "+386 41 777 912"):
            with self.subTest(typed=typed):
                self.assertEqual(self._customer_search(typed), self.ana)
        # Typed in international form, stored nationally, number rejected
        # by phonenumbers: the national digits still compare.
        self.assertEqual(self._customer_search("+972 52-987-6543"), self.dana)
        self.assertEqual(self._customer_search("00972 52 987 6543"), self.dana)
        # Outside the complaint form, core's search is unchanged.
        plain = self.env["res.partner"].name_search("041 777 912")
        self.assertFalse(plain)

    def test_customer_field_finds_by_email_and_partial_customer_number(self):
        self.assertEqual(self._customer_search("ana.novak@"), self.ana)
        self.assertEqual(self._customer_search("20077"), self.ana)
        # Too few digits to be a phone: not taken as one.
        self.assertNotIn(self.ana, self._customer_search("912"))

    def test_plate_found_however_typed(self):
        Vehicle = self.env["fleet.vehicle"]
        for typed in ("KR88XYZ", "88XYZ", "kr 88-xyz", "88xyz", "KR 88-XYZ"):
            with self.subTest(typed=typed):
                found = Vehicle.browse([v for v, _n in Vehicle.name_search(typed)])
                self.assertEqual(found, self.ana_car)

    def test_search_bar(self):
        complaint = self._create_complaint(
            partner_id=self.ana.id, vehicle_id=self.ana_car.id
        )
        other = self._create_complaint(partner_id=self.dana.id)
        Ticket = self.env["helpdesk.ticket"].with_user(self.complaint_manager)
        # The search view's filters, as the search bar applies them.
        for typed in ("KR88XYZ", "88XYZ", "kr 88-xyz"):
            with self.subTest(typed=typed):
                self.assertEqual(
                    Ticket.search([("vehicle_id", "ilike", typed)]), complaint
                )
        self.assertEqual(
            Ticket.search([("partner_id.commercial_partner_id.ref", "ilike", "20077")]),
            complaint,
        )
        self.assertEqual(
            Ticket.search([("complaint_phone_search", "ilike", "+972 52-987-6543")]),
            other,
        )
        self.assertEqual(
            Ticket.search([("complaint_phone_search", "ilike", "041-777-912")]),
            complaint,
        )
        arch = Ticket.get_views([(False, "search")])["views"]["search"]["arch"]
        self.assertIn("('vehicle_id', 'ilike', self)", arch)
        self.assertIn("('partner_id.commercial_partner_id.ref', 'ilike', self)", arch)

    def _new_form(self, user=None):
        Ticket = self.env["helpdesk.ticket"].with_user(user or self.advisor)
        return Form(
            Ticket.with_context(default_is_complaint=True, default_team_id=self.team.id)
        )

    def test_new_complaint_title(self):
        complaint = self.env["helpdesk.ticket"].new(
            {"is_complaint": True, "team_id": self.team.id}
        )
        self.assertEqual(complaint.display_name, "New complaint")
        self.assertEqual(
            self._create_complaint().display_name.split(" - ")[1],
            "Noise after brake repair",
        )

    def test_phone_typed_first_selects_customer_and_only_vehicle(self):
        form = self._new_form()
        form.partner_phone = "+386 41 777 912"
        self.assertEqual(form.partner_id, self.ana)
        self.assertEqual(form.partner_phone, "+386 41 777 912", "kept as typed")
        self.assertEqual(form.vehicle_id, self.ana_car, "her only vehicle")
        self.assertFalse(form.phone_warning)
        form.name = "Scratch after wash"
        form.description = "<p>Scratch on the door.</p>"
        form.channel_id = self.channel_phone
        complaint = form.save()
        self.assertEqual(complaint.partner_id, self.ana)
        self.assertEqual(complaint.vehicle_id, self.ana_car)

    def test_vehicle_picked_first_fills_its_owner(self):
        form = self._new_form()
        form.vehicle_id = self.ana_car
        self.assertEqual(form.partner_id, self.ana)
        # Choosing another customer drops a vehicle that is not theirs...
        form.partner_id = self.customer
        self.assertEqual(form.vehicle_id, self.vehicle)
        # ...unless another customer's vehicle is asked for.
        form.complaint_any_vehicle = True
        form.vehicle_id = self.ana_car
        self.assertEqual(form.partner_id, self.customer)

    def test_no_vehicle_preselected_among_several(self):
        self.vehicle.copy({"license_plate": "LJ 11-AAA", "driver_id": self.ana.id})
        form = self._new_form()
        form.partner_id = self.ana
        self.assertFalse(form.vehicle_id)

    def test_no_phone_warning_before_the_customer_is_known(self):
        form = self._new_form()
        form.partner_phone = "999"
        self.assertFalse(form.partner_id)
        self.assertFalse(form.phone_warning)
        form.partner_id = self.dana
        form.partner_phone = "999"
        self.assertTrue(form.phone_warning)

    def test_relative_deadline(self):
        Ticket = self.env["helpdesk.ticket"]
        now = datetime(2026, 3, 2, 12, 0)
        cases = [
            (now + timedelta(hours=5, minutes=10), "due in 5 h"),
            (now - timedelta(days=2, hours=3), "overdue by 2 days"),
            (now + timedelta(minutes=20), "due in 20 min"),
            (now + timedelta(days=3), "due in 3 days"),
        ]
        for deadline, words in cases:
            self.assertEqual(Ticket._complaint_relative_deadline(deadline, now), words)
        complaint = self._create_complaint()
        self.assertTrue(complaint.sla_deadline_relative.startswith("due in"))
        complaint.sla_deadline = datetime.now() - timedelta(days=2, hours=1)
        self.assertEqual(complaint.sla_deadline_relative, "overdue by 2 days")


@tagged("post_install", "-at_install")
class TestComplaintFrontDeskPortal(HttpCase):
    def test_portal_plate_search_ignores_separators(self):
        user = new_test_user(
            self.env, login="hmc_fd_portal", groups="base.group_portal"
        )
        vehicle = self.env["fleet.vehicle"].create(
            {
                "model_id": self.env["fleet.vehicle.model"]
                .create(
                    {
                        "name": "Clio",
                        "brand_id": self.env["fleet.vehicle.model.brand"]
                        .create({"name": "Renault"})
                        .id,
                    }
                )
                .id,
                "license_plate": "KR 88-XYZ",
                "driver_id": user.partner_id.id,
            }
        )
        self.env["helpdesk.ticket"].create(
            {
                "name": "portal-plate-complaint",
                "description": "<p>x</p>",
                "team_id": self.env.ref(
                    "helpdesk_mgmt_complaint.helpdesk_team_complaints"
                ).id,
                "partner_id": user.partner_id.id,
                "channel_id": self.env.ref(
                    "helpdesk_mgmt.helpdesk_ticket_channel_web"
                ).id,
                "vehicle_id": vehicle.id,
            }
        )
        self.authenticate("hmc_fd_portal", "hmc_fd_portal")
        for typed in ("88xyz", "KR88XYZ", "kr%2088-xyz"):
            resp = self.url_open(f"/my/complaints?search={typed}&search_in=plate")
            self.assertIn("portal-plate-complaint", resp.text, typed)
        resp = self.url_open("/my/complaints?search=99ZZZ&search_in=plate")
        self.assertNotIn("portal-plate-complaint", resp.text)
