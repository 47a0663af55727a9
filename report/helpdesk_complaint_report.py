from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.helpdesk_complaint_sla import URGENCIES
from ..models.helpdesk_ticket import OPEN_STATES, RESOLUTION_METHODS
from ..models.helpdesk_ticket_stage import COMPLAINT_STATES

# Durations whose median the report offers (percentile_cont, see
# _get_duration_medians): field name -> SQL expression over the view.
DURATION_FIELDS = ("first_response_hours", "acceptance_hours", "resolution_hours")


class HelpdeskComplaintReport(models.Model):
    """Complaint analysis: one read-only row per complaint (a SQL view).

    Durations are NULL, not 0, while the event has not happened, so that the
    averages (and medians) only count the complaints where it did."""

    _name = "helpdesk.complaint.report"
    _description = "Complaint Analysis"
    _auto = False
    _rec_name = "number"
    _order = "complaint_date desc, id desc"
    # Rows of the XLSX complaint sheet fetched per round trip.
    _xlsx_batch_size = 2000

    ticket_id = fields.Many2one("helpdesk.ticket", string="Complaint", readonly=True)
    number = fields.Char(readonly=True)
    name = fields.Char(string="Title", readonly=True)
    complaint_date = fields.Datetime(string="Registered on", readonly=True)
    assigned_date = fields.Datetime(string="Assigned on", readonly=True)
    first_response_date = fields.Datetime(string="First response on", readonly=True)
    closed_date = fields.Datetime(string="Closed on", readonly=True)
    sla_deadline = fields.Datetime(string="SLA deadline", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", string="Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Handler", readonly=True)
    stage_id = fields.Many2one("helpdesk.ticket.stage", string="Stage", readonly=True)
    urgency = fields.Selection(selection=URGENCIES, readonly=True)
    channel_id = fields.Many2one(
        "helpdesk.ticket.channel", string="Source", readonly=True
    )
    category_id = fields.Many2one(
        "helpdesk.ticket.category", string="Category", readonly=True
    )
    complaint_state = fields.Selection(
        selection=COMPLAINT_STATES, string="Review state", readonly=True
    )
    resolution_method = fields.Selection(selection=RESOLUTION_METHODS, readonly=True)
    vehicle_id = fields.Many2one("fleet.vehicle", string="Vehicle", readonly=True)
    vehicle_model_id = fields.Many2one(
        "fleet.vehicle.model", string="Vehicle model", readonly=True
    )
    vehicle_brand_id = fields.Many2one(
        "fleet.vehicle.model.brand", string="Vehicle make", readonly=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    is_open = fields.Boolean(string="Open", readonly=True)
    # -- measures --------------------------------------------------------------
    nbr = fields.Integer(string="# Complaints", readonly=True, aggregator="sum")
    open_count = fields.Integer(string="# Open", readonly=True, aggregator="sum")
    past_sla_count = fields.Integer(
        string="# Past SLA",
        readonly=True,
        aggregator="sum",
        help="Open complaints whose SLA deadline has passed.",
    )
    sla_met_count = fields.Integer(string="# SLA met", readonly=True, aggregator="sum")
    sla_breached_count = fields.Integer(
        string="# SLA breached",
        readonly=True,
        aggregator="sum",
        help="Closed after the deadline, or open and past it.",
    )
    sla_compliance = fields.Float(
        string="SLA compliance (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the complaints with a verdict (closed, or open and past "
        "the deadline) that met their SLA.",
    )
    first_response_hours = fields.Float(
        string="First response (hours)", readonly=True, aggregator="avg"
    )
    acceptance_hours = fields.Float(
        string="Acceptance (hours)",
        readonly=True,
        aggregator="avg",
        help="From registration to assignment to a handler.",
    )
    resolution_hours = fields.Float(
        string="Resolution (hours)", readonly=True, aggregator="avg"
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )

    def _query(self):
        open_states = SQL("(%s)", SQL(", ").join(SQL("%s", s) for s in OPEN_STATES))
        now = SQL("(now() AT TIME ZONE 'UTC')")
        past = SQL(
            "(t.complaint_state IN %s AND t.sla_deadline < %s)", open_states, now
        )
        closed = SQL("(t.complaint_state NOT IN %s)", open_states)
        return SQL(
            """
            SELECT t.id AS id,
                   t.id AS ticket_id,
                   t.number AS number,
                   t.name AS name,
                   t.complaint_date AS complaint_date,
                   t.assigned_date AS assigned_date,
                   t.first_response_date AS first_response_date,
                   t.closed_date AS closed_date,
                   t.sla_deadline AS sla_deadline,
                   t.company_id AS company_id,
                   t.team_id AS team_id,
                   t.user_id AS user_id,
                   t.stage_id AS stage_id,
                   t.urgency AS urgency,
                   t.channel_id AS channel_id,
                   t.category_id AS category_id,
                   t.complaint_state AS complaint_state,
                   t.resolution_method AS resolution_method,
                   t.vehicle_id AS vehicle_id,
                   v.model_id AS vehicle_model_id,
                   v.brand_id AS vehicle_brand_id,
                   t.commercial_partner_id AS partner_id,
                   t.complaint_state IN %(open_states)s AS is_open,
                   1 AS nbr,
                   CASE WHEN t.complaint_state IN %(open_states)s
                        THEN 1 ELSE 0 END AS open_count,
                   CASE WHEN %(past)s THEN 1 ELSE 0 END AS past_sla_count,
                   CASE WHEN %(closed)s AND t.sla_met THEN 1 ELSE 0 END
                       AS sla_met_count,
                   CASE WHEN %(past)s OR (%(closed)s AND NOT t.sla_met)
                        THEN 1 ELSE 0 END AS sla_breached_count,
                   CASE WHEN %(closed)s AND t.sla_met THEN 100.0
                        WHEN %(past)s OR %(closed)s THEN 0.0 END::float8
                       AS sla_compliance,
                   CASE WHEN t.first_response_date IS NOT NULL
                        THEN t.first_response_hours END AS first_response_hours,
                   CASE WHEN t.assigned_date IS NOT NULL
                        THEN round((extract(epoch FROM t.assigned_date
                                    - t.complaint_date) / 3600.0)::numeric, 2)::float8
                        END AS acceptance_hours,
                   CASE WHEN t.closed_date IS NOT NULL
                        THEN t.resolution_hours END AS resolution_hours
              FROM helpdesk_ticket t
              LEFT JOIN fleet_vehicle v ON v.id = t.vehicle_id
             WHERE t.is_complaint AND t.active
            """,
            open_states=open_states,
            past=past,
            closed=closed,
        )

    @api.model
    def _get_duration_medians(self, domain=None):
        """Medians (PostgreSQL percentile_cont) of the durations over the
        complaints of ``domain`` visible to the user: {field: hours or None}."""
        query = self._search(domain or [])
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM %s WHERE %s",
                SQL(", ").join(
                    SQL(
                        "percentile_cont(0.5) WITHIN GROUP (ORDER BY %s)",
                        SQL.identifier(self._table, fname),
                    )
                    for fname in DURATION_FIELDS
                ),
                query.from_clause,
                query.where_clause or SQL("TRUE"),
            )
        )
        row = self.env.cr.fetchone()
        return {
            fname: (round(value, 2) if value is not None else None)
            for fname, value in zip(DURATION_FIELDS, row, strict=True)
        }

    def action_open_complaint(self):
        """A click on a row of the analysis list opens the complaint."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": self.ticket_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_open_complaints(self):
        """Drill down from report rows to the complaints themselves."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt_complaint.action_helpdesk_complaint"
        )
        action["domain"] = [("id", "in", self.ticket_id.ids)]
        action["context"] = {"create": False}
        action["view_mode"] = "list,form,kanban"
        action["views"] = [(False, "list"), (False, "form"), (False, "kanban")]
        return action

    # ------------------------------------------------------------------------
    # Distributions (shared by the PDF and the XLSX workbook)
    # ------------------------------------------------------------------------

    @api.model
    def _get_distribution_dimensions(self):
        """(key, groupby spec, title) of every distribution the reports show."""
        _ = self.env._
        return [
            ("period", "complaint_date:month", _("Registered per month")),
            ("user", "user_id", _("Handler")),
            ("urgency", "urgency", _("Urgency")),
            ("source", "channel_id", _("Source")),
            ("category", "category_id", _("Category")),
            ("state", "complaint_state", _("Review state")),
            ("brand", "vehicle_brand_id", _("Vehicle make")),
            ("model", "vehicle_model_id", _("Vehicle model")),
        ]

    @api.model
    def _group_label(self, groupby, value):
        fname = groupby.split(":")[0]
        field = self._fields[fname]
        if not value:
            return self.env._("None")
        if field.type == "many2one":
            return value.display_name
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, value)
        if field.type in ("date", "datetime"):
            return value.strftime("%Y-%m")
        return str(value)

    @api.model
    def _get_distribution(self, domain=None, dimensions=None):
        """Per dimension, the rows {label, count, open, past_sla, sla_met,
        sla_breached, compliance, first_response, acceptance, resolution} and
        a total row, over the complaints of ``domain`` visible to the user."""
        aggregates = [
            "nbr:sum",
            "open_count:sum",
            "past_sla_count:sum",
            "sla_met_count:sum",
            "sla_breached_count:sum",
            "first_response_hours:avg",
            "acceptance_hours:avg",
            "resolution_hours:avg",
        ]
        domain = domain or []

        def make_row(label, values):
            count, opened, past, met, breached, first, accept, resol = values
            verdicts = (met or 0) + (breached or 0)
            return {
                "label": label,
                "count": count or 0,
                "open": opened or 0,
                "past_sla": past or 0,
                "sla_met": met or 0,
                "sla_breached": breached or 0,
                "compliance": (100.0 * met / verdicts) if verdicts else None,
                "first_response": first,
                "acceptance": accept,
                "resolution": resol,
            }

        result = []
        for key, groupby, title in dimensions or self._get_distribution_dimensions():
            groups = self._read_group(domain, [groupby], aggregates)
            rows = [
                make_row(self._group_label(groupby, group), values)
                for group, *values in groups
            ]
            if groupby.split(":")[0] in ("user_id", "channel_id", "category_id"):
                rows.sort(key=lambda r: (-r["count"], r["label"]))
            result.append({"key": key, "title": title, "rows": rows})
        total = make_row(
            self.env._("Total"), self._read_group(domain, [], aggregates)[0]
        )
        total.update(
            {
                f"median_{fname.removesuffix('_hours')}": value
                for fname, value in self._get_duration_medians(domain).items()
            }
        )
        return {"dimensions": result, "total": total}

    # ------------------------------------------------------------------------
    # XLSX workbook
    # ------------------------------------------------------------------------

    @api.model
    def _xlsx_complaint_columns(self):
        """(header, SQL expression, kind, width) of the complaint sheet.
        kind: text, datetime, hours, bool, or a field name of this model whose
        value (an id or a selection key) is shown by its label."""
        _ = self.env._
        return [
            (_("Number"), "r.number", "text", 12),
            (_("Title"), "r.name", "text", 36),
            (_("Registered on"), "r.complaint_date", "datetime", 17),
            (_("Customer"), "p.name", "text", 28),
            (_("License plate"), "v.license_plate", "text", 13),
            (_("Vehicle make"), "r.vehicle_brand_id", "vehicle_brand_id", 14),
            (_("Vehicle model"), "r.vehicle_model_id", "vehicle_model_id", 18),
            (_("Team"), "r.team_id", "team_id", 20),
            (_("Handler"), "r.user_id", "user_id", 20),
            (_("Urgency"), "r.urgency", "urgency", 10),
            (_("Source"), "r.channel_id", "channel_id", 14),
            (_("Category"), "r.category_id", "category_id", 16),
            (_("Review state"), "r.complaint_state", "complaint_state", 12),
            (_("Resolution method"), "r.resolution_method", "resolution_method", 14),
            (_("SLA deadline"), "r.sla_deadline", "datetime", 17),
            (_("Assigned on"), "r.assigned_date", "datetime", 17),
            (_("First response on"), "r.first_response_date", "datetime", 17),
            (_("Closed on"), "r.closed_date", "datetime", 17),
            (_("Past SLA"), "r.past_sla_count = 1", "bool", 9),
            (_("SLA met"), "r.sla_met_count = 1", "bool", 9),
            (_("SLA breached"), "r.sla_breached_count = 1", "bool", 9),
            (_("First response"), "r.first_response_hours", "hours", 10),
            (_("Acceptance"), "r.acceptance_hours", "hours", 10),
            (_("Resolution"), "r.resolution_hours", "hours", 10),
        ]

    @api.model
    def _export_xlsx(self, fileobj, domain=None):
        """Write the analysis workbook of the complaints of ``domain`` (as
        visible to the user) into ``fileobj`` (a path or a binary file);
        return the number of complaints written.

        One sheet lists every complaint, one sheet per distribution, one with
        the totals (and medians). Dates are real dates in the user's time
        zone, durations real durations ([h]:mm). The workbook is written in
        xlsxwriter's constant-memory mode and the complaints are fetched in
        batches, so memory stays flat whatever the number of rows."""
        import xlsxwriter

        _ = self.env._
        domain = domain or []
        workbook = xlsxwriter.Workbook(
            fileobj,
            {"constant_memory": True, "strings_to_numbers": False},
        )
        fmt = {
            "header": workbook.add_format(
                {"bold": True, "bg_color": "#E9ECEF", "text_wrap": True}
            ),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            "hours": workbook.add_format({"num_format": "[h]:mm"}),
            "percent": workbook.add_format({"num_format": "0.0%"}),
            "total": workbook.add_format({"bold": True, "top": 1}),
            "total_hours": workbook.add_format(
                {"bold": True, "top": 1, "num_format": "[h]:mm"}
            ),
            "total_percent": workbook.add_format(
                {"bold": True, "top": 1, "num_format": "0.0%"}
            ),
        }
        count = self._xlsx_write_complaints(workbook, fmt, domain)
        distribution = self._get_distribution(domain)
        for dimension in distribution["dimensions"]:
            self._xlsx_write_distribution(
                workbook, fmt, dimension, distribution["total"]
            )
        self._xlsx_write_totals(workbook, fmt, distribution["total"])
        workbook.close()
        return count

    def _xlsx_write_complaints(self, workbook, fmt, domain):
        sheet = workbook.add_worksheet(self.env._("Complaints")[:31])
        columns = self._xlsx_complaint_columns()
        for col, (header, _expr, _kind, width) in enumerate(columns):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, header, fmt["header"])
        sheet.freeze_panes(1, 0)
        self.env.flush_all()
        ids_query = self._search(domain).subselect()
        writers = self._xlsx_complaint_writers(columns, fmt, ids_query)
        query = self._xlsx_complaint_query(columns, ids_query)
        row_index = 0
        # A server-side cursor in the same transaction streams the rows: only
        # one batch is held in memory at a time.
        with self.env.cr._cnx.cursor("helpdesk_complaint_xlsx") as stream:
            stream.itersize = self._xlsx_batch_size
            stream.execute(query.code, query.params)
            while rows := stream.fetchmany(self._xlsx_batch_size):
                for row in rows:
                    row_index += 1
                    for col, convert, cell_format in writers:
                        value = row[col]
                        if value is not None:
                            if convert:
                                value = convert(value)
                            sheet.write(row_index, col, value, cell_format)
        sheet.autofilter(0, 0, max(row_index, 1), len(columns) - 1)
        return row_index

    def _xlsx_complaint_query(self, columns, ids_query):
        """Query of the complaint sheet: dates in the user's time zone,
        durations in days (Excel's unit), oldest complaint first."""
        tz = self.env.context.get("tz") or self.env.user.tz or "UTC"
        select = []
        for _header, expr, kind, _width in columns:
            if kind == "datetime":
                select.append(
                    SQL("(%s AT TIME ZONE 'UTC' AT TIME ZONE %s)", SQL(expr), tz)
                )
            elif kind == "hours":
                select.append(SQL("(%s) / 24.0", SQL(expr)))
            else:
                select.append(SQL(expr))
        return SQL(
            """SELECT %s
                 FROM helpdesk_complaint_report r
                 LEFT JOIN res_partner p ON p.id = r.partner_id
                 LEFT JOIN fleet_vehicle v ON v.id = r.vehicle_id
                WHERE r.id IN %s
                ORDER BY r.complaint_date, r.id""",
            SQL(", ").join(select),
            ids_query,
        )

    def _xlsx_labels(self, fname, ids_query):
        """{value: label} of a many2one or selection column of the exported
        complaints (many2one names read in one batch)."""
        field = self._fields[fname]
        if field.type != "many2one":
            return dict(field._description_selection(self.env))
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT %s FROM %s WHERE id IN %s AND %s IS NOT NULL",
                SQL.identifier(fname),
                SQL.identifier(self._table),
                ids_query,
                SQL.identifier(fname),
            )
        )
        records = self.env[field.comodel_name].browse(
            [row[0] for row in self.env.cr.fetchall()]
        )
        return {record.id: record.display_name for record in records}

    def _xlsx_complaint_writers(self, columns, fmt, ids_query):
        """Per column: (index, value converter or None, cell format)."""
        yes, no = self.env._("Yes"), self.env._("No")
        writers = []
        for col, (_header, _expr, kind, _width) in enumerate(columns):
            if kind == "text":
                writers.append((col, None, None))
            elif kind in ("datetime", "hours"):
                writers.append((col, None, fmt[kind]))
            elif kind == "bool":
                writers.append((col, lambda v: yes if v else no, None))
            else:
                labels = self._xlsx_labels(kind, ids_query)
                writers.append((col, lambda v, labels=labels: labels.get(v, v), None))
        return writers

    def _xlsx_distribution_headers(self):
        _ = self.env._
        return [
            ("count", _("Complaints"), None),
            ("open", _("Open"), None),
            ("past_sla", _("Past SLA"), None),
            ("sla_met", _("SLA met"), None),
            ("sla_breached", _("SLA breached"), None),
            ("compliance", _("SLA compliance"), "percent"),
            ("first_response", _("Avg. first response"), "hours"),
            ("acceptance", _("Avg. acceptance"), "hours"),
            ("resolution", _("Avg. resolution"), "hours"),
        ]

    def _xlsx_cell(self, key, value):
        if value is None:
            return None
        if key == "compliance":
            return value / 100.0
        if key in ("first_response", "acceptance", "resolution") or key.startswith(
            "median_"
        ):
            return value / 24.0
        return value

    def _xlsx_write_distribution(self, workbook, fmt, dimension, total):
        sheet = workbook.add_worksheet(dimension["title"][:31])
        headers = self._xlsx_distribution_headers()
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, len(headers), 14)
        sheet.write_string(0, 0, dimension["title"], fmt["header"])
        for col, (_key, header, _kind) in enumerate(headers, start=1):
            sheet.write_string(0, col, header, fmt["header"])
        sheet.freeze_panes(1, 1)
        row_index = 0
        for row_index, row in enumerate(dimension["rows"], start=1):
            sheet.write_string(row_index, 0, row["label"])
            for col, (key, _header, kind) in enumerate(headers, start=1):
                value = self._xlsx_cell(key, row[key])
                if value is not None:
                    sheet.write_number(row_index, col, value, kind and fmt[kind])
        sheet.autofilter(0, 0, max(row_index, 1), len(headers))
        row_index += 1
        sheet.write_string(row_index, 0, total["label"], fmt["total"])
        for col, (key, _header, kind) in enumerate(headers, start=1):
            value = self._xlsx_cell(key, total[key])
            if value is None:
                sheet.write_blank(row_index, col, None, fmt["total"])
            else:
                sheet.write_number(
                    row_index, col, value, fmt[f"total_{kind}" if kind else "total"]
                )

    def _xlsx_write_totals(self, workbook, fmt, total):
        _ = self.env._
        sheet = workbook.add_worksheet(_("Totals")[:31])
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, 1, 14)
        sheet.write_string(0, 0, _("Measure"), fmt["header"])
        sheet.write_string(0, 1, _("Value"), fmt["header"])
        sheet.freeze_panes(1, 0)
        lines = self._xlsx_distribution_headers() + [
            ("median_first_response", _("Median first response"), "hours"),
            ("median_acceptance", _("Median acceptance"), "hours"),
            ("median_resolution", _("Median resolution"), "hours"),
        ]
        for row_index, (key, header, kind) in enumerate(lines, start=1):
            sheet.write_string(row_index, 0, header)
            value = self._xlsx_cell(key, total[key])
            if value is not None:
                sheet.write_number(row_index, 1, value, kind and fmt[kind])
