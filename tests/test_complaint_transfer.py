from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import ComplaintCase


class TestComplaintTransfer(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.personal_user = new_test_user(
            cls.env,
            login="hmc_personal",
            name="Personal",
            groups="helpdesk_mgmt.group_helpdesk_user_own",
        )
        cls.team_user = new_test_user(
            cls.env,
            login="hmc_team_user",
            name="Team User",
            groups="helpdesk_mgmt.group_helpdesk_user_team",
        )
        cls.plain_team.user_ids = [Command.link(cls.team_user.id)]
        cls.other_company = cls.env["res.company"].create({"name": "Other Motors"})
        cls.foreign_user = new_test_user(
            cls.env,
            login="hmc_foreign",
            name="Foreign",
            groups="helpdesk_mgmt.group_helpdesk_user",
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )

    def _transfer_row(self, complaint, reason):
        return (
            self.env["helpdesk.ticket.transfer"]
            .sudo()
            .create(
                {
                    "ticket_id": complaint.id,
                    "from_user_id": complaint.user_id.id,
                    "to_user_id": self.handler.id,
                    "reason": reason,
                }
            )
        )

    def _wizard(self, complaint, user, **vals):
        return (
            self.env["helpdesk.complaint.transfer.wizard"]
            .with_user(user)
            .create({"ticket_id": complaint.id, **vals})
        )

    def test_transfer_keeps_history_and_notifies(self):
        complaint = self._create_complaint(user=self.advisor, user_id=self.advisor.id)
        action = complaint.with_user(self.advisor).action_complaint_transfer()
        with Form(
            self.env[action["res_model"]]
            .with_user(self.advisor)
            .with_context(**action["context"])
        ) as wizard_form:
            self.assertEqual(wizard_form.current_user_id, self.advisor)
            wizard_form.user_id = self.handler
            wizard_form.reason = "Needs a body-shop specialist"
        wizard_form.record.action_transfer()
        self.assertEqual(complaint.user_id, self.handler)
        history = complaint.transfer_ids
        self.assertEqual(len(history), 1)
        self.assertEqual(history.from_user_id, self.advisor)
        self.assertEqual(history.to_user_id, self.handler)
        self.assertEqual(history.by_user_id, self.advisor)
        self.assertEqual(history.reason, "Needs a body-shop specialist")
        self.assertEqual(complaint.transfer_count, 1)
        action = complaint.with_user(self.advisor).action_complaint_view_transfers()
        self.assertEqual(
            self.env[action["res_model"]]
            .with_user(self.advisor)
            .search(action["domain"]),
            history,
        )
        note = complaint.message_ids[0]
        self.assertIn("Needs a body-shop specialist", note.body)
        self.assertIn(self.handler.partner_id, note.partner_ids)
        self.assertIn(self.handler.partner_id, complaint.message_partner_ids)

    def test_transfer_tells_the_new_handler_once(self):
        """The note with the reason tells the new handler; the write of the
        handler does not send a second "you have been assigned" message."""
        tracked = {"tracking_disable": False, "mail_notrack": False}
        complaint = self._create_complaint(user_id=self.advisor.id)
        self._wizard(
            complaint.with_context(**tracked),
            self.advisor,
            user_id=self.handler.id,
            reason="Needs a body-shop specialist",
        ).with_context(**tracked).action_transfer()
        told = self.env["mail.notification"].search(
            [
                ("res_partner_id", "=", self.handler.partner_id.id),
                ("mail_message_id.model", "=", "helpdesk.ticket"),
                ("mail_message_id.res_id", "=", complaint.id),
            ]
        )
        self.assertEqual(len(told), 1)
        self.assertIn("Needs a body-shop specialist", told.mail_message_id.body)

    def test_transfer_queues_the_handler_email(self):
        """The transfer does not wait for the mail server: the e-mail to the
        new handler is queued and the e-mail queue triggered a few seconds
        ahead."""
        queue = self.env.ref("mail.ir_cron_mail_scheduler_action")
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search([("cron_id", "=", queue.id)])
        start = fields.Datetime.now()
        self.handler.notification_type = "email"
        complaint = self._create_complaint(user_id=self.advisor.id)
        self._wizard(
            complaint, self.advisor, user_id=self.handler.id, reason="Holidays"
        ).action_transfer()
        note = complaint.message_ids.filtered(lambda m: "Holidays" in m.body)
        mail = self.env["mail.mail"].sudo().search([("mail_message_id", "=", note.id)])
        self.assertEqual(mail.recipient_ids, self.handler.partner_id)
        self.assertEqual(mail.state, "outgoing")
        triggers = Trigger.search([("cron_id", "=", queue.id)]) - before
        self.assertEqual(len(triggers), 1)
        self.assertLessEqual(triggers.call_at, start + timedelta(seconds=6))

    def test_transfer_to_other_team(self):
        complaint = self._create_complaint(user_id=self.advisor.id)
        body_shop = self.env["helpdesk.ticket.team"].create(
            {"name": "Body shop complaints", "is_complaint": True}
        )
        self._wizard(
            complaint,
            self.advisor,
            user_id=self.officer.id,
            team_id=body_shop.id,
            reason="Warranty question",
        ).action_transfer()
        # The officer is no member of the new team and is still kept.
        self.assertEqual(complaint.team_id, body_shop)
        self.assertEqual(complaint.user_id, self.officer)
        self.assertTrue(complaint.is_complaint)
        self.assertEqual(complaint.transfer_ids.to_team_id, body_shop)
        self.assertEqual(complaint.transfer_ids.from_team_id, self.team)
        # To an ordinary team, the complaint would stop being one: that is
        # the close right's, which the advisor lacks.
        with self.assertRaisesRegex(AccessError, "ordinary tickets"):
            self._wizard(
                complaint,
                self.advisor,
                user_id=self.handler.id,
                team_id=self.plain_team.id,
                reason="Not a complaint",
            ).action_transfer()

    def test_transfer_refusals(self):
        complaint = self._create_complaint(user_id=self.advisor.id)
        with self.assertRaisesRegex(UserError, "already handles"):
            self._wizard(
                complaint, self.advisor, user_id=self.advisor.id, reason="x"
            ).action_transfer()
        archived = new_test_user(
            self.env, login="hmc_gone", groups="helpdesk_mgmt.group_helpdesk_user"
        )
        archived.active = False
        with self.assertRaisesRegex(UserError, "archived"):
            self._wizard(
                complaint, self.advisor, user_id=archived.id, reason="x"
            ).action_transfer()
        no_access = new_test_user(self.env, login="hmc_sales", groups="base.group_user")
        with self.assertRaisesRegex(UserError, "no access"):
            self._wizard(
                complaint, self.advisor, user_id=no_access.id, reason="x"
            ).action_transfer()
        with self.assertRaisesRegex(UserError, "reason"):
            self._wizard(
                complaint, self.advisor, user_id=self.handler.id, reason="   "
            ).action_transfer()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._wizard(complaint, self.advisor, user_id=self.handler.id)
        self.assertFalse(complaint.transfer_ids)
        self.assertEqual(complaint.user_id, self.advisor)

    def test_transfer_rows_follow_complaint_readability(self):
        Ticket = self.env["helpdesk.ticket"].with_context(active_test=False)
        own = self._create_complaint(user_id=self.personal_user.id)
        unassigned_own_team = self._create_complaint()
        self.team.user_ids = [Command.link(self.personal_user.id)]
        other = self._create_complaint(user_id=self.handler.id)
        plain = self._create_complaint(team_id=self.plain_team.id)
        (unassigned_own_team | plain).user_id = False
        followed = self._create_complaint(user_id=self.officer.id)
        followed.message_subscribe(partner_ids=self.team_user.partner_id.ids)
        rows = {
            ticket: self._transfer_row(ticket, f"Secret reason {ticket.id}")
            for ticket in (own, unassigned_own_team, other, plain, followed)
        }
        expected = {
            self.personal_user: (own, unassigned_own_team),
            self.team_user: (plain, followed),
        }
        for user, tickets in expected.items():
            Transfer = self.env["helpdesk.ticket.transfer"].with_user(user)
            readable = Ticket.with_user(user).search(
                [("id", "in", [t.id for t in rows])]
            )
            self.assertEqual(set(readable), set(tickets), user.name)
            visible = Transfer.search([("id", "in", [r.id for r in rows.values()])])
            self.assertEqual(visible, Transfer.browse(rows[t].id for t in tickets))
            # What a JSON-RPC client gets from the generic methods.
            reasons = {
                r["reason"] for r in Transfer.search_read([], ["reason", "ticket_id"])
            }
            self.assertEqual(
                reasons & {r.reason for r in rows.values()},
                {rows[t].reason for t in tickets},
            )
            groups = Transfer.read_group([], ["ticket_id"], ["ticket_id"])
            self.assertEqual(
                {g["ticket_id"][0] for g in groups} & {t.id for t in rows},
                {t.id for t in tickets},
            )
            hidden = Transfer.browse(r.id for t, r in rows.items() if t not in tickets)
            with self.assertRaises(AccessError):
                hidden.read(["reason"])
            self.assertEqual(Transfer.search_count([("id", "in", hidden.ids)]), 0)
        # A helpdesk user reads every complaint, hence every row.
        Transfer = self.env["helpdesk.ticket.transfer"].with_user(self.handler)
        self.assertEqual(
            Transfer.search([("id", "in", [r.id for r in rows.values()])]),
            Transfer.browse(r.id for r in rows.values()),
        )

    def test_transfer_rows_of_other_company_hidden(self):
        complaint = self._create_complaint(user_id=self.advisor.id)
        row = self._transfer_row(complaint, "Internal matter")
        Transfer = self.env["helpdesk.ticket.transfer"].with_user(self.foreign_user)
        self.assertFalse(Transfer.search([("id", "=", row.id)]))
        with self.assertRaises(AccessError):
            Transfer.browse(row.id).read(["reason"])

    def test_transfer_rows_written_by_the_wizard_only(self):
        complaint = self._create_complaint(user_id=self.advisor.id)
        row = self._transfer_row(complaint, "Real reason")
        Transfer = self.env["helpdesk.ticket.transfer"].with_user(self.advisor)
        forged = {
            "ticket_id": complaint.id,
            "to_user_id": self.handler.id,
            "reason": "Forged",
            "by_user_id": self.officer.id,
            "date": "2001-01-01 00:00:00",
        }
        with self.assertRaises(AccessError):
            Transfer.create(forged)
        with self.assertRaises(AccessError):
            Transfer.browse(row.id).write({"by_user_id": self.officer.id})
        with self.assertRaises(AccessError):
            Transfer.browse(row.id).unlink()
        with self.assertRaises(AccessError):
            complaint.with_user(self.advisor).write(
                {"transfer_ids": [Command.create(forged)]}
            )
        self.assertEqual(complaint.transfer_ids, row)
        self.assertEqual(row.reason, "Real reason")

    def test_transfer_author_and_date_not_forged_by_context(self):
        complaint = self._create_complaint(user_id=self.advisor.id)
        before = fields.Datetime.now() - timedelta(seconds=1)
        wizard = (
            self.env["helpdesk.complaint.transfer.wizard"]
            .with_user(self.advisor)
            .with_context(
                default_by_user_id=self.officer.id,
                default_date="2001-01-01 00:00:00",
                default_company_id=self.other_company.id,
            )
            .create(
                {
                    "ticket_id": complaint.id,
                    "user_id": self.handler.id,
                    "reason": "Body shop",
                }
            )
        )
        wizard.action_transfer()
        row = complaint.transfer_ids
        self.assertEqual(len(row), 1)
        self.assertEqual(row.by_user_id, self.advisor)
        self.assertGreaterEqual(row.date, before)
        self.assertEqual(row.company_id, self.company)
        self.assertEqual(complaint.company_id, self.company)

    def test_transfer_needs_access_to_the_complaint(self):
        complaint = self._create_complaint(user_id=self.handler.id)
        wizard = self._wizard(
            complaint, self.personal_user, user_id=self.officer.id, reason="Mine now"
        )
        with self.assertRaises(AccessError):
            wizard.action_transfer()
        foreign = self._wizard(
            complaint, self.foreign_user, user_id=self.officer.id, reason="x"
        )
        with self.assertRaises(AccessError):
            foreign.action_transfer()
        self.assertFalse(complaint.transfer_ids)
        self.assertEqual(complaint.user_id, self.handler)

    def test_transfer_by_personal_tickets_user(self):
        complaint = self._create_complaint(user_id=self.personal_user.id)
        self._wizard(
            complaint, self.personal_user, user_id=self.handler.id, reason="Holiday"
        ).action_transfer()
        self.assertEqual(complaint.user_id, self.handler)
        self.assertEqual(complaint.transfer_ids.by_user_id, self.personal_user)
        self.assertEqual(complaint.transfer_ids.to_user_id, self.handler)

    def test_transfer_to_personal_tickets_user_of_another_team(self):
        complaint = self._create_complaint(user_id=self.advisor.id)
        self.assertFalse(complaint.with_user(self.personal_user).has_access("read"))
        self._wizard(
            complaint, self.advisor, user_id=self.personal_user.id, reason="Expert"
        ).action_transfer()
        self.assertEqual(complaint.user_id, self.personal_user)
        self.assertTrue(complaint.with_user(self.personal_user).has_access("read"))
        self.assertTrue(
            complaint.with_user(self.personal_user).transfer_ids.has_access("read")
        )

    def test_transfer_to_other_company_handler_refused(self):
        complaint = self._create_complaint(user_id=self.advisor.id)
        with self.assertRaisesRegex(UserError, "does not work for"):
            self._wizard(
                complaint, self.advisor, user_id=self.foreign_user.id, reason="x"
            ).action_transfer()
        self.assertFalse(complaint.transfer_ids)
        self.assertEqual(complaint.user_id, self.advisor)
        # The choice offered in the form leaves them out too.
        Wizard = self.env["helpdesk.complaint.transfer.wizard"]
        domain = safe_eval(
            Wizard._fields["user_id"].domain,
            {"current_user_id": complaint.user_id.id, "company_id": self.company.id},
        )
        offered = self.env["res.users"].with_user(self.advisor).search(domain)
        self.assertIn(self.handler, offered)
        self.assertNotIn(self.foreign_user, offered)
        # Once they work for the complaint's company too, they may take it.
        self.foreign_user.company_ids = [Command.link(self.company.id)]
        self._wizard(
            complaint, self.advisor, user_id=self.foreign_user.id, reason="Help"
        ).action_transfer()
        self.assertEqual(complaint.user_id, self.foreign_user)

    def test_transfer_refused_when_new_handler_could_not_open_it(self):
        """Whatever rule hides the complaint from the new handler, checked on
        the complaint as it is after the transfer."""
        complaint = self._create_complaint(user_id=self.advisor.id)
        self.env["ir.rule"].create(
            {
                "name": "Hide complaints handled by the handler from themselves",
                "model_id": self.env.ref("helpdesk_mgmt.model_helpdesk_ticket").id,
                "domain_force": f"[('user_id', '!=', {self.handler.id})] "
                f"if user.id == {self.handler.id} else [(1, '=', 1)]",
            }
        )
        # assertRaises (not ...Regex) rolls back the handover, as a request would.
        with self.assertRaises(UserError) as refusal:
            self._wizard(
                complaint, self.advisor, user_id=self.handler.id, reason="x"
            ).action_transfer()
        self.assertIn("could not open complaint", str(refusal.exception))
        self.assertEqual(complaint.user_id, self.advisor)
        self.assertFalse(complaint.transfer_ids)
