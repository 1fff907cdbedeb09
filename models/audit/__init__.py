from . import stock_asset
from . import stock_asset_audit
from . import stock_asset_audit_line
