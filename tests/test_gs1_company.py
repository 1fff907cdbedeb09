# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from ..tools import epc as epc_lib
from ..tools import gs1
from .common import AssetCommon

PREFIX = "0614141"


@tagged("post_install", "-at_install")
class TestGs1Company(AssetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.asset_gs1_company_prefix = PREFIX
        cls.tagged_asset = cls._asset(name="Laptop", code="A-00042")
        cls.numeric_asset = cls._asset(name="Forklift", code="5678")
        cls.other_company_asset = cls._asset(
            name="Drill", code="B-1", company_id=cls.company_b.id
        )
        cls.returnables = cls.env["stock.asset.category"].create(
            {
                "name": "Crates",
                "company_id": cls.company_a.id,
                "grai_asset_type": "12345",
            }
        )
        cls.crate = cls._asset(name="Crate", code="400", category_id=cls.returnables.id)

    # company prefix ----------------------------------------------------------------
    def test_prefix_must_be_6_to_12_digits(self):
        for bad in ("12345", "1234567890123", "06141A1", "061 414"):
            # Odoo's assertRaises rolls the refused write back
            with self.subTest(prefix=bad), self.assertRaises(ValidationError) as caught:
                self.company_b.asset_gs1_company_prefix = bad
            self.assertEqual(
                str(caught.exception),
                f"GS1 Company Prefix of Asset Co B: {bad} is not a GS1 company "
                "prefix; it must be 6 to 12 digits.",
            )
        self.assertFalse(self.company_b.asset_gs1_company_prefix)
        self.company_b.asset_gs1_company_prefix = "123456"
        self.assertEqual(self.other_company_asset.giai, "123456B-1")

    def test_prefix_from_the_settings(self):
        settings = Form(self.env["res.config.settings"].with_company(self.company_b))
        settings.asset_gs1_company_prefix = "4012345"
        settings.save().execute()
        self.assertEqual(self.company_b.asset_gs1_company_prefix, "4012345")
        self.assertRecordValues(
            self.other_company_asset,
            [{"giai": "4012345B-1", "label_barcode": "(8004)4012345B-1"}],
        )

    # GIAI / GRAI -------------------------------------------------------------------
    def test_giai_from_prefix_and_tag(self):
        self.assertRecordValues(
            self.tagged_asset + self.other_company_asset,
            [
                {
                    "giai": "0614141A-00042",
                    "grai": False,
                    "label_barcode": "(8004)0614141A-00042",
                },
                {"giai": False, "grai": False, "label_barcode": "B-1"},
            ],
        )
        self.tagged_asset.code = "A-00043"
        self.assertEqual(self.tagged_asset.giai, "0614141A-00043")

    def test_no_giai_when_the_tag_cannot_be_part_of_one(self):
        too_long = self._asset(name="Long", code="X" * 24)  # 7 + 24 > 30
        foreign_chars = self._asset(name="Accent", code="É-1")
        self.assertRecordValues(
            too_long + foreign_chars,
            [
                {"giai": False, "label_barcode": "X" * 24},
                {"giai": False, "label_barcode": "É-1"},
            ],
        )

    def test_grai_of_returnable_items(self):
        # TDS example: urn:epc:id:grai:0614141.12345.400 = (8003)00614141123452400
        self.assertRecordValues(
            self.crate, [{"grai": "00614141123452400", "giai": "0614141400"}]
        )
        self.assertEqual(
            gs1.parse("(8003)" + self.crate.grai), [("8003", "00614141123452400")]
        )

    def test_grai_asset_type_must_complete_the_prefix(self):
        with self.assertRaisesRegex(
            ValidationError, r"GRAI Asset Type of category Crates.*5 digits"
        ):
            self.returnables.grai_asset_type = "1234"
        with self.assertRaisesRegex(ValidationError, r"must be 0 to 6 digits"):
            self.returnables.grai_asset_type = "12A45"

    # EPC generation ----------------------------------------------------------------
    def _generate(self, assets, **vals):
        wizard = (
            self.env["stock.asset.epc.generate"]
            .with_user(self.manager_a)
            .create({"asset_ids": [(6, 0, assets.ids)], **vals})
        )
        action = wizard.action_generate()
        return wizard, action

    def test_generate_giai96_when_the_tag_fits_giai202_otherwise(self):
        wizard, action = self._generate(
            self.tagged_asset + self.numeric_asset, filter_value=3
        )
        # the contract's example EPC: GIAI-96, filter 3, 0614141.5678
        self.assertEqual(self.numeric_asset.epc, "3474257BF40000000000162E")
        decoded = epc_lib.decode_hex(self.tagged_asset.epc)
        self.assertEqual(decoded.scheme, "giai-202")
        self.assertEqual(decoded.pure_uri, "urn:epc:id:giai:0614141.A-00042")
        self.assertEqual(self.tagged_asset.gs1_identity, "giai:0614141A-00042")
        self.assertIn(f"id={wizard.id}&field=csv_file", action["url"])
        self.assertEqual(
            base64.b64decode(wizard.csv_file).decode().splitlines(),
            [
                "asset_code,name,epc_hex,epc_tag_uri,epc_pure_uri,gs1",
                "5678,Forklift,3474257BF40000000000162E,"
                "urn:epc:tag:giai-96:3.0614141.5678,urn:epc:id:giai:0614141.5678,"
                "(8004)06141415678",
                f"A-00042,Laptop,{self.tagged_asset.epc},"
                f"{decoded.tag_uri},urn:epc:id:giai:0614141.A-00042,"
                "(8004)0614141A-00042",
            ],
        )

    def test_generate_grai_for_returnable_items(self):
        self._generate(self.crate)
        decoded = epc_lib.decode_hex(self.crate.epc)
        self.assertEqual(decoded.scheme, "grai-96")
        self.assertEqual(decoded.pure_uri, "urn:epc:id:grai:0614141.12345.400")

    def test_giai96_refused_for_a_tag_that_does_not_fit(self):
        with self.assertRaisesRegex(
            UserError, r"Asset A-00042: its tag does not fit an EPC.*not numeric"
        ):
            self._generate(self.numeric_asset + self.tagged_asset, scheme="giai-96")
        # all or nothing: the asset that fitted got no EPC either
        self.assertEqual(
            (self.numeric_asset + self.tagged_asset).mapped("epc"), [False, False]
        )

    def test_generate_refused_without_prefix_or_fitting_scheme(self):
        with self.assertRaisesRegex(UserError, r"Asset Co B has no GS1 Company Prefix"):
            self.env["stock.asset.epc.generate"].with_company(self.company_b).create(
                {
                    "company_id": self.company_b.id,
                    "asset_ids": [(6, 0, self.other_company_asset.ids)],
                }
            ).action_generate()
        too_long = self._asset(name="Long", code="L" * 24)
        with self.assertRaisesRegex(UserError, r"longer than 23 characters"):
            self._generate(too_long)
        with self.assertRaisesRegex(
            UserError, r"GRAI: it cannot be encoded as GIAI-96"
        ):
            self._generate(self.crate, scheme="giai-96")
        self.assertEqual(
            (too_long + self.crate + self.other_company_asset).mapped("epc"),
            [False, False, False],
        )

    def test_existing_epc_kept_unless_replaced(self):
        self.numeric_asset.epc = "E2801160600002084D3A4C1B"
        self._generate(self.numeric_asset)
        self.assertEqual(self.numeric_asset.epc, "E2801160600002084D3A4C1B")
        self._generate(self.numeric_asset, replace_existing=True)
        self.assertEqual(self.numeric_asset.epc, "3414257BF40000000000162E")

    # scans in the assets list ------------------------------------------------------
    def _search_scan(self, code, user=None):
        Asset = self.env["stock.asset"].with_user(user or self.user_a)
        return Asset.search([("label_barcode", "=", code)])

    def test_list_search_finds_scanned_codes(self):
        self._generate(self.tagged_asset)
        for code in (
            "A-00042",  # the asset tag (Code 128)
            "]C1" + "80040614141A-00042",  # GS1-128 with symbology identifier
            "\x1d80040614141A-00042",  # GS1 QR / DataMatrix with FNC1
            "80040614141A-00042",  # the same, FNC1 dropped by the scanner
            "(8004)0614141A-00042",  # typed in human-readable form
            self.tagged_asset.epc,  # the RFID EPC
            "urn:epc:id:giai:0614141.A-00042",
        ):
            with self.subTest(code=code):
                self.assertEqual(self._search_scan(code), self.tagged_asset)
        self.assertEqual(self._search_scan("(8003)00614141123452400"), self.crate)

    def test_list_search_unknown_and_foreign_codes_find_nothing(self):
        for code in ("(8004)0614141NOPE", "NOPE-1", "B-1", "(8004)x"):
            with self.subTest(code=code):
                self.assertFalse(self._search_scan(code))
        # the other company's asset is found by its own users only
        self.assertEqual(
            self._search_scan("B-1", user=self.user_b), self.other_company_asset
        )
        # the list's default search field also decodes scans
        domain = [
            "|",
            ("name", "ilike", "]C180040614141A-00042"),
            ("label_barcode", "=", "]C180040614141A-00042"),
        ]
        self.assertEqual(
            self.env["stock.asset"].with_user(self.user_a).search(domain),
            self.tagged_asset,
        )

    # Odoo's GS1 nomenclature -------------------------------------------------------
    def test_gs1_nomenclature_decodes_asset_identifiers(self):
        nomenclature = self.env.ref(
            "barcodes_gs1_nomenclature.default_gs1_nomenclature"
        )
        for ai in ("8003", "8004"):
            self.assertEqual(
                nomenclature.rule_ids.filtered(
                    lambda rule, ai=ai: rule.pattern.startswith(f"({ai})")
                ).mapped("type"),
                ["asset"],
            )
        for barcode, expected in (
            ("]C180040614141A-00042", [("8004", "0614141A-00042")]),
            ("800300614141123452400", [("8003", "00614141123452400")]),
            (
                "0109506000134352\x1d80040614141A-00042",
                [("01", "09506000134352"), ("8004", "0614141A-00042")],
            ),
        ):
            with self.subTest(barcode=barcode):
                parsed = nomenclature.parse_barcode(barcode)
                self.assertEqual(
                    [(part["ai"], part["value"]) for part in parsed], expected
                )
                self.assertEqual(parsed[-1]["type"], "asset")
                self.assertEqual(gs1.parse(barcode), expected)
