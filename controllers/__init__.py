from . import main
from . import portal_installed_base
from . import portal
from . import scan_screen
