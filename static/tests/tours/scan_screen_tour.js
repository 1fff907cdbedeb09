import { browser } from "@web/core/browser/browser";
import { registry } from "@web/core/registry";

/**
 * Drives the "Scan Assets" screen (tests/test_scan_screen_tour.py sets the data
 * up and checks the database afterwards): a check-out, an unknown code, a
 * check-out the server refuses, then a locate scan made offline, posted once
 * with its answer lost, and replayed.
 */

const realXHR = browser.XMLHttpRequest;
const SCREEN_ROUTES = "/stock_asset_tracking/scan_screen/";

/**
 * ``offline``: the screen's requests fail before reaching the server.
 * ``lose_answers``: they reach the server, but the answer is lost on the way back.
 */
function setNetwork(network) {
    if (!network) {
        browser.XMLHttpRequest = realXHR;
        return;
    }
    browser.XMLHttpRequest = class TourXHR extends realXHR {
        open(method, url, ...args) {
            this.tourCut = String(url).includes(SCREEN_ROUTES);
            return super.open(method, url, ...args);
        }
        addEventListener(type, listener, ...args) {
            if (type === "load" && network === "lose_answers") {
                return super.addEventListener(
                    "load",
                    () => (this.tourCut ? this.dispatchEvent(new Event("error")) : listener()),
                    ...args
                );
            }
            return super.addEventListener(type, listener, ...args);
        }
        send(body) {
            if (this.tourCut && network === "offline") {
                setTimeout(() => this.dispatchEvent(new Event("error")));
                return;
            }
            return super.send(body);
        }
    };
}

/** A keyboard-wedge scan: what the ``barcode`` service emits. */
function wedgeScan(barcode) {
    return {
        content: `wedge scan ${barcode}`,
        trigger: ".o_asset_scan_input",
        run() {
            odoo.__WOWL_DEBUG__.root.env.services.barcode.bus.trigger("barcode_scanned", {
                barcode,
                target: document.body,
            });
        },
    };
}

/** A code typed in the field (phone keyboard, manual entry). */
function typedScan(code) {
    return [
        {
            content: `type ${code}`,
            trigger: ".o_asset_scan_input",
            run: `edit ${code}`,
        },
        {
            content: "submit it",
            trigger: ".o_asset_scan_submit",
            run: "click",
        },
    ];
}

function answer(tone, ...texts) {
    const contains = texts.map((text) => `:contains(${text})`).join("");
    return {
        content: `the card answers ${tone}: ${texts.join(", ")}`,
        trigger: `.o_asset_scan_result[data-done='1'][data-tone='${tone}']${contains}`,
    };
}

/** The target (location, holder or document) shown at the bottom is ``name``. */
function targetIs(name, content) {
    return { content, trigger: `.o_asset_scan_target:contains(${name})` };
}

registry.category("web_tour.tours").add("stock_asset_tracking_scan_screen", {
    steps: () => [
        {
            content: "pick the check-out mode",
            trigger: ".o_asset_scan_mode_button[data-mode='checkout']",
            run: "click",
        },
        ...typedScan("TOUR-BADGE"),
        answer("success", "Tour Holder", "Holder set"),
        targetIs("Tour Holder", "the holder is the target"),
        {
            content: "the mode and target buttons are at the bottom, thumb-sized",
            trigger: ".o_asset_scan_footer .o_asset_scan_target",
            run() {
                const screen = document.querySelector(".o_asset_scan_screen");
                for (const selector of [".o_asset_scan_mode", ".o_asset_scan_target"]) {
                    const box = document.querySelector(selector).getBoundingClientRect();
                    const bottom = screen.getBoundingClientRect().bottom;
                    if (box.height < 48 || bottom - box.bottom > 24) {
                        throw new Error(`${selector}: ${box.height} px high, ${bottom - box.bottom} px above the bottom`);
                    }
                }
            },
        },
        wedgeScan("TOUR-A1"),
        answer("success", "TOUR-A1", "Checked out to Tour Holder"),
        {
            content: "the card shows the asset with its new holder",
            trigger: ".o_asset_scan_result dd[data-detail='custody']:contains(Held by Tour Holder)",
        },
        {
            content: "the answer shows the asset's status",
            trigger: ".o_asset_scan_result dd[data-detail='reservation']:contains(None)",
        },
        {
            content: "nothing left to send",
            trigger: ".o_asset_scan_pending[data-pending='0']",
        },
        wedgeScan("NOPE-404"),
        answer("danger", "No asset has the code NOPE-404", "Nothing was changed"),
        {
            content: "an unknown code is not queued",
            trigger: ".o_asset_scan_pending[data-pending='0']",
        },
        wedgeScan("TOUR-A2"),
        answer("danger", "TOUR-A2", "Other Holder"),
        {
            content: "the lookup showed who holds it and its reservation",
            trigger: ".o_asset_scan_result dd[data-detail='custody']:contains(Held by Other Holder)",
        },
        {
            content: "the reservation shows",
            trigger:
                ".o_asset_scan_result dd[data-detail='reservation']:contains(Reserved for Tour Holder)",
        },
        {
            content: "change the mode",
            trigger: ".o_asset_scan_mode",
            run: "click",
        },
        {
            content: "pick the locate mode",
            trigger: ".o_asset_scan_mode_button[data-mode='observe']",
            run: "click",
        },
        ...typedScan("TOUR-SHELF"),
        answer("success", "Tour Shelf", "Location set"),
        wedgeScan("TOUR-BIN"),
        answer("success", "Tour Bin", "Location changed to"),
        targetIs("Tour Bin", "a location label switched the location: nothing was queued"),
        ...typedScan("TOUR-SHELF"),
        answer("success", "Tour Shelf", "Location changed to"),
        {
            content: "go offline",
            trigger: ".o_asset_scan_target:contains(Tour Shelf)",
            run() {
                setNetwork("offline");
            },
        },
        wedgeScan("TOUR-A3"),
        answer("warning", "TOUR-A3", "Offline"),
        {
            content: "the read waits in the queue",
            trigger: ".o_asset_scan_pending[data-pending='1']",
            run() {
                setNetwork("lose_answers");
            },
        },
        {
            content: "send: the server applies the batch but its answer is lost",
            trigger: ".o_asset_scan_retry",
            run: "click",
        },
        {
            content: "the batch stays queued",
            trigger: ".o_asset_scan_send_error:contains(Connection lost)",
        },
        {
            content: "still pending",
            trigger: ".o_asset_scan_pending[data-pending='1']",
            run() {
                setNetwork(null);
            },
        },
        {
            content: "send again: an idempotent replay (unless the retry timer did)",
            trigger: ".o_asset_scan_screen",
            run() {
                document.querySelector(".o_asset_scan_retry")?.click();
            },
        },
        answer("success", "TOUR-A3", "Located at WH/Stock/Tour Shelf"),
        {
            content: "the queue is empty",
            trigger: ".o_asset_scan_pending[data-pending='0']",
        },
        {
            content: "no send error left",
            trigger: ".o_asset_scan_screen:not(:has(.o_asset_scan_send_error))",
        },
    ],
});
