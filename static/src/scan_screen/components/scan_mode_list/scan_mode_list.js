import { Component } from "@odoo/owl";

/** The modes to pick from, one large button each with its help line. */
export class ScanModeList extends Component {
    static template = "stock_asset_tracking.ScanModeList";
    static props = {
        modes: Array, // of {id, label, icon, help} (see ``scanModes``)
        onSelect: Function,
    };
}
