from . import stock_asset_category
from . import stock_asset
from . import stock_lot
from . import product_template
