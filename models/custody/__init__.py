from . import stock_asset
from . import stock_asset_custody
from . import stock_asset_reservation
