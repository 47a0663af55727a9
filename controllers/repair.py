# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The service centre's page of one repair request, reached by the link of
the request e-mail (/repair/<id>?access_token=...): no login, that request
only; the centre records the next state with an optional note.

A wrong or malformed token answers 404 (nothing tells whether the request
exists); a right token of a request no longer at the centre (not sent yet,
returned or refused) answers 403: the link has expired."""

import logging

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import consteq

_logger = logging.getLogger(__name__)


class ComplaintRepairController(http.Controller):
    def _complaint_repair_check(self, repair_id, access_token):
        """The request `repair_id` as superuser, if `access_token` is its token
        and the link is still valid; else 404 / 403."""
        repair = request.env["helpdesk.complaint.repair"].sudo().browse(repair_id)
        if (
            not isinstance(access_token, str)
            or not repair.exists()
            or not repair.access_token
            or not consteq(repair.access_token.encode(), access_token.encode())
        ):
            raise NotFound()
        if not repair._complaint_repair_link_valid():
            raise Forbidden(
                request.env._("This link has expired: the repair request is closed.")
            )
        return repair

    @http.route("/repair/<int:repair_id>", type="http", auth="public", methods=["GET"])
    def complaint_repair_page(self, repair_id, access_token=None, **kw):
        repair = self._complaint_repair_check(repair_id, access_token)
        lang = repair.service_centre_id.lang or request.env.lang
        repair = repair.with_context(lang=lang)
        states = dict(repair._fields["state"]._description_selection(repair.env))
        return request.render(
            "helpdesk_mgmt_complaint.complaint_repair_page",
            {
                "repair": repair,
                "states": states,
                "next_states": [(s, states[s]) for s in repair.next_state_ids],
                "access_token": access_token,
                "error": kw.get("error"),
                "done": kw.get("done"),
            },
        )

    @http.route(
        "/repair/<int:repair_id>/state",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=True,
    )
    def complaint_repair_set_state(
        self, repair_id, access_token=None, state=None, note=None, **kw
    ):
        repair = self._complaint_repair_check(repair_id, access_token)
        if state not in repair.next_state_ids:
            return self.complaint_repair_page(
                repair_id,
                access_token,
                error=request.env._("Choose one of the states offered."),
            )
        try:
            repair._complaint_set_state(
                state, note=(note or "").strip()[:2000] or None, via_link=True
            )
        except UserError as error:
            return self.complaint_repair_page(repair_id, access_token, error=str(error))
        _logger.info("Repair %s set to %s via the centre's link", repair.name, state)
        if not repair._complaint_repair_link_valid():
            return request.render(
                "helpdesk_mgmt_complaint.complaint_repair_done", {"repair": repair}
            )
        return request.redirect(
            f"/repair/{repair.id}?access_token={access_token}&done=1"
        )
