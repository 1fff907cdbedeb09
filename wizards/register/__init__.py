from . import stock_asset_report_period
from . import stock_asset_post
from . import stock_asset_dispose
from . import stock_asset_modify
from . import stock_asset_register_report
from . import stock_asset_transfer
from . import stock_asset_roll_forward_report
from . import stock_asset_tax_post
