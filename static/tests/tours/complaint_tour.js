/*
 * Main complaint flow, split by rights (run from tests/test_complaint_tour.py):
 *
 * 1. helpdesk_mgmt_complaint_register_tour, as a service advisor (may open
 *    complaints, may not close them): Helpdesk > Complaints > All Complaints,
 *    register a complaint (title, customer, source, urgency, essence), transfer
 *    it to another handler with a reason, check the Process history tab and the
 *    Transfers smart button, classify it (Analysis tab, topic "Delay") and
 *    check that the "Close complaint" / "Reject" buttons are not offered.
 * 2. helpdesk_mgmt_complaint_close_tour, as the customer-relations officer:
 *    open the complaint from the complaints board, close it through the close
 *    dialog (resolution method, outcome) and check the Closed stage.
 */

import {closeDialogSteps} from "@helpdesk_mgmt_complaint/../tests/tours/complaint_tour_utils";
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

const CUSTOMER = "Zebulon Quirkfield";
const TITLE = "Brakes squeak after the 60k service";
const ESSENCE = "The customer says the brakes squeak since the last service.";
const NEW_HANDLER = "Hannah Brakeworth";
const REASON = "Brake specialist must take over";
const OUTCOME = "The brake pads were replaced free of charge.";
const FORM = ".o_form_view";
const HEADER = `${FORM} .o_form_statusbar`;
const MODAL = ".modal:not(.o_inactive_modal)";

registry.category("web_tour.tours").add("helpdesk_mgmt_complaint_register_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Helpdesk app",
            trigger:
                ".o_app[data-menu-xmlid='helpdesk_mgmt.helpdesk_ticket_main_menu']",
            run: "click",
        },
        {
            content: "Open the Complaints menu",
            trigger:
                ".o_main_navbar [data-menu-xmlid='helpdesk_mgmt_complaint.menu_helpdesk_complaint_root']",
            run: "click",
        },
        {
            content: "Open All Complaints",
            trigger:
                ".dropdown-item[data-menu-xmlid='helpdesk_mgmt_complaint.menu_helpdesk_complaint_all']",
            run: "click",
        },
        {
            content: "The complaints open on the kanban board",
            trigger: ".o_breadcrumb:contains(Complaints)",
        },
        {
            content: "Register a new complaint",
            trigger: ".o_kanban_view .o_control_panel .o-kanban-button-new",
            run: "click",
        },
        // -- registration ------------------------------------------------------
        {
            content: "The new record is titled as a new complaint",
            trigger: `${FORM} .oe_title span:contains(New complaint)`,
        },
        {
            content: "Title of the complaint",
            trigger: `${FORM} .o_field_widget[name=name] input`,
            run: `edit ${TITLE}`,
        },
        {
            content: "Customer",
            trigger: `${FORM} .o_field_widget[name=partner_id] input`,
            run: `edit ${CUSTOMER}`,
        },
        {
            content: "Pick the existing customer",
            trigger: `.o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item a:contains(${CUSTOMER})`,
            run: "click",
        },
        {
            content: "The customer is set",
            trigger: `${FORM} .o_field_widget[name=partner_id] input:value(${CUSTOMER})`,
        },
        {
            content: "Source of the complaint",
            trigger: `${FORM} .o_field_widget[name=channel_id] input`,
            run: "edit Phone",
        },
        {
            content: "Pick the Phone source",
            trigger:
                ".o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item a:contains(Phone)",
            run: "click",
        },
        {
            content: "Urgency: high",
            trigger: `${FORM} .o_field_radio[name=urgency] input[data-value=high]`,
            run: "click",
        },
        {
            content: "The urgency badge follows the radio",
            trigger: `${FORM} .o_field_badge[name=urgency]:contains(High)`,
        },
        {
            content: "Focus the essence of the complaint",
            trigger: `${FORM} .o_field_html[name=description] .odoo-editor-editable`,
            run: "click",
        },
        {
            content: "Essence of the complaint",
            trigger: `${FORM} .o_field_html[name=description] .odoo-editor-editable`,
            run: `editor ${ESSENCE}`,
        },
        ...stepUtils.saveForm(),
        {
            content: "The SLA deadline was computed on save",
            trigger: `${FORM} .o_field_widget[name=sla_deadline] span:not(:empty)`,
        },
        // -- the advisor has no right to close ---------------------------------
        {
            content: "The advisor is not offered to close or reject the complaint",
            trigger: `${HEADER}:has(button[name=action_complaint_transfer]):not(:has(button[name=action_complaint_close_dialog])):not(:has(button[name=action_complaint_reject_dialog]))`,
        },
        // -- transfer ----------------------------------------------------------
        {
            content: "Transfer the complaint",
            trigger: `${HEADER} button[name=action_complaint_transfer]`,
            run: "click",
        },
        {
            content: "The transfer wizard opens on this complaint",
            trigger: `${MODAL} .o_field_widget[name=ticket_id]:contains(${TITLE})`,
        },
        {
            content: "Choose the new handler",
            trigger: `${MODAL} .o_field_widget[name=user_id] input`,
            run: `edit ${NEW_HANDLER}`,
        },
        {
            content: "Pick the new handler",
            trigger: `.o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item a:contains(${NEW_HANDLER})`,
            run: "click",
        },
        {
            content: "Give the reason of the transfer",
            trigger: `${MODAL} .o_field_widget[name=reason] textarea`,
            run: `edit ${REASON}`,
        },
        {
            content: "Confirm the transfer",
            trigger: `${MODAL} footer button[name=action_transfer]`,
            run: "click",
        },
        {
            content: "The wizard is closed and the handler changed",
            trigger: `body:not(:has(.modal)) ${FORM} .o_field_widget[name=user_id] input:value(${NEW_HANDLER})`,
        },
        {
            content: "The Transfers smart button counts the transfer",
            trigger: `${FORM} .oe_stat_button[name=action_complaint_view_transfers]:contains(1)`,
        },
        {
            content: "Open the Process history tab",
            trigger: `${FORM} .o_notebook a.nav-link[name=complaint_history]`,
            run: "click",
        },
        {
            content: "The transfer is in the process history",
            trigger: `${FORM} .o_field_widget[name=transfer_ids] .o_data_row:contains(${REASON}):contains(${NEW_HANDLER})`,
        },
        // -- classification --------------------------------------------------------
        {
            content: "Open the Analysis tab",
            trigger: `${FORM} .o_notebook a.nav-link[name=complaint_analysis]`,
            run: "click",
        },
        {
            content: "Classify the complaint",
            trigger: `${FORM} .o_field_widget[name=topic_ids] input`,
            run: "edit Delay",
        },
        {
            content: "Pick the Delay topic",
            trigger:
                ".o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item a:contains(Delay)",
            run: "click",
        },
        {
            content: "The topic is set",
            trigger: `${FORM} .o_field_widget[name=topic_ids] .o_tag:contains(Delay)`,
        },
        ...stepUtils.saveForm(),
        {
            content: "The complaint is still open (registered)",
            trigger: `${FORM} .o_field_widget[name=complaint_state]:contains(Registered)`,
        },
    ],
});

