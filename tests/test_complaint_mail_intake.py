# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""E-mail intake: real .eml fixtures (tests/data/) through the mail gateway
to the complaint team's alias (complaints@)."""

import base64
import os

from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user, tagged
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
        # The acknowledgement waits for the triggered scheduled action: the
        # mail gateway's request does not render it.
        self.assertTrue(new.complaint_notify_pending)
        self._send_customer_updates()
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
        self.assertFalse(complaint.attachment_ids, "nothing lost, nothing kept")

    def test_broken_boundary_keeps_original_eml(self):
        # The declared boundary never appears: the parser extracts no text.
        complaint = self._process(self._eml("complaint_broken_boundary.eml"))
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.name, "Cracked windscreen")
        self.assertIn("Cracked windscreen", complaint.description)
        original = complaint.attachment_ids
        self.assertEqual(original.mapped("name"), ["original_email.eml"])
        raw = base64.b64decode(original.datas)
        self.assertIn(b"The windscreen was cracked when I picked up the car", raw)
        self.assertIn(b"Message-ID: <broken-boundary-1@mail.example.com>", raw)
        # On the incoming message, for the handler to open.
        self.assertIn(original, complaint.message_ids.attachment_ids)

    def test_unknown_charset_keeps_accents(self):
        # cp1252 bytes under a charset name Python does not know.
        complaint = self._process(self._eml("complaint_unknown_charset_cp1252.eml"))
        self.assertIn("Café crème, déjà vu: coffee stains", complaint.description)
        self.assertNotIn("\ufffd", complaint.description)
        self.assertFalse(complaint.attachment_ids)
        # UTF-8 under an unknown name is read as UTF-8, not as cp1252.
        message = (
            b"To: complaints@garage.example.com\r\n"
            b"From: Ivana Horvat <ivana.horvat@example.com>\r\n"
            b"Subject: Waiting\r\n"
            b"Message-ID: <utf8-unknown-1@mail.example.com>\r\n"
            b"Content-Type: text/plain; charset=x-unknown\r\n"
            b"Content-Transfer-Encoding: 8bit\r\n\r\n"
            + "Čakam že teden na odgovor.\r\n".encode()
        )
        complaint = self._process(message)
        self.assertIn("Čakam že teden na odgovor.", complaint.description)

    # -- vehicles: only the sender's own ------------------------------------------

    def _other_customer(self):
        other = self.env["res.partner"].create(
            {"name": "Bruno Other", "email": "bruno.other@example.com"}
        )
        vehicle = self.vehicle.copy(
            {
                "license_plate": "7-XYZ-789",
                "vin_sn": "WVWZZZ1JZXW000001",
                "driver_id": other.id,
            }
        )
        return other, vehicle

    def test_other_customers_plate_not_linked(self):
        __, other_vehicle = self._other_customer()
        complaint = self._process(self._eml("complaint_foreign_plate.eml"))
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertFalse(complaint.vehicle_id, "not the sender's car")
        self.assertEqual(complaint.complaint_plate_text, "7-XYZ-789")
        self.assertNotIn(other_vehicle.vin_sn, complaint.description)
        self.assertFalse(complaint.vehicle_vin)

    def test_own_vehicle_wins_over_other_customers_plate(self):
        self._other_customer()
        message = self._eml("complaint_foreign_plate.eml").replace(
            b"I got the car 7-XYZ-789 back", b"I left my car 1-ABC-234 and got one"
        )
        complaint = self._process(message)
        self.assertEqual(complaint.vehicle_id, self.vehicle, "own plate in the body")
        self.assertFalse(complaint.complaint_plate_text)

    def test_unknown_sender_links_no_vehicle(self):
        self._other_customer()
        message = self._eml("complaint_unknown_sender.eml").replace(
            b"Subject: Nobody called me back", b"Subject: Car 1 ABC 234"
        )
        complaint = self._process(message)
        self.assertTrue(complaint.complaint_sender_review)
        self.assertFalse(complaint.vehicle_id, "the sender drives nothing yet")
        self.assertEqual(complaint.complaint_plate_text, "1 ABC 234")

    def test_find_vehicle_only_among_own(self):
        other, other_vehicle = self._other_customer()
        Ticket = self.env["helpdesk.ticket"]
        texts = ["car 7-XYZ-789 and 1 abc 234"]
        self.assertEqual(
            Ticket._complaint_find_vehicle(texts, partner=self.customer), self.vehicle
        )
        self.assertEqual(
            Ticket._complaint_find_vehicle(texts, partner=other), other_vehicle
        )
        self.assertFalse(Ticket._complaint_find_vehicle(texts))
        # A contact of the customer's company: the company's cars are theirs.
        company = self.env["res.partner"].create(
            {"name": "Horvat Transport", "is_company": True}
        )
        self.customer.parent_id = company
        colleague = self.env["res.partner"].create(
            {"name": "Colleague", "parent_id": company.id}
        )
        self.assertEqual(
            Ticket._complaint_find_vehicle(texts, partner=colleague), self.vehicle
        )
        self.assertEqual(
            Ticket._complaint_plate_as_written(["nothing", "my 7 xyz 789!"]),
            "7 xyz 789",
        )
        self.assertFalse(Ticket._complaint_plate_as_written(["plate 99-ZZZ-000"]))

    def test_plate_as_written_on_form(self):
        complaint = self._create_complaint(complaint_plate_text="7-XYZ-789")
        with Form(complaint.with_user(self.officer)) as form:
            self.assertEqual(form.complaint_plate_text, "7-XYZ-789")

    # -- a mail from an employee's address -----------------------------------------

    def _employee(self):
        return new_test_user(
            self.env,
            login="hmc_marta",
            name="Marta Advisor",
            email="marta.advisor@garage.example.com",
            groups="helpdesk_mgmt.group_helpdesk_user",
        )

    def test_forwarded_by_employee_customer_from_forwarded_sender(self):
        employee = self._employee()
        complaint = self._process(self._eml("complaint_forwarded_by_employee.eml"))
        self.assertNotEqual(complaint.partner_id, employee.partner_id)
        self.assertEqual(complaint.partner_id, self.customer, "forwarded From:")
        self.assertTrue(complaint.complaint_sender_review)
        self.assertEqual(complaint.partner_email, self.customer.email)
        self.assertIn(
            "marta.advisor@garage.example.com", complaint.complaint_sender.lower()
        )
        self.assertEqual(complaint.vehicle_id, self.vehicle, "the customer's own")
        note = complaint.message_ids.filtered(lambda m: "an employee" in (m.body or ""))
        self.assertTrue(note.subtype_id.internal, "an internal note")
        self.assertIn("Marta Advisor", note.body)

    def test_mail_from_employee_never_makes_them_the_customer(self):
        employee = self._employee()
        partners = self.env["res.partner"].search([])
        message = self._eml("complaint_forwarded_by_employee.eml")
        message = message[: message.index(b"---------- Forwarded")]
        complaint = self._process(message)
        self.assertNotEqual(complaint.partner_id, employee.partner_id)
        self.assertIn(
            complaint.partner_id, self.env["res.partner"].search([]) - partners
        )
        self.assertTrue(complaint.complaint_sender_review)
        self.assertFalse(complaint.partner_id.email, "not the employee's address")
        self.assertFalse(complaint.partner_email)
        self.assertIn("Marta Advisor", complaint.partner_id.comment)
        self.assertFalse(complaint.vehicle_id)
        # Nor by the phone of their signature.
        employee.partner_id.phone = "+32 2 555 01 99"
        message = message.replace(b"forwarded-1@", b"forwarded-2@")
        self.assertNotEqual(self._process(message).partner_id, employee.partner_id)

    def test_internal_sender_by_author_first_then_by_address(self):
        marta = self._employee()
        other = self.env["res.users"].create(
            {
                "name": "Jan Mechanic",
                "login": "jan.mechanic",
                "email": "jan.mechanic@garage.example.com",
            }
        )
        Ticket = self.env["helpdesk.ticket"]
        sender = Ticket._complaint_internal_sender
        # The author the gateway found wins over another employee's address.
        msg = {"author_id": marta.partner_id.id, "email_from": other.email}
        self.assertEqual(sender(msg), marta)
        # A customer's partner with an employee's address: the employee.
        msg = {"author_id": self.customer.id, "email_from": other.email}
        self.assertEqual(sender(msg), other)
        msg = {"author_id": self.customer.id, "email_from": self.customer.email}
        self.assertFalse(sender(msg))
        self.assertFalse(sender({}))
        with self.assertQueryCount(1):
            sender({"author_id": self.customer.id, "email_from": "x@example.com"})

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
