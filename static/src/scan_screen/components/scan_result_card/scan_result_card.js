import { Component } from "@odoo/owl";

/**
 * The answer to the last scan, coloured by its tone (``info`` while it is looked
 * up or sent, then ``success``, ``warning`` or ``danger``), with the asset's
 * status rows. ``data-seq``, ``data-tone`` and ``data-done`` say which scan it
 * shows and whether its answer is final.
 */
export class ScanResultCard extends Component {
    static template = "stock_asset_tracking.ScanResultCard";
    static props = {
        entry: { type: Object, optional: true },
    };
}
