from . import stock_asset_generate
