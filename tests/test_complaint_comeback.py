from datetime import datetime, timedelta

from odoo import Command

from .common import ComplaintCase

BASE = datetime(2026, 6, 1, 10, 0)


class TestComplaintComeback(ComplaintCase):
    """Same vehicle (or customer + product), same problem, within N days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.env["helpdesk.ticket.category"].create({"name": "Brakes"})
        cls.other_category = cls.env["helpdesk.ticket.category"].create(
            {"name": "Paint"}
        )
        cls.other_customer = cls.env["res.partner"].create({"name": "Jan Novak"})
        cls.product = cls.env["product.product"].create({"name": "Battery"})
        cls.company.complaint_comeback_days = 30

    def _vehicle(self, plate, driver=None):
        return self.env["fleet.vehicle"].create(
            {
                "model_id": self.vehicle.model_id.id,
                "license_plate": plate,
                "driver_id": (driver or self.customer).id,
            }
        )

    def _complaint(self, when, **vals):
        vals.setdefault("category_id", self.category.id)
        return self._create_complaint(complaint_date=when, **vals)

    def test_window_is_inclusive_in_days(self):
        for days, expected in ((29, True), (30, True), (31, False)):
            vehicle = self._vehicle(f"W-{days}")
            first = self._complaint(BASE, vehicle_id=vehicle.id)
            # Late in the day N: calendar days count, not hours.
            later = self._complaint(
                BASE + timedelta(days=days, hours=8), vehicle_id=vehicle.id
            )
            self.assertEqual(later.is_comeback, expected, f"{days} days")
            self.assertEqual(
                later.comeback_of_id, first if expected else later.browse()
            )
            self.assertEqual(first.comeback_ids, later if expected else later.browse())
            self.assertFalse(first.is_comeback)

    def test_window_setting(self):
        self.company.complaint_comeback_days = 10
        vehicle = self._vehicle("S-1")
        self._complaint(BASE, vehicle_id=vehicle.id)
        self.assertFalse(
            self._complaint(
                BASE + timedelta(days=11), vehicle_id=vehicle.id
            ).is_comeback
        )
        self.company.complaint_comeback_days = 0
        self.assertFalse(
            self._complaint(BASE + timedelta(days=1), vehicle_id=vehicle.id).is_comeback
        )

    def test_links_to_the_latest_earlier_and_tells_the_officer(self):
        vehicle = self._vehicle("L-1")
        self._complaint(BASE, vehicle_id=vehicle.id)
        second = self._complaint(BASE + timedelta(days=5), vehicle_id=vehicle.id)
        third = self._complaint(BASE + timedelta(days=9), vehicle_id=vehicle.id)
        self.assertEqual(third.comeback_of_id, second)
        activity = third.activity_ids.filtered(lambda a: a.user_id == self.officer)
        self.assertEqual(len(activity), 1)
        self.assertIn(second.display_name, activity.summary)
        self.assertIn("Comeback", third.message_ids[0].body)

    def test_same_problem_category_or_topic(self):
        vehicle = self._vehicle("P-1")
        first = self._complaint(
            BASE, vehicle_id=vehicle.id, topic_ids=[Command.link(self.topic_delay.id)]
        )
        later = self._complaint(
            BASE + timedelta(days=3),
            vehicle_id=vehicle.id,
            category_id=self.other_category.id,
        )
        self.assertFalse(later.is_comeback, "other category, no shared topic")
        # Classified later: the shared topic makes it a comeback.
        later.topic_ids = [Command.link(self.topic_delay.id)]
        self.assertTrue(later.is_comeback)
        self.assertEqual(later.comeback_of_id, first)
        # Set later to the same category also counts (another pair).
        vehicle2 = self._vehicle("P-2")
        self._complaint(BASE, vehicle_id=vehicle2.id)
        late_cat = self._complaint(
            BASE + timedelta(days=3),
            vehicle_id=vehicle2.id,
            category_id=self.other_category.id,
        )
        late_cat.category_id = self.category
        self.assertTrue(late_cat.is_comeback)

    def test_across_vehicles_and_customers(self):
        vehicle = self._vehicle("X-1")
        self._complaint(BASE, vehicle_id=vehicle.id)
        # Another vehicle of the same customer: not the same car.
        other_car = self._complaint(
            BASE + timedelta(days=2), vehicle_id=self._vehicle("X-2").id
        )
        self.assertFalse(other_car.is_comeback)
        # The same car with another customer (sold, lent): a comeback.
        same_car = self._complaint(
            BASE + timedelta(days=2),
            vehicle_id=vehicle.id,
            partner_id=self.other_customer.id,
        )
        self.assertTrue(same_car.is_comeback)

    def test_customer_and_product(self):
        first = self._complaint(BASE, product_id=self.product.id)
        again = self._complaint(BASE + timedelta(days=4), product_id=self.product.id)
        self.assertEqual(again.comeback_of_id, first)
        other = self._complaint(
            BASE + timedelta(days=4),
            product_id=self.product.id,
            partner_id=self.other_customer.id,
        )
        self.assertFalse(other.is_comeback, "same product, another customer")

    def test_customer_product_and_serial(self):
        first = self._complaint(
            BASE, product_id=self.product.id, product_serial="BT-2024-0001"
        )
        other_unit = self._complaint(
            BASE + timedelta(days=2),
            product_id=self.product.id,
            product_serial="BT-2024-0002",
        )
        self.assertFalse(other_unit.is_comeback, "another unit of the product")
        same_unit = self._complaint(
            BASE + timedelta(days=3),
            product_id=self.product.id,
            product_serial="bt 2024 0001",
        )
        self.assertEqual(same_unit.comeback_of_id, first)

    def test_one_batch_and_plain_tickets(self):
        vehicle = self._vehicle("B-1")
        first, second = self.env["helpdesk.ticket"].create(
            [
                self._complaint_vals(
                    complaint_date=BASE,
                    vehicle_id=vehicle.id,
                    category_id=self.category.id,
                ),
                self._complaint_vals(
                    complaint_date=BASE + timedelta(days=1),
                    vehicle_id=vehicle.id,
                    category_id=self.category.id,
                ),
            ]
        )
        self.assertEqual(second.comeback_of_id, first)
        plain = self.env["helpdesk.ticket"].create(
            {
                "name": "Question",
                "description": "<p>?</p>",
                "team_id": self.plain_team.id,
                "vehicle_id": vehicle.id,
                "category_id": self.category.id,
            }
        )
        self.assertFalse(plain.is_comeback)

    def _batch(self, size, tag):
        """`size` earlier complaints and `size` comebacks of them, the check
        not run yet (window 0 while creating)."""
        self.company.complaint_comeback_days = 0
        vehicles = self.env["fleet.vehicle"].create(
            [
                {"model_id": self.vehicle.model_id.id, "license_plate": f"{tag}{i}"}
                for i in range(size)
            ]
        )
        Ticket = self.env["helpdesk.ticket"]
        for offset in (0, 2):
            tickets = Ticket.create(
                [
                    self._complaint_vals(
                        complaint_date=BASE + timedelta(days=offset),
                        vehicle_id=v.id,
                        category_id=self.category.id,
                    )
                    for v in vehicles
                ]
            )
        self.company.complaint_comeback_days = 30
        self.env.flush_all()
        self.env.invalidate_all()
        return tickets

    def test_no_vehicle_nor_product_no_lookup(self):
        """Nothing a key compares: the complaint is not looked up at all (a
        complaint about the reception, not a car)."""
        self._complaint(BASE)
        complaint = self._complaint(BASE + timedelta(days=1))
        self.env.flush_all()
        with self.assertQueryCount(0):
            self.assertFalse(complaint._complaint_detect_comebacks())
        self.assertFalse(complaint.is_comeback)

    def test_batch_check_in_constant_queries(self):
        self._batch(2, "WARM")._complaint_detect_comebacks()  # caches
        small = self._batch(10, "Q")
        start = self.env.cr.sql_log_count
        small._complaint_detect_comebacks()
        self.env.flush_all()
        count = self.env.cr.sql_log_count - start
        large = self._batch(50, "R")
        with self.assertQueryCount(count):
            large._complaint_detect_comebacks()
        self.assertTrue(all(large.mapped("is_comeback")))
        self.assertEqual(len(large.activity_ids), 50)

    def test_demo_comeback_pair(self):
        second = self.env.ref(
            "helpdesk_mgmt_complaint.complaint_comeback_second_demo",
            raise_if_not_found=False,
        )
        if not second:
            self.skipTest("installed without demo data")
        first = self.env.ref("helpdesk_mgmt_complaint.complaint_comeback_first_demo")
        self.assertTrue(second.is_comeback)
        self.assertEqual(second.comeback_of_id, first)
        self.assertIn(second, first.comeback_ids)
