"""Every EPC scheme, the AI table and GS1 Digital Link, against the standards.

No database.  Sources, cited in each test:

* TDS: GS1 EPC Tag Data Standard 2.x.  §6.3 gives one pure identity URI
  example per EPC scheme, §7 its GS1 element string, §14.5 the coding
  tables (header values of Table 14-1), §15.2.2 the EPC memory bank
  decoding, Appendix E the worked encoding examples (E.3: ADI-var).
* GenSpecs: GS1 General Specifications.  §3 the AI definitions, §4.13/4.14
  the invalid pairs and mandatory associations of AIs, §7.8.5 the
  predefined-length AIs, §7.9.5 the check character pair (worked example of
  GMN ``1987654Ad4X4bL5ttr2310c2K``), §7.12 dates.
* GS1 DL: the GS1 Digital Link standard, URI syntax (§4: path of a primary
  key and its qualifiers in order, query data attributes; §6 mapping to
  element strings).
* ISO 13616 (IBAN): its example ``GB82WEST12345698765432``.

The binary values below are rebuilt field by field from the TDS §14.5
tables with :func:`.tds_bits.bits`, independently of the module under test.
"""

import random

from odoo.tests import BaseCase, tagged

from ..tools import digital_link, epc, gs1, reader_formats, scan_codes
from ..tools.epc import EpcError
from ..tools.gs1 import Gs1Error
from .tds_bits import bits, chars6, chars7

GS = "\x1d"
CSET82 = (
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_"
    "abcdefghijklmnopqrstuvwxyz"
)

# TDS §6.3 pure identity examples -> TDS §7 element strings.
PURE_IDENTITIES = {
    "urn:epc:id:sgtin:0614141.112345.400": "(01)10614141123459(21)400",
    "urn:epc:id:sscc:0614141.1234567890": "(00)106141412345678908",
    "urn:epc:id:sgln:0614141.12345.400": "(414)0614141123452(254)400",
    "urn:epc:id:grai:0614141.12345.400": "(8003)00614141123452400",
    "urn:epc:id:giai:0614141.12345400": "(8004)061414112345400",
    "urn:epc:id:gsrn:0614141.1234567890": "(8018)061414112345678902",
    "urn:epc:id:gsrnp:0614141.1234567890": "(8017)061414112345678902",
    "urn:epc:id:gdti:0614141.12345.006847": "(253)0614141123452006847",
    "urn:epc:id:cpi:0614141.123ABC.123456789": "(8010)0614141123ABC(8011)123456789",
    "urn:epc:id:sgcn:4012345.67890.04711": "(255)401234567890104711",
    "urn:epc:id:itip:4012345.012345.01.02.987": "(8006)040123451234560102(21)987",
    "urn:epc:id:pgln:0614141.12345": "(417)0614141123452",
    # TDS §6.3.11 and §6.3.12 (GINC, GSIN)
    "urn:epc:id:ginc:9521141.xyz3311cba": "(401)9521141xyz3311cba",
    "urn:epc:id:gsin:9521141.123456789": "(402)95211411234567892",
    "urn:epc:id:upui:1234567.089456.51qIgY)%3C%26Jp3*j7'SDB": (
        "(01)01234567894560(235)51qIgY)<&Jp3*j7'SDB"
    ),
}
# TDS §6.3 identities that are not GS1 keys (no element string).
OTHER_IDENTITIES = (
    "urn:epc:id:gid:95100000.12345.400",
    "urn:epc:id:usdod:2S194.12345678901",
    "urn:epc:id:adi:35962.PQ7VZ4.M37GXB92",
    "urn:epc:id:adi:35962..%23M37GXB92",
    # TDS §6.3.18 to §6.3.20
    "urn:epc:id:adi:W81X9C.3KL984PX1.2WMA52",
    "urn:epc:id:bic:CSQU3054383",
    "urn:epc:id:imovn:9176187",
)


CP = (614141, 24)
HEAD = ((3, 3), (5, 3))  # filter 3, partition 5 (7-digit company prefix)


