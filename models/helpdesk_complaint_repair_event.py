from odoo import api, fields, models

from ..const import REPAIR_STATES


class HelpdeskComplaintRepairEvent(models.Model):
    """One state change of a repair request: which state, when, by whom (a
    user, or the service centre through its link)."""

    _name = "helpdesk.complaint.repair.event"
    _description = "Repair Request Status Change"
    _order = "date desc, id desc"

    repair_id = fields.Many2one(
        comodel_name="helpdesk.complaint.repair",
        string="Repair request",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    ticket_id = fields.Many2one(
        related="repair_id.ticket_id", store=True, index=True, string="Complaint"
    )
    company_id = fields.Many2one(related="repair_id.company_id", store=True)
    service_centre_id = fields.Many2one(related="repair_id.service_centre_id")
    state = fields.Selection(selection=REPAIR_STATES, required=True, readonly=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one(comodel_name="res.users", string="User", readonly=True)
    via_link = fields.Boolean(
        string="By the service centre",
        readonly=True,
        help="Recorded by the service centre through the link of its e-mail.",
    )
    author = fields.Char(string="By", compute="_compute_author")
    note = fields.Text(readonly=True)

    @api.depends("user_id", "via_link")
    def _compute_author(self):
        for event in self:
            event.author = (
                self.env._(
                    "%(centre)s (service centre, via link)",
                    centre=event.service_centre_id.name,
                )
                if event.via_link
                else event.user_id.name
            )
