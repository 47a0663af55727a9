# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer portal of complaints, through real HTTP requests: each customer
sees and writes only their own complaints; other customers' complaints give
the same 404 as a missing one, by URL, guessed id or RPC."""

from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

SCRIPT = '<script>document.title="owned"</script>'


class ComplaintPortalCase(HttpCase):
    """Two portal customers with complaints and vehicles, and a handler."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.team = cls.env.ref("helpdesk_mgmt_complaint.helpdesk_team_complaints")
        cls.phone = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        cls.web = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web")
        cls.user_a = new_test_user(
            cls.env,
            login="hmc_portal_a",
            name="Alba Customer",
            email="alba@example.com",
            groups="base.group_portal",
        )
        cls.user_b = new_test_user(
            cls.env,
            login="hmc_portal_b",
            name="Bruno Customer",
            email="bruno@example.com",
            groups="base.group_portal",
        )
        cls.partner_a = cls.user_a.partner_id
        cls.partner_b = cls.user_b.partner_id
        model = cls.env["fleet.vehicle.model"].create(
            {
                "name": "Fabia",
                "brand_id": cls.env["fleet.vehicle.model.brand"]
                .create({"name": "Skoda"})
                .id,
            }
        )
        cls.vehicle_a = cls.env["fleet.vehicle"].create(
            {
                "model_id": model.id,
                "license_plate": "2-AAA-111",
                "driver_id": cls.partner_a.id,
            }
        )
        cls.vehicle_b = cls.env["fleet.vehicle"].create(
            {
                "model_id": model.id,
                "license_plate": "9-BBB-999",
                "driver_id": cls.partner_b.id,
            }
        )
        cls.complaint_a = cls._complaint(
            cls.partner_a, "alba-gearbox-noise", cls.vehicle_a
        )
        cls.complaint_b = cls._complaint(
            cls.partner_b, "bruno-secret-complaint", cls.vehicle_b
        )

    @classmethod
    def _complaint(cls, partner, name, vehicle=None):
        return cls.env["helpdesk.ticket"].create(
            {
                "name": name,
                "description": f"<p>{name} description</p>",
                "team_id": cls.team.id,
                "partner_id": partner.id,
                "channel_id": cls.phone.id,
                "vehicle_id": vehicle.id if vehicle else False,
            }
        )

    def _counters(self):
        return self.make_jsonrpc_request(
            "/my/counters", {"counters": ["complaint_count", "ticket_count"]}
        )

    # -- list and home -------------------------------------------------------

    def _upload(self, complaint, name):
        return self.url_open(
            "/mail/attachment/upload",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "thread_id": complaint.id,
                "thread_model": "helpdesk.ticket",
                "is_pending": "true",
            },
            files={"ufile": (name, b"photo bytes", "image/jpeg")},
        )

    def _submit(self, **values):
        data = {
            "csrf_token": http.Request.csrf_token(self),
            "subject": "alba-portal-new",
            "description": f"The clutch slips.\nSince Monday.{SCRIPT}",
            **values,
        }
        files = values.pop("files", None)
        data.pop("files", None)
        return self.url_open("/my/complaints/submit", data=data, files=files)


