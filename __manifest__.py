# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
{
    "name": "Asset Tracking",
    "summary": "One record per physical item: custody, location, scans and RFID, "
    "calibration, installed base and the fixed-asset register, on top of stock",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/stock-asset-tracking/stock_asset_tracking",
    "author": "stock_asset_tracking contributors",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "application": True,
    "installable": True,
    "depends": [
        "stock",
        "account",
        "barcodes",
        "barcodes_gs1_nomenclature",
        "mail",
        "portal",
    ],
    "external_dependencies": {"python": ["barcode", "zeep"]},
    "data": [
        "security/stock_asset_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "views/stock_asset_views.xml",
        "views/stock_asset_category_views.xml",
        "views/stock_lot_views.xml",
        "views/product_template_views.xml",
        "wizards/stock_asset_generate_views.xml",
        "views/stock_asset_menus.xml",
    ],
    "demo": [
        "demo/stock_asset_demo.xml",
    ],
}
