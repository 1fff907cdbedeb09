# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The life of an item (issue 19): its home location and the return home, its
condition and the history of it, its repairs."""

from ast import literal_eval
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .custody_common import NOW, CustodyCommon


class LifeCommon(CustodyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.crib = cls._location("Tool Crib", cls.stock_a)
        cls.crib_bin = cls._location("Bin 3", cls.crib)
        cls.van = cls._location("Van 2", cls.stock_a)
        cls.good = cls.env.ref("stock_asset_tracking.condition_good")
        cls.poor = cls.env.ref("stock_asset_tracking.condition_poor")
        cls.broken = cls.env.ref("stock_asset_tracking.condition_broken")
        cls.holder = cls.env["res.partner"].create(
            {"name": "Hana Holder", "company_id": cls.company_a.id}
        )


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestAssetLifeHome(LifeCommon):
    def test_home_from_category_and_away_flag(self):
        self.category_a.home_location_id = self.crib
        asset = self.env["stock.asset"].create(
            {
                "name": "Drill 9",
                "code": "D-9",
                "company_id": self.company_a.id,
                "category_id": self.category_a.id,
                "location_id": self.crib_bin.id,
            }
        )
        # a place inside the home is at home
        self.assertRecordValues(
            asset,
            [
                {
                    "home_location_id": self.crib.id,
                    "away_from_home": False,
                    "away_since": False,
                }
            ],
        )
        asset.location_id = self.van
        self.assertRecordValues(
            asset,
            [{"away_from_home": True, "away_since": datetime(2026, 3, 2, 9, 0)}],
        )
        # still away, somewhere else a day later: away since the first day
        with freeze_time("2026-03-03 10:00:00"):
            asset.location_id = self.stock_a
            asset.flush_recordset()
            self.assertEqual(asset.away_since, datetime(2026, 3, 2, 9, 0))
        asset.location_id = self.crib
        self.assertRecordValues(asset, [{"away_from_home": False, "away_since": False}])
        # checked out: away, with its holder
        asset.action_checkout(self.holder)
        self.assertTrue(asset.away_from_home)
        away = self.env["stock.asset"].search(
            [("away_from_home", "=", True), ("company_id", "=", self.company_a.id)]
        )
        self.assertEqual(away, asset)
        # a home given by hand is kept; an asset without category has none
        other = self.env["stock.asset"].create(
            {
                "name": "Saw",
                "code": "S-1",
                "company_id": self.company_a.id,
                "home_location_id": self.van.id,
            }
        )
        self.assertEqual(other.home_location_id, self.van)
        self.assertFalse(self.drill_1.home_location_id)
        self.assertFalse(self.drill_1.away_from_home)

    def test_checkin_wizard_defaults_home_and_may_change_it(self):
        self.drills.home_location_id = self.crib
        self.drills.action_checkout(self.holder, location_to=self.van)
        self.assertEqual(self.drills.location_id, self.van)
        action = self.drill_1.action_open_checkin_wizard()
        wizard = Form(self.env["stock.asset.checkin"].with_context(**action["context"]))
        self.assertEqual(wizard.location_id, self.crib)
        wizard.save().action_confirm()
        self.assertRecordValues(
            self.drill_1,
            [
                {
                    "location_id": self.crib.id,
                    "holder_id": False,
                    "away_from_home": False,
                }
            ],
        )
        self.assertEqual(self.drill_1.custody_ids.return_location_id, self.crib)
        # the user changes the destination: it is followed
        wizard = Form(
            self.env["stock.asset.checkin"].with_context(
                default_asset_ids=self.drill_2.ids
            )
        )
        wizard.location_id = self.stock_a
        wizard.save().action_confirm()
        self.assertEqual(self.drill_2.location_id, self.stock_a)
        self.assertTrue(self.drill_2.away_from_home)

    def test_checkin_without_location_returns_each_home(self):
        self.drill_1.home_location_id = self.crib
        self.drill_2.home_location_id = self.crib_bin
        (self.drills).action_checkout(self.holder, location_to=self.van)
        wizard = Form(
            self.env["stock.asset.checkin"].with_context(
                default_asset_ids=(self.drill_1 | self.drill_2 | self.drill_3).ids
            )
        )
        # no common home: each one goes to its own, the one without stays
        self.assertFalse(wizard.location_id)
        self.assertTrue(wizard.return_home)
        wizard.save().action_confirm()
        self.assertEqual(
            [a.location_id for a in self.drills],
            [self.crib, self.crib_bin, self.van],
        )
        self.assertEqual(
            [a.custody_ids.return_location_id for a in self.drills],
            [self.crib, self.crib_bin, self.env["stock.location"]],
        )

    def test_checkin_told_to_keep_location(self):
        self.drill_1.home_location_id = self.crib
        self.drill_1.action_checkout(self.holder, location_to=self.van)
        wizard = Form(
            self.env["stock.asset.checkin"].with_context(
                default_asset_ids=self.drill_1.ids
            )
        )
        wizard.location_id = self.env["stock.location"]
        wizard.return_home = False
        wizard.save().action_confirm()
        self.assertRecordValues(
            self.drill_1, [{"location_id": self.van.id, "holder_id": False}]
        )

    def test_rpc_checkin_and_return_home_action(self):
        self.drills.home_location_id = self.crib
        self.drills.action_checkout(self.holder, location_to=self.van)
        self.assertTrue(self.drill_1.with_user(self.user_a).action_checkin())
        self.assertEqual(self.drill_1.location_id, self.crib)
        self.drill_2.action_checkin(location=self.stock_a.id)
        self.assertEqual(self.drill_2.location_id, self.stock_a)
        self.drill_3.action_checkin(return_home=False)
        self.assertEqual(self.drill_3.location_id, self.van)
        # the form's button: back home, checked in if it was out
        self.drill_1.action_checkout(self.holder, location_to=self.van)
        self.assertTrue((self.drill_1 | self.drill_2).action_return_home())
        self.assertRecordValues(
            self.drill_1 | self.drill_2,
            [
                {"location_id": self.crib.id, "holder_id": False},
                {"location_id": self.crib.id, "holder_id": False},
            ],
        )

    def test_away_report(self):
        self.drills.home_location_id = self.crib
        self.drill_1.location_id = self.van
        self.drill_2.action_checkout(self.holder)
        self.drill_3.location_id = self.crib_bin
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_action_away"
        )
        found = self.env["stock.asset"].search(
            [*literal_eval(action["domain"]), ("company_id", "=", self.company_a.id)]
        )
        self.assertEqual(found, self.drill_1 | self.drill_2)
        self.assertRecordValues(
            found.sorted("code"),
            [
                {
                    "location_id": self.van.id,
                    "away_since": datetime(2026, 3, 2, 9, 0),
                    "holder_id": False,
                },
                {
                    "location_id": self.stock_a.id,
                    "away_since": datetime(2026, 3, 2, 9, 0),
                    "holder_id": self.holder.id,
                },
            ],
        )

    def test_bad_home_locations(self):
        self.drill_1.home_location_id = self.crib
        with self.assertRefused(
            ValidationError,
            r"^Asset D-1 cannot have .*/Stock as home location: it belongs to "
            r"Asset Co B, not to Asset Co A; a home location is one of the item's "
            r"own company\.$",
        ):
            self.drill_1.home_location_id = self.stock_b
        view = self.warehouse_a.view_location_id
        with self.assertRefused(
            ValidationError,
            r"^Asset D-1 cannot have .* as home location: it is not an internal "
            r"location \(View\)",
        ):
            self.drill_1.write({"home_location_id": view.id})
        with self.assertRefused(
            ValidationError,
            r"^Category Tools A cannot have .* as home location: it belongs to "
            r"Asset Co B",
        ):
            self.category_a.home_location_id = self.stock_b
        # nothing accepted is lost
        self.assertEqual(self.drill_1.home_location_id, self.crib)
        self.assertFalse(self.category_a.home_location_id)

    def test_audit_reports_found_away_from_home(self):
        self.drill_1.home_location_id = self.crib
        self.drill_2.home_location_id = self.stock_a
        audit = self.env["stock.asset.audit"].create(
            {
                "name": "Warehouse A",
                "company_id": self.company_a.id,
                "location_ids": [Command.set(self.stock_a.ids)],
            }
        )
        audit.action_start()
        audit._record_scans(
            [
                {
                    "code": "D-1",
                    "asset_id": self.drill_1.id,
                    "location_id": self.van.id,
                },
                {
                    "code": "D-2",
                    "asset_id": self.drill_2.id,
                    "location_id": self.van.id,
                },
                {
                    "code": "D-3",
                    "asset_id": self.drill_3.id,
                    "location_id": self.van.id,
                },
            ]
        )
        lines = audit.line_ids.sorted("code")
        self.assertEqual(
            [(line.code, line.found_away_from_home) for line in lines],
            [
                ("D-1", True),
                ("D-2", False),
                ("D-3", False),
                ("D-4", False),
                ("L-1", False),
                ("L-2", False),
            ],
        )
        away = self.env["stock.asset.audit.line"].search(
            [("audit_id", "=", audit.id), ("found_away_from_home", "=", True)]
        )
        self.assertEqual(away.asset_id, self.drill_1)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestAssetLifeCondition(LifeCommon):
    def test_condition_set_by_hand_is_logged(self):
        self.drill_1.with_user(self.user_a).write(
            {"condition_id": self.poor.id, "condition_note": "Chuck wobbles"}
        )
        self.assertRecordValues(
            self.drill_1,
            [
                {
                    "condition_id": self.poor.id,
                    "condition_date": datetime(2026, 3, 2, 9, 0),
                    "condition_log_count": 1,
                    "state": "in_use",
                }
            ],
        )
        self.assertRecordValues(
            self.drill_1.condition_log_ids,
            [
                {
                    "condition_id": self.poor.id,
                    "source": "manual",
                    "note": "Chuck wobbles",
                    "user_id": self.user_a.id,
                    "location_id": self.stock_a.id,
                    "date": datetime(2026, 3, 2, 9, 0),
                }
            ],
        )
        action = self.drill_1.action_view_condition_log()
        self.assertEqual(
            self.env[action["res_model"]].search(action["domain"]),
            self.drill_1.condition_log_ids,
        )

    def test_checkout_and_checkin_record_condition(self):
        wizard = Form(
            self.env["stock.asset.checkout"]
            .with_user(self.user_a)
            .with_context(default_asset_ids=self.drill_1.ids)
        )
        wizard.holder_id = self.holder
        wizard.condition_id = self.good
        wizard.note = "Two batteries"
        wizard.save().action_confirm()
        self.assertEqual(self.drill_1.holder_id, self.holder)
        wizard = Form(
            self.env["stock.asset.checkin"]
            .with_user(self.user_a)
            .with_context(default_asset_ids=self.drill_1.ids)
        )
        wizard.condition_id = self.broken
        wizard.note = "Gearbox grinds"
        wizard.save().action_confirm()
        logs = self.drill_1.condition_log_ids.sorted("id")
        self.assertRecordValues(
            logs,
            [
                {
                    "condition_id": self.good.id,
                    "source": "checkout",
                    "holder_id": self.holder.id,
                },
                {
                    "condition_id": self.broken.id,
                    "source": "checkin",
                    "holder_id": False,
                },
            ],
        )
        # broken: out of service, a repair is proposed (no Repairs app here)
        service = logs[1].service_id
        self.assertRecordValues(
            self.drill_1, [{"state": "in_repair", "holder_id": False}]
        )
        self.assertRecordValues(
            service,
            [
                {
                    "asset_id": self.drill_1.id,
                    "service_type": "repair",
                    "state": "draft",
                    "notes": "Broken recorded on D-1 (Check-in): Gearbox grinds",
                }
            ],
        )
        # broken again: the open repair is the one proposed, no second one
        self.drill_1.action_record_condition("broken", "manual")
        self.assertEqual(self.drill_1.condition_log_ids[0].service_id, service)
        self.assertEqual(
            self.env["stock.asset.service"].search_count(
                [("asset_id", "=", self.drill_1.id)]
            ),
            1,
        )

    def test_condition_codes_are_checked(self):
        Condition = self.env["stock.asset.condition"]
        for code in ("Bad Code", "bad\x07", "x" * 33, "-dash"):
            with self.assertRefused(
                ValidationError, r"must be lower-case letters, digits"
            ):
                Condition.create({"name": "Odd", "code": code})
        with self.assertRefused(
            ValidationError,
            r"^Condition code good is already used by Good: a code names one "
            r"condition per company\.$",
        ):
            Condition.create({"name": "Fine", "code": "good"})
        own = Condition.create(
            {"name": "Scratched", "code": "scratched", "company_id": self.company_a.id}
        )
        with self.assertRefused(
            ValidationError, r"condition is one of another company"
        ):
            self.asset_b.action_record_condition(own.id)
        with self.assertRefused(
            ValidationError, r"^Asset B-1: no condition has the code scratched\.$"
        ):
            self.asset_b.action_record_condition("scratched")
        self.assertFalse(self.asset_b.condition_log_ids)

    def test_rights_and_companies(self):
        with self.assertRefused(AccessError, "not allowed to create"):
            self.env["stock.asset.condition"].with_user(self.user_a).create(
                {"name": "Mint", "code": "mint"}
            )
        condition = (
            self.env["stock.asset.condition"]
            .with_user(self.manager_a)
            .create({"name": "Mint", "code": "mint", "company_id": self.company_a.id})
        )
        self.drill_1.action_record_condition(condition.id)
        # users of company B see neither the condition nor the history
        self.assertFalse(
            self.env["stock.asset.condition"]
            .with_user(self.user_b)
            .search([("code", "=", "mint")])
        )
        self.assertFalse(
            self.env["stock.asset.condition.log"]
            .with_user(self.user_b)
            .search([("asset_id", "=", self.drill_1.id)])
        )
        # the history is not edited by users
        log = self.drill_1.condition_log_ids
        with self.assertRefused(AccessError, "not allowed to modify"):
            log.with_user(self.user_a).note = "changed"


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestAssetLifeRepair(LifeCommon):
    def _repair(self, asset, day, state="done", kind="repair"):
        return self.env["stock.asset.service"].create(
            {"asset_id": asset.id, "service_type": kind, "date": day, "state": state}
        )

    def test_repair_figures_per_asset_and_category(self):
        self._repair(self.drill_1, date(2025, 1, 10))
        self._repair(self.drill_1, date(2025, 7, 9))
        self._repair(self.drill_1, date(2026, 1, 5), state="draft")
        self._repair(self.drill_1, date(2026, 1, 6), kind="preventive")
        self._repair(self.drill_2, date(2026, 2, 20))
        # the drills were created today: in service since their first repair
        self.assertRecordValues(
            self.drill_1 | self.drill_2 | self.drill_3,
            [
                {
                    "repair_total": 2,
                    "last_repair_date": date(2025, 7, 9),
                    "days_since_repair": 236,
                    "mtbf_days": 90.0,
                },
                {
                    "repair_total": 1,
                    "last_repair_date": date(2026, 2, 20),
                    "days_since_repair": 10,
                    "mtbf_days": 0.0,
                },
                {
                    "repair_total": 0,
                    "last_repair_date": False,
                    "days_since_repair": 0,
                    "mtbf_days": 0.0,
                },
            ],
        )
        self.assertRecordValues(
            self.category_a, [{"repair_total": 3, "mtbf_days": 60.0}]
        )
        # the proposed repair done: counted
        draft = self.drill_1.service_ids.filtered(lambda s: s.state == "draft")
        draft.action_done()
        self.assertRecordValues(
            self.drill_1,
            [{"repair_total": 3, "last_repair_date": date(2026, 1, 5)}],
        )
        self.assertAlmostEqual(self.drill_1.mtbf_days, 360 / 3, places=1)
        groups = self.env["stock.asset"]._read_group(
            [("category_id", "=", self.category_a.id)],
            ["category_id"],
            ["repair_total:sum"],
        )
        self.assertEqual(groups, [(self.category_a, 4)])

    def test_repair_views_load(self):
        for xmlid in (
            "stock_asset_tracking.stock_asset_action_repair_analysis",
            "stock_asset_tracking.stock_asset_action_away",
            "stock_asset_tracking.stock_asset_condition_action",
            "stock_asset_tracking.stock_asset_condition_log_action",
        ):
            action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
            for view_id, view_type in action["views"]:
                self.env[action["res_model"]].get_view(view_id, view_type)
        with self.assertRaises(UserError):
            self.env["stock.asset.audit.line"].search(
                [("found_away_from_home", "in", [True])]
            )