@tagged("post_install", "-at_install")
class TestEpcSchemes(BaseCase):
    # ------------------------------------------------------------ TDS §6.3/§7
    def test_pure_identity_examples(self):
        """TDS §6.3 URIs <-> TDS §7 element strings, every GS1 key scheme."""
        for uri, element in PURE_IDENTITIES.items():
            with self.subTest(uri=uri):
                decoded = epc.parse_uri(uri)
                self.assertEqual(decoded.pure_uri, uri)
                self.assertEqual(decoded.element_string, element)
                length = len(uri.split(":")[4].split(".")[0])
                self.assertEqual(epc.epc_from_element_string(element, length), uri)
                self.assertEqual(gs1.to_parenthesised(gs1.parse(element)), element)
        for uri in OTHER_IDENTITIES:
            with self.subTest(uri=uri):
                decoded = epc.parse_uri(uri)
                self.assertEqual(decoded.pure_uri, uri)
                self.assertIsNone(decoded.element_string)
                self.assertIsNone(decoded.digital_link)

    def test_pure_identity_grammar_refusals(self):
        """TDS §6.3 grammars: what each pure identity URI may not hold."""
        cases = {
            # §6.3.17: CAGE codes have no I or O
            "urn:epc:id:adi:3596O.PQ7VZ4.M37": "CAGE/DoDAAC",
            # §6.3.18: "#" only as the first character of the serial
            "urn:epc:id:adi:35962.PQ7VZ4.M%2337": "serial",
            "urn:epc:id:adi:35962.PQ7VZ4.": "serial",
            # §6.3.19: owner code without I/O, category J, U or Z, 7 digits
            "urn:epc:id:bic:CSIU3054383": "BIC container code",
            "urn:epc:id:bic:CSQX3054383": "BIC container code",
            "urn:epc:id:imovn:917618": "IMO vessel number",
            # §6.3.12: 16 digits in all
            "urn:epc:id:gsin:9521141.12345678": "shipper reference",
            # §6.3.9: the serial is a NumericComponent (no leading zero)
            "urn:epc:id:cpi:9521141.123ABC.0123": "CPI serial",
            # §6.3.16: NumericComponents
            "urn:epc:id:gid:95100000.012345.400": "leading zero",
        }
        for uri, words in cases.items():
            with self.subTest(uri=uri):
                with self.assertRaises(EpcError) as caught:
                    epc.parse_uri(uri)
                self.assertIn(words, str(caught.exception))

    def test_adi_var_appendix_e_example(self):
        """TDS Appendix E.3: urn:epc:tag:adi-var:3.35962.PQ7VZ4.M37GXB92."""
        tag = "urn:epc:tag:adi-var:3.35962.PQ7VZ4.M37GXB92"
        code = "3B0E0CF5E76C9047759AD00373DC7602E7200"
        self.assertEqual(epc.tag_uri_to_hex(tag), code + "000")  # whole words
        decoded = epc.decode_hex(code + "000")
        self.assertEqual(decoded.tag_uri, tag)
        self.assertEqual(
            (decoded.cage, decoded.part_number, decoded.serial, decoded.bits),
            ("35962", "PQ7VZ4", "M37GXB92", 146),
        )
        # the same bits built from the coding table: 6-bit filter, the 5-char
        # CAGE after a 6-bit space, then part number and serial terminated
        cage = [(32, 6)] + [(ord(char) & 0x3F, 6) for char in "35962"]
        layout = [(0x3B, 8), (3, 6), *cage, chars6("PQ7VZ4"), chars6("M37GXB92")]
        self.assertEqual(bits(*layout), code + "000")

    def test_binary_layouts_from_the_coding_tables(self):
        """TDS §14.5: each new scheme's bits where its coding table puts them."""
        cases = [
            (
                ("gdti-96", "0614141"),
                {"document_type": "12345", "serial": "6847"},
                [(0x2C, 8), *HEAD, CP, (12345, 17), (6847, 41)],
            ),
            (
                ("gdti-174", "0614141"),
                {"document_type": "12345", "serial": "006847"},
                [(0x3E, 8), *HEAD, CP, (12345, 17), chars7("006847", 119)],
            ),
            (
                ("gdti-113", "0614141"),
                {"document_type": "12345", "serial": "006847"},
                [(0x3A, 8), *HEAD, CP, (12345, 17), (1006847, 58)],
            ),
            (
                ("gsrn-96", "0614141"),
                {"service_reference": "1234567890"},
                [(0x2D, 8), *HEAD, CP, (1234567890, 34), (0, 24)],
            ),
            (
                ("gsrnp-96", "0614141"),
                {"service_reference": "1234567890"},
                [(0x2E, 8), *HEAD, CP, (1234567890, 34), (0, 24)],
            ),
            # numeric string: the integer of "1" followed by the digits
            (
                ("sgcn-96", "4012345"),
                {"coupon_reference": "67890", "serial": "04711"},
                [(0x3F, 8), *HEAD, (4012345, 24), (67890, 17), (104711, 41)],
            ),
            (
                ("cpi-96", "0614141"),
                {"part_reference": "12345678", "serial": "12345"},
                [(0x3C, 8), *HEAD, CP, (12345678, 27), (12345, 31)],
            ),
            (
                ("cpi-var", "0614141"),
                {"part_reference": "5PQ7/Z43", "serial": "12345"},
                [(0x3D, 8), *HEAD, CP, chars6("5PQ7/Z43"), (12345, 40)],
            ),
            (
                ("itip-110", "4012345"),
                {"item_reference": "012345", "piece": "01", "total": "02", "serial": 9},
                [(0x40, 8), *HEAD, (4012345, 24), (12345, 20), (1, 7), (2, 7), (9, 38)],
            ),
            (
                ("itip-212", "4012345"),
                {
                    "item_reference": "012345",
                    "piece": "01",
                    "total": "02",
                    "serial": "A",
                },
                [
                    (0x41, 8),
                    *HEAD,
                    (4012345, 24),
                    (12345, 20),
                    (1, 7),
                    (2, 7),
                    chars7("A", 140),
                ],
            ),
            (
                ("sgtin-198", "0614141"),
                {"item_reference": "712345", "serial": "32a/b"},
                [(0x36, 8), *HEAD, CP, (712345, 20), chars7("32a/b", 140)],
            ),
            (
                ("sgln-195", "0614141"),
                {"location_reference": "12345", "extension": "32a/b"},
                [(0x39, 8), *HEAD, CP, (12345, 17), chars7("32a/b", 140)],
            ),
            (
                ("gid-96", None),
                {"manager_number": 95100000, "object_class": 12345, "serial": 400},
                [(0x35, 8), (95100000, 28), (12345, 24), (400, 36)],
            ),
            # USDOD-96: 4-bit filter, a 5-char CAGE after an 8-bit space
            (
                ("usdod-96", None),
                {"cage": "2S194", "serial": "12345678901"},
                [
                    (0x2F, 8),
                    (3, 4),
                    (int.from_bytes(b" 2S194", "big"), 48),
                    (12345678901, 36),
                ],
            ),
        ]
        for (name, cp), fields, layout in cases:
            with self.subTest(scheme=name):
                code = epc.encode(name, cp, filter=3, **fields)
                self.assertEqual(code, bits(*layout))
                decoded = epc.decode_hex(code)
                self.assertEqual(decoded.scheme, name)
                self.assertEqual(epc.tag_uri_to_hex(decoded.tag_uri), code)

    # ------------------------------------------------------------ TDS §15.2.2
    def test_memory_longer_than_the_scheme(self):
        """TDS §15.2.2: the header's scheme is decoded, the bits after it ignored."""
        sgtin = "3074257BF7194E4000001A85"
        for extra in ("0000", "00000000", "FFFF", "DEADBEEF" * 4):
            with self.subTest(extra=extra):
                decoded = epc.decode_hex(sgtin + extra)
                self.assertEqual(decoded.scheme, "sgtin-96")
                self.assertEqual(decoded.hex, sgtin)  # the EPC's own bits
                self.assertEqual(
                    decoded.pure_uri, "urn:epc:id:sgtin:0614141.812345.6789"
                )
                scan = scan_codes.classify(sgtin + extra)
                self.assertEqual(scan.kind, "epc")
                self.assertEqual(scan.keys, scan_codes.classify(sgtin).keys)
        # GRAI-170 in 176 bits: the 6 bits after bit 170 are not looked at
        grai = "3774257BF40C0E59B2C2BF1000000000000000000000"
        decoded = epc.decode_hex(grai[:-1] + "F")
        self.assertEqual(decoded.serial, "32a/b")
        self.assertEqual(decoded.hex, grai)
        # variable-length schemes stop at their last terminator
        adi = "3B0E0CF5E76C9047759AD00373DC7602E7200000"
        self.assertEqual(epc.decode_hex(adi + "ABCD").hex, adi)
        self.assertEqual(epc.decode_hex(adi + "ABCD").bits, 146)
        # shorter than the scheme is still an error (raw when not strict)
        with self.assertRaises(EpcError):
            epc.decode_hex(sgtin[:20])
        self.assertEqual(epc.decode_hex(sgtin[:20], strict=False).scheme, "raw")
        self.assertTrue(epc.is_epc_hex(sgtin + "0000"))

    def test_decode_errors_of_the_new_schemes(self):
        """Rules of TDS §14.4 the decoder enforces for the new schemes."""
        cases = [
            # partition value 7 (TDS §14.5: not valid)
            (bits((0x2C, 8), (3, 3), (7, 3), (0, 82)), "gdti-96: partition value 7"),
            (
                bits((0x2D, 8), *HEAD, CP, (1, 34), (1, 24)),
                "gsrn-96: the 24 unallocated bits must be zero",
            ),
            # numeric string without its leading 1
            (
                bits((0x3F, 8), *HEAD, CP, (12345, 17), (4711, 41)),
                "sgcn-96: serial is not a valid numeric string",
            ),
            # a 6-bit character outside the CPI set ("[", 27)
            (
                bits((0x3D, 8), *HEAD, CP, (27 << 6, 12), (1, 40)),
                "cpi-var: part reference has an invalid 6-bit character 0x1B",
            ),
            # no terminator before the end of the EPC
            (bits((0x3D, 8), *HEAD, CP, (1, 6)), "cpi-var: part reference"),
            (
                bits(
                    (0x2F, 8), (0, 4), (int.from_bytes(b"  ab12", "big"), 48), (1, 36)
                ),
                "usdod-96: CAGE/DoDAAC ' ab12' is not 5 or 6 letters/digits",
            ),
        ]
        for code, message in cases:
            with self.subTest(code=code):
                with self.assertRaises(EpcError) as caught:
                    epc.decode_hex(code)
                self.assertIn(message, str(caught.exception))
                self.assertEqual(epc.decode_hex(code, strict=False).scheme, "raw")

    def test_scan_keys_of_the_new_schemes(self):
        """A GDTI / GSRN / ADI tag names the same asset as its barcode or URI."""
        gdti = epc.encode("gdti-96", "0614141", document_type="12345", serial="6847")
        self.assertIn(("gs1", "gdti:06141411234526847"), scan_codes.classify(gdti).keys)
        self.assertIn(
            ("gs1", "gdti:06141411234526847"),
            scan_codes.classify("(253)06141411234526847").keys,
        )
        gsrn = epc.encode("gsrn-96", "0614141", service_reference="1234567890")
        self.assertEqual(scan_codes.epc_identity_key(gsrn), "gsrn:061414112345678902")
        adi = epc.encode("adi-var", cage="35962", part_number="PQ7VZ4", serial="M37")
        self.assertEqual(scan_codes.epc_identity_key(adi), "adi:35962.PQ7VZ4.M37")
        self.assertIn(
            ("gs1", "adi:35962.PQ7VZ4.M37"),
            scan_codes.classify("urn:epc:id:adi:35962.PQ7VZ4.M37").keys,
        )

    # ------------------------------------------------------------ property
    def _random_fields(self, rng, name):
        """Random valid fields of binary scheme ``name``: ``(cp, fields)``."""
        length = rng.randint(6, 12)
        cp = "".join(rng.choice("0123456789") for _ in range(length))
        rest = 12 - length

        def digits(size):
            return "".join(rng.choice("0123456789") for _ in range(size))

        def text(size):
            return "".join(rng.choice(CSET82) for _ in range(rng.randint(1, size)))

        def integer(bits, top=None):
            value = rng.choice((0, rng.randint(0, (1 << bits) - 1), (1 << bits) - 1))
            return str(min(value, top) if top is not None else value)

        def six(size, charset="#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"):
            return "".join(rng.choice(charset) for _ in range(rng.randint(1, size)))

        piece = rng.randint(1, 99)
        makers = {
            "sgtin": lambda bits: {
                "item_reference": digits(rest + 1),
                "serial": integer(38) if bits == 96 else text(20),
            },
            "sscc": lambda bits: {"serial_reference": digits(rest + 5)},
            "sgln": lambda bits: {
                "location_reference": digits(rest),
                "extension": integer(41) if bits == 96 else text(20),
            },
            "grai": lambda bits: {
                "asset_type": digits(rest),
                "serial": integer(38) if bits == 96 else text(16),
            },
            "giai": lambda bits: {
                "asset_reference": integer(epc.GIAI96_PARTITIONS[rest][2])
                if bits == 96
                else text(30 - length)
            },
            "gdti": lambda bits: {
                "document_type": digits(rest),
                "serial": {96: integer(41), 113: digits(rng.randint(1, 17))}.get(
                    bits, text(17)
                ),
            },
            "gsrn": lambda bits: {"service_reference": digits(rest + 5)},
            "gsrnp": lambda bits: {"service_reference": digits(rest + 5)},
            "sgcn": lambda bits: {
                "coupon_reference": digits(rest),
                "serial": digits(rng.randint(1, 12)),
            },
            "cpi": lambda bits: {
                "part_reference": str(rng.randint(0, 10 ** (15 - length) - 1))
                if bits == 96
                else six(30 - length),
                # (8011) refuses a serial that starts with 0, so "0" too
                "serial": str(
                    rng.randint(1, (1 << 31) - 1 if bits == 96 else 10**12 - 1)
                ),
            },
            "itip": lambda bits: {
                "item_reference": digits(rest + 1),
                "piece": f"{piece:02d}",
                "total": f"{rng.randint(piece, 99):02d}",
                "serial": integer(38) if bits == 110 else text(20),
            },
        }
        identity, _, size = name.partition("-")
        if identity == "gid":
            return None, {
                "manager_number": integer(28),
                "object_class": integer(24),
                "serial": integer(36),
            }
        cage = six(1, "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") + "".join(
            rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ")
            for _ in range(rng.randint(4, 5))
        )
        if identity == "usdod":
            return None, {"cage": cage, "serial": integer(36)}
        if identity == "adi":
            adi_set = "-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            part = six(32, adi_set) if rng.random() < 0.8 else ""
            serial = rng.choice(("", "#")) + six(29, adi_set)
            return None, {"cage": cage, "part_number": part, "serial": serial}
        return cp, makers[identity](int(size) if size != "var" else 0)

    def test_round_trip_of_every_scheme_on_random_values(self):
        """Property: binary <-> tag URI <-> pure URI <-> element string <-> DL."""
        rng = random.Random(20)  # seeded: the same cases on every run
        count = 0
        for name, scheme in epc.SCHEMES.items():
            for _ in range(400):
                count += 1
                cp, fields = self._random_fields(rng, name)
                filter_top = {"usdod": 15, "adi": 63, "gid": 0}.get(scheme.identity, 7)
                filter_value = rng.randint(0, filter_top)
                with self.subTest(scheme=name, cp=cp, fields=fields):
                    self._check_round_trip(name, cp, filter_value, fields, rng)
        self.assertEqual(count, 400 * len(epc.SCHEMES))

    def _check_round_trip(self, name, cp, filter_value, fields, rng):
        code = epc.encode(name, cp, filter=filter_value, **fields)
        decoded = epc.decode_hex(code)
        self.assertEqual(decoded.scheme, name)
        for field, value in fields.items():
            self.assertEqual(getattr(decoded, field), str(value))
        self.assertEqual(decoded.company_prefix, cp)
        # tag URI and pure identity lead back to the same binary
        self.assertEqual(epc.tag_uri_to_hex(decoded.tag_uri), code)
        size = name.partition("-")[2]
        if decoded.filter is not None:
            self.assertEqual(decoded.filter, filter_value)
        self.assertEqual(
            epc.pure_uri_to_hex(decoded.pure_uri, size, filter_value), code
        )
        pure = epc.parse_uri(decoded.pure_uri)
        self.assertEqual(pure.gs1_pairs, decoded.gs1_pairs)
        # longer EPC memory reads the same EPC
        longer = code + "".join(rng.choice("0123456789ABCDEF") for _ in range(8))
        self.assertEqual(epc.decode_hex(longer).pure_uri, decoded.pure_uri)
        pairs = decoded.gs1_pairs
        if not pairs:
            return
        element = decoded.element_string
        self.assertEqual(gs1.to_parenthesised(gs1.parse(element)), element)
        self.assertEqual(epc.epc_from_element_string(element, len(cp)), pure.pure_uri)
        link = decoded.digital_link
        self.assertEqual(list(digital_link.parse(link)), list(pairs))

    def test_encode_errors_of_the_new_schemes(self):
        cases = [
            (
                ("gdti-96", "0614141"),
                {"document_type": "12345", "serial": "A1"},
                "gdti-96: serial 'A1' is not numeric (use gdti-174)",
            ),
            (
                ("sgcn-96", "0614141"),
                {"coupon_reference": "12345", "serial": "1234567890123"},
                "sgcn-96: serial must be 1 to 12 digits, got '1234567890123'",
            ),
            (
                ("cpi-96", "0614141"),
                {"part_reference": "123456789", "serial": "1"},
                "cpi-96: part reference 123456789 is longer than 8 digits",
            ),
            (
                ("cpi-var", "0614141"),
                {"part_reference": "a1", "serial": "1"},
                "cpi-var: part reference has character 'a', not in its 6-bit set",
            ),
            (
                ("itip-110", "4012345"),
                {"item_reference": "012345", "piece": "1", "total": "02", "serial": 1},
                "itip-110: piece must be 2 digits, got '1'",
            ),
            (
                ("adi-var", None),
                {"cage": "35962", "serial": "A#1"},
                "adi-var: serial may have '#' as first character only",
            ),
            (
                ("usdod-96", None),
                {"cage": "2s194", "serial": "1"},
                "usdod-96: CAGE/DoDAAC must be 5 or 6 upper-case letters or digits,"
                " got '2s194'",
            ),
            (
                ("gid-96", "0614141"),
                {"manager_number": "1", "object_class": "1", "serial": "1"},
                "gid-96 has no company prefix: give its fields by name",
            ),
        ]
        for args, fields, message in cases:
            with self.subTest(message=message):
                with self.assertRaises(EpcError) as caught:
                    epc.encode(*args, **fields)
                self.assertEqual(str(caught.exception), message)
        with self.assertRaises(EpcError) as caught:
            epc.encode("usdod-96", filter=16, cage="2S194", serial="1")
        self.assertEqual(
            str(caught.exception), "filter must be an integer 0 to 15, got 16"
        )


