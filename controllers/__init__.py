from . import main
from . import portal_installed_base
from . import portal
