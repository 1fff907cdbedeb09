from . import stock_asset_epcis_export_download
