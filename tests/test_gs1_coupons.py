# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""AIs (8110) and (8112): the structure of North American coupon codes.

Sources: GS1 General Specifications, AI (8110) "Coupon code identification
for use in North America" and AI (8112) "Paperless coupon code identification
for use in North America", which refer to the "North American Coupon
Application Guideline Using GS1 DataBar Expanded Symbols" and the "GS1 AI
(8112) Coupon Data Specification"; the cases are those of GS1's Barcode
Syntax Dictionary (linters ``couponcode`` and ``couponposoffer``, their
unit tests), the reference the GS1 Syntax Engine applies.
"""

from odoo.tests import BaseCase, tagged

from ..tools import gs1
from ..tools.gs1 import Gs1Error

# (8110): company prefix VLI 0 + 6 digits, offer code, save value VLI 1 + 1
# digit, 1st purchase requirement VLI 1 + 1 digit, requirement code, family.
BASE_8110 = "012345612345611110123"


@tagged("post_install", "-at_install")
class TestGs1Coupons(BaseCase):
    def _problem(self, ai, value):
        with self.assertRaises(Gs1Error) as caught:
            gs1.parse(f"({ai}){value}")
        return str(caught.exception)

    def test_8110_accepted(self):
        """Every optional field (1, 2, 3, 4, 5, 6, 9), alone and together."""
        for value in (
            BASE_8110,
            BASE_8110 + "3200229",  # expiration date, a leap day
            BASE_8110 + "35006064500606",  # expiration = start date
            BASE_8110 + "50123456",  # serial number, VLI 0 + 6 digits
            BASE_8110 + "59123456789012345",  # serial number, VLI 9 + 15
            BASE_8110 + "611234567",  # retailer GCP/GLN, VLI 1 + 7
            BASE_8110 + "671234567890123",  # retailer GCP/GLN, VLI 7 + 13
            BASE_8110 + "1" + "0" + "11" + "0123" + "0123456",  # 2nd purchase
            BASE_8110 + "1" + "3" + "11" + "9123" + "9",  # 2nd GCP VLI 9: none
            BASE_8110 + "2" + "11" + "0123" + "0123456",  # 3rd purchase
            BASE_8110 + "9" + "0" + "0" + "0" + "1",  # miscellaneous
            # fields 1, 3, 4, 5 and 9 together: 63 of the 70 characters
            BASE_8110
            + ("1" + "0" + "11" + "0123" + "0123456")
            + ("3" + "291231")
            + ("4" + "250101")
            + ("5" + "0" + "123456")
            + ("9" + "6000"),
        ):
            with self.subTest(value=value):
                self.assertEqual(gs1.parse(f"(8110){value}"), [("8110", value)])

    def test_8110_refused(self):
        """Each broken rule of the coupon code is named, AI by AI."""
        for value, problem in (
            ("A12345612345611110123", "a coupon code has digits only"),
            ("01", "company prefix is shorter than 6 digits"),
            ("0123456", "offer code is shorter than 6 digits"),
            ("71234567890123", "company prefix length indicator 7 is not valid"),
            ("01234561234560", "save value length indicator 0 is not valid"),
            ("01234561234561", "save value is shorter than 1 digit"),
            ("012345612345611", "1st purchase requirement length indicator is missing"),
            (
                "012345612345611115",
                "1st purchase requirement code 5 is not valid",
            ),
            ("012345612345611101", "1st purchase family code is shorter than 3 digits"),
            (BASE_8110 + "14", "additional purchase rules code 4 is not valid"),
            (
                BASE_8110 + "101101237",
                "2nd purchase company prefix length indicator 7 is not valid",
            ),
            (BASE_8110 + "3200230", "expiration date: invalid date 200230 (YYMMDD)"),
            (BASE_8110 + "4201232", "start date: invalid date 201232 (YYMMDD)"),
            (
                BASE_8110 + "35006064500607",
                "expiration date 500606 is before start date 500607",
            ),
            (BASE_8110 + "5012345", "serial number is shorter than 6 digits"),
            (BASE_8110 + "60", "retailer company prefix or GLN length indicator 0"),
            (BASE_8110 + "93", "save value code 3 is not valid"),
            (BASE_8110 + "903", "save value applies to item 3 is not valid"),
            (BASE_8110 + "90002", "don't multiply flag 2 is not valid"),
            (BASE_8110 + "32002290", "unexpected data '0' at the end"),
            # optional fields come once each, in their order
            (BASE_8110 + "32002293200229", "unexpected data '3200229' at the end"),
            (BASE_8110 + "4200229" + "3200229", "unexpected data '3200229'"),
        ):
            with self.subTest(value=value):
                self.assertIn(problem, self._problem("8110", value))
                self.assertTrue(self._problem("8110", value).startswith("AI (8110)"))

    def test_8112_positive_offer(self):
        """Format code, funder ID (VLI 0-6 + 6), offer code, serial (VLI + 6)."""
        for value in (
            "001234561234560123456",
            "101234561234560123456",
            "0012345612345611234567",
            "001234561234569123456789012345",
            "061234567890121234569123456789012345",
        ):
            with self.subTest(value=value):
                self.assertEqual(gs1.parse(f"(8112){value}"), [("8112", value)])
        for value, problem in (
            ("201234561234560123456", "format code 2 is not valid"),
            ("07", "funder ID length indicator 7 is not valid"),
            ("0012345", "funder ID is shorter than 6 digits"),
            ("00123456123", "offer code is shorter than 6 digits"),
            ("00123456123456", "serial number length indicator is missing"),
            ("001234561234561123456", "serial number is shorter than 7 digits"),
            ("0012345612345601234567", "unexpected data '7' at the end"),
            ("00123456123456012345a", "a coupon code has digits only"),
        ):
            with self.subTest(value=value):
                self.assertEqual(
                    self._problem("8112", value),
                    f"AI (8112): coupon code: {problem}"
                    if problem != "a coupon code has digits only"
                    else f"AI (8112): {problem}",
                )

    def test_element_string_with_other_ais_still_parses(self):
        """A coupon code is checked inside a whole message like any AI."""
        message = f"(255)0614141000418(8110){BASE_8110}"
        self.assertEqual(
            gs1.parse(message), [("255", "0614141000418"), ("8110", BASE_8110)]
        )
