from . import stock_asset_generate
from . import stock_asset_observation_assign
