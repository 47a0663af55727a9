"""The hot-alert close block over every path that closes a complaint (the
close paths of the access matrix), for each role allowed to close: refused
while the customer has not been contacted, allowed after a logged call."""

from odoo import api
from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .access_matrix import EXPECTED
from .common import ComplaintCase
from .test_complaint_access_matrix import REFUSALS, MatrixMixin

CLOSE_PATHS = (
    "close_button",
    "close_dialog",
    "stage_write",
    "kanban_drop",
    "import_closed",
    "archive",
)
CLOSERS = ("close", "manager")


class HotPathsMixin(MatrixMixin):
    def _make_hot(self, complaint, contacted):
        complaint.write(
            {
                "complaint_hot": True,
                "complaint_hot_contacted": False,
                "complaint_hot_user_id": self.officer.id,
            }
        )
        if contacted:
            wizard = self.env["helpdesk.complaint.call.wizard"].create(
                {"ticket_id": complaint.id, "outcome": "Customer called back"}
            )
            wizard.with_user(self.officer).action_log_call()
            self.assertTrue(complaint.complaint_hot_contacted)

    def _check_hot_paths(self, caller, refusals):
        """[(role, path, contacted, took effect)] differing from: refused
        before the contact, as the matrix says after it."""
        mismatches = []
        for role in CLOSERS:
            call = caller(role)
            for op in CLOSE_PATHS:
                for contacted in (False, True):
                    with self.env.cr.savepoint() as savepoint:
                        t = self._targets(self.users[role])
                        self._make_hot(t["own"], contacted)
                        try:
                            result = self._run(op, call, t)
                        except refusals:
                            result = None
                        done = self._took_effect(op, t, result)
                        expected = contacted and EXPECTED[role, op]
                        if done != expected:
                            mismatches.append((role, op, contacted, done))
                        savepoint.rollback()
                        self.env.invalidate_all()
        return mismatches


class TestComplaintHotPathsOrm(HotPathsMixin, ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_matrix()

    @mute_logger("odoo.sql_db", "odoo.addons.base.models.ir_model")
    def test_hot_close_paths_orm(self):
        def caller(role):
            user_env = api.Environment(self.env.cr, self.users[role].id, {})

            def call(model, method, args, kwargs):
                with self.env.cr.savepoint():
                    return api.call_kw(user_env[model], method, args, kwargs)

            return call

        self.assertEqual(self._check_hot_paths(caller, REFUSALS), [])


@tagged("post_install", "-at_install")
class TestComplaintHotPathsRpc(HotPathsMixin, HttpCase, ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_matrix()

    @mute_logger("odoo.sql_db", "odoo.http", "odoo.addons.base.models.ir_model")
    def test_hot_close_paths_json_rpc(self):
        self.assertEqual(
            self._check_hot_paths(self._json_rpc_caller, (JsonRpcException,)), []
        )
