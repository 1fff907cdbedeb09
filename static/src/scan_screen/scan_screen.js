import { _t } from "@web/core/l10n/translation";
import { Component, onMounted, onPatched, onWillUnmount, useEffect, useRef, useState } from "@odoo/owl";
import { scanBarcode } from "@web/core/barcode/barcode_dialog";
import { isBarcodeScannerSupported } from "@web/core/barcode/barcode_video_scanner";
import { browser } from "@web/core/browser/browser";
import { isMobileOS } from "@web/core/browser/feature_detection";
import { formatDateTime } from "@web/core/l10n/dates";
import { ConnectionLostError, rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useBus, useService } from "@web/core/utils/hooks";
import { session } from "@web/session";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { ScanQueue } from "./scan_queue";
import { playTone, unlockSound } from "./scan_sound";

const { DateTime } = luxon;

export const SCAN_SCREEN_ROUTE = "/stock_asset_tracking/scan_screen";
const HISTORY_SIZE = 30;
const RETRY_DELAYS_MS = [2000, 5000, 10000, 30000];
const TONE_RANK = { success: 0, warning: 1, danger: 2 };

/**
 * "Scan Assets": the handheld screen. Pick a mode, scan the location or holder,
 * then the assets. Scans come from a keyboard-wedge scanner (the ``barcode``
 * service), the text field (phone keyboard, manual entry) or the camera.
 *
 * Each asset scan is looked up at once (the on-screen answer: the asset and its
 * custody, calibration and reservation status), then queued in localStorage and
 * posted as a batch of the scan API; the batch's per-code result confirms or
 * refuses it. Batches that cannot be posted stay queued and are retried: their
 * ``batch_id`` makes a replay idempotent.
 *
 * The time from a scan to its answer on screen (``answer``) and to its
 * confirmation (``confirm``) is written on the result card as
 * ``data-answer-ms`` / ``data-confirm-ms`` (with the scan's ``data-*-seq``), and
 * the lookup's round trip as ``data-lookup-ms``: ``bench/scan_screen_bench.py``
 * reads them.
 */
export class AssetScanScreen extends Component {
    static template = "stock_asset_tracking.AssetScanScreen";
    static props = { ...standardActionServiceProps };

    setup() {
        this.notification = useService("notification");
        this.modes = [
            {
                id: "observe",
                label: _t("Locate"),
                icon: "fa-map-marker",
                target: "location",
                required: true,
                help: _t("Scan a location, then the assets found there: they move there."),
            },
            {
                id: "audit",
                label: _t("Audit"),
                icon: "fa-list-ol",
                target: "location",
                required: true,
                help: _t("Scan a location of an open audit, then the assets you count."),
            },
            {
                id: "checkout",
                label: _t("Check Out"),
                icon: "fa-sign-out",
                target: "holder",
                required: true,
                help: _t("Scan the holder's badge, then the assets they take."),
            },
            {
                id: "checkin",
                label: _t("Check In"),
                icon: "fa-sign-in",
                target: "location",
                required: false,
                help: _t("Scan where the assets go back (optional), then the assets."),
            },
            {
                id: "use",
                label: _t("Use"),
                icon: "fa-wrench",
                target: "reference",
                required: true,
                help: _t("Scan or type the document, then the assets used on it."),
            },
        ];
        this.state = useState({
            step: "mode",
            mode: null,
            location: null,
            holder: null,
            reference: null,
            history: [],
            pending: 0,
            sendError: null,
        });
        this.queue = new ScanQueue(
            `stock_asset_tracking.scan_queue/${session.db || ""}/${user.userId}`
        );
        this.state.pending = this.queue.readCount;
        this.cameraSupported = isBarcodeScannerSupported();
        this.cardRef = useRef("card");
        this.inputRef = useRef("input");
        this.seq = 0;
        this.marks = [];
        this.flushing = false;
        this.flushAgain = false;
        this.retryTimer = null;
        this.retryAttempt = 0;
        this.unmounted = false;

        const barcode = useService("barcode");
        useBus(barcode.bus, "barcode_scanned", (ev) => this.onScan(ev.detail.barcode));
        this.onOnline = () => this.flush();
        onMounted(() => {
            browser.addEventListener("online", this.onOnline);
            if (this.queue.batches.length) {
                this.flush();
            }
        });
        onWillUnmount(() => {
            // what is still queued stays in localStorage for the next visit
            this.unmounted = true;
            browser.removeEventListener("online", this.onOnline);
            browser.clearTimeout(this.retryTimer);
        });
        onPatched(() => this.recordTimings());
        useEffect(
            (step) => {
                // on a phone, focusing the field would pop its keyboard up
                if (step !== "mode" && !isMobileOS()) {
                    this.inputRef.el?.focus();
                }
            },
            () => [this.state.step]
        );
    }

