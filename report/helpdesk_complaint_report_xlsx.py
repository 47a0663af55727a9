"""The analysis workbook (XLSX) of the complaint analysis."""

import xlsxwriter

from odoo import api, models
from odoo.tools import SQL


class HelpdeskComplaintReport(models.Model):
    _inherit = "helpdesk.complaint.report"

    # Rows of the XLSX complaint sheet fetched per round trip.
    _xlsx_batch_size = 2000

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
        for rows in self._xlsx_stream(query):
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

    def _xlsx_stream(self, query):
        """Rows of `query` in batches, from an SQL cursor declared in the
        current transaction: one batch is held in memory at a time."""
        cr = self.env.cr
        cr.execute(
            SQL("DECLARE helpdesk_complaint_xlsx NO SCROLL CURSOR FOR %s", query)
        )
        try:
            while True:
                cr.execute(
                    SQL(
                        "FETCH FORWARD %s FROM helpdesk_complaint_xlsx",
                        self._xlsx_batch_size,
                    )
                )
                rows = cr.fetchall()
                if not rows:
                    break
                yield rows
        finally:
            cr.execute(SQL("CLOSE helpdesk_complaint_xlsx"))

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
                 FROM %s r
                 LEFT JOIN res_partner p ON p.id = r.partner_id
                 LEFT JOIN fleet_vehicle v ON v.id = r.vehicle_id
                WHERE r.id IN %s
                ORDER BY r.complaint_date, r.id""",
            SQL(", ").join(select),
            SQL.identifier(self._table),
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
