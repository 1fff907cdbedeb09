from . import stock_asset_condition
from . import stock_asset_condition_log
from . import stock_asset_category
from . import stock_asset
from . import stock_asset_audit_line
from . import stock_asset_scan_batch