@tagged("post_install", "-at_install")
class TestAiTable(BaseCase):
    def assertGs1Error(self, message, data, **kwargs):
        with self.assertRaises(Gs1Error) as caught:
            gs1.parse(data, **kwargs)
        self.assertEqual(str(caught.exception), message)

    def test_ais_of_the_current_general_specifications(self):
        """GenSpecs §3: AIs added lately are in the table with their format."""
        for ai in (
            *(str(number) for number in range(7250, 7260)),
            "8014",
            "8040",
            "8041",
            "8042",
            "8043",
            "7041",
            "4330",
            "8030",
        ):
            with self.subTest(ai=ai):
                self.assertIn(ai, gs1.AI_INFO)
        # AI 4302 (ship to address line 1) is X..70 since GenSpecs 2021
        self.assertEqual(gs1.AI_SPECS["4302"][0].max_len, 70)
        ship = "(00)106141412345678908(4302)"
        self.assertEqual(gs1.parse(ship + "A" * 70)[1], ("4302", "A" * 70))
        self.assertGs1Error(
            "AI (4302): value must be 1 to 70 characters, got 71", ship + "A" * 71
        )
        # AI 8042 (eSIM EID) is N32 and needs (01)+(21)+(8040)
        imei = "(01)09506000134352(21)1(8040)490154203237518"
        self.assertEqual(len(gs1.parse(imei + "(8042)" + "1" * 32)), 4)

    def test_check_character_pair_example(self):
        """GenSpecs §7.9.5 worked example: GMN 1987654Ad4X4bL5ttr2310c2K."""
        self.assertEqual(gs1.check_pair("1987654Ad4X4bL5ttr2310c"), "2K")
        self.assertEqual(
            gs1.parse("(8013)1987654Ad4X4bL5ttr2310c2K"),
            [("8013", "1987654Ad4X4bL5ttr2310c2K")],
        )
        self.assertGs1Error(
            "AI (8013): check characters 2L should be 2K",
            "(8013)1987654Ad4X4bL5ttr2310c2L",
        )

    def test_code_lists_and_dates(self):
        """ISO 3166 and ISO 4217 codes, and real dates (GenSpecs §3, §7.12)."""
        gtin = "(01)09506000134352"
        self.assertEqual(gs1.parse(gtin + "(422)056")[1], ("422", "056"))
        self.assertGs1Error(
            "AI (422): 999 is not an ISO 3166 country code", gtin + "(422)999"
        )
        self.assertGs1Error(
            "AI (425): 001 is not an ISO 3166 country code", gtin + "(425)056001"
        )
        self.assertEqual(gs1.parse(gtin + "(7030)999ABC")[1], ("7030", "999ABC"))
        self.assertGs1Error(
            "AI (4307): XX is not an ISO 3166 alpha-2 country code",
            "(00)106141412345678908(4307)XX",
        )
        # (3912): amount payable with ISO 4217 currency, 978 = euro
        voucher = "(255)0614141123452(3912)"
        self.assertEqual(
            gs1.parse(voucher + "978995", associations=False)[1][1], "978995"
        )
        self.assertGs1Error(
            "AI (3912): 001 is not an ISO 4217 currency code",
            voucher + "001995",
            associations=False,
        )
        person = "(8018)061414112345678902"
        self.assertEqual(gs1.parse(person + "(7250)20240229")[1], ("7250", "20240229"))
        self.assertGs1Error(
            "AI (7250): invalid date 20230229 (YYYYMMDD): day 29",
            person + "(7250)20230229",
        )
        self.assertGs1Error(
            "AI (7258): 3/2: position is after the last", person + "(7259)B(7258)3/2"
        )
        # ISO 13616 example IBAN; (8007) needs (415) with (8020)
        pay = "(415)0614141123452(8020)REF1(8007)"
        self.assertEqual(gs1.parse(pay + "GB82WEST12345698765432")[2][0], "8007")
        self.assertGs1Error(
            "AI (8007): IBAN GB83WEST12345698765432 has wrong check digits 83",
            pay + "GB83WEST12345698765432",
        )

    def test_unknown_ai_is_named_and_the_rest_parsed(self):
        """An unknown AI is kept and named; the other AIs are validated."""
        pairs = gs1.parse("(01)09506000134352(7260)ABC(21)X")
        self.assertEqual(
            pairs, [("01", "09506000134352"), ("7260", "ABC"), ("21", "X")]
        )
        self.assertEqual(pairs.unknown, ("7260",))
        self.assertEqual(
            gs1.to_parenthesised(pairs), "(01)09506000134352(7260)ABC(21)X"
        )
        # transmitted form: (72nn) AIs have 4 digits, the value runs to FNC1
        raw = gs1.parse("]d2" + "0109506000134352" + "7260ABC" + GS + "21X")
        self.assertEqual(raw, pairs)
        self.assertEqual(raw.unknown, ("7260",))
        # an unknown AI of a predefined-length prefix (GenSpecs §7.8.5)
        fixed = gs1.parse("]C1" + "0109506000134352" + "0412345678901234562110")
        self.assertEqual(fixed[1], ("04", "1234567890123456"))
        self.assertEqual(fixed.unknown, ("04",))
        # the known AIs are still checked
        self.assertGs1Error(
            "AI (21): character ' ' is not in the GS1 AI encodable character set 82",
            "(01)09506000134352(7260)ABC(21)X Y",
        )
        # no AI starts with 05: where the AI ends cannot be known
        self.assertGs1Error(
            "no known AI at position 16: '0512'", "]d2" + "0109506000134352051234"
        )
        self.assertGs1Error("(0100) is not an AI: it starts with AI (01)", "(0100)1")

    def test_invalid_pairs_and_mandatory_associations(self):
        """GenSpecs §4.13 (invalid pairs) and §4.14 (mandatory associations)."""
        self.assertGs1Error(
            "AI (01) cannot be used with AI (255)",
            "(01)09506000134352(255)0614141123452",
        )
        self.assertGs1Error(
            "AI (3100) cannot be used with AI (3101)",
            "(01)09506000134352(3100)000001(3101)000001",
        )
        self.assertGs1Error(
            "AI (21) needs (01) or (03) or (8006) in the same message", "(21)ABC"
        )
        self.assertGs1Error(
            "AI (250) needs (01)+(21) or (03)+(21) or (8006)+(21) in the same"
            " message",
            "(01)09506000134352(250)A",
        )
        self.assertEqual(gs1.parse("(21)ABC", associations=False), [("21", "ABC")])
        self.assertEqual(gs1.association_problems(["01", "21", "250"]), [])


