"""Service recovery in the complaint analysis: comebacks (count, rate, flag),
complaints opened from surveys, and the topics as a dimension."""

from odoo import api, fields, models
from odoo.tools import SQL


class HelpdeskComplaintReport(models.Model):
    _inherit = "helpdesk.complaint.report"

    is_comeback = fields.Boolean(string="Comeback", readonly=True)
    is_from_survey = fields.Boolean(string="From a survey", readonly=True)
    comeback_of_id = fields.Many2one(
        "helpdesk.ticket", string="Comeback of", readonly=True
    )
    # One row per complaint: grouped by topic, a complaint counts once in
    # each of its topics (the ticket's own relation table, read-only here).
    topic_ids = fields.Many2many(
        comodel_name="helpdesk.complaint.topic",
        relation="helpdesk_complaint_topic_helpdesk_ticket_rel",
        column1="helpdesk_ticket_id",
        column2="helpdesk_complaint_topic_id",
        string="Topic",
        readonly=True,
    )
    comeback_count = fields.Integer(
        string="# Comebacks", readonly=True, aggregator="sum"
    )
    comeback_rate = fields.Float(
        string="Comeback rate (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the complaints that are comebacks of an earlier one.",
    )
    survey_count = fields.Integer(
        string="# From surveys", readonly=True, aggregator="sum"
    )

    def _complaint_report_select(self):
        return super()._complaint_report_select() + [
            SQL("COALESCE(t.is_comeback, FALSE) AS is_comeback"),
            SQL("t.comeback_of_id AS comeback_of_id"),
            SQL("t.complaint_survey_input_id IS NOT NULL AS is_from_survey"),
            SQL("CASE WHEN t.is_comeback THEN 1 ELSE 0 END AS comeback_count"),
            SQL(
                "CASE WHEN t.is_comeback THEN 100.0 ELSE 0.0 END::float8 "
                "AS comeback_rate"
            ),
            SQL(
                "CASE WHEN t.complaint_survey_input_id IS NOT NULL "
                "THEN 1 ELSE 0 END AS survey_count"
            ),
        ]

    # -- distributions (PDF and XLSX) -------------------------------------------
    @api.model
    def _get_distribution_dimensions(self):
        _ = self.env._
        return super()._get_distribution_dimensions() + [
            ("topic", "topic_ids", _("Topic")),
            ("comeback", "is_comeback", _("Comeback")),
            ("survey", "is_from_survey", _("From a survey")),
        ]

    @api.model
    def _group_label(self, groupby, value):
        fname = groupby.split(":")[0]
        _ = self.env._
        if fname == "is_comeback":
            return _("Comeback") if value else _("Not a comeback")
        if fname == "is_from_survey":
            return _("From a survey") if value else _("Not from a survey")
        if fname == "topic_ids":
            return value.display_name if value else _("No topic")
        return super()._group_label(groupby, value)

    @api.model
    def _get_distribution(self, domain=None, dimensions=None):
        """Every row (and the total) also gets its comebacks and comeback
        rate (%, of the row's complaints)."""
        result = super()._get_distribution(domain=domain, dimensions=dimensions)
        domain = domain or []
        specs = {
            key: groupby
            for key, groupby, _title in (
                dimensions or self._get_distribution_dimensions()
            )
        }
        for dimension in result["dimensions"]:
            groupby = specs[dimension["key"]]
            comebacks = {}
            for group, count in self._read_group(
                domain, [groupby], ["comeback_count:sum"]
            ):
                label = self._group_label(groupby, group)
                comebacks[label] = comebacks.get(label, 0) + (count or 0)
            for row in dimension["rows"]:
                self._complaint_add_comebacks(row, comebacks.get(row["label"], 0))
        [[total]] = self._read_group(domain, [], ["comeback_count:sum"])
        self._complaint_add_comebacks(result["total"], total or 0)
        return result

    @api.model
    def _complaint_add_comebacks(self, row, comebacks):
        row["comebacks"] = comebacks
        row["comeback_rate"] = (
            100.0 * comebacks / row["count"] if row["count"] else None
        )

    def _xlsx_distribution_headers(self):
        _ = self.env._
        return super()._xlsx_distribution_headers() + [
            ("comebacks", _("Comebacks"), None),
            ("comeback_rate", _("Comeback rate"), "percent"),
        ]

    def _xlsx_cell(self, key, value):
        if key == "comeback_rate" and value is not None:
            return value / 100.0
        return super()._xlsx_cell(key, value)

    @api.model
    def _xlsx_complaint_columns(self):
        _ = self.env._
        return super()._xlsx_complaint_columns() + [
            (_("Comeback"), "r.is_comeback", "bool", 10),
            (_("Comeback of"), "r.comeback_of_id", "comeback_of_id", 14),
            (_("From a survey"), "r.is_from_survey", "bool", 10),
        ]
