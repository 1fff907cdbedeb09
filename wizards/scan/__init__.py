from . import stock_asset_observation_assign
from . import stock_asset_observation_void
