import contextlib
from unittest.mock import patch

from odoo import fields, models
from odoo.tests import new_test_user, tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintFieldDescriptions(ComplaintCase):
    """The ticket's field descriptions are built once per
    language and set of groups, and are the same as Odoo's own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Ticket = cls.env["helpdesk.ticket"]
        cls.attributes = cls.env["ir.ui.view"]._get_view_field_attributes()
        board = cls.env.ref("helpdesk_mgmt_complaint.helpdesk_complaint_view_kanban")
        views = Ticket.get_views(
            [(board.id, "kanban"), (False, "list"), (False, "form")]
        )
        cls.names = set(views["models"]["helpdesk.ticket"]["fields"])
        cls.portal_user = new_test_user(
            cls.env, login="hmc_fields_portal", groups="base.group_portal"
        )

    def _describe(self, user, **context):
        Ticket = self.env["helpdesk.ticket"].with_user(user).with_context(**context)
        return Ticket.fields_get(self.names, self.attributes)

    @contextlib.contextmanager
    def _counting_descriptions(self):
        """Yield the list of the fields whose description Odoo builds."""
        built = []
        get_description = fields.Field.get_description

        def counting(field, env, attributes=None):
            built.append(field.name)
            return get_description(field, env, attributes=attributes)

        with patch.object(fields.Field, "get_description", counting):
            yield built

    def _odoo_describes(self, user, **context):
        Ticket = self.env["helpdesk.ticket"].with_user(user).with_context(**context)
        return models.BaseModel.fields_get(Ticket, self.names, self.attributes)

    def test_descriptions_are_odoo_descriptions(self):
        self.assertGreater(len(self.names), 90)
        for user in (self.handler, self.officer, self.complaint_manager):
            with self.subTest(user=user.login):
                self.assertEqual(self._describe(user), self._odoo_describes(user))
                # The second answer comes from the cache: still the same.
                self.assertEqual(self._describe(user), self._odoo_describes(user))

    def test_second_call_describes_nothing(self):
        self.env.registry.clear_cache()
        with self._counting_descriptions() as built:
            first = self._describe(self.handler)
            self.assertGreater(len(built), 90)
            built.clear()
            first["urgency"]["string"] = "Changed by a caller"
            first["urgency"]["selection"].clear()
            second = self._describe(self.handler)
        self.assertEqual(built, [])
        # What a caller does with its answer does not reach the next one.
        self.assertEqual(second["urgency"]["string"], "Urgency")
        self.assertTrue(second["urgency"]["selection"])

    def test_groups_are_part_of_the_key(self):
        # complaint_plate_text is for employees only (groups="base.group_user").
        self.assertNotIn("complaint_plate_text", self._describe(self.portal_user))
        self.assertIn("complaint_plate_text", self._describe(self.handler))
        self.portal_user.groups_id = [
            fields.Command.set([self.env.ref("base.group_user").id])
        ]
        self.assertIn("complaint_plate_text", self._describe(self.portal_user))
        self.assertEqual(
            self._describe(self.portal_user), self._odoo_describes(self.portal_user)
        )

    def test_language_is_part_of_the_key(self):
        self.env["res.lang"]._activate_lang("sl_SI")
        self.env["ir.module.module"]._load_module_terms(
            ["helpdesk_mgmt_complaint"], ["sl_SI"], overwrite=True
        )
        self.assertEqual(self._describe(self.handler)["urgency"]["string"], "Urgency")
        slovene = self._describe(self.handler, lang="sl_SI")
        self.assertEqual(slovene["urgency"]["string"], "Nujnost")
        self.assertEqual(slovene, self._odoo_describes(self.handler, lang="sl_SI"))
        self.assertEqual(self._describe(self.handler)["urgency"]["string"], "Urgency")

    def test_label_change_is_seen(self):
        # Labels from the database are read when a language is set (requests).
        before = self._describe(self.handler, lang="en_US")
        self.assertEqual(before["urgency"]["string"], "Urgency")
        field = self.env["ir.model.fields"]._get("helpdesk.ticket", "urgency")
        field.field_description = "Severity"
        after = self._describe(self.handler, lang="en_US")
        self.assertEqual(after["urgency"]["string"], "Severity")

    def test_all_fields_and_superuser(self):
        # message_new describes every field with every attribute.
        Ticket = self.env["helpdesk.ticket"].with_user(self.handler)
        everything = models.BaseModel.fields_get(Ticket)
        self.assertEqual(Ticket.fields_get(), everything)
        self.assertEqual(Ticket.fields_get(), everything)
        # Superuser mode sees the fields of every group: it is in the key.
        Portal = self.env["helpdesk.ticket"].with_user(self.portal_user)
        self.assertNotIn("complaint_plate_text", Portal.fields_get(self.names))
        self.assertIn("complaint_plate_text", Portal.sudo().fields_get(self.names))
        self.assertEqual(
            Portal.sudo().fields_get(self.names),
            models.BaseModel.fields_get(Portal.sudo(), self.names),
        )

    def test_mail_gateway_describes_nothing_twice(self):
        def mail(number):
            return (
                "From: Jan Novak <jan.novak@example.com>\r\n"
                "To: complaints@example.com\r\n"
                f"Subject: Noise after repair {number}\r\n"
                f"Message-Id: <fields-{number}@example.com>\r\n"
                "Content-Type: text/plain; charset=utf-8\r\n\r\n"
                "The car makes a noise again.\r\n"
            )

        Thread = self.env["mail.thread"].with_user(self.env.ref("base.user_admin"))
        with self._counting_descriptions() as built:
            team = {"team_id": self.team.id}
            Thread.message_process("helpdesk.ticket", mail(1), custom_values=team)
            built.clear()
            ticket_id = Thread.message_process(
                "helpdesk.ticket", mail(2), custom_values=team
            )
        self.assertTrue(self.env["helpdesk.ticket"].browse(ticket_id).is_complaint)
        self.assertEqual(built, [])
