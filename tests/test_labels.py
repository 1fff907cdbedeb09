# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import io
import re

import barcode
import barcode.charsets.code128 as code128
from lxml import html as lxml_html
from PIL import Image

from odoo.exceptions import UserError
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader

from .common import AssetCommon

SINGLE = "stock_asset_tracking.stock_asset_label_report_action"
SHEET = "stock_asset_tracking.stock_asset_label_sheet_report_action"
FROZEN = "2026-11-24 10:00:00"


def svg_modules(svg):
    """The bars of a label's SVG as a module string ('1' bar, '0' space)."""
    (path,) = svg.iter("path")
    modules = []
    for start, width in re.findall(r"M(\d+) 0h(\d+)v1h-\d+z", path.get("d")):
        modules.extend("0" * (int(start) - len(modules)))
        modules.extend("1" * int(width))
    return "".join(modules).lstrip("0")


def decode_code128(modules):
    """Decode Code 128 modules (sets B and C, FNC1 as ``\\x1d``), checking the
    check symbol and the stop pattern: a reader's view of the printed bars."""
    symbols = [modules[i : i + 11] for i in range(0, len(modules) - 13, 11)]
    assert modules[len(symbols) * 11 :] == code128.STOP + "11", "no stop pattern"
    values = [code128.CODES.index(symbol) for symbol in symbols]
    start, *data, check = values
    assert check == (start + sum(n * v for n, v in enumerate(data, 1))) % 103
    by_value_b = {value: char for char, value in code128.B.items()}
    charset = {104: "B", 105: "C"}[start]
    text = []
    for value in data:
        if value == 102:
            text.append("\x1d")
        elif value == 99 and charset == "B":
            charset = "C"
        elif value == 100 and charset == "C":
            charset = "B"
        elif charset == "C":
            text.append(f"{value:02d}")
        else:
            text.append(by_value_b[value])
    return "".join(text)


