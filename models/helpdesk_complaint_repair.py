"""Repair request of a complaint to an external service centre: sent by
e-mail from an editable template, its state updated by staff or by the
centre through a tokenized link, each step dated and kept as an event, the
complaint's stage moved by the team's stage mapping under the rights rules."""

import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html2plaintext, is_html_empty

from ..const import REPAIR_LINK_STATES, REPAIR_STATES, REPAIR_TRANSITIONS

_logger = logging.getLogger(__name__)


class HelpdeskComplaintRepair(models.Model):
    _name = "helpdesk.complaint.repair"
    _description = "Complaint Repair Request"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_complaint", "=", True)],
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    user_id = fields.Many2one(related="ticket_id.user_id", string="Handler")
    partner_id = fields.Many2one(related="ticket_id.partner_id", string="Customer")
    service_centre_id = fields.Many2one(
        comodel_name="res.partner",
        string="Service centre",
        required=True,
        index=True,
        tracking=True,
        domain=[("is_service_centre", "=", True)],
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        compute="_compute_from_ticket",
        store=True,
        readonly=False,
        precompute=True,
    )
    serial = fields.Char(
        string="Serial number",
        compute="_compute_from_ticket",
        store=True,
        readonly=False,
        precompute=True,
    )
    fault = fields.Text(
        compute="_compute_from_ticket",
        store=True,
        readonly=False,
        precompute=True,
        help="What the service centre is asked to repair.",
    )
    requested_return_date = fields.Date(string="Return requested by", tracking=True)
    attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        string="Attachments to send",
        help="Files of the complaint sent with the request (photos, invoice).",
    )
    state = fields.Selection(
        selection=REPAIR_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    date_sent = fields.Datetime(string="Sent on", readonly=True, copy=False)
    date_received = fields.Datetime(string="Received on", readonly=True, copy=False)
    date_started = fields.Datetime(
        string="Repair started on", readonly=True, copy=False
    )
    date_repaired = fields.Datetime(string="Repaired on", readonly=True, copy=False)
    date_returned = fields.Datetime(string="Returned on", readonly=True, copy=False)
    date_refused = fields.Datetime(string="Refused on", readonly=True, copy=False)
    event_ids = fields.One2many(
        comodel_name="helpdesk.complaint.repair.event",
        inverse_name="repair_id",
        string="Status history",
    )
    start_alert_date = fields.Datetime(
        string="Not-started alert sent on", readonly=True, copy=False
    )
    return_alert_date = fields.Datetime(
        string="Overdue alert sent on", readonly=True, copy=False
    )
    next_state_ids = fields.Json(compute="_compute_next_states")
    repair_days = fields.Float(
        string="Repair time (days)",
        compute="_compute_repair_days",
        help="From sending to return.",
    )

    @api.depends("ticket_id")
    def _compute_from_ticket(self):
        for repair in self:
            ticket = repair.ticket_id
            repair.product_id = repair.product_id or ticket.product_id
            repair.serial = repair.serial or ticket.product_serial
            repair.fault = repair.fault or (
                (not is_html_empty(ticket.description))
                and html2plaintext(ticket.description)[:2000]
                or False
            )

    @api.depends("state")
    def _compute_next_states(self):
        for repair in self:
            repair.next_state_ids = list(REPAIR_TRANSITIONS[repair.state])

    @api.depends("date_sent", "date_returned")
    def _compute_repair_days(self):
        for repair in self:
            repair.repair_days = (
                (repair.date_returned - repair.date_sent).total_seconds() / 86400
                if repair.date_sent and repair.date_returned
                else 0.0
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("helpdesk.complaint.repair")
                    or "/"
                )
        return super().create(vals_list)

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for repair in self:
            repair.access_url = f"/repair/{repair.id}"
        return res

    # -- state flow ---------------------------------------------------------------
    def _complaint_repair_link_valid(self):
        """The centre's link works only while the request is at the centre:
        after sending, until returned or refused. Then the token expires (a
        forwarded old e-mail opens nothing)."""
        self.ensure_one()
        return self.state in REPAIR_LINK_STATES

    def _complaint_set_state(self, state, note=None, via_link=False):
        """Move the requests to `state` (a next state of each), date the step,
        record the event and move the complaint's stage by the mapping.
        `via_link`: changed by the service centre through its link."""
        labels = dict(self._fields["state"]._description_selection(self.env))
        for repair in self:
            if state not in REPAIR_TRANSITIONS[repair.state]:
                raise UserError(
                    self.env._(
                        "Repair request %(name)s cannot go from %(current)s to "
                        "%(target)s.",
                        name=repair.name,
                        current=labels[repair.state],
                        target=labels.get(state, state),
                    )
                )
        now = fields.Datetime.now()
        self.write({"state": state, f"date_{state}": now})
        self.env["helpdesk.complaint.repair.event"].sudo().create(
            [
                {
                    "repair_id": repair.id,
                    "state": state,
                    "date": now,
                    "user_id": False if via_link else self.env.user.id,
                    "via_link": via_link,
                    "note": note or False,
                }
                for repair in self
            ]
        )
        self._complaint_move_ticket_stage(state, via_link=via_link)
        return True

    def _complaint_mapped_stage(self, state):
        """The complaint's team's stage mapped to the repair `state`, if any."""
        self.ensure_one()
        team = self.ticket_id.team_id
        return (
            self.env["helpdesk.ticket.stage"]
            .sudo()
            .search(
                [("repair_state", "=", state), ("team_ids", "in", team.ids)],
                order="sequence, id",
                limit=1,
            )
        )

    def _complaint_stage_actor(self, stage, via_link):
        """Who moves the complaint: the user who changed the state; for the
        centre's link, the complaint's handler (the centre has no user), and
        never into a closed stage unless the company allows it."""
        self.ensure_one()
        if not via_link:
            return self.env.user
        company = self.ticket_id._complaint_company()
        if stage.closed and not company.complaint_repair_link_may_close:
            return self.env["res.users"]
        return self.ticket_id.user_id

    def _complaint_move_ticket_stage(self, state, via_link=False):
        """Apply the stage mapping through the complaint's normal write, as
        the acting user: the open/close rights and the review order apply.
        A refused move is noted on the complaint; the repair state stays."""
        for repair in self:
            ticket = repair.ticket_id
            stage = repair._complaint_mapped_stage(state)
            if not stage or stage == ticket.stage_id:
                continue
            actor = repair._complaint_stage_actor(stage, via_link)
            try:
                if not actor:
                    raise AccessError(
                        self.env._(
                            "A service centre's link may not close a complaint, "
                            "and the complaint has no handler to act for it."
                        )
                        if not stage.closed or not ticket.user_id
                        else self.env._(
                            "A service centre's link may not close complaints "
                            "(see the complaint settings)."
                        )
                    )
                with self.env.cr.savepoint():
                    ticket.with_user(actor).write({"stage_id": stage.id})
            except (AccessError, ValidationError, UserError) as error:
                _logger.info(
                    "Repair %s: complaint %s not moved to %s: %s",
                    repair.name,
                    ticket.number,
                    stage.name,
                    error,
                )
                ticket.sudo()._complaint_log(
                    self.env._(
                        "Repair request %(name)s is %(state)s, but the complaint "
                        "was not moved to stage %(stage)s: %(reason)s",
                        name=repair.name,
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        )[state],
                        stage=stage.name,
                        reason=str(error),
                    )
                )

    # -- actions ------------------------------------------------------------------
    def _complaint_check_sendable(self):
        for repair in self:
            if repair.state != "draft":
                raise UserError(
                    self.env._(
                        "Repair request %(name)s was already sent.", name=repair.name
                    )
                )
            if not repair.service_centre_id.email:
                raise UserError(
                    self.env._(
                        "The service centre %(centre)s has no e-mail address: add "
                        "one before sending the repair request.",
                        centre=repair.service_centre_id.display_name,
                    )
                )

    def action_send(self):
        """Open the composer with the repair request template (editable);
        sending it marks the request as sent (see message_post)."""
        self.ensure_one()
        self._complaint_check_sendable()
        template = self.env.ref(
            "helpdesk_mgmt_complaint.mail_template_complaint_repair_request"
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_attachment_ids": [(6, 0, self.attachment_ids.ids)],
                "complaint_mark_repair_sent": True,
            },
        }

    def _complaint_send(self):
        """Send the request without the composer (template as it is)."""
        self._complaint_check_sendable()
        template = self.env.ref(
            "helpdesk_mgmt_complaint.mail_template_complaint_repair_request"
        )
        for repair in self:
            repair.with_context(
                complaint_mark_repair_sent=True
            ).message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                attachment_ids=repair.attachment_ids.ids,
            )
        return True

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        if self.env.context.get("complaint_mark_repair_sent"):
            self.filtered(lambda r: r.state == "draft")._complaint_set_state("sent")
        return message

    def _complaint_action_state(self, state):
        self._complaint_set_state(state)
        return True

    def action_received(self):
        return self._complaint_action_state("received")

    def action_started(self):
        return self._complaint_action_state("started")

    def action_repaired(self):
        return self._complaint_action_state("repaired")

    def action_returned(self):
        return self._complaint_action_state("returned")

    def action_refused(self):
        return self._complaint_action_state("refused")

    def _get_report_base_filename(self):
        return self.name
