# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Fixtures for the scan API tests: API keys, a reader, assets with EPCs, and a
helper that posts over real HTTP."""

import json
from datetime import datetime, timedelta

from odoo.tests import HttpCase, new_test_user

from ..tools import epc as epc_lib

API = "/api/asset-tracking/v1"


def giai96(reference, prefix="0614141"):
    """A GIAI-96 EPC of the GS1 example company prefix (TDS)."""
    return epc_lib.encode("giai-96", prefix, filter=3, asset_reference=str(reference))


class ScanApiCommon(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env["res.company"].create({"name": "Scan Co A"})
        cls.company_b = cls.env["res.company"].create({"name": "Scan Co B"})
        cls.stock_a = (
            cls.env["stock.warehouse"]
            .search([("company_id", "=", cls.company_a.id)], limit=1)
            .lot_stock_id
        )
        cls.stock_b = (
            cls.env["stock.warehouse"]
            .search([("company_id", "=", cls.company_b.id)], limit=1)
            .lot_stock_id
        )
        Location = cls.env["stock.location"]
        cls.shelf_1, cls.shelf_2, cls.dock = Location.create(
            [
                {
                    "name": name,
                    "barcode": barcode,
                    "location_id": cls.stock_a.id,
                    "company_id": cls.company_a.id,
                }
                for name, barcode in (
                    ("Shelf 1", "A-SHELF-1"),
                    ("Shelf 2", "A-SHELF-2"),
                    ("Dock", "A-DOCK"),
                )
            ]
        )
        cls.shelf_b = Location.create(
            {
                "name": "Shelf B",
                "barcode": "B-SHELF",
                "location_id": cls.stock_b.id,
                "company_id": cls.company_b.id,
            }
        )
        cls.reader_user = new_test_user(
            cls.env,
            login="reader_a",
            groups="base.group_user,stock_asset_tracking.group_asset_device",
            company_id=cls.company_a.id,
            company_ids=[cls.company_a.id],
        )
        cls.no_right_user = new_test_user(
            cls.env,
            login="no_right_a",
            groups="base.group_user",
            company_id=cls.company_a.id,
            company_ids=[cls.company_a.id],
        )
        cls.user_b = new_test_user(
            cls.env,
            login="reader_b",
            groups="base.group_user,stock_asset_tracking.group_asset_device",
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
        )
        cls.key = cls._api_key(cls.reader_user)
        cls.key_no_right = cls._api_key(cls.no_right_user)
        cls.key_b = cls._api_key(cls.user_b)
        cls.device = cls.env["stock.asset.device"].create(
            {
                "name": "reader-7",
                "company_id": cls.company_a.id,
                "location_id": cls.shelf_1.id,
                "antenna_ids": [(0, 0, {"antenna": 2, "location_id": cls.dock.id})],
            }
        )
        Asset = cls.env["stock.asset"]
        cls.assets = Asset.create(
            [
                {
                    "name": f"Drill {n}",
                    "code": f"A-{n:05d}",
                    "epc": giai96(5000 + n),
                    "company_id": cls.company_a.id,
                    "location_id": cls.stock_a.id,
                }
                for n in range(1, 6)
            ]
        )
        cls.asset_b = Asset.create(
            {
                "name": "Drill B",
                "code": "B-00001",
                "epc": giai96(9001),
                "company_id": cls.company_b.id,
                "location_id": cls.stock_b.id,
            }
        )

    @classmethod
    def _api_key(cls, user):
        return (
            cls.env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate(
                None, f"key of {user.login}", datetime.now() + timedelta(days=30)
            )
        )

    def post(self, path, body, key=None, content_type="application/json", headers=None):
        """POST to the API over real HTTP; returns (status, decoded JSON or None)."""
        data = body if isinstance(body, bytes | str) else json.dumps(body)
        all_headers = {"Content-Type": content_type}
        if key is not False:
            all_headers["Authorization"] = f"Bearer {key or self.key}"
        all_headers.update(headers or {})
        response = self.opener.post(
            self.base_url() + f"{API}{path}", data=data, headers=all_headers, timeout=60
        )
        return response.status_code, self._json(response), response

    def get(self, path, key=None, params=None):
        headers = {}
        if key is not False:
            headers["Authorization"] = f"Bearer {key or self.key}"
        response = self.opener.get(
            self.base_url() + f"{API}{path}", headers=headers, params=params, timeout=60
        )
        return response.status_code, self._json(response), response

    @staticmethod
    def _json(response):
        try:
            return response.json()
        except ValueError:
            return None

    @staticmethod
    def batch(batch_id, codes, **extra):
        reads = [
            {
                "code": code,
                "antenna": 1,
                "rssi": -60.0,
                "timestamp": "2026-11-24T10:00:00Z",
            }
            if isinstance(code, str)
            else code
            for code in codes
        ]
        return dict({"batch_id": batch_id, "reads": reads}, **extra)
