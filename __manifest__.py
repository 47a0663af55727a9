# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk Complaints",
    "summary": "Customer complaint tracking for garages and after-sales service: "
    "sources, urgency, SLA deadlines, transfers, classification, close rights, "
    "customer updates, alerts, reports",
    "version": "18.0.1.2.0",
    "license": "AGPL-3",
    "category": "After-Sales",
    "author": "helpdesk_mgmt_complaint contributors",
    "website": "https://github.com/helpdesk-complaint/helpdesk_mgmt_complaint",
    "depends": ["helpdesk_mgmt", "fleet", "sms", "resource", "calendar"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/helpdesk_mgmt_complaint_security.xml",
        "security/ir.model.access.csv",
        "security/helpdesk_complaint_portal_security.xml",
        "data/helpdesk_ticket_channel_data.xml",
        "data/mail_template_data.xml",
        "data/helpdesk_complaint_data.xml",
        "data/ir_cron_data.xml",
        "views/helpdesk_complaint_topic_views.xml",
        "views/helpdesk_complaint_sla_views.xml",
        "views/helpdesk_ticket_transfer_views.xml",
        "report/helpdesk_complaint_report_views.xml",
        "report/report_complaint_distribution.xml",
        "report/report_complaint_letter.xml",
        "wizard/helpdesk_complaint_report_wizard_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_ticket_team_views.xml",
        "views/helpdesk_ticket_stage_views.xml",
        "views/helpdesk_ticket_channel_views.xml",
        "views/res_partner_views.xml",
        "views/fleet_vehicle_views.xml",
        "views/res_config_settings_views.xml",
        "views/helpdesk_ticket_intake_views.xml",
        "views/helpdesk_complaint_portal_templates.xml",
        "wizard/helpdesk_complaint_transfer_wizard_views.xml",
        "wizard/helpdesk_complaint_call_wizard_views.xml",
        "views/helpdesk_complaint_menus.xml",
    ],
    "demo": [
        "demo/helpdesk_complaint_demo.xml",
        "demo/helpdesk_complaint_portal_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "helpdesk_mgmt_complaint/static/tests/tours/*.js",
        ],
    },
    "installable": True,
    "application": False,
}
