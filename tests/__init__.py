from . import test_depreciation_engine
from . import test_epc
from . import test_gs1
from . import test_reader_formats
from . import test_security
from . import test_stock_asset
from . import test_scan_api
