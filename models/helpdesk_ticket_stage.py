from odoo import api, fields, models

COMPLAINT_STATES = [
    ("registered", "Registered"),
    ("analysed", "Analysed"),
    ("verified", "Verified"),
    ("closed", "Closed"),
    ("rejected", "Rejected"),
]


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

    @api.depends("closed")
    def _compute_complaint_state(self):
        for stage in self:
            if not stage.complaint_state or (
                stage.closed != (stage.complaint_state in ("closed", "rejected"))
            ):
                stage.complaint_state = "closed" if stage.closed else "registered"
