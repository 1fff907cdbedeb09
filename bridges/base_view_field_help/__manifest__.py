# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
{
    "name": "List View Field Help (Odoo 18.0 backport)",
    "summary": "Accept the help attribute on the fields of list views, as Odoo "
    "18.0 does since odoo/odoo#240261 (needed by OCA's stock_barcodes 18.0)",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "website": "https://github.com/stock-asset-tracking/stock_asset_tracking",
    "author": "stock_asset_tracking contributors",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["base"],
}
