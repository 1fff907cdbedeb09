from . import stock_asset_epcis_repository
from . import stock_asset_epcis_location
from . import stock_asset_epcis_polled_event
from . import stock_asset_epcis_export
