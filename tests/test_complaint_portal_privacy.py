# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Whose data is this? A complaint page as two customers, through real HTTP
requests: files of internal notes, the customer's own uploads, and another
customer's vehicle named in a mail."""

import base64
import re

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import load_migration
from .test_complaint_portal import ComplaintPortalCase


@tagged("post_install", "-at_install")
class TestComplaintPortalPrivacy(ComplaintPortalCase):
    def _post(self, complaint, name, subtype="mail.mt_comment"):
        """A staff message on the complaint with one file named `name`."""
        message = complaint.message_post(
            body=f"<p>about {name}</p>",
            message_type="comment",
            subtype_xmlid=subtype,
            attachments=[(name, name.encode())],
        )
        return message.attachment_ids

    def _page_files(self, url):
        """{name: (id, token)} of the files listed on a complaint page."""
        resp = self.url_open(url)
        self.assertEqual(resp.status_code, 200)
        links = re.findall(
            r'href="/web/content/(\d+)\?download=true&amp;access_token=([^"]+)"'
            r"[^>]*>([^<]*)</a>",
            resp.text,
        )
        return resp.text, {name: (int(aid), token) for aid, token, name in links}

    def _download(self, attachment_id, token=None):
        url = f"/web/content/{attachment_id}?download=true"
        if token:
            url += f"&access_token={token}"
        with mute_logger("odoo.http"):
            return self.url_open(url)

    def test_attachments_internal_notes_never_reach_the_customer(self):
        note_a = self._post(self.complaint_a, "note-a.txt", "mail.mt_note")
        reply_a = self._post(self.complaint_a, "reply-a.txt")
        note_b = self._post(self.complaint_b, "note-b.txt", "mail.mt_note")
        reply_b = self._post(self.complaint_b, "reply-b.txt")
        # A file attached from the back end without a message: staff only.
        staff_file = self.env["ir.attachment"].create(
            {
                "name": "staff-a.txt",
                "datas": base64.b64encode(b"x"),
                "res_model": "helpdesk.ticket",
                "res_id": self.complaint_a.id,
            }
        )
        self.authenticate("hmc_portal_a", "hmc_portal_a")
        text, files = self._page_files(f"/my/complaint/{self.complaint_a.id}")
        self.assertEqual(set(files), {"reply-a.txt"})
        self.assertEqual(files["reply-a.txt"][0], reply_a.id)
        for name in ("note-a.txt", "staff-a.txt", "note-b.txt", "reply-b.txt"):
            self.assertNotIn(name, text)
        self.assertFalse(note_a.access_token, "no token handed out")
        self.assertFalse(staff_file.access_token)
        # The listed file downloads; the internal one does not, even logged in.
        resp = self._download(*files["reply-a.txt"])
        self.assertEqual(resp.status_code, 200)
        self.assertEqual(resp.content, b"reply-a.txt")
        for attachment in note_a | staff_file | note_b | reply_b:
            resp = self._download(attachment.id)
            self.assertNotEqual(resp.status_code, 200)
            self.assertNotIn(attachment.name.encode(), resp.content)
            resp = self._download(attachment.id, files["reply-a.txt"][1])
            self.assertNotEqual(resp.status_code, 200)
        # The other customer's complaint: nothing, and no token was made.
        with mute_logger("odoo.http"):
            resp = self.url_open(f"/my/complaint/{self.complaint_b.id}")
        self.assertEqual(resp.status_code, 404)
        self.assertFalse(reply_b.access_token)
        # Customer B sees their own public reply, none of A's files.
        self.authenticate("hmc_portal_b", "hmc_portal_b")
        text, files = self._page_files(f"/my/complaint/{self.complaint_b.id}")
        self.assertEqual(set(files), {"reply-b.txt"})
        self.assertNotIn("note-b.txt", text)
        self.assertNotIn("reply-a.txt", text)
        # The share link (no login) shows the same files as the customer.
        self.logout()
        token = self.complaint_a._portal_ensure_token()
        text, files = self._page_files(
            f"/my/complaint/{self.complaint_a.id}?access_token={token}"
        )
        self.assertEqual(set(files), {"reply-a.txt"})
        self.assertNotIn("note-a.txt", text)
        self.assertEqual(self._download(*files["reply-a.txt"]).status_code, 200)
        self.assertNotEqual(self._download(note_a.id).status_code, 200)

    def test_attachments_own_uploads_shown(self):
        self.authenticate("hmc_portal_a", "hmc_portal_a")
        self._submit(
            subject="alba-with-photo",
            files=[("attachment", ("dashboard.txt", b"warning light", "text/plain"))],
        )
        complaint = self.env["helpdesk.ticket"].search(
            [("name", "=", "alba-with-photo")]
        )
        self.assertEqual(complaint.partner_id, self.partner_a)
        self._post(complaint, "diagnosis.txt", "mail.mt_note")
        # A file sent with a message from the portal chatter.
        resp = self._upload(complaint, "receipt.jpg")
        self.assertEqual(resp.status_code, 200)
        receipt = self.env["ir.attachment"].search([("name", "=", "receipt.jpg")])
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "helpdesk.ticket",
                "thread_id": complaint.id,
                "post_data": {
                    "body": "The receipt",
                    "message_type": "comment",
                    "attachment_ids": receipt.ids,
                },
                "attachment_tokens": [receipt.access_token],
            },
        )
        text, files = self._page_files(f"/my/complaint/{complaint.id}")
        self.assertEqual(set(files), {"dashboard.txt", "receipt.jpg"})
        self.assertNotIn("diagnosis.txt", text)
        resp = self._download(*files["dashboard.txt"])
        self.assertEqual(resp.content, b"warning light")
        # Not on the other customer's complaint list or page.
        self.authenticate("hmc_portal_b", "hmc_portal_b")
        with mute_logger("odoo.http"):
            resp = self.url_open(f"/my/complaint/{complaint.id}")
        self.assertEqual(resp.status_code, 404)
        self.assertNotIn("dashboard.txt", resp.text)

    # -- another customer's vehicle is never shown ------------------------------

    def test_mail_with_other_customers_plate_shows_no_foreign_vehicle(self):
        self.vehicle_b.vin_sn = "VINOFBRUNO0000001"
        domain = self.env["mail.alias.domain"].create({"name": "garage.example.com"})
        self.env.company.alias_domain_id = domain
        self.team.alias_id.alias_domain_id = domain
        message = (
            b"To: complaints@garage.example.com\r\n"
            b"From: Alba Customer <alba@example.com>\r\n"
            b"Subject: Scratches on 9-BBB-999\r\n"
            b"Message-ID: <alba-foreign-plate@mail.example.com>\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
            b"The car came back scratched.\r\n"
        )
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            complaint_id = self.env["mail.thread"].message_process(None, message)
        complaint = self.env["helpdesk.ticket"].browse(complaint_id)
        self.assertEqual(complaint.partner_id, self.partner_a)
        self.assertFalse(complaint.vehicle_id)
        self.assertEqual(complaint.complaint_plate_text, "9-BBB-999")
        # Staff only: the customer cannot read it, even over RPC.
        with self.assertRaises(AccessError):
            complaint.with_user(self.user_a).read(["complaint_plate_text"])
        self.assertTrue(complaint.with_user(self.user_a).read(["name"]))
        # A vehicle of B linked by mistake by staff is not shown to A either.
        self.complaint_a.vehicle_id = self.vehicle_b
        self.authenticate("hmc_portal_a", "hmc_portal_a")
        for url in (
            f"/my/complaint/{complaint.id}",
            f"/my/complaint/{self.complaint_a.id}",
            "/my/complaints",
        ):
            resp = self.url_open(url)
            self.assertEqual(resp.status_code, 200)
            self.assertNotIn(
                "9-BBB-999", resp.text.replace("Scratches on 9-BBB-999", "")
            )
            self.assertNotIn("VINOFBRUNO0000001", resp.text)
        # B still sees their own car on their complaint.
        self.authenticate("hmc_portal_b", "hmc_portal_b")
        resp = self.url_open(f"/my/complaint/{self.complaint_b.id}")
        self.assertIn("9-BBB-999", resp.text)
        self.assertIn("VINOFBRUNO0000001", resp.text)

    def test_new_complaint_other_customers_plate_typed_not_linked(self):
        self.authenticate("hmc_portal_a", "hmc_portal_a")
        self._submit(vehicle_text="9 bbb 999", subject="alba-typed-foreign-plate")
        complaint = self.env["helpdesk.ticket"].search(
            [("name", "=", "alba-typed-foreign-plate")]
        )
        self.assertTrue(complaint)
        self.assertFalse(complaint.vehicle_id)
        resp = self.url_open(f"/my/complaint/{complaint.id}")
        self.assertNotIn("o_complaint_portal_vehicle", resp.text)

    def test_migration_withdraws_tokens_of_internal_files(self):
        """Databases from before 18.0.1.2.0 gave tokens to internal notes'
        files: the 18.0.1.3.0 migration withdraws those and only those, and
        the withdrawn file no longer downloads with its old token."""
        note = self._post(self.complaint_a, "old-note.txt", "mail.mt_note")
        reply = self._post(self.complaint_a, "old-reply.txt")
        other = self._post(self.complaint_b, "other-reply.txt")
        (note | reply | other).generate_access_token()  # what 18.0.1.1.0 did
        old_token = note.access_token
        migration = load_migration("18.0.1.3.0")
        migration.revoke_internal_attachment_tokens(self.env)
        self.assertFalse(note.access_token)
        self.assertTrue(reply.access_token)
        self.assertTrue(other.access_token)
        self.assertEqual(self._download(note.id, old_token).status_code, 404)
        self.assertEqual(self._download(reply.id, reply.access_token).status_code, 200)
