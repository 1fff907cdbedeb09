from . import stock_asset_kit_swap
from . import stock_asset_checkin
