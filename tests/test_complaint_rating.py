"""Satisfaction after closing and hot alerts: the rating request, poor and
good ratings (and changing one's rating), the close block until the customer
was contacted."""

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MailCase
from odoo.addons.sms.tests.common import SMSCase

from .common import ComplaintCase, load_migration

RATING_SUBJECT = "Satisfaction Survey"


class RatingCase(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "email": "garage@example.com",
                "complaint_notify_sms": False,
                "complaint_rating_poor_max": 2,
                "complaint_hot_action": "reopen",
            }
        )
        cls.team.user_ids = [Command.link(cls.officer.id)]

    def _closed_complaint(self, **vals):
        complaint = self._create_complaint(
            user_id=self.handler.id, topic_ids=[self.topic_delay.id], **vals
        )
        complaint.with_user(self.officer).action_complaint_close()
        # The closing message and the rating request go out with the queued
        # customer messages.
        self._send_customer_updates()
        return complaint

    def _rate(self, complaint, value, feedback=None):
        """Rate the way /rate/<token>/submit_feedback does (sudo)."""
        token = complaint.sudo().rating_ids.sorted("id")[-1:].access_token
        token = token or complaint.sudo()._rating_get_access_token()
        complaint.sudo().rating_apply(value, token=token, feedback=feedback)
        complaint.invalidate_recordset()
        return token

    def _hot_activities(self, complaint):
        return complaint.activity_ids.filtered(
            lambda a: (a.summary or "").startswith("Hot alert")
        )

    def _log_call(self, complaint, user=None):
        wizard = (
            self.env["helpdesk.complaint.call.wizard"]
            .with_user(user or self.officer)
            .create({"ticket_id": complaint.id, "outcome": "Apologised, new visit"})
        )
        wizard.action_log_call()
        complaint.invalidate_recordset()


class TestComplaintRatingRequest(RatingCase, MailCase):
    def _requests(self):
        return self._new_mails.filtered(
            lambda m: RATING_SUBJECT in (m.subject or "")
            and self.customer in m.recipient_ids
        )

    def test_closing_asks_the_customer_to_rate(self):
        with self.mock_mail_gateway():
            complaint = self._closed_complaint()
        self.assertEqual(
            self.stage_closed.rating_mail_template_id.id,
            self.env.ref("helpdesk_mgmt_rating.rating_ticket_email_template").id,
        )
        self.assertEqual(len(self._requests()), 1)
        pending = complaint.sudo().rating_ids.filtered(lambda r: not r.consumed)
        self.assertEqual(pending.partner_id, self.customer)
        self.assertIn(pending.access_token, self._requests().body_html)

    def test_rejecting_does_not_ask(self):
        complaint = self._create_complaint(topic_ids=[self.topic_delay.id])
        with self.mock_mail_gateway():
            complaint.with_user(self.officer).action_complaint_reject()
        self.assertFalse(self._requests())

    def test_opt_out_and_unknown_sender_get_no_request(self):
        self.customer.complaint_notify_optout = True
        with self.mock_mail_gateway():
            complaint = self._closed_complaint()
        self.assertFalse(self._requests())
        self.assertIn(
            "Rating request not sent",
            "".join(complaint.message_ids.mapped("body")),
        )
        self.customer.complaint_notify_optout = False
        with self.mock_mail_gateway():
            other = self._closed_complaint(complaint_sender_review=True)
        self.assertFalse(self._requests())
        self.assertIn("sender is to review", "".join(other.message_ids.mapped("body")))

    def test_no_rating_when_ticket_says_no_rate(self):
        with self.mock_mail_gateway():
            self._closed_complaint(rating_status="no_rate")
        self.assertFalse(self._requests())

    @mute_logger(
        "odoo.addons.helpdesk_mgmt_complaint.models.helpdesk_ticket_communication"
    )
    def test_failed_request_keeps_the_close(self):
        template = self.stage_closed.rating_mail_template_id
        template.body_html = '<p><t t-out="object.no_such_field"/></p>'
        with self.mock_mail_gateway():
            complaint = self._closed_complaint()
        self.assertEqual(complaint.complaint_state, "closed")
        self.assertIn(
            "could not be sent", "".join(complaint.message_ids.mapped("body"))
        )


