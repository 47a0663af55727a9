/*
 * Repair request flow (run from tests/test_complaint_repair_tour.py): open a
 * draft repair request, send it to the service centre through the composer,
 * then record its progress up to the return with the header buttons.
 */

import {registry} from "@web/core/registry";

const FORM = ".o_form_view";
const MODAL = ".modal:not(.o_inactive_modal)";
const CURRENT = `${FORM} .o_statusbar_status .o_arrow_button_current`;

function stateStep(button, label) {
    return [
        {
            content: `Record: ${label}`,
            trigger: `${FORM} .o_form_statusbar button[name='${button}']`,
            run: "click",
        },
        {
            content: `The request is now ${label}`,
            trigger: `${CURRENT}:contains(${label})`,
        },
    ];
}

registry.category("web_tour.tours").add("helpdesk_mgmt_complaint_repair_tour", {
    steps: () => [
        {
            content: "A draft repair request",
            trigger: `${CURRENT}:contains(Draft)`,
        },
        {
            content: "Send it to the service centre",
            trigger: `${FORM} .o_form_statusbar button[name='action_send']`,
            run: "click",
        },
        {
            content: "The composer shows the request with the complaint's data",
            trigger: `${MODAL} .o_mail_composer_form_view:contains(TOUR-SN-42)`,
        },
        {
            content: "Send the e-mail",
            trigger: `${MODAL} button.o_mail_send:enabled`,
            run: "click",
        },
        {
            content: "The request is sent",
            trigger: `${CURRENT}:contains(Sent)`,
        },
        ...stateStep("action_received", "Received by centre"),
        ...stateStep("action_started", "Repair started"),
        ...stateStep("action_repaired", "Repaired"),
        ...stateStep("action_returned", "Returned"),
        {
            content: "The status history lists the steps",
            trigger: `${FORM} .o_notebook a:contains(Status history)`,
            run: "click",
        },
        {
            content: "Five steps recorded",
            trigger: `${FORM} .o_field_one2many[name='event_ids'] .o_data_row:nth-child(5)`,
        },
    ],
});
