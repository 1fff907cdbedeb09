# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Documents over the scan API (issue 19, item 7): a document is read and moved
like any asset; a check-out read of a document needs a due date."""

from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .scan_common import ScanApiCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 12:00:00")
class TestAssetLifecycleScan(ScanApiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_holder()
        cls.category_docs = cls.env["stock.asset.category"].create(
            {
                "name": "Records A",
                "company_id": cls.company_a.id,
                "asset_kind": "document",
                "retention_months": 72,
            }
        )
        cls.doc = cls.assets[0]
        cls.doc.write({"category_id": cls.category_docs.id, "name": "Deed of Sale"})

    def test_document_read_moves_it(self):
        self.assertBatchApplied(
            self.batch("doc-1", [self.doc.epc], location="A-SHELF-2"),
            [("A-00001", "matched", None)],
        )
        self.assertRecordValues(
            self.doc,
            [
                {
                    "location_id": self.shelf_2.id,
                    "last_seen_date": datetime(2026, 11, 24, 10, 0),
                    "asset_kind": "document",
                }
            ],
        )

    def test_document_checkout_needs_due_date(self):
        a2 = self.assets[1]
        self.assertBatchApplied(
            self.batch(
                "doc-co-1", [self.doc.epc, a2.epc], mode="checkout", holder="EMP-ADA"
            ),
            [
                (
                    "A-00001",
                    "invalid",
                    "[A-00001] Deed of Sale is a document (category Records A): a "
                    "document is checked out only with a due date; set when it must "
                    "be back.",
                ),
                ("A-00002", "matched", None),
            ],
        )
        self.assertFalse(self.doc.holder_id)
        self.assertEqual(a2.holder_id, self.holder)
        self.assertBatchApplied(
            self.batch(
                "doc-co-2",
                [self.doc.epc],
                mode="checkout",
                holder="EMP-ADA",
                due="2026-12-01T17:00:00Z",
            ),
            [("A-00001", "matched", None)],
        )
        self.assertRecordValues(
            self.doc.custody_id,
            [{"holder_id": self.holder.id, "date_due": datetime(2026, 12, 1, 17, 0)}],
        )
