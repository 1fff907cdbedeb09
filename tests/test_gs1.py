"""Unit tests of tools/gs1.py: GS1 element strings (no database).

Vectors and where they come from:

* GS1 General Specifications §7.9.1 (check digit calculation): the worked
  example GTIN-13 629104150021 -> check digit 3.  The other check digits
  below were computed by hand with the same rule (weights 3,1,3,... from the
  right; the check digit brings the sum to a multiple of 10) and are shown
  in each test.
* GTIN 09506000134352 is the example GTIN of the GS1 standards (GS1 Digital
  Link); 9501101020917 the example GTIN-13 of GS1's barcode figures.
* The GS1 keys of the EPC Tag Data Standard §7 examples: GTIN 80614141123458,
  SSCC 106141412345678908, GLN 0614141123452, GRAI 00614141123452 + 5678.
* Predefined-length AIs (no FNC1 after them): GS1 General Specifications
  §7.8.5; symbology identifiers ]C1 ]e0 ]d2 ]Q3 ]J1 (ISO/IEC 15424).
"""

import datetime

from odoo.tests import BaseCase, tagged

from ..tools import gs1
from ..tools.gs1 import Gs1Error
from .common import ExactErrors

GS = "\x1d"

# One message with a predefined-length AI (01), variable-length AIs (10, 21),
# a date (17) and a fixed-length AI that is *not* predefined (422).
PAIRS = [
    ("01", "09506000134352"),
    ("17", "251231"),
    ("10", "ABC123"),
    ("422", "056"),
    ("21", "XYZ/1-2"),
]
PARENTHESISED = "(01)09506000134352(17)251231(10)ABC123(422)056(21)XYZ/1-2"
# FNC1 after (10) and (422) because neither is of predefined length; none
# after (01) and (17), which are; none after the last element string.
RAW = "0109506000134352" + "17251231" + "10ABC123" + GS + "422056" + GS + "21XYZ/1-2"


