"""Finding the caller: the complaint's phone (any format), the customer by
phone, e-mail or number, and the customer's vehicles, as the front desk
registers a complaint on the phone."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv.expression import AND, FALSE_DOMAIN, OR
from odoo.tools import email_normalize


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # -- fields ------------------------------------------------------------------

    partner_phone = fields.Char(
        string="Phone",
        compute="_compute_partner_phone",
        store=True,
        readonly=False,
        precompute=True,
    )
    # Searched by phone (complaint_phone_search): an index, so that the OR
    # with the customer's and the matched ids is an index union, not a scan.
    phone_sanitized = fields.Char(index="btree_not_null")
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
    complaint_any_vehicle = fields.Boolean(
        string="Another customer's vehicle",
        compute="_compute_complaint_any_vehicle",
        readonly=False,
        help="Offer every vehicle, not only the customer's (a car brought in by "
        "someone else than its registered driver).",
    )

    # -- phones ------------------------------------------------------------------
    @api.depends("partner_id")
    def _compute_partner_phone(self):
        for ticket in self:
            partner = ticket.partner_id
            ticket.partner_phone = (
                (partner.mobile or partner.phone or False)
                if partner
                else ticket.partner_phone
            )

    def _complaint_phone_numbers(self):
        """Numbers to reach the customer at, best first and without
        duplicates: the complaint's own phone (the caller's number; the
        customer's mobile or phone by default), the customer's mobile, phone.
        Calls and SMS take them in this order."""
        self.ensure_one()
        partner = self.partner_id
        numbers = (self.partner_phone, partner.mobile, partner.phone)
        return list(dict.fromkeys(n for n in numbers if n))

    def _phone_get_number_fields(self):
        return ["partner_phone"]

    def _phone_get_country(self):
        # Without the customer's country, a number is read in the country of
        # the complaint's company (phone_validation takes the current user's
        # company), from its partner: res.company.country_id is computed
        # through address_get, one more query per complaint saved.
        countries = super()._phone_get_country()
        for ticket in self:
            country = ticket.company_id.partner_id.country_id
            if ticket.id not in countries and country:
                countries[ticket.id] = country
        return countries

    @api.depends("partner_phone", "phone_sanitized", "partner_id")
    def _compute_phone_warning(self):
        for ticket in self:
            # Judged once the customer is known: their country decides, not
            # the company's (no false alarm while the caller is looked up).
            invalid = (
                ticket.partner_phone
                and ticket.partner_id
                and not ticket.phone_sanitized
            )
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
        # The ticket's or its customer's phone, typed in any format.
        Partner = self.env["res.partner"]
        own = Partner._complaint_phone_domain(value)
        if not own:
            return FALSE_DOMAIN
        # The customers' ids first (a phone is someone's: a few ids), so that
        # PostgreSQL joins three indexes instead of scanning every ticket.
        customers = Partner.with_context(active_test=False).search(own)
        return OR([own, [("partner_id", "in", customers.ids)]])

    # -- the call: phone or plate first, then customer and vehicle ---------------
    def _compute_complaint_any_vehicle(self):
        for ticket in self:
            ticket.complaint_any_vehicle = bool(
                ticket.vehicle_id
                and ticket.partner_id
                and ticket.vehicle_id.driver_id.commercial_partner_id
                != ticket.partner_id.commercial_partner_id
            )

    @api.onchange("partner_phone")
    def _onchange_complaint_phone_customer(self):
        """The caller's number typed first selects the customer who has it
        (when only one has it); the number stays as typed."""
        if self.partner_id or not self.partner_phone or not self.is_complaint:
            return
        Partner = self.env["res.partner"]
        domain = Partner._complaint_phone_domain(self.partner_phone)
        partners = Partner.search(domain, limit=2) if domain else Partner
        if len(partners) == 1:
            typed = self.partner_phone
            self.partner_id = partners
            self.partner_phone = typed

    @api.onchange("vehicle_id")
    def _onchange_complaint_vehicle_customer(self):
        """A vehicle picked first fills in its driver as the customer."""
        if self.vehicle_id and not self.partner_id and self.vehicle_id.driver_id:
            self.partner_id = self.vehicle_id.driver_id

    @api.onchange("partner_id")
    def _onchange_complaint_customer_vehicle(self):
        """The customer's only vehicle is preselected; another customer's
        vehicle is dropped unless asked for."""
        if not (self.is_complaint and self.partner_id):
            return
        customer = self.partner_id.commercial_partner_id
        if self.vehicle_id.driver_id.commercial_partner_id == customer:
            return
        if self.vehicle_id and self.complaint_any_vehicle:
            return
        vehicles = self.env["fleet.vehicle"].search(
            [("driver_id.commercial_partner_id", "=", customer.id)], limit=2
        )
        self.vehicle_id = vehicles if len(vehicles) == 1 else False

    @api.model
    def _complaint_match_partner(self, email=None, phone=None):
        """Existing customer by e-mail, else by phone compared in E.164. The
        contacts of internal users are never matched: an employee's address
        or phone (a forwarded mail, a signature) does not make them the
        customer."""
        Partner = self.env["res.partner"]
        not_employee = [("user_ids", "not any", [("share", "=", False)])]
        normalized = email and email_normalize(email)
        if normalized:
            partner = Partner.search(
                AND([[("email_normalized", "=", normalized)], not_employee]),
                limit=1,
            )
            if partner:
                return partner
        if phone:
            sanitized = Partner._phone_format(
                number=phone, country=self.env.company.country_id
            )
            if sanitized:
                return Partner.search(
                    AND([[("phone_sanitized", "=", sanitized)], not_employee]),
                    limit=1,
                )
        return Partner.browse()
