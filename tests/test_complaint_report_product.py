# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Product after-sales in the analysis: figures against direct counts."""

import io
from datetime import date, datetime

import openpyxl
from freezegun import freeze_time

from odoo.tests import tagged

from .test_complaint_repair import RepairCase


@tagged("post_install", "-at_install")
class TestComplaintReportProduct(RepairCase):
    def test_dimensions_against_direct_counts(self):
        Ticket = self.env["helpdesk.ticket"]
        category = self.env["product.category"].create({"name": "Pumps"})
        self.product.categ_id = category
        with freeze_time("2026-03-02 09:00:00"):
            complaints = Ticket.browse(
                [
                    self._create_complaint(
                        product_id=self.product.id,
                        product_sale_date=sale,
                        complaint_date=datetime(2026, 3, 2, 9, 0),
                    ).id
                    for sale in (date(2025, 1, 1), date(2023, 1, 1), False)
                ]
            )
            waiting = self._repair(ticket_id=complaints[0].id)
            waiting._complaint_send()
            done = self._repair(ticket_id=complaints[1].id)
            done._complaint_send()
        with freeze_time("2026-03-04 09:00:00"):
            for action in ("received", "started", "repaired", "returned"):
                getattr(done, f"action_{action}")()
        self.env.flush_all()
        ids = (complaints | self.complaint).ids
        domain = [("ticket_id", "in", ids)]
        Report = self.env["helpdesk.complaint.report"]
        with freeze_time("2026-03-10 09:00:00"):
            rows = {r.ticket_id: r for r in Report.search(domain)}
            distribution = Report._get_distribution(
                domain,
                [
                    d
                    for d in Report._get_distribution_dimensions()
                    if d[0] in ("product", "repair_state", "warranty", "service_centre")
                ],
            )
        by_key = {
            d["key"]: {row["label"]: row["count"] for row in d["rows"]}
            for d in distribution["dimensions"]
        }
        self.assertEqual(
            by_key["product"][self.product.display_name],
            Ticket.search_count(
                [("id", "in", ids), ("product_id", "=", self.product.id)]
            ),
        )
        self.assertEqual(rows[complaints[0]].repair_state, "not_started")
        self.assertEqual(rows[complaints[1]].repair_state, "returned")
        self.assertEqual(rows[complaints[1]].repair_days, 2.0)
        self.assertEqual(rows[complaints[0]].product_categ_id, category)
        self.assertEqual(by_key["repair_state"]["Not started in time"], 1)
        self.assertEqual(by_key["repair_state"]["Returned"], 1)
        self.assertEqual(by_key["repair_state"]["No repair request"], 2)
        self.assertEqual(by_key["service_centre"][self.centre.name], 2)
        for state, label in (
            ("under_warranty", "Under warranty"),
            ("expired", "Warranty expired"),
            ("unknown", "Unknown"),
        ):
            self.assertEqual(
                by_key["warranty"][label],
                Ticket.search_count(
                    [("id", "in", ids), ("product_warranty_state", "=", state)]
                ),
                state,
            )
        # Within the company's days (the view uses the database clock), the
        # request is simply "sent".
        self.company.complaint_repair_start_days = 100000
        self.env.flush_all()
        Report.invalidate_model()
        row = Report.search([("ticket_id", "=", complaints[0].id)])
        self.assertEqual(row.repair_state, "sent")

    def test_xlsx_and_pdf_have_product_columns(self):
        self._repair()._complaint_send()
        self.env.flush_all()
        Report = self.env["helpdesk.complaint.report"]
        buffer = io.BytesIO()
        Report._export_xlsx(buffer, [("ticket_id", "=", self.complaint.id)])
        workbook = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
        sheet = workbook["Complaints"]
        headers = [c.value for c in sheet[1]]
        row = dict(zip(headers, [c.value for c in sheet[2]], strict=False))
        self.assertEqual(row["Product"], self.product.display_name)
        self.assertEqual(row["Service centre"], self.centre.name)
        self.assertEqual(row["Repair state"], "Sent")
        self.assertIn("Repair state", workbook.sheetnames)
        values = self.env[
            "report.helpdesk_mgmt_complaint.report_complaint_distribution"
        ]._get_report_values([], {"domain": [("ticket_id", "=", self.complaint.id)]})
        keys = [d["key"] for d in values["distribution"]["dimensions"]]
        self.assertIn("service_centre", keys)
        self.assertIn("warranty", keys)
