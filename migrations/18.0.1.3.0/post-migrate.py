# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Databases from before 18.0.1.2.0 gave an access token to every file of a
complaint shown on the portal, internal notes' files included: a token opens
/web/content to anyone holding the link. Withdraw the tokens of the files the
customer may not see (the portal gives tokens again to those they may)."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def revoke_internal_attachment_tokens(env):
    env.flush_all()
    env.cr.execute(
        """
        SELECT DISTINCT a.res_id
          FROM ir_attachment a
          JOIN helpdesk_ticket t ON t.id = a.res_id
         WHERE a.res_model = 'helpdesk.ticket' AND a.access_token IS NOT NULL
           AND t.is_complaint
        """
    )
    complaints = env["helpdesk.ticket"].browse(row[0] for row in env.cr.fetchall())
    revoked = env["ir.attachment"]
    for complaint in complaints:
        tokened = env["ir.attachment"].search(
            [
                ("res_model", "=", "helpdesk.ticket"),
                ("res_id", "=", complaint.id),
                ("access_token", "!=", False),
            ]
        )
        revoked |= tokened - complaint._complaint_portal_attachments()
    revoked.write({"access_token": False})
    _logger.info("Access tokens withdrawn from %d internal files", len(revoked))


def migrate(cr, version):
    if not version:
        return
    revoke_internal_attachment_tokens(api.Environment(cr, SUPERUSER_ID, {}))
