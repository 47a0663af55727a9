import io
from datetime import datetime, timedelta

import openpyxl

from odoo import Command

from .common import ComplaintCase

BASE = datetime(2026, 5, 4, 9, 0)


class TestComplaintRecoveryReport(ComplaintCase):
    """Comebacks and survey complaints in the analysis, against direct counts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["helpdesk.complaint.report"]
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.topic_other = cls.env["helpdesk.complaint.topic"].create(
            {"name": "Staff attitude"}
        )
        cls.other_vehicle = cls.env["fleet.vehicle"].create(
            {
                "model_id": cls.env["fleet.vehicle.model"]
                .create(
                    {
                        "name": "Clio",
                        "brand_id": cls.env["fleet.vehicle.model.brand"]
                        .create({"name": "Renault"})
                        .id,
                    }
                )
                .id,
                "license_plate": "2-XYZ-987",
                "driver_id": cls.customer.id,
            }
        )
        delay = [Command.link(cls.topic_delay.id)]
        cls.first = cls._create_complaint(
            complaint_date=BASE,
            vehicle_id=cls.vehicle.id,
            user_id=cls.handler.id,
            topic_ids=delay,
        )
        cls.comeback = cls._create_complaint(
            complaint_date=BASE + timedelta(days=5),
            vehicle_id=cls.vehicle.id,
            user_id=cls.handler.id,
            topic_ids=delay + [Command.link(cls.topic_other.id)],
        )
        cls.comeback2 = cls._create_complaint(
            complaint_date=BASE + timedelta(days=8),
            vehicle_id=cls.vehicle.id,
            user_id=cls.officer.id,
            topic_ids=delay,
        )
        cls.other = cls._create_complaint(
            complaint_date=BASE + timedelta(days=6),
            vehicle_id=cls.other_vehicle.id,
            user_id=cls.officer.id,
            topic_ids=[Command.link(cls.topic_other.id)],
        )
        survey = cls.env["survey.survey"].create({"title": "Post-service"})
        user_input = survey._create_answer(partner=cls.customer, check_attempts=False)
        cls.other.complaint_survey_input_id = user_input
        cls.complaints = cls.first | cls.comeback | cls.comeback2 | cls.other
        cls.domain = [("ticket_id", "in", cls.complaints.ids)]

    def _direct(self, key):
        """{group value: (complaints, comebacks)} counted on the tickets."""
        counts = {}
        for ticket in self.complaints:
            for value in key(ticket):
                total, comebacks = counts.get(value, (0, 0))
                counts[value] = (total + 1, comebacks + int(ticket.is_comeback))
        return counts

    def _grouped(self, groupby):
        return {
            group: (count, comebacks, rate)
            for group, count, comebacks, rate in self.Report._read_group(
                self.domain,
                [groupby],
                ["nbr:sum", "comeback_count:sum", "comeback_rate:avg"],
            )
        }

    def test_fixture_comebacks(self):
        self.assertEqual(self.comeback.comeback_of_id, self.first)
        self.assertEqual(self.comeback2.comeback_of_id, self.comeback)
        self.assertFalse(self.other.is_comeback)

    def test_figures_equal_direct_counts(self):
        for groupby, key in (
            ("user_id", lambda t: [t.user_id]),
            ("vehicle_brand_id", lambda t: [t.vehicle_id.model_id.brand_id]),
            ("vehicle_model_id", lambda t: [t.vehicle_id.model_id]),
            ("topic_ids", lambda t: list(t.topic_ids)),
        ):
            direct = self._direct(key)
            grouped = self._grouped(groupby)
            self.assertEqual(
                {group: (count, cb) for group, (count, cb, _r) in grouped.items()},
                direct,
                groupby,
            )
            for count, comebacks, rate in grouped.values():
                self.assertAlmostEqual(rate, 100.0 * comebacks / count)
        # Handler: 1 comeback out of 2; topic "delay": 2 out of 3.
        self.assertAlmostEqual(self._grouped("user_id")[self.handler][2], 50.0)
        by_flag = self._grouped("is_comeback")
        self.assertEqual(by_flag[True][0], 2)
        self.assertEqual(by_flag[False][0], 2)
        by_survey = self._grouped("is_from_survey")
        self.assertEqual(by_survey[True][0], 1)

    def test_distribution_rows(self):
        distribution = self.Report._get_distribution(self.domain)
        dims = {d["key"]: d["rows"] for d in distribution["dimensions"]}
        users = {r["label"]: (r["count"], r["comebacks"]) for r in dims["user"]}
        self.assertEqual(users, {"Handler": (2, 1), "Officer": (2, 1)})
        topics = {r["label"]: (r["count"], r["comebacks"]) for r in dims["topic"]}
        self.assertEqual(topics[self.topic_delay.name], (3, 2))
        self.assertEqual(topics["Staff attitude"], (2, 1))
        flags = {r["label"]: r["count"] for r in dims["comeback"]}
        self.assertEqual(flags, {"Comeback": 2, "Not a comeback": 2})
        survey = {r["label"]: r["count"] for r in dims["survey"]}
        self.assertEqual(survey, {"From a survey": 1, "Not from a survey": 3})
        total = distribution["total"]
        self.assertEqual(total["comebacks"], 2)
        self.assertAlmostEqual(total["comeback_rate"], 50.0)

    def test_xlsx_columns(self):
        output = io.BytesIO()
        self.Report.with_user(self.complaint_manager)._export_xlsx(output, self.domain)
        workbook = openpyxl.load_workbook(io.BytesIO(output.getvalue()))
        sheet = workbook["Complaints"]
        headers = [cell.value for cell in sheet[1]]
        rows = {
            row[headers.index("Number")]: row
            for row in sheet.iter_rows(min_row=2, values_only=True)
        }
        row = rows[self.comeback2.number]
        self.assertEqual(row[headers.index("Comeback")], "Yes")
        self.assertEqual(row[headers.index("Comeback of")], self.comeback.display_name)
        self.assertEqual(rows[self.other.number][headers.index("From a survey")], "Yes")
        totals = {r[0]: r[1] for r in workbook["Totals"].iter_rows(values_only=True)}
        self.assertEqual(totals["Comebacks"], 2)
        self.assertAlmostEqual(totals["Comeback rate"], 0.5)

    def test_distribution_pdf_columns(self):
        html = self.env["ir.qweb"]._render(
            "helpdesk_mgmt_complaint.report_complaint_distribution_table",
            {
                "dimension": {"title": "Handler", "rows": []},
                "distribution": self.Report._get_distribution(self.domain),
            },
        )
        self.assertIn("Comeback rate", html)
        self.assertIn("50.0 %", html)
