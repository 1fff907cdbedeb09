from . import stock_asset
from . import stock_asset_service
from . import stock_picking_installed_base