@tagged("post_install", "-at_install")
class TestDigitalLink(BaseCase):
    def assertDlError(self, message, uri):
        with self.assertRaises(digital_link.DigitalLinkError) as caught:
            digital_link.parse(uri)
        self.assertEqual(str(caught.exception), message)
        self.assertIsNone(reader_formats.digital_link_to_gs1(uri))

    def test_key_qualifiers_and_query_attributes(self):
        """GS1 DL §4: primary key, qualifiers in order, query data attributes."""
        cases = {
            "https://id.gs1.org/01/09506000134352": "(01)09506000134352",
            "https://id.gs1.org/01/09506000134352/10/ABC/21/12345?17=261231": (
                "(01)09506000134352(10)ABC(21)12345(17)261231"
            ),
            # the resolver's own path before the key is not GS1 data
            "https://example.com/shop/01/09506000134352/21/A%2F1?linkType=all": (
                "(01)09506000134352(21)A/1"
            ),
            "HTTPS://id.gs1.org/414/0614141123452/254/5678#top": (
                "(414)0614141123452(254)5678"
            ),
            "https://id.gs1.org/8004/0614141ABC123/7040/1ABC": (
                "(8004)0614141ABC123(7040)1ABC"
            ),
            "https://id.gs1.org/00/106141412345678908?02=09506000134352&37=12": (
                "(00)106141412345678908(02)09506000134352(37)12"
            ),
            "https://id.gs1.org/253/0614141123452006847": "(253)0614141123452006847",
            "https://id.gs1.org/8018/061414112345678902/8019/12": (
                "(8018)061414112345678902(8019)12"
            ),
        }
        for uri, element in cases.items():
            with self.subTest(uri=uri):
                self.assertEqual(digital_link.to_element_string(uri), element)
                self.assertEqual(reader_formats.digital_link_to_gs1(uri), element)

    def test_what_the_standard_refuses(self):
        cases = [
            # GS1 DL §4: a GTIN is written with 14 digits
            (
                "https://id.gs1.org/01/9506000134352",
                "AI (01): value must be 14 digits, got 13",
            ),
            (
                "https://id.gs1.org/01/09506000134352/21/1/10/A",
                "AI (01) cannot be followed by /21/10 in a GS1 Digital Link path"
                " (key qualifiers and their order)",
            ),
            (
                "https://id.gs1.org/01/09506000134352/235/A/21/1",
                "AI (01) cannot be followed by /235/21 in a GS1 Digital Link path"
                " (key qualifiers and their order)",
            ),
            (
                "https://id.gs1.org/01/09506000134352?10=ABC",
                "AI (10) is a key qualifier of (01): it belongs in the URI path",
            ),
            (
                "https://id.gs1.org/01/09506000134352?9999=1",
                "unknown AI (9999) in the query string",
            ),
            (
                "https://id.gs1.org/8004/0614141ABC?7040=1ABC",
                "AI (7040) is not allowed as a GS1 Digital Link data attribute",
            ),
            (
                "https://id.gs1.org/01/09506000134352?17=261231&17=261231",
                "AI (17) appears twice in the URI",
            ),
            (
                "https://id.gs1.org/01/09506000134352?17=",
                "AI (17): empty value in the query string",
            ),
            (
                "https://id.gs1.org/01/09506000134352/",
                "no GS1 Digital Link primary key in the URI path",
            ),
            (
                "https://id.gs1.org/10/ABC",
                "no GS1 Digital Link primary key in the URI path",
            ),
            (
                "ftp://id.gs1.org/01/09506000134352",
                "a GS1 Digital Link URI starts" " with http:// or https://",
            ),
            ("https:///01/09506000134352", "the URI has no domain and path"),
            (
                "https://id.gs1.org/01/09506000134352/21/A B",
                "character ' ' is not allowed in a URI",
            ),
            (
                "https://id.gs1.org/01/09506000134352/21/A%00",
                "a percent-decoded value contains a NUL character",
            ),
            # '+' is a space in a query value, and a space is not in set 82
            (
                "https://id.gs1.org/01/09506000134352?3103=000195&99=A+B",
                "AI (99): character ' ' is not in the GS1 AI encodable character"
                " set 82",
            ),
            # the AI associations of GenSpecs §4.14 hold in a URI too
            (
                "https://id.gs1.org/00/106141412345678908?02=09506000134352",
                "AI (02) needs (37) in the same message",
            ),
        ]
        for uri, message in cases:
            with self.subTest(uri=uri):
                self.assertDlError(message, uri)
        self.assertIsNone(
            reader_formats.digital_link_to_gs1("urn:epc:id:giai:0614141.5678")
        )

    def test_generation(self):
        """GS1 DL §4 and §6: key, longest qualifier path, then attributes."""
        pairs = [
            ("17", "261231"),
            ("01", "09506000134352"),
            ("21", "A/1"),
            ("10", "ABC"),
            ("99", "X/Y"),
            ("3103", "000195"),
        ]
        uri = digital_link.build(pairs, "https://example.com/")
        self.assertEqual(
            uri,
            "https://example.com/01/09506000134352/10/ABC/21/A%2F1"
            "?17=261231&3103=000195&99=X%2FY",
        )
        self.assertEqual(sorted(digital_link.parse(uri)), sorted(pairs))
        self.assertEqual(
            digital_link.build([("8004", "0614141ABC")]),
            "https://id.gs1.org/8004/0614141ABC",
        )
        with self.assertRaises(digital_link.DigitalLinkError):
            digital_link.build([("10", "ABC")])
        with self.assertRaises(digital_link.DigitalLinkError):
            digital_link.build([("8004", "0614141ABC"), ("21", "1")])
