"""The rating on the customer's complaint page, over HTTP: asked after
closing, given through Odoo's /rate/<token> pages, then "reopened, X will
call"; a customer never sees nor uses another customer's rating."""

from odoo import Command, http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

FEEDBACK = "The noise is back after two days."


@tagged("post_install", "-at_install")
class TestComplaintRatingPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.company = cls.env.company
        cls.officer = new_test_user(
            cls.env,
            login="hmc_rate_officer",
            name="Olga Officer",
            groups="helpdesk_mgmt.group_helpdesk_user,"
            "helpdesk_mgmt_complaint.group_complaint_close",
        )
        cls.company.write(
            {
                "complaint_officer_id": cls.officer.id,
                "complaint_rating_poor_max": 2,
                "complaint_hot_action": "reopen",
            }
        )
        cls.users = {
            key: new_test_user(
                cls.env,
                login=f"hmc_rate_{key}",
                name=name,
                email=f"{key}@example.com",
                groups="base.group_portal",
            )
            for key, name in (("a", "Alba Rater"), ("b", "Bruno Rater"))
        }
        cls.team = cls.env.ref("helpdesk_mgmt_complaint.helpdesk_team_complaints")
        cls.team.user_ids = [Command.link(cls.officer.id)]
        cls.complaints = {
            key: cls.env["helpdesk.ticket"].create(
                {
                    "name": f"Brakes squeal ({key})",
                    "description": "<p>Brakes squeal.</p>",
                    "team_id": cls.team.id,
                    "partner_id": user.partner_id.id,
                    "channel_id": cls.env.ref(
                        "helpdesk_mgmt.helpdesk_ticket_channel_phone"
                    ).id,
                    "topic_ids": [
                        Command.set(
                            cls.env.ref(
                                "helpdesk_mgmt_complaint.complaint_topic_delay"
                            ).ids
                        )
                    ],
                }
            )
            for key, user in cls.users.items()
        }
        for complaint in cls.complaints.values():
            complaint.action_complaint_close()

    def _page(self, key, complaint_key=None):
        self.authenticate(f"hmc_rate_{key}", f"hmc_rate_{key}")
        complaint = self.complaints[complaint_key or key]
        return self.url_open(f"/my/complaint/{complaint.id}")

    def _token(self, key):
        return self.complaints[key].sudo()._rating_get_access_token()

    def test_asked_then_poor_then_changed(self):
        token = self._token("a")
        page = self._page("a")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_complaint_portal_rate", page.text)
        self.assertIn(f"/rate/{token}/1", page.text)
        # Odoo's rating page, then its form
        self.assertEqual(self.url_open(f"/rate/{token}/1").status_code, 200)
        resp = self.url_open(
            f"/rate/{token}/submit_feedback",
            data={
                "rate": 1,
                "feedback": FEEDBACK,
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(resp.status_code, 200)
        complaint = self.complaints["a"]
        complaint.invalidate_recordset()
        self.assertTrue(complaint.complaint_hot)
        self.assertFalse(complaint.closed)
        page = self._page("a")
        self.assertIn("o_complaint_portal_hot", page.text)
        self.assertIn("Your complaint was reopened", page.text)
        self.assertIn("Olga Officer", page.text)
        # changed to a good rating: the loop is closed, the page thanks
        self.url_open(
            f"/rate/{token}/submit_feedback",
            data={"rate": 5, "csrf_token": http.Request.csrf_token(self)},
        )
        complaint.invalidate_recordset()
        self.assertFalse(complaint.complaint_hot)
        page = self._page("a")
        self.assertNotIn("o_complaint_portal_hot", page.text)
        self.assertIn("o_complaint_portal_rated", page.text)

    @mute_logger("odoo.http")
    def test_another_customers_rating(self):
        token_a = self._token("a")
        # B does not see A's complaint (same 404 as a missing one)...
        self.assertEqual(self._page("b", "a").status_code, 404)
        # ... and B's page carries only B's token
        page_b = self._page("b")
        self.assertIn(f"/rate/{self._token('b')}/", page_b.text)
        self.assertNotIn(token_a, page_b.text)
        # Odoo's rating page refuses B on A's token
        resp = self.url_open(f"/rate/{token_a}/1")
        self.assertIn("You cannot rate this", resp.text)
        self.complaints["a"].invalidate_recordset()
        self.assertFalse(self.complaints["a"].complaint_satisfaction)

    def test_portal_rating_tour(self):
        complaint = self.complaints["a"]
        self.start_tour(
            f"/my/complaint/{complaint.id}",
            "helpdesk_mgmt_complaint_rating_tour",
            login="hmc_rate_a",
        )
        complaint.invalidate_recordset()
        self.assertTrue(complaint.complaint_hot)
        self.assertEqual(complaint.complaint_satisfaction, "poor")
        rating = complaint.sudo().rating_ids.filtered("consumed")
        self.assertEqual(rating.rating, 1)
        self.assertEqual(rating.feedback, FEEDBACK)
        self.assertEqual(rating.partner_id, self.users["a"].partner_id)
