# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""1. The company's letter opening and closing texts became the letter type
"Decision: complaint accepted". A company that had edited them keeps its
texts (every language it had) on that type: the shipped one when it is the
only company, else a copy of its own. The old columns stay in the database
(Odoo does not drop them) and are no longer read.

2. Databases from before 18.0.1.2.0 gave an access token to every file of a
complaint shown on the portal, internal notes' files included: a token opens
/web/content to anyone holding the link. Withdraw the tokens of the files the
customer may not see (the portal gives tokens again to those they may).

3. Databases installed before the satisfaction ratings: the shipped Closed
stage (noupdate data) asks the customer to rate, as on a new install, unless
it already has a rating template of its own."""

import logging
import re

from psycopg2.extras import Json

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

OLD_INTRO = (
    "Dear customer, Thank you for telling us about your experience. We have "
    "examined your complaint carefully; here is what we found and what we have "
    "done about it."
)
OLD_CLOSING = (
    "We apologise for the inconvenience and remain at your disposal for any "
    "question. Kind regards,"
)


def _plain(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html or "")).strip()


def _customized(value, default):
    return bool(value) and _plain(value.get("en_US")) not in ("", default)


def migrate(cr, version):
    if not version:
        return
    move_company_letter_texts(cr)
    env = api.Environment(cr, SUPERUSER_ID, {})
    revoke_internal_attachment_tokens(env)
    ask_rating_on_closed_stage(env)


def move_company_letter_texts(cr):
    cr.execute(
        """SELECT column_name FROM information_schema.columns
           WHERE table_name = 'res_company' AND column_name IN
                 ('complaint_letter_intro', 'complaint_letter_closing')"""
    )
    if len(cr.fetchall()) != 2:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    shipped = env.ref(
        "helpdesk_mgmt_complaint.letter_type_decision_accepted",
        raise_if_not_found=False,
    )
    if not shipped:
        return
    cr.execute(
        "SELECT id, complaint_letter_intro, complaint_letter_closing FROM res_company"
    )
    rows = cr.fetchall()
    edited = [
        row
        for row in rows
        if _customized(row[1], OLD_INTRO) or _customized(row[2], OLD_CLOSING)
    ]
    for company_id, intro, closing in edited:
        target = shipped
        if len(rows) > 1:
            target = shipped.copy(
                {"company_id": company_id, "sequence": shipped.sequence - 1}
            )
            env.flush_all()  # the copy's translations, before overwriting them
        if _customized(intro, OLD_INTRO):
            cr.execute(
                "UPDATE helpdesk_complaint_letter_type SET opening = %s, body = NULL"
                " WHERE id = %s",
                (Json(intro), target.id),
            )
        if _customized(closing, OLD_CLOSING):
            cr.execute(
                "UPDATE helpdesk_complaint_letter_type SET closing = %s WHERE id = %s",
                (Json(closing), target.id),
            )
    env.invalidate_all()


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


def ask_rating_on_closed_stage(env):
    stage = env.ref(
        "helpdesk_mgmt_complaint.stage_complaint_closed", raise_if_not_found=False
    )
    template = env.ref(
        "helpdesk_mgmt_rating.rating_ticket_email_template", raise_if_not_found=False
    )
    if stage and template and not stage.rating_mail_template_id:
        stage.rating_mail_template_id = template
