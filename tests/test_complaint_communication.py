from datetime import datetime

from freezegun import freeze_time

from odoo.tests import Form

from odoo.addons.mail.tests.common import MailCase
from odoo.addons.sms.tests.common import SMSCase

from .common import ComplaintCase


class TestComplaintCommunication(ComplaintCase, MailCase, SMSCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "email": "garage@example.com",
                "complaint_notify_email": True,
                "complaint_notify_sms": True,
            }
        )
        alias_domain = cls.env["mail.alias.domain"].create(
            {
                "name": "garage.example.com",
                "bounce_alias": "bounce",
                "catchall_alias": "catchall",
            }
        )
        cls.company.alias_domain_id = alias_domain
        cls.team.alias_id.alias_domain_id = alias_domain
        cls.mail_received = cls.env.ref(
            "helpdesk_mgmt_complaint.mail_template_complaint_received"
        )
        cls.sms_received = cls.env.ref(
            "helpdesk_mgmt_complaint.sms_template_complaint_received"
        )

    def _customer_mails(self, partner=None):
        partner = partner or self.customer
        return self._new_mails.filtered(lambda m: partner in m.recipient_ids)

    def _notes(self, complaint, text):
        return complaint.message_ids.filtered(lambda m: text in (m.body or ""))

    def test_received_mail_and_sms_in_customer_language(self):
        self.env["res.lang"]._activate_lang("sl_SI")
        self.customer.lang = "sl_SI"
        self.mail_received.with_context(
            lang="sl_SI"
        ).subject = "{{ object.number }}: Prejeli smo vašo pritožbo"
        self.sms_received.with_context(
            lang="sl_SI"
        ).body = "Pritožba {{ object.number }} je registrirana."
        with self.mock_mail_gateway(), self.mockSMSGateway():
            complaint = self._create_complaint(user_id=self.handler.id)
            self._send_customer_updates()
        mails = self._customer_mails()
        self.assertEqual(len(mails), 1)
        self.assertEqual(
            mails.subject, f"{complaint.number}: Prejeli smo vašo pritožbo"
        )
        # The promised resolution date is in the body, the reply goes to the
        # team's alias (customer replies thread back onto the complaint).
        self.assertIn(complaint.number, mails.body_html)
        self.assertIn("complaints@garage.example.com", mails.reply_to or "")
        sms = self._new_sms.filtered(lambda s: s.partner_id == self.customer)
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.number, "+32470123456")
        self.assertEqual(sms.body, f"Pritožba {complaint.number} je registrirana.")
        self.assertEqual(sms.state, "outgoing")
        # Automatic messages are not a first response.
        self.assertFalse(complaint.first_response_date)

    def test_promised_date_in_local_time_without_seconds(self):
        """The customer's time zone, else the company's; minutes, no seconds."""
        self.customer.tz = False
        self.company.partner_id.tz = "Europe/Ljubljana"
        with freeze_time("2026-03-02 09:00:00"):
            with self.mock_mail_gateway(), self.mockSMSGateway():
                complaint = self._create_complaint(user_id=self.handler.id)
                self._send_customer_updates()
        # 48 h from 09:00 UTC: 10:00 in Ljubljana (UTC+1 in March).
        self.assertEqual(complaint.sla_deadline, datetime(2026, 3, 4, 9, 0))
        sms = self._new_sms.filtered(lambda s: s.partner_id == self.customer)
        self.assertIn("3/4/26, 10:00", sms.body)
        self.assertNotIn("10:00:00", sms.body)
        self.assertIn("3/4/26, 10:00", self._customer_mails().body_html)
        # The customer's own zone first.
        self.customer.tz = "America/New_York"
        body = self.sms_received._render_field("body", complaint.ids)[complaint.id]
        self.assertIn("3/4/26, 4:00", body)

    def test_each_step_and_company_switches(self):
        with self.mock_mail_gateway(), self.mockSMSGateway():
            complaint = self._create_complaint(user_id=self.handler.id)
            self._send_customer_updates()
            complaint.stage_id = self.stage_analysed
            self._send_customer_updates()
            complaint.topic_ids = self.topic_delay
            complaint.with_user(self.officer).action_complaint_close()
            self._send_customer_updates()
        subjects = self._customer_mails().mapped("subject")
        self.assertEqual(
            subjects,
            [
                f"{complaint.number}: We received your complaint",
                f"{complaint.number}: Your complaint is being handled",
                f"{complaint.number}: Your complaint is closed",
                # helpdesk_mgmt_rating's request, after the closing message
                f"Satisfaction Survey of the ticket {complaint.number} - "
                f"{complaint.name}",
            ],
        )
        self.assertEqual(len(self._new_sms), 3)
        self.company.complaint_notify_email = False
        self.company.complaint_notify_sms = False
        with self.mock_mail_gateway(), self.mockSMSGateway():
            self._create_complaint()
            self._send_customer_updates()
        self.assertFalse(self._customer_mails())
        self.assertFalse(self._new_sms)

    def test_opt_out(self):
        self.customer.complaint_notify_optout = True
        with self.mock_mail_gateway(), self.mockSMSGateway():
            complaint = self._create_complaint()
            self._send_customer_updates()
        self.assertFalse(self._customer_mails())
        self.assertFalse(self._new_sms)
        self.assertTrue(self._notes(complaint, "opted out"))

    def test_blacklists(self):
        self.env["mail.blacklist"].sudo()._add("ivana.horvat@example.com")
        self.env["phone.blacklist"].sudo().add("+32470123456")
        with self.mock_mail_gateway(), self.mockSMSGateway():
            complaint = self._create_complaint()
            self._send_customer_updates()
        self.assertFalse(self._customer_mails())
        self.assertFalse(self._new_sms)
        self.assertTrue(
            self._notes(complaint, "ivana.horvat@example.com is blacklisted")
        )
        self.assertTrue(self._notes(complaint, "+32470123456 is blacklisted"))

    def test_invalid_mobile_and_missing_email(self):
        landline = self.env["res.partner"].create(
            {
                "name": "Office",
                "phone": "02 123 45 67",
                "country_id": self.company.country_id.id,
            }
        )
        nothing = self.env["res.partner"].create({"name": "No contact"})
        with self.mock_mail_gateway(), self.mockSMSGateway():
            office = self._create_complaint(partner_id=landline.id)
            self._send_customer_updates()
            unknown = self._create_complaint(partner_id=nothing.id)
            self._send_customer_updates()
        self.assertFalse(self._new_sms)
        self.assertFalse(
            self._new_mails.filtered(lambda m: m.recipient_ids & (landline | nothing))
        )
        self.assertTrue(
            self._notes(office, "02 123 45 67 is not a valid mobile number")
        )
        self.assertTrue(self._notes(office, "no valid e-mail address"))
        self.assertTrue(self._notes(unknown, "the customer has no mobile number"))

    def test_internal_notes_never_reach_the_customer(self):
        with self.mock_mail_gateway(), self.mockSMSGateway():
            complaint = self._create_complaint(user_id=self.handler.id)
        # The customer follows the complaint with every subtype (e.g. added
        # by hand), and is even mentioned in an internal note.
        complaint.message_subscribe(partner_ids=self.customer.ids)
        complaint.message_follower_ids.filtered(
            lambda f: f.partner_id == self.customer
        ).subtype_ids = self.env["mail.message.subtype"].search([])
        self.customer.lang = "en_US"
        with self.mock_mail_gateway(), self.mockSMSGateway():
            complaint.with_user(self.handler).message_post(
                body="Internal: the mechanic forgot the torque check",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                partner_ids=self.customer.ids,
            )
            complaint.with_user(self.handler).message_post(
                body="Automatic notification",
                subtype_xmlid="mail.mt_comment",
            )
            complaint.with_context(
                complaint_no_notify=True
            ).stage_id = self.stage_analysed
        self.assertFalse(self._customer_mails())
        self.assertFalse(
            self.env["mail.notification"].search(
                [
                    ("res_partner_id", "=", self.customer.id),
                    ("mail_message_id.model", "=", "helpdesk.ticket"),
                    ("mail_message_id.res_id", "=", complaint.id),
                    ("mail_message_id.is_internal", "=", True),
                ]
            )
        )
        # What the handler writes to the customer does reach them, and is
        # the first response.
        with self.mock_mail_gateway(), freeze_time("2026-01-10 10:00:00"):
            complaint.with_user(self.handler).message_post(
                body="We will call you tomorrow.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.customer.ids,
            )
        self.assertEqual(len(self._customer_mails()), 1)
        self.assertIn(complaint.number, self._customer_mails().subject)
        self.assertTrue(complaint.first_response_date)

    def test_sms_failure_keeps_the_complaint(self):
        with self.mock_mail_gateway(), self.mockSMSGateway(sim_error="server_error"):
            complaint = self._create_complaint()
            self._send_customer_updates()
            sms = self._new_sms
            self.assertEqual(sms.state, "outgoing")
            self.env["sms.sms"].sudo()._process_queue()
        self.assertEqual(sms.state, "error")
        self.assertTrue(complaint.exists())
        self.assertEqual(complaint.stage_id, self.stage_registered)
        # A gateway exception (IAP down) neither.
        with (
            self.mock_mail_gateway(),
            self.mockSMSGateway(sim_error="jsonrpc_exception"),
        ):
            complaint.stage_id = self.stage_analysed
            self._send_customer_updates()
            self.env["sms.sms"].sudo()._process_queue()
        self.assertEqual(complaint.stage_id, self.stage_analysed)
        self.assertIn(self._new_sms.state, ("error", "outgoing"))

    def test_broken_template_keeps_the_complaint(self):
        self.sms_received.body = "{{ object.no_such_field }}"
        with self.mock_mail_gateway(), self.mockSMSGateway():
            complaint = self._create_complaint()
            self._send_customer_updates()
        self.assertTrue(complaint.exists())
        self.assertFalse(self._new_sms)
        self.assertTrue(self._notes(complaint, "could not be sent"))
        self.assertEqual(len(self._customer_mails()), 1)

    def test_logged_call_is_first_response_and_progress(self):
        with freeze_time("2026-01-09 14:00:00"):
            complaint = self._create_complaint(user_id=self.handler.id)
        with freeze_time("2026-01-09 15:30:00"):
            activity = complaint.with_user(self.handler).activity_schedule(
                "mail.mail_activity_data_call", user_id=self.handler.id
            )
            activity.with_user(self.handler).action_feedback(
                feedback="Customer will come on Monday"
            )
        self.assertEqual(complaint.first_response_hours, 1.5)
        self.assertEqual(str(complaint.last_progress_date), "2026-01-09 15:30:00")

    def test_partner_optout_on_form(self):
        with Form(self.customer) as partner:
            partner.complaint_notify_optout = True
        self.assertTrue(self.customer.complaint_notify_optout)

    def test_customer_reply_threads_back_onto_the_complaint(self):
        with self.mock_mail_gateway(), self.mockSMSGateway():
            complaint = self._create_complaint()
            self._send_customer_updates()
        mail = self._customer_mails()
        self.assertEqual(len(mail), 1)
        tickets_before = self.env["helpdesk.ticket"].search_count([])
        raw = (
            "From: Ivana Horvat <ivana.horvat@example.com>\r\n"
            "To: complaints@garage.example.com\r\n"
            f"Subject: Re: {mail.subject}\r\n"
            "Message-ID: <reply-hmc-1@example.com>\r\n"
            f"In-Reply-To: {mail.message_id}\r\n"
            f"References: {mail.message_id}\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "\r\n"
            "The noise is still there.\r\n"
        )
        with self.mock_mail_gateway():
            thread_id = self.env["mail.thread"].sudo().message_process(None, raw)
        self.assertEqual(thread_id, complaint.id)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), tickets_before)
        reply = complaint.message_ids.filtered(
            lambda m: "The noise is still there" in (m.body or "")
        )
        self.assertEqual(reply.author_id, self.customer)
        self.assertEqual(reply.message_type, "email")
        # The customer's e-mail is neither a response nor progress.
        self.assertFalse(complaint.first_response_date)
