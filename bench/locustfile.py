"""Locust load test of helpdesk_mgmt_complaint (run by ``bench/run load``).

Environment: LOAD_PLAN (the JSON written by bench_load_setup.py). The mode of
the plan picks what the users do: ``complaint`` (complaint views, /my/complaints)
or ``plain`` (helpdesk_mgmt tickets, /my/tickets), with the same request names
so that the two runs compare line by line:

* Handler (20, 5-15 s between actions: BENCH_LOAD_HANDLER_WAIT): open the
  app (``get_views``: at the start, within BENCH_LOAD_HANDLER_ARRIVAL seconds,
  default 10, and again as a page reload), open the kanban (``kanban:
  groups`` then ``kanban: column`` per column), search by plate (plain: by
  ticket number) and by phone, open a form (``form: read`` +
  ``form: chatter``), post a note, transfer (complaint: the transfer wizard;
  plain: change the handler), move a stage;
* PortalCustomer (50, 10-30 s: BENCH_LOAD_PORTAL_WAIT): list, ticket page,
  post a message, open the new-ticket form and submit it;
* MailGateway (BENCH_LOAD_MAIL_USERS users, default 6: 2 mails a second):
  ``message_process`` over JSON-RPC as admin (what odoo-mailgate calls over
  XML-RPC).

JSON-RPC errors (HTTP 200 with an ``error`` member) count as failures.
"""

import itertools
import json
import os
import random
import re
import sys

from locust import HttpUser, between, constant_throughput, task

sys.path.insert(0, os.path.dirname(__file__))
from _specs import (
    fields_of,
    get_views_kwargs,
    handler_context,
    kanban_requests,
    spec_from_arch,
)

PLAN = json.load(open(os.environ["LOAD_PLAN"]))
COMPLAINT = PLAN["mode"] == "complaint"
MODEL = "helpdesk.ticket"
OPEN_STATES = ["registered", "analysed", "verified"]
BASE = [("is_complaint", "=", True)] if COMPLAINT else []
OPEN = BASE + (
    [("complaint_state", "in", OPEN_STATES)]
    if COMPLAINT
    else [("stage_id.closed", "=", False)]
)
HANDLERS = itertools.cycle(PLAN["handlers"])
PORTALS = itertools.cycle(PLAN["portal"])
CSRF_RE = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
MAIL_SEQ = itertools.count()
# Seconds over which the handlers open the app at the start of the run.
ARRIVAL = float(os.environ.get("BENCH_LOAD_HANDLER_ARRIVAL") or 10)


def wait_range(name, default):
    low, high = (float(x) for x in os.environ.get(name, default).split(","))
    return between(low, high)


class RpcUser(HttpUser):
    abstract = True

    def login(self, sid):
        self.client.cookies.set("session_id", sid)

    def json(self, url, params, name):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": params,
            "id": random.randint(1, 10**9),
        }
        with self.client.post(
            url, json=payload, name=name, catch_response=True
        ) as resp:
            if resp.status_code != 200:
                resp.failure(f"HTTP {resp.status_code}")
                return None
            try:
                data = resp.json()
            except ValueError:
                resp.failure("not JSON")
                return None
            if "error" in data:
                err = data["error"].get("data", {})
                resp.failure(f"{err.get('name')}: {err.get('message', '')[:200]}")
                return None
            return data.get("result")

    def call(self, model, method, args, kwargs=None, name=None):
        return self.json(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
            name or method,
        )


