"""Letters by type: shipped types render with the complaint's data, in the
customer's language (Hebrew right to left), the edited text is what is
printed and kept on the complaint, managers alone edit types, and a wrong
placeholder is a clear error."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.mail.tests.common import MailCase

from .common import ComplaintCase, load_migration

MODULE = "helpdesk_mgmt_complaint"
REPORT = f"{MODULE}.report_complaint_letter"
TYPES = (
    "acknowledgement",
    "information_request",
    "decision_accepted",
    "decision_rejected",
    "repair_completed",
)


@tagged("post_install", "-at_install")
class TestComplaintLetters(ComplaintCase, MailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint = cls._create_complaint(
            vehicle_id=cls.vehicle.id,
            user_id=cls.handler.id,
            resolution_method="repair",
            complaint_outcome="Brake pads replaced free of charge.",
        )
        cls.types = {
            code: cls.env.ref(f"{MODULE}.letter_type_{code}") for code in TYPES
        }

    def _wizard(self, user=None, **vals):
        form = Form(
            self.env["helpdesk.complaint.letter.wizard"]
            .with_user(user or self.handler)
            .with_context(default_ticket_id=self.complaint.id)
        )
        for name, value in vals.items():
            setattr(form, name, value)
        return form.save()

    def _html(self, wizard):
        return (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                REPORT, wizard.ticket_id.ids, data=wizard._complaint_letter_data()
            )[0]
            .decode()
        )

    def test_each_type_fills_its_placeholders(self):
        for code, letter_type in self.types.items():
            with self.subTest(code=code):
                wizard = self._wizard(letter_type_id=letter_type)
                self.assertIn("Dear Ivana Horvat,", wizard.text)
                self.assertNotIn("{{", wizard.text + wizard.closing)
                html = self._html(wizard)
                for text in (
                    "Dear Ivana Horvat,",
                    self.complaint.number,
                    "Octavia",
                    "1-ABC-234",
                    "Outcome",
                    "Brake pads replaced free of charge.",
                    "Kind regards,",
                ):
                    self.assertIn(text, html)
        self.assertIn(
            f"complaint {self.complaint.number}",
            self._wizard(letter_type_id=self.types["acknowledgement"]).text,
        )

    def test_default_type_follows_review_state(self):
        self.assertEqual(self._wizard().letter_type_id, self.types["acknowledgement"])
        self.complaint.topic_ids = self.topic_delay
        self.complaint.stage_id = self.stage_rejected
        self.assertEqual(self._wizard().letter_type_id, self.types["decision_rejected"])

    def test_outcome_only_when_there_is_one(self):
        self.complaint.write({"resolution_method": False, "complaint_outcome": False})
        html = self._html(self._wizard())
        self.assertNotIn("Outcome", html)

    def test_hebrew_customer_gets_hebrew_letter_right_to_left(self):
        self.env["res.lang"]._activate_lang("he_IL")
        self.env["ir.module.module"]._load_module_terms([MODULE], ["he_IL"])
        self.customer.lang = "he_IL"
        wizard = self._wizard(letter_type_id=self.types["acknowledgement"])
        self.assertIn("Ivana Horvat", wizard.text)
        self.assertIn("קיבלנו את תלונתכם", wizard.text)
        self.assertNotIn("Dear", wizard.text)
        html = self._html(wizard)
        self.assertIn('dir="rtl"', html)
        self.assertIn("קיבלנו את תלונתכם", html)
        self.assertIn(self.complaint.number, html)

    def test_edited_text_is_printed_and_kept_on_the_complaint(self):
        wizard = self._wizard(letter_type_id=self.types["decision_accepted"])
        wizard.text = "<p>Dear Ms Horvat, a hand-written sentence.</p>"
        wizard.closing = "<p>Yours, the workshop</p>"
        self.assertIn("a hand-written sentence", self._html(wizard))
        action = wizard.action_print()
        message = self.complaint.message_ids[0]
        self.assertIn("Decision: complaint accepted", message.body)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_note"))
        attachment = message.attachment_ids
        self.assertEqual(attachment.name, f"Letter {self.complaint.number}.pdf")
        self.assertEqual(
            (attachment.res_model, attachment.res_id),
            ("helpdesk.ticket", self.complaint.id),
        )
        # Tests render the report as HTML instead of calling wkhtmltopdf.
        printed = attachment.raw.decode()
        self.assertIn("a hand-written sentence", printed)
        self.assertIn("Yours, the workshop", printed)
        self.assertNotIn("Kind regards", printed)
        self.assertEqual(action["url"], f"/web/content/{attachment.id}")
        # A second letter adds to the file, it does not replace the first.
        self._wizard(letter_type_id=self.types["repair_completed"]).action_print()
        letters = self.env["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", self.complaint.id)]
        )
        self.assertEqual(len(letters), 2)

    def test_letter_sent_to_the_customer(self):
        wizard = self._wizard(post_as="customer")
        with self.mock_mail_gateway():
            wizard.action_print()
        message = self.complaint.message_ids[0]
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertIn(self.customer, message.partner_ids)
        self.assertIn("Please find attached our letter", message.body)
        mails = self._new_mails.filtered(lambda m: self.customer in m.recipient_ids)
        self.assertEqual(len(mails), 1)
        self.assertEqual(
            mails.attachment_ids.name, f"Letter {self.complaint.number}.pdf"
        )

    def test_customer_without_email_gets_clear_error(self):
        self.customer.email = False
        wizard = self._wizard(post_as="customer")
        count = len(self.complaint.message_ids)
        with self.assertRaisesRegex(UserError, "has no e-mail address"):
            wizard.action_print()
        self.assertEqual(len(self.complaint.message_ids), count)

    def test_empty_letter_is_refused(self):
        wizard = self._wizard()
        wizard.text = "<p><br></p>"
        with self.assertRaisesRegex(UserError, "The letter has no text"):
            wizard.action_print()

    def test_print_menu_prints_default_type_and_keeps_it(self):
        """The report bound to the Print menu (no dialog) still prints the
        default type's letter and keeps it on the chatter."""
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(REPORT, self.complaint.ids)[0]
            .decode()
        )
        self.assertIn("We have received your complaint", html)
        self.assertIn("Dear Ivana Horvat,", html)

    def test_users_read_managers_edit_types(self):
        letter_type = self.types["acknowledgement"]
        self.assertEqual(letter_type.with_user(self.handler).name, "Acknowledgement")
        with self.assertRaises(AccessError):
            letter_type.with_user(self.handler).write({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.env["helpdesk.complaint.letter.type"].with_user(self.officer).create(
                {"name": "Mine", "code": "mine"}
            )
        letter_type.with_user(self.complaint_manager).write(
            {"body": "<p>Complaint {{ object.number }} is registered.</p>"}
        )
        self.assertIn(
            f"Complaint {self.complaint.number} is registered.",
            self._wizard(letter_type_id=letter_type).text,
        )

    def test_wrong_placeholder_is_a_clear_error(self):
        letter_type = self.types["acknowledgement"]
        with self.assertRaisesRegex(ValidationError, "wrong placeholder"):
            letter_type.with_user(
                self.complaint_manager
            ).body = "<p>{{ object.number </p>"
        with self.assertRaisesRegex(ValidationError, "wrong placeholder"):
            letter_type.with_user(
                self.complaint_manager
            ).body = "<p>{{ object.number + }}</p>"
        # Valid Python, but no such field: refused when the letter is filled in.
        letter_type.with_user(
            self.complaint_manager
        ).body = "<p>{{ object.no_such_field }}</p>"
        with self.assertRaisesRegex(
            UserError, "could not be filled in for complaint"
        ) as caught:
            self._wizard(letter_type_id=letter_type)
        self.assertIn("Acknowledgement", str(caught.exception))


@tagged("post_install", "-at_install")
class TestComplaintLettersMigration(ComplaintCase):
    """18.0.1.3.0: letter texts a company had edited in the former settings
    (columns left in the database) move onto a letter type."""

    def _migrate(self):
        load_migration("18.0.1.3.0").migrate(self.env.cr, "18.0.1.2.0")

    def test_edited_texts_kept_on_a_letter_type(self):
        self.env["res.lang"]._activate_lang("he_IL")
        shipped = self.env.ref(f"{MODULE}.letter_type_decision_accepted")
        other = self.env["res.company"].create({"name": "Other garage"})
        self.env.cr.execute(
            """ALTER TABLE res_company
               ADD COLUMN complaint_letter_intro jsonb,
               ADD COLUMN complaint_letter_closing jsonb"""
        )
        self.env.cr.execute(
            """UPDATE res_company SET complaint_letter_intro = %s::jsonb,
                      complaint_letter_closing = %s::jsonb""",
            (
                '{"en_US": "<p>Dear customer,</p><p>Thank you for telling us '
                "about your experience. We have examined your complaint "
                "carefully; here is what we found and what we have done about "
                'it.</p>"}',
                '{"en_US": "<p>We apologise for the inconvenience and remain at '
                'your disposal for any question.</p><p>Kind regards,</p>"}',
            ),
        )
        self.env.cr.execute(
            """UPDATE res_company SET complaint_letter_intro = %s::jsonb
               WHERE id = %s""",
            (
                '{"en_US": "<p>Dear client,</p>", "he_IL": "<p>לקוח יקר,</p>"}',
                self.company.id,
            ),
        )
        self._migrate()
        Type = self.env["helpdesk.complaint.letter.type"]
        copy = Type.search(
            [("code", "=", "decision_accepted"), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(len(copy), 1)
        self.assertIn("Dear client", copy.opening)
        self.assertFalse(copy.body)
        self.assertIn("לקוח יקר", copy.with_context(lang="he_IL").opening)
        self.assertLess(copy.sequence, shipped.sequence)
        # Unchanged defaults move nothing; the shipped type keeps its texts.
        self.assertFalse(
            Type.search(
                [("code", "=", "decision_accepted"), ("company_id", "=", other.id)]
            )
        )
        self.assertIn("Dear {{ object.partner_id.name }}", shipped.opening)
