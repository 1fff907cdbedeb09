import { _t } from "@web/core/l10n/translation";
import { formatDateTime } from "@web/core/l10n/dates";
import { selectionLabel } from "./scan_labels";

const { DateTime } = luxon;

/** Tones of a scan's answer, from the best to the worst. */
const TONE_RANK = { success: 0, warning: 1, danger: 2 };
/** Asset states shown as a problem on the answer. */
const PROBLEM_STATES = ["lost", "disposed", "in_repair"];
/** Tone of each calibration state (any other: ``danger``). */
const CALIBRATION_TONES = { valid: "success", due_soon: "warning" };

/** The message of an error of the screen's routes, for the person scanning. */
export function errorMessage(error) {
    return error?.data?.message || error?.message || _t("The server refused the scan.");
}

function formatMoment(value) {
    return formatDateTime(DateTime.fromISO(value), { showSeconds: false });
}

function reservationText(reservation) {
    if (!reservation) {
        return _t("None");
    }
    if (reservation.current) {
        return _t("Reserved now for %(holder)s until %(end)s", {
            holder: reservation.holder,
            end: formatMoment(reservation.date_end),
        });
    }
    return _t("Reserved for %(holder)s from %(start)s", {
        holder: reservation.holder,
        start: formatMoment(reservation.date_start),
    });
}

/**
 * The rows of the answer card for a matched lookup: the asset's status,
 * location, custody, calibration (instruments only) and reservation.
 *
 * @param {Object} lookup the lookup route's answer (``status`` ``matched``)
 * @param {Object} labels the selection labels (``loadScanLabels``)
 * @returns {Array<{key: string, label: string, value: string, tone: string}>}
 */
export function lookupDetails(lookup, labels) {
    const details = [
        {
            key: "state",
            label: _t("Status"),
            value: selectionLabel(labels.state, lookup.state),
            tone: PROBLEM_STATES.includes(lookup.state) ? "danger" : "",
        },
        {
            key: "location",
            label: _t("Location"),
            value: lookup.location ? lookup.location.name : _t("Unknown"),
            tone: "",
        },
        {
            key: "custody",
            label: _t("Custody"),
            value: lookup.holder
                ? _t("Held by %(holder)s", { holder: lookup.holder.name })
                : _t("In store"),
            tone: lookup.holder ? "warning" : "",
        },
    ];
    if (lookup.calibration_state) {
        details.push({
            key: "calibration",
            label: _t("Calibration"),
            value: selectionLabel(labels.calibration, lookup.calibration_state),
            tone: CALIBRATION_TONES[lookup.calibration_state] || "danger",
        });
    }
    details.push({
        key: "reservation",
        label: _t("Reservation"),
        value: reservationText(lookup.reservation),
        tone: lookup.reservation ? "warning" : "",
    });
    return details;
}

/**
 * What a matched read of a batch did, in words.
 *
 * @param {Object} payload the batch's body (``mode``, ``location``, ...)
 * @param {Object} context the screen's current ``location`` and ``holder``
 *     (``{code, name}`` or null): their names replace the codes sent
 */
export function doneMessage(payload, { location, holder }) {
    switch (payload.mode) {
        case "observe":
            return _t("Located at %(location)s.", {
                location: location?.code === payload.location ? location.name : payload.location,
            });
        case "audit":
            return _t("Counted.");
        case "checkout":
            return _t("Checked out to %(holder)s.", {
                holder: holder?.code === payload.holder ? holder.name : payload.holder,
            });
        case "checkin":
            return _t("Checked in.");
        case "use":
            return _t("Use logged on %(reference)s.", { reference: payload.reference });
    }
    return _t("Done.");
}

/**
 * The status rows of a matched read once its batch is applied: a check-out
 * hands the asset to the batch's holder, a check-in returns it to the store,
 * and a check-in or a locate scan with a location moves it there. The other
 * rows are kept as looked up.
 *
 * @param {Array} details the rows of the lookup (``lookupDetails``)
 * @param {Object} payload the batch's body (``mode``, ``location``, ``holder``)
 * @param {Object} context the screen's ``location`` and ``holder`` (``{code,
 *     name}`` or null): their names replace the codes sent
 * @returns {Array} new rows (the given ones are not changed)
 */
export function appliedDetails(details, payload, { location, holder }) {
    const nameOf = (target, code) => (target?.code === code ? target.name : code);
    const changes = {};
    if (payload.mode === "checkout" && payload.holder) {
        changes.custody = {
            value: _t("Held by %(holder)s", { holder: nameOf(holder, payload.holder) }),
            tone: "warning",
        };
    }
    if (payload.mode === "checkin") {
        changes.custody = { value: _t("In store"), tone: "" };
    }
    if (["checkin", "observe"].includes(payload.mode) && payload.location) {
        changes.location = { value: nameOf(location, payload.location), tone: "" };
    }
    return details.map((detail) =>
        changes[detail.key] ? { ...detail, ...changes[detail.key] } : detail
    );
}

function readOutcome(result, mode, done) {
    if (!result) {
        return { tone: "success", message: _t("Sent.") };
    }
    if (result.status === "matched") {
        return { tone: "success", message: result.message || done, matched: true };
    }
    if (result.status === "unknown" && mode === "audit") {
        return {
            tone: "warning",
            message: result.message || _t("Recorded in the audit as an unknown code."),
        };
    }
    if (result.status === "unknown") {
        return { tone: "danger", message: _t("No asset has this code. Nothing was changed.") };
    }
    return { tone: "danger", message: result.message || _t("Refused.") };
}

/**
 * The final answer of each scanned code of a posted batch, from the batch
 * route's answer: its error, ``queued``, or its per-code results.
 *
 * @param {Object} payload the batch's body
 * @param {Object} answer the batch route's answer
 * @param {string[]} codes the scanned codes to answer
 * @param {string} done the message of a matched read (``doneMessage``)
 * @returns {Array<{tone: string, message: string}>} one per code, in order
 */
export function batchOutcomes(payload, answer, codes, done) {
    if (answer.error) {
        return codes.map(() => ({ tone: "danger", message: answer.error.message }));
    }
    if (answer.status === "queued") {
        return codes.map(() => ({
            tone: "success",
            message: _t("Received: the server processes it shortly."),
        }));
    }
    const results = new Map(
        (answer.results || []).map((result) => [result.code.toUpperCase(), result])
    );
    return codes.map((code) => readOutcome(results.get(code.toUpperCase()), payload.mode, done));
}

/** The worst of ``tones`` (``danger`` > ``warning`` > ``success``), or null. */
export function worstTone(tones) {
    let worst = null;
    for (const tone of tones) {
        if (worst === null || TONE_RANK[tone] > TONE_RANK[worst]) {
            worst = tone;
        }
    }
    return worst;
}
