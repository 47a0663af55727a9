"""Drive headless Chromium for tools/screenshots-frontdesk (arguments: base
URL, database, output folder), with the DevTools client and JSON-RPC login of
tools/screenshots.py."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import screenshots as shots  # noqa: E402

BASE, DB, OUT = sys.argv[1:4]
shots.OUT = Path(OUT)
PHONE = "041 555 318"  # Ana Novak's number in the demo data


def session(login):
    """A session of a demo user (password = login)."""
    return shots.Odoo(BASE, DB, login, login).session_id


def present(selector):
    return f"document.querySelector({json.dumps(selector)})"


def type_into(browser, selector, text):
    browser.evaluate(
        f"""(() => {{
            const el = {present(selector)};
            el.focus(); el.value = {json.dumps(text)};
            el.dispatchEvent(new Event("input", {{bubbles: true}}));
            el.dispatchEvent(new Event("change", {{bubbles: true}}));
            el.blur();
        }})()"""
    )


def click(browser, selector):
    browser.evaluate(f"{present(selector)}.click()")


browser = shots.Browser()
try:
    # The advisor takes a call: the number finds Ana and her car.
    browser.size(1440, 1000)
    browser.login(BASE, session("dana"))
    phone_input = ".o_form_view .o_field_widget[name=partner_phone] input"
    browser.open(
        BASE + "/odoo/action-helpdesk_mgmt_complaint.action_helpdesk_complaint/new",
        present(phone_input),
    )
    type_into(browser, phone_input, PHONE)
    browser.wait(present(".o_field_widget[name=vehicle_id] input:not([value=''])"))
    browser.shot("01-new-complaint-form")
    # The officer closes an open complaint through the dialog.
    browser.login(BASE, session("marek"))
    browser.open(
        BASE + "/odoo/action-helpdesk_mgmt_complaint.action_helpdesk_complaint",
        present(".o_kanban_record"),
    )
    click(browser, ".o_kanban_record")
    close_button = "button[name=action_complaint_close_dialog]"
    browser.wait(present(close_button))
    click(browser, close_button)
    browser.wait(present(".modal .o_field_widget[name=resolution_method]"))
    browser.shot("02-close-dialog")
    # A customer on a phone.
    browser.size(390, 844, mobile=True)
    browser.login(BASE, session("ana"))
    browser.open(BASE + "/my/complaints", present("body"))
    browser.shot("03-portal-phone")
finally:
    browser.close()
