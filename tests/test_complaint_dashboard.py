import json
import re

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ComplaintCase

MODEL = "helpdesk.complaint.report"


@tagged("post_install", "-at_install")
class TestComplaintDashboard(ComplaintCase):
    """The Complaints dashboard of the Dashboards app: its spreadsheet only
    reads existing fields of the analysis, and only complaints managers see
    it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref(
            "helpdesk_mgmt_complaint.spreadsheet_dashboard_complaints"
        )
        cls.data = json.loads(cls.dashboard.spreadsheet_data)
        cls.Report = cls.env[MODEL]
        # A handler with every complaint right but the manager's.
        cls.senior_handler = new_test_user(
            cls.env,
            login="hmc_dashboard_handler",
            name="Senior Handler",
            groups="helpdesk_mgmt.group_helpdesk_user,"
            "helpdesk_mgmt_complaint.group_complaint_open,"
            "helpdesk_mgmt_complaint.group_complaint_close",
        )

    def _assert_field(self, spec, where):
        """``spec`` (``field`` or ``field:month``) names a stored field of the
        analysis."""
        fname, _sep, granularity = spec.partition(":")
        self.assertIn(fname, self.Report._fields, f"{where}: unknown field {fname}")
        self.assertTrue(
            self.Report._fields[fname].store, f"{where}: {fname} not stored"
        )
        if granularity:
            self.assertIn(self.Report._fields[fname].type, ("date", "datetime"), where)

    def _assert_domain(self, domain, where):
        for leaf in domain:
            if isinstance(leaf, list):
                self._assert_field(leaf[0], where)

    def _assert_matching(self, matching, where):
        filters = {f["id"]: f for f in self.data["globalFilters"]}
        relation_filters = {
            f["id"] for f in filters.values() if f["type"] == "relation"
        }
        self.assertLessEqual(
            relation_filters, set(matching), f"{where}: filter not applied"
        )
        for filter_id, match in matching.items():
            self.assertIn(filter_id, filters, f"{where}: unknown filter")
            self._assert_field(match["chain"], where)
            field = self.Report._fields[match["chain"]]
            global_filter = filters[filter_id]
            if global_filter["type"] == "relation":
                self.assertEqual(field.comodel_name, global_filter["modelName"], where)
            else:
                self.assertIn(field.type, ("date", "datetime"), where)

    def _charts(self):
        for sheet in self.data["sheets"]:
            for figure in sheet["figures"]:
                if figure["tag"] == "chart":
                    yield figure["data"]

    def test_dashboard_record(self):
        self.assertEqual(self.dashboard.name, "Complaints")
        self.assertTrue(self.dashboard.is_published)
        self.assertEqual(
            self.dashboard.group_ids,
            self.env.ref("helpdesk_mgmt_complaint.group_complaint_manager"),
        )
        self.assertEqual(self.dashboard.main_data_model_ids.model, MODEL)
        self.assertIn(
            self.dashboard, self.dashboard.dashboard_group_id.published_dashboard_ids
        )

    def test_pivots_read_existing_fields(self):
        pivots = self.data["pivots"]
        self.assertGreaterEqual(len(pivots), 4)
        for pivot_id, pivot in pivots.items():
            where = f"pivot {pivot_id}"
            self.assertEqual(pivot["model"], MODEL, where)
            for measure in pivot["measures"]:
                self._assert_field(measure["fieldName"], where)
                self.assertTrue(
                    self.Report._fields[measure["fieldName"]].aggregator, where
                )
            for groupby in pivot["rows"] + pivot["columns"]:
                self._assert_field(groupby["fieldName"], where)
            self._assert_domain(pivot["domain"], where)
            self._assert_matching(pivot["fieldMatching"], where)
            # What the spreadsheet asks the server: it answers.
            groups = self.Report._read_group(
                pivot["domain"],
                [g["fieldName"] for g in pivot["rows"]],
                [
                    f"{m['fieldName']}:{self.Report._fields[m['fieldName']].aggregator}"
                    for m in pivot["measures"]
                ],
            )
            self.assertTrue(groups, where)

    def test_charts_read_existing_fields(self):
        graphs = [c for c in self._charts() if c["type"].startswith("odoo_")]
        self.assertGreaterEqual(len(graphs), 6)
        for chart in graphs:
            where = f"chart {chart['type']} {chart['metaData']['groupBy']}"
            self.assertEqual(chart["metaData"]["resModel"], MODEL, where)
            measure = chart["metaData"]["measure"]
            if measure != "__count":
                self._assert_field(measure, where)
                self.assertTrue(self.Report._fields[measure].aggregator, where)
            for groupby in (
                chart["metaData"]["groupBy"] + chart["searchParams"]["groupBy"]
            ):
                self._assert_field(groupby, where)
            self._assert_domain(chart["searchParams"]["domain"], where)
            self._assert_matching(chart["fieldMatching"], where)

    def test_formulas_use_declared_pivots_and_measures(self):
        """PIVOT.VALUE / PIVOT.HEADER name a pivot of the file and one of its
        measures or row fields; scorecards point at filled cells."""
        pivots = self.data["pivots"]
        cells = {
            (sheet["name"], ref): cell.get("content", "")
            for sheet in self.data["sheets"]
            for ref, cell in sheet["cells"].items()
        }
        seen = 0
        for (_sheet, ref), content in cells.items():
            for pivot_id, name in re.findall(
                r'PIVOT\.(?:VALUE|HEADER)\((\d+),"([^"]+)"', content
            ):
                seen += 1
                self.assertIn(pivot_id, pivots, ref)
                pivot = pivots[pivot_id]
                names = {m["fieldName"] for m in pivot["measures"]} | {
                    "#" + r["fieldName"] for r in pivot["rows"]
                }
                self.assertIn(name, names, ref)
        self.assertGreater(seen, 20)
        for chart in self._charts():
            if chart["type"] == "scorecard":
                sheet_name, ref = chart["keyValue"].split("!")
                self.assertTrue(cells.get((sheet_name, ref), "").startswith("="), ref)

    def test_dashboard_loads_for_manager(self):
        dashboard = self.dashboard.with_user(self.complaint_manager)
        result = dashboard.get_readonly_dashboard()
        self.assertEqual(
            [sheet["name"] for sheet in result["snapshot"]["sheets"]],
            ["Dashboard", "Data"],
        )
        groups = (
            self.env["spreadsheet.dashboard.group"]
            .with_user(self.complaint_manager)
            .search([])
        )
        self.assertIn(dashboard, groups.published_dashboard_ids)

    def test_dashboard_hidden_from_handler(self):
        for user in (self.handler, self.senior_handler):
            dashboard = self.dashboard.with_user(user)
            with self.assertRaises(AccessError):
                dashboard.check_access("read")
            with self.assertRaises(AccessError):
                dashboard.read(["name", "spreadsheet_data"])
            self.assertFalse(
                self.env["spreadsheet.dashboard"]
                .with_user(user)
                .search([("id", "=", self.dashboard.id)])
            )
            groups = self.env["spreadsheet.dashboard.group"].with_user(user).search([])
            self.assertNotIn(self.dashboard, groups.published_dashboard_ids)

    def test_sources_follow_analysis_rules(self):
        """The dashboard's data come from the analysis as the viewing user:
        a complaint of another handler counts for the manager only."""
        own = self._create_complaint(user_id=self.handler.id)
        other = self._create_complaint(user_id=self.officer.id)
        self.env.flush_all()
        domain = [("id", "in", (own | other).ids)]
        as_manager = self.Report.with_user(self.complaint_manager)._read_group(
            domain, [], ["nbr:sum"]
        )
        as_handler = self.Report.with_user(self.handler)._read_group(
            domain, [], ["nbr:sum"]
        )
        self.assertEqual(as_manager[0][0], 2)
        self.assertEqual(as_handler[0][0], 1)
