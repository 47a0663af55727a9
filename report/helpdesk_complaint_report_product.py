"""Product after-sales in the complaint analysis: product, product category,
service centre, repair state (the complaint's latest repair request, "not
started in time" as a value of its own), warranty state and repair time; in
the pivot/graph, the distribution PDF and the XLSX workbook."""

from odoo import api, fields, models
from odoo.tools import SQL

from ..const import REPAIR_WAITING_STATES, REPORT_REPAIR_STATES, WARRANTY_STATES

# Distributions of product complaints (the PDF shows them when the
# complaints reported include product complaints).
PRODUCT_DIMENSION_KEYS = (
    "product",
    "product_category",
    "service_centre",
    "repair_state",
    "warranty",
)


class HelpdeskComplaintReport(models.Model):
    _inherit = "helpdesk.complaint.report"

    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    product_categ_id = fields.Many2one(
        "product.category", string="Product category", readonly=True
    )
    product_warranty_state = fields.Selection(
        selection=WARRANTY_STATES, string="Warranty", readonly=True
    )
    service_centre_id = fields.Many2one(
        "res.partner", string="Service centre", readonly=True
    )
    repair_state = fields.Selection(
        selection=REPORT_REPAIR_STATES,
        string="Repair state",
        readonly=True,
        help="State of the complaint's latest repair request; sent or received "
        "longer ago than the company's repair start days: not started in time.",
    )
    repair_days = fields.Float(
        string="Repair time (days)",
        readonly=True,
        aggregator="avg",
        help="From sending the latest repair request to its return.",
    )

    def _complaint_report_from(self):
        # The latest repair request per complaint, as a subquery unique on
        # ticket_id: PostgreSQL drops the join when a query reads none of
        # its columns (a lateral join ran once per complaint in every query).
        return super()._complaint_report_from() + [
            SQL(
                "LEFT JOIN product_product prd_pp ON prd_pp.id = t.product_id "
                "LEFT JOIN product_template prd_pt "
                "ON prd_pt.id = prd_pp.product_tmpl_id "
                "LEFT JOIN (SELECT DISTINCT ON (rr.ticket_id) rr.ticket_id, "
                "rr.service_centre_id, rr.state, rr.date_sent, rr.date_returned "
                "FROM helpdesk_complaint_repair rr "
                "ORDER BY rr.ticket_id, rr.id DESC) rep ON rep.ticket_id = t.id "
                "LEFT JOIN res_company rep_co ON rep_co.id = t.company_id"
            )
        ]

    def _complaint_report_select(self):
        now = SQL("(now() AT TIME ZONE 'UTC')")
        return super()._complaint_report_select() + [
            SQL(
                """
                   t.product_id AS product_id,
                   prd_pt.categ_id AS product_categ_id,
                   CASE WHEN t.product_id IS NOT NULL
                        THEN t.product_warranty_state END AS product_warranty_state,
                   rep.service_centre_id AS service_centre_id,
                   CASE WHEN rep.state IN %(waiting)s
                         AND rep_co.complaint_repair_start_days > 0
                         AND rep.date_sent <= %(now)s - interval '1 day'
                             * rep_co.complaint_repair_start_days
                        THEN 'not_started' ELSE rep.state END AS repair_state,
                   CASE WHEN rep.date_returned IS NOT NULL
                        THEN round((extract(epoch FROM rep.date_returned
                                    - rep.date_sent) / 86400.0)::numeric, 2)::float8
                        END AS repair_days
                """,
                waiting=REPAIR_WAITING_STATES,
                now=now,
            )
        ]

    @api.model
    def _get_distribution_dimensions(self):
        _ = self.env._
        return super()._get_distribution_dimensions() + [
            ("product", "product_id", _("Product")),
            ("product_category", "product_categ_id", _("Product category")),
            ("service_centre", "service_centre_id", _("Service centre")),
            ("repair_state", "repair_state", _("Repair state")),
            ("warranty", "product_warranty_state", _("Warranty")),
        ]

    @api.model
    def _group_empty_label(self, fname):
        _ = self.env._
        labels = {
            "product_id": _("No product"),
            "product_categ_id": _("No product"),
            "service_centre_id": _("No repair request"),
            "repair_state": _("No repair request"),
            "product_warranty_state": _("No product"),
        }
        return labels.get(fname) or super()._group_empty_label(fname)

    @api.model
    def _xlsx_complaint_columns(self):
        _ = self.env._
        return super()._xlsx_complaint_columns() + [
            (_("Product"), "r.product_id", "product_id", 24),
            (_("Product category"), "r.product_categ_id", "product_categ_id", 18),
            (
                _("Warranty"),
                "r.product_warranty_state",
                "product_warranty_state",
                14,
            ),
            (_("Service centre"), "r.service_centre_id", "service_centre_id", 22),
            (_("Repair state"), "r.repair_state", "repair_state", 16),
            (_("Repair time"), "r.repair_days * 24", "hours", 10),
        ]


class ReportComplaintDistribution(models.AbstractModel):
    _inherit = "report.helpdesk_mgmt_complaint.report_complaint_distribution"

    @api.model
    def _get_report_values(self, docids, data=None):
        """The product distributions too when product complaints are reported."""
        values = super()._get_report_values(docids, data=data)
        domain = (data or {}).get("domain") or []
        Report = self.env["helpdesk.complaint.report"]
        if not Report.search_count(domain + [("product_id", "!=", False)], limit=1):
            return values
        dimensions = [
            dim
            for dim in Report._get_distribution_dimensions()
            if dim[0] in PRODUCT_DIMENSION_KEYS
        ]
        extra = Report._get_distribution(domain, dimensions)["dimensions"]
        values["distribution"]["dimensions"] += extra
        return values
