# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The GSRN of contacts who hold assets (AI 8018): rules, form, and a GSRN
scanned in check-out mode (barcode, Digital Link, GSRN-96 RFID card) names the
holder.

GS1 General Specifications: AI (8018) GSRN - recipient, N18 with its mod-10
check digit (§7.9.1). TDS 2.x §6.3.10 and §14.6.9: GSRN-96.
"""

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..tools import epc as epc_lib
from .scan_common import ScanApiCommon

# company prefix 0614141, service reference 0000000001, check digit 4
GSRN_ADA = "061414100000000014"
GSRN_BO = "061414100000000021"


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 12:00:00")
class TestPartnerGsrn(ScanApiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ada, cls.bo_b = cls.env["res.partner"].create(
            [
                {"name": "Ada Badge", "gsrn": GSRN_ADA, "company_id": cls.company_a.id},
                {"name": "Bo of B", "gsrn": GSRN_BO, "company_id": cls.company_b.id},
            ]
        )
        cls.assets.write({"state": "in_use"})

    def test_gsrn_rules(self):
        Partner = self.env["res.partner"]
        for gsrn, message in (
            ("12345", "The GSRN of Zoe must have 18 digits, got 12345."),
            ("06141410000000001A", "must have 18 digits"),
            (
                "061414100000000015",
                "The GSRN 061414100000000015 of Zoe has a wrong check digit: it"
                " should end with 4.",
            ),
            (
                GSRN_ADA,
                f"The GSRN {GSRN_ADA} of Zoe is already the GSRN of Ada Badge: a"
                " GSRN names one contact of a company.",
            ),
        ):
            with self.subTest(gsrn=gsrn), self.assertRaises(ValidationError) as error:
                Partner.create(
                    {"name": "Zoe", "gsrn": gsrn, "company_id": self.company_a.id}
                )
            self.assertIn(message, str(error.exception))
        # a shared contact is seen by every company: it clashes with both
        with self.assertRaises(ValidationError):
            Partner.create({"name": "Shared", "gsrn": GSRN_BO})
        # the same GSRN in another company, and contacts without GSRN, are fine
        other = Partner.create(
            {"name": "Ada of B", "gsrn": GSRN_ADA, "company_id": self.company_b.id}
        )
        blank = Partner.create([{"name": "No badge 1"}, {"name": "No badge 2"}])
        self.assertEqual(other.gsrn, GSRN_ADA)
        self.assertFalse(any(blank.mapped("gsrn")))
        # moving a contact into the company of its GSRN's twin is refused too
        with self.assertRaises(ValidationError):
            other.company_id = self.company_a

    def test_gsrn_on_the_partner_form_for_asset_users(self):
        def form_fields(user):
            Partner = self.env["res.partner"].with_user(user)
            arch = Partner.get_views([(False, "form")])["views"]["form"]["arch"]
            return 'name="gsrn"' in arch

        self.assertTrue(form_fields(self.reader_user))
        self.assertFalse(form_fields(self.no_right_user))

    def test_holder_found_by_every_form_of_its_gsrn(self):
        Partner = self.env["res.partner"]
        gsrn96 = epc_lib.encode(
            "gsrn-96", "0614141", filter=0, service_reference="0000000001"
        )
        for code in (
            GSRN_ADA,
            f"(8018){GSRN_ADA}",
            f"]C18018{GSRN_ADA}",
            f"https://id.gs1.org/8018/{GSRN_ADA}",
            gsrn96,
            gsrn96.lower(),
            "urn:epc:id:gsrn:0614141.0000000001",
            "urn:epc:tag:gsrn-96:3.0614141.0000000001",
        ):
            with self.subTest(code=code):
                self.assertEqual(
                    Partner._asset_find_holder(code, self.company_a), self.ada
                )
                # company B's contact with another GSRN is not found from A
                self.assertFalse(Partner._asset_find_holder(code, self.company_b))
        for code in (GSRN_BO, "061414100000000015", "(8018)06141410000000001"):
            with self.subTest(code=code):
                self.assertFalse(Partner._asset_find_holder(code, self.company_a))
        # the reference or barcode still comes first
        self.ada.ref = "EMP-ADA"
        self.assertEqual(
            Partner._asset_find_holder("EMP-ADA", self.company_a), self.ada
        )

    def test_checkout_scan_with_a_gsrn_rfid_card_as_holder(self):
        a1, a2, a3 = self.assets[:3]
        gsrn96 = epc_lib.encode(
            "gsrn-96", "0614141", filter=2, service_reference="0000000001"
        )
        for batch_id, asset, holder in (
            ("co-gsrn-1", a1, gsrn96),
            ("co-gsrn-2", a2, f"https://id.gs1.org/8018/{GSRN_ADA}"),
        ):
            status, body, _r = self.post(
                "/batches",
                self.batch(batch_id, [asset.epc], mode="checkout", holder=holder),
            )
            self.assertEqual(status, 200, body)
            self.assertEqual(
                [(r["asset_code"], r["status"]) for r in body["results"]],
                [(asset.code, "matched")],
            )
            self.assertEqual(asset.holder_id, self.ada)
        # a GSRN of another company's contact names nobody here
        status, body, _r = self.post(
            "/batches",
            self.batch("co-gsrn-3", [a3.epc], mode="checkout", holder=GSRN_BO),
        )
        self.assertEqual(status, 200, body)
        self.assertEqual(
            [(r["asset_code"], r["status"], r["message"]) for r in body["results"]],
            [
                (
                    "A-00003",
                    "invalid",
                    "A-00003 cannot go out without a holder: choose who takes it.",
                )
            ],
        )
        self.assertFalse(a3.holder_id)
        self.assertEqual((a1 | a2).custody_id.holder_id, self.ada)
