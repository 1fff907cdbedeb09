from . import product_template, stock_asset, stock_asset_category, stock_lot
