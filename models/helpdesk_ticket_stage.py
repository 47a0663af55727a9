from odoo import api, fields, models

from ..const import CLOSED_STATES, COMPLAINT_STATES, REPAIR_STATES


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    complaint_state = fields.Selection(
        selection=COMPLAINT_STATES,
        string="Complaint review state",
        compute="_compute_complaint_state",
        store=True,
        readonly=False,
        help="Review state a complaint reaches in this stage.",
    )
    complaint_sms_template_id = fields.Many2one(
        comodel_name="sms.template",
        string="Complaint SMS template",
        domain=[("model", "=", "helpdesk.ticket")],
        help="SMS sent to the customer when a complaint reaches this stage "
        "(with the e-mail template, if any).",
    )

    @api.depends("closed")
    def _compute_complaint_state(self):
        for stage in self:
            if not stage.complaint_state or (
                stage.closed != (stage.complaint_state in CLOSED_STATES)
            ):
                stage.complaint_state = "closed" if stage.closed else "registered"

    repair_state = fields.Selection(
        selection=REPAIR_STATES,
        string="Moved here by repair state",
        help="A complaint of this stage's teams moves here when one of its repair "
        "requests reaches this state (through the usual rights rules).",
    )