@tagged("post_install", "-at_install")
class TestGs1(ExactErrors, BaseCase):
    def assertGs1Error(self, message, func, *args, **kwargs):
        """Assert that ``func`` raises Gs1Error with exactly ``message``."""
        self.assertErrorMessage(Gs1Error, message, func, *args, **kwargs)

    # ------------------------------------------------------------ check digit
    def test_check_digit_general_specifications_example(self):
        """GS1 General Specifications §7.9.1 worked example: 629104150021 -> 3."""
        self.assertEqual(gs1.check_digit("629104150021"), "3")
        self.assertTrue(gs1.is_valid_check_digit("6291041500213"))
        self.assertFalse(gs1.is_valid_check_digit("6291041500212"))

    def test_check_digit_keys_of_every_length(self):
        """Each computed by hand with weights 3,1,... from the right."""
        cases = {
            # GTIN-13 example: 1*3+9+0+2+0+1+0+1+1*3+0+5*3+9 = 43 -> 7
            "950110102091": "7",
            # GTIN-14 example: 5*3+3+4*3+3+1*3+0+0+0+6*3+0+5*3+9+0 = 78 -> 2
            "0950600013435": "2",
            # GTIN-14 of the TDS §7 SGTIN example (indicator 8)
            "8061414112345": "8",
            # SSCC of the TDS §7 SSCC example (extension digit 1)
            "10614141234567890": "8",
            # GLN of the TDS §7 SGLN example
            "061414112345": "2",
            # GTIN-8: 4*3+3+2*3+1+0*3+5+9*3 = 54 -> 6
            "9501234": "6",
            # GSIN (N17): 16 digits before the check digit
            "0614141123456789": "0",
            # a sum that is already a multiple of ten gives 0
            "0000000000000": "0",
        }
        for digits, expected in cases.items():
            with self.subTest(digits=digits):
                self.assertEqual(gs1.check_digit(digits), expected)
                self.assertTrue(gs1.is_valid_check_digit(digits + expected))
                wrong = str((int(expected) + 1) % 10)
                self.assertFalse(gs1.is_valid_check_digit(digits + wrong))

    def test_check_digit_rejects_non_digits(self):
        self.assertGs1Error(
            "check digit needs digits, got '12a4'", gs1.check_digit, "12a4"
        )
        self.assertGs1Error("check digit needs digits, got ''", gs1.check_digit, "")
        # Unicode digits are not GS1 digits
        self.assertGs1Error(
            "check digit needs digits, got '١٢٣'", gs1.check_digit, "١٢٣"
        )
        self.assertGs1Error("check digit needs digits, got 123", gs1.check_digit, 123)
        for value in ("", "7", "12a4", None, 6291041500213):
            with self.subTest(value=value):
                self.assertFalse(gs1.is_valid_check_digit(value))

    # ------------------------------------------------------------ input forms
    def test_parse_parenthesised(self):
        self.assertEqual(gs1.parse(PARENTHESISED), PAIRS)
        self.assertEqual(
            gs1.parse("(01)09506000134352(21)ABC"),
            [("01", "09506000134352"), ("21", "ABC")],
        )

    def test_every_input_form_gives_the_same_pairs(self):
        forms = {
            "parenthesised": PARENTHESISED,
            "raw": RAW,
            "leading FNC1": GS + RAW,
            "GS1-128 ]C1": "]C1" + RAW,
            "GS1 DataBar ]e0": "]e0" + RAW,
            "GS1 DataMatrix ]d2": "]d2" + RAW,
            "GS1 QR Code ]Q3": "]Q3" + RAW,
            "GS1 DotCode ]J1": "]J1" + RAW,
            "identifier and FNC1": "]d2" + GS + RAW,
            "scanner line end": "]C1" + RAW + "\r\n",
            "superfluous FNC1s": "]Q3" + RAW.replace("17", GS + "17", 1) + GS,
        }
        for name, data in forms.items():
            with self.subTest(form=name):
                self.assertEqual(gs1.parse(data), PAIRS)

    def test_predefined_length_ai_needs_no_separator(self):
        """(00) (01) (11) (3103) (410) are of predefined length: no FNC1."""
        data = "00106141412345678908" + "0180614141123458" + "11250100"
        data += "3103001250" + "4100614141123452" + "10LOT"
        self.assertEqual(
            gs1.parse(data),
            [
                ("00", "106141412345678908"),
                ("01", "80614141123458"),
                ("11", "250100"),
                ("3103", "001250"),
                ("410", "0614141123452"),
                ("10", "LOT"),
            ],
        )

    def test_variable_length_ai_runs_to_the_separator(self):
        # without FNC1 the batch swallows what follows: that is the standard
        parse = gs1.parse
        self.assertEqual(
            parse("10ABC17251231", associations=False), [("10", "ABC17251231")]
        )
        self.assertEqual(
            parse("10ABC" + GS + "17251231", associations=False),
            [("10", "ABC"), ("17", "251231")],
        )
        # (422) is fixed-length but not predefined: it runs to the FNC1 too
        self.assertGs1Error(
            "AI (422): value must be 3 digits, got 5", gs1.parse, "42205610"
        )

    def test_gs1_keys_of_the_epc_schemes(self):
        """The element strings of TDS §7 (SGTIN, SSCC, SGLN, GRAI, GIAI)."""
        cases = {
            "(01)80614141123458(21)6789": [("01", "80614141123458"), ("21", "6789")],
            "(00)106141412345678908": [("00", "106141412345678908")],
            "(414)0614141123452(254)5678": [
                ("414", "0614141123452"),
                ("254", "5678"),
            ],
            # GRAI: N1 zero, N13 with check digit, optional serial X..16
            "(8003)006141411234525678": [("8003", "006141411234525678")],
            "(8003)00614141123452": [("8003", "00614141123452")],
            "(8004)06141415678": [("8004", "06141415678")],
            "(8004)061414132a/b": [("8004", "061414132a/b")],
            # GDTI: 13 digits with check digit, then an optional serial
            "(253)0614141123452ABC": [("253", "0614141123452ABC")],
            "(402)06141411234567890": [("402", "06141411234567890")],
        }
        for data, expected in cases.items():
            with self.subTest(data=data):
                self.assertEqual(gs1.parse(data), expected)

    def test_every_ai_of_the_issue(self):
        """Each AI asked for parses from both forms to the same pair."""
        values = {
            "00": "106141412345678908",
            "01": "09506000134352",
            "02": "09506000134352",
            "10": "ABC-1",
            "11": "250101",
            "13": "250100",
            "15": "251231",
            "17": "240229",
            "21": "SN/1",
            "22": "CPV",
            "240": "ADD",
            "241": "CUST",
            "250": "SEC",
            "251": "SRC",
            "253": "0614141123452",
            "254": "EXT",
            "255": "0614141123452123",
            "30": "12",
            "37": "12345678",
            "400": "PO-1",
            "401": "0614141GINC",
            "402": "06141411234567890",
            "403": "ROUTE",
            "410": "0614141123452",
            "411": "0614141123452",
            "412": "0614141123452",
            "413": "0614141123452",
            "414": "0614141123452",
            "415": "0614141123452",
            "416": "0614141123452",
            "417": "0614141123452",
            "420": "1050",
            "421": "0561050",
            "422": "056",
            "8003": "006141411234525678",
            "8004": "06141415678",
            "8020": "REF",
            "90": "INTERNAL",
            "91": "X",
            "99": "Y",
        }
        for ai, value in values.items():
            with self.subTest(ai=ai):
                pairs = [(ai, value)]
                # one AI alone: its mandatory associations are not checked
                parse = gs1.parse
                self.assertEqual(parse(f"({ai}){value}", associations=False), pairs)
                self.assertEqual(parse("]C1" + ai + value, associations=False), pairs)
                self.assertEqual(gs1.to_parenthesised(pairs), f"({ai}){value}")

    # ------------------------------------------------------------ formatting
    def test_to_raw_and_back(self):
        self.assertEqual(gs1.to_raw(PAIRS), RAW)
        self.assertEqual(gs1.to_parenthesised(PAIRS), PARENTHESISED)
        self.assertEqual(gs1.parse(gs1.to_raw(PAIRS)), PAIRS)
        self.assertEqual(gs1.to_raw(PAIRS, fnc1="|").count("|"), 2)
        self.assertEqual(
            gs1.to_raw([("21", "A"), ("01", "09506000134352"), ("10", "B")]),
            "21A" + GS + "010950600013435210B",
        )
        # a variable-length AI at the end takes no separator
        self.assertEqual(gs1.to_raw([("10", "B")]), "10B")

    def test_formatting_validates(self):
        self.assertGs1Error(
            "AI (01): check digit 3 should be 2",
            gs1.to_raw,
            [("01", "09506000134353")],
        )
        self.assertGs1Error("unknown AI (04)", gs1.to_parenthesised, [("04", "1")])
        self.assertGs1Error("no element string to format", gs1.to_raw, [])
        self.assertGs1Error("expected (ai, value) pairs, got '01'", gs1.to_raw, ["01"])
        self.assertGs1Error(
            "AI (10): value must be a string, got 5", gs1.to_raw, [("10", 5)]
        )

    # ------------------------------------------------------------ validation
    def test_validation_errors(self):
        """Each rule, with the message that names the AI and the rule."""
        cases = [
            ("(01)09506000134353", "AI (01): check digit 3 should be 2"),
            ("(00)106141412345678909", "AI (00): check digit 9 should be 8"),
            ("(414)0614141123453", "AI (414): check digit 3 should be 2"),
            ("(410)0614141123459", "AI (410): check digit 9 should be 2"),
            ("(402)06141411234567891", "AI (402): check digit 1 should be 0"),
            ("(253)0614141123451ABC", "AI (253): check digit 1 should be 2"),
            ("(8003)006141411234535678", "AI (8003): check digit 3 should be 2"),
            ("(8003)106141411234525678", "AI (8003): the first digit must be 0, got 1"),
            (
                "(8003)0061414112345",
                "AI (8003): value must be 14 to 30 characters, got 13",
            ),
            (
                "(253)061414112345",
                "AI (253): value must be 13 to 30 characters, got 12",
            ),
            ("(01)0950600013435", "AI (01): value must be 14 digits, got 13"),
            (
                "(01)0950600013435A",
                "AI (01): value must be numeric, got '0950600013435A'",
            ),
            ("(10)" + "A" * 21, "AI (10): value must be 1 to 20 characters, got 21"),
            (
                "(8004)" + "1" * 31,
                "AI (8004): value must be 1 to 30 characters, got 31",
            ),
            ("(10)", "AI (10): value is empty"),
            ("(30)12A", "AI (30): value must be numeric, got '12A'"),
            (
                "(21)AB€",
                "AI (21): character '€' is not in the GS1 AI encodable"
                " character set 82",
            ),
            (
                "(21)A B",
                "AI (21): character ' ' is not in the GS1 AI encodable"
                " character set 82",
            ),
            ("(17)251301", "AI (17): invalid date 251301 (YYMMDD): month 13"),
            ("(17)250001", "AI (17): invalid date 250001 (YYMMDD): month 00"),
            ("(15)250230", "AI (15): invalid date 250230 (YYMMDD): day 30"),
            ("(11)250229", "AI (11): invalid date 250229 (YYMMDD): day 29"),
            ("(13)250432", "AI (13): invalid date 250432 (YYMMDD): day 32"),
            ("(7003)2501011260", "AI (7003): invalid time 1260 (HHMM)"),
            # (04) is unknown, but its prefix fixes 16 characters (§7.8.5)
            ("(04)12", "AI (04): value must be 16 characters, got 2"),
            ("(10)A(10)B", "AI (10) appears twice with different values"),
            ("x(01)09506000134352", "no known AI at position 0: 'x(01'"),
            # no AI starts with 05: the length of the AI cannot be read
            ("0512345", "no known AI at position 0: '0512'"),
            ("010950600013435", "AI (01): value must be 14 digits, got 13"),
            ("01095060001" + GS + "10A", "AI (01): value must be 14 digits, got 9"),
            ("", "empty element string"),
            ("]C1", "empty element string"),
        ]
        for data, message in cases:
            with self.subTest(data=data):
                self.assertGs1Error(message, gs1.parse, data)
        self.assertGs1Error(
            "element string must be text, got NoneType", gs1.parse, None
        )

    def test_dates(self):
        """YYMMDD: DD may be 00 (month only); leap years by the §7.12 century."""
        gtin = ("01", "09506000134352")
        self.assertEqual(
            gs1.parse(f"(01){gtin[1]}(17)250200"), [gtin, ("17", "250200")]
        )
        self.assertEqual(
            gs1.parse(f"(01){gtin[1]}(11)240229"), [gtin, ("11", "240229")]
        )
        self.assertEqual(
            gs1.parse(f"(01){gtin[1]}(15)251231"), [gtin, ("15", "251231")]
        )
        # the same value repeated is not a conflict
        self.assertEqual(
            gs1.parse("(10)A(10)A", associations=False), [("10", "A"), ("10", "A")]
        )
        # 7006 is YYMMDD without the DD=00 exception
        self.assertGs1Error(
            "AI (7006): invalid date 250200 (YYMMDD): day 00",
            gs1.parse,
            "(7006)250200",
        )

    def test_century_rule(self):
        """GS1 General Specifications §7.12, relative to the current year."""
        today = datetime.date(2025, 6, 1)
        self.assertEqual(gs1._full_year(25, today), 2025)
        self.assertEqual(gs1._full_year(75, today), 2075)  # 50 ahead
        self.assertEqual(gs1._full_year(76, today), 1976)  # 51 ahead
        self.assertEqual(gs1._full_year(0, today), 2000)
        today = datetime.date(2080, 1, 1)
        self.assertEqual(gs1._full_year(30, today), 2130)  # 50 behind
        self.assertEqual(gs1._full_year(31, today), 2031)  # 49 behind

    # ------------------------------------------------------------ cheap test
    def test_looks_like_element_string(self):
        yes = [
            PARENTHESISED,
            "]C1" + RAW,
            "]d2" + RAW,
            GS + RAW,
            RAW,  # has an FNC1 and starts with an AI
            "0109506000134352",  # (01) whose GTIN has a valid check digit
            "00106141412345678908",
        ]
        no = [
            "",
            "(1)",
            "(05)ABC",  # not an AI
            "9501101020917",  # an EAN-13, not an element string
            "0109506000134353",  # GTIN check digit wrong: not taken for (01)
            "3074257BF7194E4000001A85",  # an EPC
            "urn:epc:id:sgtin:0614141.812345.6789",
            None,
        ]
        self.assertTellsApart(gs1.looks_like_element_string, yes, no)
