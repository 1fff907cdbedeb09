import { defineMailModels } from "@mail/../tests/mail_test_helpers";
import { beforeEach, describe, expect, test } from "@odoo/hoot";
import { makeMockEnv } from "@web/../tests/web_test_helpers";
import {
    appliedDetails,
    batchOutcomes,
    doneMessage,
    lookupDetails,
    worstTone,
} from "@stock_asset_tracking/scan_screen/scan_answer";

describe.current.tags("desktop");
defineMailModels();

// the messages are translated terms: they need the (mock) web client's env
beforeEach(() => makeMockEnv());

const LABELS = {
    mode: {},
    state: { in_use: "In Service", lost: "Missing" },
    calibration: { due_soon: "Due Shortly", overdue: "Late" },
};

// detail rows as [key, shown value, tone]
const rows = (details) => details.map(({ key, value, tone }) => [key, String(value), tone]);

test("lookup rows use the server's labels and flag problems", () => {
    const details = lookupDetails(
        {
            status: "matched",
            state: "lost",
            location: { name: "WH/Stock" },
            holder: { name: "Ann" },
            calibration_state: "overdue",
            reservation: null,
        },
        LABELS
    );
    expect(rows(details)).toEqual([
        ["state", "Missing", "danger"],
        ["location", "WH/Stock", ""],
        ["custody", "Held by Ann", "warning"],
        ["calibration", "Late", "danger"],
        ["reservation", "None", ""],
    ]);
});

test("a value the server does not label shows as itself; no calibration row without one", () => {
    const details = lookupDetails(
        { status: "matched", state: "scrapped", location: null, holder: null, reservation: null },
        LABELS
    );
    expect(rows(details)).toEqual([
        ["state", "scrapped", ""],
        ["location", "Unknown", ""],
        ["custody", "In store", ""],
        ["reservation", "None", ""],
    ]);
});

test("per-code results of a batch: matched, audit unknown, unknown, refused, missing", () => {
    const answer = {
        status: "done",
        results: [
            { code: "a1", status: "matched" },
            { code: "A2", status: "unknown" },
            { code: "A3", status: "refused", message: "Held by Bob." },
        ],
    };
    const outcomes = (mode) =>
        batchOutcomes({ mode }, answer, ["A1", "A2", "A3", "A4"], "Done here.").map(
            ({ tone, message }) => [tone, String(message)]
        );
    expect(outcomes("audit")).toEqual([
        ["success", "Done here."],
        ["warning", "Recorded in the audit as an unknown code."],
        ["danger", "Held by Bob."],
        ["success", "Sent."],
    ]);
    expect(outcomes("observe")[1]).toEqual([
        "danger",
        "No asset has this code. Nothing was changed.",
    ]);
});

test("a refused or queued batch answers every code alike", () => {
    const codes = ["A1", "A2"];
    expect(
        batchOutcomes({ mode: "observe" }, { error: { message: "No such location." } }, codes, "")
    ).toEqual([
        { tone: "danger", message: "No such location." },
        { tone: "danger", message: "No such location." },
    ]);
    const queued = batchOutcomes({ mode: "observe" }, { status: "queued" }, codes, "");
    expect(queued.map(({ tone, message }) => [tone, String(message)])).toEqual([
        ["success", "Received: the server processes it shortly."],
        ["success", "Received: the server processes it shortly."],
    ]);
});

test("the done message names the scanned target, else the code sent", () => {
    const shelf = { code: "SHELF-1", name: "WH/Stock/Shelf 1" };
    const payload = { mode: "observe", location: "SHELF-1" };
    expect(String(doneMessage(payload, { location: shelf }))).toBe(
        "Located at WH/Stock/Shelf 1."
    );
    expect(String(doneMessage({ ...payload, location: "SHELF-9" }, { location: shelf }))).toBe(
        "Located at SHELF-9."
    );
    expect(String(doneMessage({ mode: "use", reference: "WO-7" }, {}))).toBe(
        "Use logged on WO-7."
    );
});

test("a matched read's rows show the asset as the batch left it", () => {
    const details = lookupDetails(
        {
            status: "matched",
            state: "in_use",
            location: { name: "WH/Stock" },
            holder: null,
            reservation: null,
        },
        LABELS
    );
    const dora = { code: "BADGE-7", name: "Dora Lee" };
    const out = appliedDetails(details, { mode: "checkout", holder: "BADGE-7" }, { holder: dora });
    expect(rows(out)).toEqual([
        ["state", "In Service", ""],
        ["location", "WH/Stock", ""],
        ["custody", "Held by Dora Lee", "warning"],
        ["reservation", "None", ""],
    ]);
    // the lookup's rows are kept as they were
    expect(String(details[2].value)).toBe("In store");
    const shelf = { code: "SHELF-1", name: "WH/Stock/Shelf 1" };
    const back = appliedDetails(out, { mode: "checkin", location: "SHELF-1" }, { location: shelf });
    expect(rows(back).slice(1, 3)).toEqual([
        ["location", "WH/Stock/Shelf 1", ""],
        ["custody", "In store", ""],
    ]);
    // a check-in without a location keeps the place; an audit changes nothing
    expect(rows(appliedDetails(out, { mode: "checkin" }, {}))[1]).toEqual([
        "location",
        "WH/Stock",
        "",
    ]);
    expect(appliedDetails(out, { mode: "audit", location: "SHELF-1" }, {})).toEqual(out);
});

test("the worst tone wins", () => {
    expect(worstTone([])).toBe(null);
    expect(worstTone(["success", "warning", "success"])).toBe("warning");
    expect(worstTone(["danger", "warning"])).toBe("danger");
});
