"""Drive headless Chromium over the DevTools protocol for
tools/screenshots-frontdesk: base URL, database, output folder."""

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

BASE, DB, OUT = sys.argv[1:4]
PHONE = "041 555 318"  # Ana Novak's number in the demo data


def login(user, password):
    """A session cookie for `user`, from /web/session/authenticate."""
    body = json.dumps(
        {"params": {"db": DB, "login": user, "password": password}}
    ).encode()
    request = urllib.request.Request(
        f"{BASE}/web/session/authenticate",
        body,
        {"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        for header in response.headers.get_all("Set-Cookie"):
            if header.startswith("session_id="):
                return header.split(";")[0].split("=", 1)[1]
    raise SystemExit(f"cannot log in as {user}")


class Browser:
    def __init__(self):
        binary = shutil.which("chromium") or shutil.which("google-chrome")
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        sock.close()
        self.profile = tempfile.mkdtemp()
        self.proc = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json") as r:
                    pages = [p for p in json.load(r) if p["type"] == "page"]
                    if pages:
                        break
            except OSError:
                pass
            time.sleep(0.2)
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"])
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        self.ws.send(json.dumps(message))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                return message.get("result", {})

    def js(self, expression):
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=30):
        for _ in range(int(timeout * 5)):
            if self.js(f"!!document.querySelector({json.dumps(selector)})"):
                return
            time.sleep(0.2)
        raise SystemExit(f"timeout waiting for {selector}")

    def session(self, cookie, width, height, mobile=False):
        self.call("Network.enable")
        self.call("Network.clearBrowserCookies")
        self.call("Network.setCookie", name="session_id", value=cookie, url=BASE)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=2 if mobile else 1,
            mobile=mobile,
        )

    def goto(self, path):
        self.call("Page.navigate", url=BASE + path)

    def type_into(self, selector, text):
        self.js(
            f"""(() => {{
                const el = document.querySelector({json.dumps(selector)});
                el.focus(); el.value = {json.dumps(text)};
                el.dispatchEvent(new Event("input", {{bubbles: true}}));
                el.dispatchEvent(new Event("change", {{bubbles: true}}));
                el.blur();
            }})()"""
        )

    def click(self, selector):
        self.js(f"document.querySelector({json.dumps(selector)}).click()")

    def shot(self, name):
        time.sleep(1.5)
        # Notifications (e.g. "page out of date" after an update) hide the view.
        self.js("document.querySelectorAll('.o_notification').forEach(n => n.remove())")
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path = os.path.join(OUT, name)
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        print(path)

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


browser = Browser()
try:
    # The advisor takes a call: the number finds Ana and her car.
    browser.session(login("dana", "dana"), 1440, 1000)
    browser.goto("/odoo/action-helpdesk_mgmt_complaint.action_helpdesk_complaint/new")
    browser.wait_for(".o_form_view .o_field_widget[name=partner_phone] input")
    browser.type_into(".o_field_widget[name=partner_phone] input", PHONE)
    browser.wait_for(".o_field_widget[name=vehicle_id] input:not([value=''])")
    browser.shot("01-new-complaint-form.png")
    # The officer closes an open complaint through the dialog.
    browser.session(login("marek", "marek"), 1440, 1000)
    browser.goto("/odoo/action-helpdesk_mgmt_complaint.action_helpdesk_complaint")
    browser.wait_for(".o_kanban_record")
    browser.click(".o_kanban_record")
    browser.wait_for("button[name=action_complaint_close_dialog]")
    browser.click("button[name=action_complaint_close_dialog]")
    browser.wait_for(".modal .o_field_widget[name=resolution_method]")
    browser.shot("02-close-dialog.png")
    # A customer on a phone.
    browser.session(login("ana", "ana"), 390, 844, mobile=True)
    browser.goto("/my/complaints")
    browser.wait_for("body")
    browser.shot("03-portal-phone.png")
finally:
    browser.close()
