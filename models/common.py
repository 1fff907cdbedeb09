# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Values several capabilities share. Nothing else is imported from one
capability's folder by another: each keeps its own names private."""

from datetime import timedelta

import pytz

from odoo.tools import get_lang

# An asset in one of these states cannot go out (nor count as available).
UNAVAILABLE_STATES = ("disposed", "lost", "in_repair")
# A reservation may be picked up this long before it starts.
EARLY_PICKUP = timedelta(days=1)

CALIBRATION_STATES = [
    ("none", "No Calibration"),
    ("valid", "Valid"),
    ("due_soon", "Due Soon"),
    ("overdue", "Overdue"),
    ("out_of_tolerance", "Out of Tolerance"),
    ("out_of_service", "Out of Service"),
]
CALIBRATION_STATE_RANK = {
    state: rank for rank, (state, _label) in enumerate(CALIBRATION_STATES)
}
# An instrument in one of these calibration states may not be checked out nor used.
CALIBRATION_BLOCKING_STATES = ("overdue", "out_of_tolerance", "out_of_service")
# An instrument in one of these asset states is out of service.
CALIBRATION_OUT_OF_SERVICE_ASSET_STATES = ("in_repair", "lost", "disposed")

# Private path (tools/private_path.py) of a server-side caller (EPCIS polling)
# that places each read of a scan batch itself.
READ_LOCATIONS_PATH = "stock.asset.scan.batch.read_locations"


def format_moment(env, value):
    """A datetime as its user reads it: the language's date and short time
    formats, in the user's time zone (UTC when none is set)."""
    if not value:
        return ""
    tz_name = env.context.get("tz") or env.user.tz or "UTC"
    try:
        tz = pytz.timezone(tz_name)
    except pytz.UnknownTimeZoneError:
        tz = pytz.utc
    lang = get_lang(env)
    local = pytz.utc.localize(value).astimezone(tz)
    return local.strftime(f"{lang.date_format} {lang.short_time_format}")
