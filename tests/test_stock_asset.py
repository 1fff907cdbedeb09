# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import AssetCommon


@tagged("post_install", "-at_install")
class TestStockAsset(AssetCommon):
    def test_code_from_sequence(self):
        seq = self.env.ref("stock_asset_tracking.seq_stock_asset")
        number = seq.number_next_actual
        asset = self._asset()
        self.assertEqual(asset.code, f"A-{number:05d}")
        asset2 = self._asset()
        self.assertEqual(asset2.code, f"A-{number + 1:05d}")

    def test_code_given_is_kept(self):
        asset = self._asset(code="TOOL-7")
        self.assertEqual(asset.code, "TOOL-7")

    def test_code_unique_per_company(self):
        self._asset(code="DUP-1")
        # the same tag in another company is another asset
        other = self._asset(code="DUP-1", company_id=self.company_b.id)
        self.assertEqual(other.company_id, self.company_b)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.cr.savepoint():
                self._asset(code="DUP-1")

    def test_epc_normalized_and_validated(self):
        asset = self._asset(epc=" 3474257bf4000000 0000162e ")
        self.assertEqual(asset.epc, "3474257BF40000000000162E")
        asset.epc = "30:74:25:7b:f7:19:4e:40:00:00:1a:85"
        self.assertEqual(asset.epc, "3074257BF7194E4000001A85")
        asset.epc = ""
        self.assertFalse(asset.epc)
        with self.assertRaisesRegex(ValidationError, "must be hexadecimal"):
            asset.epc = "3474257BF40000000000162G"
        with self.assertRaisesRegex(
            ValidationError, "has 23 hexadecimal digits: an EPC is a whole number"
        ):
            asset.epc = "3474257BF40000000000162"

    def test_epc_unique_per_company_when_set(self):
        epc = "3474257BF40000000000162E"
        self._asset(epc=epc)
        # empty EPCs never collide
        self._asset()
        self._asset()
        self._asset(epc=epc, company_id=self.company_b.id)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.cr.savepoint():
                self._asset(epc=epc.lower())

    def test_lot_link(self):
        asset = self._asset(product_id=self.product.id, lot_id=self.lot_a1.id)
        self.assertEqual(self.lot_a1.asset_id, asset)
        self.assertEqual(self.lot_a1.asset_ids, asset)
        self.assertEqual(asset.serial_number, "TW-1")
        self.assertFalse(self.lot_a2.asset_id)
        self.assertEqual(
            self.env["stock.lot"].search([("asset_id", "=", asset.id)]), self.lot_a1
        )
        # the serial's smart button opens its asset
        action = self.lot_a1.action_view_asset()
        self.assertEqual((action["res_id"], action["view_mode"]), (asset.id, "form"))
        # one asset per serial
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.cr.savepoint():
                self._asset(product_id=self.product.id, lot_id=self.lot_a1.id)

    def test_lot_of_another_product_refused(self):
        other = self.env["product.product"].create(
            {"name": "Drill", "is_storable": True, "tracking": "serial"}
        )
        with self.assertRaisesRegex(
            ValidationError, "Serial number TW-2 is of product Torque Wrench"
        ):
            self._asset(product_id=other.id, lot_id=self.lot_a2.id)

    def test_form_fills_from_lot(self):
        with Form(self.env["stock.asset"].with_company(self.company_a)) as form:
            form.lot_id = self.lot_a3
            self.assertEqual(form.product_id, self.product)
            self.assertEqual(form.name, "Torque Wrench")
            self.assertEqual(form.category_id, self.category_a)
        asset = form.save()
        self.assertRecordValues(
            asset,
            [
                {
                    "lot_id": self.lot_a3.id,
                    "state": "draft",
                    "company_id": self.company_a.id,
                }
            ],
        )

    def test_installed_base_needs_customer(self):
        with self.assertRaisesRegex(ValidationError, "set the customer that owns it"):
            self._asset(ownership="customer")
        customer = self.env["res.partner"].create({"name": "Customer Ltd"})
        asset = self._asset(ownership="customer", partner_id=customer.id)
        self.assertEqual(asset.partner_id, customer)

    def test_state_transitions(self):
        asset = self._asset()
        self.assertEqual(asset.state, "draft")
        self.assertIs(asset.action_confirm(), True)
        self.assertEqual(asset.state, "in_use")
        asset.action_send_to_repair()
        self.assertEqual(asset.state, "in_repair")
        asset.action_back_in_use()
        asset.action_mark_lost()
        self.assertEqual(asset.state, "lost")
        with self.assertRaisesRegex(
            UserError, rf"Cannot send to repair: {asset.code} \(Lost\)\."
        ):
            asset.action_send_to_repair()
        asset.action_back_in_use()
        self.assertEqual(asset.state, "in_use")

    def test_unlink_only_draft(self):
        draft, used = self._asset(), self._asset()
        used.action_confirm()
        with self.assertRaisesRegex(UserError, f"archive or dispose of {used.code}"):
            (draft | used).unlink()
        draft.unlink()
        self.assertFalse(draft.exists())

    def test_copy_gets_new_code(self):
        asset = self._asset(name="Caliper", epc="3474257BF40000000000162E")
        copy = asset.copy()
        self.assertNotEqual(copy.code, asset.code)
        self.assertTrue(copy.code.startswith("A-"))
        self.assertFalse(copy.epc)
        self.assertEqual(copy.name, "Caliper (copy)")

    def test_name_search_by_tag_epc_serial(self):
        asset = self._asset(
            name="Scope",
            code="SCOPE-9",
            epc="3474257BF40000000000162E",
            product_id=self.product.id,
            lot_id=self.lot_a2.id,
        )
        Asset = self.env["stock.asset"]
        for needle in ("SCOPE-9", "3474257BF40000000000162E", "TW-2"):
            found = Asset.name_search(needle)
            self.assertEqual([r[0] for r in found], [asset.id], needle)

    def test_product_and_category_counters(self):
        self._asset(product_id=self.product.id, category_id=self.category_a.id)
        self._asset(product_id=self.product.id, category_id=self.category_a.id)
        self.assertEqual(self.product.product_tmpl_id.asset_count, 2)
        self.assertEqual(self.category_a.asset_count, 2)
        action = self.product.product_tmpl_id.action_view_assets()
        self.assertEqual(
            action["domain"],
            [("product_tmpl_id", "=", self.product.product_tmpl_id.id)],
        )
        self.assertEqual(
            self.env["stock.asset"].search_count(action["domain"]),
            2,
        )

    def test_category_in_use_cannot_be_deleted(self):
        self._asset(category_id=self.category_a.id)
        with self.assertRaisesRegex(UserError, "archive them instead"):
            self.category_a.unlink()

    def test_generate_from_serials(self):
        self._asset(product_id=self.product.id, lot_id=self.lot_a1.id)
        lots = self.lot_a1 | self.lot_a2 | self.lot_a3
        wizard = (
            self.env["stock.asset.generate"]
            .with_context(active_model="stock.lot", active_ids=lots.ids)
            .create({"confirm": True})
        )
        self.assertEqual(wizard.lot_ids, lots)
        self.assertEqual(wizard.existing_count, 1)
        action = wizard.action_generate()
        created = self.env["stock.asset"].search(action["domain"])
        self.assertRecordValues(
            created.sorted(lambda asset: asset.lot_id.id),
            [
                {
                    "lot_id": lot.id,
                    "product_id": self.product.id,
                    "category_id": self.category_a.id,
                    "state": "in_use",
                    "company_id": self.company_a.id,
                    "name": "Torque Wrench",
                }
                for lot in (self.lot_a2 | self.lot_a3).sorted("id")
            ],
        )
        wizard2 = (
            self.env["stock.asset.generate"]
            .with_context(active_model="stock.lot", active_ids=lots.ids)
            .create({})
        )
        with self.assertRaisesRegex(UserError, "already has its asset"):
            wizard2.action_generate()
