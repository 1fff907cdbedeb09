import { Component } from "@odoo/owl";

/**
 * The bar at the bottom of the screen, within a thumb's reach on a phone: the
 * mode and the target (location, holder or document), a large button each to
 * change them.
 */
export class ScanFooter extends Component {
    static template = "stock_asset_tracking.ScanFooter";
    static props = {
        step: String,
        mode: Object,
        targetLabel: String,
        onChangeMode: Function,
        onChangeTarget: Function,
    };
}
