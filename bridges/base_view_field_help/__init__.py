from . import view_validation
