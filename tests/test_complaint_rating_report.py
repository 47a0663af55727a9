"""Satisfaction figures of the analysis (pivot, distribution, PDF, XLSX)
against direct counts over the same complaints."""

import io

import openpyxl

from .test_complaint_rating import RatingCase


class TestComplaintRatingReport(RatingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["helpdesk.complaint.report"]
        cls.good = cls._closed(5)
        cls.okay = cls._closed(3)
        cls.poor = cls._closed(1)  # hot, reopened
        cls.unrated = cls._closed(None)
        cls.open = cls._create_complaint(user_id=cls.officer.id)
        cls.complaints = cls.good | cls.okay | cls.poor | cls.unrated | cls.open
        cls.domain = [("ticket_id", "in", cls.complaints.ids)]

    @classmethod
    def _closed(cls, value):
        complaint = cls._create_complaint(
            user_id=cls.handler.id, topic_ids=[cls.topic_delay.id]
        )
        complaint.with_user(cls.officer).action_complaint_close()
        if value:
            token = complaint.sudo()._rating_get_access_token()
            complaint.sudo().rating_apply(value, token=token)
        return complaint

    def _direct(self, complaints):
        rated = complaints.filtered("complaint_satisfaction")
        poor = rated.filtered(lambda t: t.complaint_satisfaction == "poor")
        return {
            "rated": len(rated),
            "poor": len(poor),
            "rating": sum(rated.mapped("rating_last_value")) / len(rated)
            if rated
            else None,
            "poor_share": 100.0 * len(poor) / len(rated) if rated else None,
            "hot": len(complaints.filtered("complaint_hot")),
        }

    def test_totals_equal_direct_counts(self):
        total = self.Report._get_distribution(self.domain)["total"]
        direct = self._direct(self.complaints)
        self.assertEqual(direct["rated"], 3)
        self.assertEqual(direct["hot"], 1)
        for key, value in direct.items():
            self.assertAlmostEqual(total[key], value, msg=key)
        self.assertAlmostEqual(total["rating"], 3.0)
        self.assertAlmostEqual(total["poor_share"], 100.0 / 3)

    def test_pivot_equals_direct_counts(self):
        groups = self.Report._read_group(
            self.domain,
            ["user_id"],
            ["rating:avg", "poor_share:avg", "hot_count:sum", "rated_count:sum"],
        )
        for user, rating, poor_share, hot, rated in groups:
            direct = self._direct(
                self.complaints.filtered(lambda t, u=user: t.user_id == u)
            )
            self.assertEqual(rated, direct["rated"])
            self.assertEqual(hot, direct["hot"])
            if direct["rated"]:
                self.assertAlmostEqual(rating, direct["rating"])
                self.assertAlmostEqual(poor_share, direct["poor_share"])
            else:
                self.assertFalse(rating)

    def test_distribution_rows(self):
        distribution = self.Report._get_distribution(self.domain)
        by_key = {d["key"]: d["rows"] for d in distribution["dimensions"]}
        satisfaction = {r["label"]: r["count"] for r in by_key["satisfaction"]}
        self.assertEqual(
            satisfaction, {"Good rating": 2, "Poor rating": 1, "Not rated": 2}
        )
        users = {r["label"]: r for r in by_key["user"]}
        for label, user in (("Handler", self.handler), ("Officer", self.officer)):
            direct = self._direct(
                self.complaints.filtered(lambda t, u=user: t.user_id == u)
            )
            for key, value in direct.items():
                self.assertEqual(users[label][key], value, msg=(label, key))

    def test_xlsx_and_pdf(self):
        output = io.BytesIO()
        self.Report.with_user(self.complaint_manager)._export_xlsx(output, self.domain)
        workbook = openpyxl.load_workbook(io.BytesIO(output.getvalue()))
        sheet = workbook["Complaints"]
        headers = [c.value for c in sheet[1]]
        rows = {
            r[0]: dict(zip(headers, r, strict=True))
            for r in sheet.iter_rows(min_row=2, values_only=True)
        }
        self.assertEqual(rows[self.poor.number]["Rating"], 1)
        self.assertEqual(rows[self.poor.number]["Customer satisfaction"], "Poor rating")
        self.assertEqual(rows[self.poor.number]["Hot alert"], "Yes")
        self.assertEqual(rows[self.good.number]["Hot alert"], "No")
        self.assertIsNone(rows[self.unrated.number]["Rating"])
        totals = dict(workbook["Totals"].iter_rows(min_row=2, values_only=True))
        self.assertAlmostEqual(totals["Avg. rating"], 3.0)
        self.assertAlmostEqual(totals["Poor ratings"], 1 / 3)
        self.assertEqual(totals["Open hot alerts"], 1)
        self.assertEqual(totals["Rated"], 3)
        html = self.env["ir.qweb"]._render(
            "helpdesk_mgmt_complaint.report_complaint_distribution_table",
            {
                "dimension": self.Report._get_distribution(self.domain)["dimensions"][
                    0
                ],
                "distribution": self.Report._get_distribution(self.domain),
            },
        )
        self.assertIn("Open hot alerts", html)
        self.assertIn("33.3 %", html)
        self.assertIn("o_complaint_hot_count", html)
