/*
 * Urgency in graphs reads as it does everywhere else in the addon: normal
 * green, medium orange, high red (instead of the palette's order, which
 * painted High blue and Medium red). Applies to any graph grouped by a field
 * named `urgency` with these values: as the series (bar, line) or as the only
 * grouping (bars, pie slices). The urgency of a group is read from its domain
 * (["urgency", "=", value]), so translated labels do not matter.
 */

import {patch} from "@web/core/utils/patch";
import {GraphRenderer} from "@web/views/graph/graph_renderer";

export const URGENCY_COLORS = {
    normal: "#28a745",
    medium: "#fd7e14",
    high: "#dc3545",
};

/** The urgency a group's domain selects, else null. */
export function urgencyOfDomain(domain) {
    for (const leaf of domain || []) {
        if (
            Array.isArray(leaf) &&
            leaf[0] === "urgency" &&
            leaf[1] === "=" &&
            Object.hasOwn(URGENCY_COLORS, leaf[2])
        ) {
            return leaf[2];
        }
    }
    return null;
}

/** The colour of a dataset whose every point has the same urgency. */
function datasetColor(dataset) {
    const urgencies = new Set(
        (dataset.domains || []).filter((d) => d.length).map(urgencyOfDomain)
    );
    if (urgencies.size !== 1) {
        return null;
    }
    const [urgency] = urgencies;
    return urgency ? URGENCY_COLORS[urgency] : null;
}

/** One colour per point, the palette's where a point has no urgency. */
function pointColors(dataset, fallback) {
    return (dataset.domains || []).map((domain, index) => {
        const urgency = urgencyOfDomain(domain);
        if (urgency) {
            return URGENCY_COLORS[urgency];
        }
        return Array.isArray(fallback) ? fallback[index] : fallback;
    });
}

/** How the urgency is grouped: "series", "points" or null. */
export function urgencyGrouping(groupBy, mode) {
    const names = groupBy.map((gb) => gb.fieldName);
    if (!names.includes("urgency")) {
        return null;
    }
    if (names.length === 1) {
        return mode === "line" ? null : "points";
    }
    return mode !== "pie" && names.indexOf("urgency") > 0 ? "series" : null;
}

patch(GraphRenderer.prototype, {
    getBarChartData() {
        const data = super.getBarChartData(...arguments);
        const grouping = urgencyGrouping(this.model.metaData.groupBy, "bar");
        for (const dataset of data.datasets) {
            if (grouping === "series") {
                dataset.backgroundColor = datasetColor(dataset) || dataset.backgroundColor;
            } else if (grouping === "points" && dataset.domains) {
                dataset.backgroundColor = pointColors(dataset, dataset.backgroundColor);
            }
        }
        return data;
    },

    getLineChartData() {
        const data = super.getLineChartData(...arguments);
        if (urgencyGrouping(this.model.metaData.groupBy, "line") === "series") {
            for (const dataset of data.datasets) {
                const color = datasetColor(dataset);
                if (color) {
                    dataset.borderColor = color;
                    dataset.pointBackgroundColor = color;
                    dataset.hoverBackgroundColor = color;
                    if (typeof dataset.backgroundColor === "string") {
                        dataset.backgroundColor = `${color}33`;
                    }
                }
            }
        }
        return data;
    },

    getPieChartData() {
        const data = super.getPieChartData(...arguments);
        if (urgencyGrouping(this.model.metaData.groupBy, "pie") === "points") {
            for (const dataset of data.datasets) {
                if (dataset.domains) {
                    const colors = pointColors(dataset, dataset.backgroundColor);
                    dataset.backgroundColor = colors;
                    dataset.hoverBackgroundColor = colors;
                }
            }
        }
        return data;
    },

    getLegendOptions() {
        const options = super.getLegendOptions(...arguments);
        const {groupBy, mode} = this.model.metaData;
        if (mode === "pie" && urgencyGrouping(groupBy, "pie") === "points") {
            // The pie legend takes the palette, not the slices' colours.
            const generateLabels = options.labels.generateLabels;
            options.labels.generateLabels = (chart) =>
                generateLabels(chart).map((item) => {
                    const colors = chart.data.datasets[0]?.backgroundColor;
                    if (Array.isArray(colors) && colors[item.index]) {
                        item.fillStyle = colors[item.index];
                    }
                    return item;
                });
        }
        return options;
    },
});