class Handler(RpcUser):
    fixed_count = 20
    wait_time = wait_range("BENCH_LOAD_HANDLER_WAIT", "5,15")

    def on_start(self):
        me = next(HANDLERS)
        self.uid = me["uid"]
        self.login(me["sid"])
        self.ctx = handler_context(PLAN, self.uid)
        if ARRIVAL:
            # Handlers open the app over a few seconds, not in the same one.
            import gevent

            gevent.sleep(random.uniform(0, ARRIVAL))
        views = None
        for _try in range(10):  # the views are needed: retry under load
            if views:
                break
            views = self.open_app()
        if not views:
            raise RuntimeError("get_views failed 10 times")
        fields = fields_of(views, MODEL)
        self.specs = {
            vt: spec_from_arch(views["views"][vt]["arch"], fields)
            for vt in ("kanban", "list", "form")
        }
        self.kanban_aggregates, self.progress_bar = kanban_requests(
            views["views"]["kanban"]["arch"], fields
        )

    def open_app(self):
        return self.call(
            MODEL, "get_views", [], get_views_kwargs(PLAN, self.ctx), "get_views"
        )

    @task(1)
    def reload(self):
        """The page reloaded: the web client asks for its views again."""
        self.open_app()

    def kw(self, **kwargs):
        return dict(kwargs, context=self.ctx)

    def pick(self):
        return random.choice(PLAN["open_ids"])

    @task(3)
    def kanban(self):
        res = self.call(
            MODEL,
            "web_read_group",
            [OPEN, self.kanban_aggregates, ["stage_id"]],
            self.kw(lazy=True, limit=80, offset=0, orderby=""),
            "kanban: groups",
        )
        if self.progress_bar:
            self.call(
                MODEL,
                "read_progress_bar",
                [],
                self.kw(
                    domain=OPEN, group_by="stage_id", progress_bar=self.progress_bar
                ),
                "kanban: progress bar",
            )
        for group in (res or {}).get("groups", []):
            if group.get("__fold") or not group.get("stage_id_count"):
                continue
            self.call(
                MODEL,
                "web_search_read",
                [],
                self.kw(
                    domain=OPEN + [("stage_id", "=", group["stage_id"][0])],
                    specification=self.specs["kanban"],
                    limit=40,
                    count_limit=10001,
                ),
                "kanban: column",
            )

    def search(self, domain, name):
        self.call(
            MODEL,
            "web_search_read",
            [],
            self.kw(
                domain=BASE + domain,
                specification=self.specs["list"],
                limit=80,
                count_limit=10001,
            ),
            name,
        )

    @task(2)
    def search_plate(self):
        if COMPLAINT:
            plate = random.choice(PLAN["plates"])
            self.search(
                [
                    "|",
                    ("vehicle_id.license_plate", "ilike", plate),
                    ("vehicle_id.vin_sn", "ilike", plate),
                ],
                "search: plate",
            )
        else:
            number = f"SC{random.randint(1, 100000):08d}"
            self.search([("number", "ilike", number)], "search: plate")

    @task(2)
    def search_phone(self):
        phone = random.choice(PLAN["customers"])["phone"]
        domain = (
            [("complaint_phone_search", "ilike", phone)]
            if COMPLAINT
            else [("partner_id.phone", "ilike", phone)]
        )
        self.search(domain, "search: phone")

    @task(3)
    def open_form(self):
        ticket = self.pick()
        self.call(
            MODEL,
            "web_read",
            [[ticket]],
            self.kw(specification=self.specs["form"]),
            "form: read",
        )
        self.json(
            "/mail/thread/messages",
            {"thread_model": MODEL, "thread_id": ticket, "limit": 30},
            "form: chatter",
        )

    @task(2)
    def post_note(self):
        self.call(
            MODEL,
            "message_post",
            [[self.pick()]],
            self.kw(
                body="Called the customer back.",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            ),
            "note: post",
        )

    @task(1)
    def transfer(self):
        ticket = self.pick()
        read = self.call(
            MODEL,
            "web_read",
            [[ticket]],
            self.kw(specification={"user_id": {}}),
            "transfer",
        )
        if not read:
            return
        current = read[0]["user_id"]
        target = random.choice(
            [h["uid"] for h in PLAN["handlers"] if h["uid"] != current]
        )
        if COMPLAINT:
            wizard = self.call(
                "helpdesk.complaint.transfer.wizard",
                "web_save",
                [
                    [],
                    {"ticket_id": ticket, "user_id": target, "reason": "Workload"},
                ],
                self.kw(specification={}),
                "transfer",
            )
            if wizard:
                self.call(
                    "helpdesk.complaint.transfer.wizard",
                    "action_transfer",
                    [[wizard[0]["id"]]],
                    self.kw(),
                    "transfer",
                )
        else:
            self.call(
                MODEL,
                "web_save",
                [[ticket], {"user_id": target}],
                self.kw(specification={"user_id": {"fields": {"display_name": {}}}}),
                "transfer",
            )

    @task(1)
    def move_stage(self):
        ticket = self.pick()
        stages = PLAN["stages"]
        read = self.call(
            MODEL,
            "web_read",
            [[ticket]],
            self.kw(specification={"stage_id": {}}),
            "stage: move",
        )
        if not read:
            return
        current = read[0]["stage_id"]
        nxt = (
            stages[(stages.index(current) + 1) % len(stages)]
            if current in stages
            else stages[0]
        )
        self.call(
            MODEL,
            "web_save",
            [[ticket], {"stage_id": nxt}],
            self.kw(specification={"stage_id": {"fields": {"display_name": {}}}}),
            "stage: move",
        )


