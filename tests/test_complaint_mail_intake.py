# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""E-mail intake: real .eml fixtures (tests/data/) through the mail gateway
to the complaint team's alias (complaints@)."""

import base64
import os

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCase

DATA = os.path.join(os.path.dirname(__file__), "data")


@tagged("post_install", "-at_install")
class TestComplaintMailIntake(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        domain = cls.env["mail.alias.domain"].create({"name": "garage.example.com"})
        cls.company.alias_domain_id = domain
        cls.team.alias_id.alias_domain_id = domain

    def _eml(self, name):
        with open(os.path.join(DATA, name), "rb") as f:
            return f.read()

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def _process(self, message):
        Ticket = self.env["helpdesk.ticket"]
        before = Ticket.search([])
        res_id = self.env["mail.thread"].message_process(None, message)
        new = Ticket.search([]) - before
        self.assertEqual(len(new), 1, "one complaint per e-mail")
        self.assertEqual(new.id, res_id)
        return new

    def _ack(self, complaint):
        # The acknowledgement is the registered stage's "received" e-mail.
        template = self.env.ref(
            "helpdesk_mgmt_complaint.mail_template_complaint_received"
        )
        return complaint.message_ids.filtered(
            lambda m: m.message_type == "comment"
            and m.subject
            and (
                m.subject
                == template._render_field("subject", complaint.ids)[complaint.id]
            )
        )

    def test_plain_known_sender_plate_in_subject(self):
        complaint = self._process(self._eml("complaint_plain_plate_subject.eml"))
        self.assertTrue(complaint.is_complaint)
        self.assertEqual(complaint.team_id, self.team)
        self.assertEqual(complaint.partner_id, self.customer, "matched by e-mail")
        self.assertFalse(complaint.complaint_sender_review)
        self.assertEqual(complaint.channel_id, self.channel_email)
        self.assertEqual(complaint.vehicle_id, self.vehicle, "plate '1 abc 234'")
        self.assertEqual(complaint.name, "Brakes squeal again - car 1 abc 234")
        self.assertIn("the brakes squeal every time", complaint.description)
        self.assertEqual(complaint.complaint_state, "registered")
        self.assertTrue(complaint.sla_deadline)
        self.assertEqual(complaint.user_id, self.officer, "assignment rules applied")
        self.assertEqual(complaint.access_url, f"/my/complaint/{complaint.id}")
        # Acknowledgement: to the customer, with the number and the promised date.
        ack = self._ack(complaint)
        self.assertEqual(len(ack), 1)
        self.assertIn(complaint.number, ack.subject)
        self.assertIn(complaint.number, ack.body)
        self.assertIn(f"/my/complaint/{complaint.id}", ack.body)
        self.assertIn(self.customer, ack.partner_ids)
        self.assertFalse(
            complaint.first_response_date,
            "the automatic acknowledgement is not the first response",
        )

    def test_reply_is_threaded_to_the_complaint(self):
        complaint = self._process(self._eml("complaint_plain_plate_subject.eml"))
        ack = self._ack(complaint)
        reply = (
            b"To: complaints@garage.example.com\r\n"
            b"From: Ivana Horvat <ivana.horvat@example.com>\r\n"
            b"Subject: Re: " + complaint.number.encode() + b"\r\n"
            b"Message-ID: <reply-1@mail.example.com>\r\n"
            b"In-Reply-To: " + ack.message_id.encode() + b"\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
            b"Any news about my brakes?\r\n"
        )
        count = self.env["helpdesk.ticket"].search_count([])
        self.env["mail.thread"].message_process(None, reply)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), count)
        self.assertTrue(
            complaint.message_ids.filtered(
                lambda m: "Any news about my brakes" in (m.body or "")
            )
        )

    def test_html_body_plate_sanitised(self):
        complaint = self._process(self._eml("complaint_html_plate_body.eml"))
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.vehicle_id, self.vehicle, "plate '1-abc-234'")
        self.assertIn("<b>1-abc-234</b>", complaint.description)
        self.assertNotIn("<script", complaint.description)
        self.assertNotIn("<script", complaint.message_ids.mapped("body")[-1])

    def test_attachments_kept(self):
        complaint = self._process(self._eml("complaint_attachments.eml"))
        self.assertEqual(
            sorted(complaint.attachment_ids.mapped("name")),
            ["receipt.pdf", "scratch.png"],
        )
        self.assertFalse(complaint.vehicle_id)

    def test_unknown_sender_kept_and_flagged(self):
        partners = self.env["res.partner"].search([])
        complaint = self._process(self._eml("complaint_unknown_sender.eml"))
        new_partner = self.env["res.partner"].search([]) - partners
        self.assertEqual(complaint.partner_id, new_partner)
        self.assertEqual(new_partner.name, "Piotr Nowak")
        self.assertEqual(new_partner.email, "new.driver@unknown-mail.example.org")
        self.assertTrue(complaint.complaint_sender_review)
        self.assertIn("New.Driver@unknown-mail.example.org", complaint.complaint_sender)
        self.assertIn(
            complaint,
            self.env["helpdesk.ticket"].search(
                [("complaint_sender_review", "=", True)]
            ),
        )
        self.assertIn(new_partner, self._ack(complaint).partner_ids)

    def test_sender_matched_by_signature_phone(self):
        complaint = self._process(self._eml("complaint_signature_phone.eml"))
        self.assertEqual(complaint.partner_id, self.customer, "+32 470 12 34 56")
        self.assertFalse(complaint.complaint_sender_review)
        self.assertEqual(
            complaint.complaint_sender, "ivana.private@other-mail.example.net"
        )

    def test_no_subject_unknown_charset(self):
        complaint = self._process(self._eml("complaint_no_subject_odd_charset.eml"))
        self.assertEqual(complaint.name, "Complaint by e-mail (no subject)")
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertIn("the car was returned dirty", complaint.description)

    def test_empty_mail_still_registered(self):
        complaint = self._process(self._eml("complaint_empty.eml"))
        self.assertEqual(complaint.name, "Complaint by e-mail (no subject)")
        self.assertIn("The e-mail had no text", complaint.description)
        self.assertTrue(complaint.sla_deadline)

    def test_huge_attachment(self):
        payload = os.urandom(6 * 1024 * 1024)
        encoded = base64.encodebytes(payload)
        message = self._eml("complaint_attachments.eml").replace(
            b"JVBERi0xLjQKJcOkw7zDtsOfCjEgMCBvYmoKPDwvVHlwZS9DYXRhbG9nPj4KZW5kb2JqCnRy"
            b"YWlsZXIKPDwvUm9vdCAxIDAgUj4+CiUlRU9GCg==",
            encoded,
        )
        complaint = self._process(message)
        pdf = complaint.attachment_ids.filtered(lambda a: a.name == "receipt.pdf")
        self.assertEqual(pdf.file_size, len(payload))

    def test_plate_normalized_and_pattern(self):
        self.assertEqual(self.vehicle.license_plate_normalized, "1ABC234")
        self.vehicle.license_plate = "ab-123 cd"
        self.assertEqual(self.vehicle.license_plate_normalized, "AB123CD")
        Ticket = self.env["helpdesk.ticket"]
        self.assertIn(
            "AB123CD", Ticket._complaint_plate_candidates("My car AB 123 CD is noisy")
        )
        self.assertEqual(
            Ticket._complaint_find_vehicle(["car: ab123cd"], partner=self.customer),
            self.vehicle,
        )
        # A stricter pattern of the company: French plates only.
        self.company.complaint_plate_pattern = r"\b[A-Z]{2}-?\d{3}-?[A-Z]{2}\b"
        candidates = Ticket._complaint_plate_candidates(
            "AB-123-CD or 1-XYZ-999", self.company.complaint_plate_pattern
        )
        self.assertIn("AB123CD", candidates)
        self.assertNotIn("1XYZ999", candidates)
        with self.assertRaises(ValidationError):
            self.company.complaint_plate_pattern = "([unclosed"
