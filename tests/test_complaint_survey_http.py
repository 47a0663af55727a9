import re

from odoo.tests import HttpCase, tagged

CSRF = re.compile(r"(input.+csrf_token.+value=\")([a-f0-9]{40}o[0-9]*)")


@tagged("post_install", "-at_install")
class TestComplaintSurveyHttp(HttpCase):
    """An anonymous visitor submits a public survey on the website: the
    complaint is opened with a contact to review, through the real
    /survey/submit route."""

    def _survey(self):
        survey = self.env["survey.survey"].create(
            {
                "title": "Public feedback",
                "access_mode": "public",
                "users_login_required": False,
                "questions_layout": "one_page",
                "is_complaint_source": True,
            }
        )
        question = self.env["survey.question"].create(
            {
                "survey_id": survey.id,
                "title": "Would you come back?",
                "question_type": "simple_choice",
                "suggested_answer_ids": [
                    (0, 0, {"value": "Yes"}),
                    (0, 0, {"value": "Never", "complaint_trigger": True}),
                ],
            }
        )
        return survey, question

    def test_anonymous_submission_opens_a_complaint_to_review(self):
        survey, question = self._survey()
        self.url_open(f"/survey/start/{survey.access_token}")
        user_input = survey.user_input_ids
        self.assertEqual(len(user_input), 1)
        self.assertFalse(user_input.partner_id or user_input.email)
        token = user_input.access_token
        page = self.url_open(f"/survey/{survey.access_token}/{token}")
        csrf = CSRF.search(page.text).groups()[1]
        base = survey.get_base_url()
        self.opener.post(
            url=f"{base}/survey/begin/{survey.access_token}/{token}", json={}
        )
        never = question.suggested_answer_ids[1]
        response = self.opener.post(
            url=f"{base}/survey/submit/{survey.access_token}/{token}",
            json={
                "params": {
                    str(question.id): str(never.id),
                    "csrf_token": csrf,
                    "token": token,
                }
            },
        )
        self.assertEqual(response.status_code, 200)
        user_input.invalidate_recordset()
        self.assertEqual(user_input.state, "done")
        complaint = user_input.complaint_id
        self.assertTrue(complaint.is_complaint)
        self.assertTrue(complaint.complaint_sender_review)
        self.assertEqual(complaint.partner_id.name, "Unknown survey respondent")
        self.assertEqual(
            complaint.channel_id,
            self.env.ref("helpdesk_mgmt_complaint.helpdesk_ticket_channel_survey"),
        )
        self.assertIn("Never", complaint.description)
