import { registry } from "@web/core/registry";
import { FloatField, floatField } from "@web/views/fields/float/float_field";
import { formatFloat } from "@web/views/fields/formatters";

/**
 * A value of a calibration point (nominal, tolerance, error) shown with the
 * point's resolution: the decimals of its most precise value as written
 * (``resolution``, computed by the server), not the six the field stores.
 */
export class CalibrationMeasureField extends FloatField {
    get formattedValue() {
        const resolution = this.props.record.data.resolution;
        if (!this.props.formatNumber || !Number.isInteger(resolution)) {
            return super.formattedValue;
        }
        return formatFloat(this.value, { digits: [16, resolution] });
    }
}

export const calibrationMeasureField = {
    ...floatField,
    component: CalibrationMeasureField,
    fieldDependencies: [{ name: "resolution", type: "integer" }],
};

registry.category("fields").add("calibration_measure", calibrationMeasureField);