class PortalCustomer(RpcUser):
    fixed_count = 50
    wait_time = wait_range("BENCH_LOAD_PORTAL_WAIT", "10,30")

    def on_start(self):
        me = next(PORTALS)
        self.tickets = me["tickets"]
        self.login(me["sid"])

    def get(self, url, name):
        with self.client.get(
            url, name=name, catch_response=True, allow_redirects=False
        ) as resp:
            if resp.status_code != 200:
                resp.failure(f"HTTP {resp.status_code}")
                return ""
            return resp.text

    @task(4)
    def listing(self):
        self.get("/my/complaints" if COMPLAINT else "/my/tickets", "portal: list")

    @task(3)
    def page(self):
        ticket, _token = random.choice(self.tickets)
        self.get(
            f"/my/complaint/{ticket}" if COMPLAINT else f"/my/ticket/{ticket}",
            "portal: page",
        )

    @task(2)
    def message(self):
        ticket, token = random.choice(self.tickets)
        self.json(
            "/mail/message/post",
            {
                "thread_model": MODEL,
                "thread_id": ticket,
                "token": token,
                "post_data": {
                    "body": "Any news about my car?",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            },
            "portal: message",
        )

    @task(1)
    def new(self):
        html = self.get(
            "/my/complaints/new" if COMPLAINT else "/new/ticket", "portal: new form"
        )
        token = CSRF_RE.search(html)
        if not token:
            return
        form = {
            "csrf_token": token.group(1),
            "subject": "Noise again",
            "description": "The noise is back after the repair.",
        }
        url = "/my/complaints/submit" if COMPLAINT else "/submitted/ticket"
        with self.client.post(
            url,
            data=form,
            name="portal: new submit",
            catch_response=True,
            allow_redirects=False,
        ) as resp:
            if resp.status_code not in (200, 303, 302):
                resp.failure(f"HTTP {resp.status_code}")


class MailGateway(RpcUser):
    # 2 mails a second in all (BENCH_LOAD_MAIL_USERS senders, default 6).
    fixed_count = int(os.environ.get("BENCH_LOAD_MAIL_USERS", "6"))
    wait_time = constant_throughput(2.0 / fixed_count)

    def on_start(self):
        self.login(PLAN["admin"])

    @task
    def mail(self):
        n = next(MAIL_SEQ)
        customer = random.choice(PLAN["customers"])
        plate = random.choice(PLAN["plates"]) if PLAN["plates"] else ""
        message = (
            f"From: {customer['name']} <{customer['email']}>\r\n"
            f"To: complaints@example.com\r\n"
            f"Subject: Problem after repair {n}\r\n"
            f"Message-Id: <load-{os.getpid()}-{n}-{random.random()}@example.com>\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\n\r\n"
            f"My car {plate} makes a noise again since the repair.\r\n"
            f"Phone: {customer['phone']}\r\n"
        )
        self.call(
            "mail.thread",
            "message_process",
            [MODEL, message],
            {"custom_values": {"team_id": PLAN["team"]}},
            "mail: message_process",
        )
