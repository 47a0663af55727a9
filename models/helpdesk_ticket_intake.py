"""Intake of complaints from the portal and by e-mail: the intake team, the
customer's vehicles and files on the portal, matching the sender, phones
and license plates of a mail, and the mail gateway hook."""

import logging
import re

from odoo import api, fields, models
from odoo.osv.expression import AND, OR
from odoo.tools import (
    email_normalize,
    html2plaintext,
    is_html_empty,
    parse_contact_from_email,
    plaintext2html,
)

from ..const import (
    DEFAULT_PLATE_PATTERN,
    FORWARDED_FROM,
    INTAKE_TEXT_LIMIT,
    PLATE_TOKEN,
    SIGNATURE_PHONE,
)
from .fleet_vehicle import normalize_plate

_logger = logging.getLogger(__name__)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # -- fields ------------------------------------------------------------------
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
    complaint_plate_text = fields.Char(
        string="Plate as written",
        copy=False,
        groups="base.group_user",
        help="License plate written in the e-mail that was not linked: the "
        "vehicle is not the sender's (another customer's car), or the sender "
        "is to review. Check it, then choose the vehicle.",
    )

    def init(self):
        res = super().init()
        # Portal list: a customer's complaints, newest first (helpdesk_mgmt
        # has no index on partner_id: every portal page scanned the table).
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS helpdesk_ticket_partner_date_index "
            "ON helpdesk_ticket (partner_id, complaint_date DESC, id DESC) "
            "WHERE partner_id IS NOT NULL"
        )
        return res

    # -- portal ------------------------------------------------------------------
    def _compute_access_url(self):
        res = super()._compute_access_url()
        for ticket in self.filtered("is_complaint"):
            ticket.access_url = f"/my/complaint/{ticket.id}"
        return res

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

    def _complaint_portal_attachments(self):
        """The complaint's files its customer may see and download (with an
        access token, also through the share link): those of the messages the
        customer may read, the same rule as the portal chatter (not internal,
        subtype not internal), those of the customer's own messages and the
        files they uploaded with the portal form. Never a file of an internal
        note."""
        self.ensure_one()
        Message = self.env["mail.message"].sudo()
        customer = self.partner_id.commercial_partner_id
        readable = Message._get_search_domain_share()
        if customer:
            readable = OR([readable, [("author_id", "child_of", customer.id)]])
        messages = Message.search(
            AND(
                [
                    self._fields["website_message_ids"].get_domain_list(self),
                    [("res_id", "=", self.id), ("attachment_ids", "!=", False)],
                    readable,
                ]
            )
        )
        uploads = [("id", "in", messages.attachment_ids.ids)]
        if customer:
            uploads = OR(
                [
                    uploads,
                    [
                        ("create_uid.share", "=", True),
                        ("create_uid.partner_id", "child_of", customer.id),
                    ],
                ]
            )
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                AND(
                    [
                        [("res_model", "=", self._name), ("res_id", "=", self.id)],
                        uploads,
                    ]
                ),
                order="id",
            )
        )

    def _complaint_portal_vehicle(self):
        """The complaint's vehicle as shown on the customer's portal pages:
        none when it is driven by another customer (linked by mistake), so
        no page shows another customer's plate or VIN."""
        self.ensure_one()
        driver = self.vehicle_id.driver_id.commercial_partner_id
        if driver and driver != self.partner_id.commercial_partner_id:
            return self.vehicle_id.browse()
        return self.vehicle_id

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

    # -- license plates ----------------------------------------------------------
    @api.model
    def _complaint_plate_matches(self, text, pattern=None):
        """(normalized plate, plate as written) for every run of one to four
        consecutive groups of a match of the company's plate pattern, with at
        least one digit and 4 to 12 characters, first occurrence only."""
        if not text:
            return []
        try:
            regex = re.compile(pattern or DEFAULT_PLATE_PATTERN, re.IGNORECASE)
        except re.error:
            regex = re.compile(DEFAULT_PLATE_PATTERN, re.IGNORECASE)
        found = {}
        for match in regex.finditer(text[:INTAKE_TEXT_LIMIT]):
            group = match.group()
            tokens = list(PLATE_TOKEN.finditer(group))
            for start in range(len(tokens)):
                for end in range(start + 1, min(start + 4, len(tokens)) + 1):
                    run = tokens[start:end]
                    plate = normalize_plate("".join(t.group() for t in run))
                    if (
                        plate
                        and 4 <= len(plate) <= 12
                        and any(c.isdigit() for c in plate)
                        and plate not in found
                    ):
                        found[plate] = group[run[0].start() : run[-1].end()]
            if len(found) > 500:
                break
        return list(found.items())

    @api.model
    def _complaint_plate_candidates(self, text, pattern=None):
        """Normalized plates that may be written in `text` (see
        _complaint_plate_matches)."""
        return [plate for plate, __ in self._complaint_plate_matches(text, pattern)]

    @api.model
    def _complaint_find_vehicle(self, texts, partner=None, company=None):
        """The customer's own vehicle (driven by them or a contact of their
        company) whose plate appears in the first of `texts` naming one
        (subject before body). Never another customer's: the complaint's
        portal page would show that car's data to the sender."""
        company = company or self.env.company
        Vehicle = self.env["fleet.vehicle"].sudo()
        if not partner:
            return Vehicle
        pattern = company.complaint_plate_pattern
        by_text = [self._complaint_plate_candidates(text, pattern) for text in texts]
        plates = list(dict.fromkeys(plate for found in by_text for plate in found))
        if not plates:
            return Vehicle
        # One search for every text; the first text naming one wins.
        vehicles = Vehicle.search_fetch(
            [
                ("license_plate_normalized", "in", plates),
                ("company_id", "in", [company.id, False]),
                ("driver_id", "child_of", partner.commercial_partner_id.id),
            ],
            ["license_plate_normalized"],
        )
        return self._complaint_first_named(
            vehicles, "license_plate_normalized", by_text
        )

    @api.model
    def _complaint_first_named(self, records, fname, by_text):
        """The record of `records` whose `fname` comes first in the first
        list of `by_text` (candidates found in each text, in the order they
        were written) that names one; else an empty recordset."""
        for candidates in by_text:
            named = records.filtered(lambda r, c=candidates: r[fname] in c)
            if named:
                return named.sorted(lambda r, c=candidates: c.index(r[fname]))[:1]
        return records.browse()

    @api.model
    def _complaint_plate_as_written(self, texts, company=None):
        """The first plate of a known vehicle written in `texts`, as written,
        whoever drives it: kept for the handler when no vehicle is linked
        (another customer's car, or a sender to review)."""
        company = company or self.env.company
        Vehicle = self.env["fleet.vehicle"].sudo()
        for text in texts:
            matches = dict(
                self._complaint_plate_matches(text, company.complaint_plate_pattern)
            )
            if not matches:
                continue
            plates = Vehicle.search_fetch(
                [
                    ("license_plate_normalized", "in", list(matches)),
                    ("company_id", "in", [company.id, False]),
                ],
                ["license_plate_normalized"],
            ).mapped("license_plate_normalized")
            for plate, written in matches.items():
                if plate in plates:
                    return written
        return False

    # -- senders -----------------------------------------------------------------
    @api.model
    def _complaint_signature_phones(self, text):
        """Phone numbers in the last lines of a plain-text message."""
        lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
        phones = []
        for line in lines[-10:]:
            phones.extend(m.group() for m in SIGNATURE_PHONE.finditer(line))
        return phones[:5]

    @api.model
    def _complaint_internal_sender(self, msg_dict):
        """The internal user (employee) who sent the mail, by the author the
        gateway found or by the sender address: an employee forwarding a
        customer's mail is not the customer. One query for both."""
        Users = self.env["res.users"].sudo()
        author_id = msg_dict.get("author_id") or False
        email = email_normalize(msg_dict.get("email_from") or "")
        senders = []
        if author_id:
            senders.append([("partner_id", "=", author_id)])
        if email:
            senders.append([("partner_id.email_normalized", "=", email)])
        if not senders:
            return Users
        users = Users.search_fetch(
            AND([[("share", "=", False)], OR(senders)]), ["partner_id"]
        )
        return users.filtered(lambda u: u.partner_id.id == author_id)[:1] or users[:1]

    @api.model
    def _complaint_forwarded_sender(self, body_text):
        """The 'From:' address of the first forwarded header block in a
        plain-text body, or ''."""
        for match in FORWARDED_FROM.finditer((body_text or "")[:INTAKE_TEXT_LIMIT]):
            if email_normalize(match.group(1).strip()):
                return match.group(1).strip()
        return ""

    @api.model
    def _complaint_partner_from_mail(self, msg_dict, body_text, employee=None):
        """(partner, to_review): the sender's customer, matched by the author
        the mail gateway found, by e-mail, then by a phone in the signature;
        else a new contact from the sender address, to review. A mail from an
        employee's address (forwarded) is always to review: its customer is
        the forwarded sender when known, else a new contact."""
        Partner = self.env["res.partner"].sudo()
        email_from = msg_dict.get("email_from") or ""
        if employee is None:
            employee = self._complaint_internal_sender(msg_dict)
        if employee:
            forwarded = self._complaint_forwarded_sender(body_text)
            if forwarded and self._complaint_internal_sender({"email_from": forwarded}):
                forwarded = ""  # forwarded between employees
            partner = self.sudo()._complaint_match_partner(forwarded)
            if partner:
                return partner, True
            return self._complaint_new_mail_contact(forwarded, employee), True
        author = Partner.browse(msg_dict.get("author_id") or []).exists()
        if author:
            return author, False
        partner = self.sudo()._complaint_match_partner(email_from)
        if partner:
            return partner, False
        for phone in self._complaint_signature_phones(body_text):
            partner = self.sudo()._complaint_match_partner(phone=phone)
            if partner:
                return partner, False
        return self._complaint_new_mail_contact(email_from), True

    @api.model
    def _complaint_new_mail_contact(self, email_from, employee=None):
        """A contact created from a mail's sender (`email_from`, maybe empty),
        to check against the existing customers."""
        name, email = parse_contact_from_email(email_from or "")
        email = email_normalize(email) or False
        if employee:
            comment = self.env._(
                "Created from an e-mail forwarded to the complaint team by "
                "%(employee)s (forwarded sender: %(sender)s). Check it against "
                "the existing customers.",
                employee=employee.name,
                sender=email_from or "-",
            )
        else:
            comment = self.env._(
                "Created from an e-mail to the complaint team (sender: "
                "%(sender)s). Check it against the existing customers.",
                sender=email_from or "-",
            )
        return (
            self.env["res.partner"]
            .sudo()
            .create(
                {
                    "name": name or email or self.env._("Unknown sender"),
                    "email": email,
                    "comment": comment,
                }
            )
        )

    # -- mail gateway ------------------------------------------------------------
    @api.model
    def _complaint_mail_values(self, msg_dict, custom_values, employee=None):
        """Values of a complaint created from an e-mail (see message_new);
        `employee`: the internal user who sent it, if any."""
        team = self.env["helpdesk.ticket.team"].browse(custom_values.get("team_id"))
        company = self.env["res.company"].browse(custom_values.get("company_id"))
        company = company or team.company_id or self.env.company
        subject = (msg_dict.get("subject") or "").strip()
        body = msg_dict.get("body") or ""
        body_text = "" if is_html_empty(body) else html2plaintext(body)
        if employee is None:
            employee = self._complaint_internal_sender(msg_dict)
        partner, to_review = self._complaint_partner_from_mail(
            msg_dict, body_text, employee=employee
        )
        email_from = msg_dict.get("email_from") or ""
        values = {
            "is_complaint": True,
            "partner_id": partner.id,
            "partner_name": partner.name,
            # Never the forwarding employee's address as the customer's.
            "partner_email": partner.email or (not employee and email_from) or False,
            "complaint_sender": email_from[:512] or False,
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
        texts = [subject, body_text]
        # A new contact drives no vehicle: nothing is linked for a sender to
        # review unless matched to an existing customer.
        vehicle = self._complaint_find_vehicle(texts, partner=partner, company=company)
        if vehicle:
            values["vehicle_id"] = vehicle.id
        else:
            values["complaint_plate_text"] = self._complaint_plate_as_written(
                texts, company=company
            )
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
        employee = self._complaint_internal_sender(msg_dict)
        values = self._complaint_mail_values(msg_dict, custom_values, employee)
        custom_values.update(values)
        msg_new = msg_dict
        if employee:
            # mail.thread copies the sender into partner_email: not the
            # forwarding employee's address as the customer's.
            msg_new = dict(msg_dict, email_from=values["partner_email"])
        complaint = super().message_new(msg_new, custom_values=custom_values)
        if employee:
            complaint._complaint_log(
                self.env._(
                    "This complaint came from the address of %(employee)s, an "
                    "employee: the customer was taken from the forwarded message, "
                    "or created as a new contact. Check the customer, then untick "
                    "Sender to review.",
                    employee=employee.name,
                )
            )
        _logger.info(
            "Complaint %s created from e-mail %s (sender %s%s)",
            complaint.number,
            msg_dict.get("message_id"),
            msg_dict.get("email_from"),
            ", to review" if complaint.complaint_sender_review else "",
        )
        return complaint
