/*
 * The front desk, as the "done when" (run from
 * tests/test_complaint_frontdesk_tour.py):
 *
 * 1. helpdesk_mgmt_complaint_phone_first_tour, as a service advisor with the
 *    customer on the line: a new complaint, the caller's number typed first
 *    fills in the customer and their only vehicle; source, title, essence,
 *    save: six user steps (the others only check).
 * 2. helpdesk_mgmt_complaint_close_dialog_tour, as the officer: Close opens
 *    the close dialog, which asks for the topic and the resolution method.
 */

import {closeDialogSteps} from "@helpdesk_mgmt_complaint/../tests/tours/complaint_tour_utils";
import {registry} from "@web/core/registry";

const PHONE = "+386 41 888 214";
const CUSTOMER = "Quinta Roadwell";
const PLATE = "KP 12-QRS";
const TITLE = "Wipers smear after the service";
const ESSENCE = "The new wiper blades smear the windscreen.";
const OUTCOME = "Wiper blades replaced.";
const FORM = ".o_form_view";
const MODAL = ".modal:not(.o_inactive_modal)";

registry.category("web_tour.tours").add("helpdesk_mgmt_complaint_phone_first_tour", {
    steps: () => [
        {
            content: "A new complaint form, titled as such",
            trigger: `${FORM} .oe_title span:contains(New complaint)`,
        },
        {
            content: "1. The caller's number, as they say it",
            trigger: `${FORM} .o_field_widget[name=partner_phone] input`,
            run: `edit ${PHONE} && press Tab`,
        },
        {
            content: "The customer is found by the number",
            trigger: `${FORM} .o_field_widget[name=partner_id] input:value(${CUSTOMER})`,
        },
        {
            content: "Their only vehicle is preselected",
            trigger: `${FORM} .o_field_widget[name=vehicle_id] input:value(/${PLATE}/)`,
        },
        {
            content: "2. Source",
            trigger: `${FORM} .o_field_widget[name=channel_id] input`,
            run: "edit Phone",
        },
        {
            content: "3. Pick the Phone source",
            trigger:
                ".o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item a:contains(Phone)",
            run: "click",
        },
        {
            content: "4. Title",
            trigger: `${FORM} .o_field_widget[name=name] input`,
            run: `edit ${TITLE}`,
        },
        {
            content: "5. Essence of the complaint",
            trigger: `${FORM} .o_field_html[name=description] .odoo-editor-editable`,
            run: `editor ${ESSENCE}`,
        },
        {
            content: "6. Save",
            trigger: `${FORM} .o_form_button_save`,
            run: "click",
        },
        {
            content: "Saved: the complaint has its number",
            trigger: `${FORM} .oe_title h1 .o_field_widget[name=number]:not(:contains(/))`,
        },
    ],
});

registry.category("web_tour.tours").add("helpdesk_mgmt_complaint_close_dialog_tour", {
    steps: () => [
        {
            content: "Close the complaint",
            trigger: `${FORM} .o_form_statusbar button[name=action_complaint_close_dialog]`,
            run: "click",
        },
        {
            content: "Topic",
            trigger: `${MODAL} .o_field_widget[name=topic_ids] input`,
            run: "edit Delay",
        },
        {
            content: "Pick the Delay topic",
            trigger:
                ".o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item a:contains(Delay)",
            run: "click",
        },
        ...closeDialogSteps(FORM, OUTCOME),
    ],
});
