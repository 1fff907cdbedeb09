# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The record cannot be rewritten around its rules (issue 14, item 4): an asset's
status, the custody ledger, scan observations and audit results change through
their flows only, for asset users and scanning devices alike, in the ORM and over
XML-RPC; context keys sent over RPC switch no rule off; administrators correct
through explicit actions that leave a trace."""

import xmlrpc.client
from contextlib import contextmanager
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.scan.stock_asset_scan_batch import canonical_json, payload_hash
from .common import ASSET_MANAGER, ASSET_USER, company_user
from .scan_common import ScanApiCommon
from .test_register_common import RegisterCommon

STATE_REFUSED = (
    r"^The status of A-00001 cannot be set to Disposed directly: an asset's status "
    r"changes through its actions only"
)
RECORDED_REFUSED = (
    r"^Custody of A-00001: .* cannot be written by hand; they are recorded by the "
    r"check-out, the check-in and the holder's own acknowledgement\.$"
)
OBSERVATION_REFUSED = r"^Observations .* are scan evidence and cannot be changed"
LINE_REFUSED = r"^Audit lines A-00002 are counted results and cannot be changed"
# every rule switch that existed as a context key before issue 14
OLD_SWITCHES = {
    "asset_custody_checked": True,
    "stock_asset_register_change": True,
    "scan_batch_read_locations": True,
    "tracking_disable": True,
}


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 12:00:00")
class TestRecordIntegrity(ScanApiCommon):
    openapi_check = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company_a
        cls.user = company_user(cls.env, "integrity_user_a", company, ASSET_USER)
        cls.manager = company_user(
            cls.env, "integrity_manager_a", company, ASSET_MANAGER
        )
        cls.holder_user = company_user(cls.env, "integrity_holder_a", company)
        cls.holder = cls.holder_user.partner_id
        cls.user_key = cls._api_key(cls.user)
        cls.asset, cls.asset_2 = cls.assets[:2]
        (cls.asset | cls.asset_2).action_confirm()

    # helpers -------------------------------------------------------------------------
    def rpc(self, model, method, args, kwargs=None, user=None, key=None):
        """``execute_kw`` over real XML-RPC with an API key (the asset user's)."""
        user = user or self.user
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            user.id,
            key or self.user_key,
            model,
            method,
            args,
            kwargs or {},
        )

    @contextmanager
    def assertRpcRefused(self, text):
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            yield
        self.assertIn(text, caught.exception.faultString)
        self.env.invalidate_all()

    @contextmanager
    def assertRefused(self, exception, regex):
        with self.assertRaisesRegex(exception, regex), self.env.cr.savepoint():
            yield

    def _scan(self, batch_id, codes, location, mode="observe", key=None):
        status, body, _response = self.post(
            "/batches",
            {
                "batch_id": batch_id,
                "location": location,
                "mode": mode,
                "reads": [
                    {"code": code, "timestamp": "2026-11-24T10:00:00Z"}
                    for code in codes
                ],
            },
            key=key,
        )
        self.assertEqual(status, 200, body)
        return body

    # the asset's status -----------------------------------------------------------
    def test_state_changes_through_the_actions_only(self):
        for user in (self.user, self.reader_user, self.manager):
            with self.assertRefused(UserError, STATE_REFUSED):
                self.asset.with_user(user).write({"state": "disposed"})
            with self.assertRefused(UserError, STATE_REFUSED):
                self.asset.with_user(user).with_context(**OLD_SWITCHES).write(
                    {"state": "disposed", "name": "Renamed"}
                )
        with self.assertRefused(UserError, r"cannot be created with the status Lost"):
            self.env["stock.asset"].with_user(self.user).create(
                {"name": "Ghost", "code": "G-1", "state": "lost"}
            )
        self.assertRecordValues(self.asset, [{"state": "in_use", "name": "Drill 1"}])
        # the same value is no change, and the other fields stay writable
        self.asset.with_user(self.user).write({"state": "in_use", "name": "Drill 1b"})
        # the actions apply their rules and change it, for users and over RPC
        self.asset.with_user(self.user).action_send_to_repair()
        self.assertEqual(self.asset.state, "in_repair")
        self.assertIs(
            self.rpc("stock.asset", "action_back_in_use", [self.asset.ids]), True
        )
        self.env.invalidate_all()
        self.assertEqual(self.asset.state, "in_use")
        new = (
            self.env["stock.asset"]
            .with_user(self.user)
            .create({"name": "New", "code": "N-1"})
        )
        self.assertEqual(new.state, "draft")
        new.with_user(self.user).action_confirm()
        self.assertEqual(new.state, "in_use")

    def test_state_over_xmlrpc_with_context_switches(self):
        with self.assertRpcRefused("The status of A-00001 cannot be set to Disposed"):
            self.rpc(
                "stock.asset",
                "write",
                [self.asset.ids, {"state": "disposed"}],
                {"context": OLD_SWITCHES},
            )
        self.assertEqual(self.asset.state, "in_use")
        with self.assertRpcRefused("cannot be created with the status Disposed"):
            self.rpc(
                "stock.asset",
                "create",
                [{"name": "Ghost", "code": "G-2", "state": "disposed"}],
            )
        self.assertFalse(self.env["stock.asset"].search([("code", "=", "G-2")]))
        # a scanning device's key is no RPC key at all (issue 14, item 5)
        with self.assertRaises(xmlrpc.client.Fault):
            self.rpc(
                "stock.asset",
                "write",
                [self.asset.ids, {"state": "disposed"}],
                user=self.reader_user,
                key=self.key,
            )
        self.env.invalidate_all()
        self.assertEqual(self.asset.state, "in_use")

    # the custody ledger -------------------------------------------------------------
    def test_custody_evidence_is_recorded_by_its_flows(self):
        self.asset.with_user(self.user).action_checkout(self.holder)
        custody = self.asset.custody_id
        self.assertRecordValues(
            custody,
            [
                {
                    "checkout_user_id": self.user.id,
                    "acknowledged_date": False,
                    "signed_by": False,
                }
            ],
        )
        forged = [
            {"acknowledged_date": "2026-11-24 11:00:00"},
            {"signed_by": "Someone", "signature": "R0lGODlhAQABAAAAACw="},
            {"checkout_user_id": self.manager.id},
            {"checkin_user_id": self.manager.id},
        ]
        for user in (self.user, self.reader_user, self.manager):
            for vals in forged:
                with self.assertRefused(UserError, RECORDED_REFUSED):
                    custody.with_user(user).with_context(**OLD_SWITCHES).write(vals)
        # the history of the holding: administrators only (tracked)
        with self.assertRefused(UserError, r"are the custody history"):
            custody.with_user(self.user).write({"date_from": "2026-11-01 08:00:00"})
        with self.assertRpcRefused("cannot be written by hand"):
            self.rpc(
                "stock.asset.custody",
                "write",
                [custody.ids, {"acknowledged_date": "2026-11-24 11:00:00"}],
            )
        with self.assertRaises(AccessError):
            custody.with_user(self.manager).unlink()
        self.assertRecordValues(
            custody,
            [
                {
                    "checkout_user_id": self.user.id,
                    "acknowledged_date": False,
                    "signed_by": False,
                    "date_from": self.asset.custody_date_from,
                }
            ],
        )
        # what users may still change on an open line
        custody.with_user(self.user).write(
            {"date_due": "2026-11-30 17:00:00", "note_out": "With its case."}
        )
        # the holder's own acknowledgement
        custody.with_user(self.holder_user).action_acknowledge()
        self.assertEqual(str(custody.acknowledged_date), "2026-11-24 12:00:00")
        # the check-in records who took it back
        self.asset.with_user(self.user).action_checkin()
        self.assertRecordValues(
            custody,
            [{"checkin_user_id": self.user.id, "state": "returned"}],
        )
        # an administrator's correction of the history is tracked
        custody.with_user(self.manager).write({"date_from": "2026-11-24 09:00:00"})
        self.assertEqual(str(custody.date_from), "2026-11-24 09:00:00")

    def test_custody_created_directly_obeys_the_rules(self):
        Custody = self.env["stock.asset.custody"].with_user(self.user)
        with self.assertRefused(UserError, r"cannot be created with Acknowledged On"):
            Custody.create(
                {
                    "asset_id": self.asset.id,
                    "holder_id": self.holder.id,
                    "acknowledged_date": "2026-11-24 11:00:00",
                }
            )
        with self.assertRefused(UserError, r"Only asset administrators may enter"):
            Custody.create(
                {
                    "asset_id": self.asset.id,
                    "holder_id": self.holder.id,
                    "date_from": "2026-11-01 08:00:00",
                    "date_returned": "2026-11-02 08:00:00",
                }
            )
        self.assertFalse(self.asset.custody_ids)

    def test_context_keys_over_rpc_skip_no_checkout_rule(self):
        self.asset_2.action_send_to_repair()
        with self.assertRpcRefused("A-00002 is in repair and cannot go out."):
            self.rpc(
                "stock.asset.custody",
                "create",
                [{"asset_id": self.asset_2.id, "holder_id": self.holder.id}],
                {"context": OLD_SWITCHES},
            )
        # the calibration refusal holds the same way
        category = self.env["stock.asset.category"].create(
            {
                "name": "Gauges",
                "company_id": self.company_a.id,
                "calibration_interval_days": 365,
            }
        )
        self.asset.category_id = category
        self.asset.action_withdraw_from_service()
        refusal = self.asset._get_calibration_refusals("checkout")[self.asset.id]
        self.assertEqual(refusal, "A-00001 cannot go out: it is out of service.")
        with self.assertRpcRefused(refusal):
            self.rpc(
                "stock.asset.custody",
                "create",
                [{"asset_id": self.asset.id, "holder_id": self.holder.id}],
                {"context": OLD_SWITCHES},
            )
        with self.assertRpcRefused(refusal):
            self.rpc(
                "stock.asset",
                "action_checkout",
                [self.asset.ids, self.holder.id],
                {"context": OLD_SWITCHES},
            )
        self.assertFalse((self.asset | self.asset_2).custody_ids)

    # scan observations -------------------------------------------------------------
    def test_observations_are_append_only(self):
        self._scan("integrity-1", [self.asset.epc], "A-SHELF-2")
        observation = self.env["stock.asset.observation"].search(
            [("asset_id", "=", self.asset.id)]
        )
        self.assertRecordValues(
            observation,
            [{"moved": True, "location_id": self.shelf_2.id, "voided": False}],
        )
        for user in (self.user, self.reader_user, self.manager):
            with self.assertRefused(UserError, OBSERVATION_REFUSED):
                observation.with_user(user).with_context(**OLD_SWITCHES).write(
                    {"location_id": self.dock.id}
                )
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                observation.with_user(user).unlink()
        with self.assertRpcRefused("scan evidence and cannot be changed"):
            self.rpc(
                "stock.asset.observation",
                "write",
                [observation.ids, {"moved": False}],
                {"context": OLD_SWITCHES},
            )
        with self.assertRaises(xmlrpc.client.Fault):
            self.rpc("stock.asset.observation", "unlink", [observation.ids])
        self.env.invalidate_all()
        self.assertRecordValues(
            observation,
            [{"moved": True, "location_id": self.shelf_2.id, "voided": False}],
        )
        # the triage of unknown codes still works for users
        self._scan("integrity-2", ["TAG-UNKNOWN-9"], "A-SHELF-1")
        unknown = self.env["stock.asset.observation"].search(
            [("code", "=", "TAG-UNKNOWN-9")]
        )
        self.assertIs(unknown.with_user(self.user).action_ignore(), True)
        self.assertEqual(unknown.triage_state, "ignored")

    def test_context_key_over_rpc_places_no_read(self):
        """Only the EPCIS poller places each read itself: a batch processed over
        RPC with the old context key still reads where the batch says."""
        payload = {
            "batch_id": "integrity-places",
            "device": None,
            "location": "A-SHELF-1",
            "mode": "observe",
            "reads": [
                {
                    "code": self.asset.epc,
                    "location_id": self.dock.id,
                    "timestamp": "2026-11-24T10:00:00Z",
                }
            ],
        }
        canonical = canonical_json(payload)
        batch = self.env["stock.asset.scan.batch"].create(
            {
                "name": "integrity-places",
                "company_id": self.company_a.id,
                "user_id": self.reader_user.id,
                "source": "native",
                "mode": "observe",
                "body_hash": payload_hash(payload, canonical),
                "payload": canonical,
                "state": "received",
                "read_count": 1,
            }
        )
        self.assertIs(
            self.rpc(
                "stock.asset.scan.batch",
                "action_process",
                [batch.ids],
                {"context": OLD_SWITCHES},
            ),
            True,
        )
        self.env.invalidate_all()
        self.assertEqual(batch.state, "done")
        self.assertRecordValues(
            self.env["stock.asset.observation"].search([("batch_id", "=", batch.id)]),
            [{"asset_id": self.asset.id, "location_id": self.shelf_1.id}],
        )
        self.assertEqual(self.asset.location_id, self.shelf_1)

    def _epcis_events(self):
        document = self.env["stock.asset.epcis.export"]._export_document(self.asset)
        return document["epcisBody"]["eventList"]

    def test_manager_voids_an_observation_with_a_trace(self):
        self._scan("integrity-3", [self.asset.epc], "A-DOCK")
        observation = self.env["stock.asset.observation"].search(
            [("asset_id", "=", self.asset.id)]
        )
        with self.assertRefused(AccessError, r"Only asset administrators may void"):
            observation.with_user(self.user).action_void("Wrong read")
        with self.assertRpcRefused("Only asset administrators may void"):
            self.rpc("stock.asset.observation", "action_void", [observation.ids, "x"])
        wizard = (
            self.env["stock.asset.observation.void"]
            .with_user(self.manager)
            .with_context(
                active_model="stock.asset.observation", active_ids=observation.ids
            )
            .create({"reason": "Read through the dock wall"})
        )
        self.assertEqual(wizard.observation_ids, observation)
        events_before = len(self._epcis_events())
        self.assertGreaterEqual(events_before, 1)
        wizard.action_void()
        self.assertRecordValues(
            observation,
            [
                {
                    "voided": True,
                    "void_reason": "Read through the dock wall",
                    "voided_by_id": self.manager.id,
                    "moved": False,
                    "location_id": self.dock.id,
                    "read_count": 1,
                }
            ],
        )
        self.assertNotIn(observation, self.asset.move_observation_ids)
        # a wrong read is no event of the asset's EPCIS history
        self.assertEqual(len(self._epcis_events()), events_before - 1)
        note = self.asset.message_ids.filtered(
            lambda message: "voided by" in (message.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertIn("Read through the dock wall", note.body)
        self.assertIn("moved: yes", note.body)
        self.assertIn(self.dock.display_name, note.body)
        with self.assertRefused(UserError, r"was already voided"):
            observation.with_user(self.manager).action_void("Again")

    # audits ---------------------------------------------------------------------------
    def _started_audit(self):
        audit = (
            self.env["stock.asset.audit"]
            .with_user(self.user)
            .create({"location_ids": [Command.set(self.stock_a.ids)]})
        )
        audit.action_start()
        self._scan("integrity-audit", [self.asset_2.epc], "A-SHELF-1", mode="audit")
        return audit

    def test_audit_results_are_append_only(self):
        audit = self._started_audit()
        line = audit.line_ids.filtered(lambda line: line.asset_id == self.asset_2)
        self.assertEqual(line.status, "found")
        for user in (self.user, self.reader_user, self.manager):
            with self.assertRefused(UserError, LINE_REFUSED):
                line.with_user(user).with_context(**OLD_SWITCHES).write(
                    {"status": "missing"}
                )
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                line.with_user(user).unlink()
            with self.assertRefused(UserError, r"change through the audit's actions"):
                audit.with_user(user).write({"state": "done"})
        with self.assertRefused(UserError, r"change through the audit's actions"):
            self.env["stock.asset.audit"].with_user(self.user).create(
                {"location_ids": [Command.set(self.stock_a.ids)], "state": "done"}
            )
        with self.assertRpcRefused("change through the audit's actions"):
            self.rpc(
                "stock.asset.audit",
                "write",
                [audit.ids, {"state": "cancel"}],
                {"context": OLD_SWITCHES},
            )
        with self.assertRaises(xmlrpc.client.Fault):
            self.rpc(
                "stock.asset.audit.line", "write", [line.ids, {"status": "missing"}]
            )
        self.env.invalidate_all()
        self.assertEqual(line.status, "found")
        self.assertEqual(audit.state, "in_progress")
        # closing (a user's action) still writes its results
        audit.with_user(self.user).action_close()
        self.assertRecordValues(
            audit.line_ids.sorted("code"),
            [
                {"code": "A-00001", "status": "missing"},
                {"code": "A-00002", "status": "found"},
                {"code": "A-00003", "status": "missing"},
                {"code": "A-00004", "status": "missing"},
                {"code": "A-00005", "status": "missing"},
            ],
        )
        self.assertEqual(audit.state, "done")

    def test_manager_corrects_an_audit_result_with_a_trace(self):
        audit = self._started_audit()
        audit.with_user(self.user).action_close()
        line = audit.line_ids.filtered(lambda line: line.code == "A-00001")
        self.assertEqual(line.status, "missing")
        with self.assertRefused(AccessError, r"Only asset administrators may correct"):
            line.with_user(self.user).action_correct("found", "In the van")
        wizard = (
            self.env["stock.asset.audit.line.correct"]
            .with_user(self.manager)
            .with_context(active_model="stock.asset.audit.line", active_ids=line.ids)
            .create({"status": "found", "reason": "Found in the van"})
        )
        wizard.action_correct()
        self.assertRecordValues(
            line,
            [
                {
                    "status": "found",
                    "corrected_by_id": self.manager.id,
                    "correction_note": "Missing before: Found in the van",
                }
            ],
        )
        self.assertEqual(audit.found_count, 2)
        note = audit.message_ids.filtered(
            lambda message: "corrected by" in (message.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertIn("A-00001", note.body)
        self.assertIn("from Missing to Found: Found in the van", note.body)


@tagged("post_install", "-at_install")
class TestRecordIntegrityRegister(RegisterCommon):
    def test_context_key_does_not_unfreeze_posted_values(self):
        asset = self._register_asset(
            original_value=1200.0, method_number=12, method_period="1"
        )
        asset.action_post_until(date(2026, 1, 31))
        as_accountant = asset.with_user(self.accountant_a).with_context(**OLD_SWITCHES)
        with (
            self.assertRaisesRegex(
                UserError,
                r"^Asset .* has posted depreciation: change its value or useful "
                r"life with Modify",
            ),
            self.env.cr.savepoint(),
        ):
            as_accountant.write({"original_value": 1500.0})
        self.assertEqual(asset.original_value, 1200.0)
        with (
            self.assertRaisesRegex(UserError, r"cannot be set to Disposed directly"),
            self.env.cr.savepoint(),
        ):
            as_accountant.write({"state": "disposed"})
        self.assertEqual(asset.state, "draft")
