/*
 * The customer portal on a phone (390 x 844, run from
 * tests/test_complaint_portal_phone_tour.py) as the demo customer Ana: the
 * home card counts her complaints, the list is one card per complaint with
 * nothing cut, "New complaint" is on screen (not in the folded menu), a
 * complaint opens with its state in her words, and a new one preselects her
 * only car.
 */

import {registry} from "@web/core/registry";

const TITLE = "Rattle from the dashboard on cobbles";

function assertNotCut() {
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 1) {
        throw new Error(`The page is ${overflow}px wider than the phone screen`);
    }
}

registry.category("web_tour.tours").add("helpdesk_mgmt_complaint_portal_phone_tour", {
    url: "/my",
    steps: () => [
        {
            content: "The complaints card shows how many she has",
            trigger: ".o_portal_index_card .o_complaint_home_count:not(:empty)",
        },
        {
            content: "and a New action",
            trigger: ".o_portal_index_card .o_complaint_home_new button",
        },
        {
            content: "Open her complaints",
            trigger: ".o_portal_index_card a[href='/my/complaints']",
            run: "click",
        },
        {
            content: "One card per complaint, the state in her words",
            trigger: ".o_complaint_portal_card .o_complaint_portal_state:contains(Received)",
            run: assertNotCut,
        },
        {
            content: "No table cut after its first columns",
            trigger: ".o_complaint_portal_cards",
            run() {
                const table = document.querySelector(".o_portal_my_doc_table");
                if (table && table.offsetParent !== null) {
                    throw new Error("The complaints table is shown on a phone");
                }
            },
        },
        {
            content: "A broken promise is flagged on its card",
            trigger: ".o_complaint_portal_card .o_complaint_portal_overdue",
        },
        {
            content: "Open a complaint",
            trigger: ".o_complaint_portal_card:first",
            run: "click",
        },
        {
            content: "Its page shows the state for customers",
            trigger: "#complaint_content .o_complaint_portal_state",
            run: assertNotCut,
        },
        {
            content: "Back to the list",
            trigger: ".o_portal_submenu a[href='/my/complaints']",
            run: "click",
        },
        {
            content: "New complaint is on screen, not behind the menu",
            trigger: "a.o_complaint_portal_new",
            run: "click",
        },
        {
            content: "Her only car is chosen",
            trigger: "select[name=vehicle_id]:has(option:selected:contains(LJ 47-KRS))",
        },
        {
            content: "Title",
            trigger: "input[name=subject]",
            run: `edit ${TITLE}`,
        },
        {
            content: "What went wrong",
            trigger: "textarea[name=description]",
            run: "edit Something rattles behind the glovebox.",
        },
        {
            content: "Send",
            trigger: ".o_complaint_portal_form button[type=submit]",
            run: "click",
        },
        {
            content: "Registered, in her words",
            trigger: ".o_complaint_portal_created",
            run: assertNotCut,
        },
        {
            content: "Received",
            trigger: "#complaint_content .o_complaint_portal_state:contains(Received)",
        },
    ],
});
