# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AssetCommon

# crossing companies is refused as an incompatible link, or as no access at all
CROSS = (
    r"Incompatible companies|You are not allowed to access|doesn't have 'read' access"
)


@tagged("post_install", "-at_install")
class TestAssetSecurity(AssetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.asset_a = cls._asset(name="Drill A", code="A-DRILL")
        cls.asset_b = cls._asset(
            name="Drill B", code="B-DRILL", company_id=cls.company_b.id
        )

    def test_groups_hierarchy(self):
        self.assertIn(
            self.env.ref("stock_asset_tracking.group_asset_user"),
            self.env.ref("stock_asset_tracking.group_asset_manager").implied_ids,
        )
        self.assertTrue(
            self.manager_a.has_group("stock_asset_tracking.group_asset_user")
        )
        self.assertTrue(
            self.accountant_a.has_group("stock_asset_tracking.group_asset_user")
        )
        self.assertFalse(
            self.user_a.has_group("stock_asset_tracking.group_asset_manager")
        )

    def test_company_isolation_read(self):
        Asset = self.env["stock.asset"].with_user(self.user_a)
        self.assertEqual(Asset.search([("code", "like", "-DRILL")]), self.asset_a)
        with self.assertRaises(AccessError):
            self.asset_b.with_user(self.user_a).read(["name"])
        AssetB = self.env["stock.asset"].with_user(self.user_b)
        self.assertEqual(AssetB.search([("code", "like", "-DRILL")]), self.asset_b)

    def test_company_isolation_links(self):
        """A user of company A cannot link company B's serial, location, holder or
        category to an asset of company A."""
        asset = self.asset_a.with_user(self.user_a)
        for field, value in (
            ("location_id", self.stock_b.id),
            ("category_id", self.category_b.id),
        ):
            with self.assertRaisesRegex(UserError, CROSS, msg=field):
                with self.cr.savepoint():
                    asset.write({field: value})
        # the holder comes from custody: a check-out, or a custody line written
        # directly, to a contact of company B is refused
        with self.assertRaisesRegex(UserError, CROSS):
            with self.cr.savepoint():
                asset.action_checkout(self.holder_b)
        with self.assertRaisesRegex(UserError, CROSS):
            with self.cr.savepoint():
                self.env["stock.asset.custody"].with_user(self.user_a).create(
                    {"asset_id": self.asset_a.id, "holder_id": self.holder_b.id}
                )
        self.assertFalse(self.asset_a.holder_id)
        with self.assertRaisesRegex(UserError, CROSS):
            with self.cr.savepoint():
                self.env["stock.asset"].with_user(self.user_a).create(
                    {
                        "name": "Cross",
                        "product_id": self.product.id,
                        "lot_id": self.lot_b1.id,
                    }
                )
        # even a user of both companies cannot mix them on one asset
        self.user_a.company_ids = self.company_a | self.company_b
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            self.env["stock.asset"].with_user(self.user_a).with_company(
                self.company_a
            ).create(
                {
                    "name": "Cross",
                    "company_id": self.company_a.id,
                    "location_id": self.stock_b.id,
                }
            )

    def test_company_isolation_batch(self):
        """One create of many assets checks each asset's links (the check runs
        once per company and field over the batch)."""
        Asset = self.env["stock.asset"].with_company(self.company_a)
        meters = Asset.create(
            [
                {
                    "name": f"Meter {n}",
                    "code": f"A-M{n}",
                    "location_id": self.shelf_a.id,
                }
                for n in range(3)
            ]
        )
        self.assertEqual(meters.location_id, self.shelf_a)
        with self.assertRaises(UserError) as refused:
            Asset.create(
                [
                    {"name": "Good", "code": "A-GOOD", "location_id": self.shelf_a.id},
                    {
                        "name": "Foreign serial",
                        "code": "A-LOT",
                        "product_id": self.product.id,
                        "lot_id": self.lot_b1.id,
                    },
                    {
                        "name": "Foreign place",
                        "code": "A-LOC",
                        "location_id": self.stock_b.id,
                    },
                ]
            )
        lines = str(refused.exception).splitlines()
        self.assertEqual(lines[0], "Incompatible companies on records:")
        self.assertEqual(len(lines), 3)
        self.assertIn("(lot_id: ", lines[1])
        self.assertIn("(location_id: ", lines[2])
        self.assertFalse(Asset.search([("code", "in", ["A-GOOD", "A-LOT", "A-LOC"])]))

    def test_user_rights(self):
        Asset = self.env["stock.asset"].with_user(self.user_a)
        asset = Asset.create({"name": "Meter"})
        asset.write({"location_id": self.shelf_a.id})
        asset.action_checkout(self.holder_a)
        self.assertEqual(asset.location_id, self.shelf_a)
        self.assertEqual(asset.holder_id, self.holder_a)
        with self.assertRaises(AccessError):
            asset.unlink()
        # users read categories but do not configure them
        self.assertEqual(
            self.env["stock.asset.category"]
            .with_user(self.user_a)
            .search([("id", "=", self.category_a.id)]),
            self.category_a,
        )
        with self.assertRaises(AccessError):
            self.env["stock.asset.category"].with_user(self.user_a).create(
                {"name": "New"}
            )
        with self.assertRaises(AccessError):
            self.category_a.with_user(self.user_a).write({"name": "Renamed"})

    def test_manager_rights(self):
        Category = self.env["stock.asset.category"].with_user(self.manager_a)
        category = Category.create({"name": "Vehicles"})
        self.assertEqual(category.company_id, self.company_a)
        asset = (
            self.env["stock.asset"]
            .with_user(self.manager_a)
            .create({"name": "Van", "category_id": category.id})
        )
        asset.unlink()
        category.unlink()
        self.assertFalse(category.exists())

    def test_accountant_rights(self):
        asset = self.asset_a.with_user(self.accountant_a)
        asset.write({"name": "Drill A (booked)"})
        self.assertEqual(self.asset_a.name, "Drill A (booked)")
        with self.assertRaises(AccessError):
            asset.unlink()

    def test_stock_user_without_asset_group(self):
        with self.assertRaises(AccessError):
            self.env["stock.asset"].with_user(self.stock_user_a).search([])
        # the serial number form stays usable: asset fields are hidden from them
        lot = self.lot_a1.with_user(self.stock_user_a)
        self.assertEqual(lot.name, "TW-1")
        self.assertNotIn("asset_id", lot.fields_get())

    def test_wizard_respects_companies(self):
        wizard = (
            self.env["stock.asset.generate"]
            .with_user(self.user_a)
            .with_context(active_model="stock.lot", active_ids=self.lot_a2.ids)
            .create({})
        )
        wizard.action_generate()
        self.assertEqual(self.lot_a2.asset_id.company_id, self.company_a)
        with self.assertRaisesRegex(UserError, CROSS):
            self.env["stock.asset.generate"].with_user(self.user_a).create(
                {"lot_ids": [(6, 0, self.lot_b1.ids)]}
            )
