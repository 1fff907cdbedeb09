import { registry } from "@web/core/registry";

/**
 * On a phone, in OCA's barcode app (tests/test_barcodes_tour.py sets the data up
 * and checks the database afterwards): deliver a drill by scanning its asset
 * label, then check a drill out by scanning the holder's badge and the drill.
 */

/** A keyboard-wedge scan: what the ``barcode`` service emits. */
function wedgeScan(barcode, trigger) {
    return {
        content: `wedge scan ${barcode}`,
        trigger,
        run() {
            odoo.__WOWL_DEBUG__.root.env.services.barcode.bus.trigger("barcode_scanned", {
                barcode,
                target: document.body,
            });
        },
    };
}

registry.category("web_tour.tours").add("stock_asset_tracking_stock_barcodes_tour", {
    steps: () => [
        // 1. the delivery's barcode screen: scan the asset's label (GS1-128, GIAI)
        wedgeScan(
            "]C1800406141415678",
            ".o_field_widget[name=message]:contains(Scan)"
        ),
        {
            content: "the serial is picked: nothing left to scan, validate",
            trigger: "button[name=action_validate_picking].btn-primary:enabled",
            run: "click",
        },
        {
            content: "confirm the validation",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "validated: the app lists the deliveries still to do",
            trigger: ".o_kanban_view",
        },
        {
            content: "back to the barcode menu",
            trigger: "body",
            run() {
                odoo.__WOWL_DEBUG__.root.env.services.action.doAction(
                    "stock_barcodes.action_stock_barcodes_action_client"
                );
            },
        },
        // 2. check a tool out: the holder's badge, then the tool
        {
            content: "open the asset check-out",
            trigger: ".o_stock_barcode_buttons button:contains(Assets: Check Out)",
            run: "click",
        },
        wedgeScan(
            "BADGE-ANNA",
            ".o_sat_barcodes_asset_form .o_field_widget[name=message]:contains(Scan the holder's badge)"
        ),
        {
            content: "the holder is shown",
            trigger: ".o_sat_barcodes_holder:contains(Anna Fitter)",
        },
        wedgeScan(
            "DRL-0002",
            ".o_field_widget[name=message]:contains(Anna Fitter: scan the assets)"
        ),
        {
            content: "the tool went out to her",
            trigger:
                ".o_field_widget[name=message]:contains(DRL-0002 checked out to Anna Fitter)",
        },
        {
            content: "one applied",
            trigger: ".o_sat_barcodes_count:contains(1)",
        },
    ],
});
