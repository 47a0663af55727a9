import logging
import random
import re
import time
from collections import defaultdict
from datetime import timedelta

import phonenumbers
from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, ValidationError
from odoo.osv.expression import AND
from odoo.service.model import (
    MAX_TRIES_ON_CONCURRENCY_FAILURE,
    PG_CONCURRENCY_EXCEPTIONS_TO_RETRY,
)
from odoo.tools import (
    SQL,
    email_normalize,
    format_datetime,
    html2plaintext,
    is_html_empty,
    parse_contact_from_email,
    plaintext2html,
)
from odoo.tools.safe_eval import safe_eval

from .fleet_vehicle import normalize_plate
from .helpdesk_complaint_sla import URGENCIES
from .res_company import DEFAULT_PLATE_PATTERN

_logger = logging.getLogger(__name__)

OPEN_STATES = ("registered", "analysed", "verified")
RESOLUTION_METHODS = [
    ("repair", "Repair"),
    ("replacement", "Replacement"),
    ("refund", "Refund"),
    ("explanation", "Explanation"),
    ("rejected", "Rejected"),
]
GROUP_OPEN = "helpdesk_mgmt_complaint.group_complaint_open"
GROUP_CLOSE = "helpdesk_mgmt_complaint.group_complaint_close"
# sla_alert_level: alerts already sent, in this order.
ALERT_WARNING, ALERT_BREACH, ALERT_TEAM_LEADER, ALERT_MANAGER = 1, 2, 3, 4
# A cron run stops taking new batches after this many seconds (the rest is
# done by the next run, which Odoo starts at once when progress is reported).
CRON_TIME_BUDGET = 240
# Customer messages of more complaints than this in one call (an import, a
# mass stage change) are sent by the scheduled action "Complaints: send
# customer updates", triggered at once, in committed batches, instead of
# inside the caller's transaction.
NOTIFY_SYNC_LIMIT = 50

