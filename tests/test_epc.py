"""Unit tests of tools/epc.py: EPC binary <-> URIs <-> GS1 element strings.

No database.  Section numbers are those of the GS1 EPC Tag Data Standard (TDS).

The seven reference vectors of :data:`STANDARD` are TDS's own examples (one
per scheme, all with filter 3 and the 7-digit company prefix 0614141, hence
partition 5): the pure identity URIs and element strings of TDS §7, the tag
URIs and binary encodings of TDS's encoding examples.  Each binary value was
also derived by hand from the TDS §14.5 coding tables (see
``test_standard_vectors_from_the_coding_tables``), e.g. SGTIN-96:

    header 0x30 = 00110000, filter 3 = 011, partition 5 = 101,
    company prefix 0614141 in 24 bits = 0x095EFD,
    item reference 812345 in 20 bits = 0xC6539,
    serial 6789 in 38 bits = 0x1A85
    -> 0011 0000 0111 0100 0010 0101 0111 1011 1111 0111 0001 1001 0100 1110 ...
    =  3074257BF7194E4000001A85

and GIAI-96 (the example of the issue): 0x34, 011, 101, 0x095EFD in 24 bits,
asset reference 5678 = 0x162E in 58 bits -> 3474257BF40000000000162E.  The
7-bit strings of GRAI-170 and GIAI-202 encode "32a/b" as 0110011 0110010
1100001 0101111 1100010 followed by zero bits; "/" is written %2F in URIs.
"""

from odoo.tests import BaseCase, tagged

from ..tools import epc, gs1
from ..tools.epc import Epc, EpcError
from .common import ExactErrors
from .tds_bits import bits, chars7

# (hex, tag URI, pure identity URI, GS1 element string)
STANDARD = {
    "sgtin-96": (
        "3074257BF7194E4000001A85",
        "urn:epc:tag:sgtin-96:3.0614141.812345.6789",
        "urn:epc:id:sgtin:0614141.812345.6789",
        "(01)80614141123458(21)6789",
    ),
    "sscc-96": (
        "3174257BF4499602D2000000",
        "urn:epc:tag:sscc-96:3.0614141.1234567890",
        "urn:epc:id:sscc:0614141.1234567890",
        "(00)106141412345678908",
    ),
    "sgln-96": (
        "3274257BF46072000000162E",
        "urn:epc:tag:sgln-96:3.0614141.12345.5678",
        "urn:epc:id:sgln:0614141.12345.5678",
        "(414)0614141123452(254)5678",
    ),
    "grai-96": (
        "3374257BF40C0E400000162E",
        "urn:epc:tag:grai-96:3.0614141.12345.5678",
        "urn:epc:id:grai:0614141.12345.5678",
        "(8003)006141411234525678",
    ),
    "giai-96": (
        "3474257BF40000000000162E",
        "urn:epc:tag:giai-96:3.0614141.5678",
        "urn:epc:id:giai:0614141.5678",
        "(8004)06141415678",
    ),
    # 170 bits: the shortest hex form (43 digits, last 2 bits zero)
    "grai-170": (
        "3774257BF40C0E59B2C2BF100000000000000000000",
        "urn:epc:tag:grai-170:3.0614141.12345.32a%2Fb",
        "urn:epc:id:grai:0614141.12345.32a%2Fb",
        "(8003)0061414112345232a/b",
    ),
    # 202 bits: the shortest hex form (51 digits, last 2 bits zero)
    "giai-202": (
        "3874257BF59B2C2BF1000000000000000000000000000000000",
        "urn:epc:tag:giai-202:3.0614141.32a%2Fb",
        "urn:epc:id:giai:0614141.32a%2Fb",
        "(8004)061414132a/b",
    ),
}

# TDS §14.5 partition tables, derived here independently of the module:
# partition value -> (company prefix bits, digits, other field bits, digits).
# Partitions 0 to 6 give the company prefix 12 down to 6 digits in the bits below;
# the other field has the rest of the scheme's fixed total of bits and digits.
COMPANY_PREFIX = ((40, 12), (37, 11), (34, 10), (30, 9), (27, 8), (24, 7), (20, 6))
TOTALS = {
    "sgtin": (44, 13),
    "sscc": (58, 17),
    "sgln": (41, 12),
    "grai": (44, 12),
    "giai-96": (82, 25),
    "giai-202": (188, 30),
}
TABLES = {
    scheme: tuple(
        (bits, digits, total_bits - bits, total_digits - digits)
        for bits, digits in COMPANY_PREFIX
    )
    for scheme, (total_bits, total_digits) in TOTALS.items()
}
# Characters of the GS1 AI encodable character set 82 (TDS Appendix A).
CSET82 = (
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_"
    "abcdefghijklmnopqrstuvwxyz"
)


