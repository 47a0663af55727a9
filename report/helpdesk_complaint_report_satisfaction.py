"""Satisfaction in the complaint analysis: the customer's rating after
closing, the share of poor ratings and the open hot alerts, in the pivot and
graph (view columns), the distribution tables (PDF) and the XLSX workbook."""

from odoo import api, fields, models
from odoo.tools import SQL

SATISFACTION = [("good", "Good rating"), ("poor", "Poor rating")]
# distribution row key -> aggregate over the view
SATISFACTION_AGGREGATES = {
    "rated": "rated_count:sum",
    "poor": "poor_count:sum",
    "rating": "rating:avg",
    "poor_share": "poor_share:avg",
    "hot": "hot_count:sum",
}


class HelpdeskComplaintReport(models.Model):
    _inherit = "helpdesk.complaint.report"

    complaint_satisfaction = fields.Selection(
        selection=SATISFACTION, string="Customer satisfaction", readonly=True
    )
    rating = fields.Float(
        string="Average rating",
        readonly=True,
        aggregator="avg",
        help="Last rating of the customer (of 5); complaints not rated are "
        "left out of the average.",
    )
    rated_count = fields.Integer(string="# Rated", readonly=True, aggregator="sum")
    poor_count = fields.Integer(
        string="# Poor ratings", readonly=True, aggregator="sum"
    )
    poor_share = fields.Float(
        string="Poor ratings (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the rated complaints whose rating is poor.",
    )
    hot_count = fields.Integer(
        string="# Open hot alerts",
        readonly=True,
        aggregator="sum",
        help="Complaints rated poorly whose hot alert is not over yet.",
    )

    def _complaint_report_select(self):
        return super()._complaint_report_select() + [
            SQL(
                """
                   t.complaint_satisfaction AS complaint_satisfaction,
                   CASE WHEN t.complaint_satisfaction IS NOT NULL
                        THEN NULLIF(t.rating_last_value, 0) END::float8 AS rating,
                   CASE WHEN t.complaint_satisfaction IS NOT NULL
                        THEN 1 ELSE 0 END AS rated_count,
                   CASE WHEN t.complaint_satisfaction = 'poor'
                        THEN 1 ELSE 0 END AS poor_count,
                   CASE WHEN t.complaint_satisfaction = 'poor' THEN 100.0
                        WHEN t.complaint_satisfaction IS NOT NULL THEN 0.0
                        END::float8 AS poor_share,
                   CASE WHEN t.complaint_hot THEN 1 ELSE 0 END AS hot_count
                """
            )
        ]

    def _get_distribution_dimensions(self):
        return super()._get_distribution_dimensions() + [
            (
                "satisfaction",
                "complaint_satisfaction",
                self.env._("Customer satisfaction"),
            )
        ]

    @api.model
    def _group_empty_label(self, fname):
        if fname == "complaint_satisfaction":
            return self.env._("Not rated")
        return super()._group_empty_label(fname)

    @api.model
    def _get_distribution(self, domain=None, dimensions=None):
        """Each row and the total get rated, poor, rating (average),
        poor_share (%) and hot (open hot alerts)."""
        result = super()._get_distribution(domain=domain, dimensions=dimensions)
        domain = domain or []
        keys = list(SATISFACTION_AGGREGATES)
        aggregates = list(SATISFACTION_AGGREGATES.values())
        groupbys = {
            key: groupby
            for key, groupby, _title in dimensions
            or self._get_distribution_dimensions()
        }
        for dimension in result["dimensions"]:
            groupby = groupbys[dimension["key"]]
            figures = {
                self._group_label(groupby, group): values
                for group, *values in self._read_group(domain, [groupby], aggregates)
            }
            for row in dimension["rows"]:
                row.update(self._satisfaction_cells(keys, figures.get(row["label"])))
        total = self._read_group(domain, [], aggregates)[0]
        result["total"].update(self._satisfaction_cells(keys, total))
        return result

    @api.model
    def _satisfaction_cells(self, keys, values):
        values = values or [0, 0, False, False, 0]
        cells = dict(zip(keys, values, strict=True))
        for key in ("rating", "poor_share"):
            # an average over no rated complaint: no figure, not zero
            if cells[key] is False:
                cells[key] = None
        for key in ("rated", "poor", "hot"):
            cells[key] = cells[key] or 0
        return cells

    # -- XLSX ----------------------------------------------------------------------
    def _xlsx_complaint_columns(self):
        _ = self.env._
        return super()._xlsx_complaint_columns() + [
            (_("Rating"), "r.rating", "text", 8),
            (
                _("Customer satisfaction"),
                "r.complaint_satisfaction",
                "complaint_satisfaction",
                14,
            ),
            (_("Hot alert"), "r.hot_count = 1", "bool", 9),
        ]

    def _xlsx_distribution_headers(self):
        _ = self.env._
        return super()._xlsx_distribution_headers() + [
            ("rated", _("Rated"), None),
            ("rating", _("Avg. rating"), None),
            ("poor_share", _("Poor ratings"), "percent"),
            ("hot", _("Open hot alerts"), None),
        ]

    def _xlsx_cell(self, key, value):
        if key == "poor_share" and value is not None:
            return value / 100.0
        return super()._xlsx_cell(key, value)
