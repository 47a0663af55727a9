from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintQueryCount(ComplaintCase):
    """Reading complaints for the list and kanban views costs the same number
    of queries for 8 or 80 records: nothing is fetched per record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partners = cls.env["res.partner"].create(
            [
                {"name": f"Customer {i}", "phone": f"+32 470 00 00 {i:02d}"}
                for i in range(20)
            ]
        )
        cls.complaints = cls.env["helpdesk.ticket"].create(
            [
                cls._complaint_vals(
                    name=f"Complaint {i}",
                    partner_id=partners[i % 20].id,
                    urgency=("normal", "medium", "high")[i % 3],
                    vehicle_id=cls.vehicle.id if i % 2 else False,
                    user_id=(cls.advisor, cls.handler, cls.officer)[i % 3].id,
                    topic_ids=[cls.topic_delay.id],
                )
                for i in range(80)
            ]
        )

    def _specification(self, view_type):
        Ticket = self.env["helpdesk.ticket"].with_context(default_is_complaint=True)
        views = Ticket.get_views([(False, view_type)])
        fields = views["models"]["helpdesk.ticket"]["fields"]
        spec = {}
        for name in fields:
            field = Ticket._fields[name]
            if field.type in ("many2one", "many2many", "one2many"):
                spec[name] = {"fields": {"display_name": {}}}
            else:
                spec[name] = {}
        return spec

    def _read(self, spec, limit):
        Ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.officer)
            .with_context(default_is_complaint=True)
        )
        self.env.invalidate_all()
        result = Ticket.web_search_read(
            [("id", "in", self.complaints.ids)], spec, limit=limit
        )
        self.assertEqual(len(result["records"]), limit)

    def _count(self, spec, limit):
        start = self.cr.sql_log_count
        self._read(spec, limit)
        return self.cr.sql_log_count - start

    def test_list_and_kanban_query_count_constant(self):
        for view_type in ("list", "kanban"):
            with self.subTest(view=view_type):
                spec = self._specification(view_type)
                self._read(spec, 8)  # warm the caches
                few = self._count(spec, 8)
                many = self._count(spec, 80)
                self.assertEqual(few, many)
                with self.assertQueryCount(many):
                    self._read(spec, 80)
