from . import stock_asset_post
from . import stock_asset_dispose
from . import stock_asset_modify
from . import stock_asset_register_report