class TestComplaintHotAlert(RatingCase):
    def test_poor_rating_reopens_and_alerts(self):
        complaint = self._closed_complaint()
        self._rate(complaint, 1, feedback="Still squeaks")
        self.assertTrue(complaint.complaint_hot)
        self.assertEqual(complaint.complaint_satisfaction, "poor")
        self.assertEqual(complaint.complaint_state, "analysed")
        self.assertFalse(complaint.closed)
        self.assertEqual(complaint.complaint_hot_user_id, self.officer)
        activity = self._hot_activities(complaint)
        self.assertEqual(activity.user_id, self.officer)
        self.assertEqual(complaint.rating_last_value, 1)
        # the flag is searchable (stored, indexed)
        self.assertIn(
            complaint,
            self.env["helpdesk.ticket"].search([("complaint_hot", "=", True)]),
        )

    def test_good_rating_closes_the_loop(self):
        complaint = self._closed_complaint()
        self._rate(complaint, 5)
        self.assertFalse(complaint.complaint_hot)
        self.assertEqual(complaint.complaint_satisfaction, "good")
        self.assertEqual(complaint.complaint_state, "closed")
        self.assertFalse(self._hot_activities(complaint))
        # "Okay" (3) is not poor with the default threshold.
        other = self._closed_complaint()
        self._rate(other, 3)
        self.assertEqual(other.complaint_satisfaction, "good")

    def test_rating_twice(self):
        complaint = self._closed_complaint()
        self._rate(complaint, 1)
        self.assertTrue(complaint.complaint_hot)
        # poor -> poor: one alert only
        self._rate(complaint, 2)
        self.assertEqual(len(self._hot_activities(complaint)), 1)
        # poor -> good: the loop is closed, the complaint stays open
        self._rate(complaint, 5)
        self.assertFalse(complaint.complaint_hot)
        self.assertEqual(complaint.complaint_satisfaction, "good")
        self.assertFalse(complaint.closed)
        # good -> poor: hot again
        self._rate(complaint, 1)
        self.assertTrue(complaint.complaint_hot)
        self.assertEqual(len(complaint.sudo().rating_ids.filtered("consumed")), 1)

    def test_rating_from_the_chatter(self):
        """A rating posted with the message (portal chatter) counts too."""
        complaint = self._closed_complaint()
        complaint.sudo().message_post(body="Bad", rating_value=1)
        complaint.invalidate_recordset()
        self.assertTrue(complaint.complaint_hot)

    def test_threshold_is_per_company(self):
        self.company.complaint_rating_poor_max = 0
        complaint = self._closed_complaint()
        self._rate(complaint, 1)
        self.assertFalse(complaint.complaint_hot)
        self.assertEqual(complaint.complaint_state, "closed")
        with self.assertRaises(ValidationError):
            self.company.complaint_rating_poor_max = 5
        with Form(self.env["res.config.settings"]) as settings:
            settings.complaint_rating_poor_max = 3
            settings.complaint_hot_action = "followup"
        self.assertEqual(self.company.complaint_rating_poor_max, 3)
        self.assertEqual(self.company.complaint_hot_action, "followup")

    def test_follow_up_mode(self):
        self.company.complaint_hot_action = "followup"
        complaint = self._closed_complaint()
        self._rate(complaint, 1, feedback="Nobody called back")
        self.assertEqual(complaint.complaint_state, "closed")
        self.assertFalse(complaint.complaint_hot)
        followup = complaint.complaint_followup_ids
        self.assertEqual(len(followup), 1)
        self.assertTrue(followup.complaint_hot)
        self.assertTrue(followup.is_complaint)
        self.assertEqual(followup.partner_id, self.customer)
        self.assertEqual(followup.complaint_rating_origin_id, complaint)
        self.assertIn("Nobody called back", followup.description)
        self.assertEqual(self._hot_activities(followup).user_id, self.officer)
        # poor again: no second follow-up; good: the follow-up is no longer hot
        self._rate(complaint, 2)
        self.assertEqual(len(complaint.complaint_followup_ids), 1)
        self._rate(complaint, 5)
        self.assertFalse(followup.complaint_hot)

    def test_handler_is_alerted_without_officer(self):
        self.company.complaint_officer_id = False
        complaint = self._closed_complaint()
        self._rate(complaint, 1)
        self.assertEqual(self._hot_activities(complaint).user_id, self.handler)


