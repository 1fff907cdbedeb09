import { _t } from "@web/core/l10n/translation";
import { Component, useEffect, useRef } from "@odoo/owl";
import { scanBarcode } from "@web/core/barcode/barcode_dialog";
import { isBarcodeScannerSupported } from "@web/core/barcode/barcode_video_scanner";
import { browser } from "@web/core/browser/browser";
import { isMobileOS } from "@web/core/browser/feature_detection";
import { useService } from "@web/core/utils/hooks";
import { unlockSound } from "../../scan_sound";

/**
 * The code field (phone keyboard, manual entry, or a wedge scanner typing into
 * it), its OK button and the camera button, with the prompt under them.
 */
export class ScanCodeInput extends Component {
    static template = "stock_asset_tracking.ScanCodeInput";
    static props = {
        step: String,
        prompt: String,
        showSkip: Boolean,
        onScan: Function,
        onSkip: Function,
    };

    setup() {
        this.notification = useService("notification");
        this.cameraSupported = isBarcodeScannerSupported();
        this.inputRef = useRef("input");
        useEffect(
            () => {
                // on a phone, focusing the field would pop its keyboard up
                if (!isMobileOS()) {
                    this.inputRef.el?.focus();
                }
            },
            () => [this.props.step]
        );
    }

    onSubmit() {
        unlockSound();
        // read and cleared in the DOM: a wedge scanner types the code and Enter
        // within one animation frame, before any render could sync a t-model
        const input = this.inputRef.el;
        const code = input.value;
        input.value = "";
        this.props.onScan(code);
    }

    async onClickCamera() {
        unlockSound();
        let code = null;
        try {
            code = await scanBarcode(this.env);
        } catch (error) {
            this.notification.add(error.message || _t("The camera could not read a code."), {
                type: "warning",
            });
            return;
        }
        if (code) {
            if ("vibrate" in browser.navigator) {
                browser.navigator.vibrate(100);
            }
            this.props.onScan(code);
        }
    }
}
