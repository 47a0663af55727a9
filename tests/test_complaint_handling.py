from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form

from .common import ComplaintCase


class TestComplaintHandling(ComplaintCase):
    def test_call_customer_logs_call_and_reaction_time(self):
        with freeze_time("2026-01-09 14:00:00"):
            complaint = self._create_complaint(
                user_id=self.handler.id, vehicle_id=self.vehicle.id
            )
        action = complaint.with_user(self.handler).action_complaint_call()
        self.assertEqual(action["res_model"], "helpdesk.complaint.call.wizard")
        with freeze_time("2026-01-09 14:45:00"):
            wizard_form = Form(
                self.env[action["res_model"]]
                .with_user(self.handler)
                .with_context(**action["context"])
            )
            # The customer's number, shown as a tel: link in the dialog.
            self.assertEqual(wizard_form.phone, "0470 12 34 56")
            wizard_form.outcome = "Customer comes on Monday at 8:00"
            wizard_form.save().action_log_call()
        call = complaint.message_ids.filtered(
            lambda m: m.mail_activity_type_id
            == self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(len(call), 1)
        self.assertEqual(call.author_id, self.handler.partner_id)
        self.assertIn("Customer comes on Monday", call.body)
        self.assertEqual(complaint.first_response_date, datetime(2026, 1, 9, 14, 45))
        self.assertEqual(complaint.first_response_hours, 0.75)
        self.assertEqual(complaint.last_progress_date, datetime(2026, 1, 9, 14, 45))

    def test_vehicle_change_is_one_tracking_line(self):
        """The vehicle's plate, VIN and model are related fields: only the
        vehicle itself is tracked (fleet's tracking is not copied to them)."""
        complaint = self._create_complaint(vehicle_id=self.vehicle.id)
        other = self.vehicle.copy({"license_plate": "2-XYZ-987", "vin_sn": "VIN2"})
        self._flush_tracking()  # as if committed: the creation is done
        tracked_env = {"tracking_disable": False, "mail_notrack": False}
        complaint.with_context(**tracked_env).vehicle_id = other
        self._flush_tracking()
        complaint.invalidate_recordset(["message_ids"])
        tracked = complaint.message_ids[0].tracking_value_ids.field_id.mapped("name")
        self.assertEqual(tracked, ["vehicle_id"])
        self.assertEqual(complaint.vehicle_license_plate, "2-XYZ-987")

    def test_call_requires_outcome(self):
        complaint = self._create_complaint()
        wizard = self.env["helpdesk.complaint.call.wizard"].create(
            {"ticket_id": complaint.id, "outcome": "  "}
        )
        with self.assertRaises(ValidationError):
            wizard.action_log_call()
        self.assertFalse(complaint.first_response_date)

    def test_book_visit(self):
        complaint = self._create_complaint(
            user_id=self.handler.id, vehicle_id=self.vehicle.id
        )
        self.assertEqual(complaint.visit_count, 0)
        action = complaint.with_user(self.handler).action_complaint_book_visit()
        event = (
            self.env["calendar.event"]
            .with_user(self.handler)
            .with_context(**action["context"])
            .create(
                {
                    "start": datetime(2026, 1, 12, 8),
                    "stop": datetime(2026, 1, 12, 9),
                }
            )
        )
        self.assertEqual(event.res_model, "helpdesk.ticket")
        self.assertEqual(event.res_id, complaint.id)
        self.assertEqual(event.partner_ids, self.customer | self.handler.partner_id)
        self.assertIn("1-ABC-234", event.name)
        self.assertIn("Octavia", event.name)
        complaint.invalidate_recordset(["visit_count"])
        self.assertEqual(complaint.visit_count, 1)
        visits = complaint.action_complaint_view_visits()
        self.assertEqual(self.env["calendar.event"].search(visits["domain"]), event)