class TestComplaintHotCloseBlock(RatingCase):
    def _hot(self):
        complaint = self._closed_complaint()
        self._rate(complaint, 1)
        self.assertTrue(complaint.complaint_hot)
        return complaint

    def test_close_refused_until_called(self):
        complaint = self._hot()
        officer_complaint = complaint.with_user(self.officer)
        with self.assertRaisesRegex(UserError, "hot alert"):
            officer_complaint.action_complaint_close()
        with self.assertRaisesRegex(UserError, "hot alert"):
            officer_complaint.write({"stage_id": self.stage_closed.id})
        with self.assertRaisesRegex(UserError, "hot alert"):
            officer_complaint.action_archive()
        self.assertFalse(complaint.closed)
        self._log_call(complaint)
        self.assertTrue(complaint.complaint_hot_contacted)
        officer_complaint.action_complaint_close()
        self.assertTrue(complaint.closed)
        self.assertFalse(complaint.complaint_hot)

    def test_message_to_the_customer_counts_note_does_not(self):
        complaint = self._hot()
        officer_complaint = complaint.with_user(self.officer)
        officer_complaint.message_post(
            body="Internal: check the brakes", subtype_xmlid="mail.mt_note"
        )
        self.assertFalse(complaint.complaint_hot_contacted)
        # the customer's own message neither
        complaint.message_post(
            body="Still bad",
            author_id=self.customer.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertFalse(complaint.complaint_hot_contacted)
        officer_complaint.message_post(
            body="We are sorry, we will call you tomorrow.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.customer.ids,
        )
        self.assertTrue(complaint.complaint_hot_contacted)
        officer_complaint.write({"stage_id": self.stage_closed.id})
        self.assertTrue(complaint.closed)

    def test_close_dialog_refused(self):
        complaint = self._hot()
        with Form(
            self.env["helpdesk.complaint.close.wizard"]
            .with_user(self.officer)
            .with_context(default_ticket_id=complaint.id)
        ) as form:
            form.resolution_method = "repair"
        wizard = form.record
        with self.assertRaisesRegex(UserError, "hot alert"):
            wizard.action_confirm()
        self.assertFalse(complaint.closed)

    def test_closed_again_asks_again_and_poor_again_alerts(self):
        complaint = self._hot()
        self._log_call(complaint)
        complaint.with_user(self.officer).action_complaint_close()
        self._send_customer_updates()
        pending = complaint.sudo().rating_ids.filtered(lambda r: not r.consumed)
        self.assertEqual(len(pending), 1)
        complaint.sudo().rating_apply(1, token=pending.access_token)
        complaint.invalidate_recordset()
        self.assertTrue(complaint.complaint_hot)
        self.assertFalse(complaint.complaint_hot_contacted)
        with self.assertRaises(UserError):
            complaint.with_user(self.officer).action_complaint_close()

    def test_rating_by_public_path_needs_no_right(self):
        """The reopen is done as superuser: the customer (public/portal)
        has no right to reopen complaints."""
        complaint = self._closed_complaint()
        token = complaint.sudo()._rating_get_access_token()
        public = self.env.ref("base.public_user")
        rating = (
            self.env["rating.rating"]
            .with_user(public)
            .sudo()
            .search([("access_token", "=", token)])
        )
        self.env["helpdesk.ticket"].with_user(public).sudo().browse(
            complaint.id
        ).rating_apply(1, rating=rating)
        complaint.invalidate_recordset()
        self.assertTrue(complaint.complaint_hot)
        self.assertFalse(complaint.closed)


class TestComplaintRatingDemo(ComplaintCase):
    def test_demo_good_rating_and_hot_alert(self):
        good = self.env.ref(
            "helpdesk_mgmt_complaint.complaint_rated_good_demo",
            raise_if_not_found=False,
        )
        if not good:
            self.skipTest("demo data not installed")
        poor = self.env.ref("helpdesk_mgmt_complaint.complaint_rated_poor_demo")
        self.assertEqual(good.complaint_satisfaction, "good")
        self.assertTrue(good.closed)
        self.assertEqual(poor.complaint_satisfaction, "poor")
        self.assertTrue(poor.complaint_hot)
        self.assertFalse(poor.closed)
        self.assertTrue(
            poor.activity_ids.filtered(lambda a: a.summary.startswith("Hot alert"))
        )


class TestComplaintRatingMigration(ComplaintCase):
    def test_migration_sets_closed_stage_template(self):
        migration = load_migration("18.0.1.3.0")
        template = self.env.ref("helpdesk_mgmt_rating.rating_ticket_email_template")
        self.stage_closed.rating_mail_template_id = False
        migration.migrate(self.env.cr, "18.0.1.2.0")
        self.stage_closed.invalidate_recordset()
        self.assertEqual(self.stage_closed.rating_mail_template_id, template)
        # a stage with a template of its own keeps it
        own = template.copy({"name": "Our own rating request"})
        self.stage_closed.rating_mail_template_id = own
        migration.migrate(self.env.cr, "18.0.1.2.0")
        self.stage_closed.invalidate_recordset()
        self.assertEqual(self.stage_closed.rating_mail_template_id, own)


class TestComplaintHotSms(RatingCase, SMSCase):
    def test_sms_to_the_customer_counts(self):
        complaint = self._closed_complaint()
        self._rate(complaint, 1)
        with self.mockSMSGateway():
            complaint.with_user(self.officer)._message_sms(
                "We are sorry: we will call you tomorrow morning.",
                partner_ids=self.customer.ids,
                sms_numbers=["+32470123456"],
            )
        complaint.invalidate_recordset()
        self.assertTrue(complaint.complaint_hot_contacted)
        complaint.with_user(self.officer).action_complaint_close()
        self.assertTrue(complaint.closed)
