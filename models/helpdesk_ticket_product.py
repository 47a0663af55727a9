"""Product complaints: the product (helpdesk_product's product_id), its
serial number (found however typed, like a plate), sale and installation
dates and the warranty state; a known serial in an e-mail."""

import re

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv.expression import FALSE_DOMAIN
from odoo.tools import SQL, html2plaintext, is_html_empty

from ..const import INTAKE_TEXT_LIMIT, WARRANTY_STATES
from .fleet_vehicle import normalize_plate

# A serial number as written: letters/digits groups joined by separators.
SERIAL_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-./][A-Za-z0-9]+)*")


def normalize_serial(serial):
    """Serial number without separators, upper case (as plates are)."""
    return normalize_plate(serial)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    product_serial = fields.Char(
        string="Serial number",
        tracking=True,
        copy=False,
        help="Serial number of the product complained about, as written.",
    )
    product_serial_normalized = fields.Char(
        string="Normalized serial number",
        compute="_compute_product_serial_normalized",
        store=True,
        index="btree_not_null",
        help="Serial number without spaces, dashes and dots, in upper case: "
        "searches and e-mails are matched on it.",
    )
    product_sale_date = fields.Date(string="Sale date", tracking=True, copy=False)
    product_installation_date = fields.Date(string="Installation date", copy=False)
    product_warranty_end_date = fields.Date(
        string="Warranty until",
        compute="_compute_product_warranty",
        store=True,
        help="Sale date plus the product's warranty period.",
    )
    product_warranty_state = fields.Selection(
        selection=WARRANTY_STATES,
        string="Warranty",
        compute="_compute_product_warranty",
        store=True,
        help="Judged on the complaint's registration date: a complaint "
        "registered under warranty stays a warranty case while it is handled. "
        "Unknown without a sale date or a warranty period on the product.",
    )
    complaint_serial_search = fields.Char(
        string="Serial number search",
        compute="_compute_complaint_serial_search",
        search="_search_complaint_serial_search",
        help="Finds a serial number typed with or without separators, in part.",
    )

    @api.model
    def _complaint_comeback_keys(self):
        # The same unit comes back: same customer, product and serial number
        # (complaints without a serial on both sides: the same product).
        keys = super()._complaint_comeback_keys()
        keys["product"] = SQL(
            "n.commercial_partner_id = e.commercial_partner_id "
            "AND n.product_id = e.product_id "
            "AND coalesce(n.product_serial_normalized, '') "
            "= coalesce(e.product_serial_normalized, '')"
        )
        return keys

    @api.depends("product_serial")
    def _compute_product_serial_normalized(self):
        for ticket in self:
            ticket.product_serial_normalized = normalize_serial(ticket.product_serial)

    @api.depends(
        "product_sale_date",
        "product_id.product_tmpl_id.complaint_warranty_months",
        "complaint_date",
    )
    def _compute_product_warranty(self):
        today = fields.Date.context_today(self)
        for ticket in self:
            months = ticket.product_id.product_tmpl_id.complaint_warranty_months
            end = (
                ticket.product_sale_date + relativedelta(months=months)
                if ticket.product_sale_date and months > 0
                else False
            )
            ticket.product_warranty_end_date = end
            if not end:
                ticket.product_warranty_state = "unknown"
                continue
            registered = (
                fields.Date.to_date(ticket.complaint_date)
                if ticket.complaint_date
                else today
            )
            ticket.product_warranty_state = (
                "under_warranty" if registered <= end else "expired"
            )

    def _compute_complaint_serial_search(self):
        self.complaint_serial_search = False

    def _search_complaint_serial_search(self, operator, value):
        if operator not in ("ilike", "=", "=ilike") or not isinstance(value, str):
            raise ValidationError(self.env._("Unsupported search on serial number."))
        serial = normalize_serial(value)
        if not serial:
            return FALSE_DOMAIN
        if operator == "ilike":
            return [("product_serial_normalized", "ilike", serial)]
        return [("product_serial_normalized", "=", serial)]

    # -- e-mail intake -------------------------------------------------------------
    @api.model
    def _complaint_serial_candidates(self, text):
        """Normalized serial numbers that may be written in `text`: runs of
        one to four tokens of 4 to 40 characters with a digit."""
        if not text:
            return []
        tokens = [m.group() for m in SERIAL_TOKEN.finditer(text[:INTAKE_TEXT_LIMIT])]
        found = {}
        for index in range(len(tokens)):
            for end in range(index + 1, min(index + 4, len(tokens)) + 1):
                serial = normalize_serial("".join(tokens[index:end]))
                if (
                    serial
                    and 4 <= len(serial) <= 40
                    and any(c.isdigit() for c in serial)
                ):
                    found.setdefault(serial, True)
            if len(found) > 1000:
                break
        return list(found)

    @api.model
    def _complaint_find_serial(self, texts, partner=None, company=None):
        """The sender's own earlier complaint naming a serial number written in
        the first of `texts` that names one; never another customer's (its
        product data would show on the sender's portal page)."""
        company = company or self.env.company
        Ticket = self.sudo()
        if not partner:
            return Ticket.browse()
        by_text = [self._complaint_serial_candidates(text) for text in texts]
        serials = list(dict.fromkeys(serial for found in by_text for serial in found))
        if not serials:
            return Ticket.browse()
        # One search for every text; the first text naming one wins.
        known = Ticket.search_fetch(
            [
                ("product_serial_normalized", "in", serials),
                ("company_id", "in", [company.id, False]),
                ("partner_id", "child_of", partner.commercial_partner_id.id),
            ],
            ["product_serial_normalized"],
            order="id desc",
        )
        return self._complaint_first_named(known, "product_serial_normalized", by_text)

    @api.model
    def _complaint_product_values(self, known):
        """Product values copied from `known`, an earlier complaint."""
        return {
            "product_id": known.product_id.id,
            "product_serial": known.product_serial,
            "product_sale_date": known.product_sale_date,
            "product_installation_date": known.product_installation_date,
        }

    @api.model
    def _complaint_mail_values(self, msg_dict, custom_values, employee=None):
        values = super()._complaint_mail_values(msg_dict, custom_values, employee)
        partner = self.env["res.partner"].browse(values.get("partner_id"))
        company = self.env["res.company"].browse(custom_values.get("company_id"))
        body = msg_dict.get("body") or ""
        text = "" if is_html_empty(body) else html2plaintext(body)
        texts = [msg_dict.get("subject") or "", text]
        known = self._complaint_find_serial(texts, partner=partner, company=company)
        if known:
            values.update(self._complaint_product_values(known))
        return values
