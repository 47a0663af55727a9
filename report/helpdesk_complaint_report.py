from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..const import COMPLAINT_STATES, OPEN_STATES, RESOLUTION_METHODS, URGENCIES

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
        """The view: the columns of ``_complaint_report_select`` over the
        complaint tickets joined by ``_complaint_report_from``.

        Each concern adds its dimensions and measures from its own file by
        extending both hooks (``report/helpdesk_complaint_report_*.py``)."""
        return SQL(
            "SELECT %s FROM helpdesk_ticket t %s WHERE t.is_complaint AND t.active",
            SQL(",\n").join(self._complaint_report_select()),
            SQL("\n").join(self._complaint_report_from()),
        )

    def _complaint_report_from(self):
        """The joins after ``FROM helpdesk_ticket t`` (list of SQL)."""
        return [SQL("LEFT JOIN fleet_vehicle v ON v.id = t.vehicle_id")]

    def _complaint_report_select(self):
        """The view's columns (list of SQL ``<expression> AS <field>``)."""
        open_states = SQL("(%s)", SQL(", ").join(SQL("%s", s) for s in OPEN_STATES))
        now = SQL("(now() AT TIME ZONE 'UTC')")
        past = SQL(
            "(t.complaint_state IN %s AND t.sla_deadline < %s)", open_states, now
        )
        closed = SQL("(t.complaint_state NOT IN %s)", open_states)
        columns = [
            SQL("t.id AS %s", SQL.identifier(fname)) for fname in ("id", "ticket_id")
        ]
        columns += [
            SQL("t.%s AS %s", SQL.identifier(fname), SQL.identifier(fname))
            for fname in (
                "number",
                "name",
                "complaint_date",
                "assigned_date",
                "first_response_date",
                "closed_date",
                "sla_deadline",
                "company_id",
                "team_id",
                "user_id",
                "stage_id",
                "urgency",
                "channel_id",
                "category_id",
                "complaint_state",
                "resolution_method",
                "vehicle_id",
            )
        ]
        columns += [
            SQL(
                """
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
                """,
                open_states=open_states,
                past=past,
                closed=closed,
            )
        ]
        return columns

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
    def _group_empty_label(self, fname):
        """What a group without value is called ("No category", not "None")."""
        _ = self.env._
        labels = {
            "user_id": _("Unassigned"),
            "team_id": _("No team"),
            "channel_id": _("No source"),
            "category_id": _("No category"),
            "resolution_method": _("No resolution method"),
            "vehicle_id": _("No vehicle"),
            "vehicle_brand_id": _("No vehicle make"),
            "vehicle_model_id": _("No vehicle model"),
            "partner_id": _("No customer"),
        }
        return labels.get(fname) or _("Not set")

    @api.model
    def _group_label(self, groupby, value):
        fname = groupby.split(":")[0]
        field = self._fields[fname]
        if not value:
            return self._group_empty_label(fname)
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
                # _read_group gives False for an average over NULLs only:
                # no figure, not zero hours.
                "first_response": None if first is False else first,
                "acceptance": None if accept is False else accept,
                "resolution": None if resol is False else resol,
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
