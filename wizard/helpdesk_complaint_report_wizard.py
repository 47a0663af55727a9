import tempfile
from datetime import datetime, time, timedelta

import pytz

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.osv.expression import OR


class HelpdeskComplaintReportWizard(models.TransientModel):
    _name = "helpdesk.complaint.report.wizard"
    _description = "Complaint distribution report and XLSX export"

    date_from = fields.Date(
        string="From",
        default=lambda self: fields.Date.context_today(self) - timedelta(days=30),
    )
    include_open = fields.Boolean(
        string="Plus every open complaint",
        default=True,
        help="Count the complaints still open whenever they were registered: "
        "the report shows the current state, not only the period's intake.",
    )
    date_to = fields.Date(string="To", default=fields.Date.context_today)
    team_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.team",
        string="Teams",
        domain=[("is_complaint", "=", True)],
        help="Leave empty for every team.",
    )
    user_ids = fields.Many2many(
        comodel_name="res.users",
        string="Handlers",
        domain=[("share", "=", False)],
        help="Leave empty for every handler.",
    )

    def _get_domain(self):
        """Domain on helpdesk.complaint.report: registered in the period
        (whole days in the user's time zone), of the teams and handlers."""
        self.ensure_one()
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise UserError(self.env._("The start of the period is after its end."))
        period = []
        if self.date_from:
            period.append(("complaint_date", ">=", self._to_utc(self.date_from)))
        if self.date_to:
            period.append(
                ("complaint_date", "<", self._to_utc(self.date_to + timedelta(days=1)))
            )
        if period and self.include_open:
            period = OR([period, [("is_open", "=", True)]])
        # Prefix-notation domains side by side are ANDed.
        return period + self._get_scope_domain()

    def _get_scope_domain(self):
        """The teams and handlers chosen, whatever the period."""
        domain = []
        if self.team_ids:
            domain.append(("team_id", "in", self.team_ids.ids))
        if self.user_ids:
            domain.append(("user_id", "in", self.user_ids.ids))
        return domain

    def _to_utc(self, day):
        """Midnight starting ``day`` in the user's time zone, as naive UTC."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        local = tz.localize(datetime.combine(day, time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _get_filters(self):
        """Human-readable filters printed in the report header."""
        self.ensure_one()
        _ = self.env._
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        date_format = lang.date_format if lang else "%Y-%m-%d"
        period = " – ".join(
            d.strftime(date_format) if d else "…"
            for d in (self.date_from, self.date_to)
        )
        if self.include_open:
            period = _("%(period)s, plus every open complaint", period=period)
        filters = [(_("Period"), period)]
        filters.append(
            (_("Teams"), ", ".join(self.team_ids.mapped("name")) or _("All"))
        )
        filters.append(
            (_("Handlers"), ", ".join(self.user_ids.mapped("name")) or _("All"))
        )
        return filters

    def action_print_pdf(self):
        self.ensure_one()
        return self.env.ref(
            "helpdesk_mgmt_complaint.action_report_complaint_distribution"
        ).report_action(
            self,
            data={
                "domain": self._get_domain(),
                "overdue_domain": self._get_scope_domain(),
                "filters": self._get_filters(),
            },
        )

    def action_export_xlsx(self):
        """Build the workbook and download it."""
        self.ensure_one()
        with tempfile.TemporaryFile() as fileobj:
            self.env["helpdesk.complaint.report"]._export_xlsx(
                fileobj, self._get_domain()
            )
            fileobj.seek(0)
            content = fileobj.read()
        name = self.env._(
            "Complaints %(date)s.xlsx", date=fields.Date.context_today(self)
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
