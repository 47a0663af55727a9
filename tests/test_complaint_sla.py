from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, sql_db

from .common import ComplaintCase


class TestComplaintSla(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Mon-Fri 08:00-12:00 and 13:00-17:00, Ljubljana time (UTC+1 in winter).
        cls.calendar = cls._garage_calendar("Europe/Ljubljana")
        cls.category = cls.env["helpdesk.ticket.category"].create({"name": "Bodywork"})
        cls.Sla = cls.env["helpdesk.complaint.sla"]

    def test_default_48_hours_and_past_sla(self):
        with freeze_time("2026-01-09 14:00:00"):
            complaint = self._create_complaint()
            self.assertEqual(complaint.complaint_date, datetime(2026, 1, 9, 14))
            self.assertEqual(complaint.sla_deadline, datetime(2026, 1, 11, 14))
            self.assertFalse(complaint.sla_policy_id)
            self.assertEqual(complaint.sla_status, "on_time")
        Ticket = self.env["helpdesk.ticket"]
        with freeze_time("2026-01-11 13:59:00"):
            complaint.invalidate_recordset(["sla_status", "sla_expired"])
            self.assertFalse(complaint.sla_expired)
            self.assertNotIn(complaint, Ticket.search([("sla_expired", "=", True)]))
            self.assertIn(complaint, Ticket.search([("sla_expired", "=", False)]))
        with freeze_time("2026-01-11 14:01:00"):
            complaint.invalidate_recordset(["sla_status", "sla_expired"])
            self.assertTrue(complaint.sla_expired)
            self.assertEqual(complaint.sla_status, "late")
            self.assertIn(complaint, Ticket.search([("sla_expired", "=", True)]))
            self.assertNotIn(complaint, Ticket.search([("sla_expired", "!=", True)]))
            # Closed late: no longer "past SLA", but breached.
            complaint.topic_ids = self.topic_delay
            complaint.with_user(self.officer).action_complaint_close()
            complaint.invalidate_recordset(["sla_status", "sla_expired"])
            self.assertFalse(complaint.sla_expired)
            self.assertEqual(complaint.sla_status, "breached")
            self.assertFalse(complaint.sla_met)
            self.assertNotIn(complaint, Ticket.search([("sla_expired", "=", True)]))

    def test_company_default_hours(self):
        self.company.complaint_sla_hours = 24
        with freeze_time("2026-01-09 14:00:00"):
            complaint = self._create_complaint()
        self.assertEqual(complaint.sla_deadline, datetime(2026, 1, 10, 14))

    def test_working_hours_across_night_and_weekend(self):
        self.Sla.create(
            {"name": "8 working hours", "hours": 8, "calendar_id": self.calendar.id}
        )
        # Friday 15:00 in Ljubljana: 2 h on Friday, 4 h Monday morning,
        # 2 h Monday afternoon -> Monday 15:00 local, 14:00 UTC.
        with freeze_time("2026-01-09 14:00:00"):
            complaint = self._create_complaint()
        self.assertEqual(complaint.sla_deadline, datetime(2026, 1, 12, 14))
        # Registered at night (Tuesday 02:00 local): the clock starts at 08:00.
        with freeze_time("2026-01-13 01:00:00"):
            night = self._create_complaint()
        self.assertEqual(night.sla_deadline, datetime(2026, 1, 13, 16))

    def test_working_hours_skip_public_holiday(self):
        self.Sla.create(
            {"name": "8 working hours", "hours": 8, "calendar_id": self.calendar.id}
        )
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 1, 11, 23),
                "date_to": datetime(2026, 1, 12, 22, 59),
            }
        )
        with freeze_time("2026-01-09 14:00:00"):
            complaint = self._create_complaint()
        self.assertEqual(complaint.sla_deadline, datetime(2026, 1, 13, 14))

    def test_policy_per_urgency_category_customer(self):
        high = self.Sla.create({"name": "High", "urgency": "high", "hours": 24})
        body = self.Sla.create(
            {
                "name": "Bodywork",
                "category_ids": [Command.link(self.category.id)],
                "hours": 72,
            }
        )
        fleet_customer = self.Sla.create(
            {
                "name": "Key account, high",
                "partner_ids": [Command.link(self.customer.id)],
                "urgency": "high",
                "hours": 4,
            }
        )
        stranger = self.env["res.partner"].create({"name": "Walk-in"})
        with freeze_time("2026-01-09 14:00:00"):
            normal = self._create_complaint(partner_id=stranger.id)
            urgent = self._create_complaint(partner_id=stranger.id, urgency="high")
            bodywork = self._create_complaint(
                partner_id=stranger.id, category_id=self.category.id
            )
            key = self._create_complaint(urgency="high")
        self.assertFalse(normal.sla_policy_id)
        self.assertEqual(normal.sla_deadline, datetime(2026, 1, 11, 14))
        self.assertEqual(urgent.sla_policy_id, high)
        self.assertEqual(urgent.sla_deadline, datetime(2026, 1, 10, 14))
        self.assertEqual(bodywork.sla_policy_id, body)
        self.assertEqual(bodywork.sla_deadline, datetime(2026, 1, 12, 14))
        # Most specific policy wins (customer + urgency over urgency alone).
        self.assertEqual(key.sla_policy_id, fleet_customer)
        self.assertEqual(key.sla_deadline, datetime(2026, 1, 9, 18))
        # Raising the urgency later recomputes from the registration date.
        with freeze_time("2026-01-10 09:00:00"):
            normal.urgency = "high"
        self.assertEqual(normal.sla_policy_id, high)
        self.assertEqual(normal.sla_deadline, datetime(2026, 1, 10, 14))

    def test_first_response_and_resolution(self):
        with freeze_time("2026-01-09 14:00:00"):
            complaint = self._create_complaint(user_id=self.advisor.id)
        with freeze_time("2026-01-09 15:00:00"):
            complaint.with_user(self.advisor).message_post(
                body="Internal: check the invoice", subtype_xmlid="mail.mt_note"
            )
            self.assertFalse(complaint.first_response_date)
        with freeze_time("2026-01-09 16:30:00"):
            complaint.with_user(self.advisor).message_post(
                body="We are sorry, we will call you tomorrow.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(complaint.first_response_date, datetime(2026, 1, 9, 16, 30))
        self.assertEqual(complaint.first_response_hours, 2.5)
        with freeze_time("2026-01-10 08:00:00"):
            complaint.with_user(self.advisor).message_post(
                body="Second answer",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(complaint.first_response_date, datetime(2026, 1, 9, 16, 30))
        with freeze_time("2026-01-11 02:00:00"):
            complaint.topic_ids = self.topic_delay
            complaint.with_user(self.officer).action_complaint_close()
        self.assertEqual(complaint.closed_date, datetime(2026, 1, 11, 2))
        self.assertEqual(complaint.resolution_hours, 36.0)
        self.assertTrue(complaint.sla_met)
        self.assertEqual(complaint.sla_status, "met")

    def test_plain_ticket_has_no_sla(self):
        with freeze_time("2026-01-09 14:00:00"):
            ticket = self.env["helpdesk.ticket"].create(
                {"name": "x", "description": "<p>x</p>", "team_id": self.plain_team.id}
            )
        self.assertFalse(ticket.sla_deadline)
        self.assertFalse(ticket.sla_status)
        with freeze_time("2026-03-01"):
            self.assertNotIn(
                ticket, self.env["helpdesk.ticket"].search([("sla_expired", "=", True)])
            )

    def test_policy_precedence(self):
        """Same sequence, one criterion each: customer, then category, then
        urgency, then team, whatever the creation order."""
        Sla = self.env["helpdesk.complaint.sla"]
        team = Sla.create({"name": "Team", "hours": 40, "team_ids": self.team.ids})
        urgency = Sla.create({"name": "Urgency", "hours": 30, "urgency": "high"})
        category = Sla.create(
            {"name": "Category", "hours": 20, "category_ids": self.category.ids}
        )
        customer = Sla.create(
            {"name": "Customer", "hours": 10, "partner_ids": self.customer.ids}
        )
        complaint = self._create_complaint(urgency="high", category_id=self.category.id)
        self.assertEqual(complaint.sla_policy_id, customer)
        customer.active = False
        complaint = self._create_complaint(urgency="high", category_id=self.category.id)
        self.assertEqual(complaint.sla_policy_id, category)
        category.active = False
        complaint = self._create_complaint(urgency="high")
        self.assertEqual(complaint.sla_policy_id, urgency)
        urgency.active = False
        complaint = self._create_complaint(urgency="high")
        self.assertEqual(complaint.sla_policy_id, team)
        # A lower sequence still wins between policies as specific.
        team.active = category.active = True
        team.sequence = 1
        complaint = self._create_complaint(category_id=self.category.id)
        self.assertEqual(complaint.sla_policy_id, team)
        # And more criteria win over a lower sequence.
        both = Sla.create(
            {
                "name": "Category and urgency",
                "hours": 5,
                "sequence": 99,
                "category_ids": self.category.ids,
                "urgency": "high",
            }
        )
        complaint = self._create_complaint(urgency="high", category_id=self.category.id)
        self.assertEqual(complaint.sla_policy_id, both)

    def test_policies_loaded_once_per_transaction(self):
        """The handler (before insert) and the deadline (after) share one
        load of the policies; a policy changed since is seen."""
        high = self.Sla.create(
            {"name": "High", "urgency": "high", "hours": 24, "user_id": self.handler.id}
        )
        seen = []
        execute = sql_db.Cursor.execute

        def spy(cr, query, params=None, log_exceptions=True):
            seen.append(str(getattr(query, "code", query)))
            return execute(cr, query, params, log_exceptions)

        with patch.object(sql_db.Cursor, "execute", spy):
            first = self._create_complaint(urgency="high")
            second = self._create_complaint(urgency="high")
        loads = [q for q in seen if 'FROM "helpdesk_complaint_sla"' in q]
        self.assertEqual(len(loads), 1, loads)
        self.assertEqual((first | second).sla_policy_id, high)
        self.assertEqual((first | second).user_id, self.handler)
        high.urgency = "medium"
        third = self._create_complaint(urgency="high")
        self.assertFalse(third.sla_policy_id)
        self.assertNotEqual(third.user_id, self.handler)