@tagged("post_install", "-at_install")
class TestEpc(ExactErrors, BaseCase):
    def assertEpcError(self, message, func, *args, **kwargs):
        """Assert that ``func`` raises EpcError with exactly ``message``."""
        self.assertErrorMessage(EpcError, message, func, *args, **kwargs)

    # ------------------------------------------------------------ TDS vectors
    def test_standard_vectors_decode(self):
        for scheme, (code, tag, pure, element) in STANDARD.items():
            with self.subTest(scheme=scheme):
                decoded = epc.decode_hex(code)
                self.assertEqual(decoded.scheme, scheme)
                self.assertEqual(decoded.hex, code)
                self.assertEqual(decoded.filter, 3)
                self.assertEqual(decoded.company_prefix, "0614141")
                self.assertEqual(decoded.tag_uri, tag)
                self.assertEqual(decoded.pure_uri, pure)
                self.assertEqual(decoded.element_string, element)
                # lower case hex is the same EPC
                self.assertEqual(epc.decode_hex(code.lower()).tag_uri, tag)

    def test_standard_vectors_fields(self):
        self.assertEqual(
            epc.decode_hex(STANDARD["sgtin-96"][0]),
            Epc(
                "sgtin-96",
                "3074257BF7194E4000001A85",
                96,
                3,
                "0614141",
                item_reference="812345",
                serial="6789",
            ),
        )
        sscc = epc.decode_hex(STANDARD["sscc-96"][0])
        self.assertEqual(sscc.serial_reference, "1234567890")
        sgln = epc.decode_hex(STANDARD["sgln-96"][0])
        self.assertEqual((sgln.location_reference, sgln.extension), ("12345", "5678"))
        grai = epc.decode_hex(STANDARD["grai-170"][0])
        self.assertEqual(
            (grai.asset_type, grai.serial, grai.bits), ("12345", "32a/b", 170)
        )
        giai = epc.decode_hex(STANDARD["giai-202"][0])
        self.assertEqual((giai.asset_reference, giai.bits), ("32a/b", 202))
        self.assertEqual(giai.gs1_pairs, (("8004", "061414132a/b"),))
        self.assertEqual(giai.identity, "giai")

    def test_standard_vectors_encode(self):
        """Tag URI -> hex; pure URI + size + filter -> hex; element string -> URI."""
        for scheme, (code, tag, pure, element) in STANDARD.items():
            with self.subTest(scheme=scheme):
                words = code + "0" * (-len(code) % 4)  # whole 16-bit words
                bits = int(scheme.split("-")[1])
                self.assertEqual(epc.tag_uri_to_hex(tag), words)
                self.assertEqual(epc.pure_uri_to_hex(pure, bits, 3), words)
                self.assertEqual(epc.epc_from_element_string(element, 7), pure)
                self.assertEqual(
                    epc.epc_from_element_string(gs1.parse(element), 7), pure
                )
                self.assertEqual(epc.decode(tag), epc.decode_hex(words))
                self.assertEqual(epc.decode_hex(words).tag_uri, tag)

    def test_standard_vectors_from_the_coding_tables(self):
        """The TDS vectors rebuilt field by field from the coding tables."""
        cp = (614141, 24)
        head = (3, 3), (5, 3)  # filter 3, partition 5 (7-digit company prefix)
        expected = {
            "sgtin-96": [(0x30, 8), *head, cp, (812345, 20), (6789, 38)],
            "sscc-96": [(0x31, 8), *head, cp, (1234567890, 34), (0, 24)],
            "sgln-96": [(0x32, 8), *head, cp, (12345, 17), (5678, 41)],
            "grai-96": [(0x33, 8), *head, cp, (12345, 20), (5678, 38)],
            "giai-96": [(0x34, 8), *head, cp, (5678, 58)],
            "grai-170": [(0x37, 8), *head, cp, (12345, 20), chars7("32a/b", 112)],
            "giai-202": [(0x38, 8), *head, cp, chars7("32a/b", 164)],
        }
        for scheme, fields in expected.items():
            with self.subTest(scheme=scheme):
                code = STANDARD[scheme][0]
                self.assertEqual(bits(*fields)[: len(code)], code)

    # ------------------------------------------------------------ partitions
    def _cases(self):
        """One EPC per scheme, partition and filter, with the largest values."""
        for length in range(6, 13):
            partition = 12 - length
            cp = ("9876543210" * 2)[:length]
            sgtin = TABLES["sgtin"][partition]
            sscc = TABLES["sscc"][partition]
            sgln = TABLES["sgln"][partition]
            grai = TABLES["grai"][partition]
            giai96 = TABLES["giai-96"][partition]
            giai202 = TABLES["giai-202"][partition]
            big38, big41 = 2**38 - 1, 2**41 - 1
            text16 = (CSET82 * 2)[partition * 9 : partition * 9 + 16]
            text_max = (CSET82[::-1] * 2)[partition : partition + giai202[3]]
            for filter_value in range(8):
                head = [(filter_value, 3), (partition, 3), (int(cp), sgtin[0])]
                yield (
                    "sgtin-96",
                    filter_value,
                    cp,
                    {"item_reference": "9" * sgtin[3], "serial": str(big38)},
                    [(0x30, 8), *head, (int("9" * sgtin[3]), sgtin[2]), (big38, 38)],
                )
                yield (
                    "sscc-96",
                    filter_value,
                    cp,
                    {"serial_reference": "0" + "9" * (sscc[3] - 1)},
                    [(0x31, 8), *head, (int("9" * (sscc[3] - 1)), sscc[2]), (0, 24)],
                )
                loc = "7" * sgln[3]
                yield (
                    "sgln-96",
                    filter_value,
                    cp,
                    {"location_reference": loc, "extension": str(big41)},
                    [(0x32, 8), *head, (int(loc or "0"), sgln[2]), (big41, 41)],
                )
                asset_type = "5" * grai[3]
                yield (
                    "grai-96",
                    filter_value,
                    cp,
                    {"asset_type": asset_type, "serial": "0"},
                    [(0x33, 8), *head, (int(asset_type or "0"), grai[2]), (0, 38)],
                )
                yield (
                    "grai-170",
                    filter_value,
                    cp,
                    {"asset_type": asset_type, "serial": text16},
                    [
                        (0x37, 8),
                        *head,
                        (int(asset_type or "0"), grai[2]),
                        chars7(text16, 112),
                    ],
                )
                biggest = 2 ** giai96[2] - 1
                yield (
                    "giai-96",
                    filter_value,
                    cp,
                    {"asset_reference": str(biggest)},
                    [(0x34, 8), *head, (biggest, giai96[2])],
                )
                yield (
                    "giai-202",
                    filter_value,
                    cp,
                    {"asset_reference": text_max},
                    [(0x38, 8), *head, chars7(text_max, giai202[2])],
                )

    def test_every_scheme_partition_and_filter_round_trips(self):
        count = 0
        for scheme, filter_value, cp, fields, layout in self._cases():
            count += 1
            with self.subTest(scheme=scheme, cp=cp, filter=filter_value):
                code = epc.encode(scheme, cp, filter=filter_value, **fields)
                # the bits are where the TDS coding table puts them
                self.assertEqual(code, bits(*layout))
                decoded = epc.decode_hex(code)
                self.assertEqual(decoded.scheme, scheme)
                self.assertEqual(decoded.filter, filter_value)
                self.assertEqual(decoded.company_prefix, cp)
                for name, value in fields.items():
                    self.assertEqual(getattr(decoded, name), value)
                # URIs and element string lead back to the same binary
                self.assertEqual(epc.tag_uri_to_hex(decoded.tag_uri), code)
                length = decoded.bits
                self.assertEqual(
                    epc.pure_uri_to_hex(decoded.pure_uri, length, filter_value), code
                )
                self.assertEqual(
                    epc.epc_from_element_string(decoded.element_string, len(cp)),
                    decoded.pure_uri,
                )
                self.assertEqual(
                    epc.decode(decoded.pure_uri).gs1_pairs, decoded.gs1_pairs
                )
                # the element string is valid GS1 (check digits included)
                self.assertEqual(
                    gs1.to_parenthesised(gs1.parse(decoded.element_string)),
                    decoded.element_string,
                )
        self.assertEqual(count, 7 * 7 * 8)

    def test_partition_zero_and_six_by_hand(self):
        """The extreme partitions, derived by hand from the coding tables."""
        # SGTIN-96 partition 0, filter 1: 00110000 001 000, then the 12-digit
        # company prefix 061414112345 = 0xE4C90FC59 in 40 bits, the item
        # reference 8 (indicator only) in 4 bits, the serial 1 in 38 bits.
        code = epc.encode(
            "sgtin-96", "061414112345", filter=1, item_reference="8", serial=1
        )
        self.assertEqual(code, "3020393243F1660000000001")
        decoded = epc.decode_hex(code)
        self.assertEqual(decoded.element_string, "(01)80614141123458(21)1")
        self.assertEqual(decoded.tag_uri, "urn:epc:tag:sgtin-96:1.061414112345.8.1")
        # SGLN-96 partition 0: the location reference has no digit: the URI
        # has an empty field; extension 0 means no (254).
        code = epc.encode("sgln-96", "061414112345", location_reference="")
        self.assertEqual(code, "3200393243F1640000000000")
        decoded = epc.decode_hex(code)
        self.assertEqual(decoded.pure_uri, "urn:epc:id:sgln:061414112345..0")
        self.assertEqual(decoded.element_string, "(414)0614141123452")
        self.assertEqual(
            epc.epc_from_element_string("(414)0614141123452", 12),
            "urn:epc:id:sgln:061414112345..0",
        )
        # GIAI-96 partition 6, filter 0: 00110100 000 110, then the 6-digit
        # company prefix 614141 = 0x95EFD in 20 bits, the asset reference
        # 2^62-1 (62 one bits).
        code = epc.encode("giai-96", "614141", asset_reference=2**62 - 1)
        self.assertEqual(code, "341A57BF7FFFFFFFFFFFFFFF")
        self.assertEqual(
            epc.decode_hex(code).pure_uri, f"urn:epc:id:giai:614141.{2**62 - 1}"
        )

    # ------------------------------------------------------------ raw
    def test_unknown_headers_are_raw(self):
        cases = {
            # an Impinj-style non-GS1 EPC
            "E2801160600002054CC2096F": "urn:epc:raw:96.xE2801160600002054CC2096F",
            # unprogrammed tag (header 0x00)
            "000000000000000000000000": "urn:epc:raw:96.x000000000000000000000000",
            # 128 bits
            "AD" + "0" * 30: "urn:epc:raw:128.xAD" + "0" * 30,
            # header 0xFE: reserved for future use (TDS 2.3 Table 14-1)
            "FE74257BF6B7A659B2C2BF10": "urn:epc:raw:96.xFE74257BF6B7A659B2C2BF10",
            # header 0x2B: not assigned by TDS
            "2B74257BF4499602D2000000": "urn:epc:raw:96.x2B74257BF4499602D2000000",
            "abcd": "urn:epc:raw:16.xABCD",
        }
        for code, tag in cases.items():
            with self.subTest(code=code):
                decoded = epc.decode(code)
                self.assertEqual(decoded.scheme, "raw")
                self.assertEqual(decoded.hex, code.upper())
                self.assertEqual(decoded.tag_uri, tag)
                self.assertIsNone(decoded.pure_uri)
                self.assertIsNone(decoded.element_string)
                self.assertIsNone(decoded.identity)
                self.assertIsNone(decoded.company_prefix)
                self.assertIsNone(decoded.filter)
                # the raw URI reads back to the same EPC
                self.assertEqual(epc.decode(tag), decoded)
        # header 0xF7 is SGTIN+ (TDS 2.0, tests/test_gs1_epc_plus.py): bits that
        # break its rules are an error, or a raw EPC when not strict
        with self.assertRaises(EpcError):
            epc.decode("F774257BF6B7A659B2C2BF10")
        self.assertEqual(
            epc.decode_hex("F774257BF6B7A659B2C2BF10", strict=False).scheme, "raw"
        )

    def test_raw_uri(self):
        # a raw URI of a GS1 header and length is decoded
        decoded = epc.parse_uri("urn:epc:raw:96.x3074257BF7194E4000001A85")
        self.assertEqual(decoded.tag_uri, STANDARD["sgtin-96"][1])
        decoded = epc.parse_uri("urn:epc:raw:170.x" + STANDARD["grai-170"][0])
        self.assertEqual(decoded.tag_uri, STANDARD["grai-170"][1])
        # a length that is not a whole number of hex digits keeps its bits
        decoded = epc.parse_uri("urn:epc:raw:10.xAC0")
        self.assertEqual((decoded.scheme, decoded.bits), ("raw", 10))
        self.assertEqual(decoded.tag_uri, "urn:epc:raw:10.xAC0")
        self.assertEpcError(
            "'urn:epc:raw:96.x3074': 96 bits need 24 hex digits",
            epc.parse_uri,
            "urn:epc:raw:96.x3074",
        )
        self.assertEpcError(
            "'urn:epc:raw:10.xAC1': the bits after bit 10 must be zero",
            epc.parse_uri,
            "urn:epc:raw:10.xAC1",
        )
        self.assertEpcError(
            "'urn:epc:raw:64.1234': only the raw URI form urn:epc:raw:N.xHEX is read",
            epc.parse_uri,
            "urn:epc:raw:64.1234",
        )

    # ------------------------------------------------------------ decode errors
    def test_decode_errors(self):
        grai170 = STANDARD["grai-170"][0] + "0"  # 44 digits, 6 zero bits at the end
        head170 = [(0x37, 8), (3, 3), (5, 3), (614141, 24), (12345, 20)]
        head202 = [(0x38, 8), (3, 3), (0, 3), (614141112345, 40)]
        cases = [
            (
                "3074257BF7194E4000001A8G",
                "EPC must be hexadecimal, got '3074257BF7194E4000001A8G'",
            ),
            (
                "0x3074257BF7194E4000001A",
                "EPC must be hexadecimal, got '0x3074257BF7194E4000001A'",
            ),
            ("", "EPC must be hexadecimal, got ''"),
            (
                "3074257BF7194E4000001A8",
                "EPC hex must be whole 16-bit words (a multiple of 4 hex digits,"
                " at most 124), got 23 hex digits",
            ),
            (
                "E2" * 64,
                "EPC hex must be whole 16-bit words (a multiple of 4 hex digits,"
                " at most 124), got 128 hex digits",
            ),
            (
                STANDARD["sgtin-96"][0][:20],
                "sgtin-96 needs 96 bits (24 hex digits), got 20 hex digits",
            ),
            (
                grai170[:40],
                "grai-170 needs 170 bits (at least 43 hex digits), got 40 hex digits",
            ),
            # partition value 7: 00110000 011 111 ...
            ("307C00000000000000000000", "sgtin-96: partition value 7 is not valid"),
            # 40 one bits for a 12-digit company prefix
            (
                "3003FFFFFFFFFC0000000000",
                "sgtin-96: company prefix 1099511627775 does not fit in 12 digits"
                " (partition 0)",
            ),
            # item reference 15 in the 4 bits of a 1-digit field
            (
                "30000000000003C000000000",
                "sgtin-96: item reference 15 does not fit in 1 digit (partition 0)",
            ),
            # SGLN partition 0 has a 1-bit location reference of 0 digits
            (
                "320000000000020000000000",
                "sgln-96: location reference 1 does not fit in 0 digits"
                " (partition 0)",
            ),
            (
                "3174257BF4499602D2000001",
                "sscc-96: the 24 unallocated bits must be zero",
            ),
            (
                bits(*head170, chars7("3#", 112)),
                "grai-170: serial has character 0x23, not in the GS1 character set 82",
            ),
            (
                bits(*head170, chars7("3\x00b", 112)),
                "grai-170: serial has non-zero bits after its last character",
            ),
            (bits(*head170, (0, 112)), "grai-170: serial is empty"),
            (
                bits(*head202, chars7("A" * 19, 148)),
                "giai-202: asset reference is longer than 18 characters",
            ),
        ]
        for code, message in cases:
            with self.subTest(code=code):
                self.assertEpcError(message, epc.decode_hex, code)
                if _is_hex(code) and len(code) % 4 == 0 and len(code) <= 124:
                    # TDS §15.2.2: what does not decode is reported raw
                    lenient = epc.decode_hex(code, strict=False)
                    self.assertEqual(lenient.scheme, "raw")
                    self.assertEqual(lenient.hex, code.upper())
        self.assertEpcError("EPC must be hexadecimal, got None", epc.decode_hex, None)
        self.assertEpcError("EPC must be text, got 42", epc.decode, 42)
        self.assertEpcError(
            "EPC must be hexadecimal, got 'not a code'", epc.decode, "not a code"
        )
        self.assertEpcError("not an EPC URI: 'urn:foo:1'", epc.decode, "urn:foo:1")

    # ------------------------------------------------------------ encode errors
    def test_encode_errors(self):
        cp = "0614141"
        cases = [
            (
                ("sgtin-96", cp),
                {"item_reference": "812345", "serial": 2**38},
                "sgtin-96: serial 274877906944 is larger than 2^38-1 = 274877906943",
            ),
            (
                ("sgtin-96", cp),
                {"item_reference": "812345", "serial": "06789"},
                "sgtin-96: serial '06789' has a leading zero, which sgtin-96 cannot"
                " encode (use sgtin-198)",
            ),
            (
                ("sgtin-96", cp),
                {"item_reference": "812345", "serial": "A1"},
                "sgtin-96: serial 'A1' is not numeric (use sgtin-198)",
            ),
            (
                ("sgtin-96", cp),
                {"item_reference": "81234", "serial": 1},
                "sgtin-96: item reference must be 6 digits, got '81234'",
            ),
            (
                ("sgtin-96", cp),
                {"item_reference": 812345, "serial": 1},
                "sgtin-96: item reference must be a string of digits, got 812345",
            ),
            (
                ("sgtin-96", cp),
                {"item_reference": "812345"},
                "sgtin-96: missing field 'serial'",
            ),
            (
                ("sgtin-96", cp),
                {"item_reference": "812345", "serial": 1, "lot": "A"},
                "sgtin-96: unknown field 'lot'; fields are item_reference, serial",
            ),
            (
                ("sgtin-96", "06141"),
                {"item_reference": "812345", "serial": 1},
                "sgtin-96: company prefix must be 6 to 12 digits, got '06141'",
            ),
            (
                ("sgtin-96", 614141),
                {"item_reference": "8123456", "serial": 1},
                "sgtin-96: company prefix must be 6 to 12 digits, got 614141",
            ),
            (
                ("sgtin-99", cp),
                {"item_reference": "812345", "serial": "A"},
                "unsupported EPC scheme 'sgtin-99'; supported: "
                + ", ".join(epc.SCHEMES),
            ),
            (
                ("sscc-96", cp),
                {"serial_reference": "123456789"},
                "sscc-96: serial reference must be 10 digits, got '123456789'",
            ),
            (
                ("sgln-96", cp),
                {"location_reference": "12345", "extension": "A1"},
                "sgln-96: extension 'A1' is not numeric (use sgln-195)",
            ),
            (
                ("sgln-96", cp),
                {"location_reference": "12345", "extension": 2**41},
                "sgln-96: extension 2199023255552 is larger than 2^41-1"
                " = 2199023255551",
            ),
            (
                ("grai-96", cp),
                {"asset_type": "12345", "serial": "X"},
                "grai-96: serial 'X' is not numeric (use grai-170)",
            ),
            (
                ("grai-170", cp),
                {"asset_type": "12345", "serial": "A" * 17},
                "grai-170: serial 'AAAAAAAAAAAAAAAAA' is longer than 16 characters",
            ),
            (
                ("grai-170", cp),
                {"asset_type": "12345", "serial": "A B"},
                "grai-170: serial has character ' ', not in the GS1 character set 82",
            ),
            (
                ("grai-170", cp),
                {"asset_type": "12345", "serial": ""},
                "grai-170: serial is empty",
            ),
            (
                ("giai-96", cp),
                {"asset_reference": "ABC"},
                "giai-96: asset reference 'ABC' is not numeric (use giai-202)",
            ),
            (
                ("giai-96", cp),
                {"asset_reference": "0012"},
                "giai-96: asset reference '0012' has a leading zero, which giai-96"
                " cannot encode (use giai-202)",
            ),
            # partition 5: 58 bits for the asset reference
            (
                ("giai-96", cp),
                {"asset_reference": str(2**58)},
                "giai-96: asset reference 288230376151711744 is larger than 2^58-1"
                " = 288230376151711743",
            ),
            (
                ("giai-202", cp),
                {"asset_reference": "X" * 24},
                "giai-202: asset reference 'XXXXXXXXXXXXXXXXXXXXXXXX' is longer than"
                " 23 characters",
            ),
            (
                ("giai-202", cp),
                {"asset_reference": "é"},
                "giai-202: asset reference has character 'é', not in the GS1"
                " character set 82",
            ),
            (
                ("giai-96", cp),
                {"asset_reference": True},
                "asset reference must be text, got True",
            ),
        ]
        for args, fields, message in cases:
            with self.subTest(message=message):
                self.assertEpcError(message, epc.encode, *args, **fields)
        for value in (8, -1, True, "3", None):
            with self.subTest(filter=value):
                self.assertEpcError(
                    f"filter must be an integer 0 to 7, got {value!r}",
                    epc.encode,
                    "giai-96",
                    cp,
                    filter=value,
                    asset_reference="1",
                )
        # the largest values that fit, and the scheme name in any case
        self.assertEqual(
            epc.encode("SGTIN-96", cp, item_reference="812345", serial=2**38 - 1),
            "3014257BF7194E7FFFFFFFFF",
        )
        self.assertEqual(
            epc.encode("giai-96", cp, asset_reference="0"), "3414257BF400000000000000"
        )
        self.assertEqual(
            epc.encode("sgln-96", cp, location_reference="12345"),
            epc.encode("sgln-96", cp, location_reference="12345", extension=0),
        )

    # ------------------------------------------------------------ URIs
    def test_percent_escapes(self):
        """TDS §6: the 7 characters a URI cannot carry are escape triplets."""
        escaped = "a%22%25%26%2F%3C%3E%3F"
        literal = "!'()*+,-.:;=_"
        uri = f"urn:epc:id:sgtin:0614141.812345.{escaped}"
        decoded = epc.parse_uri(uri)
        self.assertEqual(decoded.scheme, "sgtin")
        self.assertIsNone(decoded.hex)
        self.assertIsNone(decoded.filter)
        self.assertIsNone(decoded.tag_uri)
        self.assertEqual(decoded.serial, 'a"%&/<>?')
        self.assertEqual(decoded.pure_uri, uri)
        self.assertEqual(decoded.element_string, '(01)80614141123458(21)a"%&/<>?')
        self.assertEqual(epc.epc_from_element_string(decoded.element_string, 7), uri)
        uri = f"urn:epc:id:grai:0614141.12345.{literal}"
        self.assertEqual(epc.parse_uri(uri).serial, literal)
        self.assertEqual(epc.parse_uri(uri).pure_uri, uri)
        # lower-case hex digits in an escape are read, written in upper case
        decoded = epc.decode("urn:epc:tag:giai-202:3.0614141.32a%2fb")
        self.assertEqual(decoded.hex, STANDARD["giai-202"][0] + "0")
        self.assertEqual(decoded.tag_uri, STANDARD["giai-202"][1])
        for component in ("32a/b", "%41", "a%2", "a b", "é"):
            with self.subTest(component=component):
                self.assertEpcError(
                    f"serial {component!r} is not a valid EPC URI component",
                    epc.parse_uri,
                    f"urn:epc:id:sgtin:0614141.812345.{component}",
                )

    def test_uri_errors(self):
        cases = [
            (
                "urn:epc:id:sgtin:0614141.812345",
                "'urn:epc:id:sgtin:0614141.812345': sgtin needs 3 dot-separated"
                " fields",
            ),
            (
                "urn:epc:id:sgtin:0614141.81234.1",
                "'urn:epc:id:sgtin:0614141.81234.1': item reference must be 6 digits"
                " with a 7-digit company prefix, got '81234'",
            ),
            (
                "urn:epc:id:sscc:06141.123456789012",
                "'urn:epc:id:sscc:06141.123456789012': company prefix must be 6 to 12"
                " digits, got '06141'",
            ),
            (
                "urn:epc:id:sgtin:0614141.812345." + "1" * 21,
                "'urn:epc:id:sgtin:0614141.812345." + "1" * 21 + "': serial has at"
                " most 20 characters",
            ),
            (
                "urn:epc:id:giai:0614141." + "1" * 24,
                "'urn:epc:id:giai:0614141." + "1" * 24 + "': a GIAI has at most 30"
                " characters",
            ),
            (
                "urn:epc:id:lgtin:4012345.012345.998877",
                "unsupported EPC scheme 'lgtin' in"
                " 'urn:epc:id:lgtin:4012345.012345.998877'",
            ),
            (
                "urn:epc:tag:sgtin-197:3.0614141.812345.A",
                "unsupported EPC tag scheme 'sgtin-197' in"
                " 'urn:epc:tag:sgtin-197:3.0614141.812345.A'",
            ),
            (
                "urn:epc:tag:sgtin-96:8.0614141.812345.6789",
                "'urn:epc:tag:sgtin-96:8.0614141.812345.6789': filter must be a digit"
                " 0 to 7",
            ),
            (
                "urn:epc:tag:sgtin-96:3.0614141.812345.06789",
                "sgtin-96: serial '06789' has a leading zero, which sgtin-96 cannot"
                " encode (use sgtin-198)",
            ),
            (
                "urn:epc:tag:giai-96:3.0614141.32a%2Fb",
                "giai-96: asset reference '32a/b' is not numeric (use giai-202)",
            ),
            (
                "urn:epc:idpat:sgtin:0614141.*.*",
                "not an EPC URI: 'urn:epc:idpat:sgtin:0614141.*.*'",
            ),
        ]
        for uri, message in cases:
            with self.subTest(uri=uri):
                self.assertEpcError(message, epc.parse_uri, uri)
        self.assertEpcError(
            "not an EPC tag URI: 'urn:epc:id:giai:0614141.5678'",
            epc.tag_uri_to_hex,
            "urn:epc:id:giai:0614141.5678",
        )
        self.assertEpcError(
            "not a pure identity URI: 'urn:epc:tag:giai-96:3.0614141.5678'",
            epc.pure_uri_to_hex,
            "urn:epc:tag:giai-96:3.0614141.5678",
        )
        self.assertEpcError(
            "no sgtin-170 encoding; sgtin has sgtin-96, sgtin-198",
            epc.pure_uri_to_hex,
            "urn:epc:id:sgtin:0614141.812345.6789",
            170,
        )
        self.assertEpcError(
            "giai-96: asset reference '32a/b' is not numeric (use giai-202)",
            epc.pure_uri_to_hex,
            STANDARD["giai-202"][2],
        )

    def test_decode_accepts_every_form(self):
        code, tag, pure, element = STANDARD["sgtin-96"]
        from_hex = epc.decode(f"  {code.lower()}\n")
        self.assertEqual(epc.decode(tag), from_hex)
        self.assertEqual(epc.decode(f"urn:epc:raw:96.x{code}"), from_hex)
        from_pure = epc.decode(pure)
        self.assertEqual(
            (from_pure.scheme, from_pure.pure_uri, from_pure.element_string),
            ("sgtin", pure, element),
        )
        # repeated reads of one EPC are served from the cache
        self.assertIs(epc.decode_hex(code), epc.decode_hex(code))

    # ------------------------------------------------------------ GS1 -> EPC
    def test_epc_from_element_string(self):
        cases = {
            # the first GS1 key with an EPC wins; other AIs are ignored
            "(01)80614141123458(17)251231(10)LOT(21)6789": STANDARD["sgtin-96"][2],
            "(414)0614141123452": "urn:epc:id:sgln:0614141.12345.0",
            "]C1" + "00106141412345678908": STANDARD["sscc-96"][2],
            "(8004)0614141ABC/1": "urn:epc:id:giai:0614141.ABC%2F1",
        }
        for data, uri in cases.items():
            with self.subTest(data=data):
                self.assertEqual(epc.epc_from_element_string(data, 7), uri)
        self.assertEqual(
            epc.epc_from_element_string([("01", "80614141123458"), ("21", "6789")], 9),
            "urn:epc:id:sgtin:061414112.8345.6789",
        )
        errors = [
            ("(01)80614141123458", 7, "an SGTIN needs a serial number, AI (21)"),
            ("(8003)00614141123452", 7, "a GRAI without serial number is not an EPC"),
            # GS1 GenSpecs: a GIAI starts with a GS1 company prefix (gcppos1)
            (
                "(8004)ABC1415678",
                7,
                "AI (8004): must start with a GS1 company prefix (at least 4 digits)",
            ),
            (
                "(8004)06141ABC",
                7,
                "GIAI '06141ABC' does not start with a 7-digit company prefix"
                " followed by an asset reference",
            ),
            (
                "(8004)0614141",
                7,
                "GIAI '0614141' does not start with a 7-digit company prefix"
                " followed by an asset reference",
            ),
            (
                [("10", "ABC")],
                7,
                "no GS1 key with an EPC: (00), (01)+(21), (414), (8003), (8004),"
                " (253), (255), (417), (8006)+(21), (8010)+(8011), (8017), (8018),"
                " (401), (402)",
            ),
            (
                "(10)ABC",
                7,
                "AI (10) needs (01) or (02) or (03) or (8006) or (8026) in the same"
                " message",
            ),
            (
                "(01)80614141123458(21)1",
                13,
                "company prefix length must be 6 to 12, got 13",
            ),
            (
                "(01)80614141123458(21)1",
                5,
                "company prefix length must be 6 to 12, got 5",
            ),
            ("(01)80614141123459(21)1", 7, "AI (01): check digit 9 should be 8"),
        ]
        for data, length, message in errors:
            with self.subTest(data=data, length=length):
                self.assertEpcError(message, epc.epc_from_element_string, data, length)

    # ------------------------------------------------------------ cheap test
    def test_is_epc_hex(self):
        yes = [
            STANDARD["sgtin-96"][0],
            STANDARD["sgtin-96"][0].lower(),
            STANDARD["grai-170"][0],  # 43 digits, header 37
            STANDARD["giai-202"][0],  # 51 digits, header 38
            STANDARD["giai-202"][0] + "0",
            "E2" * 16,  # 128 bits
            "A" * 124,
        ]
        no = [
            "",
            "3074257BF7194E4000001A8",  # 23 digits
            "3074257BF7194E4000001A8G",
            "3074257BF7194E40",  # 64 bits: shorter than any GS1 EPC
            "A" * 128,
            "30" + "0" * 41,  # 43 digits but not a GRAI-170 header
            "0109506000134352",
            "9501101020917",
            "urn:epc:id:sgtin:0614141.812345.6789",
            None,
        ]
        self.assertTellsApart(epc.is_epc_hex, yes, no)


def _is_hex(code):
    """True when ``code`` is non-empty hex."""
    return bool(code) and all(char in "0123456789abcdefABCDEF" for char in code)
