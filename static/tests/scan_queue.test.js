import { describe, expect, test } from "@odoo/hoot";
import { browser } from "@web/core/browser/browser";
import { MAX_READS_PER_BATCH, ScanQueue } from "@stock_asset_tracking/scan_screen/scan_queue";

describe.current.tags("desktop");

const KEY = "stock_asset_tracking.scan_queue/test/1";
const SHELF = { mode: "observe", location: "SHELF-1", holder: null, reference: null };

function read(code) {
    return { code, timestamp: "2026-12-07T08:00:00.000Z" };
}

test("reads of one context share a batch; another context opens its own", () => {
    const queue = new ScanQueue(KEY);
    const first = queue.add(SHELF, read("A1"));
    expect(queue.add(SHELF, read("A2"))).toBe(first);
    const other = queue.add({ ...SHELF, location: "SHELF-2" }, read("A3"));
    expect(other).not.toBe(first);
    expect(first).toMatch(/^handheld\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(queue.batches.map((batch) => batch.payload)).toEqual([
        { batch_id: first, mode: "observe", location: "SHELF-1", reads: [read("A1"), read("A2")] },
        { batch_id: other, mode: "observe", location: "SHELF-2", reads: [read("A3")] },
    ]);
    expect(queue.readCount).toBe(3);
});

test("a sealed batch never changes: the next read opens a new batch", () => {
    const queue = new ScanQueue(KEY);
    const first = queue.add(SHELF, read("A1"));
    const sealed = queue.sealAll();
    expect(sealed.map((batch) => [batch.batch_id, batch.sealed])).toEqual([[first, true]]);
    const second = queue.add(SHELF, read("A2"));
    expect(second).not.toBe(first);
    expect(queue.batches[0].payload.reads).toEqual([read("A1")]);
});

test("a full batch opens the next one", () => {
    const queue = new ScanQueue(KEY);
    const first = queue.add(SHELF, read("A0"));
    for (let n = 1; n < MAX_READS_PER_BATCH; n++) {
        expect(queue.add(SHELF, read(`A${n}`))).toBe(first);
    }
    expect(queue.add(SHELF, read("LAST"))).not.toBe(first);
    expect(queue.readCount).toBe(MAX_READS_PER_BATCH + 1);
});

test("the queue survives a reload; an answered batch is forgotten", () => {
    const queue = new ScanQueue(KEY);
    const first = queue.add(SHELF, read("A1"));
    queue.sealAll();
    const second = queue.add({ ...SHELF, mode: "audit" }, read("A2"));

    const reloaded = new ScanQueue(KEY);
    expect(reloaded.batches).toEqual(queue.batches);
    expect(reloaded.batches.map((batch) => [batch.batch_id, batch.sealed])).toEqual([
        [first, true],
        [second, false],
    ]);

    reloaded.remove(first);
    expect(new ScanQueue(KEY).batches.map((batch) => batch.batch_id)).toEqual([second]);
    reloaded.remove(second);
    expect(browser.localStorage.getItem(KEY)).toBe(null);
    expect(new ScanQueue(KEY).readCount).toBe(0);
});

test("a damaged store reads as an empty queue", () => {
    browser.localStorage.setItem(KEY, "{not json");
    expect(new ScanQueue(KEY).batches).toEqual([]);
    browser.localStorage.setItem(KEY, JSON.stringify({ not: "a list" }));
    expect(new ScanQueue(KEY).batches).toEqual([]);
});
