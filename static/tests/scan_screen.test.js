import { defineMailModels } from "@mail/../tests/mail_test_helpers";
import { beforeEach, describe, expect, test } from "@odoo/hoot";
import { waitFor } from "@odoo/hoot-dom";
import { animationFrame } from "@odoo/hoot-mock";
import {
    contains,
    defineModels,
    fields,
    getService,
    models,
    mountWithCleanup,
    onRpc,
    patchWithCleanup,
} from "@web/../tests/web_test_helpers";
import { browser } from "@web/core/browser/browser";
import { user } from "@web/core/user";
import { session } from "@web/session";
import { AssetScanScreen } from "@stock_asset_tracking/scan_screen/scan_screen";
import { ScanSender } from "@stock_asset_tracking/scan_screen/scan_sender";

describe.current.tags("desktop");

const ROUTE = "/stock_asset_tracking/scan_screen";

// labels unlike the screen's former hard-coded ones: they can only come from the server
class StockAsset extends models.Model {
    _name = "stock.asset";

    state = fields.Selection({
        selection: [
            ["draft", "Draft"],
            ["in_use", "In Service"],
            ["lost", "Missing"],
        ],
    });
    calibration_state = fields.Selection({
        selection: [
            ["valid", "Valid"],
            ["due_soon", "Due Shortly"],
        ],
    });
}

class StockAssetScanBatch extends models.Model {
    _name = "stock.asset.scan.batch";

    mode = fields.Selection({
        selection: [
            ["observe", "Locate here"],
            ["audit", "Audit"],
            ["checkout", "Hand out"],
            ["checkin", "Check-in"],
            ["use", "Use"],
        ],
    });
}

defineMailModels();
defineModels([StockAsset, StockAssetScanBatch]);

const ASSETS = {
    A1: {
        status: "matched",
        asset_code: "A1",
        name: "Drill 1",
        state: "in_use",
        location: { name: "WH/Stock" },
        holder: null,
        calibration_state: "due_soon",
        reservation: null,
    },
};

const TARGETS = {
    location: {
        "SHELF-1": { id: 7, name: "WH/Stock/Shelf 1" },
        "SHELF-2": { id: 8, name: "WH/Stock/Shelf 2" },
    },
    holder: { "BADGE-7": { id: 3, name: "Dora Lee" } },
};

let network;
let posted; // the batch bodies the server answered
let sent; // the batch ids of every post, answered or not

/** A route of the screen that answers ``answer(params)``, or fails while offline. */
function screenRoute(name, answer) {
    onRpc(
        `${ROUTE}/${name}`,
        async (request) => {
            const { params } = await request.json();
            if (params.payload) {
                sent.push(params.payload.batch_id);
            }
            expect.step(`${name} ${params.code || ""}`.trim());
            if (network.offline) {
                return new Response("", { status: 502 });
            }
            return { result: answer(params) };
        },
        { pure: true }
    );
}

beforeEach(() => {
    network = { offline: false };
    posted = [];
    sent = [];
    screenRoute("target", ({ kind, code }) => {
        const found = TARGETS[kind]?.[code];
        return found
            ? { ...found, code }
            : { error: { status: 404, code: "not_found", message: `No location ${code}.` } };
    });
    screenRoute("lookup", ({ code }) => ASSETS[code] || { status: "unknown", code });
    screenRoute("batch", ({ payload }) => {
        posted.push(payload);
        return {
            status: "done",
            results: payload.reads.map(({ code }) => ({ code, status: "matched" })),
        };
    });
});

function scan(barcode) {
    getService("barcode").bus.trigger("barcode_scanned", { barcode, target: document.body });
}

async function openAtShelf() {
    await mountWithCleanup(AssetScanScreen, { props: { action: {} } });
    await contains(".o_asset_scan_mode_button[data-mode='observe']").click();
    await contains(".o_asset_scan_input").edit("SHELF-1", { confirm: false });
    await contains(".o_asset_scan_submit").click();
    await waitFor(".o_asset_scan_result[data-done='1'][data-tone='success']");
    expect.verifySteps(["target SHELF-1"]);
}

