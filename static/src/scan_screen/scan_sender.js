import { _t } from "@web/core/l10n/translation";
import { browser } from "@web/core/browser/browser";
import { ConnectionLostError } from "@web/core/network/rpc";
import { errorMessage } from "./scan_answer";

/** Waits before the next try after a failed post: 2 s, 5 s, 10 s, then every 30 s. */
export const RETRY_DELAYS_MS = [2000, 5000, 10000, 30000];

/**
 * Posts the batches of a ``ScanQueue``, oldest first, and keeps those it could not
 * post for a retry: on a timer (``RETRY_DELAYS_MS``), when the browser is back
 * online, or on demand. A posted batch is sealed, so a retry after a lost answer
 * replays it unchanged (the server answers the stored result).
 *
 * ``status`` (a reactive object of the screen) gets ``pending`` (the reads not yet
 * answered) and ``sendError`` (why the last post failed, or null).
 */
export class ScanSender {
    /**
     * @param {Object} params
     * @param {import("./scan_queue").ScanQueue} params.queue
     * @param {(payload: Object) => Promise<Object>} params.post posts one batch body
     * @param {(batch: Object, answer: Object) => void} params.onAnswer a batch's answer
     * @param {{pending: number, sendError: string|null}} params.status
     */
    constructor({ queue, post, onAnswer, status }) {
        this.queue = queue;
        this.post = post;
        this.onAnswer = onAnswer;
        this.status = status;
        this.flushing = false;
        this.flushAgain = false;
        this.retryTimer = null;
        this.retryAttempt = 0;
        this.stopped = false;
        this.onOnline = () => this.flush();
    }

    /** Listen to the browser coming back online; post what a former visit left. */
    start() {
        browser.addEventListener("online", this.onOnline);
        if (this.queue.batches.length) {
            this.flush();
        }
    }

    /** Stop retrying: what is still queued stays in localStorage for the next visit. */
    stop() {
        this.stopped = true;
        browser.removeEventListener("online", this.onOnline);
        browser.clearTimeout(this.retryTimer);
    }

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
                    answer = await this.post(batch.payload);
                } catch (error) {
                    // lost connection or server error: the batch stays queued, sealed,
                    // and its replay is idempotent
                    this.status.sendError =
                        error instanceof ConnectionLostError
                            ? _t("Connection lost: the scans stay queued.")
                            : errorMessage(error);
                    failed = true;
                    break;
                }
                this.queue.remove(batch.batch_id);
                this.onAnswer(batch, answer);
            }
        } finally {
            this.flushing = false;
            this.status.pending = this.queue.readCount;
        }
        if (failed) {
            this.flushAgain = false;
            this.scheduleRetry();
            return;
        }
        this.status.sendError = null;
        this.retryAttempt = 0;
        if (this.flushAgain) {
            this.flushAgain = false;
            await this.flush();
        }
    }

    /** Try again after the next delay of ``RETRY_DELAYS_MS``. */
    scheduleRetry() {
        browser.clearTimeout(this.retryTimer);
        if (this.stopped) {
            return;
        }
        const delay = RETRY_DELAYS_MS[Math.min(this.retryAttempt, RETRY_DELAYS_MS.length - 1)];
        this.retryAttempt++;
        this.retryTimer = browser.setTimeout(() => this.flush(), delay);
    }
}
