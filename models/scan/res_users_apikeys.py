# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Bearer keys of scan devices, verified once per worker.

Odoo checks an API key by recomputing its PBKDF2-SHA512 hash on every request:
about 5 ms, a third of a handheld's lookup. For keys of users in the Asset Device
group, each worker remembers which (presented key, stored hash) pairs it has
already verified. It keeps an HMAC of the key under a random secret of the
process, never the key, and nothing that is worth anything outside that process.

The key's row is still read on every request, under Odoo's own conditions (active
user, scope, expiry) and with the very hash that was verified: removing the key,
deactivating the user or reaching the expiry date refuses the next request on
every worker, with nothing to invalidate. A wrong key is never remembered and
always costs the full check. ``stock_asset_tracking.device_key_cache = 0`` (a
system parameter) turns the cache off.
"""

import contextlib
import hmac
import secrets

from odoo import models
from odoo.tools import SQL
from odoo.tools.lru import LRU

from odoo.addons.base.models.res_users import INDEX_SIZE

DEVICE_GROUP = "stock_asset_tracking.group_asset_device"
# per process: a digest is meaningless to another process, or after a restart
_SECRET = secrets.token_bytes(32)
# digest -> (key row id, user id, stored hash); a few readers per worker in practice
_VERIFIED = LRU(1024)


class ResUsersApikeys(models.Model):
    _inherit = "res.users.apikeys"

    def _check_credentials(self, *, scope, key):
        if not self._asset_key_cache_enabled():
            return super()._check_credentials(scope=scope, key=key)
        digest = hmac.digest(
            _SECRET, f"{self.env.cr.dbname}\0{scope}\0{key}".encode(), "sha256"
        )
        remembered = _VERIFIED.get(digest)
        if remembered:
            key_id, user_id, stored = remembered
            if self._asset_key_still_valid(key_id, user_id, stored, scope):
                return user_id
            with contextlib.suppress(KeyError):  # another thread dropped it
                del _VERIFIED[digest]
        user_id = super()._check_credentials(scope=scope, key=key)
        if user_id and self._asset_key_cacheable(user_id):
            row = self._asset_verified_row(user_id, key, scope)
            if row:
                _VERIFIED[digest] = (row[0], user_id, row[1])
        return user_id

    def _asset_key_cache_enabled(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("stock_asset_tracking.device_key_cache", "1")
        )
        return value.strip().lower() not in ("0", "false", "no", "off")

    def _asset_key_cacheable(self, user_id):
        # reading another user's groups before the request has a user
        return self.env["res.users"].browse(user_id).sudo()._has_group(DEVICE_GROUP)

    def _asset_verified_row(self, user_id, key, scope):
        """``(id, stored hash)`` of the row Odoo just verified for ``key``: the
        only live row of the user with the key's index, else None (two keys with
        one index are left to Odoo's check every time)."""
        self.env.cr.execute(
            SQL(
                """
                SELECT id, key
                  FROM res_users_apikeys
                 WHERE user_id = %(user_id)s AND index = %(index)s
                   AND (scope IS NULL OR scope = %(scope)s)
                   AND (expiration_date IS NULL
                        OR expiration_date >= now() at time zone 'utc')
                """,
                user_id=user_id,
                index=key[:INDEX_SIZE],
                scope=scope,
            )
        )
        rows = self.env.cr.fetchall()
        return rows[0] if len(rows) == 1 else None

    def _asset_key_still_valid(self, key_id, user_id, stored, scope):
        """Odoo's conditions on a key row, for the row and hash once verified."""
        self.env.cr.execute(
            SQL(
                """
                SELECT 1
                  FROM res_users_apikeys k
                  JOIN res_users u ON u.id = k.user_id
                 WHERE k.id = %(key_id)s AND k.user_id = %(user_id)s
                   AND k.key = %(stored)s AND u.active
                   AND (k.scope IS NULL OR k.scope = %(scope)s)
                   AND (k.expiration_date IS NULL
                        OR k.expiration_date >= now() at time zone 'utc')
                """,
                key_id=key_id,
                user_id=user_id,
                stored=stored,
                scope=scope,
            )
        )
        return bool(self.env.cr.fetchone())
