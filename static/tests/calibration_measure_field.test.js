import { defineMailModels } from "@mail/../tests/mail_test_helpers";
import { describe, expect, test } from "@odoo/hoot";
import { queryAllTexts } from "@odoo/hoot-dom";
import { defineModels, fields, models, mountView } from "@web/../tests/web_test_helpers";
import "@stock_asset_tracking/calibration/calibration_measure_field";

describe.current.tags("desktop");

class StockAssetCalibrationPoint extends models.Model {
    _name = "stock.asset.calibration.point";

    name = fields.Char();
    nominal = fields.Float({ digits: [16, 6] });
    tolerance = fields.Float({ digits: [16, 6] });
    resolution = fields.Integer();

    _records = [
        { id: 1, name: "Torque", nominal: 20, tolerance: 0.8, resolution: 2 },
        { id: 2, name: "Torque", nominal: 50, tolerance: 2, resolution: 0 },
        { id: 3, name: "Length", nominal: 0.0125, tolerance: 0.0005, resolution: 4 },
    ];
}

defineMailModels();
defineModels([StockAssetCalibrationPoint]);

test("a point's values show with its resolution, not six decimals", async () => {
    await mountView({
        type: "list",
        resModel: "stock.asset.calibration.point",
        arch: `
            <list>
                <field name="name"/>
                <field name="nominal" widget="calibration_measure"/>
                <field name="tolerance" widget="calibration_measure"/>
            </list>`,
    });
    expect(queryAllTexts(".o_data_cell[name='nominal']")).toEqual(["20.00", "50", "0.0125"]);
    expect(queryAllTexts(".o_data_cell[name='tolerance']")).toEqual(["0.80", "2", "0.0005"]);
});
