/*
 * Customer portal (run from tests/test_complaint_portal_tour.py), as a portal
 * customer: open a new complaint for one of their vehicles, get the
 * acknowledgement with its number, find it in "My complaints" with its
 * promised date, open it and post a message in its history.
 */

import {registry} from "@web/core/registry";

const PLATE = "7-TUR-777";
const TITLE = "Wipers squeak since the service";
const DESCRIPTION = "The new wiper blades squeak on a dry windscreen.";
const MESSAGE = "They squeak on the rear window too.";
const CHATTER = "#chatterRoot:shadow";

registry.category("web_tour.tours").add("helpdesk_mgmt_complaint_portal_tour", {
    url: "/my",
    steps: () => [
        {
            content: "The portal home links to the complaints",
            trigger: "a[href='/my/complaints']",
            run: "click",
        },
        {
            content: "Open a new complaint",
            trigger: "a.o_complaint_portal_new",
            run: "click",
        },
        {
            content: "Choose the vehicle",
            trigger: "select[name=vehicle_id]",
            run: `selectByLabel ${PLATE}`,
        },
        {
            content: "Title",
            trigger: "input[name=subject]",
            run: `edit ${TITLE}`,
        },
        {
            content: "What went wrong",
            trigger: "textarea[name=description]",
            run: `edit ${DESCRIPTION}`,
        },
        {
            content: "Send the complaint",
            trigger: ".o_complaint_portal_form button[type=submit]",
            run: "click",
        },
        {
            content: "The acknowledgement shows the complaint number",
            trigger:
                ".o_complaint_portal_created:contains(registered under the number)",
        },
        {
            content: "The vehicle is on the complaint",
            trigger: `.o_complaint_portal_vehicle:contains(${PLATE})`,
        },
        {
            content: "Back to the list of complaints",
            trigger: ".o_portal_submenu a[href='/my/complaints']",
            run: "click",
        },
        {
            content: "The complaint is listed with its promised date",
            trigger: `tr.o_complaint_portal_row:contains(${TITLE}) td.o_complaint_portal_deadline span:not(:empty)`,
        },
        {
            content: "Open the complaint",
            trigger: `tr.o_complaint_portal_row a:contains(${TITLE})`,
            run: "click",
        },
        {
            content: "Write a message",
            trigger: `${CHATTER} .o-mail-Composer-input`,
            run: `edit ${MESSAGE}`,
        },
        {
            content: "Send it",
            trigger: `${CHATTER} .o-mail-Composer-send:enabled`,
            run: "click",
        },
        {
            content: "The message is in the history",
            trigger: `${CHATTER} .o-mail-Message:contains(${MESSAGE})`,
        },
    ],
});

/*
 * Then, as a service advisor: the complaint the customer opened is on the
 * complaints board, registered, with source "Web".
 */
registry.category("web_tour.tours").add("helpdesk_mgmt_complaint_portal_backend_tour", {
    url: "/odoo/action-helpdesk_mgmt_complaint.action_helpdesk_complaint",
    steps: () => [
        {
            content: "The portal complaint is on the board, in Registered",
            trigger: `.o_kanban_group:has(.o_column_title:contains(Registered)) .o_kanban_record:contains(${TITLE})`,
            run: "click",
        },
        {
            content: "Its source is Web",
            trigger: ".o_form_view .o_field_widget[name=channel_id] input:value(Web)",
        },
        {
            content: "Its vehicle is the customer's",
            trigger: `.o_form_view .o_field_widget[name=vehicle_license_plate]:contains(${PLATE})`,
        },
    ],
});
