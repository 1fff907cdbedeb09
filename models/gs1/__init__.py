# GS1 keys of assets (GIAI, GRAI, GDTI...), labels, barcode rules, GSRN of partners
from . import stock_asset_gs1
from . import stock_asset_category_gs1
from . import barcode_rule
from . import report_stock_asset_label
from . import report_stock_asset_label_sheet
