import { Component } from "@odoo/owl";

/** The scans before the last one, newest first: each with its tone and message. */
export class ScanHistory extends Component {
    static template = "stock_asset_tracking.ScanHistory";
    static props = {
        entries: Array,
    };
}
