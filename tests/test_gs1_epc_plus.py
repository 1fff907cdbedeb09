# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The EPC schemes of TDS 2.0 ('+') and TDS 2.3 ('++'), with their +AIDC data.

Sources, cited in each test: GS1 EPC Tag Data Standard (TDS) 2.3 — Table 14-1
(headers), §14.5 (the methods introduced in TDS 2.0: §14.5.1 toggle bit,
§14.5.2 Fixed-Bit-Length Numeric String, §14.5.3 Prioritised Date, §14.5.4
Fixed-Length Numeric, §14.5.5 Delimited/Terminated Numeric, §14.5.6
Variable-length alphanumeric and Table E, §14.5.8-14.5.15 dates and small
values, §14.5.16 custom hostname and Tables 14-11 to 14-15), §14.6 (one
coding table per scheme) and §15.3 (+AIDC data, Tables K, F and B); GS1 EPC
Tag Data Translation (TDT) 2.2 §3.17, the SGTIN+ worked example.

Expected binary strings are built here field by field from those tables with
:func:`_bits`, independently of the module under test.
"""

import random

from odoo.tests import BaseCase, tagged

from ..tools import epc, epc_plus, gs1, scan_codes
from ..tools.epc import EpcError

GTIN = "09506000134352"


def _bits(*fields):
    """Hex of concatenated fields: ``"0101"`` strings or ``(value, width)``."""
    text = "".join(
        field if isinstance(field, str) else format(field[0], f"0{field[1]}b")
        for field in fields
    )
    text += "0" * (-len(text) % 16)
    return f"{int(text, 2):0{len(text) // 4}X}"


def _digits(value):
    """TDS §14.5.4 Fixed-Length Numeric: 4 bits a digit."""
    return "".join(format(int(digit), "04b") for digit in value)


def _date(value):
    """TDS §14.5.8: YY in 7 bits, MM in 4, DD in 5."""
    return (
        format(int(value[:2]), "07b")
        + format(int(value[2:4]), "04b")
        + format(int(value[4:]), "05b")
    )


def _head(header, filter_value=0, toggle=0):
    """Header, +AIDC data toggle bit (§14.5.1), 3-bit filter (§14.5.2)."""
    return format(header, "08b") + str(toggle) + format(filter_value, "03b")


@tagged("post_install", "-at_install")
class TestEpcPlus(BaseCase):
    def assertRoundTrip(self, scheme, pairs, expected, **options):
        code = epc.encode_plus(scheme, pairs, **options)
        self.assertEqual(code, expected)
        decoded = epc.decode_hex(code)
        self.assertEqual(decoded.scheme, scheme)
        self.assertEqual(decoded.gs1_data, tuple(pairs))
        return decoded

    def test_tdt_worked_example_sgtin_plus(self):
        """TDT 2.2 §3.17 and TDS §14.6.1.3: GTIN 09506000134352 as 56 bits,
        serial "abc123" with encoding indicator 010 (lower-case hexadecimal),
        length indicator 00110, then 24 bits."""
        expected = _bits(
            _head(0xF7, 3), _digits(GTIN), "010", "00110", "101010111100000100100011"
        )
        decoded = self.assertRoundTrip(
            "sgtin+", [("01", GTIN), ("21", "abc123")], expected, filter=3
        )
        self.assertEqual(
            (decoded.filter, decoded.data_toggle, decoded.bits), (3, False, 100)
        )
        self.assertEqual(decoded.element_string, f"(01){GTIN}(21)abc123")
        self.assertEqual(
            decoded.digital_link, f"https://id.gs1.org/01/{GTIN}/21/abc123"
        )
        # TDS §14: no tag URI nor pure identity URI for the new schemes
        self.assertEqual((decoded.pure_uri, decoded.tag_uri), (None, None))

    def test_coding_tables_of_every_plus_scheme(self):
        """TDS §14.6: one coding table per '+' scheme, headers of Table 14-1."""
        alnum = "100" + "00101"  # 7-bit ASCII (Table E, 100), length 5
        cases = [
            # §14.6.2.2 SSCC+: 18 digits in 72 bits
            (
                "sscc+",
                [("00", "106141412345678908")],
                [_head(0xF9), _digits("106141412345678908")],
            ),
            # §14.6.6.2 GSRN+, §14.6.7.2 GSRNP+: 18 digits
            (
                "gsrn+",
                [("8018", "061414100000000014")],
                [_head(0xF4), _digits("061414100000000014")],
            ),
            (
                "gsrnp+",
                [("8017", "061414100000000014")],
                [_head(0xF5), _digits("061414100000000014")],
            ),
            # §14.6.3.3 SGLN+: GLN 52 bits, extension (254) alphanumeric
            (
                "sgln+",
                [("414", "0614141123452"), ("254", "A/1-2")],
                [
                    _head(0xF2),
                    _digits("0614141123452"),
                    alnum,
                    "1000001",
                    "0101111",
                    "0110001",
                    "0101101",
                    "0110010",
                ],
            ),
            # §14.6.4.3 GRAI+: "0" + 13 digits in 56 bits, serial 3+5 bits
            (
                "grai+",
                [("8003", "00614141123452" + "XY")],
                [
                    _head(0xF1),
                    _digits("00614141123452"),
                    "011",
                    "00010",
                    format(23, "06b"),
                    format(24, "06b"),
                ],
            ),
            # §14.6.5.3 GIAI+: digits, delimiter 1110, then the rest (§14.5.5)
            (
                "giai+",
                [("8004", "0614141A-00042")],
                [
                    _head(0xFA),
                    _digits("0614141"),
                    "1110",
                    "011",
                    "00111",
                    *(format(index, "06b") for index in (0, 62, 52, 52, 52, 56, 54)),
                ],
            ),
            # §14.6.8.4 GDTI+: 13 digits, serial 3+5 bits
            (
                "gdti+",
                [("253", "0614141123452" + "17")],
                [
                    _head(0xF6),
                    _digits("0614141123452"),
                    "000",
                    "00010",
                    format(17, "07b"),
                ],
            ),
            # §14.6.10.2 SGCN+: 13 digits, serial 4-bit length + integer (§14.5.13)
            (
                "sgcn+",
                [("255", "0614141123452" + "0042")],
                [_head(0xF8), _digits("0614141123452"), "0100", format(42, "014b")],
            ),
            # §14.6.11.3 ITIP+: 18 digits, serial 3+5 bits
            (
                "itip+",
                [("8006", "106141411234590104"), ("21", "1")],
                [_head(0xF3), _digits("106141411234590104"), "000", "00001", "0001"],
            ),
            # §14.6.9.3 CPI+: (8010) terminated numeric 1111, (8011) 4-bit length
            (
                "cpi+",
                [("8010", "06141415"), ("8011", "42")],
                [_head(0xF0), _digits("06141415"), "1111", "0010", format(42, "07b")],
            ),
            # §14.6.1.4 DSGTIN+: date type 0100 = (17) and 16-bit date first
            (
                "dsgtin+",
                [("01", GTIN), ("21", "7"), ("17", "261231")],
                [
                    _head(0xFB),
                    "0100",
                    _date("261231"),
                    _digits(GTIN),
                    "000",
                    "00001",
                    "0111",
                ],
            ),
        ]
        for scheme, pairs, fields in cases:
            with self.subTest(scheme=scheme):
                expected = _bits(*[f for f in fields if f])
                self.assertRoundTrip(scheme, pairs, expected)

    def test_alphanumeric_encodings_of_table_e(self):
        """TDS §14.5.6 Table E: the method that needs the fewest bits is used,
        and each is read back (leading zeros of 000 restored, §14.5.6.1)."""
        for serial, indicator, data in (
            ("0012", "000", format(12, "014b")),
            ("9F", "001", "10011111"),
            ("9f", "010", "10011111"),
            ("Ab_", "011", "000000" + "011011" + "111111"),
            ("A/b", "100", "1000001" + "0101111" + "1100010"),
            # URN Code 40 (§14.5.6.5): r = 1600 i1 + 40 i2 + i3 + 1, padded group
            (
                "ABC.DEF:G",
                "101",
                "".join(
                    format(1600 * a + 40 * b + c + 1, "016b")
                    for a, b, c in ((1, 2, 3), (28, 4, 5), (6, 29, 7))
                ),
            ),
            (
                "AB-.:XYZ01",
                "101",
                "".join(
                    format(1600 * a + 40 * b + c + 1, "016b")
                    for a, b, c in ((1, 2, 27), (28, 29, 24), (25, 26, 30), (31, 0, 0))
                ),
            ),
        ):
            with self.subTest(serial=serial):
                length = format(len(serial), "05b")
                expected = _bits(_head(0xF7), _digits(GTIN), indicator, length, data)
                self.assertRoundTrip("sgtin+", [("01", GTIN), ("21", serial)], expected)

    def test_aidc_data_after_the_epc(self):
        """TDS §15.3: toggle bit 1, then each AI in 4-bit digits (length from
        Table K) and its value as Table F says; zero bits to the word end."""
        pairs = [
            ("01", GTIN),
            ("21", "1"),
            ("17", "261231"),  # Table F: 6-digit date, 16 bits (§14.5.8)
            ("10", "LOT1"),  # variable alphanumeric: base 64, 3+5 bits
            ("3103", "000189"),  # Fixed-Bit-Length Numeric String, 20 bits
            ("7007", "240101240131"),  # date range (§14.5.10): 1 + 2 x 16
            ("8008", "2401011230"),  # variable precision (§14.5.11): 01 + ...
            ("30", "0012"),  # 4-bit length + integer (§14.5.13)
        ]
        expected = _bits(
            _head(0xF7, 0, 1),
            _digits(GTIN),
            "000",
            "00001",
            "0001",
            _digits("17"),
            _date("261231"),
            _digits("10"),
            "011",
            "00100",
            "001011001110010011110101",
            _digits("3103"),
            format(189, "020b"),
            _digits("7007"),
            "1",
            _date("240101"),
            _date("240131"),
            _digits("8008"),
            "01",
            _date("240101"),
            format(12, "05b"),
            format(30, "06b"),
            _digits("30"),
            "0100",
            format(12, "014b"),
        )
        decoded = self.assertRoundTrip("sgtin+", pairs, expected)
        self.assertTrue(decoded.data_toggle)
        self.assertEqual(
            decoded.digital_link,
            f"https://id.gs1.org/01/{GTIN}/10/LOT1/21/1"
            "?17=261231&3103=000189&7007=240101240131&8008=2401011230&30=0012",
        )
        # Table F methods of the small values: country code (§14.5.12), single
        # bit (§14.5.7), minus sign (§14.5.14), sequence indicator (§14.5.15)
        sscc = [("00", "106141412345678908")]
        for extra, bits in (
            (("4307", "DE"), _digits("4307") + format(3, "06b") + format(4, "06b")),
            (("4321", "1"), _digits("4321") + "1"),
            (("4330", "001234-"), _digits("4330") + format(1234, "020b") + "1"),
        ):
            with self.subTest(ai=extra[0]):
                expected = _bits(_head(0xF9, 0, 1), _digits(sscc[0][1]), bits)
                self.assertRoundTrip("sscc+", [*sscc, extra], expected)
        gsrn = [("8018", "061414100000000014"), ("7259", "ABC")]
        code = epc.encode_plus("gsrn+", [*gsrn, ("7258", "1/3")])
        self.assertIn(("7258", "1/3"), epc.decode_hex(code).gs1_data)

    def test_custom_hostname_of_the_plus_plus_schemes(self):
        """TDS §14.5.16: 1-bit indicator, 6-bit length, URN Code 40 or 7-bit
        with the optimisation Tables A and B1-B4; Table 14-1 '++' headers."""
        pairs = [("01", GTIN), ("21", "1")]
        epc_bits = [_digits(GTIN), "000", "00001", "0001"]
        urn = _bits(
            _head(0xFD),
            *epc_bits,
            "0",
            format(11, "06b"),
            *(
                format(1600 * a + 40 * b + c + 1, "016b")
                for a, b, c in ((5, 24, 1), (13, 16, 12), (5, 28, 3), (15, 13, 0))
            ),
        )
        decoded = self.assertRoundTrip("sgtin++", pairs, urn, hostname="EXAMPLE.COM")
        self.assertEqual(decoded.hostname, "EXAMPLE.COM")
        self.assertEqual(decoded.digital_link, f"https://EXAMPLE.COM/01/{GTIN}/21/1")
        # 'id.' (0100000) + 'example' + '.com' (1011011): 9 units (§14.5.16.1.2)
        seven = _bits(
            _head(0xFD),
            *epc_bits,
            "1",
            format(9, "06b"),
            "0100000",
            *(format(ord(char), "07b") for char in "example"),
            "1011011",
        )
        self.assertRoundTrip("sgtin++", pairs, seven, hostname="id.example.com")
        # '.co.uk' is Table B3 row 25 (14 bits, 2 units); '.tech' Table B4
        for hostname, tail in (
            ("acme.co.uk", "0000010" + format(25, "07b")),
            ("acme.tech", "0000011" + "0000000"),
        ):
            with self.subTest(hostname=hostname):
                expected = _bits(
                    _head(0xEE),
                    _digits("0614141"),
                    "1111",
                    "1",
                    format(6, "06b"),
                    *(format(ord(char), "07b") for char in "acme"),
                    tail,
                )
                decoded = self.assertRoundTrip(
                    "giai++", [("8004", "0614141")], expected, hostname=hostname
                )
                self.assertEqual(
                    decoded.digital_link, f"https://{hostname}/8004/0614141"
                )

    def test_refusals(self):
        """Broken rules give EpcError (strict) or a raw EPC (TDS §15.2.2)."""
        good = epc.encode_plus("sgtin+", [("01", GTIN), ("21", "1")])
        for code, message in (
            # §14.5.3: date type 0111 is reserved
            (
                _bits(
                    _head(0xFB),
                    "0111",
                    _date("261231"),
                    _digits(GTIN),
                    "000",
                    "00001",
                    "0001",
                ),
                "date type 0111 is reserved",
            ),
            # §14.5.4: a 4-bit digit over 9
            (
                _bits(_head(0xF9), "1010", _digits("06141412345678908")),
                "a 4-bit digit is over 9",
            ),
            # §14.5.6 Table E: indicator 110 is reserved
            (
                _bits(_head(0xF7), _digits(GTIN), "110", "00001", "0001"),
                "encoding indicator 110 is reserved",
            ),
            # GS1 General Specifications §7.9: the GTIN's check digit
            (
                _bits(_head(0xF7), _digits("09506000134353"), "000", "00001", "0001"),
                "check digit",
            ),
            # §14.6.4: a GRAI without serial is no EPC
            (
                _bits(_head(0xF1), _digits("00614141123452"), "000", "00000"),
                "AI (8003) has no serial component",
            ),
            # the EPC ends before its serial
            # a serial of length 0 is no GS1 serial
            (_bits(_head(0xF7), _digits(GTIN)), "AI (21): value is empty"),
            # the EPC ends before its GTIN
            (_bits(_head(0xF7), _digits(GTIN[:2])), "the EPC ends before this value"),
        ):
            with self.subTest(code=code), self.assertRaises(EpcError) as error:
                epc.decode_hex(code)
            self.assertIn(message, str(error.exception))
            self.assertEqual(epc.decode_hex(code, strict=False).scheme, "raw")
        for scheme, pairs, options, message in (
            ("sgtin++", [("01", GTIN), ("21", "1")], {}, "a hostname is required"),
            ("sgtin+", [("01", GTIN), ("21", "1")], {"hostname": "a.b"}, "only for"),
            ("grai+", [("8003", "00614141123452")], {}, "needs its serial component"),
            ("dsgtin+", [("01", GTIN), ("21", "1")], {}, "needs a date"),
            ("sgtin+", [("01", GTIN), ("21", "1")], {"filter": 8}, "filter must be"),
            ("sgtin+", [("01", GTIN), ("21", "1"), ("8040", "3" * 15)], {}, "Table F"),
        ):
            with self.subTest(scheme=scheme, message=message):
                with self.assertRaises(EpcError) as error:
                    epc.encode_plus(scheme, pairs, **options)
                self.assertIn(message, str(error.exception))
        # a longer EPC bank: the bits after an EPC without +AIDC data are
        # ignored (TDS §15.2.2), and the hex is what was read
        longer = epc.decode_hex(good + "FFFF")
        self.assertEqual(longer.gs1_data, (("01", GTIN), ("21", "1")))

    def test_scan_of_a_giai_plus_tag_finds_the_asset_key(self):
        code = epc.encode_plus("giai+", [("8004", "0614141A-00042")], filter=1)
        scanned = scan_codes.classify(code.lower())
        self.assertEqual(
            (scanned.kind, scanned.keys, scanned.gs1, scanned.epc_uri),
            (
                "epc",
                (("epc", code), ("gs1", "giai:0614141A-00042")),
                "(8004)0614141A-00042",
                None,
            ),
        )
        # an 80-bit SGTIN+ (20 hex digits) is an EPC too
        short = epc.encode_plus("sgtin+", [("01", GTIN), ("21", "1")])
        self.assertEqual(len(short), 20)
        self.assertEqual(scan_codes.classify(short).kind, "epc")

    def test_round_trip_random_values_of_every_scheme(self):
        """Property: encode then decode gives the same element strings, for
        random keys, serials (every Table E character class), filters,
        hostnames and +AIDC data, in every '+' and '++' scheme."""
        rng = random.Random(2)
        classes = (
            "0123456789",
            "0123456789ABCDEF",
            "0123456789abcdef",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.:",
            "".join(sorted(gs1.CSET82)),
        )

        def text(size, first=1):
            chars = rng.choice(classes)
            return "".join(rng.choice(chars) for _ in range(rng.randint(first, size)))

        def digits(size):
            return "".join(rng.choice("0123456789") for _ in range(size))

        def key(size):
            body = digits(size - 1)
            return body + gs1.check_digit(body)

        def giai():
            prefix = digits(rng.randint(6, 12))
            return prefix + text(30 - len(prefix), 0)

        keys = {
            "sgtin": lambda: [("01", key(14)), ("21", text(20))],
            "dsgtin": lambda: [
                ("01", key(14)),
                ("21", text(20)),
                (
                    rng.choice(epc_plus.DATE_TYPES),
                    f"{rng.randint(0, 99):02d}0{rng.randint(1, 9)}1{rng.randint(0, 9)}",
                ),
            ],
            "sscc": lambda: [("00", key(18))],
            "sgln": lambda: [("414", key(13)), ("254", text(20))],
            "grai": lambda: [("8003", "0" + key(13) + text(16))],
            "giai": lambda: [("8004", giai())],
            "gsrn": lambda: [("8018", key(18))],
            "gsrnp": lambda: [("8017", key(18))],
            "gdti": lambda: [("253", key(13) + text(17))],
            "sgcn": lambda: [("255", key(13) + digits(rng.randint(1, 12)))],
            "itip": lambda: [("8006", key(14) + "0102"), ("21", text(20))],
            "cpi": lambda: [
                (
                    "8010",
                    digits(rng.randint(6, 12))
                    + "".join(
                        rng.choice("0123456789ABCXYZ-#/")
                        for _ in range(rng.randint(0, 10))
                    ),
                ),
                ("8011", str(rng.randint(1, 10**12 - 1))),
            ],
        }
        hosts = (
            "id.gs1.org",
            "EXAMPLE.COM",
            "qr.acme.co.uk",
            "www.acme.tech",
            "a-b.example.de",
        )
        for name, header in sorted(epc_plus._BY_NAME.items()):
            identity = name.rstrip("+")
            for _ in range(40):
                pairs = keys[identity]()
                if identity == "sgln" and pairs[1][1] == "0":
                    pairs[1] = ("254", "00")  # "0" stands for the GLN alone
                if identity in ("sscc", "gsrn") and rng.random() < 0.5:
                    pairs.append(
                        ("7259", "BABY-" + digits(3))
                        if identity == "gsrn"
                        else ("4321", "1")
                    )
                if identity == "sgtin" and rng.random() < 0.5:
                    pairs += [("10", text(20)), ("3103", digits(6))]
                hostname = rng.choice(hosts) if name.endswith("++") else None
                filter_value = rng.randint(0, 7)
                with self.subTest(scheme=name, pairs=pairs, hostname=hostname):
                    code = epc.encode_plus(
                        name, pairs, filter=filter_value, hostname=hostname
                    )
                    self.assertEqual((len(code) % 4, code[:2]), (0, f"{header:02X}"))
                    decoded = epc.decode_hex(code)
                    self.assertEqual(
                        (decoded.scheme, decoded.filter, decoded.hostname),
                        (name, filter_value, hostname),
                    )
                    self.assertEqual(sorted(decoded.gs1_data), sorted(pairs))
