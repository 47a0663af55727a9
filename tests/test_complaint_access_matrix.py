"""The access matrix (tests/access_matrix.py), cell by cell: every role x
operation over the ORM the way RPC calls it, and over JSON-RPC."""

import os

from odoo import Command, api
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from .access_matrix import EXPECTED, OPERATIONS, ROLES, render_rst
from .common import ComplaintCase

REFUSALS = (AccessError, MissingError, UserError, ValidationError)
MARKER = "Matrix complaint"


class MatrixMixin:
    def _json_rpc_caller(self, role):
        """A call_kw(model, method, args, kwargs) over /web/dataset/call_kw as
        the role's logged-in user (HttpCase)."""
        self.authenticate(f"hmc_mx_{role}", f"hmc_mx_{role}")

        def call(model, method, args, kwargs):
            params = {"model": model, "method": method}
            params.update(args=args, kwargs=kwargs)
            url = f"/web/dataset/call_kw/{model}/{method}"
            return self.make_jsonrpc_request(url, params)

        return call

    @classmethod
    def _setup_matrix(cls):
        cls.company_b = cls.env["res.company"].create({"name": "Other Garage"})
        cls.officer2 = new_test_user(
            cls.env,
            login="hmc_mx_target",
            name="Transfer Target",
            groups="helpdesk_mgmt.group_helpdesk_user",
        )
        cls.users = {}
        for role, (_label, groups) in ROLES.items():
            extra = {}
            if role == "other_company":
                extra = {
                    "company_id": cls.company_b.id,
                    "company_ids": [Command.set(cls.company_b.ids)],
                }
            cls.users[role] = new_test_user(
                cls.env,
                login=f"hmc_mx_{role}",
                name=f"Matrix {role}",
                groups=groups,
                **extra,
            )
        internal = [u.id for r, u in cls.users.items() if r != "portal"]
        members = internal + [cls.officer.id, cls.officer2.id]
        cls.team2 = cls.env["helpdesk.ticket.team"].create(
            {"name": "Body shop complaints", "is_complaint": True}
        )
        for team in cls.team | cls.plain_team | cls.team2:
            team.user_ids = [Command.link(uid) for uid in members]
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")

    def _targets(self, actor):
        """Fresh records for one cell, created as superuser."""
        env = self.env
        Ticket = env["helpdesk.ticket"].with_context(tracking_disable=True)
        owner = (
            actor
            if not actor.share and actor.company_id == self.company
            else self.officer
        )
        base = self._complaint_vals(topic_ids=[self.topic_delay.id])
        own = Ticket.create({**base, "user_id": owner.id})
        closed_own = Ticket.create(
            {**base, "user_id": owner.id, "stage_id": self.stage_closed.id}
        )
        plain = Ticket.create(
            {**base, "team_id": self.plain_team.id, "user_id": owner.id}
        )
        others = Ticket.create({**base, "user_id": self.officer.id})
        env["helpdesk.ticket.transfer"].sudo().create(
            {
                "ticket_id": others.id,
                "from_user_id": self.officer2.id,
                "to_user_id": self.officer.id,
                "reason": "Matrix fixture",
            }
        )
        xmlid = own.export_data(["id"])["datas"][0][0]
        env.flush_all()
        return {
            "own": own,
            "closed_own": closed_own,
            "plain": plain,
            "others": others,
            "own_xmlid": xmlid,
            "actor": actor,
        }

    # -- operations: a function calling `call(model, method, args, kwargs)` and
    # -- one telling from the records whether it took effect --------------------

    def _run(self, op, call, t):
        T = "helpdesk.ticket"
        own, closed_own, plain = t["own"].id, t["closed_own"].id, t["plain"].id
        vals = {
            **self._complaint_vals(name=MARKER),
            "user_id": t["actor"].id,
        }
        closed_id = self.stage_closed.id
        steps = {
            "create_self": [(T, "create", [[vals]], {})],
            "create_other": [
                (T, "create", [[{**vals, "user_id": self.officer.id}]], {})
            ],
            "close_button": [(T, "action_complaint_close", [[own]], {})],
            "reject_button": [(T, "action_complaint_reject", [[own]], {})],
            "stage_write": [(T, "write", [[own], {"stage_id": closed_id}], {})],
            "kanban_drop": [
                (
                    T,
                    "web_save",
                    [[own], {"stage_id": closed_id}],
                    {"specification": {"stage_id": {}}},
                )
            ],
            "import_closed": [
                (
                    T,
                    "load",
                    [
                        ["id", "stage_id/id"],
                        [
                            [
                                t["own_xmlid"],
                                "helpdesk_mgmt_complaint.stage_complaint_closed",
                            ]
                        ],
                    ],
                    {},
                )
            ],
            "hot_close": [(T, "write", [[own], {"stage_id": closed_id}], {})],
            "hot_close_contacted": [(T, "write", [[own], {"stage_id": closed_id}], {})],
            "archive": [(T, "action_archive", [[own]], {})],
            "reopen": [
                (T, "write", [[closed_own], {"stage_id": self.stage_registered.id}], {})
            ],
            "unflag": [(T, "write", [[own], {"is_complaint": False}], {})],
            "team_out": [(T, "write", [[own], {"team_id": self.plain_team.id}], {})],
            "team_in": [(T, "write", [[plain], {"team_id": self.team.id}], {})],
            "team_closed": [
                (T, "write", [[closed_own], {"team_id": self.team2.id}], {})
            ],
            "team_twice": [
                (T, "write", [[own], {"team_id": self.plain_team.id}], {}),
                (T, "write", [[own], {"stage_id": self.stage_done.id}], {}),
                (T, "write", [[own], {"team_id": self.team.id}], {}),
            ],
            "read_others": [
                (T, "read", [[t["others"].id], ["name", "description"]], {})
            ],
            "transfer_rows": [
                (
                    "helpdesk.ticket.transfer",
                    "search_read",
                    [[("ticket_id", "=", t["others"].id)], ["reason"]],
                    {},
                )
            ],
            "analysis_rows": [
                (
                    "helpdesk.complaint.report",
                    "search_read",
                    [[("ticket_id", "=", t["others"].id)], ["ticket_id"]],
                    {},
                )
            ],
        }
        if op.startswith("hot_close"):
            t["own"].write(
                {
                    "complaint_hot": True,
                    "complaint_hot_contacted": op == "hot_close_contacted",
                }
            )
        if op == "transfer":
            wizard = call(
                "helpdesk.complaint.transfer.wizard",
                "create",
                [{"ticket_id": own, "user_id": self.officer2.id, "reason": "Holiday"}],
                {},
            )
            call(
                "helpdesk.complaint.transfer.wizard", "action_transfer", [[wizard]], {}
            )
            return None
        if op == "close_dialog":
            wizard = call(
                "helpdesk.complaint.close.wizard",
                "create",
                [
                    {
                        "ticket_id": own,
                        "state": "closed",
                        "topic_ids": [Command.set(self.topic_delay.ids)],
                        "resolution_method": "repair",
                        "outcome": "Repaired",
                    }
                ],
                {},
            )
            call("helpdesk.complaint.close.wizard", "action_confirm", [[wizard]], {})
            return None
        result = None
        for model, method, args, kwargs in steps[op]:
            result = call(model, method, args, kwargs)
        return result

    def _took_effect(self, op, t, result):
        self.env.invalidate_all()
        own, closed_own, plain = t["own"], t["closed_own"], t["plain"]
        own = own.with_context(active_test=False)
        checks = {
            "create_self": lambda: self.env["helpdesk.ticket"].search_count(
                [("name", "=", MARKER)]
            )
            == 1,
            "create_other": lambda: self.env["helpdesk.ticket"].search_count(
                [("name", "=", MARKER)]
            )
            == 1,
            "close_button": lambda: own.complaint_state == "closed",
            "reject_button": lambda: own.complaint_state == "rejected",
            "close_dialog": lambda: own.complaint_state == "closed",
            "stage_write": lambda: own.stage_id.closed,
            "kanban_drop": lambda: own.stage_id.closed,
            "import_closed": lambda: own.stage_id.closed,
            "hot_close": lambda: own.stage_id.closed,
            "hot_close_contacted": lambda: own.stage_id.closed,
            "archive": lambda: not own.active,
            "reopen": lambda: not closed_own.stage_id.closed,
            "unflag": lambda: not own.is_complaint,
            "team_out": lambda: own.team_id == self.plain_team,
            "team_in": lambda: plain.is_complaint,
            "team_closed": lambda: closed_own.team_id == self.team2,
            "team_twice": lambda: own.is_complaint and own.stage_id.closed,
            "transfer": lambda: own.user_id == self.officer2,
            "read_others": lambda: bool(result),
            "transfer_rows": lambda: bool(result),
            "analysis_rows": lambda: bool(result),
        }
        return bool(checks[op]())

    def _check_cells(self, caller, refusals):
        """Run every cell with `caller(role)` (a function making one call as
        that role); returns the cells that differ from EXPECTED. Each cell
        works on fresh records and is rolled back."""
        mismatches = []
        for role in ROLES:
            call = caller(role)
            for op in OPERATIONS:
                with self.env.cr.savepoint() as savepoint:
                    t = self._targets(self.users[role])
                    try:
                        result = self._run(op, call, t)
                    except refusals:
                        result = None
                    allowed = self._took_effect(op, t, result)
                    if allowed != EXPECTED[role, op]:
                        mismatches.append((role, op, allowed))
                    savepoint.rollback()
                    self.env.invalidate_all()
        return mismatches


