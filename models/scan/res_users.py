# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""XML-RPC and JSON-RPC credentials: revoked at once on every worker, and never
those of a Scanning Device user.

Odoo checks the password or API key of an RPC call (``/xmlrpc/2/object``,
``/jsonrpc``) once per worker and remembers the (user, secret) pair with no time
bound: a key deleted or expired, or a user archived, kept working on every worker
that had seen it. Here each worker remembers instead *what* it verified (the key's
row and stored hash, or the user's stored password hash), as an HMAC of the secret
under a random secret of the process, never the secret itself; and every call reads
that row again, in one query, under Odoo's conditions (active user, key scope and
expiry, same stored hash). Removing the key, archiving the user, changing the
password or passing the expiry date refuses the very next call on every worker,
with nothing to invalidate or signal. Anything else that no longer matches takes
Odoo's full check again.

Scanning Device users (handhelds, RFID readers) authenticate on the scan API only
(``auth="bearer"``, see models/res_users_apikeys.py): their long-lived keys and
their passwords are refused over XML-RPC and JSON-RPC, at login as on each call.
"""

import contextlib
import hmac
import logging
import secrets

from odoo import api, models
from odoo.exceptions import AccessDenied
from odoo.tools import SQL
from odoo.tools.lru import LRU

from odoo.addons.base.models.res_users import INDEX_SIZE

_logger = logging.getLogger(__name__)

DEVICE_GROUP_MODULE, DEVICE_GROUP_NAME = "stock_asset_tracking", "group_asset_device"
# per process: a digest is meaningless to another process, or after a restart
_SECRET = secrets.token_bytes(32)
# digest of (db, uid, secret) -> ("apikey", key row id, hash) | ("password", uid, hash)
_RPC_VERIFIED = LRU(4096)

# the user is not a Scanning Device user (direct or implied membership is stored)
_NOT_A_DEVICE = SQL(
    """
    NOT EXISTS (
        SELECT 1
          FROM res_groups_users_rel rel
          JOIN ir_model_data imd
            ON imd.res_id = rel.gid AND imd.model = 'res.groups'
           AND imd.module = %(module)s AND imd.name = %(name)s
         WHERE rel.uid = u.id
    )
    """,
    module=DEVICE_GROUP_MODULE,
    name=DEVICE_GROUP_NAME,
)


class ResUsers(models.Model):
    _inherit = "res.users"

    @classmethod
    def check(cls, db, uid, passwd):
        """Odoo's RPC credential check, proved again on every call (see the module
        docstring) instead of remembered for the life of the worker."""
        if not passwd:
            raise AccessDenied()
        digest = hmac.digest(_SECRET, f"{db}\0{uid}\0{passwd}".encode(), "sha256")
        with contextlib.closing(cls.pool.cursor()) as cr:
            users = api.Environment(cr, uid, {})[cls._name]
            proof = _RPC_VERIFIED.get(digest)
            if proof and users._asset_rpc_proof_holds(proof):
                return
            with contextlib.suppress(KeyError):  # another thread dropped it
                del _RPC_VERIFIED[digest]
            proof = users._asset_rpc_full_check(passwd)
            if proof:
                _RPC_VERIFIED[digest] = proof

    def _check_credentials(self, credential, user_agent_env):
        # non-interactive: XML-RPC / JSON-RPC (calls, and logins through "common")
        if (
            not (user_agent_env or {}).get("interactive", True)
            and self._asset_is_scanning_device()
        ):
            _logger.info(
                "RPC refused to Scanning Device user #%s: its keys serve the scan "
                "API only",
                self.env.uid,
            )
            raise AccessDenied()
        return super()._check_credentials(credential, user_agent_env)

    def _asset_is_scanning_device(self):
        """Whether the current user is a Scanning Device user, read from the
        database (no cache another worker might not have cleared yet)."""
        self.env.cr.execute(
            SQL(
                "SELECT NOT %(not_device)s FROM res_users u WHERE u.id = %(uid)s",
                not_device=_NOT_A_DEVICE,
                uid=self.env.uid,
            )
        )
        row = self.env.cr.fetchone()
        return bool(row and row[0])

    def _asset_rpc_full_check(self, passwd):
        """Odoo's own check of ``passwd`` for the current user (as ``check`` does
        it, without its cache); returns what to prove on the next calls, or None
        when nothing can be proved cheaply (then every call checks in full)."""
        with self._assert_can_auth(user=self.env.uid):
            if not self.env.user.active:
                raise AccessDenied()
            credential = {
                "login": self.env.user.login,
                "password": passwd,
                "type": "password",
            }
            auth_info = self._check_credentials(credential, {"interactive": False})
        method = (auth_info or {}).get("auth_method")
        if method == "apikey":
            self.env.cr.execute(
                SQL(
                    """
                    SELECT id, key
                      FROM res_users_apikeys
                     WHERE user_id = %(uid)s AND index = %(index)s
                       AND (scope IS NULL OR scope = 'rpc')
                       AND (expiration_date IS NULL
                            OR expiration_date >= now() at time zone 'utc')
                    """,
                    uid=self.env.uid,
                    index=passwd[:INDEX_SIZE],
                )
            )
            rows = self.env.cr.fetchall()
            # two keys with one index: left to Odoo's check every time
            return ("apikey", *rows[0]) if len(rows) == 1 else None
        if method == "password":
            self.env.cr.execute(
                SQL("SELECT password FROM res_users WHERE id = %s", self.env.uid)
            )
            row = self.env.cr.fetchone()
            return ("password", self.env.uid, row[0]) if row and row[0] else None
        return None

    def _asset_rpc_proof_holds(self, proof):
        """Whether what was verified still stands, in one query: the same key row
        (same hash, unexpired, RPC scope) or the same password hash, of an active
        user who is not a Scanning Device user."""
        kind, row_id, stored = proof
        if kind == "apikey":
            query = SQL(
                """
                SELECT 1
                  FROM res_users_apikeys k
                  JOIN res_users u ON u.id = k.user_id
                 WHERE k.id = %(row_id)s AND k.user_id = %(uid)s
                   AND k.key = %(stored)s AND u.active
                   AND (k.scope IS NULL OR k.scope = 'rpc')
                   AND (k.expiration_date IS NULL
                        OR k.expiration_date >= now() at time zone 'utc')
                   AND %(not_device)s
                """,
                row_id=row_id,
                uid=self.env.uid,
                stored=stored,
                not_device=_NOT_A_DEVICE,
            )
        else:
            query = SQL(
                """
                SELECT 1
                  FROM res_users u
                 WHERE u.id = %(uid)s AND u.id = %(row_id)s
                   AND u.password = %(stored)s AND u.active
                   AND %(not_device)s
                """,
                row_id=row_id,
                uid=self.env.uid,
                stored=stored,
                not_device=_NOT_A_DEVICE,
            )
        self.env.cr.execute(query)
        if not self.env.cr.fetchone():
            return False
        # a password stops being enough when the user turns on two-factor login
        return kind == "apikey" or not self.env.user._rpc_api_keys_only()
