import importlib.util
import os

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon


class ComplaintCase(BaseCommon):
    """Users with each right, a complaint team, a customer with a vehicle."""

    @classmethod
    def _garage_calendar(cls, tz):
        """Working hours Monday to Friday, 8-12 and 13-17, in `tz`."""
        return cls.env["resource.calendar"].create(
            {
                "name": "Garage hours",
                "tz": tz,
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for period, hour_from, hour_to in (
                        ("morning", 8, 12),
                        ("afternoon", 13, 17),
                    )
                ],
            }
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The demo complaints' customer messages count as sent: the tests
        # send (and count) only what they queue themselves.
        cls.env.cr.execute(
            "UPDATE helpdesk_ticket SET complaint_notify_pending = false "
            "WHERE complaint_notify_pending"
        )
        notify = cls.env.ref("helpdesk_mgmt_complaint.ir_cron_complaint_notify")
        cls.env["ir.cron.trigger"].search([("cron_id", "=", notify.id)]).unlink()
        cls.company = cls.env.company
        cls.company.country_id = cls.env.ref("base.be")
        cls.team = cls.env.ref("helpdesk_mgmt_complaint.helpdesk_team_complaints")
        cls.plain_team = cls.env["helpdesk.ticket.team"].create({"name": "Support"})
        cls.stage_registered = cls.env.ref(
            "helpdesk_mgmt_complaint.stage_complaint_registered"
        )
        cls.stage_analysed = cls.env.ref(
            "helpdesk_mgmt_complaint.stage_complaint_analysed"
        )
        cls.stage_closed = cls.env.ref("helpdesk_mgmt_complaint.stage_complaint_closed")
        cls.stage_rejected = cls.env.ref(
            "helpdesk_mgmt_complaint.stage_complaint_rejected"
        )
        cls.channel_phone = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        cls.channel_email = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email")
        cls.topic_delay = cls.env.ref("helpdesk_mgmt_complaint.complaint_topic_delay")
        cls.advisor = new_test_user(
            cls.env,
            login="hmc_advisor",
            name="Advisor",
            groups="helpdesk_mgmt.group_helpdesk_user,"
            "helpdesk_mgmt_complaint.group_complaint_open",
        )
        cls.handler = new_test_user(
            cls.env,
            login="hmc_handler",
            name="Handler",
            groups="helpdesk_mgmt.group_helpdesk_user",
        )
        cls.officer = new_test_user(
            cls.env,
            login="hmc_officer",
            name="Officer",
            groups="helpdesk_mgmt.group_helpdesk_user,"
            "helpdesk_mgmt_complaint.group_complaint_close",
        )
        cls.complaint_manager = new_test_user(
            cls.env,
            login="hmc_complaint_manager",
            name="Complaints Manager",
            groups="helpdesk_mgmt_complaint.group_complaint_manager",
            tz="UTC",
        )
        cls.company.complaint_officer_id = cls.officer
        # Start from the shipped configuration, not the demo one.
        cls.env["helpdesk.complaint.sla"].search([]).active = False
        cls.env["helpdesk.ticket.channel"].search([]).complaint_user_id = False
        cls.team.user_ids = [Command.link(u.id) for u in (cls.advisor, cls.handler)]
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Ivana Horvat",
                "email": "ivana.horvat@example.com",
                "phone": "0470 12 34 56",
                "ref": "C-10042",
                "country_id": cls.env.ref("base.be").id,
            }
        )
        cls.vehicle = cls.env["fleet.vehicle"].create(
            {
                "model_id": cls.env["fleet.vehicle.model"]
                .create(
                    {
                        "name": "Octavia",
                        "brand_id": cls.env["fleet.vehicle.model.brand"]
                        .create({"name": "Skoda"})
                        .id,
                    }
                )
                .id,
                "license_plate": "1-ABC-234",
                "vin_sn": "TMBJJ7NE5K0123456",
                "driver_id": cls.customer.id,
            }
        )

    @classmethod
    def _complaint_vals(cls, **vals):
        return {
            "name": "Noise after brake repair",
            "description": "<p>Brakes squeal since the last service.</p>",
            "team_id": cls.team.id,
            "partner_id": cls.customer.id,
            "channel_id": cls.channel_phone.id,
            **vals,
        }

    @classmethod
    def _create_complaint(cls, user=None, **vals):
        Ticket = cls.env["helpdesk.ticket"]
        if user:
            Ticket = Ticket.with_user(user)
        return Ticket.create(cls._complaint_vals(**vals))

    def _flush_tracking(self):
        """What a commit does with the changes so far: flush them and write
        their tracking messages (mail's ``flush_tracking``)."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    @classmethod
    def _send_customer_updates(cls):
        """What the scheduled action triggered by a creation or a stage
        move does seconds later: send the queued customer messages."""
        return cls.env["helpdesk.ticket"]._cron_complaint_notify_customers()


def load_migration(version, script="post-migrate.py"):
    """The module of one of this addon's migration scripts (its folder name
    is a version, not a Python package)."""
    path = os.path.join(
        os.path.dirname(os.path.dirname(__file__)), "migrations", version, script
    )
    spec = importlib.util.spec_from_file_location(f"hmc_migration_{version}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
