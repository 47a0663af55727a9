from unittest.mock import patch

from markupsafe import Markup

from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from .common import ComplaintCase


class TestComplaintSurvey(ComplaintCase):
    """A completed response that hits a trigger opens one complaint."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reviewer = cls.complaint_manager
        # Who reads the responses: survey users.
        survey_user = cls.env.ref("survey.group_survey_user")
        (cls.advisor | cls.handler).groups_id = [(4, survey_user.id)]
        cls.survey = cls.env["survey.survey"].create(
            {
                "title": "After your service",
                "is_complaint_source": True,
                "access_mode": "token",
            }
        )
        Question = cls.env["survey.question"]
        cls.q_choice = Question.create(
            {
                "survey_id": cls.survey.id,
                "title": "Was the car ready on time?",
                "question_type": "simple_choice",
                "suggested_answer_ids": [
                    (0, 0, {"value": "Yes"}),
                    (0, 0, {"value": "No <late>", "complaint_trigger": True}),
                ],
            }
        )
        cls.yes, cls.no = cls.q_choice.suggested_answer_ids
        cls.q_scale = Question.create(
            {
                "survey_id": cls.survey.id,
                "title": "How satisfied are you?",
                "question_type": "scale",
                "scale_min": 0,
                "scale_max": 10,
                "complaint_threshold_active": True,
                "complaint_threshold": 4,
            }
        )
        cls.q_text = Question.create(
            {
                "survey_id": cls.survey.id,
                "title": "Anything to add?",
                "question_type": "text_box",
            }
        )
        cls.channel_survey = cls.env.ref(
            "helpdesk_mgmt_complaint.helpdesk_ticket_channel_survey"
        )

    def _respond(self, choice, scale, text="", submit=True, **answer_kw):
        if not answer_kw:
            answer_kw = {"partner": self.customer}
        user_input = self.survey._create_answer(check_attempts=False, **answer_kw)
        user_input._save_lines(self.q_choice, choice.id)
        user_input._save_lines(self.q_scale, str(scale))
        user_input._save_lines(self.q_text, text)
        if submit:
            user_input._mark_done()
        return user_input

    def test_choice_trigger_opens_one_complaint(self):
        long_text = "Waited <b>two</b> hours. " + "Nobody called. " * 20 + "END"
        user_input = self._respond(self.no, 9, long_text)
        complaint = user_input.complaint_id
        self.assertTrue(complaint.is_complaint)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertFalse(complaint.complaint_sender_review)
        self.assertEqual(complaint.channel_id, self.channel_survey)
        self.assertEqual(complaint.team_id, self.team)
        self.assertEqual(complaint.complaint_survey_input_id, user_input)
        # The answers, escaped, the triggering one marked.
        self.assertIn("Waited &lt;b&gt;two&lt;/b&gt; hours", complaint.description)
        self.assertIn("END", complaint.description, "free text in full")
        self.assertIn("<b>No &lt;late&gt;</b>", complaint.description)
        self.assertIn("How satisfied are you?", complaint.description)
        # The reviewer (default: the officer) gets an activity.
        activity = complaint.activity_ids
        self.assertEqual(activity.user_id, self.officer)
        self.assertIn("survey", activity.summary)

    def test_scale_threshold_is_inclusive(self):
        self.assertTrue(self._respond(self.yes, 4).complaint_id)
        self.assertFalse(self._respond(self.yes, 5).complaint_id)

    def test_no_trigger_no_complaint(self):
        user_input = self._respond(self.yes, 10, "All fine")
        self.assertEqual(user_input.state, "done")
        self.assertFalse(user_input.complaint_ids)

    def test_resubmitted_opens_nothing_more(self):
        user_input = self._respond(self.no, 1)
        complaint = user_input.complaint_id
        complaint.active = False  # archived: still the response's complaint
        user_input._mark_done()
        self.survey.user_input_ids._mark_done()
        self.assertEqual(
            self.env["helpdesk.ticket"]
            .with_context(active_test=False)
            .search_count([("complaint_survey_input_id", "=", user_input.id)]),
            1,
        )

    def test_not_a_complaint_source_or_test_entry(self):
        self.survey.is_complaint_source = False
        self.assertFalse(self._respond(self.no, 0).complaint_ids)
        self.survey.is_complaint_source = True
        test_input = self._respond(self.no, 0, test_entry=True)
        self.assertFalse(test_input.complaint_ids)

    def test_reviewer_setting_and_team(self):
        self.company.complaint_reviewer_id = self.reviewer
        other_team = self.team.copy({"name": "Survey complaints"})
        self.survey.complaint_team_id = other_team
        complaint = self._respond(self.no, 9).complaint_id
        self.assertEqual(complaint.team_id, other_team)
        self.assertEqual(complaint.activity_ids.user_id, self.reviewer)

    def test_matched_by_email(self):
        user_input = self._respond(self.no, 9, email="IVANA.horvat@example.com")
        self.assertEqual(user_input.complaint_id.partner_id, self.customer)
        self.assertFalse(user_input.complaint_id.complaint_sender_review)

    def test_no_partner_no_email_creates_contact_to_review(self):
        user_input = self._respond(self.no, 9, email=False)
        complaint = user_input.complaint_id
        self.assertTrue(complaint, "the response is never dropped")
        self.assertTrue(complaint.complaint_sender_review)
        self.assertEqual(complaint.partner_id.name, "Unknown survey respondent")
        self.assertNotEqual(complaint.partner_id, self.customer)

    def test_employee_contact_is_not_the_customer(self):
        user_input = self._respond(self.no, 9, partner=self.handler.partner_id)
        complaint = user_input.complaint_id
        self.assertNotEqual(complaint.partner_id, self.handler.partner_id)
        self.assertTrue(complaint.complaint_sender_review)

    def test_vehicle_and_product_from_the_invitation(self):
        product = self.env["product.product"].create({"name": "Winter tyres"})
        invite = (
            self.env["survey.invite"]
            .with_context(default_survey_id=self.survey.id)
            .create(
                {
                    "partner_ids": [(6, 0, self.customer.ids)],
                    "complaint_vehicle_id": self.vehicle.id,
                    "complaint_product_id": product.id,
                }
            )
        )
        user_input = invite._prepare_answers(self.customer, [])
        self.assertEqual(user_input.complaint_vehicle_id, self.vehicle)
        user_input._save_lines(self.q_choice, self.no.id)
        user_input._mark_done()
        self.assertEqual(user_input.complaint_id.vehicle_id, self.vehicle)
        self.assertEqual(user_input.complaint_id.product_id, product)

    def test_batch_one_failure_does_not_stop_the_others(self):
        inputs = self.env["survey.user_input"]
        for _i in range(3):
            inputs |= self._respond(self.no, 1, submit=False)
        Ticket = self.env.registry["helpdesk.ticket"]
        create = Ticket.create
        bad = inputs[1]

        def create_failing(self_, vals_list):
            if isinstance(vals_list, dict):
                vals_list = [vals_list]
            if any(v.get("complaint_survey_input_id") == bad.id for v in vals_list):
                raise ValueError("boom")
            return create(self_, vals_list)

        with patch.object(Ticket, "create", create_failing, create=False):
            inputs._mark_done()
        self.assertTrue(inputs[0].complaint_id)
        self.assertTrue(inputs[2].complaint_id)
        self.assertFalse(bad.complaint_id)
        self.assertIn("could not be created", bad.message_ids[:1].body)
        # Opened by hand afterwards, once.
        bad.with_user(self.advisor).action_complaint_open()
        self.assertTrue(bad.complaint_id)
        bad.with_user(self.advisor).action_complaint_open()
        self.assertEqual(len(bad.complaint_ids), 1)

    def test_open_by_hand_needs_the_right(self):
        user_input = self._respond(self.yes, 10, "Nice but expensive")
        with self.assertRaises(AccessError):
            user_input.with_user(self.handler).action_complaint_open()
        action = user_input.with_user(self.advisor).action_complaint_open()
        self.assertEqual(action["res_id"], user_input.complaint_id.id)
        self.assertIsInstance(Markup(user_input.complaint_id.description), Markup)

    def test_demo_response_opened_a_complaint(self):
        user_input = self.env.ref(
            "helpdesk_mgmt_complaint.survey_input_dvorak_demo",
            raise_if_not_found=False,
        )
        if not user_input:
            self.skipTest("installed without demo data")
        complaint = user_input.complaint_id
        self.assertEqual(user_input.state, "done")
        self.assertEqual(
            complaint.partner_id,
            self.env.ref("helpdesk_mgmt_complaint.partner_tomas_dvorak_demo"),
        )
        self.assertEqual(
            complaint.vehicle_id,
            self.env.ref("helpdesk_mgmt_complaint.vehicle_dvorak_fabia_demo"),
        )
        self.assertIn("nobody called me", complaint.description)

    def test_response_form_without_fleet_rights(self):
        """A survey user without helpdesk or fleet rights opens a response
        about a vehicle: the vehicle is left out, the form loads."""
        user_input = self._respond(self.no, 9, submit=False)
        user_input.complaint_vehicle_id = self.vehicle
        surveyor = new_test_user(
            self.env, login="hmc_surveyor", groups="survey.group_survey_user"
        )
        views = user_input.with_user(surveyor).get_views([(False, "form")])
        arch = views["views"]["form"]["arch"]
        self.assertNotIn("complaint_vehicle_id", arch)
        self.assertNotIn('name="complaint_id"', arch)
        user_input.with_user(surveyor).web_read(
            {"survey_id": {"fields": {"display_name": {}}}, "state": {}}
        )
        arch = user_input.with_user(self.advisor).get_views([(False, "form")])
        self.assertIn("complaint_vehicle_id", arch["views"]["form"]["arch"])