_logger = logging.getLogger(__name__)
# A phone number in a signature line: optional + or 00, digits and the usual
# separators, 8 to 20 characters.
SIGNATURE_PHONE = re.compile(r"(?:\+|\b00)?\d[\d ()./-]{6,18}\d")
PLATE_TOKEN_SEPARATORS = re.compile(r"[\s\-.]+")
# Only the start of a long e-mail is searched for plates and phones.
INTAKE_TEXT_LIMIT = 20000


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "mail.thread.phone"]

    # -- what makes a ticket a complaint ------------------------------------
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
    # -- registration --------------------------------------------------------
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
        help="When the complaint was received; the SLA runs from here.",
    )
    preferred_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Preferred handler",
        domain="[('share', '=', False)]",
    )
    partner_phone = fields.Char(
        string="Phone",
        compute="_compute_partner_phone",
        store=True,
        readonly=False,
        precompute=True,
    )
    partner_ref = fields.Char(
        related="partner_id.commercial_partner_id.ref", string="Customer number"
    )
    phone_warning = fields.Char(compute="_compute_phone_warning")
    complaint_phone_search = fields.Char(
        string="Customer phone",
        compute="_compute_complaint_phone_search",
        search="_search_complaint_phone_search",
        help="Finds the ticket's or its customer's phone typed in any format.",
    )
    vehicle_id = fields.Many2one(
        comodel_name="fleet.vehicle",
        string="Vehicle",
        index="btree_not_null",
        tracking=True,
    )
    vehicle_license_plate = fields.Char(
        related="vehicle_id.license_plate", string="License plate"
    )
    vehicle_vin = fields.Char(related="vehicle_id.vin_sn", string="VIN")
    vehicle_model_id = fields.Many2one(
        related="vehicle_id.model_id", string="Vehicle model"
    )
    # -- SLA -----------------------------------------------------------------
    sla_policy_id = fields.Many2one(
        comodel_name="helpdesk.complaint.sla",
        string="SLA policy",
        compute="_compute_sla",
        store=True,
    )
    sla_deadline = fields.Datetime(
        string="SLA deadline",
        compute="_compute_sla",
        store=True,
        index="btree_not_null",
        tracking=True,
        copy=False,
    )
    sla_expired = fields.Boolean(
        string="Past SLA",
        compute="_compute_sla_status",
        search="_search_sla_expired",
        help="Open complaint whose SLA deadline has passed.",
    )
    sla_status = fields.Selection(
        selection=[
            ("on_time", "On time"),
            ("late", "Past SLA"),
            ("met", "Met"),
            ("breached", "Breached"),
        ],
        string="SLA status",
        compute="_compute_sla_status",
    )
    first_response_date = fields.Datetime(copy=False, readonly=True)
    first_response_hours = fields.Float(
        string="First response (hours)",
        compute="_compute_durations",
        store=True,
        aggregator="avg",
    )
    resolution_hours = fields.Float(
        string="Resolution (hours)",
        compute="_compute_durations",
        store=True,
        aggregator="avg",
    )
    sla_met = fields.Boolean(
        string="SLA met",
        compute="_compute_durations",
        store=True,
        help="Closed no later than the SLA deadline.",
    )
    # -- handling and classification -------------------------------------------
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
    complaint_notify_pending = fields.Boolean(
        string="Customer update pending",
        copy=False,
        help="The customer messages of the current stage wait for the "
        "scheduled action (set when many complaints change at once).",
    )
    visit_count = fields.Integer(compute="_compute_visit_count")
    # -- alerts ----------------------------------------------------------------
    sla_alert_level = fields.Integer(
        string="SLA alerts sent",
        default=0,
        copy=False,
        readonly=True,
        help="Last SLA alert sent: 0 none, 1 warning to the handler, 2 breach "
        "(customer-relations officer), 3 team leader, 4 service manager.",
    )
    sla_next_alert_date = fields.Datetime(
        string="Next SLA alert",
        compute="_compute_sla_next_alert_date",
        store=True,
        index="btree_not_null",
        copy=False,
        help="When the SLA alert cron sends the next warning or escalation.",
    )
    last_progress_date = fields.Datetime(
        string="Last progress",
        default=fields.Datetime.now,
        copy=False,
        readonly=True,
        help="Last stage change, message or logged call of an employee.",
    )
    inactivity_alert_date = fields.Datetime(
        string="Inactivity alert sent on", copy=False, readonly=True
    )
    complaint_cron_error = fields.Char(
        string="Scheduled action error",
        copy=False,
        readonly=True,
        help="Last error of a scheduled action on this complaint (alerts, "
        "customer updates); cleared when it goes through.",
    )
    # -- intake (portal, e-mail) ---------------------------------------------
    complaint_sender = fields.Char(
        string="Original sender",
        copy=False,
        readonly=True,
        help="Sender (From) of the e-mail that created the complaint, as received.",
    )
    complaint_sender_review = fields.Boolean(
        string="Sender to review",
        copy=False,
        tracking=True,
        help="The complaint came by e-mail from a sender matching no customer: a "
        "contact was created from the sender's address. Check it (merge it with "
        "the real customer if needed), then untick.",
    )

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for ticket in self.filtered("is_complaint"):
            ticket.access_url = f"/my/complaint/{ticket.id}"
        return res

    def init(self):
        res = super().init()
        cr = self.env.cr
        # "Past SLA" = open, active and deadline passed. A partial index on the
        # open complaints' deadlines keeps it a short range scan however many
        # closed complaints accumulate; company_id included, the count (company
        # rule too) is index-only. Its predicate is the same as the other open
        # complaint indexes' (is_complaint included), otherwise PostgreSQL
        # prefers the one whose predicate matches the domain better and
        # visits every open complaint's row (bench/run scale, issue #14).
        cr.execute("DROP INDEX IF EXISTS helpdesk_ticket_sla_open_index")
        open_complaint = SQL(
            "complaint_state IN %s AND active AND is_complaint", OPEN_STATES
        )
        cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS helpdesk_ticket_sla_open_complaint_index "
                "ON helpdesk_ticket (sla_deadline) INCLUDE (company_id) WHERE %s",
                open_complaint,
            )
        )
        # Kanban columns, lists and "Past SLA" of open complaints in the
        # tickets' order (helpdesk_mgmt's _order): the first 40/80 straight
        # from the index and the counts index-only, whatever the history.
        cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS helpdesk_ticket_open_order_index "
                "ON helpdesk_ticket (priority DESC, sequence, number DESC, id DESC) "
                "INCLUDE (stage_id, company_id, sla_deadline) WHERE %s",
                open_complaint,
            )
        )
        cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS helpdesk_ticket_open_stage_index "
                "ON helpdesk_ticket "
                "(stage_id, priority DESC, sequence, number DESC, id DESC) "
                "INCLUDE (company_id) WHERE %s",
                open_complaint,
            )
        )
        # Portal list: a customer's complaints, newest first (helpdesk_mgmt
        # has no index on partner_id: every portal page scanned the table).
        cr.execute(
            "CREATE INDEX IF NOT EXISTS helpdesk_ticket_partner_date_index "
            "ON helpdesk_ticket (partner_id, complaint_date DESC, id DESC) "
            "WHERE partner_id IS NOT NULL"
        )
        # Inactivity cron: open complaints by last progress.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS helpdesk_ticket_progress_open_index "
                "ON helpdesk_ticket (last_progress_date) "
                "WHERE complaint_state IN %s AND active AND is_complaint",
                OPEN_STATES,
            )
        )
        return res

    # ------------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------------

    @api.depends("team_id")
    def _compute_is_complaint(self):
        for ticket in self:
            # Without a team, keep what was set (e.g. from the context).
            ticket.is_complaint = (
                ticket.team_id.is_complaint if ticket.team_id else ticket.is_complaint
            )

    @api.depends("partner_id")
    def _compute_partner_phone(self):
        for ticket in self:
            partner = ticket.partner_id
            ticket.partner_phone = (
                (partner.mobile or partner.phone or False)
                if partner
                else ticket.partner_phone
            )

    def _phone_get_number_fields(self):
        return ["partner_phone"]

    @api.depends("partner_phone", "phone_sanitized")
    def _compute_phone_warning(self):
        for ticket in self:
            invalid = ticket.partner_phone and not ticket.phone_sanitized
            ticket.phone_warning = (
                self.env._(
                    "The phone number %(phone)s is not valid; it is kept as typed "
                    "but cannot be used for calls or SMS.",
                    phone=ticket.partner_phone,
                )
                if invalid
                else False
            )

    def _compute_complaint_phone_search(self):
        self.complaint_phone_search = False

    def _search_complaint_phone_search(self, operator, value):
        if operator != "ilike" or not isinstance(value, str):
            raise ValidationError(self.env._("Unsupported search on phone."))
        # Digits typed in any format, then the number as E.164 in the company's
        # country compared with the sanitized numbers of ticket and customer.
        domain = [
            "|",
            ("phone_mobile_search", "ilike", value),
            ("partner_id.phone_mobile_search", "ilike", value),
        ]
        sanitized = self._phone_format(
            number=value, country=self.env.company.country_id
        )
        if sanitized:
            domain = [
                "|",
                "|",
                ("phone_sanitized", "=", sanitized),
                ("partner_id.phone_sanitized", "=", sanitized),
                *domain,
            ]
        return domain

    @api.depends(
        "is_complaint",
        "complaint_date",
        "urgency",
        "category_id",
        "team_id",
        "partner_id",
        "company_id",
    )
    def _compute_sla(self):
        complaints = self.filtered("is_complaint")
        (self - complaints).update({"sla_policy_id": False, "sla_deadline": False})
        if not complaints:
            return
        # Policies are configuration every complaint author must be able to apply.
        Sla = self.env["helpdesk.complaint.sla"].sudo()
        candidates = Sla._get_candidates()
        for ticket in complaints:
            policy = Sla._find(
                candidates,
                ticket.company_id,
                ticket.team_id,
                ticket.category_id,
                ticket.urgency,
                ticket.partner_id,
            )
            if policy:
                hours, calendar = policy.hours, policy.calendar_id
            else:
                company = ticket.company_id or self.env.company
                hours = company.complaint_sla_hours or 48.0
                calendar = company.complaint_sla_calendar_id
            ticket.sla_policy_id = policy
            ticket.sla_deadline = Sla._compute_deadline(
                ticket.complaint_date, hours, calendar
            )

    @api.depends("sla_deadline", "closed_date", "complaint_state")
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        for ticket in self:
            status = False
            if ticket.sla_deadline:
                if ticket.complaint_state in OPEN_STATES:
                    status = "late" if ticket.sla_deadline < now else "on_time"
                else:
                    status = "met" if ticket.sla_met else "breached"
            ticket.sla_status = status
            ticket.sla_expired = status == "late"

    def _search_sla_expired(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(self.env._("Unsupported search on Past SLA."))
        # is_complaint changes nothing (only complaints have a deadline) but
        # lets PostgreSQL use the partial index of open complaints (see init).
        expired = [
            ("is_complaint", "=", True),
            ("sla_deadline", "<", fields.Datetime.now()),
            ("complaint_state", "in", OPEN_STATES),
        ]
        if (operator == "=") == value:
            return expired
        return ["!", "&", "&", *expired]

    @api.depends("complaint_date", "first_response_date", "closed_date", "sla_deadline")
    def _compute_durations(self):
        def hours_between(start, end):
            if not (start and end):
                return 0.0
            return round((end - start).total_seconds() / 3600.0, 2)

        for ticket in self:
            start = ticket.complaint_date
            ticket.first_response_hours = hours_between(
                start, ticket.first_response_date
            )
            ticket.resolution_hours = hours_between(start, ticket.closed_date)
            ticket.sla_met = bool(
                ticket.sla_deadline
                and ticket.closed_date
                and ticket.closed_date <= ticket.sla_deadline
            )

    @api.depends(
        "is_complaint",
        "active",
        "complaint_state",
        "complaint_date",
        "sla_deadline",
        "sla_alert_level",
        "company_id",
    )
    def _compute_sla_next_alert_date(self):
        for ticket in self:
            next_date = False
            if (
                ticket.is_complaint
                and ticket.active
                and ticket.sla_deadline
                and ticket.complaint_state in OPEN_STATES
            ):
                next_date = next(
                    (
                        date
                        for level, date in ticket._complaint_alert_schedule()
                        if level > ticket.sla_alert_level
                    ),
                    False,
                )
            ticket.sla_next_alert_date = next_date

    @api.depends("transfer_ids")
    def _compute_transfer_count(self):
        for ticket in self:
            ticket.transfer_count = len(ticket.transfer_ids)

    # ------------------------------------------------------------------------
    # Constraints and rights
    # ------------------------------------------------------------------------

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

    def _complaint_rights_state(self, vals=None):
        """{id: (is complaint, closed)}: what the open and close rights guard.
        An archived complaint counts as closed (it leaves every open list).
        With `vals`, the state these values set explicitly (computed effects
        aside)."""
        vals = vals or {}
        stage = "stage_id" in vals and self.env["helpdesk.ticket.stage"].browse(
            vals["stage_id"]
        )
        state = {}
        for ticket in self:
            is_complaint = vals.get("is_complaint", ticket.is_complaint)
            closed = stage.closed if stage is not False else ticket.stage_id.closed
            active = vals.get("active", ticket.active)
            state[ticket.id] = (
                bool(is_complaint),
                bool(is_complaint) and (closed or not active),
            )
        return state

    @api.model
    @tools.ormcache()
    def _complaint_rights_trigger_fields(self):
        """Fields whose change may change a ticket's (is complaint, closed),
        directly or through computed fields (team -> flag and stage, user ->
        team)."""
        watched = {self._fields[name] for name in ("is_complaint", "stage_id", "active")}
        return frozenset(
            name
            for name, field in self._fields.items()
            if field in watched
            or watched.intersection(self.pool.get_dependent_fields(field))
        )

    @api.model
    def _complaint_required_rights(self, before, after):
        """Rights a (is complaint, closed) transition takes: the open right to
        become a complaint or to reopen one, the close right to close one or
        to stop it being a complaint (which takes it out of the SLA)."""
        was_complaint, was_closed = before
        is_complaint, is_closed = after
        if not is_complaint:
            return {GROUP_CLOSE} if was_complaint else set()
        if not was_complaint:
            return {GROUP_OPEN, GROUP_CLOSE} if is_closed else {GROUP_OPEN}
        if was_closed and not is_closed:
            return {GROUP_OPEN}
        if is_closed and not was_closed:
            return {GROUP_CLOSE}
        return set()

    def _complaint_check_transitions(self, before, after=None):
        """Refuse the transitions the user has no right for, whatever changed
        them (stage, flag, team, archive; computed fields included). `before`
        and `after` are `_complaint_rights_state()` results (`after` defaults
        to the current state); a ticket missing from `before` is new."""
        if self.env.su:
            return
        after = after or self._complaint_rights_state()
        refused = {}
        for ticket in self:
            state = after[ticket.id]
            needed = self._complaint_required_rights(
                before.get(ticket.id, (False, False)), state
            )
            for group in sorted(needed, reverse=True):
                if not self.env.user.has_group(group):
                    key = "unflag" if group == GROUP_CLOSE and not state[0] else group
                    refused[key] = refused.get(key, self.browse()) | ticket
        if refused:
            key = next(iter(refused))
            raise AccessError(refused[key]._complaint_refusal_message(key))

    def _complaint_refusal_message(self, key):
        names = ", ".join(self.mapped("display_name"))
        if key == GROUP_OPEN:
            return self.env._(
                "You are not allowed to open complaints. Ask a complaints "
                "manager for the right to register complaints."
            )
        if key == "unflag":
            return self.env._(
                "You are not allowed to turn complaints into ordinary tickets "
                "(%(names)s): it takes the right to close complaints.",
                names=names,
            )
        return self.env._(
            "You are not allowed to close complaints (%(names)s). Ask the "
            "customer-relations officer or a complaints manager.",
            names=names,
        )

    # ------------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------------

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

    @api.model
    def _complaint_match_partner(self, email=None, phone=None):
        """Existing customer by e-mail, else by phone compared in E.164."""
        Partner = self.env["res.partner"]
        if email:
            normalized = email_normalize(email)
            partner = normalized and Partner.search(
                [("email_normalized", "=", normalized)], limit=1
            )
            if partner:
                return partner
        if phone:
            sanitized = Partner._phone_format(
                number=phone, country=self.env.company.country_id
            )
            if sanitized:
                return Partner.search([("phone_sanitized", "=", sanitized)], limit=1)
        return Partner

    def write(self, vals):
        moved = self.browse()
        if "stage_id" in vals:
            vals.setdefault("last_progress_date", fields.Datetime.now())
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
            self._complaint_check_transitions(before, self._complaint_rights_state(vals))
            with self.env.cr.savepoint():
                res = super().write(vals)
                self._complaint_check_transitions(before)
        if moved:
            moved._complaint_notify_customer_or_queue()
        return res

    @api.model
    def _search(self, domain, *args, **kwargs):
        # helpdesk_mgmt's portal pages of ordinary tickets (/my/tickets) leave
        # the complaints out: they have their own (/my/complaints).
        if self.env.context.get("helpdesk_ticket_exclude_complaints"):
            domain = AND([domain, [("is_complaint", "=", False)]])
        return super()._search(domain, *args, **kwargs)

    # ------------------------------------------------------------------------
    # Stages shown in the kanban
    # ------------------------------------------------------------------------

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

    # ------------------------------------------------------------------------
    # Messages
    # ------------------------------------------------------------------------

    def _track_template(self, tracking):
        res = super()._track_template(tracking)
        if self[:1].is_complaint:
            # Complaints send their stage's templates themselves, with the
            # opt-out, blacklist and number checks and the SMS.
            res.pop("stage_id", None)
        return res

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        """The customer of a complaint never gets internal notes (even when
        mentioned) nor automatic notifications (tracking, creation, alerts):
        only what is written to them, and the complaint's SMS."""
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        if not (self[:1].is_complaint and recipients):
            return recipients
        msg_vals = msg_vals or {}
        message_type = msg_vals.get("message_type") or message.message_type
        if message_type == "sms":
            return recipients
        subtype = self.env["mail.message.subtype"].browse(
            msg_vals.get("subtype_id") or message.subtype_id.id
        )
        internal = (
            msg_vals.get("is_internal", message.is_internal)
            or subtype.internal
            or message_type in ("notification", "user_notification", "auto_comment")
        )
        if not internal:
            return recipients
        return [r for r in recipients if r.get("type") == "user"]

    def _message_post_after_hook(self, message, msg_vals):
        # The first message sent to the customer by an employee, or the first
        # logged call, is the first response; internal notes do not count.
        if self.env.context.get("complaint_auto_message"):
            # Automatic step messages are neither a response nor progress.
            return super()._message_post_after_hook(message, msg_vals)
        public_reply = (
            message.message_type == "comment"
            and not message.is_internal
            and message.subtype_id == self.env.ref("mail.mt_comment")
        )
        logged_call = message.mail_activity_type_id.category == "phonecall"
        if (
            self.is_complaint
            and not self.first_response_date
            and (public_reply or logged_call)
            and message.author_id.user_ids.filtered(lambda u: not u.share)
        ):
            self.sudo().first_response_date = message.date or fields.Datetime.now()
        if self.is_complaint and self._complaint_is_progress(message):
            self.sudo().last_progress_date = message.date or fields.Datetime.now()
        return super()._message_post_after_hook(message, msg_vals)

    def _complaint_is_progress(self, message):
        """A message or logged call of an employee (not of the customer, not
        an automatic notification) is progress for the inactivity alert."""
        if message.message_type not in ("comment", "email", "sms") and not (
            message.mail_activity_type_id
        ):
            return False
        return bool(message.author_id.user_ids.filtered(lambda u: not u.share))

    # ------------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------------

    def action_complaint_transfer(self):
        self.ensure_one()
        return {
            "name": self.env._("Transfer complaint"),
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.complaint.transfer.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

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

    def action_complaint_call(self):
        """Call the customer: the dialog shows the number as a ``tel:`` link
        and logs the call's outcome on the chatter."""
        self.ensure_one()
        return {
            "name": self.env._("Call customer"),
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.complaint.call.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

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

    def action_view_complaint_visits(self):
        self.ensure_one()
        action = self.action_complaint_book_visit()
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["view_mode"] = "list,calendar,form"
        action["views"] = [(False, "list"), (False, "calendar"), (False, "form")]
        return action

    def action_view_complaint_transfers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt_complaint.action_helpdesk_ticket_transfer"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_complaint_close(self):
        """Move to the first closed stage of the complaint's team
        (review state "closed", not "rejected")."""
        return self._complaint_move_to_state("closed")

    def action_complaint_reject(self):
        return self._complaint_move_to_state("rejected")

    def _complaint_move_to_state(self, state):
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
            tickets.write({"stage_id": stage.id})
        return True

    # ------------------------------------------------------------------------
    # Alerts (scheduled actions)
    # ------------------------------------------------------------------------

    def _complaint_alert_schedule(self):
        """[(level, date)] of the SLA alerts of this complaint, in order."""
        self.ensure_one()
        company = self.company_id or self.env.company
        start, deadline = self.complaint_date, self.sla_deadline
        schedule = []
        share = (company.complaint_warning_percent or 0.0) / 100.0
        if 0 < share < 1 and start and deadline > start:
            schedule.append((ALERT_WARNING, start + (deadline - start) * share))
        schedule.append((ALERT_BREACH, deadline))
        if company.complaint_escalation_hours:
            schedule.append(
                (
                    ALERT_TEAM_LEADER,
                    deadline + timedelta(hours=company.complaint_escalation_hours),
                )
            )
        if company.complaint_escalation2_hours and company.complaint_manager_id:
            schedule.append(
                (
                    ALERT_MANAGER,
                    deadline + timedelta(hours=company.complaint_escalation2_hours),
                )
            )
        return schedule

    def _complaint_alert_recipient(self, level):
        """User who gets the alert of `level` (a falsy record: nobody)."""
        self.ensure_one()
        company = self.company_id or self.env.company
        officer = company.complaint_officer_id
        if level == ALERT_WARNING:
            return self.user_id or officer
        if level == ALERT_BREACH:
            return officer or self.user_id
        if level == ALERT_TEAM_LEADER:
            return self.team_id.user_id or officer
        return company.complaint_manager_id

    def _complaint_alert_texts(self, level, user):
        """(activity summary, chatter line) of an alert, in `user`'s language."""
        self.ensure_one()
        env = self.with_context(lang=user.lang or self.env.lang).env
        deadline = format_datetime(env, self.sla_deadline, tz=user.tz or "UTC")
        who = user.name or env._("nobody (no recipient configured)")
        if level == ALERT_WARNING:
            company = self.company_id or self.env.company
            summary = env._(
                "SLA warning: %(percent)s%% of the time elapsed",
                percent=round(company.complaint_warning_percent),
            )
            line = env._(
                "SLA warning sent to %(user)s: the complaint must be resolved "
                "by %(deadline)s.",
                user=who,
                deadline=deadline,
            )
        elif level == ALERT_BREACH:
            summary = env._("SLA breached")
            line = env._(
                "SLA breached (deadline %(deadline)s): alert sent to %(user)s.",
                deadline=deadline,
                user=who,
            )
        else:
            summary = env._(
                "SLA breach escalated (level %(level)s)", level=level - ALERT_BREACH
            )
            line = env._(
                "SLA breach escalated to %(user)s (level %(level)s, deadline "
                "%(deadline)s).",
                user=who,
                level=level - ALERT_BREACH,
                deadline=deadline,
            )
        return summary, line

    def _complaint_create_alerts(self, alerts):
        """Create in batch the activities and chatter notes of `alerts`, a
        list of (ticket, user, summary, line). A recipient gets one activity
        per complaint, naming every alert it covers (the officer may also be
        the team leader and the manager). No e-mail per activity: the
        activity itself is the push, the daily digest the reminder."""
        activity_type = self.env.ref(
            "helpdesk_mgmt_complaint.mail_activity_type_complaint_alert",
            raise_if_not_found=False,
        ) or self.env.ref("mail.mail_activity_data_todo")
        per_recipient = defaultdict(list)
        bodies = defaultdict(list)
        for ticket, user, summary, line in alerts:
            if user:
                per_recipient[ticket.id, user.id].append((summary, line))
            bodies[ticket.id].append(line)
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": ticket_id,
                    "activity_type_id": activity_type.id,
                    "summary": "; ".join(summary for summary, _line in texts),
                    "note": Markup("<br/>").join(line for _summary, line in texts),
                    "user_id": user_id,
                    "date_deadline": today,
                }
                for (ticket_id, user_id), texts in per_recipient.items()
            ]
        )
        if bodies:
            self.browse(list(bodies))._message_log_batch(
                bodies={
                    tid: Markup("<br/>").join(lines) for tid, lines in bodies.items()
                }
            )

    def _complaint_send_sla_alerts(self, now):
        """Send the SLA alerts of `self` due at `now`, each level once.

        A cron that did not run for a while sends every missed escalation
        level, but no longer the warning once the deadline has passed."""
        alerts = []
        by_level = defaultdict(list)
        for ticket in self:
            due = [
                level
                for level, date in ticket._complaint_alert_schedule()
                if level > ticket.sla_alert_level and date <= now
            ]
            if not due:
                # Nothing due after all (settings changed): reschedule.
                self.env.add_to_compute(self._fields["sla_next_alert_date"], ticket)
                continue
            if max(due) >= ALERT_BREACH:
                due = [level for level in due if level >= ALERT_BREACH]
            for level in due:
                user = ticket._complaint_alert_recipient(level)
                alerts.append(
                    (ticket, user, *ticket._complaint_alert_texts(level, user))
                )
            by_level[max(due)].append(ticket.id)
        self._complaint_create_alerts(alerts)
        for level, ids in by_level.items():
            self.browse(ids).sudo().write({"sla_alert_level": level})
        return len(alerts)

    def _complaint_send_inactivity_alerts(self, now):
        alerts = []
        for ticket in self:
            company = ticket.company_id or self.env.company
            user = ticket.user_id or company.complaint_officer_id
            env = ticket.with_context(lang=user.lang or self.env.lang).env
            days = company.complaint_inactivity_days
            alerts.append(
                (
                    ticket,
                    user,
                    env._("No progress for %(days)s days", days=days),
                    env._(
                        "No progress on this complaint for %(days)s days: alert "
                        "sent to %(user)s.",
                        days=days,
                        user=user.name or env._("nobody (no handler)"),
                    ),
                )
            )
        self._complaint_create_alerts(alerts)
        self.sudo().write({"inactivity_alert_date": now})
        return len(alerts)

    @api.model
    def _complaint_sla_alert_where(self, now):
        return SQL(
            "sla_next_alert_date <= %s AND complaint_state IN %s AND active "
            "AND is_complaint",
            now,
            OPEN_STATES,
        )

    @api.model
    def _complaint_inactivity_where(self, now):
        return SQL(
            "complaint_state IN %s AND active AND is_complaint "
            "AND last_progress_date <= %s - interval '1 day' * ("
            "  SELECT c.complaint_inactivity_days FROM res_company c"
            "  WHERE c.id = helpdesk_ticket.company_id"
            "    AND c.complaint_inactivity_days > 0) "
            "AND (inactivity_alert_date IS NULL "
            "     OR inactivity_alert_date < last_progress_date)",
            OPEN_STATES,
            now,
        )

    @api.model
    def _cron_complaint_sla_alerts(self, batch_size=500):
        """Scheduled action: SLA warnings, breach alerts and escalations."""
        now = fields.Datetime.now()
        return self._complaint_run_batches(
            self._complaint_sla_alert_where(now),
            lambda tickets: tickets._complaint_send_sla_alerts(now),
            batch_size,
        )

    @api.model
    def _cron_complaint_inactivity_alerts(self, batch_size=500):
        """Scheduled action: alert the handler of complaints without progress."""
        now = fields.Datetime.now()
        return self._complaint_run_batches(
            self._complaint_inactivity_where(now),
            lambda tickets: tickets._complaint_send_inactivity_alerts(now),
            batch_size,
        )

    @api.model
    def _complaint_run_batches(self, where, process, batch_size):
        """Process the complaints matching `where` in batches of `batch_size`.

        Each batch is locked with ``FOR UPDATE SKIP LOCKED`` (another worker
        running the same job takes other rows), processed, flagged by
        `process` (so that it no longer matches `where`) and, in a scheduled
        action, committed with its progress: a crash loses at most the batch
        being processed, which the next run redoes from scratch. Outside a
        scheduled action each batch runs in a savepoint and nothing is
        committed.

        A batch that fails is processed again complaint by complaint: the
        others go out, the failing one gets a note and is left for the next
        run. In a scheduled action a concurrency error (serialization
        failure, deadlock) rolls the batch back and takes it again. Returns
        the number of complaints processed."""
        cr = self.env.cr
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        started = time.monotonic()
        done = 0
        seen = set()
        failed = set()
        retries = 0
        while True:
            ids = self._complaint_lock_batch(where, batch_size, failed)
            if not ids or seen.intersection(ids):
                break
            try:
                failed.update(self._complaint_process_batch(ids, process))
                done += len(ids) - len(failed.intersection(ids))
                remaining = self._complaint_count_where(where, failed)
                self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
                if in_cron:
                    # Committed per batch: what is flagged as sent is never
                    # sent again.
                    cr.commit()  # pylint: disable=invalid-commit
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                if not in_cron or retries >= MAX_TRIES_ON_CONCURRENCY_FAILURE:
                    raise
                # Another worker changed these rows: take them again.
                _logger.info("Complaint batch: concurrent update, retried")
                cr.rollback()
                self.env.invalidate_all()
                retries += 1
                time.sleep(random.uniform(0.0, 0.5 * retries))
                continue
            seen.update(ids)
            if in_cron:
                self.env.invalidate_all()
                if time.monotonic() - started > CRON_TIME_BUDGET:
                    break
            if not remaining:
                break
        return done

    @api.model
    def _complaint_lock_batch(self, where, batch_size, exclude):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE %s AND id != ALL(%s) ORDER BY id LIMIT %s "
                "FOR UPDATE SKIP LOCKED",
                SQL.identifier(self._table),
                where,
                list(exclude),
                batch_size,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _complaint_count_where(self, where, exclude):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM %s WHERE %s AND id != ALL(%s)",
                SQL.identifier(self._table),
                where,
                list(exclude),
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _complaint_process_batch(self, ids, process):
        """Run `process` on the complaints `ids` in a savepoint; when it fails,
        again one complaint at a time. Returns the ids that failed alone."""
        tickets = self.sudo().browse(ids)
        try:
            with self.env.cr.savepoint():
                process(tickets)
                tickets.filtered("complaint_cron_error").complaint_cron_error = False
            return set()
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise
        except Exception:  # noqa: BLE001 - isolate the record, keep the batch
            _logger.warning(
                "Complaints %s-%s: batch failed, retried one by one",
                ids[0],
                ids[-1],
                exc_info=True,
            )
        failed = set()
        for ticket in tickets:
            try:
                with self.env.cr.savepoint():
                    process(ticket)
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise
            except Exception as error:  # noqa: BLE001
                _logger.exception("Complaint %s: scheduled processing failed", ticket.id)
                failed.add(ticket.id)
                ticket._complaint_note_failure(error)
        return failed

    def _complaint_note_failure(self, error):
        """Say on the chatter, once per distinct error, that a scheduled
        action could not process this complaint (it is retried next run)."""
        self.ensure_one()
        message = str(error)[:500] or type(error).__name__
        if self.complaint_cron_error == message:
            return
        try:
            with self.env.cr.savepoint():
                self.complaint_cron_error = message
                self._complaint_log(
                    self.env._(
                        "A scheduled action could not process this complaint; "
                        "it will try again on its next run. Error: %(error)s",
                        error=message,
                    )
                )
        except Exception:  # noqa: BLE001 - the server log keeps the error
            _logger.exception("Complaint %s: could not note the failure", self.id)

    # ------------------------------------------------------------------------
    # Customer communication
    # ------------------------------------------------------------------------

    def _complaint_notify_customer_or_queue(self):
        """Send the customer messages now, or queue them for the scheduled
        action when this call handles many complaints at once."""
        if len(self) <= NOTIFY_SYNC_LIMIT or self.env.context.get(
            "complaint_notify_now"
        ):
            self._complaint_notify_customer()
            return
        self.sudo().write({"complaint_notify_pending": True})
        self.env.ref("helpdesk_mgmt_complaint.ir_cron_complaint_notify")._trigger()

    @api.model
    def _cron_complaint_notify_customers(self, batch_size=200):
        """Scheduled action: the queued customer messages, in batches."""

        def process(tickets):
            tickets._complaint_notify_customer()
            tickets.write({"complaint_notify_pending": False})

        return self._complaint_run_batches(
            SQL("complaint_notify_pending AND active"), process, batch_size
        )

    def _complaint_notify_customer(self):
        """Send each complaint's customer the e-mail and SMS templates of the
        stage it is in (received, in progress, resolved, closed...).

        Nothing is raised: a customer who opted out, a blacklisted or missing
        address, an invalid mobile or a failed rendering is noted on the
        chatter, and the complaint (or its stage change) is kept. Sending
        itself goes through Odoo's mail and SMS queues, which keep failures
        visible (mail.mail / sms.sms in error) and retry."""
        if self.env.context.get("complaint_no_notify"):
            return
        for ticket in self:
            if not ticket.is_complaint or not ticket.partner_id:
                continue
            company = ticket.company_id or self.env.company
            stage = ticket.stage_id
            mail_template = company.complaint_notify_email and stage.mail_template_id
            sms_template = (
                company.complaint_notify_sms and stage.complaint_sms_template_id
            )
            if not (mail_template or sms_template):
                continue
            if ticket.partner_id.complaint_notify_optout:
                ticket._complaint_log(
                    self.env._(
                        "The customer opted out of complaint updates: no message "
                        "sent for stage %(stage)s.",
                        stage=stage.name,
                    )
                )
                continue
            if mail_template:
                ticket._complaint_send_mail(mail_template)
            if sms_template:
                ticket._complaint_send_sms(sms_template)

    def _complaint_log(self, body):
        """Internal note on the chatter (no notification, not progress)."""
        self.ensure_one()
        self.sudo()._message_log(body=body)

    def _complaint_send_mail(self, template):
        self.ensure_one()
        partner = self.partner_id
        if not partner.email_normalized:
            self._complaint_log(
                self.env._(
                    "E-mail %(template)s not sent: the customer has no valid e-mail "
                    "address.",
                    template=template.name,
                )
            )
            return False
        if partner.is_blacklisted:
            self._complaint_log(
                self.env._(
                    "E-mail %(template)s not sent: %(email)s is blacklisted.",
                    template=template.name,
                    email=partner.email_normalized,
                )
            )
            return False
        try:
            with self.env.cr.savepoint():
                self.with_context(complaint_auto_message=True).message_post_with_source(
                    template,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
        except Exception as error:  # noqa: BLE001 - never lose the complaint
            _logger.exception("Complaint %s: e-mail %s failed", self.id, template.id)
            self._complaint_log(
                self.env._(
                    "E-mail %(template)s could not be sent: %(error)s",
                    template=template.name,
                    error=str(error),
                )
            )
            return False
        return True

    def _complaint_sms_number(self):
        """(E.164 mobile number, False) or (False, reason for the chatter)."""
        self.ensure_one()
        partner = self.partner_id
        country = partner.country_id or (self.company_id or self.env.company).country_id
        candidates = [
            n for n in (partner.mobile, self.partner_phone, partner.phone) if n
        ]
        for number in dict.fromkeys(candidates):
            try:
                parsed = phonenumbers.parse(number, country.code or None)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(parsed) and phonenumbers.number_type(
                parsed
            ) in (
                phonenumbers.PhoneNumberType.MOBILE,
                phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
            ):
                return (
                    phonenumbers.format_number(
                        parsed, phonenumbers.PhoneNumberFormat.E164
                    ),
                    False,
                )
        if not candidates:
            return False, self.env._("the customer has no mobile number")
        return False, self.env._(
            "%(numbers)s is not a valid mobile number",
            numbers=", ".join(dict.fromkeys(candidates)),
        )

    def _complaint_send_sms(self, template):
        self.ensure_one()
        number, reason = self._complaint_sms_number()
        if not reason and self.env["phone.blacklist"].sudo().search_count(
            [("number", "=", number)], limit=1
        ):
            reason = self.env._("%(number)s is blacklisted", number=number)
        if reason:
            self._complaint_log(
                self.env._(
                    "SMS %(template)s not sent: %(reason)s.",
                    template=template.name,
                    reason=reason,
                )
            )
            return False
        try:
            with self.env.cr.savepoint():
                self.with_context(
                    complaint_auto_message=True
                )._message_sms_with_template(
                    template=template,
                    partner_ids=self.partner_id.ids,
                    sms_pid_to_number={self.partner_id.id: number},
                    put_in_queue=True,
                )
        except Exception as error:  # noqa: BLE001 - never lose the complaint
            _logger.exception("Complaint %s: SMS %s failed", self.id, template.id)
            self._complaint_log(
                self.env._(
                    "SMS %(template)s could not be sent: %(error)s",
                    template=template.name,
                    error=str(error),
                )
            )
            return False
        return True

    # ------------------------------------------------------------------------
    # Daily digest
    # ------------------------------------------------------------------------

    @api.model
    def _complaint_digest_recipients(self):
        """{user: overdue complaints} -- each handler gets theirs, each
        company's customer-relations officer all of the company's."""
        domain = [("is_complaint", "=", True), ("sla_expired", "=", True)]
        by_user = defaultdict(lambda: self.browse())
        for user, tickets in self._read_group(domain, ["user_id"], ["id:recordset"]):
            if user:
                by_user[user] |= tickets
        for company, tickets in self._read_group(
            domain, ["company_id"], ["id:recordset"]
        ):
            if company.complaint_officer_id:
                by_user[company.complaint_officer_id] |= tickets
        return by_user

    @api.model
    def _cron_complaint_digest(self):
        """Scheduled action: one e-mail a day per responsible person listing
        their overdue complaints with links. A user gets it at most once a
        day (``res.users.complaint_digest_date``); mails and flags are
        written in one transaction, so a crash sends nothing and a rerun
        sends what is missing."""
        today = fields.Date.context_today(self)
        base_url = self.get_base_url()
        mail_vals = []
        done_users = self.env["res.users"]
        for user, tickets in self._complaint_digest_recipients().items():
            if user.complaint_digest_date == today or not user.active:
                continue
            if not user.email:
                done_users |= user
                continue
            lang_self = self.with_context(lang=user.lang or self.env.lang)
            tickets = tickets.with_context(lang=user.lang).sorted("sla_deadline")
            body = (
                self.env["ir.qweb"]
                .with_context(lang=user.lang)
                ._render(
                    "helpdesk_mgmt_complaint.complaint_digest_mail",
                    {
                        "user": user,
                        "tickets": tickets,
                        "base_url": base_url,
                        "format_datetime": lambda dt, e=lang_self.env, tz=user.tz: (
                            format_datetime(e, dt, tz=tz or "UTC", dt_format="short")
                        ),
                    },
                )
            )
            company = tickets[:1].company_id or self.env.company
            mail_vals.append(
                {
                    "subject": lang_self.env._(
                        "%(count)s overdue complaint(s)", count=len(tickets)
                    ),
                    "body_html": body,
                    "email_from": company.email_formatted
                    or self.env.user.email_formatted,
                    "recipient_ids": [fields.Command.link(user.partner_id.id)],
                    "auto_delete": True,
                }
            )
            done_users |= user
        mails = self.env["mail.mail"].sudo().create(mail_vals)
        done_users.sudo().write({"complaint_digest_date": today})
        self.env["ir.cron"]._notify_progress(done=len(mails), remaining=0)
        return mails

    def action_complaint_print_letter(self):
        """Print the letter to the customer (PDF); each print is attached to
        the complaint's chatter (see ir.actions.report)."""
        return self.env.ref(
            "helpdesk_mgmt_complaint.action_report_complaint_letter"
        ).report_action(self)

    def _complaint_post_letter(self, pdf):
        """Post the printed letter ``pdf`` on the complaint(s)' chatter."""
        for ticket in self:
            name = self.env._("Letter %(number)s.pdf", number=ticket.number)
            ticket.message_post(
                body=self.env._("Letter to the customer printed."),
                attachments=[(name, pdf)],
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------------
    # Intake: portal and e-mail
    # ------------------------------------------------------------------------

    @api.model
    def _complaint_intake_team(self, company=None):
        """The complaint team new portal complaints go to (first by sequence)."""
        company = company or self.env.company
        return (
            self.env["helpdesk.ticket.team"]
            .sudo()
            .search(
                [
                    ("is_complaint", "=", True),
                    ("company_id", "in", [company.id, False]),
                ],
                order="sequence, id",
                limit=1,
            )
        )

    @api.model
    def _complaint_customer_vehicles(self, partner):
        """Vehicles driven by the customer or a contact of the same company."""
        if not partner:
            return self.env["fleet.vehicle"]
        return (
            self.env["fleet.vehicle"]
            .sudo()
            .search(
                [("driver_id", "child_of", partner.commercial_partner_id.id)],
                order="license_plate, id",
            )
        )

    @api.model
    def _complaint_plate_candidates(self, text, pattern=None):
        """Normalized plates that may be written in `text`: every run of one to
        four consecutive groups of a match of the company's plate pattern,
        with at least one digit and 4 to 12 characters."""
        if not text:
            return []
        try:
            regex = re.compile(pattern or DEFAULT_PLATE_PATTERN, re.IGNORECASE)
        except re.error:
            regex = re.compile(DEFAULT_PLATE_PATTERN, re.IGNORECASE)
        candidates = []
        for match in regex.finditer(text[:INTAKE_TEXT_LIMIT]):
            tokens = [t for t in PLATE_TOKEN_SEPARATORS.split(match.group()) if t]
            for start in range(len(tokens)):
                for end in range(start + 1, min(start + 4, len(tokens)) + 1):
                    plate = normalize_plate("".join(tokens[start:end]))
                    if (
                        plate
                        and 4 <= len(plate) <= 12
                        and any(c.isdigit() for c in plate)
                        and plate not in candidates
                    ):
                        candidates.append(plate)
            if len(candidates) > 500:
                break
        return candidates

    @api.model
    def _complaint_find_vehicle(self, texts, partner=None, company=None):
        """The vehicle whose plate appears in the first of `texts` naming one
        (subject before body); the customer's own vehicles win."""
        company = company or self.env.company
        Vehicle = self.env["fleet.vehicle"].sudo()
        commercial = partner.commercial_partner_id if partner else None
        for text in texts:
            candidates = self._complaint_plate_candidates(
                text, company.complaint_plate_pattern
            )
            if not candidates:
                continue
            vehicles = Vehicle.search(
                [
                    ("license_plate_normalized", "in", candidates),
                    ("company_id", "in", [company.id, False]),
                ]
            )
            if not vehicles:
                continue
            if commercial:
                own = vehicles.filtered(
                    lambda v: v.driver_id.commercial_partner_id == commercial
                )
                vehicles = own or vehicles
            # In the order the plates were written.
            return vehicles.sorted(
                lambda v, c=candidates: c.index(v.license_plate_normalized)
            )[:1]
        return Vehicle.browse()

    @api.model
    def _complaint_signature_phones(self, text):
        """Phone numbers in the last lines of a plain-text message."""
        lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
        phones = []
        for line in lines[-10:]:
            phones.extend(m.group() for m in SIGNATURE_PHONE.finditer(line))
        return phones[:5]

    @api.model
    def _complaint_partner_from_mail(self, msg_dict, body_text):
        """(partner, to_review): the sender's customer, matched by the author
        the mail gateway found, by e-mail, then by a phone in the signature;
        else a new contact from the sender address, to review."""
        Partner = self.env["res.partner"].sudo()
        email_from = msg_dict.get("email_from") or ""
        author = Partner.browse(msg_dict.get("author_id") or [])
        if author.exists() and not author.user_ids.filtered(lambda u: not u.share):
            return author, False
        partner = self._complaint_match_partner(email_from) if email_from else None
        if partner:
            return partner, False
        for phone in self._complaint_signature_phones(body_text):
            partner = self._complaint_match_partner(phone=phone)
            if partner:
                return partner, False
        name, email = parse_contact_from_email(email_from)
        email = email_normalize(email) or False
        partner = Partner.create(
            {
                "name": name or email or self.env._("Unknown sender"),
                "email": email,
                "comment": self.env._(
                    "Created from an e-mail to the complaint team (sender: "
                    "%(sender)s). Check it against the existing customers.",
                    sender=email_from or "-",
                ),
            }
        )
        return partner, True

    @api.model
    def _complaint_mail_values(self, msg_dict, custom_values):
        """Values of a complaint created from an e-mail (see message_new)."""
        team = self.env["helpdesk.ticket.team"].browse(custom_values.get("team_id"))
        company = self.env["res.company"].browse(custom_values.get("company_id"))
        company = company or team.company_id or self.env.company
        subject = (msg_dict.get("subject") or "").strip()
        body = msg_dict.get("body") or ""
        body_text = "" if is_html_empty(body) else html2plaintext(body)
        partner, to_review = self._complaint_partner_from_mail(msg_dict, body_text)
        values = {
            "is_complaint": True,
            "partner_id": partner.id,
            "partner_name": partner.name,
            "partner_email": partner.email or msg_dict.get("email_from"),
            "complaint_sender": (msg_dict.get("email_from") or "")[:512] or False,
            "complaint_sender_review": to_review,
        }
        if not subject:
            values["name"] = self.env._("Complaint by e-mail (no subject)")
        if not body_text.strip():
            # The essence is required: keep the subject, say the text is missing.
            values["description"] = plaintext2html(
                subject
                or self.env._("The e-mail had no text; see its attachments, if any.")
            )
        if not custom_values.get("channel_id"):
            channel = self.env.ref(
                "helpdesk_mgmt.helpdesk_ticket_channel_email", raise_if_not_found=False
            )
            values["channel_id"] = channel.id if channel else False
        vehicle = self._complaint_find_vehicle(
            [subject, body_text], partner=partner, company=company
        )
        if vehicle:
            values["vehicle_id"] = vehicle.id
        return values

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        custom_values = dict(custom_values or {})
        team = self.env["helpdesk.ticket.team"].browse(custom_values.get("team_id"))
        is_complaint = custom_values.get(
            "is_complaint",
            team.is_complaint or self.env.context.get("default_is_complaint"),
        )
        if not is_complaint:
            return super().message_new(msg_dict, custom_values=custom_values)
        custom_values.update(self._complaint_mail_values(msg_dict, custom_values))
        complaint = super().message_new(msg_dict, custom_values=custom_values)
        _logger.info(
            "Complaint %s created from e-mail %s (sender %s%s)",
            complaint.number,
            msg_dict.get("message_id"),
            msg_dict.get("email_from"),
            ", to review" if complaint.complaint_sender_review else "",
        )
        return complaint
