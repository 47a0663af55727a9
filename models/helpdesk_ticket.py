import logging
import re

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.osv.expression import AND
from odoo.tools import (
    SQL,
    email_normalize,
    html2plaintext,
    is_html_empty,
    parse_contact_from_email,
    plaintext2html,
)

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
        # "Past SLA" = open, active and deadline passed. A partial index on the
        # open complaints' deadlines keeps it a short range scan however many
        # closed complaints accumulate; with `active` in the predicate and
        # company_id included, the count (company rule too) is index-only.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS helpdesk_ticket_sla_open_index "
                "ON helpdesk_ticket (sla_deadline) INCLUDE (company_id) "
                "WHERE complaint_state IN %s AND active",
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
        expired = [
            ("sla_deadline", "<", fields.Datetime.now()),
            ("complaint_state", "in", OPEN_STATES),
        ]
        if (operator == "=") == value:
            return expired
        return ["!", "&", *expired]

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

    def _check_complaint_right(self, group_xmlid, message):
        if self.env.su or self.env.user.has_group(group_xmlid):
            return
        raise AccessError(message)

    def _check_complaint_close_right(self):
        self._check_complaint_right(
            GROUP_CLOSE,
            self.env._(
                "You are not allowed to close complaints (%(names)s). Ask the "
                "customer-relations officer or a complaints manager.",
                names=", ".join(self.mapped("display_name")),
            ),
        )

    def _check_complaint_open_right(self):
        self._check_complaint_right(
            GROUP_OPEN,
            self.env._(
                "You are not allowed to open complaints. Ask a complaints "
                "manager for the right to register complaints."
            ),
        )

    # ------------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._complaint_prepare_create(vals_list)
        tickets = super().create(vals_list)
        complaints = tickets.filtered("is_complaint")
        if complaints:
            complaints._check_complaint_open_right()
            closed = complaints.filtered(lambda t: t.stage_id.closed)
            if closed:
                closed._check_complaint_close_right()
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
        if "stage_id" in vals:
            self._complaint_check_stage_change(vals["stage_id"])
        if vals.get("is_complaint"):
            new = self.filtered(lambda t: not t.is_complaint)
            if new:
                new._check_complaint_open_right()
        return super().write(vals)

    def _complaint_check_stage_change(self, stage_id):
        stage = self.env["helpdesk.ticket.stage"].browse(stage_id)
        complaints = self.filtered("is_complaint")
        if not complaints:
            return
        if stage.closed:
            closing = complaints.filtered(lambda t: not t.stage_id.closed)
            if closing:
                closing._check_complaint_close_right()
        else:
            reopening = complaints.filtered(lambda t: t.stage_id.closed)
            if reopening:
                reopening._check_complaint_open_right()

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

    def _message_post_after_hook(self, message, msg_vals):
        # The first message sent to the customer by an employee is the first
        # response; internal notes do not count.
        if (
            self.is_complaint
            and not self.first_response_date
            and message.message_type == "comment"
            and not message.is_internal
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.author_id.user_ids.filtered(lambda u: not u.share)
        ):
            self.sudo().first_response_date = message.date or fields.Datetime.now()
        return super()._message_post_after_hook(message, msg_vals)

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
        complaint._complaint_send_acknowledgement()
        return complaint

    def _complaint_send_acknowledgement(self):
        """E-mail the customer that the complaint is registered, with its
        number, promised date and portal link (template, editable)."""
        template = self.env.ref(
            "helpdesk_mgmt_complaint.mail_template_complaint_acknowledgement",
            raise_if_not_found=False,
        )
        if not template:
            return
        for complaint in self.filtered(lambda t: t.is_complaint and t.partner_id.email):
            # An automated message: it is not the first response of the SLA.
            complaint.sudo().message_post_with_source(
                template,
                message_type="auto_comment",
                subtype_xmlid="mail.mt_comment",
            )
