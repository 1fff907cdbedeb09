from . import stock_asset_handover_mixin
from . import stock_asset_checkout
from . import stock_asset_checkin
