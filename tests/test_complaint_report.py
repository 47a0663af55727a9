import io
from datetime import datetime, timedelta
from unittest.mock import patch

import openpyxl
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError

from .common import ComplaintCase

T0 = datetime(2026, 3, 2, 9, 0)  # a Monday, long past: its 48 h SLA is over


class TestComplaintReport(ComplaintCase):
    """Report figures against direct counts over the same complaints, with
    durations set by time travel: registration at T0, first response at T0
    + 1 h, assignment at T0 + 2 h, closing at T0 + 30 h (met) or T0 + 60 h
    (breached)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls.complaint_manager
        cls.handler.tz = "UTC"
        # No officer: complaints registered without a handler stay unassigned
        # until someone takes them (acceptance time).
        cls.company.complaint_officer_id = False
        cls.Report = cls.env["helpdesk.complaint.report"]
        cls.complaints = cls.env["helpdesk.ticket"]
        cls.met = cls._make(urgency="high", close_after=30)
        cls.breached = cls._make(urgency="high", close_after=60)
        cls.past = cls._make(urgency="medium")
        cls.officer_open = cls._make(urgency="normal", user=cls.officer)
        with freeze_time(fields.Datetime.now() - timedelta(hours=1)):
            cls.on_time = cls._create_complaint(
                user_id=cls.handler.id, urgency="normal"
            )
        cls.complaints |= cls.on_time
        cls.domain = [("ticket_id", "in", cls.complaints.ids)]

    @classmethod
    def _make(cls, urgency, close_after=None, user=None):
        user = user or cls.handler
        with freeze_time(T0):
            complaint = cls._create_complaint(urgency=urgency)
        with freeze_time(T0 + timedelta(hours=1)):
            complaint.with_user(cls.handler).message_post(
                body="We are looking into it.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        with freeze_time(T0 + timedelta(hours=2)):
            complaint.user_id = user
        if close_after:
            with freeze_time(T0 + timedelta(hours=close_after)):
                complaint.write(
                    {"topic_ids": cls.topic_delay.ids, "resolution_method": "repair"}
                )
                complaint.with_user(cls.officer).action_complaint_close()
        cls.complaints |= complaint
        return complaint

    def test_durations_from_time_travel(self):
        self.assertFalse(self.met.user_id == self.officer)
        row = self.Report.search([("ticket_id", "=", self.met.id)])
        self.assertEqual(row.first_response_hours, 1.0)
        self.assertEqual(row.acceptance_hours, 2.0)
        self.assertEqual(row.resolution_hours, 30.0)
        self.assertEqual((row.sla_met_count, row.sla_breached_count), (1, 0))
        row = self.Report.search([("ticket_id", "=", self.breached.id)])
        self.assertEqual(row.resolution_hours, 60.0)
        self.assertEqual((row.sla_met_count, row.sla_breached_count), (0, 1))
        row = self.Report.search([("ticket_id", "=", self.past.id)])
        self.assertFalse(row.resolution_hours)
        self.assertEqual((row.past_sla_count, row.sla_breached_count), (1, 1))
        row = self.Report.search([("ticket_id", "=", self.on_time.id)])
        # Assigned at registration, never answered, not closed.
        self.assertEqual(row.acceptance_hours, 0.0)
        self.assertFalse(row.first_response_date)
        self.assertEqual((row.past_sla_count, row.sla_breached_count), (0, 0))

    def test_grouped_figures_equal_direct_counts(self):
        Ticket = self.env["helpdesk.ticket"]
        groups = self.Report._read_group(
            self.domain,
            ["user_id", "urgency"],
            ["nbr:sum", "past_sla_count:sum", "sla_met_count:sum"],
        )
        self.assertEqual(sum(g[2] for g in groups), len(self.complaints))
        for user, urgency, count, past, met in groups:
            tickets = self.complaints.filtered(
                lambda t, u=user, g=urgency: t.user_id == u and t.urgency == g
            )
            self.assertEqual(count, len(tickets))
            self.assertEqual(
                past,
                Ticket.search_count(
                    [("id", "in", tickets.ids), ("sla_expired", "=", True)]
                ),
            )
            self.assertEqual(met, len(tickets.filtered("sla_met")))
        # Averages over the complaints where the event happened only.
        [[first, accept, resolution, compliance]] = self.Report._read_group(
            self.domain,
            [],
            [
                "first_response_hours:avg",
                "acceptance_hours:avg",
                "resolution_hours:avg",
                "sla_compliance:avg",
            ],
        )
        self.assertAlmostEqual(first, 1.0)
        self.assertAlmostEqual(accept, (2.0 * 4 + 0.0) / 5)
        self.assertAlmostEqual(resolution, 45.0)
        # Verdicts: met, breached (closed late), past and officer_open (past).
        self.assertAlmostEqual(compliance, 25.0)

    def test_medians(self):
        medians = self.Report._get_duration_medians(self.domain)
        self.assertEqual(
            medians,
            {
                "first_response_hours": 1.0,
                "acceptance_hours": 2.0,
                "resolution_hours": 45.0,
            },
        )
        self.assertEqual(
            self.Report._get_duration_medians([("ticket_id", "=", self.on_time.id)])[
                "resolution_hours"
            ],
            None,
        )

    def test_distribution(self):
        distribution = self.Report._get_distribution(self.domain)
        by_key = {d["key"]: d["rows"] for d in distribution["dimensions"]}
        urgency = {r["label"]: r["count"] for r in by_key["urgency"]}
        self.assertEqual(urgency, {"High": 2, "Medium": 1, "Normal": 2})
        users = {r["label"]: (r["count"], r["open"]) for r in by_key["user"]}
        self.assertEqual(users, {"Handler": (4, 2), "Officer": (1, 1)})
        months = {r["label"]: r["count"] for r in by_key["period"]}
        self.assertEqual(months["2026-03"], 4)
        total = distribution["total"]
        self.assertEqual(total["count"], 5)
        self.assertEqual(total["past_sla"], 2)
        self.assertEqual((total["sla_met"], total["sla_breached"]), (1, 3))
        self.assertAlmostEqual(total["compliance"], 25.0)
        self.assertEqual(total["median_resolution"], 45.0)

    def test_xlsx_cells_match_records(self):
        output = io.BytesIO()
        # Batches of 2 rows: the 5 complaints come in 3 round trips.
        with patch.object(type(self.Report), "_xlsx_batch_size", 2):
            self.Report.with_user(self.manager)._export_xlsx(output, self.domain)
        workbook = openpyxl.load_workbook(io.BytesIO(output.getvalue()))
        self.assertEqual(workbook.sheetnames[0], "Complaints")
        self.assertIn("Handler", workbook.sheetnames)
        self.assertEqual(workbook.sheetnames[-1], "Totals")
        sheet = workbook["Complaints"]
        self.assertEqual(sheet.freeze_panes, "A2")
        # 24 columns, then the product after-sales ones (6).
        self.assertEqual(sheet.auto_filter.ref, "A1:AD6")
        headers = [c.value for c in sheet[1]]
        rows = {
            r[0]: dict(zip(headers, r, strict=True))
            for r in sheet.iter_rows(min_row=2, values_only=True)
        }
        self.assertEqual(set(rows), set(self.complaints.mapped("number")))
        row = rows[self.met.number]
        self.assertEqual(row["Title"], self.met.name)
        self.assertEqual(row["Registered on"], T0)
        self.assertEqual(row["Closed on"], T0 + timedelta(hours=30))
        self.assertEqual(row["Customer"], "Ivana Horvat")
        self.assertEqual(row["License plate"], None)
        self.assertEqual(row["Handler"], "Handler")
        self.assertEqual(row["Urgency"], "High")
        self.assertEqual(row["Source"], self.channel_phone.name)
        self.assertEqual(row["Review state"], "Closed")
        self.assertEqual(row["Resolution method"], "Repair")
        self.assertEqual(row["SLA met"], "Yes")
        self.assertEqual(row["First response"], timedelta(hours=1))
        self.assertEqual(row["Acceptance"], timedelta(hours=2))
        self.assertEqual(row["Resolution"], timedelta(hours=30))
        self.assertEqual(sheet.cell(2, 22).number_format, "[h]:mm")
        self.assertEqual(sheet.cell(2, 3).number_format, "yyyy-mm-dd hh:mm")
        self.assertEqual(rows[self.past.number]["Past SLA"], "Yes")
        self.assertIsNone(rows[self.past.number]["Resolution"])
        urgency = {
            r[0]: r[1:4]
            for r in workbook["Urgency"].iter_rows(min_row=2, values_only=True)
        }
        self.assertEqual(urgency["High"], (2, 0, 0))
        self.assertEqual(urgency["Medium"], (1, 1, 1))
        self.assertEqual(urgency["Total"], (5, 3, 2))
        totals = dict(workbook["Totals"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(totals["Complaints"], 5)
        self.assertEqual(totals["SLA compliance"], 0.25)
        self.assertEqual(totals["Median resolution"], timedelta(hours=45))

    def test_xlsx_from_wizard(self):
        wizard = (
            self.env["helpdesk.complaint.report.wizard"]
            .with_user(self.manager)
            .create(
                {
                    "date_from": T0.date(),
                    "date_to": T0.date() + timedelta(days=3),
                    "include_open": False,
                    "user_ids": [self.handler.id],
                }
            )
        )
        self.assertEqual(
            set(self.Report.search(wizard._get_domain()).ticket_id.ids),
            set((self.met | self.breached | self.past).ids),
        )
        action = wizard.action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        workbook = openpyxl.load_workbook(io.BytesIO(attachment.raw))
        numbers = [r[0] for r in workbook["Complaints"].iter_rows(min_row=2)]
        self.assertEqual(len(numbers), 3)

    def test_wizard_period_in_user_time_zone(self):
        self.manager.tz = "Europe/Ljubljana"  # UTC+1 in March
        with freeze_time("2026-03-09 23:30:00"):  # 00:30 on the 10th there
            late = self._create_complaint(user_id=self.handler.id)
        self.env.flush_all()  # the SQL view reads the table
        wizard = (
            self.env["helpdesk.complaint.report.wizard"]
            .with_user(self.manager)
            .create(
                {
                    "date_from": "2026-03-10",
                    "date_to": "2026-03-10",
                    "include_open": False,
                }
            )
        )
        self.assertEqual(
            wizard._get_domain(),
            [
                ("complaint_date", ">=", datetime(2026, 3, 9, 23, 0)),
                ("complaint_date", "<", datetime(2026, 3, 10, 23, 0)),
            ],
        )
        self.assertEqual(self.Report.search(wizard._get_domain()).ticket_id, late)
        wizard.date_to = "2026-03-09"
        with self.assertRaises(UserError):
            wizard._get_domain()

    def test_distribution_pdf_renders(self):
        wizard = (
            self.env["helpdesk.complaint.report.wizard"]
            .with_user(self.manager)
            .create({"date_from": T0.date(), "date_to": T0.date()})
        )
        action = wizard.action_print_pdf()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(
            action["report_name"],
            "helpdesk_mgmt_complaint.report_complaint_distribution",
        )
        html, report_type = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render_qweb_html(action["report_name"], wizard.ids, data=action["data"])
        )
        self.assertEqual(report_type, "html")
        html = html.decode()
        self.assertIn("Open complaints past SLA", html)
        self.assertIn(self.past.number, html)
        self.assertIn(self.officer_open.number, html)
        self.assertNotIn(self.on_time.number, html)
        self.assertIn("25.0 %", html)
        self.assertIn("o_complaint_summary", html)
        self.assertIn("45:00", html)  # median resolution, from the summary

    def test_letter_pdf_attached_to_chatter(self):
        self.met.write(
            {
                "vehicle_id": self.vehicle.id,
                "corrective_action": "Brake pads replaced free of charge.",
            }
        )
        action = self.met.with_user(self.handler).action_complaint_print_letter()
        self.assertEqual(
            action["report_name"], "helpdesk_mgmt_complaint.report_complaint_letter"
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(action["report_name"], self.met.ids)[0]
            .decode()
        )
        for text in (
            self.met.number,
            "1-ABC-234",
            "Octavia",
            "Brake pads replaced free of charge.",
            "Repair",
            "Thank you for telling us about your",
        ):
            self.assertIn(text, html)
        self.company.complaint_letter_intro = "<p>Edited opening text</p>"
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(action["report_name"], self.met.ids)[0]
            .decode()
        )
        self.assertIn("Edited opening text", html)
        # A real PDF (wkhtmltopdf), posted on the chatter.
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(action["report_name"], self.met.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        message = self.met.message_ids[0]
        self.assertIn("Letter to the customer printed", message.body)
        self.assertEqual(message.attachment_ids.name, f"Letter {self.met.number}.pdf")
        self.assertEqual(message.attachment_ids.raw, pdf)

    # -- figures people can trust ---------------------------------------------

    def _wizard(self, **vals):
        return (
            self.env["helpdesk.complaint.report.wizard"]
            .with_user(self.manager)
            .create(vals)
        )

    def test_pdf_overdue_page_shows_what_is_overdue_now(self):
        """The period (here: a day without complaints) does not hide the
        complaints overdue now from the "Open complaints past SLA" page."""
        wizard = self._wizard(
            date_from=T0.date() + timedelta(days=10),
            date_to=T0.date() + timedelta(days=10),
            include_open=False,
        )
        self.assertFalse(self.Report.search(wizard._get_domain() + self.domain))
        action = wizard.action_print_pdf()
        html = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render_qweb_html(action["report_name"], wizard.ids, data=action["data"])[
                0
            ]
            .decode()
        )
        page = html[html.index("Open complaints past SLA") :]
        self.assertNotIn("No open complaint is past its SLA", page)
        self.assertIn(self.past.number, page)
        self.assertIn(self.officer_open.number, page)
        self.assertNotIn(self.on_time.number, page)
        self.assertNotIn(self.met.number, page)

    def test_default_period_includes_every_open_complaint(self):
        wizard = self._wizard()
        today = fields.Date.context_today(wizard)
        self.assertEqual(wizard.date_from, today - timedelta(days=30))
        self.assertTrue(wizard.include_open)
        found = self.Report.search(wizard._get_domain() + self.domain).ticket_id
        # Registered long ago but open (two of them overdue), and the new one;
        # not the complaints closed long ago.
        self.assertEqual(found, self.past | self.officer_open | self.on_time)
        self.assertEqual(
            self.Report.search_count(
                wizard._get_domain() + self.domain + [("past_sla_count", "=", 1)]
            ),
            2,
        )
        # The analysis opens on the same current state.
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt_complaint.action_helpdesk_complaint_report"
        )
        self.assertIn("search_default_current_state", action["context"])

    def test_missing_durations_stay_out_of_averages(self):
        normal = self.Report._get_distribution(
            self.domain + [("urgency", "=", "normal")],
            [("urgency", "urgency", "Urgency")],
        )
        # officer_open answered after 1 h; on_time never: the average is 1 h,
        # not 0.5 h, and resolution (none closed) is empty, not 0.
        self.assertEqual(normal["total"]["first_response"], 1.0)
        self.assertIsNone(normal["total"]["resolution"])
        row = normal["dimensions"][0]["rows"][0]
        self.assertIsNone(row["resolution"])
        # The same in the workbook's group sheets: empty cells, not 00:00.
        fileobj = io.BytesIO()
        self.Report.with_user(self.manager)._export_xlsx(
            fileobj, self.domain + [("urgency", "=", "normal")]
        )
        fileobj.seek(0)
        sheet = openpyxl.load_workbook(fileobj)["Urgency"]
        header = [c.value for c in sheet[1]]
        values = dict(zip(header, [c.value for c in sheet[2]], strict=True))
        self.assertIsNone(values["Avg. resolution"])
        self.assertEqual(values["Avg. first response"], timedelta(hours=1))
        # The analysis list leaves the cells empty and has no footer average
        # (it would count the empty ones as zero).
        arch = self.Report.get_views([(False, "list")])["views"]["list"]["arch"]
        self.assertNotIn('avg="', arch)
        self.assertIn('invisible="not closed_date"', arch)

    def test_empty_groups_are_named(self):
        distribution = self.Report._get_distribution(
            self.domain, [("category", "category_id", "Category")]
        )
        labels = [r["label"] for r in distribution["dimensions"][0]["rows"]]
        self.assertEqual(labels, ["No category"])


class TestComplaintReportAccess(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls.complaint_manager
        cls.mine = cls._create_complaint(user_id=cls.handler.id)
        cls.other = cls._create_complaint(user_id=cls.officer.id)
        cls.other_company = cls.env["res.company"].create({"name": "Other Garage"})
        cls.foreign = cls._create_complaint(
            user_id=cls.handler.id, company_id=cls.other_company.id
        )
        cls.foreign.company_id = cls.other_company
        cls.ids = (cls.mine | cls.other | cls.foreign).ids
        cls.domain = [("ticket_id", "in", cls.ids)]

    def _visible(self, user):
        return (
            self.env["helpdesk.complaint.report"]
            .with_user(user)
            .search(self.domain)
            .ticket_id
        )

    def test_handler_sees_own_complaints_only(self):
        self.assertEqual(self._visible(self.handler), self.mine)
        distribution = (
            self.env["helpdesk.complaint.report"]
            .with_user(self.handler)
            ._get_distribution(self.domain)
        )
        self.assertEqual(distribution["total"]["count"], 1)
        output = io.BytesIO()
        self.env["helpdesk.complaint.report"].with_user(self.handler)._export_xlsx(
            output, self.domain
        )
        sheet = openpyxl.load_workbook(io.BytesIO(output.getvalue()))["Complaints"]
        self.assertEqual(
            [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)],
            [self.mine.number],
        )

    def test_manager_sees_all_of_allowed_companies(self):
        self.assertEqual(self._visible(self.manager), self.mine | self.other)
        self.manager.company_ids |= self.other_company
        manager_all = self.env["helpdesk.complaint.report"].with_user(self.manager)
        manager_all = manager_all.with_context(
            allowed_company_ids=[self.company.id, self.other_company.id]
        )
        self.assertEqual(
            manager_all.search(self.domain).ticket_id,
            self.mine | self.other | self.foreign,
        )

    def test_drill_down_to_complaints(self):
        rows = (
            self.env["helpdesk.complaint.report"]
            .with_user(self.manager)
            .search(self.domain)
        )
        action = rows.filtered(
            lambda r: r.ticket_id == self.mine
        ).action_open_complaint()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("helpdesk.ticket", self.mine.id)
        )
        action = rows.action_open_complaints()
        self.assertEqual(action["res_model"], "helpdesk.ticket")
        self.assertEqual(
            self.env["helpdesk.ticket"].search(action["domain"]), self.mine | self.other
        )

    def test_distribution_screen_action(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt_complaint.action_helpdesk_complaint_distribution"
        )
        self.assertEqual(action["res_model"], "helpdesk.complaint.report")
        kanban = self.env.ref("helpdesk_mgmt_complaint.helpdesk_complaint_view_kanban")
        arch = self.env["helpdesk.ticket"].get_view(kanban.id, "kanban")["arch"]
        self.assertIn(
            str(
                self.env.ref(
                    "helpdesk_mgmt_complaint.action_helpdesk_complaint_distribution"
                ).id
            ),
            arch,
        )

    def test_views_load_for_handler(self):
        views = (
            self.env["helpdesk.complaint.report"]
            .with_user(self.handler)
            .get_views(
                [(False, "pivot"), (False, "graph"), (False, "list"), (False, "search")]
            )
        )
        self.assertIn("acceptance_hours", views["views"]["pivot"]["arch"])
        self.assertIn("vehicle_brand_id", views["views"]["search"]["arch"])
        self.assertIn(
            "sla_breached_count", views["models"]["helpdesk.complaint.report"]["fields"]
        )
        groups = (
            self.env["helpdesk.complaint.report"]
            .with_user(self.handler)
            .read_group(
                [("is_open", "=", True)] + self.domain,
                ["nbr:sum", "past_sla_count:sum"],
                ["user_id", "urgency"],
                lazy=False,
            )
        )
        self.assertEqual(
            [(g["user_id"][0], g["urgency"], g["nbr"]) for g in groups],
            [(self.handler.id, "normal", 1)],
        )
