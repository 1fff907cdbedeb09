from . import stock_asset
from . import stock_asset_calibration_kind
from . import stock_asset_calibration_schedule
from . import stock_asset_calibration
from . import stock_asset_calibration_point
from . import stock_asset_usage
from . import stock_asset_impact
from . import stock_asset_impact_line
