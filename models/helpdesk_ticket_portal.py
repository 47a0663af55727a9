# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the customer reads about a complaint on the portal: the state in
their words (the review states are the officers' vocabulary) and the promise
in their time zone, without seconds, as in the acknowledgement mail."""

import babel.dates

from odoo import api, fields, models
from odoo.tools.misc import babel_locale_parse, format_datetime, get_lang, posix_to_ldml

from ..const import PORTAL_STATE_LABELS, PORTAL_URGENCY_BADGES


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    complaint_portal_state = fields.Char(
        string="State for the customer",
        compute="_compute_complaint_portal_state",
        help="The review state as the customer reads it on the portal.",
    )

    @api.depends("complaint_state", "stage_id")
    @api.depends_context("lang")
    def _compute_complaint_portal_state(self):
        for ticket in self:
            label = PORTAL_STATE_LABELS.get(ticket.complaint_state)
            ticket.complaint_portal_state = (
                self.env._(label) if label else ticket.stage_id.name
            )

    def _complaint_promised_date(self):
        """The SLA deadline in the customer's time zone (else the company's),
        short format: the words of the acknowledgement mail and SMS."""
        self.ensure_one()
        if not self.sla_deadline:
            return ""
        tz = self.partner_id.tz or self.company_id.partner_id.tz or "UTC"
        return format_datetime(self.env, self.sla_deadline, tz=tz, dt_format="short")

    def _complaint_portal_rows(self):
        """{id: what the portal list shows of the complaint}, read in one
        batch and formatted once. The list prints every complaint twice (a
        card on a phone, a table row on a wider screen): plain values there,
        no field widget nor sub-template per complaint."""
        lang = get_lang(self.env)
        locale = babel_locale_parse(lang.code)
        date_format = posix_to_ldml(lang.date_format, locale=locale)
        urgencies = dict(self._fields["urgency"]._description_selection(self.env))
        rows = {}
        for ticket in self:
            registered = fields.Datetime.context_timestamp(
                ticket, ticket.complaint_date
            )
            promise = bool(ticket.sla_deadline and not ticket.closed)
            rows[ticket.id] = {
                "plate": ticket._complaint_portal_vehicle().license_plate or "",
                "date": babel.dates.format_date(
                    registered, format=date_format, locale=locale
                ),
                "urgency": urgencies.get(ticket.urgency, ""),
                "urgency_badge": PORTAL_URGENCY_BADGES.get(
                    ticket.urgency, "text-bg-success"
                ),
                "state": ticket.complaint_portal_state,
                "promise": promise,
                "promised": promise and ticket._complaint_promised_date(),
                "overdue": promise and ticket.sla_expired,
                "relative": promise and ticket.sla_deadline_relative,
            }
        return rows
