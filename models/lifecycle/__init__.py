from . import stock_asset_category
from . import stock_asset
from . import res_config_settings
