# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Databases installed before the customer messages: link the shipped
templates to the shipped review stages (which are noupdate data), where the
stage has none of its own yet."""

from odoo import SUPERUSER_ID, api

STEPS = {
    "registered": "received",
    "analysed": "in_progress",
    "verified": "resolved",
    "closed": "closed",
}


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for state, step in STEPS.items():
        stage = env.ref(
            f"helpdesk_mgmt_complaint.stage_complaint_{state}", raise_if_not_found=False
        )
        if not stage:
            continue
        mail = env.ref(
            f"helpdesk_mgmt_complaint.mail_template_complaint_{step}",
            raise_if_not_found=False,
        )
        sms = env.ref(
            f"helpdesk_mgmt_complaint.sms_template_complaint_{step}",
            raise_if_not_found=False,
        )
        if mail and not stage.mail_template_id:
            stage.mail_template_id = mail
        if sms and not stage.complaint_sms_template_id:
            stage.complaint_sms_template_id = sms
