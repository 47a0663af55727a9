# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Repair requests to external service centres: state flow, sending, the
stage mapping under the rights rules, access, timeliness alerts."""

from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import ComplaintCase


class RepairCase(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "Injector pump IP4", "complaint_warranty_months": 24}
        )
        cls.centre = cls.env["res.partner"].create(
            {
                "name": "Pump Service Ltd",
                "email": "service@pumps.example.com",
                "is_service_centre": True,
            }
        )
        cls.centre_no_mail = cls.env["res.partner"].create(
            {"name": "No Mail Service", "is_service_centre": True}
        )
        cls.complaint = cls._create_complaint(
            product_id=cls.product.id,
            product_serial="IP4-7781",
            user_id=cls.handler.id,
            topic_ids=[(6, 0, cls.topic_delay.ids)],
            resolution_method="repair",
        )
        cls.Repair = cls.env["helpdesk.complaint.repair"]
        # Only this test's mapping (the demo data maps other stages).
        cls.env["helpdesk.ticket.stage"].search([]).repair_state = False
        cls.stage_analysed.repair_state = "received"
        cls.stage_closed.repair_state = "returned"
        # Repaired elsewhere: the complaint may go straight to closed.
        cls.team.complaint_strict_review = False

    def _repair(self, **vals):
        return self.Repair.create(
            {
                "ticket_id": self.complaint.id,
                "service_centre_id": self.centre.id,
                **vals,
            }
        )


@tagged("post_install", "-at_install")
class TestComplaintRepair(RepairCase):
    def test_defaults_from_complaint(self):
        repair = self._repair()
        self.assertEqual(repair.product_id, self.product)
        self.assertEqual(repair.serial, "IP4-7781")
        self.assertIn("Brakes squeal", repair.fault)
        self.assertTrue(repair.name.startswith("REP/"))
        self.assertEqual(self.complaint.repair_count, 1)

    def test_each_transition_dated_and_recorded(self):
        attachment = self.env["ir.attachment"].create(
            {
                "name": "photo.jpg",
                "raw": b"jpeg",
                "res_model": "helpdesk.ticket",
                "res_id": self.complaint.id,
            }
        )
        repair = self._repair(attachment_ids=[(6, 0, attachment.ids)])
        with self.assertRaises(UserError):
            repair.action_received()  # not sent yet
        repair.with_user(self.complaint_manager)._complaint_send()
        self.assertEqual(repair.state, "sent")
        self.assertTrue(repair.date_sent)
        sent = repair.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(sent), 1)
        self.assertIn(self.centre, sent.partner_ids)
        self.assertIn("IP4-7781", sent.body)
        self.assertIn(f"/repair/{repair.id}?access_token=", sent.body)
        self.assertEqual(sent.attachment_ids.mapped("name"), ["photo.jpg"])
        for action, state in (
            ("action_received", "received"),
            ("action_started", "started"),
            ("action_repaired", "repaired"),
            ("action_returned", "returned"),
        ):
            getattr(repair.with_user(self.complaint_manager), action)()
            self.assertEqual(repair.state, state)
            self.assertTrue(repair[f"date_{state}"])
        events = repair.event_ids.sorted("id")
        self.assertEqual(
            events.mapped("state"),
            ["sent", "received", "started", "repaired", "returned"],
        )
        self.assertEqual(events.user_id, self.complaint_manager)
        self.assertFalse(any(events.mapped("via_link")))
        self.assertEqual(self.complaint.repair_event_ids, repair.event_ids)
        with self.assertRaises(UserError):
            repair.action_refused()  # returned is final
        other = self._repair()
        other.action_refused()
        self.assertEqual(other.state, "refused")
        self.assertTrue(other.date_refused)

    def test_send_needs_centre_email(self):
        repair = self._repair(service_centre_id=self.centre_no_mail.id)
        with self.assertRaisesRegex(UserError, "no e-mail address"):
            repair.action_send()
        self.assertEqual(repair.state, "draft", "nothing lost")

    def test_send_through_composer(self):
        repair = self._repair(requested_return_date=date(2026, 12, 24))
        action = repair.action_send()
        composer = Form(
            self.env["mail.compose.message"].with_context(**action["context"])
        )
        composer.body = "<p>Edited text for the centre</p>"
        composer.save().action_send_mail()
        self.assertEqual(repair.state, "sent")
        self.assertIn(
            "Edited text",
            repair.message_ids.filtered(lambda m: m.message_type == "comment").body,
        )

    def test_stage_mapping_under_rights(self):
        repair = self._repair()
        repair._complaint_send()
        repair.with_user(self.handler).action_received()
        self.assertEqual(self.complaint.stage_id, self.stage_analysed)
        repair.with_user(self.handler).action_started()
        repair.with_user(self.handler).action_repaired()
        # The handler has no close right: the state is recorded, the
        # complaint stays open and says why.
        repair.with_user(self.handler).action_returned()
        self.assertEqual(repair.state, "returned")
        self.assertEqual(self.complaint.stage_id, self.stage_analysed)
        self.assertIn("not moved", self.complaint.message_ids[0].body, "refusal noted")
        # A user with the close right closes it through the same mapping.
        other = self._repair()
        other._complaint_send()
        for action in ("action_received", "action_started", "action_repaired"):
            getattr(other.with_user(self.officer), action)()
        other.with_user(self.officer).action_returned()
        self.assertEqual(
            self.complaint.stage_id,
            self.stage_closed,
            self.complaint.message_ids[0].body,
        )

    def test_link_acts_as_handler_and_closes_only_when_allowed(self):
        repair = self._repair()
        repair._complaint_send()
        repair._complaint_set_state("received", via_link=True)
        self.assertEqual(self.complaint.stage_id, self.stage_analysed)
        self.assertEqual(
            self.complaint.stage_id, self.stage_analysed, "moved as the handler"
        )
        for state in ("started", "repaired", "returned"):
            repair._complaint_set_state(state, via_link=True)
        last = repair.event_ids.sorted("id")[-1]
        self.assertTrue(last.via_link)
        self.assertFalse(repair.event_ids.filtered("via_link").user_id)
        self.assertIn("service centre", last.author)
        self.assertEqual(self.complaint.stage_id, self.stage_analysed, "not allowed")
        # Allowed by the company and the handler has the close right.
        self.company.complaint_repair_link_may_close = True
        self.complaint.user_id = self.officer
        other = self._repair()
        other._complaint_send()
        for state in ("received", "started", "repaired", "returned"):
            other._complaint_set_state(state, via_link=True)
        self.assertEqual(self.complaint.stage_id, self.stage_closed)

    def test_link_close_allowed_but_handler_without_close_right(self):
        self.company.complaint_repair_link_may_close = True
        repair = self._repair()
        repair._complaint_send()
        for state in ("received", "started", "repaired", "returned"):
            repair._complaint_set_state(state, via_link=True)
        self.assertEqual(repair.state, "returned")
        self.assertFalse(self.complaint.stage_id.closed)

    def test_access_follows_the_complaint(self):
        own_user = new_test_user(
            self.env,
            login="hmc_own_only",
            name="Own Only",
            groups="helpdesk_mgmt.group_helpdesk_user_own",
        )
        repair = self._repair()
        repair._complaint_send()
        Repair = self.Repair.with_user(own_user)
        self.assertFalse(Repair.search([("id", "=", repair.id)]))
        self.assertFalse(
            self.env["helpdesk.complaint.repair.event"]
            .with_user(own_user)
            .search([("repair_id", "=", repair.id)])
        )
        with self.assertRaises(AccessError):
            repair.with_user(own_user).read(["name"])
        self.complaint.user_id = own_user
        self.assertEqual(Repair.search([("id", "=", repair.id)]), repair)
        with self.assertRaises(AccessError):
            self.env["helpdesk.complaint.repair.event"].with_user(own_user).create(
                {"repair_id": repair.id, "state": "returned"}
            )


@tagged("post_install", "-at_install")
class TestComplaintRepairAlerts(RepairCase):
    def _alerts(self):
        alert_type = self.env.ref(
            "helpdesk_mgmt_complaint.mail_activity_type_complaint_alert"
        )
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "helpdesk.ticket"),
                ("res_id", "=", self.complaint.id),
                ("activity_type_id", "=", alert_type.id),
            ]
        )

    def _run(self, at):
        with freeze_time(at):
            return self.env["helpdesk.ticket"]._cron_complaint_repair_alerts()

    def test_not_started_alert_once(self):
        with freeze_time("2026-03-02 09:00:00"):
            repair = self._repair()
            repair._complaint_send()
        self._run("2026-03-05 08:59:00")
        self.assertFalse(self._alerts(), "not 3 days yet")
        self._run("2026-03-05 09:01:00")
        alerts = self._alerts()
        self.assertEqual(len(alerts), 1)
        self.assertEqual(alerts.user_id, self.handler)
        self.assertIn("not started", alerts.summary)
        self.assertTrue(repair.start_alert_date)
        self._run("2026-03-06 10:00:00")
        self.assertEqual(len(self._alerts()), 1, "rerun adds nothing")
        # Started in time: no alert for another request.
        with freeze_time("2026-03-02 09:00:00"):
            started = self._repair()
            started._complaint_send()
            started.action_received()
            started.action_started()
        self._run("2026-03-09 09:00:00")
        self.assertFalse(started.start_alert_date)

    def test_days_per_company_and_return_overdue(self):
        self.company.complaint_repair_start_days = 0
        with freeze_time("2026-03-02 09:00:00"):
            repair = self._repair(requested_return_date=date(2026, 3, 10))
            repair._complaint_send()
            repair.action_received()
        self._run("2026-03-10 18:00:00")
        self.assertFalse(self._alerts(), "start alert off; due date not passed")
        self._run("2026-03-11 07:00:00")
        alerts = self._alerts()
        self.assertEqual(len(alerts), 1)
        self.assertIn("overdue", alerts.summary)
        self._run("2026-03-12 07:00:00")
        self.assertEqual(len(self._alerts()), 1)
        # Returned requests are never overdue.
        with freeze_time("2026-03-02 09:00:00"):
            done = self._repair(requested_return_date=date(2026, 3, 3))
            done._complaint_send()
            for action in ("received", "started", "repaired", "returned"):
                getattr(done, f"action_{action}")()
        self._run("2026-03-20 07:00:00")
        self.assertFalse(done.return_alert_date)

    def test_through_the_scheduled_action(self):
        with freeze_time("2026-03-02 09:00:00"):
            repair = self._repair(requested_return_date=date(2026, 3, 3))
            repair._complaint_send()
        cron = self.env.ref("helpdesk_mgmt_complaint.ir_cron_complaint_repair_alerts")
        with (
            freeze_time(datetime(2026, 3, 9, 9, 0)),
            patch.object(self.env.cr, "commit"),
        ):
            cron.method_direct_trigger()
        alerts = self._alerts()
        self.assertEqual(len(alerts), 1, "one activity for both alerts")
        self.assertIn("not started", alerts.summary)
        self.assertIn("overdue", alerts.summary)
        with (
            freeze_time(datetime(2026, 3, 10, 9, 0)),
            patch.object(self.env.cr, "commit"),
        ):
            cron.method_direct_trigger()
        self.assertEqual(len(self._alerts()), 1)

    def _due_complaints(self, count):
        with freeze_time("2026-03-02 09:00:00"):
            complaints = self.env["helpdesk.ticket"].create(
                [
                    self._complaint_vals(
                        name=f"Due repair {i}", user_id=self.handler.id
                    )
                    for i in range(count)
                ]
            )
            repairs = self.Repair.create(
                [
                    {
                        "ticket_id": c.id,
                        "service_centre_id": self.centre.id,
                        "requested_return_date": date(2026, 3, 5),
                    }
                    for c in complaints
                ]
            )
            repairs.write({"state": "sent", "date_sent": datetime(2026, 3, 2, 9)})
        return complaints

    def test_query_count_independent_of_batch_size(self):
        now = datetime(2026, 3, 10, 9, 0)
        warm = self._due_complaints(2)
        few, many = self._due_complaints(3), self._due_complaints(15)
        counts = []
        for complaints in (warm, few, many):
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            with freeze_time(now):
                sent = complaints._complaint_send_repair_alerts(now)
            self.env.flush_all()
            counts.append(self.cr.sql_log_count - start)
            self.assertEqual(sent, 2 * len(complaints), "both alerts per request")
        self.assertEqual(counts[1], counts[2], counts)
