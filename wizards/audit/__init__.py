from . import stock_asset_audit_step_mixin
from . import stock_asset_audit_scan
from . import stock_asset_audit_close
from . import stock_asset_audit_line_correct
