import { Component } from "@odoo/owl";

/**
 * The screen's top bar: its title and the reads waiting to be sent. The mode
 * and target buttons are at the bottom (``ScanFooter``), within a thumb's reach.
 */
export class ScanHeader extends Component {
    static template = "stock_asset_tracking.ScanHeader";
    static props = {
        pending: Number,
        onSend: Function,
    };
}
