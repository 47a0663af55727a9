# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Databases installed before the satisfaction ratings: the shipped Closed
stage (noupdate data) asks the customer to rate, as on a new install, unless
it already has a rating template of its own."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    stage = env.ref(
        "helpdesk_mgmt_complaint.stage_complaint_closed", raise_if_not_found=False
    )
    template = env.ref(
        "helpdesk_mgmt_rating.rating_ticket_email_template", raise_if_not_found=False
    )
    if stage and template and not stage.rating_mail_template_id:
        stage.rating_mail_template_id = template
