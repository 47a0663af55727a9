from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_officer_id = fields.Many2one(
        related="company_id.complaint_officer_id", readonly=False
    )
    complaint_sla_hours = fields.Float(
        related="company_id.complaint_sla_hours", readonly=False
    )
    complaint_sla_calendar_id = fields.Many2one(
        related="company_id.complaint_sla_calendar_id", readonly=False
    )
    complaint_warning_percent = fields.Float(
        related="company_id.complaint_warning_percent", readonly=False
    )
    complaint_escalation_hours = fields.Float(
        related="company_id.complaint_escalation_hours", readonly=False
    )
    complaint_manager_id = fields.Many2one(
        related="company_id.complaint_manager_id", readonly=False
    )
    complaint_escalation2_hours = fields.Float(
        related="company_id.complaint_escalation2_hours", readonly=False
    )
    complaint_inactivity_days = fields.Integer(
        related="company_id.complaint_inactivity_days", readonly=False
    )
    complaint_notify_email = fields.Boolean(
        related="company_id.complaint_notify_email", readonly=False
    )
    complaint_notify_sms = fields.Boolean(
        related="company_id.complaint_notify_sms", readonly=False
    )
    complaint_plate_pattern = fields.Char(
        related="company_id.complaint_plate_pattern", readonly=False
    )
