# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The promise the customer reads (mail, SMS, portal) falls within the
garage's working hours when the SLA counts working hours: the deadline is
planned in the calendar (resource.calendar.plan_hours), whose result always
lies inside an attendance, and is then shown in the customer's time zone."""

from datetime import datetime

import pytz
from freezegun import freeze_time

from .common import ComplaintCase

GARAGE_TZ = "Europe/Ljubljana"


class TestComplaintSlaWorkingHours(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Mon-Fri 08:00-12:00 and 13:00-17:00, Ljubljana time (UTC+1 in winter).
        cls.calendar = cls._garage_calendar(GARAGE_TZ)
        cls.env["helpdesk.complaint.sla"].create(
            {"name": "8 working hours", "hours": 8, "calendar_id": cls.calendar.id}
        )
        cls.customer.tz = GARAGE_TZ
        cls.mail = cls.env.ref(
            "helpdesk_mgmt_complaint.mail_template_complaint_received"
        )
        cls.sms = cls.env.ref("helpdesk_mgmt_complaint.sms_template_complaint_received")

    def _assert_within_working_hours(self, deadline):
        local = pytz.utc.localize(deadline).astimezone(pytz.timezone(GARAGE_TZ))
        hour = local.hour + local.minute / 60
        self.assertLess(local.weekday(), 5, f"{local} is a weekend")
        self.assertTrue(8 <= hour <= 12 or 13 <= hour <= 17, f"{local} is after hours")

    def test_friday_evening_promised_monday_within_hours(self):
        # Friday 9 January 2026, 17:00 in Ljubljana: the day is over.
        with freeze_time("2026-01-09 16:00:00"):
            complaint = self._create_complaint()
        # 8 working hours: Monday 08:00-12:00 and 13:00-17:00.
        self.assertEqual(complaint.sla_deadline, datetime(2026, 1, 12, 16))
        self._assert_within_working_hours(complaint.sla_deadline)
        promised = "1/12/26, 5:00 PM"
        self.assertEqual(complaint._complaint_promised_date(), promised)
        body = self.mail._render_field("body_html", complaint.ids)[complaint.id]
        self.assertIn(promised, body)
        sms = self.sms._render_field("body", complaint.ids)[complaint.id]
        self.assertIn(promised, sms)
        self.assertNotIn("5:00:00", sms, "no seconds")

    def test_any_registration_time_promised_within_hours(self):
        """Night, weekend, lunch and end-of-day registrations alike."""
        for moment in (
            "2026-01-09 11:00:00",  # Friday 12:00 local, lunch
            "2026-01-10 09:00:00",  # Saturday
            "2026-01-13 01:00:00",  # Tuesday 02:00 local
            "2026-01-14 15:59:00",  # Wednesday 16:59 local
        ):
            with freeze_time(moment):
                complaint = self._create_complaint()
            self._assert_within_working_hours(complaint.sla_deadline)

    def test_customer_without_time_zone_reads_the_garage_time(self):
        self.customer.tz = False
        self.company.partner_id.tz = GARAGE_TZ
        with freeze_time("2026-01-09 16:00:00"):
            complaint = self._create_complaint()
        self.assertEqual(complaint._complaint_promised_date(), "1/12/26, 5:00 PM")
        # A customer abroad reads the same moment in their own time.
        self.customer.tz = "Asia/Jerusalem"
        self.assertEqual(complaint._complaint_promised_date(), "1/12/26, 6:00 PM")