test("modes and statuses show the server's selection labels", async () => {
    await mountWithCleanup(AssetScanScreen, { props: { action: {} } });
    expect(".o_asset_scan_mode_button[data-mode='observe'] span").toHaveText("Locate here");
    expect(".o_asset_scan_mode_button[data-mode='checkout'] span").toHaveText("Hand out");

    await contains(".o_asset_scan_mode_button[data-mode='observe']").click();
    await contains(".o_asset_scan_input").edit("SHELF-1", { confirm: false });
    await contains(".o_asset_scan_submit").click();
    await waitFor(".o_asset_scan_target:contains(WH/Stock/Shelf 1)");
    expect(".o_asset_scan_mode").toHaveText("Locate here");

    scan("A1");
    await waitFor(".o_asset_scan_result[data-seq='2'][data-done='1']");
    expect(".o_asset_scan_result").toHaveAttribute("data-tone", "success");
    expect(".o_asset_scan_result_title").toHaveText("A1");
    expect(".o_asset_scan_result_message").toHaveText("Located at WH/Stock/Shelf 1.");
    expect("dd[data-detail='state']").toHaveText("In Service");
    expect("dd[data-detail='calibration']").toHaveText("Due Shortly");
    expect("dd[data-detail='calibration']").toHaveAttribute("data-tone", "warning");
    expect(".o_asset_scan_pending").toHaveAttribute("data-pending", "0");
    expect(posted).toEqual([
        {
            batch_id: posted[0].batch_id,
            mode: "observe",
            location: "SHELF-1",
            reads: [{ code: "A1", timestamp: posted[0].reads[0].timestamp }],
        },
    ]);
    expect.verifySteps(["target SHELF-1", "lookup A1", "batch"]);
});

test("an unknown code is refused on screen and never queued", async () => {
    await openAtShelf();
    scan("NOPE-404");
    await waitFor(".o_asset_scan_result[data-seq='2'][data-done='1']");
    expect(".o_asset_scan_result").toHaveAttribute("data-tone", "danger");
    expect(".o_asset_scan_result_message").toHaveText(
        "No asset has the code NOPE-404. Nothing was changed."
    );
    expect(".o_asset_scan_pending").toHaveAttribute("data-pending", "0");
    // no asset: is it a location's label? (no: refused)
    expect.verifySteps(["lookup NOPE-404", "target NOPE-404"]);
    expect(posted).toEqual([]);
});

test("a scan before any mode is refused", async () => {
    await mountWithCleanup(AssetScanScreen, { props: { action: {} } });
    scan("A1");
    await waitFor(".o_asset_scan_result[data-done='1']");
    expect(".o_asset_scan_result").toHaveAttribute("data-tone", "danger");
    expect(".o_asset_scan_result_message").toHaveText("Pick a mode first.");
    expect.verifySteps([]);
});

test("offline: the scan is queued, kept on a failed send, then replayed unchanged", async () => {
    // the retry timer is not run here: the test sends by hand, as the tour does
    patchWithCleanup(ScanSender.prototype, {
        scheduleRetry() {
            expect.step("retry later");
        },
    });
    await openAtShelf();
    network.offline = true;
    scan("A1");
    await waitFor(".o_asset_scan_result[data-seq='2'][data-tone='warning']");
    expect(".o_asset_scan_result_message").toHaveText(
        "Offline: the scan is queued and sent when the connection is back."
    );
    expect(".o_asset_scan_pending").toHaveAttribute("data-pending", "1");
    expect.verifySteps(["lookup A1", "retry later"]);

    // still offline: the batch stays queued
    await contains(".o_asset_scan_retry").click();
    await waitFor(".o_asset_scan_send_error:contains(Connection lost)");
    expect(".o_asset_scan_pending").toHaveAttribute("data-pending", "1");
    expect(".o_asset_scan_result").toHaveAttribute("data-tone", "warning");
    expect.verifySteps(["batch", "retry later"]);

    // back online: the same batch is posted again, unchanged, and answered
    network.offline = false;
    await contains(".o_asset_scan_retry").click();
    await waitFor(".o_asset_scan_pending[data-pending='0']");
    await animationFrame();
    expect(".o_asset_scan_send_error").toHaveCount(0);
    expect(".o_asset_scan_retry").toHaveCount(0);
    expect(".o_asset_scan_result").toHaveAttribute("data-tone", "success");
    expect(".o_asset_scan_result_message").toHaveText("Located at WH/Stock/Shelf 1.");
    expect.verifySteps(["batch"]);
    expect(sent).toEqual([posted[0].batch_id, posted[0].batch_id]);
    expect(posted).toEqual([
        {
            batch_id: sent[0],
            mode: "observe",
            location: "SHELF-1",
            reads: [{ code: "A1", timestamp: posted[0].reads[0].timestamp }],
        },
    ]);
});

test("reads a former visit left queued are sent when the screen opens", async () => {
    const batchId = "handheld/0b7c5a1e-2f4d-4c8e-9a3b-5d6e7f8a9b0c";
    const payload = {
        batch_id: batchId,
        mode: "checkin",
        reads: [{ code: "A1", timestamp: "2026-12-07T08:00:00.000Z" }],
    };
    const key = `stock_asset_tracking.scan_queue/${session.db || ""}/${user.userId}`;
    browser.localStorage.setItem(key, JSON.stringify([{ batch_id: batchId, sealed: true, payload }]));

    await mountWithCleanup(AssetScanScreen, { props: { action: {} } });
    await waitFor(".o_asset_scan_pending[data-pending='0']");
    expect.verifySteps(["batch"]);
    expect(posted).toEqual([payload]);
    expect(browser.localStorage.getItem(key)).toBe(null);
});

