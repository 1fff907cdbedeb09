from . import stock_asset_kit_log
from . import stock_asset
from . import stock_asset_audit_line
from . import stock_asset_audit
from . import stock_asset_scan_batch
