import { _t } from "@web/core/l10n/translation";
import { selectionLabel } from "./scan_labels";

/**
 * The screen's modes, in the order it offers them: what each scans first
 * (``target``), whether that is required, and a line of help. Their labels are
 * the scan batch's ``mode`` selection, read from the server.
 *
 * @param {Object} modeLabels value → label of the ``mode`` selection
 */
export function scanModes(modeLabels) {
    return [
        {
            id: "observe",
            icon: "fa-map-marker",
            target: "location",
            required: true,
            help: _t("Scan a location, then the assets found there: they move there."),
        },
        {
            id: "audit",
            icon: "fa-list-ol",
            target: "location",
            required: true,
            help: _t("Scan a location of an open audit, then the assets you count."),
        },
        {
            id: "checkout",
            icon: "fa-sign-out",
            target: "holder",
            required: true,
            help: _t("Scan the holder's badge, then the assets they take."),
        },
        {
            id: "checkin",
            icon: "fa-sign-in",
            target: "location",
            required: false,
            help: _t("Scan where the assets go back (optional), then the assets."),
        },
        {
            id: "use",
            icon: "fa-wrench",
            target: "reference",
            required: true,
            help: _t("Scan or type the document, then the assets used on it."),
        },
    ].map((mode) => ({ ...mode, label: selectionLabel(modeLabels, mode.id) }));
}
