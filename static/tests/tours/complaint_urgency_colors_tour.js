/*
 * The complaint analysis graph (run from
 * tests/test_complaint_urgency_colors_tour.py): urgency series are green
 * (normal), orange (medium) and red (high), in bars and as the only grouping.
 */

import {registry} from "@web/core/registry";

const EXPECTED = {Normal: "#28a745", Medium: "#fd7e14", High: "#dc3545"};

function chart() {
    const canvas = document.querySelector(".o_graph_renderer canvas");
    // eslint-disable-next-line no-undef
    return Chart.getChart(canvas);
}

function assertSeriesColors() {
    const seen = {};
    for (const dataset of chart().data.datasets) {
        if (dataset.label in EXPECTED) {
            seen[dataset.label] = dataset.backgroundColor;
        }
    }
    for (const [label, color] of Object.entries(EXPECTED)) {
        if (seen[label] !== color) {
            throw new Error(`${label} is ${seen[label]}, expected ${color}`);
        }
    }
}

registry.category("web_tour.tours").add("helpdesk_mgmt_complaint_urgency_colors_tour", {
    url: "/odoo/complaint-analysis",
    steps: () => [
        {
            content: "Open the graph",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "Complaints per month, one series per urgency, coloured by urgency",
            trigger: ".o_graph_renderer canvas",
            run: assertSeriesColors,
        },
        {
            content: "As pie, grouped by urgency only",
            trigger: ".o_graph_button[data-mode='pie']",
            run: "click",
        },
        {
            content: "Open the search options",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Group by urgency only (the graph's own grouping is replaced)",
            trigger: ".o_group_by_menu .o_menu_item:contains(Urgency)",
            run: "click",
        },
        {
            content: "Each slice its urgency's colour",
            trigger: ".o_searchview_facet:contains(Urgency)",
            run() {
                const data = chart().data;
                const colors = data.datasets[0].backgroundColor;
                data.labels.forEach((label, index) => {
                    if (label in EXPECTED && colors[index] !== EXPECTED[label]) {
                        throw new Error(`${label} slice is ${colors[index]}`);
                    }
                });
            },
        },
    ],
});
