import re

import phonenumbers

from odoo import api, fields, models
from odoo.osv.expression import OR

from ..const import PHONE_LIKE, PHONE_MIN_DIGITS


class ResPartner(models.Model):
    _inherit = "res.partner"

    complaint_count = fields.Integer(compute="_compute_complaint_count")
    complaint_notify_optout = fields.Boolean(
        string="No complaint updates",
        help="Do not send this customer the SMS and e-mails about the progress "
        "of their complaints (on top of the e-mail and phone blacklists).",
    )

    def signup_prepare(self, signup_type="signup"):
        # The portal prepares the customer's sign-up at every notification on
        # their records (the link in the e-mail): a write of the same value is
        # an UPDATE of the customer's row all the same, which collides with
        # the scheduled action notifying that customer (serialization
        # failures, retried after up to seconds). The token depends on the
        # type only, so skipping an unchanged one changes nothing.
        todo = self.filtered(lambda partner: partner.sudo().signup_type != signup_type)
        return super(ResPartner, todo).signup_prepare(signup_type=signup_type)

    def _compute_complaint_count(self):
        # Contacts count towards their company (child_of), as helpdesk_mgmt's
        # ticket counter does: one grouped query, then summed up the tree.
        partners = self.filtered("id")
        (self - partners).complaint_count = 0
        if not partners:
            return
        groups = self.env["helpdesk.ticket"]._read_group(
            [("is_complaint", "=", True), ("partner_id", "child_of", partners.ids)],
            ["partner_id"],
            ["__count"],
        )
        counts = dict.fromkeys(partners.ids, 0)
        for customer, count in groups:
            while customer:
                if customer.id in counts:
                    counts[customer.id] += count
                customer = customer.parent_id
        for partner in partners:
            partner.complaint_count = counts[partner.id]

    def action_view_complaints(self):
        self.ensure_one()
        return self.env["helpdesk.ticket"]._complaint_action(
            [("partner_id", "child_of", self.id)], partner_id=self.id
        )

    # -- lookup by phone (complaint form's Customer field, search bar) ------------
    @api.model
    def _complaint_national_digits(self, number):
        """The number's digits without international prefix, country code or
        trunk zeros: ``+972 50-123-4567`` and ``050-123 4567`` both give
        ``501234567``. Parsed without validation, so numbers phonenumbers
        rejects still compare; False when too short to be a phone number."""
        digits = re.sub(r"\D", "", number or "")
        if (number or "").strip().startswith(("+", "00")):
            try:
                parsed = phonenumbers.parse("+" + digits.removeprefix("00"))
                digits = str(parsed.national_number)
            except phonenumbers.NumberParseException:
                digits = digits.removeprefix("00")
        digits = digits.lstrip("0")
        return digits if len(digits) >= PHONE_MIN_DIGITS else False

    @api.model
    def _complaint_phone_domain(self, number):
        """Domain finding `number` typed in any format among the phones of
        records of any mail.thread.phone model: its E.164 form in the
        company's country, else its national digits contained in the stored
        digits."""
        if not (number and PHONE_LIKE.fullmatch(number.strip())):
            return []
        national = self._complaint_national_digits(number)
        if not national:
            return []
        domain = [("phone_mobile_search", "ilike", national)]
        sanitized = self._phone_format(
            number=number, country=self.env.company.country_id
        )
        if sanitized:
            domain = OR([domain, [("phone_sanitized", "=", sanitized)]])
        return domain

    @api.model
    def _search_display_name(self, operator, value):
        """On the complaint form (context ``complaint_partner_search``), the
        Customer field also finds the caller by phone, typed in any format
        (name, e-mail and customer number are searched by core)."""
        domain = super()._search_display_name(operator, value)
        if (
            self.env.context.get("complaint_partner_search")
            and operator in ("ilike", "=ilike")
            and isinstance(value, str)
        ):
            phone_domain = self._complaint_phone_domain(value)
            if phone_domain:
                domain = OR([domain, phone_domain])
        return domain
