from . import stock_asset
from . import stock_barcodes_action
