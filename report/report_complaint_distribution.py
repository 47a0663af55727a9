from odoo import api, models


class ReportComplaintDistribution(models.AbstractModel):
    """Values of the complaint distribution PDF (QWeb)."""

    _name = "report.helpdesk_mgmt_complaint.report_complaint_distribution"
    _description = "Complaint Distribution Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        domain = data.get("domain") or []
        Report = self.env["helpdesk.complaint.report"]
        keys = ("user", "urgency", "source", "category", "state")
        dimensions = [
            dim for dim in Report._get_distribution_dimensions() if dim[0] in keys
        ]
        distribution = Report._get_distribution(domain, dimensions)
        # What is overdue now, whenever it was registered: the teams and
        # handlers chosen apply, the period does not.
        past_sla = Report.search(
            data.get("overdue_domain", domain) + [("past_sla_count", "=", 1)],
            order="sla_deadline, id",
        )
        return {
            "doc_ids": docids,
            "doc_model": "helpdesk.complaint.report.wizard",
            "docs": self.env["helpdesk.complaint.report.wizard"].browse(docids),
            "company": self.env.company,
            "filters": data.get("filters") or [],
            "distribution": distribution,
            "past_sla": past_sla,
        }
