# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Unknown scanned codes kept for triage: create an asset for them, assign them to
an existing asset, or ignore them."""

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import ASSET_USER, company_user
from .scan_common import ScanApiCommon, giai96

UNKNOWN_EPC = giai96(7777)
BAD_GTIN = "(01)09506000134353(21)X"


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 12:00:00")
class TestScanTriage(ScanApiCommon):
    openapi_check = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.triager = company_user(cls.env, "triage_a", cls.company_a, ASSET_USER)
        cls.untagged = cls.env["stock.asset"].create(
            {
                "name": "Pallet scale",
                "code": "T-NOEPC",
                "company_id": cls.company_a.id,
                "location_id": cls.stock_a.id,
            }
        )

    def setUp(self):
        super().setUp()
        # asset tags from the sequence, clear of the fixtures' A-00001 ... A-00005
        self.env.ref("stock_asset_tracking.seq_stock_asset").number_next_actual = 90001
        self._post("triage-1", [UNKNOWN_EPC, "TAG-NEW-1", self.assets[0].epc, BAD_GTIN])
        self._post(
            "triage-2",
            [UNKNOWN_EPC.lower(), "TAG-NEW-1"],
            location="A-DOCK",
            timestamp="2026-11-24T11:00:00Z",
        )

    def _post(self, batch_id, codes, location="A-SHELF-2", key=None, **read):
        reads = [
            {"code": code, "timestamp": "2026-11-24T10:00:00Z", **read}
            for code in codes
        ]
        status, body, _r = self.post(
            "/batches",
            {"batch_id": batch_id, "location": location, "reads": reads},
            key=key,
        )
        self.assertEqual(status, 200, body)
        return body

    def _observations(self, code, user=None):
        Observation = self.env["stock.asset.observation"]
        if user:
            Observation = Observation.with_user(user)
        return Observation.search([("code", "=", code)], order="id")

    def _obs(self, batch_id, code):
        return self.env["stock.asset.observation"].search(
            [("batch_id.name", "=", batch_id), ("code", "=", code)]
        )

    def test_unknown_codes_wait_for_triage(self):
        observations = self.env["stock.asset.observation"].search(
            [("batch_id.name", "=", "triage-1")], order="id"
        )
        self.assertRecordValues(
            observations,
            [
                {"code": UNKNOWN_EPC, "status": "unknown", "triage_state": "new"},
                {"code": "TAG-NEW-1", "status": "unknown", "triage_state": "new"},
                {
                    "code": self.assets[0].epc,
                    "status": "matched",
                    "triage_state": False,
                },
                {"code": BAD_GTIN, "status": "invalid", "triage_state": False},
            ],
        )
        # the lower-case read of the EPC is the same code
        self.assertRecordValues(
            self._observations(UNKNOWN_EPC),
            [
                {"location_id": self.shelf_2.id, "triage_state": "new"},
                {"location_id": self.dock.id, "triage_state": "new"},
            ],
        )

    def test_create_asset_from_unknown_epc(self):
        first = self._obs("triage-1", UNKNOWN_EPC).with_user(self.triager)
        action = first.action_create_asset()
        asset = self.env["stock.asset"].search([("epc", "=", UNKNOWN_EPC)])
        self.assertEqual(
            (action["res_model"], action["domain"]),
            ("stock.asset", [("id", "in", asset.ids)]),
        )
        self.assertRecordValues(
            asset,
            [
                {
                    "name": f"Asset tagged {UNKNOWN_EPC}",
                    "code": "A-90001",
                    "epc": UNKNOWN_EPC,
                    "gs1_identity": "giai:06141417777",
                    "company_id": self.company_a.id,
                    "location_id": self.shelf_2.id,
                }
            ],
        )
        # every unknown observation of the code now belongs to the asset
        self.assertRecordValues(
            self._observations(UNKNOWN_EPC),
            [
                {"asset_id": asset.id, "status": "matched", "triage_state": "assigned"},
                {"asset_id": asset.id, "status": "matched", "triage_state": "assigned"},
            ],
        )
        # the other unknown code is still to triage
        self.assertRecordValues(
            self._observations("TAG-NEW-1"),
            [{"triage_state": "new", "asset_id": False}] * 2,
        )
        # the next read of the tag finds the asset, also by its GIAI
        body = self._post("after-1", [UNKNOWN_EPC, "(8004)06141417777"])
        self.assertEqual(
            [(r["status"], r["asset_id"]) for r in body["results"]],
            [("matched", asset.id), ("matched", asset.id)],
        )

    def test_create_assets_one_per_code(self):
        observations = (
            self._observations(UNKNOWN_EPC) | self._observations("TAG-NEW-1")
        ).with_user(self.triager)
        action = observations.action_create_asset()
        assets = self.env["stock.asset"].browse(action["domain"][0][2])
        self.assertRecordValues(
            assets.sorted("id"),
            [
                {
                    "name": f"Asset tagged {UNKNOWN_EPC}",
                    "code": "A-90001",
                    "epc": UNKNOWN_EPC,
                },
                {"name": "Asset tagged TAG-NEW-1", "code": "TAG-NEW-1", "epc": False},
            ],
        )
        self.assertEqual(
            self._observations("TAG-NEW-1").mapped("asset_id"), assets.sorted("id")[1]
        )
        body = self._post("after-2", ["TAG-NEW-1"])
        self.assertEqual(body["results"][0]["asset_code"], "TAG-NEW-1")

    def test_create_asset_refuses_known_codes(self):
        for code in (self.assets[0].epc, BAD_GTIN):
            with self.subTest(code=code):
                with self.assertRaises(UserError) as caught:
                    self._obs("triage-1", code).with_user(
                        self.triager
                    ).action_create_asset()
                self.assertEqual(
                    str(caught.exception),
                    "Select unknown codes that have no asset yet.",
                )
        # in a mixed selection only the unknown code gets an asset
        mixed = self._obs("triage-1", "TAG-NEW-1") | self._obs(
            "triage-1", self.assets[0].epc
        )
        action = mixed.with_user(self.triager).action_create_asset()
        self.assertRecordValues(
            self.env["stock.asset"].browse(action["domain"][0][2]),
            [{"code": "TAG-NEW-1"}],
        )
        self.assertEqual(
            self._obs("triage-1", self.assets[0].epc).asset_id, self.assets[0]
        )
        # once assigned, a code is no longer unknown
        with self.assertRaises(UserError):
            self._obs("triage-2", "TAG-NEW-1").with_user(
                self.triager
            ).action_create_asset()

    def _wizard(self, observations, **values):
        return (
            self.env["stock.asset.observation.assign"]
            .with_user(self.triager)
            .with_context(
                active_model="stock.asset.observation", active_ids=observations.ids
            )
            .create(values)
        )

    def test_assign_wizard_writes_epc(self):
        wizard = self._wizard(
            self._obs("triage-2", UNKNOWN_EPC), asset_id=self.untagged.id
        )
        self.assertRecordValues(
            wizard,
            [
                {
                    "company_id": self.company_a.id,
                    "code": UNKNOWN_EPC,
                    "set_epc": True,
                }
            ],
        )
        self.assertEqual(
            wizard.action_assign(), {"type": "ir.actions.act_window_close"}
        )
        self.assertRecordValues(
            self.untagged, [{"epc": UNKNOWN_EPC, "gs1_identity": "giai:06141417777"}]
        )
        self.assertRecordValues(
            self._observations(UNKNOWN_EPC),
            [
                {
                    "asset_id": self.untagged.id,
                    "status": "matched",
                    "triage_state": "assigned",
                }
            ]
            * 2,
        )
        body = self._post("after-3", [UNKNOWN_EPC])
        self.assertEqual(
            (body["results"][0]["status"], body["results"][0]["asset_code"]),
            ("matched", "T-NOEPC"),
        )

    def test_assign_wizard_text_code(self):
        wizard = self._wizard(
            self._observations("TAG-NEW-1"), asset_id=self.untagged.id
        )
        self.assertFalse(wizard.set_epc)
        wizard.action_assign()
        self.assertFalse(self.untagged.epc)
        self.assertEqual(
            self._observations("TAG-NEW-1").mapped("triage_state"), ["assigned"] * 2
        )

    def test_assign_wizard_refusals(self):
        cases = [
            (
                self._obs("triage-1", self.assets[0].epc),
                {"asset_id": self.untagged.id},
                "Select unknown codes to assign.",
            ),
            (
                self._obs("triage-1", UNKNOWN_EPC) | self._obs("triage-1", "TAG-NEW-1"),
                {"asset_id": self.untagged.id},
                f"Assign one code at a time: {UNKNOWN_EPC}, TAG-NEW-1.",
            ),
            (
                self._obs("triage-1", UNKNOWN_EPC),
                {"asset_id": self.assets[1].id},
                f"Asset A-00002 already has the EPC {self.assets[1].epc}.",
            ),
            (
                self._obs("triage-1", "TAG-NEW-1"),
                {"asset_id": self.untagged.id, "set_epc": True},
                "TAG-NEW-1 is not an RFID EPC.",
            ),
        ]
        for observations, values, message in cases:
            with self.subTest(message=message):
                wizard = self._wizard(observations, **values)
                with self.assertRaises(UserError) as caught:
                    wizard.action_assign()
                self.assertEqual(str(caught.exception), message)
        self.assertFalse(self.untagged.epc)
        self.assertEqual(
            (self._observations(UNKNOWN_EPC) | self._observations("TAG-NEW-1")).mapped(
                "triage_state"
            ),
            ["new"] * 4,
        )

    def test_ignore(self):
        observations = (
            self._obs("triage-1", UNKNOWN_EPC)
            | self._obs("triage-1", self.assets[0].epc)
            | self._obs("triage-1", BAD_GTIN)
        )
        self.assertIs(observations.with_user(self.triager).action_ignore(), True)
        self.assertRecordValues(
            observations,
            [
                {"triage_state": "ignored", "status": "unknown"},
                {"triage_state": False, "status": "matched"},
                {"triage_state": False, "status": "invalid"},
            ],
        )
        # the other read of the code is still to triage
        self.assertEqual(self._obs("triage-2", UNKNOWN_EPC).triage_state, "new")

    def test_triage_stays_in_its_company(self):
        # company B's reader saw the same tag
        self._post("triage-b", [UNKNOWN_EPC], location="B-SHELF", key=self.key_b)
        seen_in_b = self._obs("triage-b", UNKNOWN_EPC)
        self.assertRecordValues(
            seen_in_b,
            [
                {
                    "company_id": self.company_b.id,
                    "status": "unknown",
                    "location_id": self.shelf_b.id,
                    "triage_state": "new",
                }
            ],
        )
        # company A's user does not see it
        self.assertEqual(len(self._observations(UNKNOWN_EPC, user=self.triager)), 2)
        # a user of both companies, creating the asset in company A, leaves it alone
        both = new_test_user(
            self.env,
            login="triage_ab",
            groups="base.group_user,stock_asset_tracking.group_asset_user",
            company_id=self.company_a.id,
            company_ids=[self.company_a.id, self.company_b.id],
        )
        Observation = (
            self.env["stock.asset.observation"]
            .with_user(both)
            .with_context(allowed_company_ids=[self.company_a.id, self.company_b.id])
        )
        self.assertEqual(Observation.search_count([("code", "=", UNKNOWN_EPC)]), 3)
        Observation.browse(self._obs("triage-1", UNKNOWN_EPC).id).action_create_asset()
        asset = self.env["stock.asset"].search([("epc", "=", UNKNOWN_EPC)])
        self.assertEqual(asset.company_id, self.company_a)
        self.assertEqual(self._observations(UNKNOWN_EPC).mapped("asset_id"), asset)
        self.assertRecordValues(
            seen_in_b, [{"asset_id": False, "status": "unknown", "triage_state": "new"}]
        )
