# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""GS1 Digital Link compression: decompress, compress, and scans of compressed
GS1 QR Codes.

Sources: the GS1 Digital Link standard's compression algorithm (GS1 Digital
Link 1.1 §7 "Compression", moved to "GS1 Digital Link: Compression" from
release 1.2): AIs as 4-bit digits or an optimisation code, each value in the
fewest bits of its format, an encoding indicator for alphanumeric values,
URI-safe base 64.  Published pairs: GS1's Resolver Community Edition (its v3.0
announcement: ``https://example.com/01/05392000229648/10/LOT01/21/SERIAL01``
compresses to ``.../AQnO2IRCICDKWcnpqQtCQiJABemo``) and the SSCC example
``https://id.gs1.org/00/998440410914660971`` -> ``.../AN2yxDhfaiaw``; the
other expected strings are what GS1's reference implementation
(GS1DigitalLinkCompressionPrototype) writes for the same input.
"""

import random

from odoo.tests import BaseCase, tagged

from ..tools import digital_link, gs1, scan_codes
from ..tools.digital_link import DigitalLinkError

RESOLVER_CE = "https://example.com/01/05392000229648/10/LOT01/21/SERIAL01"


@tagged("post_install", "-at_install")
class TestDigitalLinkCompression(BaseCase):
    def test_published_examples(self):
        for uri, compressed in (
            (RESOLVER_CE, "https://example.com/AQnO2IRCICDKWcnpqQtCQiJABemo"),
            (
                "https://id.gs1.org/00/998440410914660971",
                "https://id.gs1.org/AN2yxDhfaiaw",
            ),
        ):
            with self.subTest(uri=uri):
                self.assertEqual(digital_link.compress(uri), compressed)
                self.assertEqual(digital_link.decompress(compressed), uri)
                self.assertEqual(
                    digital_link.parse(compressed), digital_link.parse(uri)
                )

    def test_reference_implementation_forms(self):
        """Optimisation codes, an uncompressed primary key, hex and base 64
        values, non-GS1 parameters compressed (flag 1111)."""
        for uri, options, compressed in (
            (
                RESOLVER_CE,
                {"optimise": True},
                "https://example.com/CwnO2IRCIMpZyempC0JCIkAF6ag",
            ),
            (
                RESOLVER_CE,
                {"uncompressed_primary": True},
                "https://example.com/01/05392000229648/EGUs5PTUhaEhESAC9NQ",
            ),
            (
                "https://id.gs1.org/8004/0614141A-00042",
                {},
                "https://id.gs1.org/gARu0614141A-00042",
            ),
            (
                "https://id.gs1.org/8003/00614141123452400",
                {},
                "https://id.gs1.org/gAMBHftTtvgGyA",
            ),
            (
                "https://id.gs1.org/01/09506000134352/10/ABC%2F1/21/xy?17=261231&k=v",
                {"others": True},
                "https://id.gs1.org/ARFKk4XBoCELBhQ17EXP8byFixy8DIwN4",
            ),
        ):
            with self.subTest(uri=uri, options=options):
                self.assertEqual(digital_link.compress(uri, **options), compressed)
                self.assertEqual(
                    digital_link.parse(compressed), digital_link.parse(uri)
                )
        # non-GS1 parameters come back as the query string
        self.assertEqual(
            digital_link.decompress(
                "https://id.gs1.org/ARFKk4XBoCELBhQ17EXP8byFixy8DIwN4"
            ),
            "https://id.gs1.org/01/09506000134352/10/ABC%2F1/21/xy?17=261231&k=v",
        )

    def test_leading_zeros_survive(self):
        """A number's digit count is known, so its leading zeros come back."""
        uri = "https://id.gs1.org/01/09506000134352/21/0012?3103=000189&30=0012"
        compressed = digital_link.compress(uri, optimise=True)
        self.assertEqual(compressed, "https://id.gs1.org/LRFKk4XBoAAXpCCABhggAY")
        self.assertEqual(digital_link.decompress(compressed), uri)

    def test_refusals(self):
        for uri, message in (
            (
                "https://id.gs1.org/AN2yxDhfai",
                "not a valid compressed GS1 Digital Link: the compressed GS1 Digital"
                " Link ends too early",
            ),
            ("https://id.gs1.org/AN2yxDhfaiaw%21", "no GS1 Digital Link primary key"),
            # a GTIN with a wrong check digit, compressed, is still refused
            (
                "https://id.gs1.org/"
                + digital_link.compress_pairs([("01", "09506000134353")]),
                "AI (01): check digit 3 should be 2",
            ),
            ("https://example.com/some/page", "no GS1 Digital Link primary key"),
        ):
            with self.subTest(uri=uri), self.assertRaises(DigitalLinkError) as error:
                digital_link.parse(uri)
            self.assertIn(message, str(error.exception))
        with self.assertRaises(DigitalLinkError) as error:
            digital_link.compress(
                "https://id.gs1.org/00/998440410914660971?4330=001000"
            )
        self.assertEqual(
            str(error.exception), "AI (4330) has no compressed GS1 Digital Link form"
        )

    def test_scan_of_a_compressed_gs1_qr_code(self):
        code = digital_link.compress("https://id.gs1.org/8004/0614141A-00042")
        scanned = scan_codes.classify(code)
        self.assertEqual(
            (scanned.kind, scanned.gs1, scanned.keys),
            ("gs1", "(8004)0614141A-00042", (("gs1", "giai:0614141A-00042"),)),
        )

    def test_round_trip_random_values(self):
        """Property: compress then parse gives the same element strings, for
        random keys, qualifiers and attributes, with every option."""
        rng = random.Random(20)
        chars = "ABCDEFabcdef0123456789-_xyzXYZ!%&()*+,./:;<=>?"
        for _ in range(400):
            gtin = "".join(rng.choice("0123456789") for _ in range(13))
            pairs = [("01", gtin + gs1.check_digit(gtin))]
            if rng.random() < 0.7:
                pairs.append(
                    (
                        "10",
                        "".join(rng.choice(chars) for _ in range(rng.randint(1, 20))),
                    )
                )
            pairs.append(
                ("21", "".join(rng.choice(chars) for _ in range(rng.randint(1, 20))))
            )
            if rng.random() < 0.5:
                year, month, day = (rng.randint(0, 99), rng.randint(1, 12), 28)
                pairs.append(("17", f"{year:02d}{month:02d}{day:02d}"))
            if rng.random() < 0.5:
                pairs.append(
                    (f"310{rng.randint(0, 5)}", f"{rng.randint(0, 999999):06d}")
                )
            if rng.random() < 0.3:
                pairs.append(
                    ("30", str(rng.randint(0, 10**8 - 1)).zfill(rng.randint(1, 8))[-8:])
                )
            uri = digital_link.build(pairs)
            options = {
                "optimise": rng.random() < 0.5,
                "uncompressed_primary": rng.random() < 0.3,
            }
            with self.subTest(uri=uri, options=options):
                compressed = digital_link.compress(uri, **options)
                self.assertEqual(sorted(digital_link.parse(compressed)), sorted(pairs))
                self.assertEqual(
                    sorted(digital_link.parse(digital_link.decompress(compressed))),
                    sorted(pairs),
                )