class TestComplaintAccessMatrixOrm(MatrixMixin, ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_matrix()

    @mute_logger(
        "odoo.sql_db", "odoo.models.unlink", "odoo.addons.base.models.ir_model"
    )
    def test_matrix_orm(self):
        """Each cell called as the role's user through odoo.api.call_kw, the
        function RPC requests end in."""

        def caller(role):
            user_env = api.Environment(self.env.cr, self.users[role].id, {})

            def call(model, method, args, kwargs):
                with self.env.cr.savepoint():
                    return api.call_kw(user_env[model], method, args, kwargs)

            return call

        mismatches = self._check_cells(caller, REFUSALS)
        self.assertEqual(mismatches, [], "cells where the ORM differs from the matrix")

    def test_readme_shows_the_matrix(self):
        readme = os.path.join(os.path.dirname(os.path.dirname(__file__)), "README.rst")
        with open(readme, encoding="utf-8") as f:
            self.assertIn(render_rst(), f.read())


@tagged("post_install", "-at_install")
class TestComplaintAccessMatrixRpc(MatrixMixin, HttpCase, ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_matrix()

    @mute_logger("odoo.sql_db", "odoo.http", "odoo.addons.base.models.ir_model")
    def test_matrix_json_rpc(self):
        """Each cell as a JSON-RPC call of the role's logged-in user."""
        mismatches = self._check_cells(self._json_rpc_caller, (JsonRpcException,))
        self.assertEqual(mismatches, [], "cells where JSON-RPC differs from the matrix")
