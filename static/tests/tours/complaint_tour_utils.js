/*
 * Steps shared by the complaint tours.
 */

const MODAL = ".modal:not(.o_inactive_modal)";

/**
 * Fill the close dialog (already open, topics chosen) with a resolution
 * method and the outcome for the customer, then confirm: the form must show
 * the Closed stage.
 */
export function closeDialogSteps(form, outcome) {
    return [
        {
            content: "Resolution method",
            trigger: `${MODAL} .o_field_widget[name=resolution_method] select`,
            run: 'select "repair"',
        },
        {
            content: "Outcome for the customer",
            trigger: `${MODAL} .o_field_widget[name=outcome] textarea`,
            run: `edit ${outcome}`,
        },
        {
            content: "Confirm the close",
            trigger: `${MODAL} footer button[name=action_confirm]:visible`,
            run: "click",
        },
        {
            content: "The complaint reached the Closed stage",
            trigger: `body:not(:has(.modal)) ${form} .o_statusbar_status button.o_arrow_button_current:contains(Closed)`,
        },
    ];
}