registry.category("web_tour.tours").add("helpdesk_mgmt_complaint_close_tour", {
    url: "/odoo/action-helpdesk_mgmt_complaint.action_helpdesk_complaint",
    steps: () => [
        {
            content: "Open the complaint from the complaints board",
            trigger: `.o_kanban_record:contains(${TITLE})`,
            run: "click",
        },
        {
            content: "The complaint is classified and open",
            trigger: `${FORM} .o_statusbar_status button.o_arrow_button_current:contains(Registered)`,
        },
        {
            content: "Close the complaint",
            trigger: `${HEADER} button[name=action_complaint_close_dialog]`,
            run: "click",
        },
        {
            content: "The close dialog shows the complaint's topic",
            trigger: `${MODAL} .o_field_widget[name=topic_ids] .o_tag:contains(Delay)`,
        },
        ...closeDialogSteps(FORM, OUTCOME),
        {
            content: "A closed complaint can no longer be transferred or closed",
            trigger: `${HEADER}:not(:has(button[name=action_complaint_transfer])):not(:has(button[name=action_complaint_close_dialog]))`,
        },
        {
            content: "Open the Analysis tab",
            trigger: `${FORM} .o_notebook a.nav-link[name=complaint_analysis]`,
            run: "click",
        },
        {
            content: "The review state is Closed",
            trigger: `${FORM} .o_field_widget[name=complaint_state]:contains(Closed)`,
        },
    ],
});
