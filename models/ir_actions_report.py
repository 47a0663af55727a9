from odoo import models

LETTER_REPORT = "helpdesk_mgmt_complaint.report_complaint_letter"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        content, report_type = super()._render_qweb_pdf(
            report_ref, res_ids=res_ids, data=data
        )
        report = self._get_report(report_ref)
        if (
            report_type == "pdf"
            and report.report_name == LETTER_REPORT
            and res_ids
            and report.model == "helpdesk.ticket"
            # The letter dialog keeps its letters itself (type, recipient).
            and not (data or {}).get("complaint_letters")
        ):
            ids = [res_ids] if isinstance(res_ids, int) else res_ids
            tickets = self.env["helpdesk.ticket"].browse(ids)
            tickets._complaint_post_letter(content)
        return content, report_type