async function pickMode(mode, target) {
    await contains(`.o_asset_scan_mode_button[data-mode='${mode}']`).click();
    if (target) {
        await contains(".o_asset_scan_input").edit(target, { confirm: false });
        await contains(".o_asset_scan_submit").click();
        await waitFor(".o_asset_scan_footer .o_asset_scan_target");
    }
}

test("audit: a location label switches the audited location, nothing is counted", async () => {
    await mountWithCleanup(AssetScanScreen, { props: { action: {} } });
    await pickMode("audit", "SHELF-1");
    scan("SHELF-2");
    await waitFor(".o_asset_scan_result[data-seq='2'][data-done='1']");
    expect(".o_asset_scan_result").toHaveAttribute("data-tone", "success");
    expect(".o_asset_scan_result_title").toHaveText("WH/Stock/Shelf 2");
    expect(".o_asset_scan_result_message").toHaveText(
        "Location changed to WH/Stock/Shelf 2: scan the assets there."
    );
    expect(".o_asset_scan_target").toHaveText("WH/Stock/Shelf 2");
    expect(".o_asset_scan_pending").toHaveAttribute("data-pending", "0");

    // the next asset is counted at the new location; an unknown code still is
    scan("A1");
    await waitFor(".o_asset_scan_result[data-seq='3'][data-done='1']");
    scan("NOPE-404");
    await waitFor(".o_asset_scan_result[data-seq='4'][data-done='1']");
    expect(".o_asset_scan_result").toHaveAttribute("data-tone", "success");
    expect.verifySteps([
        "target SHELF-1",
        "lookup SHELF-2",
        "target SHELF-2",
        "lookup A1",
        "batch",
        "lookup NOPE-404",
        "target NOPE-404",
        "batch",
    ]);
    expect(posted.map(({ mode, location, reads }) => [mode, location, reads[0].code])).toEqual([
        ["audit", "SHELF-2", "A1"],
        ["audit", "SHELF-2", "NOPE-404"],
    ]);
});

test("after a check-out and a check-in the card shows the new custody", async () => {
    await mountWithCleanup(AssetScanScreen, { props: { action: {} } });
    await pickMode("checkout", "BADGE-7");
    scan("A1");
    await waitFor(".o_asset_scan_result[data-seq='2'][data-done='1']");
    expect(".o_asset_scan_result_message").toHaveText("Checked out to Dora Lee.");
    expect("dd[data-detail='custody']").toHaveText("Held by Dora Lee");
    expect("dd[data-detail='custody']").toHaveAttribute("data-tone", "warning");

    await contains(".o_asset_scan_mode").click();
    await pickMode("checkin", "SHELF-1");
    scan("A1");
    await waitFor(".o_asset_scan_result[data-seq='4'][data-done='1']");
    expect(".o_asset_scan_result_message").toHaveText("Checked in.");
    expect("dd[data-detail='custody']").toHaveText("In store");
    expect("dd[data-detail='location']").toHaveText("WH/Stock/Shelf 1");
    expect(posted.map(({ mode, holder, location }) => [mode, holder, location])).toEqual([
        ["checkout", "BADGE-7", undefined],
        ["checkin", undefined, "SHELF-1"],
    ]);
    expect.verifySteps([
        "target BADGE-7",
        "lookup A1",
        "batch",
        "target SHELF-1",
        "lookup A1",
        "batch",
    ]);
});

test("the mode buttons are at the bottom and thumb-sized", async () => {
    await mountWithCleanup(AssetScanScreen, { props: { action: {} } });
    expect(".o_asset_scan_screen > :last-child.o_asset_scan_footer").toHaveCount(1);
    expect(".o_asset_scan_footer .o_asset_scan_mode_button").toHaveCount(5);
    await pickMode("observe", "SHELF-1");
    expect(".o_asset_scan_header .o_asset_scan_mode").toHaveCount(0);
    for (const selector of [".o_asset_scan_mode", ".o_asset_scan_target"]) {
        expect(`.o_asset_scan_footer ${selector}`).toHaveCount(1);
        const height = document.querySelector(selector).getBoundingClientRect().height;
        expect(height >= 48).toBe(true, { message: `${selector} is ${height} px high` });
    }
    expect.verifySteps(["target SHELF-1"]);
});
