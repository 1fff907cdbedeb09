from . import stock_asset_generate
from . import scan
from . import audit
from . import register
from . import custody
from . import stock_asset_label_print
from . import stock_asset_epc_generate
from . import epcis
