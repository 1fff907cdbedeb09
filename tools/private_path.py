# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Private paths: the rules that only the addon's own code may step around.

A context key travels with every XML-RPC / JSON-RPC call (``context`` is part of
the request), so it must never switch a rule off. A private path is opened by
server code around one call (``with private_path(env, KEY): records.write(...)``)
and lives on the cursor: no RPC argument can open it, it ends with the block, and
it never outlives the request.
"""

from collections import Counter
from contextlib import contextmanager

_CURSOR_KEY = "stock_asset_tracking.private_paths"


@contextmanager
def private_path(env, key):
    """Open the private path ``key`` for the calls made inside the block."""
    opened = env.cr.cache.setdefault(_CURSOR_KEY, Counter())
    opened[key] += 1
    try:
        yield
    finally:
        opened[key] -= 1


def is_open(env, key):
    """Whether server code opened the private path ``key`` around this call."""
    return env.cr.cache.get(_CURSOR_KEY, {}).get(key, 0) > 0
