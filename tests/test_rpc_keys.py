# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""API keys over XML-RPC / JSON-RPC (models/res_users.py), over real HTTP: Scanning
Device users are refused, other users' keys die on the very next call after they
are removed, expire or their user is archived, with no cache to clear (raw SQL
changes, as another worker would see them)."""

import json
import xmlrpc.client
from unittest.mock import Mock, patch

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.base.models import res_users as base_res_users

from ..models.scan import res_users
from .common import ASSET_USER, company_user
from .scan_common import ScanApiCommon

ACCESS_DENIED = 3  # odoo/addons/base/controllers/rpc.py RPC_FAULT_CODE_ACCESS_DENIED


@tagged("post_install", "-at_install")
class TestRpcKeys(ScanApiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rpc_user = company_user(
            cls.env, "rpc_a", cls.company_a, ASSET_USER, password="rpc_a_password"
        )
        cls.rpc_key = cls._api_key(cls.rpc_user)
        cls.device_group = cls.env.ref("stock_asset_tracking.group_asset_device")

    def setUp(self):
        super().setUp()
        # what a worker proved lives in the process: start each test without it
        res_users._RPC_VERIFIED.clear()
        self.addCleanup(res_users._RPC_VERIFIED.clear)
        self.hashing = self.startPatcher(
            patch.object(
                base_res_users,
                "KEY_CRYPT_CONTEXT",
                Mock(wraps=base_res_users.KEY_CRYPT_CONTEXT),
            )
        )

    def search_codes(self, user, secret):
        """``stock.asset.search_read`` over XML-RPC as ``user``."""
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            user.id,
            secret,
            "stock.asset",
            "search_read",
            [[("code", "in", ["A-00001", "B-00001"])]],
            {"fields": ["code"]},
        )

    def assertRpcRefused(self, user, secret):
        with self.assertRaises(xmlrpc.client.Fault) as refused:
            self.search_codes(user, secret)
        self.assertEqual(refused.exception.faultCode, ACCESS_DENIED)
        self.assertEqual(refused.exception.faultString, "Access Denied")

    def assertRpcWorks(self, user, secret):
        self.assertEqual(
            self.search_codes(user, secret),
            [{"id": self.assets[0].id, "code": "A-00001"}],
        )

    def lookup(self, key=None):
        status, body, _r = self.get("/lookup", key=key, params={"code": "A-00001"})
        return status, body if status != 200 else body["status"]

    # Scanning Device users: the scan API only ------------------------------------
    def test_device_key_is_refused_over_rpc_and_works_on_the_scan_api(self):
        self.assertEqual(self.lookup(), (200, "matched"))
        self.assertRpcRefused(self.reader_user, self.key)
        # nor its password (new_test_user's: the login, 8 characters)
        self.assertRpcRefused(self.reader_user, "reader_a")
        self.assertIs(
            self.xmlrpc_common.authenticate(
                self.env.cr.dbname, "reader_a", self.key, {}
            ),
            False,
        )
        self.assertEqual(self.lookup(), (200, "matched"))
        self.assertEqual(self.lookup(self.key_b)[0], 200)

    @mute_logger("odoo.http")
    def test_device_key_is_refused_over_jsonrpc(self):
        response = self.url_open(
            "/jsonrpc",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "service": "object",
                        "method": "execute_kw",
                        "args": [
                            self.env.cr.dbname,
                            self.reader_user.id,
                            self.key,
                            "stock.asset",
                            "search_read",
                            [[]],
                            {"fields": ["code"]},
                        ],
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        error = response.json()["error"]
        self.assertEqual(error["data"]["name"], "odoo.exceptions.AccessDenied")
        self.assertNotIn("result", response.json())

    def test_joining_the_device_group_refuses_the_next_call(self):
        self.assertRpcWorks(self.rpc_user, self.rpc_key)
        # as another worker sees it: no ORM write, no cache cleared anywhere
        self.env.cr.execute(
            "INSERT INTO res_groups_users_rel (gid, uid) VALUES (%s, %s)",
            [self.device_group.id, self.rpc_user.id],
        )
        self.assertRpcRefused(self.rpc_user, self.rpc_key)

    # Other users: a revoked key is dead on the very next call ---------------------
    def test_key_is_verified_once_then_proved_on_each_call(self):
        for _ in range(3):
            self.assertRpcWorks(self.rpc_user, self.rpc_key)
        self.assertEqual(self.hashing.verify.call_count, 1)

    def test_removed_key_is_refused_on_the_next_call(self):
        self.assertRpcWorks(self.rpc_user, self.rpc_key)
        self.assertRpcWorks(self.rpc_user, self.rpc_key)
        keys = self.env["res.users.apikeys"].with_user(self.rpc_user)
        keys.search([("user_id", "=", self.rpc_user.id)])._remove()
        self.assertRpcRefused(self.rpc_user, self.rpc_key)

    def assertRefusedOnceChangedBehind(self, query):
        """The key works; once ``query`` (of the user's id) changed the database
        behind the worker, the next call is refused."""
        self.assertRpcWorks(self.rpc_user, self.rpc_key)
        self.env.cr.execute(query, [self.rpc_user.id])
        self.assertRpcRefused(self.rpc_user, self.rpc_key)

    def test_key_removed_behind_the_worker_is_refused_on_the_next_call(self):
        self.assertRefusedOnceChangedBehind(
            "DELETE FROM res_users_apikeys WHERE user_id = %s"
        )

    def test_expired_key_is_refused_on_the_next_call(self):
        self.assertRefusedOnceChangedBehind(
            """
            UPDATE res_users_apikeys
               SET expiration_date = now() at time zone 'utc' - interval '1 second'
             WHERE user_id = %s
            """
        )

    def test_archived_user_is_refused_on_the_next_call(self):
        self.assertRefusedOnceChangedBehind(
            "UPDATE res_users SET active = false WHERE id = %s"
        )

    def test_changed_password_is_refused_on_the_next_call(self):
        self.assertRpcWorks(self.rpc_user, "rpc_a_password")
        self.rpc_user.password = "rpc_a_new_password"
        self.env.flush_all()
        self.assertRpcRefused(self.rpc_user, "rpc_a_password")
        self.assertRpcWorks(self.rpc_user, "rpc_a_new_password")
        # the key is not a password: it keeps working
        self.assertRpcWorks(self.rpc_user, self.rpc_key)

    def test_wrong_key_is_refused_and_never_remembered(self):
        tail = "0" if self.rpc_key[-1] != "0" else "1"
        wrong = self.rpc_key[:-1] + tail
        self.assertRpcRefused(self.rpc_user, wrong)
        self.assertRpcRefused(self.rpc_user, wrong)
        self.assertEqual(len(res_users._RPC_VERIFIED), 0)
        self.assertRpcWorks(self.rpc_user, self.rpc_key)