    // Getters ------------------------------------------------------------------------

    get currentMode() {
        return this.modes.find((mode) => mode.id === this.state.mode);
    }

    get current() {
        return this.state.history[0] || null;
    }

    get prompt() {
        if (this.state.step === "target") {
            return {
                location: _t("Scan the location"),
                holder: _t("Scan the holder's badge or reference"),
                reference: _t("Scan or type the document reference"),
            }[this.currentMode.target];
        }
        return _t("Scan an asset");
    }

    get targetLabel() {
        const { location, holder, reference } = this.state;
        switch (this.currentMode?.target) {
            case "location":
                return location ? location.name : _t("No location");
            case "holder":
                return holder ? holder.name : "";
            case "reference":
                return reference || "";
        }
        return "";
    }

    /** What the batches of the current context carry besides the reads. */
    get batchContext() {
        const { mode, location, holder, reference } = this.state;
        return {
            mode,
            location: location ? location.code : null,
            holder: holder ? holder.code : null,
            reference: reference || null,
        };
    }

    // User actions -------------------------------------------------------------------

    selectMode(modeId) {
        unlockSound();
        Object.assign(this.state, {
            mode: modeId,
            location: null,
            holder: null,
            reference: null,
            step: "target",
        });
    }

    changeMode() {
        this.state.step = "mode";
    }

    changeTarget() {
        this.state.step = "target";
    }

    skipTarget() {
        this.state.location = null;
        this.state.step = "assets";
    }

    onSubmit() {
        unlockSound();
        // read and cleared in the DOM: a wedge scanner types the code and Enter
        // within one animation frame, before any render could sync a t-model
        const input = this.inputRef.el;
        const code = input.value;
        input.value = "";
        this.onScan(code);
    }

    onClickSend() {
        this.state.sendError = null;
        this.flush();
    }

    async onClickCamera() {
        unlockSound();
        let code = null;
        try {
            code = await scanBarcode(this.env);
        } catch (error) {
            this.notification.add(error.message || _t("The camera could not read a code."), {
                type: "warning",
            });
            return;
        }
        if (code) {
            if ("vibrate" in browser.navigator) {
                browser.navigator.vibrate(100);
            }
            this.onScan(code);
        }
    }

    // Scans --------------------------------------------------------------------------

    /** One scan, from any source: a location/holder/reference, or an asset. */
    async onScan(rawCode) {
        const t0 = browser.performance.now();
        const code = (rawCode || "").trim();
        if (!code) {
            return;
        }
        if (this.state.step === "mode") {
            const entry = this.addEntry(code, t0);
            this.finish(entry, "danger", _t("Pick a mode first."));
            return;
        }
        if (this.state.step === "target") {
            return this.scanTarget(code, t0);
        }
        return this.scanAsset(code, t0);
    }

    addEntry(code, t0) {
        this.state.history.unshift({
            seq: ++this.seq,
            t0,
            code,
            scannedAt: new Date().toISOString(),
            tone: "info",
            title: code,
            subtitle: "",
            message: _t("Looking up…"),
            details: [],
            batchId: null,
            lookupMs: undefined,
            done: false,
        });
        this.state.history.splice(HISTORY_SIZE);
        return this.state.history[0];
    }

    /** The final answer of a scan: colour, message and sound. */
    finish(entry, tone, message, { sound = true, kind = "answer" } = {}) {
        entry.tone = tone;
        entry.message = message;
        entry.done = true;
        this.mark(entry, kind);
        if (sound) {
            playTone(tone);
        }
    }

    async scanTarget(code, t0) {
        const mode = this.currentMode;
        const entry = this.addEntry(code, t0);
        if (mode.target === "reference") {
            this.state.reference = code;
            this.state.step = "assets";
            entry.title = code;
            this.finish(entry, "success", _t("Document set: scan the assets used on it."));
            return;
        }
        let answer;
        try {
            answer = await rpc(
                `${SCAN_SCREEN_ROUTE}/target`,
                { kind: mode.target, code },
                { silent: true }
            );
        } catch (error) {
            if (!(error instanceof ConnectionLostError) || mode.target !== "location") {
                this.finish(entry, "danger", this.errorMessage(error));
                return;
            }
            // offline: the batch's location is checked when it is posted
            answer = { name: code, code, unchecked: true };
        }
        if (answer.error) {
            this.finish(entry, "danger", answer.error.message);
            return;
        }
        this.state[mode.target] = { id: answer.id, name: answer.name, code };
        this.state.step = "assets";
        entry.title = answer.name;
        if (answer.unchecked) {
            this.finish(
                entry,
                "warning",
                _t("Offline: the location is checked when the scans are sent.")
            );
        } else if (mode.target === "holder") {
            this.finish(entry, "success", _t("Holder set: scan the assets they take."));
        } else {
            this.finish(entry, "success", _t("Location set: scan the assets."));
        }
    }

