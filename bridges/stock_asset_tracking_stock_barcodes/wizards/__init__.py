from . import wiz_stock_barcodes_read
from . import wiz_stock_barcodes_read_picking
from . import wiz_stock_barcodes_read_asset
