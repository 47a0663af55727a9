"""A complaint is a helpdesk ticket of a complaint team: what makes it one,
its registration (customer, phone, vehicle, urgency, source), its handler,
its classification, and the actions of the complaint form.

The other concerns of the same model live beside this file:
helpdesk_ticket_rights.py, helpdesk_ticket_sla.py, helpdesk_ticket_alert.py,
helpdesk_ticket_communication.py and helpdesk_ticket_intake.py."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.osv.expression import AND
from odoo.tools import SQL, is_html_empty
from odoo.tools.safe_eval import safe_eval

from ..const import GROUP_OPEN, RESOLUTION_METHODS, RIGHTS_FIELDS, URGENCIES


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "mail.thread.phone"]

    # -- what makes a ticket a complaint -----------------------------------------
    is_complaint = fields.Boolean(
        string="Complaint",
        compute="_compute_is_complaint",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        help="Complaint rules (customer, source and essence required, SLA, "
        "close right, classification) apply to this ticket.",
    )

    # -- registration ------------------------------------------------------------
    urgency = fields.Selection(
        selection=URGENCIES,
        default="normal",
        required=True,
        index=True,
        tracking=True,
    )
    complaint_date = fields.Datetime(
        string="Registered on",
        default=fields.Datetime.now,
        required=True,
        copy=False,
        # The analysis of a period reads that period, not the whole history.
        index=True,
        help="When the complaint was received; the SLA runs from here.",
    )
    preferred_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Preferred handler",
        domain="[('share', '=', False)]",
    )
    vehicle_id = fields.Many2one(
        comodel_name="fleet.vehicle",
        string="Vehicle",
        index="btree_not_null",
        tracking=True,
    )
    # Not tracked: the vehicle's change is (fleet's tracking attribute would
    # be copied to these related fields: three more chatter lines per change
    # of vehicle, and the vehicle read before every write of a complaint).
    vehicle_license_plate = fields.Char(
        related="vehicle_id.license_plate", string="License plate", tracking=False
    )
    vehicle_vin = fields.Char(related="vehicle_id.vin_sn", string="VIN", tracking=False)
    vehicle_model_id = fields.Many2one(
        related="vehicle_id.model_id", string="Vehicle model", tracking=False
    )

    # -- handling and classification ---------------------------------------------
    complaint_state = fields.Selection(
        string="Review state",
        related="stage_id.complaint_state",
        store=True,
        index=True,
    )
    topic_ids = fields.Many2many(
        comodel_name="helpdesk.complaint.topic",
        string="Topics",
        tracking=True,
    )
    root_cause = fields.Text()
    corrective_action = fields.Text()
    preventive_action = fields.Text()
    handler_opinion = fields.Text(string="Handler's opinion")
    resolution_method = fields.Selection(selection=RESOLUTION_METHODS, tracking=True)
    transfer_ids = fields.One2many(
        comodel_name="helpdesk.ticket.transfer",
        inverse_name="ticket_id",
        string="Transfers",
    )
    transfer_count = fields.Integer(compute="_compute_transfer_count")
    visit_count = fields.Integer(compute="_compute_visit_count")
    # The web client sums every kanban field with an aggregator in each
    # column's read_group: a sum of colour indexes or of percentages means
    # nothing and makes the board read every open complaint's row.
    color = fields.Integer(aggregator=None)
    positive_rate_percentage = fields.Integer(aggregator=None)
    # Every ticket form reads its duplicates (helpdesk_mgmt's duplicate_ids):
    # without an index that is a scan of the whole table per form.
    duplicate_id = fields.Many2one(index="btree_not_null")

    def init(self):
        res = super().init()
        # Kanban columns, lists and "Past SLA" of open complaints in the
        # tickets' order (helpdesk_mgmt's _order): the first 40/80 straight
        # from an index and the counts index-only, however long the history.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS helpdesk_ticket_open_order_index "
                "ON helpdesk_ticket (priority DESC, sequence, number DESC, id DESC) "
                "INCLUDE (stage_id, company_id, sla_deadline) WHERE %s",
                self._complaint_open_predicate(),
            )
        )
        # The complaint board's columns: its counts and urgency bars
        # (stage x urgency) are index-only too.
        self.env.cr.execute("DROP INDEX IF EXISTS helpdesk_ticket_open_stage_index")
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS helpdesk_ticket_open_board_index "
                "ON helpdesk_ticket "
                "(stage_id, priority DESC, sequence, number DESC, id DESC) "
                "INCLUDE (company_id, urgency) WHERE %s",
                self._complaint_open_predicate(),
            )
        )
        # The list of every complaint (no filter): its first page and its
        # count (capped at 10,001 by the web client) read that many index
        # entries instead of sorting the whole history.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS helpdesk_ticket_complaint_order_index "
            "ON helpdesk_ticket (priority DESC, sequence, number DESC, id DESC) "
            "INCLUDE (company_id) WHERE is_complaint AND active"
        )
        return res

    # -- computes ----------------------------------------------------------------
    @api.depends("name", "number", "is_complaint")
    def _compute_display_name(self):
        super()._compute_display_name()
        for ticket in self:
            if ticket.is_complaint and (ticket.number or "/") == "/":
                # Not "/ - False" in the breadcrumb of a complaint being typed.
                ticket.display_name = ticket.name or self.env._("New complaint")

    @api.depends("team_id")
    def _compute_is_complaint(self):
        for ticket in self:
            # Without a team, keep what was set (e.g. from the context).
            ticket.is_complaint = (
                ticket.team_id.is_complaint if ticket.team_id else ticket.is_complaint
            )

    @api.depends("transfer_ids")
    def _compute_transfer_count(self):
        for ticket in self:
            ticket.transfer_count = len(ticket.transfer_ids)

    def _compute_visit_count(self):
        groups = dict(
            self.env["calendar.event"]._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                ["res_id"],
                ["__count"],
            )
        )
        for ticket in self:
            ticket.visit_count = groups.get(ticket.id, 0)

    # -- the call: phone or plate first, then customer and vehicle ---------------
    # -- constraints -------------------------------------------------------------
    @api.constrains("is_complaint", "partner_id", "description", "channel_id")
    def _check_complaint_required(self):
        for ticket in self.filtered("is_complaint"):
            missing = []
            if not ticket.partner_id:
                missing.append(self.env._("customer"))
            if is_html_empty(ticket.description):
                missing.append(self.env._("essence of the complaint (description)"))
            if not ticket.channel_id:
                missing.append(self.env._("source (channel)"))
            if missing:
                raise ValidationError(
                    self.env._(
                        "Complaint %(name)s cannot be saved: the %(missing)s "
                        "is missing.",
                        name=ticket.display_name,
                        missing=", ".join(missing),
                    )
                )

    @api.constrains("is_complaint", "stage_id", "topic_ids")
    def _check_complaint_classified(self):
        for ticket in self:
            if ticket.is_complaint and ticket.stage_id.closed and not ticket.topic_ids:
                raise ValidationError(
                    self.env._(
                        "Complaint %(name)s cannot be closed without "
                        "classification: choose at least one topic.",
                        name=ticket.display_name,
                    )
                )

    # -- CRUD (rights: helpdesk_ticket_rights.py) --------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._complaint_prepare_create(vals_list)
        if self.env.su:
            tickets = super().create(vals_list)
        else:
            with self.env.cr.savepoint():
                tickets = super().create(vals_list)
                tickets._complaint_check_transitions({})
        complaints = tickets.filtered("is_complaint")
        if complaints:
            complaints._complaint_notify_customer_or_queue()
        return tickets

    def write(self, vals):
        moved = self.browse()
        if "stage_id" in vals:
            vals.setdefault("last_progress_date", fields.Datetime.now())
            if not self.env.su:
                self._complaint_check_review_order(vals["stage_id"])
            moved = self.filtered(
                lambda t: t.is_complaint and t.stage_id.id != vals["stage_id"]
            )
        guarded = not self.env.su and not vals.keys().isdisjoint(
            self._complaint_rights_trigger_fields()
        )
        if not guarded:
            res = super().write(vals)
        else:
            before = self._complaint_rights_state()
            # What the values set explicitly is refused before anything is
            # written (and before constraints speak); what computed fields
            # change (a team change moves the flag and the stage) after the
            # write, rolled back to the savepoint.
            self._complaint_check_transitions(
                before, self._complaint_rights_state(vals)
            )
            if vals.keys() & self._complaint_rights_trigger_fields() <= RIGHTS_FIELDS:
                # Only the guarded fields themselves: checked in full above.
                res = super().write(vals)
            else:
                with self.env.cr.savepoint():
                    res = super().write(vals)
                    self._complaint_check_transitions(before)
        if moved:
            moved._complaint_notify_customer_or_queue()
        return res

    def _complaint_company(self):
        """The complaint's company, else the current one (a new record)."""
        self.ensure_one()
        return self.company_id or self.env.company

    @api.model
    def _search(self, domain, *args, **kwargs):
        # helpdesk_mgmt's portal pages of ordinary tickets (/my/tickets) leave
        # the complaints out: they have their own (/my/complaints).
        if self.env.context.get("helpdesk_ticket_exclude_complaints"):
            domain = AND([domain, [("is_complaint", "=", False)]])
        return super()._search(domain, *args, **kwargs)

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        if not self.env.context.get("default_is_complaint"):
            return super()._read_group_stage_ids(stages, domain)
        # Complaint boards show the complaint teams' review stages only.
        return stages.search(
            [
                "|",
                ("id", "in", stages.ids),
                ("team_ids.is_complaint", "=", True),
            ]
        )

    # -- assignment and customer matching ----------------------------------------
    @api.model
    def _complaint_prepare_create(self, vals_list):
        """Match the customer and pick a handler before insert, in batch."""

        # Browse related records with a shared prefetch: one query per model
        # for the whole batch instead of one per complaint.
        def prefetched(model, fname):
            ids = {vals[fname] for vals in vals_list if vals.get(fname)}
            records = self.env[model].browse(ids)
            return lambda rid: records.browse(rid).with_prefetch(records._prefetch_ids)

        team_of = prefetched("helpdesk.ticket.team", "team_id")
        partner_of = prefetched("res.partner", "partner_id")
        channel_of = prefetched("helpdesk.ticket.channel", "channel_id")
        category_of = prefetched("helpdesk.ticket.category", "category_id")
        user_of = prefetched("res.users", "preferred_user_id")
        candidates = None
        default_complaint = self.env.context.get("default_is_complaint")
        for vals in vals_list:
            team = team_of(vals.get("team_id"))
            if not vals.get("is_complaint", default_complaint or team.is_complaint):
                continue
            if not (self.env.su or self.env.user.has_group(GROUP_OPEN)):
                # Said before the required fields are checked.
                raise AccessError(self._complaint_refusal_message(GROUP_OPEN))
            if "description" in vals and is_html_empty(vals["description"]):
                # Caught here: the column is NOT NULL and would fail in SQL.
                raise ValidationError(
                    self.env._(
                        "Complaint %(name)s cannot be saved: the essence of the "
                        "complaint (description) is missing.",
                        name=vals.get("name") or "",
                    )
                )
            if not vals.get("partner_id"):
                partner = self._complaint_match_partner(
                    vals.get("partner_email"), vals.get("partner_phone")
                )
                if partner:
                    vals["partner_id"] = partner.id
            if vals.get("user_id"):
                continue
            if candidates is None:
                candidates = self.env["helpdesk.complaint.sla"].sudo()._get_candidates()
            company = self.env["res.company"].browse(
                vals.get("company_id") or team.company_id.id or self.env.company.id
            )
            user = self._complaint_default_handler(
                candidates=candidates,
                company=company,
                team=team,
                category=category_of(vals.get("category_id")),
                urgency=vals.get("urgency", "normal"),
                partner=partner_of(vals.get("partner_id")),
                channel=channel_of(vals.get("channel_id")),
                preferred=user_of(vals.get("preferred_user_id")),
            )
            if user:
                vals["user_id"] = user.id

    @api.model
    def _complaint_default_handler(
        self, candidates, company, team, category, urgency, partner, channel, preferred
    ):
        """Assignment rules, first hit wins: preferred handler, the handler of
        the applicable SLA policy, the customer's salesperson (when a helpdesk
        user), the source channel's handler, the customer-relations officer."""
        policy = (
            self.env["helpdesk.complaint.sla"]
            .sudo()
            ._find(candidates, company, team, category, urgency, partner)
        )
        salesperson = partner.commercial_partner_id.user_id or partner.user_id
        if salesperson and not salesperson.has_group(
            "helpdesk_mgmt.group_helpdesk_user_own"
        ):
            salesperson = salesperson.browse()
        for user in (
            preferred,
            policy.user_id,
            salesperson,
            channel.complaint_user_id,
            company.complaint_officer_id,
        ):
            if user and user.active:
                return user
        return self.env["res.users"]

    # -- actions -----------------------------------------------------------------
    def _complaint_open_wizard(self, model, name):
        """Action opening the wizard `model` on this complaint in a dialog."""
        self.ensure_one()
        return {
            "name": name,
            "type": "ir.actions.act_window",
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_complaint_transfer(self):
        return self._complaint_open_wizard(
            "helpdesk.complaint.transfer.wizard", self.env._("Transfer complaint")
        )

    def action_complaint_call(self):
        """Call the customer: the dialog shows the number as a ``tel:`` link
        and logs the call's outcome on the chatter."""
        return self._complaint_open_wizard(
            "helpdesk.complaint.call.wizard", self.env._("Call customer")
        )

    @api.model
    def _complaint_action(self, domain, **defaults):
        """The complaints action restricted to `domain`, with creation
        defaults; used by the partner and vehicle smart buttons."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt_complaint.action_helpdesk_complaint"
        )
        context = safe_eval(action.get("context") or "{}")
        # All of the record's complaints, closed ones included.
        context.pop("search_default_open_complaints", None)
        context.update({f"default_{field}": value for field, value in defaults.items()})
        action.update(domain=domain, context=context)
        return action

    def action_complaint_book_visit(self):
        """Book the customer's visit to the garage: a calendar event with the
        customer and the handler, about the vehicle, linked to the complaint."""
        self.ensure_one()
        attendees = self.partner_id | self.user_id.partner_id | self.env.user.partner_id
        vehicle = " ".join(
            v
            for v in (self.vehicle_model_id.display_name, self.vehicle_license_plate)
            if v
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "calendar.action_calendar_event"
        )
        action["context"] = {
            "default_res_model_id": self.env["ir.model"]._get_id(self._name),
            "default_res_id": self.id,
            "default_name": self.env._(
                "Visit: %(complaint)s", complaint=self.display_name
            )
            + (f" ({vehicle})" if vehicle else ""),
            "default_partner_ids": attendees.ids,
            "default_user_id": (self.user_id or self.env.user).id,
            "default_description": self.env._(
                "Vehicle: %(vehicle)s", vehicle=vehicle or "-"
            ),
            "initial_date": fields.Date.to_string(fields.Date.context_today(self)),
        }
        return action

    def action_complaint_view_visits(self):
        self.ensure_one()
        action = self.action_complaint_book_visit()
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["view_mode"] = "list,calendar,form"
        action["views"] = [(False, "list"), (False, "calendar"), (False, "form")]
        return action

    def action_complaint_view_transfers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt_complaint.action_helpdesk_ticket_transfer"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_complaint_close_dialog(self):
        """The *Close* button: a dialog asking for the topics, the resolution
        method and the outcome for the customer, then closing."""
        return self._complaint_open_close_dialog("closed")

    def action_complaint_reject_dialog(self):
        return self._complaint_open_close_dialog("rejected")

    def _complaint_open_close_dialog(self, state):
        title = (
            self.env._("Close complaint")
            if state == "closed"
            else self.env._("Reject complaint")
        )
        action = self._complaint_open_wizard("helpdesk.complaint.close.wizard", title)
        action["context"]["default_state"] = state
        return action

    def action_complaint_close(self):
        """Move to the first closed stage of the complaint's team
        (review state "closed", not "rejected")."""
        return self._complaint_move_to_state("closed")

    def action_complaint_reject(self):
        return self._complaint_move_to_state("rejected")

    def _complaint_move_to_state(self, state, vals=None):
        """Write the team's first stage of review state `state`, with `vals`
        in the same write (the close dialog's classification)."""
        Stage = self.env["helpdesk.ticket.stage"]
        for team, tickets in self.grouped("team_id").items():
            stage = Stage.search(
                [
                    ("complaint_state", "=", state),
                    "|",
                    ("team_ids", "=", False),
                    ("team_ids", "in", team.ids),
                ],
                order="sequence, id",
                limit=1,
            )
            if not stage:
                raise ValidationError(
                    self.env._(
                        "No stage with review state %(state)s is available for "
                        "team %(team)s.",
                        state=dict(
                            Stage._fields["complaint_state"]._description_selection(
                                self.env
                            )
                        )[state],
                        team=team.display_name or "-",
                    )
                )
            tickets.write({**(vals or {}), "stage_id": stage.id})
        return True
