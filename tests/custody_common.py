# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Fixtures of the custody and reservation tests: a category of three drills (and
one in repair), a category of two lasers, holders of both companies and a shared
contact. Tests run at a frozen "now": Monday 2 March 2026, 09:00 UTC."""

from contextlib import contextmanager

from .common import AssetCommon

NOW = "2026-03-02 09:00:00"


class CustodyCommon(AssetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Custody = cls.env["stock.asset.custody"]
        cls.Reservation = cls.env["stock.asset.reservation"]
        # a contact shared by every company (no company set)
        cls.partner_carl = cls.env["res.partner"].create(
            {"name": "Carl Contractor", "email": "carl@example.com"}
        )
        cls.category_lasers = cls.env["stock.asset.category"].create(
            {"name": "Lasers", "company_id": cls.company_a.id}
        )
        common = {
            "company_id": cls.company_a.id,
            "state": "in_use",
            "location_id": cls.stock_a.id,
            "user_id": cls.user_a.id,
        }
        cls.drill_1, cls.drill_2, cls.drill_3, cls.drill_4 = cls.env[
            "stock.asset"
        ].create(
            [
                {**common, "name": f"Drill {n}", "code": f"D-{n}"}
                | {"category_id": cls.category_a.id}
                for n in (1, 2, 3, 4)
            ]
        )
        cls.drill_4.state = "in_repair"
        cls.drills = cls.drill_1 | cls.drill_2 | cls.drill_3
        cls.laser_1, cls.laser_2 = cls.env["stock.asset"].create(
            [
                {
                    **common,
                    "name": f"Laser {n}",
                    "code": f"L-{n}",
                    "category_id": cls.category_lasers.id,
                }
                for n in (1, 2)
            ]
        )
        cls.asset_b = cls.env["stock.asset"].create(
            {
                "name": "Drill B",
                "code": "B-1",
                "company_id": cls.company_b.id,
                "category_id": cls.category_b.id,
                "state": "in_use",
            }
        )

    @contextmanager
    def assertRefused(self, exception, regex, msg=None):
        """assertRaisesRegex in a savepoint: what the refused call wrote (a record
        whose constraint failed) is rolled back, as assertRaises does."""
        with (
            self.assertRaisesRegex(exception, regex, msg=msg),
            self.env.cr.savepoint(),
        ):
            yield
