# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Portal: a product and its serial number on a new complaint (customers
without vehicles), shown back on the complaint page."""

from odoo.http import request
from odoo.tools import plaintext2html

from .portal import CustomerPortalComplaint


class CustomerPortalComplaintProduct(CustomerPortalComplaint):
    def _prepare_complaint_vals(self, **kw):
        """The serial typed is matched on the customer's own earlier
        complaints (their product data is copied); a product name typed is
        matched on the products open to tickets; what matches nothing is kept
        in the description, never lost."""
        vals = super()._prepare_complaint_vals(**kw)
        serial = (kw.get("product_serial") or "").strip()[:100]
        product_text = (kw.get("product_text") or "").strip()[:200]
        if not (serial or product_text):
            return vals
        Ticket = request.env["helpdesk.ticket"]
        partner = request.env.user.partner_id
        known = serial and Ticket._complaint_find_serial([serial], partner=partner)
        if known:
            vals.update(Ticket._complaint_product_values(known))
        product = request.env["product.product"].browse()
        if product_text and not vals.get("product_id"):
            product = (
                request.env["product.product"]
                .sudo()
                .search(
                    [
                        ("ticket_active", "=", True),
                        "|",
                        ("name", "=ilike", product_text),
                        ("default_code", "=ilike", product_text),
                    ],
                    limit=2,
                )
            )
            if len(product) == 1:
                vals["product_id"] = product.id
        if serial:
            vals["product_serial"] = serial
        if product_text and not vals.get("product_id"):
            vals["description"] += plaintext2html(
                request.env._("Product: %(product)s", product=product_text)
            )
        return vals