    async scanAsset(code, t0) {
        const entry = this.addEntry(code, t0);
        const mode = this.state.mode;
        let lookup = null;
        const lookupStart = browser.performance.now();
        try {
            lookup = await rpc(`${SCAN_SCREEN_ROUTE}/lookup`, { code }, { silent: true });
            entry.lookupMs = browser.performance.now() - lookupStart;
        } catch (error) {
            if (!(error instanceof ConnectionLostError)) {
                this.finish(entry, "danger", this.errorMessage(error));
                return;
            }
        }
        if (lookup?.error) {
            this.finish(entry, "danger", lookup.error.message);
            return;
        }
        if (lookup) {
            this.describe(entry, lookup);
            if (lookup.status === "invalid") {
                this.finish(
                    entry,
                    "danger",
                    _t("Unreadable code: %(reason)s. Nothing was changed.", {
                        reason: lookup.message || "",
                    })
                );
                return;
            }
            if (lookup.status === "unknown" && mode !== "audit") {
                this.finish(
                    entry,
                    "danger",
                    _t("No asset has the code %(code)s. Nothing was changed.", { code })
                );
                return;
            }
        }
        entry.batchId = this.queue.add(this.batchContext, {
            code,
            timestamp: entry.scannedAt,
        });
        this.state.pending = this.queue.readCount;
        if (!lookup) {
            this.finish(
                entry,
                "warning",
                _t("Offline: the scan is queued and sent when the connection is back.")
            );
            this.scheduleRetry();
            return;
        }
        entry.message = _t("Sending…");
        this.mark(entry, "answer");
        this.flush();
    }

    /** The asset and its status, from the lookup answer. */
    describe(entry, lookup) {
        if (lookup.status !== "matched") {
            return;
        }
        entry.title = lookup.asset_code;
        entry.subtitle = lookup.name || "";
        const details = [];
        details.push({
            key: "state",
            label: _t("Status"),
            value: this.assetStateLabel(lookup.state),
            tone: ["lost", "disposed", "in_repair"].includes(lookup.state) ? "danger" : "",
        });
        details.push({
            key: "location",
            label: _t("Location"),
            value: lookup.location ? lookup.location.name : _t("Unknown"),
            tone: "",
        });
        details.push({
            key: "custody",
            label: _t("Custody"),
            value: lookup.holder
                ? _t("Held by %(holder)s", { holder: lookup.holder.name })
                : _t("In store"),
            tone: lookup.holder ? "warning" : "",
        });
        if (lookup.calibration_state) {
            details.push({
                key: "calibration",
                label: _t("Calibration"),
                value: this.calibrationLabel(lookup.calibration_state),
                tone: {
                    valid: "success",
                    due_soon: "warning",
                }[lookup.calibration_state] || "danger",
            });
        }
        const reservation = lookup.reservation;
        details.push({
            key: "reservation",
            label: _t("Reservation"),
            value: !reservation
                ? _t("None")
                : reservation.current
                ? _t("Reserved now for %(holder)s until %(end)s", {
                      holder: reservation.holder,
                      end: this.formatMoment(reservation.date_end),
                  })
                : _t("Reserved for %(holder)s from %(start)s", {
                      holder: reservation.holder,
                      start: this.formatMoment(reservation.date_start),
                  }),
            tone: reservation ? "warning" : "",
        });
        entry.details = details;
    }

    assetStateLabel(state) {
        return (
            {
                draft: _t("Draft"),
                in_use: _t("In Use"),
                in_repair: _t("In Repair"),
                lost: _t("Lost"),
                disposed: _t("Disposed"),
            }[state] || state
        );
    }

    calibrationLabel(state) {
        return (
            {
                valid: _t("Valid"),
                due_soon: _t("Due soon"),
                overdue: _t("Overdue"),
                out_of_tolerance: _t("Out of tolerance"),
                out_of_service: _t("Out of service"),
            }[state] || state
        );
    }

    formatMoment(value) {
        return formatDateTime(DateTime.fromISO(value), { showSeconds: false });
    }

    errorMessage(error) {
        return error?.data?.message || error?.message || _t("The server refused the scan.");
    }

    // Queue --------------------------------------------------------------------------

