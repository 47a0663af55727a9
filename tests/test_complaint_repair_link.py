# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The service centre's token page: valid, wrong, malformed and expired
tokens, no access to another request, state changes recorded via link."""

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintRepairLink(HttpCase, ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        centre = cls.env["res.partner"].create(
            {
                "name": "Gearbox Specialists",
                "email": "gearbox@example.com",
                "is_service_centre": True,
            }
        )
        complaint = cls._create_complaint(user_id=cls.officer.id)
        Repair = cls.env["helpdesk.complaint.repair"]
        cls.repair = Repair.create(
            {
                "ticket_id": complaint.id,
                "service_centre_id": centre.id,
                "serial": "GB-1",
            }
        )
        cls.other = Repair.create(
            {
                "ticket_id": complaint.id,
                "service_centre_id": centre.id,
                "serial": "GB-2",
            }
        )
        (cls.repair | cls.other)._complaint_send()
        cls.token = cls.repair._portal_ensure_token()
        cls.other_token = cls.other._portal_ensure_token()

    def _get(self, token, repair=None):
        repair = repair or self.repair
        return self.url_open(f"/repair/{repair.id}?access_token={token}")

    def _post(self, state, note=""):
        if not getattr(self, "session", None):
            self.authenticate(None, None)
        return self.url_open(
            f"/repair/{self.repair.id}/state",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "access_token": self.token,
                "state": state,
                "note": note,
            },
        )

    def test_valid_token_shows_only_that_request(self):
        resp = self._get(self.token)
        self.assertEqual(resp.status_code, 200)
        self.assertIn(self.repair.name, resp.text)
        self.assertIn("GB-1", resp.text)
        self.assertNotIn("GB-2", resp.text)

    def test_wrong_malformed_and_other_tokens(self):
        self.assertEqual(self._get("wrong-token").status_code, 404)
        self.assertEqual(self._get("").status_code, 404)
        self.assertEqual(self._get("%00%ff<script>").status_code, 404)
        self.assertEqual(
            self.url_open(f"/repair/{self.repair.id}").status_code, 404, "no token"
        )
        # The other request's token opens nothing of this one.
        self.assertEqual(self._get(self.other_token).status_code, 404)
        self.assertEqual(self._get(self.token, self.other).status_code, 404)
        self.assertEqual(
            self._get(self.token, self.repair.browse(999999)).status_code, 404
        )

    def test_centre_records_states_then_link_expires(self):
        resp = self._post("received", "Arrived this morning")
        self.assertEqual(resp.status_code, 200)
        self.assertEqual(self.repair.state, "received")
        event = self.repair.event_ids.sorted("id")[-1]
        self.assertTrue(event.via_link)
        self.assertFalse(event.user_id)
        self.assertEqual(event.note, "Arrived this morning")
        self.assertTrue(self.repair.date_received)
        # A state that is not next is refused, nothing changes.
        resp = self._post("returned")
        self.assertIn("Choose one of the states offered", resp.text)
        self.assertEqual(self.repair.state, "received")
        for state in ("started", "repaired", "returned"):
            self._post(state)
        self.assertEqual(self.repair.state, "returned")
        self.assertEqual(len(self.repair.event_ids), 5)
        # Returned: the link has expired.
        self.assertEqual(self._get(self.token).status_code, 403)
        self.assertEqual(self._post("refused").status_code, 403)

    def test_draft_request_link_not_valid(self):
        draft = self.env["helpdesk.complaint.repair"].create(
            {
                "ticket_id": self.repair.ticket_id.id,
                "service_centre_id": self.repair.service_centre_id.id,
            }
        )
        token = draft._portal_ensure_token()
        self.assertEqual(self._get(token, draft).status_code, 403)
