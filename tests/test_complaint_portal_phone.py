# Copyright 2026 helpdesk_mgmt_complaint contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The portal as a customer reads it on a phone: one card per complaint (the
customer's own only), states in the customer's words, the promise in words
and flagged once broken, the only car preselected, the home card's count and
New action."""

import re
from datetime import datetime, timedelta

from lxml import html

from odoo import Command, fields
from odoo.tests import tagged

from .test_complaint_portal import ComplaintPortalCase


@tagged("post_install", "-at_install")
class TestComplaintPortalPhone(ComplaintPortalCase):
    def _page(self, url):
        resp = self.url_open(url)
        self.assertEqual(resp.status_code, 200)
        return resp.text, html.fromstring(resp.text)

    def _texts(self, tree, css_class):
        return [
            " ".join(el.text_content().split())
            for el in tree.xpath(f"//*[contains(@class, '{css_class}')]")
        ]

    def test_cards_show_own_complaints_only(self):
        other_a = self._complaint(self.partner_a, "alba-second", self.vehicle_a)
        for login, own, foreign in (
            ("hmc_portal_a", self.complaint_a | other_a, self.complaint_b),
            ("hmc_portal_b", self.complaint_b, self.complaint_a | other_a),
        ):
            self.authenticate(login, login)
            text, tree = self._page("/my/complaints")
            cards = tree.xpath("//a[contains(@class, 'o_complaint_portal_card')]")
            self.assertEqual(
                sorted(int(card.get("data-complaint-id")) for card in cards),
                sorted(own.ids),
            )
            rows = tree.xpath("//tr[contains(@class, 'o_complaint_portal_row')]")
            self.assertEqual(len(rows), len(own), "the table for wider screens")
            for complaint in foreign:
                self.assertNotIn(complaint.name, text)
            self.assertEqual(self._counters()["complaint_count"], len(own))
            # The cards sit under the small breakpoint, the table above it.
            self.assertTrue(tree.xpath("//div[contains(@class, 'd-md-none')]"))
            self.assertTrue(
                tree.xpath(
                    "//div[contains(@class, 'table-responsive')"
                    " and contains(@class, 'd-none d-md-block')]"
                )
            )
            # New complaint is outside the menu that folds on a phone.
            self.assertTrue(
                tree.xpath(
                    "//a[contains(@class, 'o_complaint_portal_new')]"
                    "[not(ancestor::*[@id='o_portal_navbar_content'])]"
                )
            )

    def test_states_in_the_customers_words(self):
        stages = {
            state: self.env.ref(f"helpdesk_mgmt_complaint.stage_complaint_{state}")
            for state in ("analysed", "verified", "closed", "rejected")
        }
        expected = {
            "analysed": "Being looked into",
            "verified": "Solution proposed",
            "closed": "Resolved",
            "rejected": "Closed",
        }
        topic = self.env["helpdesk.complaint.topic"].create({"name": "Noise"})
        self.authenticate("hmc_portal_a", "hmc_portal_a")
        text, tree = self._page("/my/complaints")
        self.assertEqual(
            set(self._texts(tree, "o_complaint_portal_state")), {"Received"}
        )
        for state, stage in stages.items():
            # Written directly: the close dialog is not the point here.
            self.complaint_a.sudo().write(
                {"stage_id": stage.id, "topic_ids": [Command.set(topic.ids)]}
            )
            self.assertEqual(self.complaint_a.complaint_state, state)
            text, tree = self._page("/my/complaints")
            self.assertEqual(
                set(self._texts(tree, "o_complaint_portal_state")), {expected[state]}
            )
            self.assertNotIn(stage.name, self._texts(tree, "o_complaint_portal_state"))
            text, tree = self._page(f"/my/complaint/{self.complaint_a.id}")
            self.assertEqual(
                self._texts(tree, "o_complaint_portal_state"), [expected[state]]
            )
            if state in ("analysed", "verified"):
                # The internal name appears nowhere on the customer's pages.
                self.assertNotIn(stage.name, text)

    def test_promise_in_words_and_broken_promise_flagged(self):
        self.partner_a.tz = "Europe/Ljubljana"
        self.authenticate("hmc_portal_a", "hmc_portal_a")
        # Kept: due in some hours, no flag.
        self.complaint_a.sla_deadline = fields.Datetime.now() + timedelta(
            hours=5, minutes=30
        )
        text, tree = self._page("/my/complaints")
        self.assertIn("due in 5 h", self._texts(tree, "o_complaint_portal_relative"))
        self.assertFalse(
            tree.xpath("//*[contains(@class, 'o_complaint_portal_overdue')]")
        )
        # Broken: flagged on the card, the row and the complaint's page.
        self.complaint_a.sla_deadline = fields.Datetime.now() - timedelta(
            days=2, hours=1
        )
        text, tree = self._page("/my/complaints")
        self.assertEqual(
            self._texts(tree, "o_complaint_portal_relative"), ["overdue by 2 days"] * 2
        )
        self.assertEqual(
            len(tree.xpath("//*[contains(@class, 'o_complaint_portal_overdue')]")), 2
        )
        self.assertTrue(
            tree.xpath(
                "//a[contains(@class, 'o_complaint_portal_card')"
                " and contains(@class, 'border-danger')]"
            )
        )
        text, tree = self._page(f"/my/complaint/{self.complaint_a.id}")
        self.assertIn(
            "overdue by 2 days", self._texts(tree, "o_complaint_portal_relative")
        )
        self.assertTrue(
            tree.xpath("//*[contains(@class, 'o_complaint_portal_overdue')]")
        )
        # A closed complaint shows no promise at all.
        self.complaint_a.sudo().write(
            {
                "stage_id": self.env.ref(
                    "helpdesk_mgmt_complaint.stage_complaint_closed"
                ).id,
                "topic_ids": [
                    Command.create({"name": "Noise"}),
                ],
            }
        )
        text, tree = self._page("/my/complaints")
        self.assertFalse(
            tree.xpath("//*[contains(@class, 'o_complaint_portal_overdue')]")
        )
        self.assertFalse(self._texts(tree, "o_complaint_portal_relative"))

    def test_promised_date_in_customers_time_zone_without_seconds(self):
        self.partner_a.tz = "Europe/Ljubljana"
        # 2030-01-15 16:45:30 UTC is 17:45 in Ljubljana (winter time).
        self.complaint_a.sla_deadline = datetime(2030, 1, 15, 16, 45, 30)
        self.authenticate("hmc_portal_a", "hmc_portal_a")
        text, tree = self._page(f"/my/complaint/{self.complaint_a.id}")
        shown = self._texts(tree, "o_complaint_portal_deadline")
        self.assertEqual(len(shown), 1)
        self.assertIn("5:45", shown[0])
        self.assertIn("PM", shown[0])
        self.assertNotIn(":30", shown[0], "no seconds")
        # Nor in the registration date.
        registered = tree.xpath("//div[strong[contains(., 'Registered on')]]")
        self.assertEqual(len(registered), 1)
        self.assertFalse(
            re.search(r"\d:\d\d:\d\d", registered[0].text_content()),
            registered[0].text_content(),
        )

    def test_new_form_preselects_the_only_vehicle(self):
        self.authenticate("hmc_portal_a", "hmc_portal_a")

        def selected():
            _text, tree = self._page(self.url)
            return tree.xpath("//select[@name='vehicle_id']/option[@selected]/@value")

        self.url = "/my/complaints/new"
        self.assertEqual(selected(), [str(self.vehicle_a.id)])
        # Back with "Not listed" chosen (an error on the form): kept.
        self.url = "/my/complaints/new?vehicle_id="
        self.assertEqual(selected(), [])
        # Two cars: the customer chooses.
        self.vehicle_b.copy(
            {"license_plate": "2-AAA-222", "driver_id": self.partner_a.id}
        )
        self.url = "/my/complaints/new"
        self.assertEqual(selected(), [])

    def test_home_card_count_and_new_action(self):
        self.authenticate("hmc_portal_a", "hmc_portal_a")
        _text, tree = self._page("/my")
        card = tree.xpath(
            "//div[contains(@class, 'o_portal_index_card')]"
            "[.//a[@href='/my/complaints']]"
        )
        self.assertEqual(len(card), 1)
        self.assertNotIn("d-none", card[0].get("class"), "shown without complaints too")
        count = card[0].xpath(".//*[@data-placeholder_count='complaint_count']")
        self.assertEqual(len(count), 1)
        self.assertNotIn("d-none", count[0].get("class"))
        self.assertEqual(
            card[0].xpath(".//form[contains(@class, 'o_complaint_home_new')]/@action"),
            ["/my/complaints/new"],
        )
        # The count the card is filled with: the customer's own complaints.
        self.assertEqual(self._counters()["complaint_count"], 1)
        # Counted once already (session cache): the card keeps its count.
        _text, tree = self._page("/my")
        self.assertTrue(tree.xpath("//*[@data-placeholder_count='complaint_count']"))
