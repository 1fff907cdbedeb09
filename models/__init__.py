from . import stock_asset_record_mixin
from . import stock_asset_reference_mixin
from . import stock_asset_category
from . import stock_asset
from . import custody
from . import res_company
from . import res_config_settings
from . import register
from . import scan
from . import epcis
from . import audit
from . import calibration
from . import stock_location
from . import stock_lot
from . import product_template

# after register's stock.move: the handover runs once the register has seen the
# delivery
from . import installed_base
from . import res_partner
from . import gs1
from . import res_partner_gs1
from . import ir_actions_report

# after installed_base, register and audit: the life of an item reads their fields
from . import life

# after register and custody: the lifecycle reads the useful life, hooks check-out
from . import lifecycle

# after custody, audit and scan: kits take their components along
from . import kit

# after calibration and scan: meters move schedules, reads carry meter values
from . import meter
