# ruff: noqa: E501 (HTML and CSS of the rendered pages)
"""Take the screenshots of static/description/ from a running Odoo with the
addon and its demo data (see tools/screenshots, which starts one).

Headless Chromium driven over the DevTools protocol (websocket-client, as
Odoo's own browser tests do): each page is opened with a logged-in session,
the script waits until the view is rendered, then captures it. PNGs are
reduced to a palette when larger than the size budget.

    python tools/screenshots.py --url http://127.0.0.1:8069 --db complaints [--only NAME...]
"""

import argparse
import base64
import io
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import requests
import websocket
from PIL import Image
from screenshots_xlsx import xlsx_html

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static/description"
MAX_BYTES = 300 * 1024
DESKTOP = (1280, 800)
PHONE = (390, 844)


class Odoo:
    """JSON-RPC as one user (a requests session holding its cookie)."""

    def __init__(self, url, db, login, password):
        self.url, self.db = url, db
        self.http = requests.Session()
        result = self._post(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password},
        )
        self.uid = result["uid"]

    def _post(self, path, params):
        response = self.http.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=300,
        )
        response.raise_for_status()
        payload = response.json()
        if payload.get("error"):
            raise RuntimeError(json.dumps(payload["error"], indent=1)[:2000])
        return payload["result"]

    def call(self, model, method, *args, **kwargs):
        return self._post(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    @property
    def session_id(self):
        return self.http.cookies.get("session_id")


class Browser:
    """One headless Chromium tab over the DevTools protocol."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="hmc-shots-")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        binary = shutil.which("chromium") or shutil.which("google-chrome")
        if not binary:
            raise SystemExit("no Chromium found (apt-get install chromium)")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                "--disable-extensions",
                "--force-device-scale-factor=1",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                tabs = requests.get(
                    f"http://127.0.0.1:{port}/json/list", timeout=1
                ).json()
                page = next(t for t in tabs if t["type"] == "page")
                break
            except (requests.RequestException, StopIteration, ValueError):
                time.sleep(0.2)
        else:
            raise SystemExit("Chromium did not start")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=120)
        self.next_id = 0
        self.send("Page.enable")
        self.send("Runtime.enable")

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send(
            "Runtime.evaluate",
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        if result.get("exceptionDetails"):
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def size(self, width, height, mobile=False):
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=mobile,
        )

    def login(self, base_url, session_id, lang=None):
        self.send("Network.enable")
        self.send("Network.clearBrowserCookies")
        self.send(
            "Network.setCookie", name="session_id", value=session_id, url=base_url
        )
        if lang:
            self.send(
                "Network.setCookie", name="frontend_lang", value=lang, url=base_url
            )

    def open(self, url, ready, settle=1.5, timeout=60):
        """Load ``url`` and wait until the JS expression ``ready`` is true and
        Odoo shows no loading indicator."""
        self.send("Page.navigate", url=url)
        self.wait(ready, settle, timeout)

    def wait(self, ready, settle=1.5, timeout=60):
        deadline = time.time() + timeout
        check = (
            f"!!({ready}) && document.readyState === 'complete' "
            "&& !document.querySelector('.o_loading_indicator, .o_blockUI')"
        )
        while time.time() < deadline:
            try:
                if self.evaluate(check):
                    time.sleep(settle)
                    return
            except RuntimeError:
                pass
            time.sleep(0.3)
        raise RuntimeError(
            f"timeout waiting for {ready} on {self.evaluate('location.href')}"
        )

    def shot(self, name, full_page_height=None):
        # No "page out of date" or other toast over the product.
        self.evaluate(
            "document.querySelectorAll('.o_notification_manager, .o_notification')"
            ".forEach(e => e.style.display = 'none')"
        )
        params = {"format": "png"}
        if full_page_height:
            width = self.evaluate("window.innerWidth")
            params["clip"] = {
                "x": 0,
                "y": 0,
                "width": width,
                "height": full_page_height,
                "scale": 1,
            }
            params["captureBeyondViewport"] = True
        data = base64.b64decode(self.send("Page.captureScreenshot", **params)["data"])
        save_png(data, OUT / f"{name}.png")

    def close(self):
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            self.process.wait(10)
            shutil.rmtree(self.profile, ignore_errors=True)


def save_png(data, path):
    """Write the PNG, reduced to a 256-colour palette when over budget."""
    if len(data) > MAX_BYTES:
        image = Image.open(io.BytesIO(data)).convert("RGB")
        buffer = io.BytesIO()
        image.quantize(
            colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        ).save(buffer, "PNG", optimize=True)
        data = buffer.getvalue()
    path.write_bytes(data)
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    print(f"{shown}  {len(data) // 1024} KB")


# -- the screenshots ---------------------------------------------------------------

ACTION = "/odoo/action-helpdesk_mgmt_complaint.action_helpdesk_complaint"


def showcase_complaint(admin):
    """The demo complaint with the longest process history."""
    tickets = admin.call(
        "helpdesk.ticket",
        "search_read",
        [
            ("is_complaint", "=", True),
            ("transfer_ids", "!=", False),
            ("complaint_state", "not in", ("closed", "rejected")),
        ],
        ["id", "transfer_ids"],
    )
    return max(tickets, key=lambda t: (len(t["transfer_ids"]), -t["id"]))["id"]


def portal_complaint(portal):
    """The customer's most recent open complaint (else the most recent)."""
    complaints = portal.call(
        "helpdesk.ticket",
        "search_read",
        [("is_complaint", "=", True)],
        ["complaint_state"],
        order="id desc",
    )
    open_ones = [
        c for c in complaints if c["complaint_state"] not in ("closed", "rejected")
    ]
    return (open_ones or complaints)[0]["id"]


def shot_kanban(ctx):
    browser = ctx["browser"]
    browser.size(*DESKTOP)
    browser.open(
        f"{ctx['url']}{ACTION}?view_type=kanban",
        "document.querySelectorAll('.o_kanban_record:not(.o_kanban_ghost)').length > 3",
        settle=3,
    )
    browser.shot("screenshot_kanban")


def shot_form(ctx, name="screenshot_form"):
    browser = ctx["browser"]
    browser.size(DESKTOP[0], 960)
    browser.open(
        f"{ctx['url']}{ACTION}/{ctx['complaint']}",
        "document.querySelector('.o_form_view .o_notebook')",
    )
    # Show the process history tab.
    browser.evaluate(
        "[...document.querySelectorAll('.o_notebook .nav-link')]"
        ".find(a => a.getAttribute('name') === 'complaint_history')?.click()"
    )
    browser.wait(
        "document.querySelector('.o_notebook .tab-pane.active .o_list_renderer')"
    )
    browser.shot(name)


def shot_transfer(ctx):
    browser = ctx["browser"]
    browser.size(*DESKTOP)
    browser.open(
        f"{ctx['url']}{ACTION}/{ctx['complaint']}",
        "document.querySelector('.o_form_view button[name=action_complaint_transfer]')",
    )
    browser.evaluate(
        "document.querySelector('button[name=action_complaint_transfer]').click()"
    )
    browser.wait("document.querySelector('.modal .o_form_view')")
    browser.evaluate(
        "document.querySelector('.modal .o_field_widget[name=user_id] input').focus()"
    )
    browser.send("Input.insertText", text="Dana")
    browser.wait(
        "document.querySelector('.o-autocomplete--dropdown-item a')", settle=0.5
    )
    browser.evaluate(
        "document.querySelector('.o-autocomplete--dropdown-item a').click()"
    )
    browser.wait(
        "document.querySelector('.modal .o_field_widget[name=user_id] input').value.includes('Dana')"
    )
    browser.evaluate(
        "document.querySelector('.modal .o_field_widget[name=reason] textarea').focus()"
    )
    browser.send(
        "Input.insertText",
        text="The customer asked for the service advisor who handled the repair.",
    )
    time.sleep(0.5)
    browser.shot("screenshot_transfer")


def shot_portal(ctx, name="screenshot_portal_phone"):
    browser = ctx["browser"]
    browser.login(ctx["url"], ctx["portal"].session_id, ctx.get("lang"))
    try:
        browser.size(*PHONE, mobile=True)
        browser.open(
            f"{ctx['url']}/my/complaint/{ctx['portal_complaint']}",
            "document.querySelector('#chatterRoot')?.shadowRoot"
            "?.querySelector('.o-mail-Message, .o-mail-Composer')",
            settle=3,
        )
        height = browser.evaluate("document.documentElement.scrollHeight")
        browser.shot(name, full_page_height=min(height, 1700))
    finally:
        browser.login(ctx["url"], ctx["admin"].session_id)


def shot_portal_phone(ctx):
    """The complaints list (one card each), the new-complaint form and the
    portal home (complaints card with count and New) at phone size."""
    browser = ctx["browser"]
    browser.login(ctx["url"], ctx["portal"].session_id, ctx.get("lang"))
    try:
        browser.size(*PHONE, mobile=True)
        browser.open(
            f"{ctx['url']}/my/complaints",
            "document.querySelector('.o_complaint_portal_card')",
        )
        height = browser.evaluate("document.documentElement.scrollHeight")
        browser.shot("screenshot_portal_phone_list", full_page_height=min(height, 1700))
        browser.open(
            f"{ctx['url']}/my/complaints/new",
            "document.querySelector('.o_complaint_portal_form')",
        )
        browser.shot("screenshot_portal_phone_new")
        browser.open(
            f"{ctx['url']}/my",
            "document.querySelector('.o_complaint_home_count')?.textContent.trim()",
        )
        browser.shot("screenshot_portal_phone_home")
    finally:
        browser.login(ctx["url"], ctx["admin"].session_id)


def shot_pdf(ctx):
    """The distribution report as wkhtmltopdf prints it: its HTML rendering
    (headless Chromium cannot rasterise PDF files)."""
    admin, browser = ctx["admin"], ctx["browser"]
    wizard = admin.call(
        "helpdesk.complaint.report.wizard", "create", {"date_from": False}
    )
    action = admin.call(
        "helpdesk.complaint.report.wizard", "action_print_pdf", [wizard]
    )
    if action["type"] != "ir.actions.report":
        # A company without a document layout gets the layout configurator
        # first, holding the report action.
        action = action["context"]["report_action"]
    options = json.dumps(action["data"])
    browser.size(*DESKTOP)
    browser.open(
        f"{ctx['url']}/report/html/{action['report_name']}/{wizard}?options="
        + requests.utils.quote(options),
        "document.querySelector('.page, .article')",
    )
    browser.shot("screenshot_pdf")


def shot_xlsx(ctx):
    """The XLSX workbook's distribution and complaint sheets, rendered as an
    HTML table (openpyxl), the way a spreadsheet application shows them."""
    import openpyxl

    admin, browser = ctx["admin"], ctx["browser"]
    wizard = admin.call(
        "helpdesk.complaint.report.wizard", "create", {"date_from": False}
    )
    action = admin.call(
        "helpdesk.complaint.report.wizard", "action_export_xlsx", [wizard]
    )
    content = admin.http.get(ctx["url"] + action["url"], timeout=120).content
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    page = xlsx_html(workbook, workbook.sheetnames[0], 28, 12)
    path = Path(tempfile.mkdtemp(prefix="hmc-xlsx-")) / "sheet.html"
    path.write_text(page)
    browser.size(*DESKTOP)
    browser.open(path.as_uri(), "document.querySelector('table')", settle=0.5)
    browser.shot("screenshot_xlsx")
    shutil.rmtree(path.parent, ignore_errors=True)


def shot_dashboard(ctx):
    admin, browser = ctx["admin"], ctx["browser"]
    dashboard = admin.call(
        "ir.model.data",
        "check_object_reference",
        "helpdesk_mgmt_complaint",
        "spreadsheet_dashboard_complaints",
    )[1]
    # Tall enough for the whole sheet: figures outside the viewport are
    # not drawn.
    browser.size(DESKTOP[0], 2060)
    browser.open(
        f"{ctx['url']}/odoo/dashboards?dashboard_id={dashboard}",
        "document.querySelector('.o_search_panel_category_value.active')?.textContent.includes('Complaints')"
        " && document.querySelectorAll('.o-figure canvas, .o-figure .o-scorecard').length >= 11",
        settle=4,
        timeout=90,
    )
    browser.shot("screenshot_dashboard")


def shot_banner(ctx):
    """The banner of the manifest's images: name, pitch and the kanban."""
    browser = ctx["browser"]
    kanban = base64.b64encode((OUT / "screenshot_kanban.png").read_bytes()).decode()
    icon = base64.b64encode((OUT / "icon.png").read_bytes()).decode()
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; width: 1120px; height: 560px; overflow: hidden; font-family: Arial, sans-serif;
       background: linear-gradient(135deg, #00666b 0%, #008080 55%, #f58220 160%); color: #fff; }}
.text {{ position: absolute; left: 56px; top: 70px; width: 430px; }}
h1 {{ font-size: 46px; margin: 24px 0 16px; line-height: 1.1; }}
p {{ font-size: 21px; line-height: 1.45; margin: 0 0 12px; }}
.icon {{ width: 84px; height: 84px; border-radius: 16px; background: #fff; padding: 6px; }}
.shot {{ position: absolute; left: 520px; top: 64px; width: 760px; border-radius: 10px;
         box-shadow: 0 18px 50px rgba(0,0,0,.45); border: 6px solid #fff; }}
.tag {{ display: inline-block; background: rgba(255,255,255,.18); border-radius: 14px; padding: 5px 12px;
        margin: 4px 6px 0 0; font-size: 15px; }}
</style></head><body>
<div class="text"><img class="icon" src="data:image/png;base64,{icon}"/>
<h1>Helpdesk Complaints</h1>
<p>Customer complaints for garages and after-sales service, on Odoo 18 Community.</p>
<span class="tag">48 h SLA</span><span class="tag">Transfers</span><span class="tag">Close rights</span>
<span class="tag">Customer portal</span><span class="tag">Dashboard</span></div>
<img class="shot" src="data:image/png;base64,{kanban}"/>
</body></html>"""
    path = Path(tempfile.mkdtemp(prefix="hmc-banner-")) / "banner.html"
    path.write_text(page)
    browser.size(1120, 560)
    browser.open(path.as_uri(), "document.querySelector('.shot').complete", settle=0.3)
    browser.shot("banner")
    shutil.rmtree(path.parent, ignore_errors=True)


def hebrew(ctx):
    """The complaint form and the portal page with the users in Hebrew."""
    admin = ctx["admin"]
    hebrew_lang = admin.call(
        "res.lang", "search", [("code", "=", "he_IL")], context={"active_test": False}
    )
    wizard = admin.call(
        "base.language.install", "create", {"lang_ids": [(6, 0, hebrew_lang)]}
    )
    admin.call("base.language.install", "lang_install", [wizard])
    users = {
        "admin": (admin.uid, "en_US"),
        "portal": (ctx["portal"].uid, None),
    }
    langs = {
        name: admin.call("res.users", "read", [uid], ["lang"])[0]["lang"]
        for name, (uid, _lang) in users.items()
    }
    try:
        for uid, _lang in users.values():
            admin.call("res.users", "write", [uid], {"lang": "he_IL"})
        # New sessions: a session keeps the language of its login, and the
        # server picks the right-to-left stylesheets from it.
        hebrew_ctx = dict(
            ctx,
            admin=Odoo(ctx["url"], admin.db, "admin", "admin"),
            portal=Odoo(ctx["url"], admin.db, "ana", "ana"),
            lang="he_IL",
        )
        ctx["browser"].login(ctx["url"], hebrew_ctx["admin"].session_id)
        shot_form(hebrew_ctx, "screenshot_form_he")
        shot_portal(hebrew_ctx, "screenshot_portal_he")
    finally:
        for name, (uid, _lang) in users.items():
            admin.call("res.users", "write", [uid], {"lang": langs[name]})
        ctx["browser"].login(ctx["url"], admin.session_id)


SHOTS = {
    "kanban": shot_kanban,
    "form": shot_form,
    "transfer": shot_transfer,
    "portal": shot_portal,
    "portal_phone": shot_portal_phone,
    "pdf": shot_pdf,
    "xlsx": shot_xlsx,
    "dashboard": shot_dashboard,
    "hebrew": hebrew,
    "banner": shot_banner,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--url", default=os.environ.get("ODOO_URL", "http://127.0.0.1:8069")
    )
    parser.add_argument("--db", default=os.environ.get("ODOO_DB", "complaints"))
    parser.add_argument(
        "--only", nargs="*", choices=sorted(SHOTS), help="take these only"
    )
    args = parser.parse_args()
    admin = Odoo(args.url, args.db, "admin", "admin")
    portal = Odoo(args.url, args.db, "ana", "ana")
    browser = Browser()
    ctx = {
        "url": args.url,
        "admin": admin,
        "portal": portal,
        "browser": browser,
        "complaint": showcase_complaint(admin),
        "portal_complaint": portal_complaint(portal),
    }
    try:
        browser.login(args.url, admin.session_id)
        for name, shot in SHOTS.items():
            if not args.only or name in args.only:
                shot(ctx)
    finally:
        browser.close()


if __name__ == "__main__":
    main()
