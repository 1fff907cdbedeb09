# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The ``_bulk_*`` fast paths: each writes its own model's table, misses no stored
field, and applies the record rules and company checks of the ORM."""

from datetime import date, datetime, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import AssetCommon

MAGIC = {"id", "create_uid", "create_date", "write_uid", "write_date"}


@tagged("post_install", "-at_install")
class TestBulkMethods(AssetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category_a.audit_interval_days = 90
        cls.asset_b = cls._asset(name="Wrench B", company_id=cls.company_b.id)
        cls.user_ab = new_test_user(
            cls.env,
            login="asset_user_ab",
            groups="base.group_user,stock_asset_tracking.group_asset_user",
            company_id=cls.company_a.id,
            company_ids=[cls.company_a.id, cls.company_b.id],
        )

    def _twins(self):
        twins = (
            self._asset(category_id=self.category_a.id),
            self._asset(category_id=self.category_a.id),
        )
        self.env.flush_all()
        return twins

    def _assert_same_as_write(self, by_write, by_bulk):
        """Every stored field of the asset written by the fast path ends as the
        one written by ``write()`` (identity and log fields aside)."""
        self.env.flush_all()
        self.env.invalidate_all()
        Asset = self.env["stock.asset"]
        names = [
            name
            for name, field in Asset._fields.items()
            # identity: the tag, the description, the kit tree's path (its id)
            if field.store and name not in MAGIC | {"code", "name", "parent_path"}
        ]
        first, second = by_write.read(names)[0], by_bulk.read(names)[0]
        self.assertEqual(
            {name: second[name] for name in names if second[name] != first[name]},
            {},
        )

    # stock.asset._bulk_set_seen ---------------------------------------------------
    def test_set_seen_as_write(self):
        seen = datetime(2026, 3, 2, 10, 0, 0)
        by_write, by_bulk = self._twins()
        by_write.with_user(self.user_a).write(
            {"location_id": self.shelf_a.id, "last_seen_date": seen}
        )
        self.Asset.with_user(self.user_a)._bulk_set_seen(
            [by_bulk.id], [self.shelf_a.id], [seen]
        )
        self._assert_same_as_write(by_write, by_bulk)
        self.assertEqual(by_bulk.write_uid, self.user_a)
        self.assertEqual(by_bulk.location_id, self.shelf_a)
        # an older read and no zone: the asset stays, its last seen time too
        self.Asset._bulk_set_seen([by_bulk.id], [None], [seen - timedelta(hours=1)])
        self.assertEqual(by_bulk.location_id, self.shelf_a)
        self.assertEqual(by_bulk.last_seen_date, seen)

    def test_set_seen_rules_and_company(self):
        asset = self._asset(location_id=self.stock_a.id)
        with self.assertRaises(AccessError):
            self.Asset.with_user(self.user_b)._bulk_set_seen(
                [asset.id], [self.shelf_a.id], [datetime(2026, 3, 2)]
            )
        with self.assertRaisesRegex(UserError, "belong to another company"):
            self.Asset.with_user(self.user_ab)._bulk_set_seen(
                [asset.id], [self.stock_b.id], [datetime(2026, 3, 2)]
            )
        self.assertEqual(asset.location_id, self.stock_a)
        self.assertFalse(asset.last_seen_date)

    # stock.asset._bulk_set_audit_dates -------------------------------------------
    def test_set_audit_dates_as_write(self):
        day = date(2026, 3, 2)
        by_write, by_bulk = self._twins()
        by_write.with_user(self.user_a).write(
            {"last_audit_date": day, "next_audit_date": day + timedelta(days=90)}
        )
        self.Asset.with_user(self.user_a)._bulk_set_audit_dates([by_bulk.id], day)
        self._assert_same_as_write(by_write, by_bulk)
        self.assertEqual(by_bulk.next_audit_date, date(2026, 5, 31))

    def test_set_audit_dates_rules(self):
        with self.assertRaises(AccessError):
            self.Asset.with_user(self.user_a)._bulk_set_audit_dates(
                self.asset_b.ids, date(2026, 3, 2)
            )
        self.assertFalse(self.asset_b.last_audit_date)

    # stock.asset._bulk_set_calibration_states ------------------------------------
    def test_set_calibration_states_rules(self):
        with self.assertRaises(AccessError):
            self.Asset.with_user(self.user_a)._bulk_set_calibration_states(
                {self.asset_b.id: "overdue"}
            )
        self.assertEqual(self.asset_b.calibration_state, "none")
        self.Asset.with_user(self.user_b)._bulk_set_calibration_states(
            {self.asset_b.id: "overdue"}
        )
        self.assertEqual(self.asset_b.calibration_state, "overdue")
        # the daily recomputation puts the rule's status back
        Schedule = self.env["stock.asset.calibration.schedule"]
        self.assertIn(self.asset_b.id, Schedule._recompute_calibration_states())
        self.assertEqual(self.asset_b.calibration_state, "none")

    # stock.asset.observation._bulk_create ----------------------------------------
    def _stored_left_out(self, model, written):
        Model = self.env[model]
        return {
            name
            for name, field in Model._fields.items()
            if field.store
            and name not in MAGIC
            and name not in written
            and field.default is None
        }

    def test_observation_columns(self):
        Observation = self.env["stock.asset.observation"]
        self.assertEqual(
            self._stored_left_out(Observation._name, Observation._bulk_columns),
            set(),
        )

    def _batch(self, company):
        return self.env["stock.asset.scan.batch"].create(
            {"name": f"bulk-{company.id}", "company_id": company.id}
        )

    def _observation(self, batch, asset, company, **extra):
        return {
            "batch_id": batch.id,
            "company_id": company.id,
            "asset_id": asset.id,
            "code": asset.code,
            "status": "matched",
            "last_seen": datetime(2026, 3, 2, 10, 0, 0),
            **extra,
        }

    def test_observation_bulk_create(self):
        asset = self._asset()
        batch = self._batch(self.company_a)
        Observation = self.env["stock.asset.observation"].with_user(self.user_a)
        rows = [self._observation(batch, asset, self.company_a, rssi=-51.5)]
        self.assertEqual(Observation._bulk_create(rows), 1)
        observation = Observation.search([("batch_id", "=", batch.id)])
        self.assertRecordValues(
            observation,
            [
                {
                    "asset_id": asset.id,
                    "company_id": self.company_a.id,
                    "code": asset.code,
                    "status": "matched",
                    "rssi": -51.5,
                    "voided": False,
                    "triage_state": False,
                    "create_uid": self.user_a.id,
                    "write_uid": self.user_a.id,
                }
            ],
        )

    def test_observation_rules_and_company(self):
        asset = self._asset()
        batch = self._batch(self.company_a)
        Observation = self.env["stock.asset.observation"]
        with self.assertRaises(AccessError):
            Observation.with_user(self.user_b)._bulk_create(
                [self._observation(batch, asset, self.company_a)]
            )
        with self.assertRaisesRegex(UserError, "must be of their asset's company"):
            Observation.with_user(self.user_ab)._bulk_create(
                [self._observation(batch, asset, self.company_b)]
            )
        with self.assertRaisesRegex(UserError, "no column voided_by"):
            Observation._bulk_create(
                [self._observation(batch, asset, self.company_a, voided_by=1)]
            )
        self.assertFalse(Observation.search([("batch_id", "=", batch.id)]))

    # stock.asset.depreciation.line._insert_draft_lines ---------------------------
    def test_depreciation_columns(self):
        Line = self.env["stock.asset.depreciation.line"]
        self.assertEqual(
            self._stored_left_out(
                Line._name, Line._bulk_columns + Line._bulk_empty_columns
            ),
            set(),
        )

    def _line_row(self, asset, company, day=date(2026, 1, 31)):
        return (asset.id, company.id, self.category_a.id, day, 100.0, 100.0, 1100.0)

    def test_depreciation_insert(self):
        asset = self._asset(category_id=self.category_a.id)
        Line = self.env["stock.asset.depreciation.line"].with_user(self.accountant_a)
        Line._insert_draft_lines([self._line_row(asset, self.company_a)])
        self.assertRecordValues(
            Line.search([("asset_id", "=", asset.id)]),
            [
                {
                    "company_id": self.company_a.id,
                    "date": date(2026, 1, 31),
                    "amount": 100.0,
                    "cumulative_amount": 100.0,
                    "remaining_value": 1100.0,
                    "state": "draft",
                    "move_id": False,
                    "create_uid": self.accountant_a.id,
                }
            ],
        )

    def test_depreciation_rules_and_company(self):
        Line = self.env["stock.asset.depreciation.line"]
        with self.assertRaises(AccessError):
            Line.with_user(self.accountant_a)._insert_draft_lines(
                [self._line_row(self.asset_b, self.company_b)]
            )
        asset = self._asset()
        with self.assertRaisesRegex(UserError, asset.code):
            Line._insert_draft_lines([self._line_row(asset, self.company_b)])
        self.assertFalse(Line.search([("asset_id", "in", (asset | self.asset_b).ids)]))

    # stock.asset._find_by_scan_keys: the record rules --------------------------
    def test_scan_keys_record_rules(self):
        Asset = self.env["stock.asset"]
        asset = self._asset(name="Visible")
        hidden = self._asset(name="Hidden")
        wanted = {"code": {asset.code, hidden.code, self.asset_b.code}}
        everything = [self.company_a.id, self.company_b.id]
        found = Asset.with_user(self.user_ab)._find_by_scan_keys(wanted, everything)
        self.assertEqual(
            {key[1] for key in found}, {asset.code, hidden.code, self.asset_b.code}
        )
        # a user of company A only: company B's asset is out of reach
        found = Asset.with_user(self.user_a)._find_by_scan_keys(wanted, everything)
        self.assertEqual({key[1] for key in found}, {asset.code, hidden.code})
        # a rule added later applies to the lookup with no change of its code
        self.env["ir.rule"].create(
            {
                "name": "No hidden assets",
                "model_id": self.env["ir.model"]._get_id("stock.asset"),
                "domain_force": "[('name', '!=', 'Hidden')]",
                "groups": [(4, self.env.ref("base.group_user").id)],
            }
        )
        found = Asset.with_user(self.user_a)._find_by_scan_keys(wanted, everything)
        self.assertEqual(
            dict(found),
            {
                ("code", asset.code): [
                    {
                        "id": asset.id,
                        "code": asset.code,
                        "company_id": self.company_a.id,
                    }
                ]
            },
        )
        hidden.active = False
        found = Asset._find_by_scan_keys({"code": {hidden.code}}, everything)
        self.assertEqual(dict(found), {})

    def test_scan_keys_select_as_search(self):
        """A key column's select finds what the ORM's ``in`` finds, an unknown
        key nothing, an empty one what the domain means (the assets without)."""
        Asset = self.env["stock.asset"]
        tagged_1 = self._asset(epc="3474257BF400000000000A01")
        tagged_2 = self._asset(epc="3474257BF400000000000A02")
        self._asset(name="No EPC")
        companies = [self.company_a.id, self.company_b.id]
        for values in (
            {tagged_1.epc, tagged_2.epc, "3474257BF400000000000A03"},
            {tagged_1.epc, ""},
        ):
            found = Asset._find_by_scan_keys({"epc": values}, companies)
            self.assertEqual(
                sorted(asset["id"] for assets in found.values() for asset in assets),
                Asset.search([("epc", "in", list(values))], order="id").ids,
            )
        found = Asset._find_by_scan_keys({"epc": {tagged_2.epc}}, companies)
        self.assertEqual(
            dict(found),
            {
                ("epc", tagged_2.epc): [
                    {
                        "id": tagged_2.id,
                        "code": tagged_2.code,
                        "company_id": self.company_a.id,
                    }
                ]
            },
        )

    def test_large_texts_of_batches_are_compressed_with_lz4_where_available(self):
        # a 100,000-read body is about 10 MB: LZ4 stores it twice as fast as pglz
        cr = self.env.cr
        cr.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings"
            " WHERE name = 'default_toast_compression'"
        )
        row = cr.fetchone()
        if not (row and row[0]):
            self.skipTest("this PostgreSQL has no LZ4 compression (14+, built with it)")
        cr.execute(
            "SELECT attname, attcompression FROM pg_attribute"
            " WHERE attrelid = 'stock_asset_scan_batch'::regclass"
            " AND attname IN ('payload', 'result') ORDER BY attname"
        )
        self.assertEqual(cr.fetchall(), [("payload", "l"), ("result", "l")])

    def test_asset_columns_are_indexed_once_and_empty_values_not_at_all(self):
        # every index is written by every move of an asset (a scan batch moves
        # thousands): the tag, the EPC and the serial are found through the
        # unique indexes of their constraints; columns empty for most assets
        # index their values only
        self.env.cr.execute(
            "SELECT indexname, indexdef FROM pg_indexes"
            " WHERE tablename = 'stock_asset'"
        )
        indexes = dict(self.env.cr.fetchall())
        for column in ("code", "epc", "lot_id"):
            self.assertNotIn(f"stock_asset__{column}_index", indexes)
        self.assertIn("(code, company_id)", indexes["stock_asset_code_company_uniq"])
        self.assertIn("(epc, company_id)", indexes["stock_asset_epc_company_uniq"])
        self.assertIn("(lot_id)", indexes["stock_asset_lot_uniq"])
        for column in ("partner_id", "holder_id", "parent_id", "next_audit_date"):
            self.assertTrue(
                indexes[f"stock_asset__{column}_index"].endswith(
                    f"WHERE ({column} IS NOT NULL)"
                ),
                column,
            )

    def test_an_update_replaces_the_asset_indexes_of_earlier_versions(self):
        # a database of an earlier version: a plain index beside a unique one, and
        # a full index on a mostly-empty column
        cr = self.env.cr
        cr.execute("DROP INDEX stock_asset__holder_id_index")
        cr.execute(
            "CREATE INDEX stock_asset__holder_id_index ON stock_asset (holder_id)"
        )
        cr.execute("CREATE INDEX stock_asset__epc_index ON stock_asset (epc)")
        self.env["stock.asset"].init()
        self.env.registry.check_indexes(cr, ["stock.asset"])
        cr.execute(
            "SELECT indexname, indexdef FROM pg_indexes"
            " WHERE tablename = 'stock_asset' AND indexname IN"
            " ('stock_asset__holder_id_index', 'stock_asset__epc_index')"
        )
        self.assertEqual(
            cr.fetchall(),
            [
                (
                    "stock_asset__holder_id_index",
                    "CREATE INDEX stock_asset__holder_id_index ON public.stock_asset"
                    " USING btree (holder_id) WHERE (holder_id IS NOT NULL)",
                )
            ],
        )
