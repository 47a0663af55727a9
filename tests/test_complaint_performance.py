import json
import re
from unittest.mock import patch

from lxml import etree

from odoo.sql_db import Cursor
from odoo.tests import tagged
from odoo.tools import SQL

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

    def test_board_column_requests_stay_index_only(self):
        """The complaint board asks per column only counts and urgency bars,
        which the partial open-board index answers without reading rows: no
        field of the board has an aggregator the web client would sum, and
        the progress bar is on urgency (included in the index)."""
        Ticket = self.env["helpdesk.ticket"].with_context(default_is_complaint=True)
        board = self.env.ref("helpdesk_mgmt_complaint.helpdesk_complaint_view_kanban")
        views = Ticket.get_views([(board.id, "kanban")])
        fields = views["models"]["helpdesk.ticket"]["fields"]
        arch = etree.fromstring(views["views"]["kanban"]["arch"])
        summed = sorted(
            node.get("name")
            for node in arch.iter("field")
            if fields.get(node.get("name"), {}).get("aggregator")
            and node.get("name") != "stage_id"
        )
        self.assertEqual(summed, [])
        (bar,) = arch.iter("progressbar")
        self.assertEqual(bar.get("field"), "urgency")
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes "
            "WHERE indexname = 'helpdesk_ticket_open_board_index'"
        )
        self.assertIn("INCLUDE (company_id, urgency)", self.env.cr.fetchone()[0])
        # The bar's counts, as the web client reads them, add up to the columns'.
        domain = [("is_complaint", "=", True), ("id", "in", self.complaints.ids)]
        bars = Ticket.with_user(self.officer).read_progress_bar(
            domain,
            "stage_id",
            {"field": "urgency", "colors": json.loads(bar.get("colors"))},
        )
        self.assertEqual(sum(sum(v.values()) for v in bars.values()), 80)
        self.assertEqual(
            {u: sum(v[u] for v in bars.values()) for u in ("normal", "medium", "high")},
            {"normal": 27, "medium": 27, "high": 26},
        )

    def test_phone_search_is_an_index_union(self):
        """The search by phone (the ticket's own or its customer's) ORs
        conditions that each have an index: without sequential scans allowed,
        PostgreSQL still answers it without reading every ticket."""
        Ticket = self.env["helpdesk.ticket"].with_user(self.officer)
        domain = [
            ("complaint_phone_search", "ilike", "+32 470 00 00 07"),
            ("is_complaint", "=", True),
        ]
        self.assertEqual(Ticket.search_count(domain), 4)  # 80 complaints, 20 customers
        query = Ticket._search(domain)
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute(
            SQL(
                "EXPLAIN SELECT 1 FROM %s WHERE %s",
                query.from_clause,
                query.where_clause,
            )
        )
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertNotIn("Seq Scan on helpdesk_ticket", plan)
        # The customers are ids, not a subquery per ticket (a hashed subplan
        # cannot be part of an index union).
        self.assertNotIn("SubPlan", plan)
        # Which index PostgreSQL picks on a table this small varies; at
        # 100,000 complaints it is the union with the phone's own index.
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes "
            "WHERE indexname = 'helpdesk_ticket__phone_sanitized_index'"
        )
        self.assertIn("(phone_sanitized)", self.env.cr.fetchone()[0])

    def test_stage_move_reads_neither_vehicle_nor_team(self):
        """A move to the next review step reads no vehicle (its related fields
        are not tracked) and no team (whose strict order only matters when a
        step is skipped) before the tracking message."""
        self.team.complaint_strict_review = True
        complaint = self.complaints.filtered("vehicle_id")[0]
        complaint.user_id = self.officer
        officer = complaint.with_user(self.officer).with_context(
            tracking_disable=False, mail_notrack=False
        )
        # The officer's record rules (they read the user's teams), computed once.
        for mode in ("read", "write"):
            officer.env["ir.rule"]._compute_domain("helpdesk.ticket", mode)
        self._flush_tracking()  # as if committed: the creation is done
        self.env.invalidate_all()
        tables = []
        execute = Cursor.execute

        def logged(cr, query, params=None, log_exceptions=True):
            sql = str(getattr(query, "code", query))
            tables.extend(re.findall(r'FROM "(\w+)"', sql))
            return execute(cr, query, params, log_exceptions)

        with patch.object(Cursor, "execute", logged):
            officer.write({"stage_id": self.stage_analysed.id})
            self.env.flush_all()
        self._flush_tracking()  # the tracking message, not counted
        self.assertEqual(complaint.complaint_state, "analysed")
        self.assertEqual(
            complaint.message_ids[0].tracking_value_ids.field_id.name, "stage_id"
        )
        self.assertIn("helpdesk_ticket", tables)
        self.assertNotIn("fleet_vehicle", tables)
        self.assertNotIn("helpdesk_ticket_team", tables)
