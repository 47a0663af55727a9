"""Repair requests of a complaint (external service centres), their status
history under the complaint, and the repair timeliness alerts."""

from odoo import api, fields, models
from odoo.tools import SQL

from ..const import REPAIR_OPEN_STATES, REPAIR_WAITING_STATES


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    repair_ids = fields.One2many(
        comodel_name="helpdesk.complaint.repair",
        inverse_name="ticket_id",
        string="Repair requests",
    )
    repair_event_ids = fields.One2many(
        comodel_name="helpdesk.complaint.repair.event",
        inverse_name="ticket_id",
        string="Repair status history",
    )
    repair_count = fields.Integer(compute="_compute_repair_count")

    def _compute_repair_count(self):
        groups = self.env["helpdesk.complaint.repair"]._read_group(
            [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
        )
        counts = {ticket.id: count for ticket, count in groups}
        for ticket in self:
            ticket.repair_count = counts.get(ticket.id, 0)

    def action_complaint_view_repairs(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "helpdesk_mgmt_complaint.action_helpdesk_complaint_repair"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id}
        if self.repair_count == 1:
            action.update(views=[(False, "form")], res_id=self.repair_ids.id)
        return action

    # -- timeliness alerts -------------------------------------------------------
    @api.model
    def _complaint_repair_due_where(self, now):
        """SQL on the repair requests (alias r, company c): sent but not
        started within the company's days, or past the requested return date,
        and not alerted yet."""
        return SQL(
            "((r.state IN %(waiting)s AND c.complaint_repair_start_days > 0"
            "  AND r.date_sent <= %(now)s - interval '1 day' * "
            "      c.complaint_repair_start_days"
            "  AND r.start_alert_date IS NULL)"
            " OR (r.state IN %(open)s AND r.requested_return_date < %(today)s"
            "  AND r.return_alert_date IS NULL))",
            waiting=REPAIR_WAITING_STATES,
            open=REPAIR_OPEN_STATES,
            now=now,
            today=now.date(),
        )

    @api.model
    def _complaint_repair_alert_where(self, now):
        """Complaints with a repair request due for an alert."""
        return SQL(
            "EXISTS (SELECT 1 FROM helpdesk_complaint_repair r "
            "JOIN res_company c ON c.id = r.company_id "
            "WHERE r.ticket_id = %s.id AND %s)",
            SQL.identifier(self._table),
            self._complaint_repair_due_where(now),
        )

    def _complaint_send_repair_alerts(self, now):
        """Alert the handlers of `self` (else the officer) about their due
        repair requests and flag the requests: a rerun adds nothing."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT r.id FROM helpdesk_complaint_repair r "
                "JOIN res_company c ON c.id = r.company_id "
                "WHERE r.ticket_id = ANY(%s) AND %s",
                self.ids,
                self._complaint_repair_due_where(now),
            )
        )
        repairs = (
            self.env["helpdesk.complaint.repair"]
            .sudo()
            .browse([row[0] for row in self.env.cr.fetchall()])
        )
        alerts, started, returned = [], [], []
        today = now.date()
        for repair in repairs:
            ticket = repair.ticket_id
            company = ticket._complaint_company()
            user = ticket.user_id or company.complaint_officer_id
            env = ticket.with_context(lang=user.lang or self.env.lang).env
            days = company.complaint_repair_start_days
            if (
                repair.state in REPAIR_WAITING_STATES
                and not repair.start_alert_date
                and days > 0
                and repair.date_sent
                and (now - repair.date_sent).total_seconds() >= days * 86400
            ):
                started.append(repair.id)
                alerts.append(
                    (
                        ticket,
                        user,
                        env._("Repair not started within %(days)s days", days=days),
                        env._(
                            "Repair request %(name)s to %(centre)s was sent "
                            "%(days)s days ago and the repair has not started.",
                            name=repair.name,
                            centre=repair.service_centre_id.name,
                            days=days,
                        ),
                    )
                )
            if (
                repair.state in REPAIR_OPEN_STATES
                and not repair.return_alert_date
                and repair.requested_return_date
                and repair.requested_return_date < today
            ):
                returned.append(repair.id)
                alerts.append(
                    (
                        ticket,
                        user,
                        env._("Repair return overdue"),
                        env._(
                            "Repair request %(name)s to %(centre)s: the return "
                            "was requested by %(date)s and has not happened.",
                            name=repair.name,
                            centre=repair.service_centre_id.name,
                            date=repair.requested_return_date,
                        ),
                    )
                )
        self._complaint_create_alerts(alerts)
        repairs.browse(started).write({"start_alert_date": now})
        repairs.browse(returned).write({"return_alert_date": now})
        return len(alerts)

    @api.model
    def _cron_complaint_repair_alerts(self, batch_size=500):
        """Scheduled action: repairs not started in time, returns overdue."""
        now = fields.Datetime.now()
        return self._complaint_run_batches(
            self._complaint_repair_alert_where(now),
            lambda tickets: tickets._complaint_send_repair_alerts(now),
            batch_size,
        )