@tagged("post_install", "-at_install")
class TestAssetLabels(AssetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.asset_gs1_company_prefix = "0614141"
        cls.instruments = cls.env["stock.asset.category"].create(
            {
                "name": "Instruments",
                "company_id": cls.company_a.id,
                "calibration_interval_days": 365,
            }
        )
        with freeze_time(FROZEN):
            cls.laptop = cls._asset(name="Laptop 14 inch", code="A-00042")
            cls.gauge = cls._asset(
                name="Pressure Gauge", code="G-7", category_id=cls.instruments.id
            )
        cls.drill = cls._asset(name="Drill", code="B-1", company_id=cls.company_b.id)
        cls.Report = cls.env["ir.actions.report"].with_user(cls.user_a)

    def _html(self, report, assets, data=None, user=None):
        Report = self.env["ir.actions.report"].with_user(user or self.user_a)
        html, _kind = Report._render_qweb_html(report, assets.ids, data=data)
        return lxml_html.fromstring(html)

    def _labels(self, tree):
        return tree.xpath(".//div[contains(@class, 'o_asset_label ')]")

    def _text(self, label, css):
        return " ".join(
            " ".join(node.text_content().split())
            for node in label.xpath(f".//div[contains(@class, '{css}')]")
        )

    def test_gs1_128_of_the_giai_when_the_company_has_a_prefix(self):
        (label,) = self._labels(self._html(SINGLE, self.laptop))
        (svg,) = label.iter("svg")
        expected = barcode.codex.Gs1_128("80040614141A-00042").build()[0]
        self.assertEqual(svg_modules(svg), expected)
        # read back: FNC1 first (GS1-128), then AI 8004 and the GIAI
        self.assertEqual(decode_code128(svg_modules(svg)), "\x1d80040614141A-00042")
        # FNC1 after the start code: not the Code 128 of the same characters
        self.assertNotEqual(
            expected, barcode.get("code128", "80040614141A-00042").build()[0]
        )
        self.assertEqual(self._text(label, "o_asset_label_company"), "Asset Co A")
        self.assertEqual(
            self._text(label, "o_asset_label_readable"), "(8004)0614141A-00042"
        )
        self.assertEqual(self._text(label, "o_asset_label_name"), "Laptop 14 inch")
        self.assertFalse(label.xpath(".//div[@class='o_asset_label_calibration']"))

    def test_code128_of_the_tag_without_prefix(self):
        (label,) = self._labels(self._html(SINGLE, self.drill, user=self.user_b))
        (svg,) = label.iter("svg")
        self.assertEqual(svg_modules(svg), barcode.get("code128", "B-1").build()[0])
        self.assertEqual(self._text(label, "o_asset_label_readable"), "B-1")
        self.assertEqual(self._text(label, "o_asset_label_company"), "Asset Co B")

    def test_instrument_label_shows_its_calibration_due_date(self):
        due = self.gauge.calibration_due_date
        self.assertTrue(due)
        (label,) = self._labels(self._html(SINGLE, self.gauge))
        self.assertEqual(
            self._text(label, "o_asset_label_calibration"),
            f"Calibration due {due.strftime('%m/%d/%Y')}",
        )

    def test_sheet_lays_24_labels_a_page(self):
        assets = self.laptop | self.env["stock.asset"].create(
            [
                {
                    "name": f"Chair {n}",
                    "code": f"CH-{n:02d}",
                    "company_id": self.company_a.id,
                }
                for n in range(25)
            ]
        )
        tree = self._html(SHEET, assets)
        sheets = tree.xpath("//div[contains(@class, 'o_asset_label_sheet')]")
        self.assertEqual([len(self._labels(sheet)) for sheet in sheets], [24, 2])
        svgs = [svg_modules(svg) for svg in tree.iter("svg")]
        self.assertEqual(
            svgs,
            [barcode.codex.Gs1_128("8004" + asset.giai).build()[0] for asset in assets],
        )
        self.assertEqual(
            [decode_code128(modules) for modules in svgs],
            [f"\x1d8004{asset.giai}" for asset in assets],
        )

    def test_qr_and_datamatrix_through_odoo_renderer(self):
        Report = self.env["ir.actions.report"]

        def bits(png):
            # reportlab's anti-aliasing varies from run to run: compare the modules
            image = Image.open(io.BytesIO(png)).convert("L")
            return [value > 127 for value in image.getdata()]

        def mismatch(left, right):
            self.assertEqual(len(left), len(right))
            return sum(a != b for a, b in zip(left, right, strict=True)) / len(left)

        value = "\x1d80040614141A-00042"

        for symbology, odoo_name in (("qr", "QR"), ("datamatrix", "ECC200DataMatrix")):
            with self.subTest(symbology=symbology):
                tree = self._html(SINGLE, self.laptop, data={"symbology": symbology})
                (img,) = tree.xpath("//img[contains(@class, 'o_asset_label_matrix')]")
                self.assertFalse(list(tree.iter("svg")))
                head, data = img.get("src").split(",", 1)
                self.assertEqual(head, "data:image/png;base64")
                printed = bits(base64.b64decode(data))

                def symbol(value, odoo_name=odoo_name):
                    return bits(
                        Report.barcode(odoo_name, value, width=160, height=160, quiet=1)
                    )

                # the same symbol, up to a few anti-aliased edge pixels; another
                # value's symbol differs in far more
                self.assertLess(mismatch(printed, symbol(value)), 0.01)
                self.assertGreater(mismatch(printed, symbol(value[:-1] + "3")), 0.05)

    # bad input ---------------------------------------------------------------------
    def test_labels_of_another_company_are_refused(self):
        with self.assertRaisesRegex(
            UserError, r"1 of the selected assets belong to another company"
        ):
            self._html(SINGLE, self.laptop | self.drill)

    def test_tag_that_code128_cannot_carry(self):
        accented = self._asset(name="Accent", code="É-1")
        self.assertFalse(accented.giai)
        with self.assertRaisesRegex(
            UserError, r"Asset tag É-1 cannot be printed as a Code 128 barcode"
        ):
            self._html(SINGLE, accented)

    # print wizard, reprint from a scan ---------------------------------------------
    def test_reprint_from_scan_lists_unknown_codes(self):
        Wizard = self.env["stock.asset.label.print"].with_user(self.user_a)
        wizard = Wizard.create(
            {
                "scanned_codes": "]C180040614141A-00042\nG-7\nNOPE-1\nB-1\n\nG-7\n",
                "label_format": "sheet",
                "symbology": "linear",
            }
        )
        self.assertEqual(wizard.scanned_asset_ids, self.laptop | self.gauge)
        self.assertEqual(
            wizard.unknown_codes.splitlines(),
            ["NOPE-1: no such asset", "B-1: no such asset"],
        )
        action = wizard.action_print()
        self.assertEqual(
            action["report_name"], "stock_asset_tracking.report_asset_label_sheet"
        )
        self.assertEqual(
            action["context"]["active_ids"], (self.laptop | self.gauge).ids
        )
        self.assertEqual(action["data"], {"symbology": "linear"})

    def test_reprint_with_only_unknown_codes_prints_nothing(self):
        wizard = (
            self.env["stock.asset.label.print"]
            .with_user(self.user_a)
            .create({"scanned_codes": "NOPE-1\n(8004)0614141NOPE"})
        )
        with self.assertRaisesRegex(
            UserError,
            r"No label to print: the scanned codes name no asset\.\n"
            r"NOPE-1: no such asset\n\(8004\)0614141NOPE: no such asset$",
        ):
            wizard.action_print()

    def test_print_wizard_refuses_assets_of_another_company(self):
        with self.assertRaisesRegex(
            UserError, r"Assets B-1 belong to another company than Asset Co A"
        ):
            self.env["stock.asset.label.print"].create(
                {
                    "company_id": self.company_a.id,
                    "asset_ids": [(6, 0, (self.laptop | self.drill).ids)],
                }
            )


@tagged("post_install", "-at_install")
class TestAssetLabelsPdf(AssetCommon, HttpCase):
    """The PDFs through wkhtmltopdf (HttpCase: it fetches the report's styles from
    the test server, which must share the test transaction)."""

    def _pdf(self, report, assets):
        # wkhtmltopdf's stderr notes about its unpatched Qt are logged as warnings:
        # muted, they are the host's
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            pdf, kind = (
                self.env["ir.actions.report"]
                .with_user(self.user_a)
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf(report, assets.ids)
            )
        self.assertEqual(kind, "pdf")
        return PdfFileReader(io.BytesIO(pdf))

    def test_pdf_pages(self):
        self.company_a.asset_gs1_company_prefix = "0614141"
        assets = self.env["stock.asset"].create(
            [
                {
                    "name": f"Chair {n}",
                    "code": f"CH-{n:02d}",
                    "company_id": self.company_a.id,
                }
                for n in range(26)
            ]
        )
        single = self._pdf(SINGLE, assets[:3])
        self.assertEqual(single.getNumPages(), 3)
        box = single.getPage(0).mediaBox
        # 50 x 25 mm, in points
        self.assertAlmostEqual(float(box.getWidth()), 50 / 25.4 * 72, delta=1.5)
        self.assertAlmostEqual(float(box.getHeight()), 25 / 25.4 * 72, delta=1.5)
        sheet = self._pdf(SHEET, assets)
        self.assertEqual(sheet.getNumPages(), 2)
        box = sheet.getPage(0).mediaBox
        self.assertAlmostEqual(float(box.getWidth()), 210 / 25.4 * 72, delta=1.5)
