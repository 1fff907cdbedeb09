import { _t } from "@web/core/l10n/translation";
import { Component, onMounted, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { ConnectionLostError, rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useBus, useService } from "@web/core/utils/hooks";
import { session } from "@web/session";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { ScanCodeInput } from "./components/scan_code_input/scan_code_input";
import { ScanFooter } from "./components/scan_footer/scan_footer";
import { ScanHeader } from "./components/scan_header/scan_header";
import { ScanHistory } from "./components/scan_history/scan_history";
import { ScanModeList } from "./components/scan_mode_list/scan_mode_list";
import { ScanResultCard } from "./components/scan_result_card/scan_result_card";
import {
    appliedDetails,
    batchOutcomes,
    doneMessage,
    errorMessage,
    lookupDetails,
    worstTone,
} from "./scan_answer";
import { loadScanLabels } from "./scan_labels";
import { scanModes } from "./scan_modes";
import { ScanQueue } from "./scan_queue";
import { ScanSender } from "./scan_sender";
import { playTone, unlockSound } from "./scan_sound";

export const SCAN_SCREEN_ROUTE = "/stock_asset_tracking/scan_screen";
const HISTORY_SIZE = 30;

/**
 * "Scan Assets": the handheld screen. Pick a mode, scan the location or holder,
 * then the assets. Scans come from a keyboard-wedge scanner (the ``barcode``
 * service), the text field (phone keyboard, manual entry) or the camera.
 *
 * Each asset scan is looked up at once (the on-screen answer: the asset and its
 * custody, calibration and reservation status), then queued in localStorage
 * (``ScanQueue``) and posted as a batch of the scan API (``ScanSender``); the
 * batch's per-code result confirms or refuses it. Batches that cannot be posted
 * stay queued and are retried: their ``batch_id`` makes a replay idempotent.
 */
export class AssetScanScreen extends Component {
    static template = "stock_asset_tracking.AssetScanScreen";
    static components = {
        ScanCodeInput,
        ScanFooter,
        ScanHeader,
        ScanHistory,
        ScanModeList,
        ScanResultCard,
    };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
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
        this.sender = new ScanSender({
            queue: this.queue,
            post: (payload) => rpc(`${SCAN_SCREEN_ROUTE}/batch`, { payload }, { silent: true }),
            onAnswer: (batch, answer) => this.applyBatchAnswer(batch, answer),
            status: this.state,
        });
        this.seq = 0;

        const barcode = useService("barcode");
        useBus(barcode.bus, "barcode_scanned", (ev) => this.onScan(ev.detail.barcode));
        onWillStart(async () => {
            this.labels = await loadScanLabels(this.orm);
            this.modes = scanModes(this.labels.mode);
        });
        onMounted(() => this.sender.start());
        onWillUnmount(() => this.sender.stop());
    }

    // Getters ------------------------------------------------------------------------

    get currentMode() {
        return this.modes.find((mode) => mode.id === this.state.mode);
    }

    /** The last scan (shown on the card), if any. */
    get current() {
        return this.state.history[0];
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

    onClickSend() {
        this.state.sendError = null;
        this.sender.flush();
    }

    // Scans --------------------------------------------------------------------------

    /** One scan, from any source: a location/holder/reference, or an asset. */
    async onScan(rawCode) {
        const code = (rawCode || "").trim();
        if (!code) {
            return;
        }
        if (this.state.step === "mode") {
            const entry = this.addEntry(code);
            this.finish(entry, "danger", _t("Pick a mode first."));
            return;
        }
        if (this.state.step === "target") {
            return this.scanTarget(code);
        }
        return this.scanAsset(code);
    }

    addEntry(code) {
        this.state.history.unshift({
            seq: ++this.seq,
            code,
            scannedAt: new Date().toISOString(),
            tone: "info",
            title: code,
            subtitle: "",
            message: _t("Looking up…"),
            details: [],
            batchId: null,
            done: false,
        });
        this.state.history.splice(HISTORY_SIZE);
        return this.state.history[0];
    }

    /** The final answer of a scan: colour, message and sound. */
    finish(entry, tone, message, { sound = true } = {}) {
        entry.tone = tone;
        entry.message = message;
        entry.done = true;
        if (sound) {
            playTone(tone);
        }
    }

    async scanTarget(code) {
        const mode = this.currentMode;
        const entry = this.addEntry(code);
        if (mode.target === "reference") {
            this.state.reference = code;
            this.state.step = "assets";
            entry.title = code;
            this.finish(entry, "success", _t("Document set: scan the assets used on it."));
            return;
        }
        let answer;
        try {
            answer = await this.findTarget(mode.target, code);
        } catch (error) {
            if (!(error instanceof ConnectionLostError) || mode.target !== "location") {
                this.finish(entry, "danger", errorMessage(error));
                return;
            }
            // offline: the batch's location is checked when it is posted
            answer = { name: code, code, unchecked: true };
        }
        if (answer.error) {
            this.finish(entry, "danger", answer.error.message);
            return;
        }
        this.setTarget(entry, answer, code);
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

    /** The location or holder ``code`` names (the server's answer, or its error). */
    findTarget(kind, code) {
        return rpc(`${SCAN_SCREEN_ROUTE}/target`, { kind, code }, { silent: true });
    }

    setTarget(entry, answer, code) {
        this.state[this.currentMode.target] = { id: answer.id, name: answer.name, code };
        this.state.step = "assets";
        entry.title = answer.name;
    }

    /**
     * In a mode that scans a location first, a code that is no asset but a
     * location's label switches to that location (the next shelf of an audit)
     * instead of being counted as an unknown asset. True when it did.
     */
    async switchLocation(entry, code) {
        if (this.currentMode.target !== "location") {
            return false;
        }
        let answer;
        try {
            answer = await this.findTarget("location", code);
        } catch {
            return false;
        }
        if (answer.error) {
            return false;
        }
        this.setTarget(entry, answer, code);
        this.finish(
            entry,
            "success",
            _t("Location changed to %(location)s: scan the assets there.", {
                location: answer.name,
            })
        );
        return true;
    }

    async scanAsset(code) {
        const entry = this.addEntry(code);
        const mode = this.state.mode;
        let lookup = null;
        try {
            lookup = await rpc(`${SCAN_SCREEN_ROUTE}/lookup`, { code }, { silent: true });
        } catch (error) {
            if (!(error instanceof ConnectionLostError)) {
                this.finish(entry, "danger", errorMessage(error));
                return;
            }
        }
        if (lookup?.error) {
            this.finish(entry, "danger", lookup.error.message);
            return;
        }
        if (lookup?.status === "unknown" && (await this.switchLocation(entry, code))) {
            return;
        }
        if (lookup) {
            if (lookup.status === "matched") {
                entry.title = lookup.asset_code;
                entry.subtitle = lookup.name || "";
                entry.details = lookupDetails(lookup, this.labels);
            }
            const refusal = this.lookupRefusal(lookup, code, mode);
            if (refusal) {
                this.finish(entry, "danger", refusal);
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
            this.sender.scheduleRetry();
            return;
        }
        entry.message = _t("Sending…");
        this.sender.flush();
    }

    /** Why a looked-up code is not sent at all, or null. */
    lookupRefusal(lookup, code, mode) {
        if (lookup.status === "invalid") {
            return _t("Unreadable code: %(reason)s. Nothing was changed.", {
                reason: lookup.message || "",
            });
        }
        if (lookup.status === "unknown" && mode !== "audit") {
            return _t("No asset has the code %(code)s. Nothing was changed.", { code });
        }
        return null;
    }

    /** Confirm or refuse the scans of a posted batch from its per-code results. */
    applyBatchAnswer(batch, answer) {
        const entries = this.state.history.filter(
            (entry) => entry.batchId === batch.batch_id
        );
        const done = doneMessage(batch.payload, this.state);
        const outcomes = batchOutcomes(
            batch.payload,
            answer,
            entries.map((entry) => entry.code),
            done
        );
        outcomes.forEach(({ tone, message, matched }, index) => {
            const entry = entries[index];
            if (matched) {
                // the card shows the asset as it is now: the new holder or place
                entry.details = appliedDetails(entry.details, batch.payload, this.state);
            }
            this.finish(entry, tone, message, { sound: false });
        });
        const worst = worstTone(outcomes.map(({ tone }) => tone));
        if (worst) {
            playTone(worst);
        }
    }
}

registry.category("actions").add("stock_asset_tracking.scan_screen", AssetScanScreen);
