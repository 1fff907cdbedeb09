# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import re
from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import mute_logger

from .common import AssetCommon

FROZEN = "2026-03-02 09:00:00"
NOW = datetime(2026, 3, 2, 9, 0, 0)
TODAY = date(2026, 3, 2)


@tagged("post_install", "-at_install")
class TestAudit(AssetCommon, HttpCase):
    """An HttpCase for its PDF: wkhtmltopdf fetches the report's assets from the
    test server, which serves requests only in the registry's test mode."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # WH/Stock holds Shelf A1 (with Bin 1 inside) and Shelf A2; the yard is out
        cls.bin_a1 = cls._location("Bin 1", cls.shelf_a)
        cls.shelf_a2 = cls._location("Shelf A2", cls.stock_a, barcode="SHELF-A2")
        cls.yard_a = cls._location("Yard", cls.warehouse_a.view_location_id)
        cls.category_a.audit_interval_days = 90
        cls.category_yearly = cls.env["stock.asset.category"].create(
            {
                "name": "Vehicles A",
                "company_id": cls.company_a.id,
                "audit_interval_days": 365,
            }
        )

        def asset(code, location, **vals):
            vals.setdefault("state", "in_use")
            vals.setdefault("category_id", cls.category_a.id)
            return cls._asset(
                code=code, name=f"Asset {code}", location_id=location.id, **vals
            )

        cls.a1 = asset("AU-1", cls.shelf_a)  # found where expected
        cls.a2 = asset("AU-2", cls.shelf_a)  # found in a bin of its shelf
        cls.a3 = asset("AU-3", cls.shelf_a2)  # found on the other shelf
        cls.a4 = asset("AU-4", cls.shelf_a2)  # never seen: missing
        cls.a5 = asset("AU-5", cls.yard_a, category_id=cls.category_yearly.id)
        cls.a6 = asset("AU-6", cls.shelf_a, state="disposed")  # not expected
        cls.a7 = asset("AU-7", cls.shelf_a2)  # checked out below
        cls.a8 = asset("AU-8", cls.shelf_a2, state="draft")  # not in service
        cls.a_nocat = asset("AU-9", cls.shelf_a, category_id=False)
        cls.b1 = cls._asset(
            code="AU-B1",
            name="Asset B",
            company_id=cls.company_b.id,
            location_id=cls.stock_b.id,
            state="in_use",
        )
        # held by someone: with its holder, so never reported lost
        cls.a7.action_checkout(cls.holder_a)
        cls.register = "original_value" in cls.env["stock.asset"]._fields
        if cls.register:
            cls.a4.original_value = 1200.0

    # helpers -----------------------------------------------------------------------
    def _audit(self, user=None, **vals):
        vals.setdefault("location_ids", [Command.set(self.stock_a.ids)])
        vals.setdefault("company_id", self.company_a.id)
        vals.setdefault("date_due", date(2026, 3, 31))
        Audit = self.env["stock.asset.audit"].with_user(user or self.user_a)
        return Audit.with_company(vals["company_id"]).create(vals)

    def _started(self):
        audit = self._audit()
        audit.action_start()
        return audit

    @staticmethod
    def _item(asset_or_code, location, seen=NOW, count=1):
        if isinstance(asset_or_code, str):
            code, asset_id = asset_or_code, None
        else:
            code, asset_id = asset_or_code.code, asset_or_code.id
        return {
            "code": code,
            "asset_id": asset_id,
            "location_id": location.id,
            "seen": seen,
            "count": count,
        }

    def _line(self, audit, asset):
        return audit.line_ids.filtered(lambda line: line.asset_id == asset)

    def assertLine(self, audit, asset, **values):
        """The line of ``asset`` in ``audit`` has ``values``."""
        self.assertRecordValues(self._line(audit, asset), [values])

    def _record(self, items, audit=None, user=None):
        user = user or self.user_a
        Audit = audit.with_user(user) if audit else self.env["stock.asset.audit"]
        return Audit.with_user(user)._record_scans(items, user=user)

    # snapshot ------------------------------------------------------------------------
    @freeze_time(FROZEN)
    def test_start_snapshots_expected_assets(self):
        sequence = self.env.ref("stock_asset_tracking.seq_stock_asset_audit")
        number = sequence.number_next_actual
        audit = self._audit()
        self.assertEqual(audit.name, f"AUD/2026/{number:04d}")
        self.assertRecordValues(audit, [{"state": "draft", "expected_count": 0}])
        audit.action_start()
        self.assertRecordValues(
            audit,
            [
                {
                    "state": "in_progress",
                    "date_start": NOW,
                    "expected_count": 7,
                    "pending_count": 7,
                    "found_count": 0,
                    "progress": 0.0,
                }
            ],
        )
        # active, not disposed, inside WH/Stock (shelves and bins): not the yard,
        # not the disposed asset, not the other company's asset
        self.assertEqual(
            audit.line_ids.asset_id,
            self.a1 | self.a2 | self.a3 | self.a4 | self.a7 | self.a8 | self.a_nocat,
        )
        self.assertLine(
            audit,
            self.a3,
            code="AU-3",
            expected=True,
            expected_location_id=self.shelf_a2.id,
            found_location_id=False,
            scan_count=0,
            status="pending",
            company_id=self.company_a.id,
        )
        with self.assertRaisesRegex(UserError, "Cannot start"):
            audit.action_start()

    @freeze_time(FROZEN)
    def test_started_audit_keeps_its_scope(self):
        audit = self._started()
        with self.assertRaisesRegex(UserError, "cannot change"):
            audit.location_ids = [Command.set(self.shelf_a.ids)]
        with self.assertRaisesRegex(UserError, "Only draft or cancelled audits"):
            audit.with_user(self.manager_a).unlink()

    # scans -------------------------------------------------------------------------
    @freeze_time(FROZEN)
    def test_scans_found_elsewhere_unknown(self):
        audit = self._started()
        outcomes = self._record(
            [
                self._item(self.a1, self.shelf_a, count=3),
                self._item(self.a2, self.bin_a1),
                self._item(self.a3, self.shelf_a),
                self._item(self.a5, self.shelf_a2),
                self._item("NOT-AN-ASSET", self.shelf_a2, count=2),
            ]
        )
        shelf, shelf2 = self.shelf_a.complete_name, self.shelf_a2.complete_name
        yard, bin1 = self.yard_a.complete_name, self.bin_a1.complete_name
        name = audit.name
        self.assertEqual(
            outcomes,
            {
                "AU-1": ("found", f"{name}: found at {shelf}"),
                "AU-2": ("found", f"{name}: found at {bin1}"),
                "AU-3": (
                    "found_elsewhere",
                    f"{name}: expected at {shelf2}, found at {shelf}",
                ),
                "AU-5": (
                    "found_elsewhere",
                    f"{name}: not expected here (recorded at {yard}), "
                    f"found at {shelf2}",
                ),
                "NOT-AN-ASSET": (
                    "unknown",
                    f"{name}: no asset has this code; recorded as unknown at "
                    f"{shelf2}",
                ),
            },
        )
        self.assertRecordValues(
            audit.line_ids.sorted("code"),
            [
                {
                    "code": "AU-1",
                    "expected": True,
                    "found_location_id": self.shelf_a.id,
                    "found_date": NOW,
                    "scan_count": 3,
                    "status": "found",
                },
                {
                    "code": "AU-2",
                    "expected": True,
                    "found_location_id": self.bin_a1.id,
                    "found_date": NOW,
                    "scan_count": 1,
                    "status": "found",
                },
                {
                    "code": "AU-3",
                    "expected": True,
                    "found_location_id": self.shelf_a.id,
                    "found_date": NOW,
                    "scan_count": 1,
                    "status": "found_elsewhere",
                },
                {
                    "code": "AU-4",
                    "expected": True,
                    "found_location_id": False,
                    "found_date": False,
                    "scan_count": 0,
                    "status": "pending",
                },
                {
                    "code": "AU-5",
                    "expected": False,
                    "found_location_id": self.shelf_a2.id,
                    "found_date": NOW,
                    "scan_count": 1,
                    "status": "found_elsewhere",
                },
                {
                    "code": "AU-7",
                    "expected": True,
                    "found_location_id": False,
                    "found_date": False,
                    "scan_count": 0,
                    "status": "pending",
                },
                {
                    "code": "AU-8",
                    "expected": True,
                    "found_location_id": False,
                    "found_date": False,
                    "scan_count": 0,
                    "status": "pending",
                },
                {
                    "code": "AU-9",
                    "expected": True,
                    "found_location_id": False,
                    "found_date": False,
                    "scan_count": 0,
                    "status": "pending",
                },
                {
                    "code": "NOT-AN-ASSET",
                    "expected": False,
                    "found_location_id": self.shelf_a2.id,
                    "found_date": NOW,
                    "scan_count": 2,
                    "status": "unknown",
                },
            ],
        )
        self.assertEqual(self._line(audit, self.a5).expected_location_id, self.yard_a)
        self.assertRecordValues(
            audit,
            [
                {
                    "expected_count": 7,
                    "found_count": 2,
                    "found_elsewhere_count": 2,
                    "pending_count": 4,
                    "unknown_count": 1,
                    # AU-1, AU-2, AU-3 of the 7 expected
                    "progress": 300 / 7,
                }
            ],
        )
        # scans never move assets: relocating is a decision
        self.assertEqual(self.a3.location_id, self.shelf_a2)

    @freeze_time(FROZEN)
    def test_latest_read_wins(self):
        audit = self._started()
        later = datetime(2026, 3, 2, 8, 30)
        earlier = datetime(2026, 3, 2, 8, 0)
        self._record([self._item(self.a3, self.shelf_a, seen=later)])
        # an older read elsewhere counts, but does not change where it was found;
        # then a newer read where expected: found
        for seen, status, found_location, found_date, scan_count in (
            (earlier, "found_elsewhere", self.shelf_a, later, 2),
            (NOW, "found", self.shelf_a2, NOW, 3),
        ):
            outcome = self._record([self._item(self.a3, self.shelf_a2, seen=seen)])
            self.assertEqual(outcome["AU-3"][0], status)
            self.assertLine(
                audit,
                self.a3,
                found_location_id=found_location.id,
                found_date=found_date,
                scan_count=scan_count,
                status=status,
            )
        # two codes of the unknown tag and the same asset twice in one call
        outcome = self._record(
            [
                self._item("LOOSE-TAG", self.shelf_a, seen=earlier),
                self._item("LOOSE-TAG", self.shelf_a2, seen=later),
            ]
        )
        unknown = audit.line_ids.filtered(lambda line: line.code == "LOOSE-TAG")
        self.assertRecordValues(
            unknown,
            [
                {
                    "asset_id": False,
                    "status": "unknown",
                    "scan_count": 2,
                    "found_location_id": self.shelf_a2.id,
                    "found_date": later,
                }
            ],
        )

    @freeze_time(FROZEN)
    def test_scan_outside_audit_is_reported_not_counted(self):
        audit = self._started()
        draft = self._audit(location_ids=[Command.set(self.yard_a.ids)])
        before = audit.line_ids.read(["status", "scan_count"])
        outcomes = self._record(
            [
                self._item(self.a4, self.yard_a),
                self._item("STRAY", self.yard_a),
                {"code": "NOWHERE", "asset_id": None, "location_id": None},
            ]
        )
        yard = self.yard_a.complete_name
        self.assertEqual(
            outcomes,
            {
                "AU-4": (
                    "outside_audit",
                    f"location {yard} is not part of an open audit",
                ),
                "STRAY": (
                    "outside_audit",
                    f"location {yard} is not part of an open audit",
                ),
                "NOWHERE": ("no_location", "no location: an audit scan needs one"),
            },
        )
        self.assertEqual(audit.line_ids.read(["status", "scan_count"]), before)
        self.assertFalse(draft.line_ids)
        # called on an audit, scans count toward that audit only
        other = self._audit(location_ids=[Command.set(self.shelf_a.ids)])
        other.action_start()
        outcomes = self._record([self._item(self.a1, self.shelf_a)], audit=other)
        self.assertEqual(outcomes["AU-1"][0], "found")
        self.assertEqual(self._line(other, self.a1).status, "found")
        self.assertEqual(self._line(audit, self.a1).status, "pending")
        # called on the model, in every open audit of the place
        outcomes = self._record([self._item(self.a2, self.shelf_a)])
        self.assertEqual(
            outcomes["AU-2"],
            (
                "found",
                f"{audit.name}: found at {self.shelf_a.complete_name}; "
                f"{other.name}: found at {self.shelf_a.complete_name}",
            ),
        )

    @freeze_time(FROZEN)
    def test_scan_wizard(self):
        audit = self._started()
        action = audit.with_user(self.user_a).action_open_scan_wizard()
        self.assertEqual(action["res_model"], "stock.asset.audit.scan")
        wizard = (
            self.env["stock.asset.audit.scan"]
            .with_user(self.user_a)
            .with_context(**action["context"])
            .create(
                {
                    "location_id": self.shelf_a.id,
                    "codes": "AU-1\n  AU-1 \n\nAU-3\nGHOST-7\n(01)0",
                }
            )
        )
        self.assertEqual(wizard.audit_id, audit)
        action = wizard.action_record()
        self.assertEqual(action["res_id"], wizard.id)
        self.assertLine(
            audit,
            self.a1,
            status="found",
            scan_count=2,
            found_location_id=self.shelf_a.id,
        )
        self.assertEqual(self._line(audit, self.a3).status, "found_elsewhere")
        ghost = audit.line_ids.filtered(lambda line: line.code == "GHOST-7")
        self.assertEqual(ghost.status, "unknown")
        self.assertFalse(wizard.codes)
        self.assertIn(
            "4 codes: 1 found, 1 found elsewhere, 1 unknown, "
            "1 not counted or invalid.",
            wizard.result,
        )
        self.assertIn("<code>GHOST-7</code>", wizard.result)
        with self.assertRaisesRegex(UserError, "at least one code"):
            wizard.action_record()

    @freeze_time(FROZEN)
    def test_items_from_scan_batch(self):
        """The scan endpoint's per-code results feed ``_record_scans``."""
        audit = self._started()
        batch = (
            self.env["stock.asset.scan.batch"]
            .sudo()
            .create(
                {
                    "name": "audit-batch-1",
                    "company_id": self.company_a.id,
                    "user_id": self.user_a.id,
                    "mode": "audit",
                }
            )
        )
        payload = {
            "location": "SHELF-A1",
            "reads": [
                {"code": "AU-1", "timestamp": "2026-03-02T08:00:00Z"},
                {"code": "AU-1", "timestamp": "2026-03-02T08:01:00Z"},
                {"code": "FOREIGN-1", "timestamp": "2026-03-02T08:02:00Z"},
            ],
        }
        context = batch._prepare_context(payload)
        codes, order = batch._collapse_reads(payload["reads"], context)
        results = batch._resolve(codes, order, context)
        Audit = self.env["stock.asset.audit"]
        items = Audit._items_from_scan_results(results)
        self.assertEqual(
            items,
            [
                {
                    "code": "AU-1",
                    "asset_id": self.a1.id,
                    "location_id": self.shelf_a.id,
                    "seen": datetime(2026, 3, 2, 8, 1),
                    "count": 2,
                },
                {
                    "code": "FOREIGN-1",
                    "asset_id": None,
                    "location_id": self.shelf_a.id,
                    "seen": datetime(2026, 3, 2, 8, 2),
                    "count": 1,
                },
            ],
        )
        outcomes = Audit.with_user(self.user_a)._record_scans(
            items, context["location"], self.user_a
        )
        self.assertEqual(
            {code: status for code, (status, _message) in outcomes.items()},
            {"AU-1": "found", "FOREIGN-1": "unknown"},
        )
        self.assertEqual(self._line(audit, self.a1).scan_count, 2)

    # relocate ----------------------------------------------------------------------
    @freeze_time(FROZEN)
    def test_relocate_found_elsewhere(self):
        audit = self._started()
        self._record(
            [
                self._item(self.a1, self.shelf_a),
                self._item(self.a3, self.shelf_a),
                self._item(self.a5, self.bin_a1),
                self._item("UNTAGGED", self.shelf_a),
            ]
        )
        lines = audit.line_ids.with_user(self.user_a)
        with self.assertRaisesRegex(UserError, "Select assets found elsewhere"):
            lines.filtered(lambda line: line.status != "found_elsewhere")[
                :1
            ].action_relocate()
        self.assertTrue(lines.action_relocate())
        self.assertEqual(self.a3.location_id, self.shelf_a)
        self.assertEqual(self.a5.location_id, self.bin_a1)
        self.assertEqual(self.a1.location_id, self.shelf_a)
        self.assertRecordValues(
            lines.filtered("relocated").sorted("code"),
            [
                {"code": "AU-3", "status": "found_elsewhere"},
                {"code": "AU-5", "status": "found_elsewhere"},
            ],
        )
        with self.assertRaisesRegex(UserError, "Select assets found elsewhere"):
            lines.action_relocate()

    # close ---------------------------------------------------------------------------
    @freeze_time(FROZEN)
    def test_close_without_marking_lost(self):
        audit = self._started()
        self._record(
            [
                self._item(self.a1, self.shelf_a),
                self._item(self.a3, self.shelf_a),
                self._item(self.a5, self.shelf_a),
                self._item(self.a_nocat, self.shelf_a),
            ]
        )
        audit.with_user(self.user_a).action_close()
        self.assertRecordValues(
            audit,
            [
                {
                    "state": "done",
                    "date_done": NOW,
                    "found_count": 2,
                    "found_elsewhere_count": 2,
                    "pending_count": 0,
                    "missing_count": 4,
                }
            ],
        )
        self.assertEqual(
            audit.line_ids.filtered(lambda line: line.status == "missing").asset_id,
            self.a2 | self.a4 | self.a7 | self.a8,
        )
        self.assertRecordValues(
            self.a1 | self.a3 | self.a5 | self.a_nocat | self.a4,
            [
                {
                    "last_audit_date": TODAY,
                    "next_audit_date": date(2026, 5, 31),
                    "state": "in_use",
                },
                {
                    "last_audit_date": TODAY,
                    "next_audit_date": date(2026, 5, 31),
                    "state": "in_use",
                },
                # its category audits yearly
                {
                    "last_audit_date": TODAY,
                    "next_audit_date": date(2027, 3, 2),
                    "state": "in_use",
                },
                # no category: no next audit
                {
                    "last_audit_date": TODAY,
                    "next_audit_date": False,
                    "state": "in_use",
                },
                # missing: neither audited nor reported lost
                {"last_audit_date": False, "next_audit_date": False, "state": "in_use"},
            ],
        )
        self.assertFalse(
            self.env["mail.activity"].search(
                [("res_model", "=", "stock.asset"), ("res_id", "=", self.a4.id)]
            )
        )
        self.assertIn(
            "Audit closed: 2 found, 2 found elsewhere, 4 missing (0 reported lost), "
            "0 unknown codes.",
            audit.message_ids[0].body,
        )
        # done: no more scans, no second close
        outcomes = self._record([self._item(self.a2, self.shelf_a)])
        self.assertEqual(outcomes["AU-2"][0], "outside_audit")
        with self.assertRaisesRegex(UserError, "Cannot close"):
            audit.action_close()

    @freeze_time(FROZEN)
    def test_close_marking_lost(self):
        audit = self._started()
        self._record([self._item(self.a1, self.shelf_a)])
        action = audit.with_user(self.user_a).action_open_close_wizard()
        wizard = (
            self.env["stock.asset.audit.close"]
            .with_user(self.user_a)
            .with_context(**action["context"])
            .create({"mark_lost": True})
        )
        self.assertEqual(wizard.pending_count, 6)
        wizard.action_confirm()
        self.assertEqual(audit.state, "done")
        # in use and held by no one: lost; held (with its holder) or draft: not
        self.assertRecordValues(
            self.a1 | self.a2 | self.a3 | self.a4 | self.a7 | self.a8 | self.a_nocat,
            [
                {"state": "in_use"},
                {"state": "lost"},
                {"state": "lost"},
                {"state": "lost"},
                {"state": "in_use"},
                {"state": "draft"},
                {"state": "lost"},
            ],
        )
        lost = self.a2 | self.a3 | self.a4 | self.a_nocat
        self.assertEqual(audit.line_ids.filtered("marked_lost").asset_id, lost)
        self.assertIn("(4 reported lost)", audit.message_ids[0].body)
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "stock.asset"), ("res_id", "in", lost.ids)]
        )
        if not self.register:
            self.assertFalse(activities)
            return
        # only the asset in the register (with a value), for the accountant of its
        # company
        self.assertRecordValues(
            activities,
            [
                {
                    "res_id": self.a4.id,
                    "user_id": self.accountant_a.id,
                    "activity_type_id": self.env.ref(
                        "stock_asset_tracking.mail_activity_type_asset_lost"
                    ).id,
                    "summary": "Lost in audit: AU-4",
                    "date_deadline": TODAY,
                }
            ],
        )
        # never twice for the same asset and accountant
        self.env["stock.asset.audit"]._schedule_lost_activities(self.a4)
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [("res_model", "=", "stock.asset"), ("res_id", "=", self.a4.id)]
            ),
            1,
        )

    # report --------------------------------------------------------------------------
    def test_report(self):
        with freeze_time(FROZEN):
            audit = self._started()
            self._record(
                [
                    self._item(self.a1, self.shelf_a),
                    self._item(self.a3, self.shelf_a),
                    self._item("GHOST-9", self.shelf_a),
                ]
            )
            audit.action_close()
        Report = self.env["ir.actions.report"]
        html, kind = Report._render_qweb_html(
            "stock_asset_tracking.stock_asset_audit_report_action", audit.ids
        )
        self.assertEqual(kind, "html")
        html = re.sub(r"\s+", " ", html.decode())
        self.assertIn(f"<h2> Audit <span>{audit.name}</span> </h2>", html)
        for title in ("Found Where Expected", "Found Elsewhere", "Missing"):
            self.assertIn(title, html)
        # expected, found, elsewhere, missing, unknown, found %
        totals = html.split("o_audit_totals", 1)[1].split("</tbody>", 1)[0]
        cells = re.findall(r"<td[^>]*>([^<]*)</td>", totals)
        self.assertEqual(cells, ["7", "1", "1", "5", "1", "28.6"])
        sections = re.findall(r'<h5 class="mt-4"> (.+?) <span[^>]*>\((\d+)\)', html)
        self.assertEqual(
            sections,
            [
                ("Found Where Expected", "1"),
                ("Found Elsewhere", "1"),
                ("Missing", "5"),
                ("Unknown Codes", "1"),
            ],
        )
        self.assertIn("<span>GHOST-9</span>", html)
        self.assertIn(self.holder_a.name, html)  # the held, missing asset
        # the PDF itself, through wkhtmltopdf (whose stderr notes about its
        # unpatched Qt Odoo logs as warnings: muted, they are the host's)
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            pdf, kind = Report.with_context(
                force_report_rendering=True
            )._render_qweb_pdf(
                "stock_asset_tracking.stock_asset_audit_report_action", audit.ids
            )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF-"))

    # security ----------------------------------------------------------------------
    @freeze_time(FROZEN)
    def test_cancel_and_reset_are_for_managers(self):
        audit = self._started()
        self._record([self._item(self.a1, self.shelf_a)])
        with self.assertRaises(AccessError):
            audit.with_user(self.user_a).action_cancel()
        audit.with_user(self.manager_a).action_cancel()
        self.assertEqual(audit.state, "cancel")
        self.assertEqual(
            self._record([self._item(self.a2, self.shelf_a)])["AU-2"][0],
            "outside_audit",
        )
        audit.with_user(self.manager_a).action_reset_to_draft()
        self.assertRecordValues(audit, [{"state": "draft", "expected_count": 0}])
        self.assertFalse(audit.line_ids)
        audit.with_user(self.manager_a).unlink()
        self.assertFalse(audit.exists())

    @freeze_time(FROZEN)
    def test_accountant_reads_only(self):
        audit = self._started()
        as_accountant = audit.with_user(self.accountant_a)
        self.assertEqual(as_accountant.expected_count, 7)
        # the accountant group includes the user group: reading is the floor
        self.assertTrue(
            self.env["stock.asset.audit"]
            .with_user(self.accountant_a)
            .has_access("read")
        )
        with self.assertRaises(AccessError):
            self.env["stock.asset.audit"].with_user(self.stock_user_a).search([])

    @freeze_time(FROZEN)
    def test_company_isolation(self):
        audit = self._started()
        Audit_b = self.env["stock.asset.audit"].with_user(self.user_b)
        self.assertFalse(Audit_b.search([("id", "=", audit.id)]))
        self.assertFalse(
            self.env["stock.asset.audit.line"]
            .with_user(self.user_b)
            .search([("audit_id", "=", audit.id)])
        )
        with self.assertRaises(AccessError):
            audit.with_user(self.user_b).read(["name"])
        # a reader of company B scanning at A's shelf counts in no audit
        outcomes = self._record(
            [self._item(self.b1, self.shelf_a), self._item("STRAY", self.shelf_a)],
            user=self.user_b,
        )
        self.assertEqual(
            {code: status for code, (status, _message) in outcomes.items()},
            {"AU-B1": "outside_audit", "STRAY": "outside_audit"},
        )
        # a user of both companies: B's asset does not count in A's audit
        self.user_a.sudo().company_ids = [Command.link(self.company_b.id)]
        outcomes = self._record([self._item(self.b1, self.shelf_a)])
        self.assertEqual(outcomes["AU-B1"][0], "outside_audit")
        self.assertFalse(self._line(audit, self.b1))
        # an audit of company A cannot name B's locations
        with self.assertRaises(UserError):
            self._audit(location_ids=[Command.set(self.stock_b.ids)])
