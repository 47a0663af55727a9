# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer portal of complaints: /my/complaints (list, search, sort, pager),
/my/complaint/<id> (detail with the public history, access tokens) and
/my/complaints/new (a complaint tied to one of the customer's vehicles).

Complaints are helpdesk tickets: helpdesk_mgmt's /my/tickets pages keep the
ordinary tickets, and send a complaint's visitor to its complaint page."""

import base64
import logging

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.osv.expression import AND, OR
from odoo.tools import plaintext2html

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.fleet_vehicle import normalize_plate

_logger = logging.getLogger(__name__)

COMPLAINT_DOMAIN = [("is_complaint", "=", True)]


class ComplaintTicketController(HelpdeskTicketController):
    @http.route()
    def support_ticket_close(self, **kw):
        # helpdesk_mgmt closes any ticket by id (sudo); complaints are closed
        # by the customer-relations officer only.
        ticket_id = kw.get("ticket_id")
        if ticket_id and str(ticket_id).isdigit():
            ticket = request.env["helpdesk.ticket"].sudo().browse(int(ticket_id))
            if ticket.exists() and ticket.is_complaint:
                raise request.not_found()
        return super().support_ticket_close(**kw)

    def _get_teams(self):
        # Complaints are opened from /my/complaints/new (vehicle, source Web,
        # acknowledgement), not from the generic ticket form.
        return super()._get_teams().filtered(lambda team: not team.is_complaint)


class CustomerPortalComplaint(CustomerPortalHelpdesk):
    # -- home counters -------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        Ticket = request.env["helpdesk.ticket"]
        if "ticket_count" in counters:
            values["ticket_count"] = (
                Ticket.search_count([("is_complaint", "=", False)])
                if Ticket.has_access("read")
                else 0
            )
        if "complaint_count" in counters:
            values["complaint_count"] = (
                Ticket.search_count(self._complaint_domain())
                if Ticket.has_access("read")
                else 0
            )
        return values

    # -- ordinary tickets keep their pages, without the complaints -------------

    @http.route()
    def portal_my_tickets(self, *args, **kw):
        request.update_context(helpdesk_ticket_exclude_complaints=True)
        return super().portal_my_tickets(*args, **kw)

    @http.route()
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        try:
            ticket = self._document_check_access(
                "helpdesk.ticket", ticket_id, access_token=access_token
            )
        except (AccessError, MissingError):
            # helpdesk_mgmt's answer for any ticket out of reach: nothing
            # tells whether it is a complaint.
            ticket = request.env["helpdesk.ticket"]
        if ticket.is_complaint:
            url = f"/my/complaint/{ticket.id}"
            if access_token:
                url += f"?access_token={access_token}"
            return request.redirect(url)
        return super().portal_my_ticket(ticket_id, access_token=access_token, **kw)

    # -- complaints list ---------------------------------------------------------

    def _complaint_domain(self):
        # Record rules restrict portal users to their commercial partner's
        # complaints; the explicit condition keeps the list the customer's own
        # for employees who also use the portal.
        partner = request.env.user.partner_id
        return AND(
            [
                COMPLAINT_DOMAIN,
                [("partner_id", "child_of", partner.commercial_partner_id.id)],
            ]
        )

    def _complaint_get_searchbar_sortings(self):
        return {
            "date": {
                "label": request.env._("Newest"),
                "order": "complaint_date desc, id desc",
            },
            "state": {
                "label": request.env._("State"),
                "order": "stage_id, complaint_date desc, id desc",
            },
            "urgency": {
                # Selection values sort high < medium < normal: most urgent first.
                "label": request.env._("Urgency"),
                "order": "urgency, complaint_date desc, id desc",
            },
        }

    def _complaint_get_searchbar_inputs(self):
        return {
            "all": {"input": "all", "label": request.env._("Search in All")},
            "number": {"input": "number", "label": request.env._("Search in Number")},
            "name": {"input": "name", "label": request.env._("Search in Title")},
            "plate": {
                "input": "plate",
                "label": request.env._("Search in License plate"),
            },
        }

    def _complaint_get_search_domain(self, search_in, search):
        domains = []
        if search_in in ("number", "all"):
            domains.append([("number", "ilike", search)])
        if search_in in ("name", "all"):
            domains.append([("name", "ilike", search)])
        plate = normalize_plate(search)
        if plate and search_in in ("plate", "all"):
            # However the plate is typed, in part too ("47krs" for "LJ 47-KRS");
            # the complaints' own rules still restrict the result.
            vehicles = (
                request.env["fleet.vehicle"]
                .sudo()
                ._search([("license_plate_normalized", "ilike", plate)])
            )
            domains.append([("vehicle_id", "in", vehicles)])
        return OR(domains) if domains else []

    def _complaint_get_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "open": {
                "label": request.env._("Open"),
                "domain": [("closed", "=", False)],
            },
            "closed": {
                "label": request.env._("Closed"),
                "domain": [("closed", "=", True)],
            },
        }

    def _prepare_complaints_values(
        self, page=1, sortby=None, filterby=None, search=None, search_in=None, **kw
    ):
        Ticket = request.env["helpdesk.ticket"]
        sortings = self._complaint_get_searchbar_sortings()
        sortby = sortby if sortby in sortings else "date"
        filters = self._complaint_get_searchbar_filters()
        filterby = filterby if filterby in filters else "all"
        inputs = self._complaint_get_searchbar_inputs()
        search_in = search_in if search_in in inputs else "all"
        domain = AND([self._complaint_domain(), filters[filterby]["domain"]])
        if search:
            domain = AND([domain, self._complaint_get_search_domain(search_in, search)])
        count = Ticket.search_count(domain)
        pager = portal_pager(
            url="/my/complaints",
            url_args={
                "sortby": sortby,
                "filterby": filterby,
                "search": search,
                "search_in": search_in,
            },
            total=count,
            page=page,
            step=self._items_per_page,
        )
        complaints = Ticket.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_complaints_history"] = complaints.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                # Rows were filtered with the user's rights: read them (stage,
                # vehicle) in one batch as superuser.
                "complaints": complaints.sudo(),
                "page_name": "complaint",
                "default_url": "/my/complaints",
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
                "searchbar_inputs": inputs,
                "search_in": search_in,
                "search": search,
            }
        )
        return values

    @http.route(
        ["/my/complaints", "/my/complaints/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_complaints(self, **kw):
        if not request.env["helpdesk.ticket"].has_access("read"):
            return request.redirect("/my")
        values = self._prepare_complaints_values(**kw)
        return request.render("helpdesk_mgmt_complaint.portal_my_complaints", values)

    # -- complaint page ------------------------------------------------------------

    def _complaint_check_access(self, complaint_id, access_token=None):
        """The complaint, sudoed, if the visitor may see it (own complaint, or a
        valid access token); the same 404 for another's or a missing one."""
        try:
            complaint_sudo = self._document_check_access(
                "helpdesk.ticket", complaint_id, access_token=access_token
            )
        except (AccessError, MissingError) as error:
            raise request.not_found() from error
        if not complaint_sudo.is_complaint:
            raise request.not_found()
        return complaint_sudo

    @http.route(
        ["/my/complaint/<int:complaint_id>"], type="http", auth="public", website=True
    )
    def portal_my_complaint(self, complaint_id, access_token=None, **kw):
        if not access_token and request.env.user._is_public():
            # A link without token (e-mail, bookmark): log in first, whatever
            # the id (nothing is told about the complaint before).
            return request.redirect(
                f"/web/login?redirect=/my/complaint/{int(complaint_id)}"
            )
        complaint_sudo = self._complaint_check_access(complaint_id, access_token)
        values = self._complaint_get_page_view_values(
            complaint_sudo, access_token, **kw
        )
        return request.render("helpdesk_mgmt_complaint.portal_complaint_page", values)

    def _complaint_get_page_view_values(self, complaint_sudo, access_token, **kw):
        """Values of the complaint page, as core's _<thing>_get_page_view_values."""
        # Only the files the customer may see get an access token (a token
        # opens /web/content to anyone holding the link).
        attachments = complaint_sudo._complaint_portal_attachments()
        attachments.generate_access_token()
        values = {
            "complaint": complaint_sudo,
            "attachments": attachments,
            "vehicle": complaint_sudo._complaint_portal_vehicle(),
            "row": complaint_sudo._complaint_portal_rows()[complaint_sudo.id],
            "page_name": "complaint",
            "user": request.env.user,
            "created": kw.get("created"),
        }
        return self._get_page_view_values(
            complaint_sudo,
            access_token,
            values,
            "my_complaints_history",
            False,
            **kw,
        )

    # -- new complaint ---------------------------------------------------------------

    def _complaint_new_values(self, **kw):
        partner = request.env.user.partner_id
        session_info = request.env["ir.http"].session_info()
        vehicles = request.env["helpdesk.ticket"]._complaint_customer_vehicles(partner)
        # The customer's only car is the one the complaint is about, unless
        # the form comes back with another choice ("Not listed" included).
        selected = kw.get("vehicle_id")
        if selected is None and len(vehicles) == 1:
            selected = str(vehicles.id)
        return {
            "page_name": "complaint_new",
            "vehicles": vehicles,
            "selected_vehicle_id": selected or "",
            "max_upload_size": session_info["max_file_upload_size"],
            "error": kw.get("error"),
            "form": kw,
        }

    @http.route("/my/complaints/new", type="http", auth="user", website=True)
    def portal_new_complaint(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update(self._complaint_new_values(**kw))
        return request.render("helpdesk_mgmt_complaint.portal_new_complaint", values)

    def _prepare_complaint_vals(self, **kw):
        """Values of a complaint submitted on the portal; the vehicle must be
        one of the customer's, a plate typed as text is matched the same way."""
        Ticket = request.env["helpdesk.ticket"]
        partner = request.env.user.partner_id
        company = request.env.company
        team = Ticket._complaint_intake_team(company)
        vehicle_id = kw.get("vehicle_id") or ""
        vehicle_text = (kw.get("vehicle_text") or "").strip()
        # The customer's vehicles, looked up only when the form names one.
        vehicles = (
            Ticket._complaint_customer_vehicles(partner)
            if vehicle_id or vehicle_text
            else request.env["fleet.vehicle"]
        )
        vehicle = vehicles.browse()
        if vehicle_id.isdigit():
            vehicle = vehicles.filtered(lambda v: v.id == int(vehicle_id))
        description = (kw.get("description") or "").strip()
        if not vehicle and vehicle_text:
            found = Ticket._complaint_find_vehicle(
                [vehicle_text], partner=partner, company=company
            )
            vehicle = found & vehicles
            if not vehicle:
                description += "\n\n" + request.env._(
                    "Vehicle: %(vehicle)s", vehicle=vehicle_text
                )
        channel = request.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_channel_web", raise_if_not_found=False
        )
        return {
            "is_complaint": True,
            "team_id": team.id,
            "company_id": (team.company_id or company).id,
            "name": (kw.get("subject") or "").strip()[:250],
            "description": plaintext2html(description),
            "partner_id": partner.id,
            "partner_name": partner.name,
            "partner_email": partner.email,
            "channel_id": channel.id if channel else False,
            "vehicle_id": vehicle.id,
        }

    @http.route(
        "/my/complaints/submit",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
        csrf=True,
    )
    def portal_submit_complaint(self, **kw):
        if (
            not (kw.get("subject") or "").strip()
            or not (kw.get("description") or "").strip()
        ):
            kw["error"] = request.env._(
                "Give a title and describe the problem, please."
            )
            return self.portal_new_complaint(**kw)
        vals = self._prepare_complaint_vals(**kw)
        # Portal users cannot create tickets: registered as superuser, for the
        # logged-in customer only (values built above, not taken from the form).
        complaint = request.env["helpdesk.ticket"].sudo().create(vals)
        complaint.message_subscribe(partner_ids=request.env.user.partner_id.ids)
        files = [
            f for f in request.httprequest.files.getlist("attachment") if f.filename
        ]
        if files:
            request.env["ir.attachment"].sudo().create(
                [
                    {
                        "name": f.filename,
                        "datas": base64.b64encode(f.read()),
                        "res_model": "helpdesk.ticket",
                        "res_id": complaint.id,
                    }
                    for f in files
                ]
            )
        _logger.info(
            "Complaint %s registered on the portal by %s",
            complaint.number,
            request.env.user.login,
        )
        return request.redirect(f"/my/complaint/{complaint.id}?created=1")
