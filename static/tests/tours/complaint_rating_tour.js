/*
 * Portal rating (run from tests/test_complaint_rating_portal.py), as the
 * portal customer of a closed complaint: the complaint page asks to rate, the
 * customer picks "Dissatisfied" and writes why on Odoo's rating page, then the
 * complaint page says it was reopened and who will call.
 */

import {registry} from "@web/core/registry";

const FEEDBACK = "The noise is back after two days.";

registry.category("web_tour.tours").add("helpdesk_mgmt_complaint_rating_tour", {
    steps: () => [
        {
            content: "The closed complaint asks for a rating",
            trigger: ".o_complaint_portal_rate:contains(How satisfied are you)",
            run() {
                sessionStorage.setItem("hmc_rating_page", window.location.pathname);
            },
        },
        {
            content: "Dissatisfied",
            trigger: ".o_complaint_portal_rate a.o_complaint_rate_1",
            run: "click",
        },
        {
            content: "Say why",
            trigger: "textarea[name=feedback]",
            run: `edit ${FEEDBACK}`,
        },
        {
            content: "Send the rating",
            trigger: "form[action*='submit_feedback'] button[type=submit]",
            run: "click",
        },
        {
            content: "Odoo's rating page took the rating; back to the complaint",
            trigger: ".o_rating_page_thank_you",
            run() {
                window.location.href = sessionStorage.getItem("hmc_rating_page");
            },
        },
        {
            content: "The complaint page says it was reopened and who will call",
            trigger: ".o_complaint_portal_hot:contains(reopened) .o_complaint_portal_caller",
        },
    ],
});
