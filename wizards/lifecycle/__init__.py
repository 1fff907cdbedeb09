from . import stock_asset_checkout
