# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Labels, scans and RFID EPCs of assets identified by a GDTI or an ADI."""

import base64

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..tools import epc as epc_lib
from .common import AssetCommon

PREFIX = "0614141"


@tagged("post_install", "-at_install")
class TestGs1AssetKeys(AssetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.asset_gs1_company_prefix = PREFIX
        Category = cls.env["stock.asset.category"]
        cls.documents = Category.create(
            {
                "name": "Certificates",
                "company_id": cls.company_a.id,
                "gdti_document_type": "12345",
            }
        )
        cls.parts = Category.create(
            {
                "name": "Avionics",
                "company_id": cls.company_a.id,
                "adi_cage": "35962",
                "adi_part_number": "PQ7VZ4",
            }
        )
        cls.certificate = cls._asset(
            name="Calibration certificate", code="6847", category_id=cls.documents.id
        )
        cls.manual = cls._asset(
            name="Manual", code="MAN-1", category_id=cls.documents.id
        )
        cls.radio = cls._asset(name="Radio", code="M37GXB92", category_id=cls.parts.id)

    def _generate(self, assets, **vals):
        wizard = (
            self.env["stock.asset.epc.generate"]
            .with_user(self.manager_a)
            .create({"asset_ids": [(6, 0, assets.ids)], **vals})
        )
        wizard.action_generate()
        return wizard

    def assertGdtiRefused(self, scheme, name):
        """Generating ``scheme`` EPCs for the certificate (a GDTI) is refused."""
        with self.assertRaises(UserError) as caught:
            self._generate(self.certificate, scheme=scheme, replace_existing=True)
        self.assertEqual(
            str(caught.exception),
            f"Asset 6847 is identified by a GDTI: it cannot be encoded as {name}.",
        )

    def test_gdti_and_adi_keys_and_labels(self):
        """GDTI (AI 253): prefix + document type + check digit + tag as serial."""
        self.assertRecordValues(
            self.certificate + self.manual + self.radio,
            [
                {
                    "gdti": "06141411234526847",
                    "adi": False,
                    "label_barcode": "(253)06141411234526847",
                },
                {
                    "gdti": "0614141123452MAN-1",
                    "adi": False,
                    "label_barcode": "(253)0614141123452MAN-1",
                },
                {
                    "gdti": False,
                    "adi": "35962.PQ7VZ4.M37GXB92",
                    "label_barcode": "(8004)0614141M37GXB92",
                },
            ],
        )
        Report = self.env["report.stock_asset_tracking.report_asset_label"]
        svg = Report._linear_barcode(self.certificate)
        self.assertIn("<svg", svg)

    def test_generate_gdti_and_adi_epcs(self):
        wizard = self._generate(self.certificate + self.manual + self.radio)
        cases = {
            self.certificate: ("gdti-96", "urn:epc:id:gdti:0614141.12345.6847"),
            self.manual: ("gdti-174", "urn:epc:id:gdti:0614141.12345.MAN-1"),
            self.radio: ("adi-var", "urn:epc:id:adi:35962.PQ7VZ4.M37GXB92"),
        }
        for asset, (scheme, uri) in cases.items():
            with self.subTest(asset=asset.code):
                decoded = epc_lib.decode_hex(asset.epc)
                self.assertEqual((decoded.scheme, decoded.pure_uri), (scheme, uri))
        rows = base64.b64decode(wizard.csv_file).decode().splitlines()
        self.assertIn(
            "M37GXB92,Radio,"
            + self.radio.epc
            + ",urn:epc:tag:adi-var:0.35962.PQ7VZ4.M37GXB92,"
            "urn:epc:id:adi:35962.PQ7VZ4.M37GXB92,",
            rows,
        )
        # a GIAI scheme cannot encode a document's GDTI
        self.assertGdtiRefused("giai-96", "GIAI-96")

    def test_generate_tds2_plus_epcs(self):
        """GDTI+ (TDS 2.3 §14.6.8.4): the GDTI as in its barcode; the tag found
        again by a scan of the EPC and of the barcode."""
        wizard = self._generate(self.certificate + self.manual, scheme="gdti+")
        for asset in self.certificate + self.manual:
            with self.subTest(asset=asset.code):
                decoded = epc_lib.decode_hex(asset.epc)
                self.assertEqual(
                    (decoded.scheme, decoded.gs1_data, decoded.pure_uri),
                    ("gdti+", (("253", asset.gdti),), None),
                )
        rows = base64.b64decode(wizard.csv_file).decode().splitlines()
        self.assertIn(
            f"6847,Calibration certificate,{self.certificate.epc},,,"
            "(253)06141411234526847",
            rows,
        )
        Asset = self.env["stock.asset"].with_user(self.user_a)
        for code in (self.manual.epc, "(253)0614141123452MAN-1"):
            with self.subTest(code=code):
                found = Asset._resolve_scanned_codes([code])[code][0]
                self.assertEqual(found, self.manual)
        # a GIAI+ cannot carry a document's GDTI
        self.assertGdtiRefused("giai+", "GIAI+")

    def test_scanned_gdti_adi_and_their_epcs_find_the_asset(self):
        self._generate(self.certificate + self.radio)
        Asset = self.env["stock.asset"].with_user(self.user_a)
        long_memory = self.radio.epc + "0000"
        for code, asset in (
            ("(253)06141411234526847", self.certificate),
            ("]d2" + "25306141411234526847", self.certificate),
            ("https://id.gs1.org/253/06141411234526847", self.certificate),
            (self.certificate.epc, self.certificate),
            ("urn:epc:id:adi:35962.PQ7VZ4.M37GXB92", self.radio),
            (long_memory, self.radio),
        ):
            with self.subTest(code=code):
                found = Asset._resolve_scanned_codes([code])[code][0]
                self.assertEqual(found, asset)

    def test_one_key_per_category(self):
        with self.assertRaises(ValidationError) as caught:
            self.parts.gdti_document_type = "12345"
        self.assertEqual(
            str(caught.exception),
            "Category Avionics: set only one of GRAI Asset Type, GDTI Document Type "
            "and ADI CAGE/DoDAAC (the key its assets are labelled and tagged with).",
        )
        with self.assertRaises(ValidationError):
            self.parts.adi_cage = "35962x"
        with self.assertRaises(ValidationError):
            self.documents.gdti_document_type = "1234"
