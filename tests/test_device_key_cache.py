# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Device keys are verified once per worker, and refused at once when they stop
being valid (models/res_users_apikeys.py), over real HTTP."""

from unittest.mock import Mock, patch

from odoo.tests import tagged

from odoo.addons.base.models import res_users

from ..models.scan import res_users_apikeys
from .scan_common import ScanApiCommon
from .test_openapi_answers import FORBIDDEN, UNAUTHORIZED


@tagged("post_install", "-at_install")
class TestDeviceKeyCache(ScanApiCommon):
    def setUp(self):
        super().setUp()
        # the cache lives in the process: start each test without what others left
        res_users_apikeys._VERIFIED.clear()
        self.addCleanup(res_users_apikeys._VERIFIED.clear)
        # Odoo's key hashing, counted (it still checks for real)
        context = self.startPatcher(
            patch.object(
                res_users,
                "KEY_CRYPT_CONTEXT",
                Mock(wraps=res_users.KEY_CRYPT_CONTEXT),
            )
        )
        self.verify = context.verify

    def lookup(self, key=None):
        status, body, _r = self.get("/lookup", key=key, params={"code": "A-00001"})
        return status, body if status != 200 else body["status"]

    def test_device_key_is_hashed_once(self):
        for _ in range(3):
            self.assertEqual(self.lookup(), (200, "matched"))
        self.assertEqual(self.verify.call_count, 1)

    def test_removed_key_is_refused_at_once(self):
        self.assertEqual(self.lookup(), (200, "matched"))
        self.env["res.users.apikeys"].sudo().search(
            [("user_id", "=", self.reader_user.id)]
        ).unlink()
        self.assertEqual(self.lookup(), (401, UNAUTHORIZED))

    def test_archived_user_is_refused_at_once(self):
        self.assertEqual(self.lookup(), (200, "matched"))
        self.reader_user.active = False
        self.assertEqual(self.lookup(), (401, UNAUTHORIZED))

    def test_expired_key_is_refused_at_once(self):
        self.assertEqual(self.lookup(), (200, "matched"))
        self.env.cr.execute(
            """
            UPDATE res_users_apikeys
               SET expiration_date = now() at time zone 'utc' - interval '1 second'
             WHERE user_id = %s
            """,
            [self.reader_user.id],
        )
        self.assertEqual(self.lookup(), (401, UNAUTHORIZED))

    def test_wrong_key_is_never_remembered(self):
        self.assertEqual(self.lookup(), (200, "matched"))
        # same index (the first 8 digits) as the good key, other secret
        tail = "0" if self.key[-1] != "0" else "1"
        wrong = self.key[:-1] + tail
        for _ in range(2):
            self.assertEqual(self.lookup(wrong), (401, UNAUTHORIZED))
        self.assertEqual(self.verify.call_count, 3)
        self.assertEqual(self.lookup(), (200, "matched"))
        self.assertEqual(self.verify.call_count, 3)

    def test_other_users_keys_are_checked_every_time(self):
        for _ in range(2):
            self.assertEqual(self.lookup(self.key_no_right), (403, FORBIDDEN))
        self.assertEqual(self.verify.call_count, 2)

    def test_cache_can_be_turned_off(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "stock_asset_tracking.device_key_cache", "0"
        )
        for _ in range(2):
            self.assertEqual(self.lookup(), (200, "matched"))
        self.assertEqual(self.verify.call_count, 2)
