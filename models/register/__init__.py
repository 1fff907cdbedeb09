from . import stock_asset
from . import stock_asset_depreciation_line
from . import stock_asset_register_change
from . import account_move
from . import account_move_line
from . import stock_move
