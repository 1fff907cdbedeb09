# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Kits and their components (issue 19, item 4): structure rules, check-out and
check-in of a kit, the check-in of a kit returned incomplete, moves, swaps and
audits of kits."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .custody_common import NOW, CustodyCommon


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestAssetKit(CustodyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Asset = cls.env["stock.asset"]
        common = {
            "company_id": cls.company_a.id,
            "state": "in_use",
            "location_id": cls.stock_a.id,
        }
        cls.laptop = Asset.create({**common, "name": "Laptop T14", "code": "LAP-1"})
        cls.charger, cls.dock = Asset.create(
            [
                {**common, "name": "Charger", "code": "CH-12"},
                {**common, "name": "Dock", "code": "DK-1"},
            ]
        )
        (cls.charger | cls.dock).write({"parent_id": cls.laptop.id})
        cls.spare_charger = Asset.create({**common, "name": "Charger", "code": "CH-13"})
        cls.kit = cls.laptop.with_user(cls.user_a)

    # Structure --------------------------------------------------------------------
    def test_kit_lists_its_components_and_their_history(self):
        self.assertEqual(self.laptop.child_ids, self.charger | self.dock)
        self.assertRecordValues(
            self.laptop, [{"is_kit": True, "kit_member_count": 2, "parent_id": False}]
        )
        self.assertEqual(self.charger.parent_id, self.laptop)
        self.assertEqual(
            self.env["stock.asset"].search([("is_kit", "=", True)]) & self.laptop,
            self.laptop,
        )
        self.assertEqual(
            self.env["stock.asset"].search([("id", "child_of", self.laptop.id)]),
            self.laptop | self.charger | self.dock,
        )
        self.assertEqual(
            sorted(
                self.laptop.kit_log_ids.mapped(lambda r: (r.member_id.code, r.event))
            ),
            [("CH-12", "added"), ("DK-1", "added")],
        )
        self.dock.parent_id = False
        self.assertRecordValues(self.laptop, [{"kit_member_count": 1}])
        self.assertEqual(
            self.laptop.kit_log_ids.filtered(lambda r: r.event == "removed").member_id,
            self.dock,
        )

    def test_kit_cannot_contain_itself(self):
        with self.assertRefused(
            ValidationError,
            r"^LAP-1 cannot be a component of CH-12: CH-12 is already inside LAP-1 "
            r"\(LAP-1 > CH-12\), and a kit cannot contain itself\.$",
        ):
            self.laptop.parent_id = self.charger
        with self.assertRefused(
            ValidationError,
            r"^LAP-1 cannot be a component of LAP-1: LAP-1 is already inside LAP-1",
        ):
            self.laptop.parent_id = self.laptop
        # nothing accepted is lost
        self.assertFalse(self.laptop.parent_id)
        self.assertEqual(self.laptop.child_ids, self.charger | self.dock)

    def test_nesting_is_bounded(self):
        van = self._asset(code="VAN-1", name="Service Van")
        self.laptop.parent_id = van  # van > laptop > charger: 3 levels
        case = self._asset(code="CASE-1", name="Tool Case")
        with self.assertRefused(
            ValidationError,
            r"^VAN-1 cannot be a component of CASE-1: the kit would have 4 levels "
            r"\(CASE-1 > VAN-1\), and kits have at most 3 \(system parameter "
            r"stock_asset_tracking\.kit_max_depth\)\.$",
        ):
            van.parent_id = case
        self.assertFalse(van.parent_id)
        self.env["ir.config_parameter"].set_param(
            "stock_asset_tracking.kit_max_depth", "4"
        )
        van.parent_id = case
        self.assertEqual(
            self.env["stock.asset"].search([("id", "child_of", case.id)]),
            case | van | self.laptop | self.charger | self.dock,
        )

    def test_component_of_another_company_refused(self):
        with self.assertRefused(
            ValidationError,
            r"^B-1 \(.+\) cannot be a component of LAP-1 \(.+\): a kit and its "
            r"components belong to the same company\.$",
        ):
            self.asset_b.parent_id = self.laptop
        with self.assertRefused(ValidationError, "CH-13 .* cannot be a component"):
            self.env["stock.asset"].create(
                {
                    "name": "Charger B",
                    "code": "CH-13",
                    "company_id": self.company_b.id,
                    "parent_id": self.laptop.id,
                }
            )
        self.assertEqual(self.laptop.child_ids, self.charger | self.dock)

    def test_disposed_asset_joins_no_kit(self):
        self.spare_charger.state = "disposed"
        with self.assertRefused(
            ValidationError,
            r"^CH-13 cannot be a component of LAP-1: CH-13 is disposed of, and a "
            r"disposed asset belongs to no kit\.$",
        ):
            self.spare_charger.parent_id = self.laptop

    def test_component_of_another_kit_refused(self):
        other = self._asset(code="LAP-2", name="Laptop T14")
        with self.assertRefused(
            UserError,
            r"^CH-12 is already a component of kit LAP-1: take it out of LAP-1 "
            r"first, or swap it, before adding it to LAP-2\.$",
        ):
            self.charger.with_user(self.user_a).parent_id = other
        self.assertEqual(self.charger.parent_id, self.laptop)

    # Check-out / check-in ---------------------------------------------------------
    def test_kit_goes_out_and_back_with_its_components(self):
        self.kit.action_checkout(
            self.holder_a, date_due="2026-03-09 17:00:00", location_to=self.shelf_a
        )
        members = self.laptop | self.charger | self.dock
        self.assertRecordValues(
            members,
            [{"holder_id": self.holder_a.id, "location_id": self.shelf_a.id}] * 3,
        )
        self.assertRecordValues(
            members.custody_ids,
            [
                {
                    "asset_id": asset.id,
                    "holder_id": self.holder_a.id,
                    "date_due": datetime(2026, 3, 9, 17, 0),
                    "location_from_id": self.stock_a.id,
                    "date_returned": False,
                }
                for asset in members
            ],
        )
        self.kit.action_checkin(location=self.stock_a)
        self.assertRecordValues(
            members,
            [{"holder_id": False, "location_id": self.stock_a.id}] * 3,
        )
        self.assertRecordValues(
            members.custody_ids,
            [{"return_location_id": self.stock_a.id}] * 3,
        )
        self.assertTrue(all(members.custody_ids.mapped("date_returned")))

    def test_component_held_by_someone_blocks_the_kit(self):
        self.charger.parent_id = False
        self.charger.action_checkout(self.partner_carl)
        self.charger.parent_id = self.laptop
        with self.assertRefused(
            UserError,
            "Kit LAP-1 cannot go out: its component CH-12 is held by Carl "
            r"Contractor\. Check CH-12 in first, or take it out of the kit\.",
        ):
            self.kit.action_checkout(self.holder_a)
        self.assertFalse((self.laptop | self.dock).custody_ids)
        self.assertEqual(self.charger.holder_id, self.partner_carl)

    def test_component_does_not_go_out_alone(self):
        with self.assertRefused(
            UserError,
            r"^DK-1 is a component of kit LAP-1: check the kit out, or take DK-1 out "
            r"of the kit first\.$",
        ):
            self.dock.with_user(self.user_a).action_checkout(self.holder_a)
        self.assertFalse(self.dock.custody_ids)

    def test_refused_component_refuses_the_kit(self):
        self.dock.state = "in_repair"
        with self.assertRefused(
            UserError,
            r"^Kit LAP-1 cannot go out: its component DK-1 is refused\.\n"
            r"DK-1 is in repair and cannot go out\.\n"
            r"CH-12 goes with kit LAP-1, which cannot go out\.$",
        ):
            self.kit.action_checkout(self.holder_a)
        self.assertFalse((self.laptop | self.charger).custody_ids)

    def test_checkin_wizard_returns_a_kit_incomplete(self):
        self.kit.action_checkout(self.holder_a)
        wizard = (
            self.env["stock.asset.checkin"]
            .with_user(self.user_a)
            .create(
                {
                    "asset_ids": [Command.set(self.laptop.ids)],
                    "location_id": self.shelf_a.id,
                }
            )
        )
        self.assertEqual(wizard.kit_member_ids, self.charger | self.dock)
        wizard.kit_not_returned_ids = self.charger
        with self.assertRefused(
            UserError,
            r"^CH-12 did not come back with LAP-1: tick Return Incomplete to check "
            r"the kit in without them\.$",
        ):
            wizard.action_confirm()
        self.assertEqual(self.laptop.holder_id, self.holder_a)
        wizard.kit_incomplete_confirmed = True
        wizard.action_confirm()
        self.assertRecordValues(
            self.laptop | self.dock | self.charger,
            [
                {
                    "holder_id": False,
                    "location_id": self.shelf_a.id,
                    "kit_missing": False,
                },
                {
                    "holder_id": False,
                    "location_id": self.shelf_a.id,
                    "kit_missing": False,
                },
                {
                    "holder_id": self.holder_a.id,
                    "location_id": self.stock_a.id,
                    "kit_missing": True,
                },
            ],
        )
        missing = self.laptop.kit_log_ids.filtered(lambda r: r.event == "missing")
        self.assertRecordValues(missing, [{"member_id": self.charger.id}])
        note = (
            "[CH-12] Charger did not come back with kit [LAP-1] Laptop T14: returned "
            "incomplete, [CH-12] Charger is still out with Anna Holder."
        )
        for asset in self.laptop | self.charger:
            self.assertIn(note, asset.message_ids.mapped("preview"))
        # the charger comes back later: it rejoins its kit and its place
        self.charger.with_user(self.user_a).action_checkin(return_home=False)
        self.assertRecordValues(
            self.charger,
            [
                {
                    "holder_id": False,
                    "kit_missing": False,
                    "location_id": self.shelf_a.id,
                }
            ],
        )
        self.assertIn(
            "returned",
            self.laptop.kit_log_ids.filtered(
                lambda r: r.member_id == self.charger
            ).mapped("event"),
        )
        # whole again, the kit goes out with all its components
        self.kit.action_checkout(self.partner_carl)
        self.assertEqual(self.charger.holder_id, self.partner_carl)

    def test_missing_component_does_not_follow_its_kit(self):
        self.dock.sudo().kit_missing = True
        self.kit.write({"location_id": self.shelf_a.id})
        self.assertEqual(self.charger.location_id, self.shelf_a)
        self.assertEqual(self.dock.location_id, self.stock_a)

    # Swap -------------------------------------------------------------------------
    def _swap(self, old, new, note=None):
        return (
            self.env["stock.asset.kit.swap"]
            .with_user(self.user_a)
            .create(
                {
                    "kit_id": self.laptop.id,
                    "old_member_id": old.id,
                    "new_member_id": new.id,
                    "note": note,
                }
            )
        )

    def test_swap_a_component_leaves_a_trace(self):
        self.spare_charger.location_id = self.shelf_a
        self._swap(self.charger, self.spare_charger, "cable frayed").action_confirm()
        self.assertEqual(self.laptop.child_ids, self.dock | self.spare_charger)
        self.assertFalse(self.charger.parent_id)
        self.assertEqual(self.spare_charger.location_id, self.stock_a)
        logs = self.laptop.kit_log_ids.filtered(lambda r: r.event.startswith("swap"))
        self.assertEqual(
            sorted(
                logs.mapped(
                    lambda r: (
                        r.event,
                        r.member_id.code,
                        r.other_member_id.code,
                        r.note,
                    )
                )
            ),
            [
                ("swapped_in", "CH-13", "CH-12", "cable frayed"),
                ("swapped_out", "CH-12", "CH-13", "cable frayed"),
            ],
        )
        body = (
            "Kit [LAP-1] Laptop T14: component [CH-12] Charger replaced by [CH-13] "
            "Charger (cable frayed)."
        )
        for asset in self.laptop | self.charger | self.spare_charger:
            self.assertIn(body, asset.message_ids.mapped("preview"))

    def test_swap_refuses_a_component_of_another_kit_and_a_kit_out(self):
        other = self._asset(code="LAP-2", name="Laptop T14")
        self.spare_charger.parent_id = other
        with self.assertRefused(
            UserError,
            r"^Cannot replace CH-12 by CH-13 in kit LAP-1: CH-13 is already a "
            r"component of kit LAP-2: take it out of LAP-2 first\.$",
        ):
            self._swap(self.charger, self.spare_charger).action_confirm()
        self.spare_charger.parent_id = False
        self.kit.action_checkout(self.holder_a)
        with self.assertRefused(
            UserError,
            r"^Cannot replace CH-12 by CH-13 in kit LAP-1: LAP-1 is out with Anna "
            r"Holder: check it in before swapping components of kit LAP-1\.$",
        ):
            self._swap(self.charger, self.spare_charger).action_confirm()
        self.assertEqual(self.laptop.child_ids, self.charger | self.dock)

    # Audit ------------------------------------------------------------------------
    def _started_audit(self):
        """An audit of company A's stock, due 31 March, started by the asset user."""
        audit = (
            self.env["stock.asset.audit"]
            .with_user(self.user_a)
            .create(
                {
                    "location_ids": [Command.set(self.stock_a.ids)],
                    "company_id": self.company_a.id,
                    "date_due": date(2026, 3, 31),
                }
            )
        )
        audit.action_start()
        return audit

    def _scan_item(self, asset):
        """A scan of ``asset`` in company A's stock at the frozen "now"."""
        return {
            "code": asset.code,
            "asset_id": asset.id,
            "location_id": self.stock_a.id,
            "seen": datetime(2026, 3, 2, 9, 0),
            "count": 1,
        }

    def test_audit_flags_a_kit_found_without_a_component(self):
        audit = self._started_audit()
        items = [self._scan_item(asset) for asset in self.laptop | self.dock]
        audit.with_user(self.user_a)._record_scans(items, user=self.user_a)
        Line = self.env["stock.asset.audit.line"].with_user(self.user_a)
        line = Line.search(
            [("audit_id", "=", audit.id), ("asset_id", "=", self.laptop.id)]
        )
        self.assertRecordValues(
            line,
            [
                {
                    "status": "found",
                    "kit_incomplete": True,
                    "kit_note": "kit incomplete: [CH-12] Charger missing",
                }
            ],
        )
        self.assertEqual(line.kit_missing_member_ids, self.charger)
        self.assertEqual(
            Line.search([("audit_id", "=", audit.id), ("kit_incomplete", "=", True)]),
            line,
        )
        audit.with_user(self.user_a)._record_scans(
            [dict(items[0], code="CH-12", asset_id=self.charger.id)], user=self.user_a
        )
        line.invalidate_recordset()
        self.assertRecordValues(line, [{"kit_incomplete": False, "kit_note": False}])

    def test_audit_close_lists_the_incomplete_kits(self):
        audit = self._started_audit()
        audit._record_scans([self._scan_item(self.laptop)], user=self.user_a)
        audit.action_close()
        self.assertIn(
            "Kits found incomplete: LAP-1 (kit incomplete: [CH-12] Charger, [DK-1] "
            "Dock missing).",
            audit.message_ids.mapped("preview"),
        )
        line = audit.line_ids.filtered(lambda line: line.asset_id == self.dock)
        self.assertEqual(line.status, "missing")

    # Access -----------------------------------------------------------------------
    def test_kit_history_is_read_only_and_per_company(self):
        logs = self.laptop.kit_log_ids.with_user(self.user_a)
        self.assertEqual(len(logs), 2)
        with self.assertRaises(AccessError):
            logs.write({"note": "edited"})
        with self.assertRaises(AccessError):
            self.env["stock.asset.kit.log"].with_user(self.user_b).browse(
                logs.ids
            ).read(["event"])