    /** Post every queued batch, oldest first; keep them for a retry on failure. */
    async flush() {
        if (this.flushing) {
            this.flushAgain = true;
            return;
        }
        this.flushing = true;
        browser.clearTimeout(this.retryTimer);
        let failed = false;
        try {
            for (const batch of this.queue.sealAll()) {
                let answer;
                try {
                    answer = await rpc(
                        `${SCAN_SCREEN_ROUTE}/batch`,
                        { payload: batch.payload },
                        { silent: true }
                    );
                } catch (error) {
                    // lost connection or server error: the batch stays queued, sealed,
                    // and its replay is idempotent
                    this.state.sendError =
                        error instanceof ConnectionLostError
                            ? _t("Connection lost: the scans stay queued.")
                            : this.errorMessage(error);
                    failed = true;
                    break;
                }
                this.queue.remove(batch.batch_id);
                this.applyBatchAnswer(batch, answer);
            }
        } finally {
            this.flushing = false;
            this.state.pending = this.queue.readCount;
        }
        if (failed) {
            this.flushAgain = false;
            this.scheduleRetry();
            return;
        }
        this.state.sendError = null;
        this.retryAttempt = 0;
        if (this.flushAgain) {
            this.flushAgain = false;
            await this.flush();
        }
    }

    scheduleRetry() {
        browser.clearTimeout(this.retryTimer);
        if (this.unmounted) {
            return;
        }
        const delay =
            RETRY_DELAYS_MS[Math.min(this.retryAttempt, RETRY_DELAYS_MS.length - 1)];
        this.retryAttempt++;
        this.retryTimer = browser.setTimeout(() => this.flush(), delay);
    }

    /** Confirm or refuse the scans of a posted batch from its per-code results. */
    applyBatchAnswer(batch, answer) {
        const entries = this.state.history.filter(
            (entry) => entry.batchId === batch.batch_id
        );
        let worst = null;
        const settle = (entry, tone, message) => {
            this.finish(entry, tone, message, { sound: false, kind: "confirm" });
            if (worst === null || TONE_RANK[tone] > TONE_RANK[worst]) {
                worst = tone;
            }
        };
        if (answer.error) {
            for (const entry of entries) {
                settle(entry, "danger", answer.error.message);
            }
        } else if (answer.status === "queued") {
            for (const entry of entries) {
                settle(entry, "success", _t("Received: the server processes it shortly."));
            }
        } else {
            const results = new Map(
                (answer.results || []).map((result) => [result.code.toUpperCase(), result])
            );
            for (const entry of entries) {
                const result = results.get(entry.code.toUpperCase());
                if (!result) {
                    settle(entry, "success", _t("Sent."));
                } else if (result.status === "matched") {
                    settle(entry, "success", result.message || this.doneMessage(batch));
                } else if (result.status === "unknown" && batch.payload.mode === "audit") {
                    settle(
                        entry,
                        "warning",
                        result.message || _t("Recorded in the audit as an unknown code.")
                    );
                } else if (result.status === "unknown") {
                    settle(entry, "danger", _t("No asset has this code. Nothing was changed."));
                } else {
                    settle(entry, "danger", result.message || _t("Refused."));
                }
            }
        }
        if (worst) {
            playTone(worst);
        }
    }

    doneMessage(batch) {
        const payload = batch.payload;
        switch (payload.mode) {
            case "observe":
                return _t("Located at %(location)s.", {
                    location:
                        this.state.location?.code === payload.location
                            ? this.state.location.name
                            : payload.location,
                });
            case "audit":
                return _t("Counted.");
            case "checkout":
                return _t("Checked out to %(holder)s.", {
                    holder: this.state.holder?.code === payload.holder
                        ? this.state.holder.name
                        : payload.holder,
                });
            case "checkin":
                return _t("Checked in.");
            case "use":
                return _t("Use logged on %(reference)s.", { reference: payload.reference });
        }
        return _t("Done.");
    }

    // Timings ------------------------------------------------------------------------

    mark(entry, kind) {
        this.marks.push({ seq: entry.seq, t0: entry.t0, kind, lookupMs: entry.lookupMs });
    }

    /**
     * After the patch that shows an answer: the time since its scan, on the card
     * (``data-answer-ms`` / ``data-confirm-ms`` and the scan's ``data-*-seq``).
     */
    recordTimings() {
        if (!this.marks.length) {
            return;
        }
        const now = browser.performance.now();
        const card = this.cardRef.el;
        const currentSeq = this.current?.seq;
        for (const { seq, t0, kind, lookupMs } of this.marks) {
            if (card && seq === currentSeq) {
                card.dataset[`${kind}Ms`] = (now - t0).toFixed(1);
                card.dataset[`${kind}Seq`] = String(seq);
                if (kind === "answer" && lookupMs !== undefined) {
                    card.dataset.lookupMs = lookupMs.toFixed(1);
                }
            }
        }
        this.marks = [];
    }
}

registry.category("actions").add("stock_asset_tracking.scan_screen", AssetScanScreen);
