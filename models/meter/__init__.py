from . import stock_asset_meter
from . import stock_asset_meter_reading
from . import stock_asset
from . import stock_asset_calibration_schedule
from . import stock_asset_calibration
from . import stock_asset_usage
from . import stock_asset_scan_batch
