from . import test_barcodes_assets
from . import test_barcodes_asset_actions
from . import test_barcodes_tour
