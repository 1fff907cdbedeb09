from . import test_stock_asset
from . import test_security