@tagged("post_install", "-at_install")
class TestComplaintPortal(ComplaintPortalCase):
    def test_list_and_counter_show_own_complaints_only(self):
        self.authenticate("hmc_portal_a", "hmc_portal_a")
        resp = self.url_open("/my/complaints")
        self.assertEqual(resp.status_code, 200)
        self.assertIn("alba-gearbox-noise", resp.text)
        self.assertIn(self.complaint_a.number, resp.text)
        self.assertIn("2-AAA-111", resp.text)
        self.assertNotIn("bruno-secret-complaint", resp.text)
        self.assertNotIn(self.complaint_b.number, resp.text)
        self.assertEqual(self._counters()["complaint_count"], 1)
        # Searching the other customer's number finds nothing.
        resp = self.url_open(f"/my/complaints?search={self.complaint_b.number}")
        self.assertNotIn("bruno-secret-complaint", resp.text)
        self.assertIn("No complaints found", resp.text)
        # Sorting and paging parameters are accepted, unknown ones ignored.
        for sortby in ("date", "state", "urgency", "bogus"):
            resp = self.url_open(f"/my/complaints?sortby={sortby}&filterby=open")
            self.assertEqual(resp.status_code, 200)
            self.assertIn("alba-gearbox-noise", resp.text)
        resp = self.url_open("/my/complaints?search=2-AAA&search_in=plate")
        self.assertIn("alba-gearbox-noise", resp.text)

    def test_follower_of_another_complaint_gains_nothing(self):
        # E.g. copied on the other customer's e-mail: a follower, not the customer.
        self.complaint_b.message_subscribe(partner_ids=self.partner_a.ids)
        Ticket = self.env["helpdesk.ticket"].with_user(self.user_a)
        self.assertEqual(Ticket.search([("is_complaint", "=", True)]), self.complaint_a)
        self.authenticate("hmc_portal_a", "hmc_portal_a")
        self.assertEqual(self._counters()["complaint_count"], 1)
        resp = self.url_open(f"/my/complaint/{self.complaint_b.id}")
        self.assertEqual(resp.status_code, 404)

    def test_tickets_pages_keep_ordinary_tickets(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "alba-ordinary-ticket",
                "description": "<p>question</p>",
                "partner_id": self.partner_a.id,
            }
        )
        self.authenticate("hmc_portal_a", "hmc_portal_a")
        resp = self.url_open("/my/tickets")
        self.assertIn("alba-ordinary-ticket", resp.text)
        self.assertNotIn("alba-gearbox-noise", resp.text)
        self.assertEqual(self._counters()["ticket_count"], 1)
        resp = self.url_open(f"/my/ticket/{ticket.id}")
        self.assertEqual(resp.status_code, 200)
        # A complaint opened through the ticket URL lands on its complaint page.
        resp = self.url_open(f"/my/ticket/{self.complaint_a.id}")
        self.assertEqual(resp.status_code, 200)
        self.assertTrue(resp.url.endswith(f"/my/complaint/{self.complaint_a.id}"))

    # -- detail -----------------------------------------------------------------

    def test_detail_page(self):
        self.authenticate("hmc_portal_a", "hmc_portal_a")
        resp = self.url_open(f"/my/complaint/{self.complaint_a.id}")
        self.assertEqual(resp.status_code, 200)
        self.assertIn("alba-gearbox-noise description", resp.text)
        self.assertIn("Registered", resp.text)
        self.assertIn("Promised resolution by", resp.text)
        self.assertIn("2-AAA-111", resp.text)
        self.assertIn("o_portal_chatter", resp.text)

    @mute_logger("odoo.http")
    def test_other_customer_complaint_not_found_no_leak(self):
        self.authenticate("hmc_portal_a", "hmc_portal_a")
        missing_id = self.complaint_b.id + 1000
        other = self.url_open(f"/my/complaint/{self.complaint_b.id}")
        missing = self.url_open(f"/my/complaint/{missing_id}")
        self.assertEqual(other.status_code, 404)
        self.assertEqual(missing.status_code, 404)
        self.assertNotIn("bruno-secret-complaint", other.text)
        self.assertNotIn("Bruno", other.text)
        # The ticket URL answers as for any ticket out of reach.
        for ticket_id in (self.complaint_b.id, missing_id):
            resp = self.url_open(f"/my/ticket/{ticket_id}", allow_redirects=False)
            self.assertEqual(resp.status_code, 303)
            self.assertTrue(resp.headers["Location"].endswith("/my"))
        # A wrong token is no better.
        resp = self.url_open(
            f"/my/complaint/{self.complaint_b.id}?access_token=not-the-token"
        )
        self.assertEqual(resp.status_code, 404)

    @mute_logger("odoo.http")
    def test_rpc_read_and_write_refused(self):
        self.authenticate("hmc_portal_a", "hmc_portal_a")

        def call(method, args, kwargs=None):
            return self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {
                    "model": "helpdesk.ticket",
                    "method": method,
                    "args": args,
                    "kwargs": kwargs or {},
                },
            )

        rows = call(
            "search_read", [[("is_complaint", "=", True)]], {"fields": ["name"]}
        )
        self.assertEqual([r["name"] for r in rows], ["alba-gearbox-noise"])
        self.assertEqual(call("search_count", [[("name", "like", "bruno")]]), 0)
        with self.assertRaises(JsonRpcException):
            call("read", [[self.complaint_b.id], ["name"]])
        with self.assertRaises(JsonRpcException):
            call("write", [[self.complaint_a.id], {"urgency": "high"}])
        with self.assertRaises(JsonRpcException):
            call(
                "create",
                [
                    {
                        "name": "forged",
                        "description": "<p>x</p>",
                        "team_id": self.team.id,
                        "partner_id": self.partner_b.id,
                        "channel_id": self.web.id,
                    }
                ],
            )
        self.assertEqual(self.complaint_a.urgency, "normal")
        # Posting on the other customer's complaint is refused too.
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "helpdesk.ticket",
                    "thread_id": self.complaint_b.id,
                    "post_data": {"body": "hello", "message_type": "comment"},
                },
            )
        self.assertFalse(
            self.complaint_b.message_ids.filtered(lambda m: m.body == "<p>hello</p>")
        )

    @mute_logger("odoo.http")
    def test_complaint_not_closed_by_ticket_close_route(self):
        stage = self.env["helpdesk.ticket.stage"].create(
            {"name": "Solved by customer", "closed": True, "close_from_portal": True}
        )
        self.authenticate("hmc_portal_a", "hmc_portal_a")
        resp = self.url_open(
            "/ticket/close",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "ticket_id": self.complaint_a.id,
                "stage_id": stage.id,
            },
            allow_redirects=False,
        )
        self.assertEqual(resp.status_code, 404)
        self.assertFalse(self.complaint_a.closed)

    def test_access_token_without_login(self):
        token = self.complaint_a._portal_ensure_token()
        resp = self.url_open(
            f"/my/complaint/{self.complaint_a.id}?access_token={token}"
        )
        self.assertEqual(resp.status_code, 200)
        self.assertIn("alba-gearbox-noise description", resp.text)
        self.assertIn(
            self.complaint_a.get_portal_url(),
            self.complaint_a.access_url + "?access_token=" + token + "",
        )
        with mute_logger("odoo.http"):
            resp = self.url_open(f"/my/complaint/{self.complaint_a.id}")
        self.assertNotIn("alba-gearbox-noise description", resp.text)
        self.assertIn("/web/login", resp.url)

    # -- messages ---------------------------------------------------------------

    def test_portal_message_and_script_inert(self):
        self.authenticate("hmc_portal_a", "hmc_portal_a")
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "helpdesk.ticket",
                "thread_id": self.complaint_a.id,
                "post_data": {
                    "body": f"Still noisy{SCRIPT}",
                    "message_type": "comment",
                },
            },
        )
        message = self.complaint_a.message_ids.filtered(
            lambda m: "Still noisy" in (m.body or "")
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.partner_a)
        self.assertNotIn("<script", message.body)
        self.assertFalse(message.is_internal)
        self.assertFalse(
            self.complaint_a.first_response_date,
            "a customer's message is not the first response",
        )
        resp = self.url_open(f"/my/complaint/{self.complaint_a.id}")
        self.assertNotIn(SCRIPT, resp.text)

    def test_portal_message_with_attachment(self):
        self.authenticate("hmc_portal_a", "hmc_portal_a")
        resp = self._upload(self.complaint_a, "dashboard.jpg")
        self.assertEqual(resp.status_code, 200)
        attachment = self.env["ir.attachment"].search([("name", "=", "dashboard.jpg")])
        self.assertEqual(len(attachment), 1)
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "helpdesk.ticket",
                "thread_id": self.complaint_a.id,
                "post_data": {
                    "body": "Photo of the warning light",
                    "message_type": "comment",
                    "attachment_ids": attachment.ids,
                },
                "attachment_tokens": [attachment.access_token],
            },
        )
        message = self.complaint_a.message_ids.filtered(
            lambda m: "warning light" in (m.body or "")
        )
        self.assertEqual(message.attachment_ids, attachment)
        self.assertIn(attachment, self.complaint_a.attachment_ids)
        # Not on another customer's complaint.
        with mute_logger("odoo.http"):
            resp = self._upload(self.complaint_b, "intruder.jpg")
        self.assertEqual(resp.status_code, 404)
        self.assertFalse(
            self.env["ir.attachment"].search([("name", "=", "intruder.jpg")])
        )

    # -- new complaint ----------------------------------------------------------

    def test_new_complaint_form_and_submit(self):
        self.authenticate("hmc_portal_a", "hmc_portal_a")
        resp = self.url_open("/my/complaints/new")
        self.assertEqual(resp.status_code, 200)
        self.assertIn("2-AAA-111", resp.text)
        self.assertNotIn("9-BBB-999", resp.text, "only the customer's vehicles")
        resp = self._submit(
            vehicle_id=str(self.vehicle_a.id),
            files=[("attachment", ("clutch.txt", b"smell of burning", "text/plain"))],
        )
        self.assertEqual(resp.status_code, 200)
        complaint = self.env["helpdesk.ticket"].search(
            [("name", "=", "alba-portal-new")]
        )
        self.assertEqual(len(complaint), 1)
        self.assertTrue(resp.url.endswith(f"/my/complaint/{complaint.id}?created=1"))
        self.assertIn("registered under the number", resp.text)
        self.assertIn(complaint.number, resp.text)
        self.assertTrue(complaint.is_complaint)
        self.assertEqual(complaint.team_id, self.team)
        self.assertEqual(complaint.partner_id, self.partner_a)
        self.assertEqual(complaint.channel_id, self.web)
        self.assertEqual(complaint.vehicle_id, self.vehicle_a)
        self.assertEqual(complaint.complaint_state, "registered")
        self.assertTrue(complaint.sla_deadline)
        self.assertTrue(complaint.user_id, "assignment rules applied")
        self.assertIn(self.partner_a, complaint.message_partner_ids)
        self.assertEqual(complaint.attachment_ids.mapped("name"), ["clutch.txt"])
        self.assertIn("The clutch slips.<br>Since Monday.", complaint.description)
        self.assertNotIn("<script", complaint.description)
        self.env["helpdesk.ticket"]._cron_complaint_notify_customers()
        received = self.env.ref(
            "helpdesk_mgmt_complaint.mail_template_complaint_received"
        )._render_field("subject", complaint.ids)[complaint.id]
        ack = complaint.message_ids.filtered(lambda m: m.subject == received)
        self.assertEqual(len(ack), 1)
        self.assertIn(complaint.number, ack.body)
        self.assertEqual(self._counters()["complaint_count"], 2)

    def test_new_complaint_other_vehicle_or_free_text(self):
        self.authenticate("hmc_portal_a", "hmc_portal_a")
        # Another customer's vehicle id is ignored.
        self._submit(vehicle_id=str(self.vehicle_b.id), subject="alba-forged-vehicle")
        complaint = self.env["helpdesk.ticket"].search(
            [("name", "=", "alba-forged-vehicle")]
        )
        self.assertTrue(complaint)
        self.assertFalse(complaint.vehicle_id)
        # Own plate typed in any format links the vehicle.
        self._submit(vehicle_text="2 aaa 111", subject="alba-typed-plate")
        complaint = self.env["helpdesk.ticket"].search(
            [("name", "=", "alba-typed-plate")]
        )
        self.assertEqual(complaint.vehicle_id, self.vehicle_a)
        # Free text stays in the description.
        self._submit(vehicle_text="rental car, plate unknown", subject="alba-free-text")
        complaint = self.env["helpdesk.ticket"].search(
            [("name", "=", "alba-free-text")]
        )
        self.assertFalse(complaint.vehicle_id)
        self.assertIn("rental car, plate unknown", complaint.description)
        # Missing title: the form again, nothing created.
        resp = self._submit(subject="  ")
        self.assertIn("Give a title", resp.text)
        self.assertEqual(resp.status_code, 200)

    def test_public_user_cannot_submit(self):
        resp = self.url_open("/my/complaints/new", allow_redirects=False)
        self.assertIn(resp.status_code, (302, 303))
        self.assertIn("/web/login", resp.headers["Location"])

    def test_demo_portal_customer(self):
        user = self.env.ref(
            "helpdesk_mgmt_complaint.user_portal_ana_kovac_demo",
            raise_if_not_found=False,
        )
        if not user:  # installed without demo data
            return
        own = self.env["helpdesk.ticket"].search(
            [("is_complaint", "=", True), ("partner_id", "=", user.partner_id.id)]
        )
        self.assertTrue(own, "the demo customer has complaints")
        self.assertEqual(
            self.env["helpdesk.ticket"]
            .with_user(user)
            .search([("is_complaint", "=", True)]),
            own,
        )
        self.authenticate("ana", "ana")
        resp = self.url_open("/my/complaints")
        self.assertEqual(resp.status_code, 200)
        for complaint in own[:80]:
            self.assertIn(complaint.number, resp.text)
        self.assertEqual(self._counters()["complaint_count"], len(own))

    # -- query count -----------------------------------------------------------

    def test_list_query_count_constant(self):
        """The list costs the same number of queries for 10 or 1,000
        complaints of the customer (one page of 80 shown)."""
        Ticket = self.env["helpdesk.ticket"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True
        )

        def create(count):
            Ticket.create(
                [
                    {
                        "name": f"bulk complaint {i}",
                        "description": "<p>bulk</p>",
                        "team_id": self.team.id,
                        "partner_id": self.partner_a.id,
                        "channel_id": self.phone.id,
                        "vehicle_id": self.vehicle_a.id if i % 2 else False,
                        "urgency": ("normal", "medium", "high")[i % 3],
                    }
                    for i in range(count)
                ]
            )

        self.authenticate("hmc_portal_a", "hmc_portal_a")
        url = "/my/complaints?sortby=urgency"

        def count_queries():
            self.url_open(url)  # warm caches
            self.url_open(url)
            start = self.cr.sql_log_count
            resp = self.url_open(url)
            self.assertEqual(resp.status_code, 200)
            return self.cr.sql_log_count - start

        create(9)  # 10 with complaint_a
        few = count_queries()
        create(990)
        many = count_queries()
        self.assertEqual(few, many)
        with self.assertQueryCount(many):
            self.url_open(url)

    # -- attachments: public replies and own uploads only -----------------------
