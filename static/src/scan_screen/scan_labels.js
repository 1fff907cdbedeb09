import { ConnectionLostError } from "@web/core/network/rpc";

/**
 * The labels of the selection values the screen shows, as the server names them
 * (in the user's language): the scan batch's ``mode``, the asset's ``state`` and
 * ``calibration_state``. One ``fields_get`` per model when the screen opens.
 *
 * @param {Object} orm the ``orm`` service
 * @returns {Promise<{mode: Object, state: Object, calibration: Object}>} value → label
 */
export async function loadScanLabels(orm) {
    let assetFields;
    let batchFields;
    try {
        [assetFields, batchFields] = await Promise.all([
            orm.call("stock.asset", "fields_get", [["state", "calibration_state"]]),
            orm.call("stock.asset.scan.batch", "fields_get", [["mode"]]),
        ]);
    } catch (error) {
        if (!(error instanceof ConnectionLostError)) {
            throw error;
        }
        // the screen still works offline: it shows the values themselves
        assetFields = batchFields = {};
    }
    const labels = (field) => Object.fromEntries(field?.selection || []);
    return {
        mode: labels(batchFields.mode),
        state: labels(assetFields.state),
        calibration: labels(assetFields.calibration_state),
    };
}

/** The label of ``value`` in ``labels`` (``loadScanLabels``), or the value itself. */
export function selectionLabel(labels, value) {
    return labels[value] || value || "";
}
