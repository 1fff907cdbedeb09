import { Component } from "@odoo/owl";

/**
 * The screen's top bar: the mode and the target (location, holder or document)
 * with a button to change each, and the reads waiting to be sent.
 */
export class ScanHeader extends Component {
    static template = "stock_asset_tracking.ScanHeader";
    static props = {
        step: String,
        mode: { type: Object, optional: true },
        targetLabel: String,
        pending: Number,
        onChangeMode: Function,
        onChangeTarget: Function,
        onSend: Function,
    };
}
