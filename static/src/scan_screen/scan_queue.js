import { browser } from "@web/core/browser/browser";

/** Most reads one batch carries; the next read opens a new batch. */
export const MAX_READS_PER_BATCH = 500;

/**
 * A client-generated UUID (v4). ``crypto.randomUUID`` exists in secure contexts
 * only, and a phone may reach Odoo over plain http on the local network.
 */
export function newUuid() {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    return [
        hex.slice(0, 8),
        hex.slice(8, 12),
        hex.slice(12, 16),
        hex.slice(16, 20),
        hex.slice(20),
    ].join("-");
}

/**
 * The reads waiting to be posted, kept in ``localStorage`` so that they survive a
 * lost connection or a closed tab.
 *
 * Reads are grouped in batches of one context (mode, location, holder,
 * reference). A batch gets its ``batch_id`` when it is opened and is *sealed*
 * before its first post: from then on its body never changes, so posting it
 * again after a lost answer is an idempotent replay (the server answers the
 * stored result and changes nothing).
 */
export class ScanQueue {
    constructor(storageKey) {
        this.storageKey = storageKey;
        this.batches = this._load();
    }

    _load() {
        try {
            const stored = JSON.parse(browser.localStorage.getItem(this.storageKey));
            return Array.isArray(stored) ? stored : [];
        } catch {
            return [];
        }
    }

    _save() {
        if (this.batches.length) {
            browser.localStorage.setItem(this.storageKey, JSON.stringify(this.batches));
        } else {
            browser.localStorage.removeItem(this.storageKey);
        }
    }

    /** Number of reads not yet posted with an answer. */
    get readCount() {
        return this.batches.reduce((count, batch) => count + batch.payload.reads.length, 0);
    }

    /**
     * Queue one read; returns the ``batch_id`` of the batch that holds it.
     *
     * @param {Object} context ``{mode, location, holder, reference}`` (strings or null)
     * @param {Object} read ``{code, timestamp}``
     */
    add(context, read) {
        let batch = this.batches.find(
            (candidate) =>
                !candidate.sealed &&
                candidate.payload.mode === context.mode &&
                (candidate.payload.location || null) === (context.location || null) &&
                (candidate.payload.holder || null) === (context.holder || null) &&
                (candidate.payload.reference || null) === (context.reference || null) &&
                candidate.payload.reads.length < MAX_READS_PER_BATCH
        );
        if (!batch) {
            const batchId = `handheld/${newUuid()}`;
            const payload = { batch_id: batchId, mode: context.mode, reads: [] };
            for (const key of ["location", "holder", "reference"]) {
                if (context[key]) {
                    payload[key] = context[key];
                }
            }
            batch = { batch_id: batchId, sealed: false, payload };
            this.batches.push(batch);
        }
        batch.payload.reads.push(read);
        this._save();
        return batch.batch_id;
    }

    /** Seal every batch (called before posting) and return them, oldest first. */
    sealAll() {
        for (const batch of this.batches) {
            batch.sealed = true;
        }
        this._save();
        return [...this.batches];
    }

    /** Forget a batch the server answered. */
    remove(batchId) {
        this.batches = this.batches.filter((batch) => batch.batch_id !== batchId);
        this._save();
    }
}
