# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
{
    "name": "Asset Tracking in OCA's Stock Barcodes",
    "summary": "Scan asset labels, RFID EPCs and GS1 codes in OCA's barcode app: "
    "pickings, inventory, and locate / audit / check-out / check-in actions",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/stock-asset-tracking/stock_asset_tracking",
    "author": "stock_asset_tracking contributors",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "auto_install": True,
    "depends": [
        "stock_asset_tracking",
        "stock_barcodes",
        # OCA's stock_barcodes 18.0 needs it on Odoo 18.0 builds before 2026-01
        "base_view_field_help",
    ],
    "data": [
        "security/stock_barcodes_action_security.xml",
        "security/ir.model.access.csv",
        "views/wiz_stock_barcodes_read_asset_views.xml",
        "data/stock_barcodes_action_data.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "stock_asset_tracking_stock_barcodes/static/tests/tours/*",
        ],
    },
}
