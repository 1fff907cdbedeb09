# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Portal "My equipment", as the holders see it through HTTP."""

import base64
import io
from datetime import datetime

from freezegun import freeze_time
from PIL import Image

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import ASSET_USER, PORTAL, PortalPages, company_user, portal_user


@tagged("post_install", "-at_install")
@freeze_time("2026-03-05 10:00:00")
class TestPortalEquipment(PortalPages, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        company = cls.env.company
        Partner = cls.env["res.partner"]
        cls.acme = Partner.create({"name": "Acme Ltd", "is_company": True})
        cls.paula = portal_user(cls.env, "paula_portal", cls.acme, name="Paula Portal")
        cls.pete = company_user(
            cls.env,
            "pete_portal",
            company,
            PORTAL,
            name="Pete Portal",
        )
        cls.quentin = Partner.create(
            {"name": "Quentin of Acme", "parent_id": cls.acme.id}
        )
        cls.responsible = company_user(
            cls.env, "equipment_manager", company, ASSET_USER
        )
        assets = cls.env["stock.asset"].create(
            [
                {
                    "name": name,
                    "code": code,
                    "state": "in_use",
                    "company_id": company.id,
                    "user_id": cls.responsible.id,
                }
                for code, name in (
                    ("P-PAULA", "Paula's Drill"),
                    ("P-ACME", "Acme's Loaner Laser"),
                    ("P-QUENTIN", "Quentin's Meter"),
                    ("P-PETE", "Pete's Saw"),
                )
            ]
        )
        with freeze_time("2026-03-02 09:00:00"):
            for asset, holder in zip(
                assets,
                (cls.paula.partner_id, cls.acme, cls.quentin, cls.pete.partner_id),
                strict=True,
            ):
                asset.action_checkout(
                    holder, date_due="2026-03-16 17:00:00", note="With its case."
                )
        cls.asset_paula, cls.asset_acme, cls.asset_quentin, cls.asset_pete = assets
        cls.custody_paula = cls.asset_paula.custody_id
        cls.custody_acme = cls.asset_acme.custody_id
        cls.custody_quentin = cls.asset_quentin.custody_id
        cls.custody_pete = cls.asset_pete.custody_id

    def _post(self, url, **data):
        return self.url_open(
            url, data={"csrf_token": http.Request.csrf_token(self), **data}
        )

    def test_my_equipment_lists_what_the_holder_holds(self):
        self.authenticate("paula_portal", "paula_portal")
        page = self.portal_page("/my/equipment")
        # their own item, and their company's loaner; never a colleague's or another's
        self.assertIn("P-PAULA", page)
        self.assertIn("P-ACME", page)
        self.assertNotIn("P-QUENTIN", page)
        self.assertNotIn("P-PETE", page)
        self.assertEqual(page.count('class="o_my_equipment_row"'), 2)
        self.assertIn("To Acknowledge", page)
        # returned items move to the "Returned" filter
        self.asset_paula.action_checkin()
        page = self.url_open("/my/equipment").text
        self.assertNotIn("P-PAULA", page)
        page = self.url_open("/my/equipment?filterby=returned").text
        self.assertIn("P-PAULA", page)
        self.assertEqual(page.count('class="o_my_equipment_row"'), 1)

    def test_home_shows_the_entry_and_its_counter(self):
        self.authenticate("paula_portal", "paula_portal")
        home = self.url_open("/my").text
        self.assertIn('href="/my/equipment"', home)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["equipment_count"]}
        )
        self.assertEqual(counters, {"equipment_count": 2})
        self.authenticate("pete_portal", "pete_portal")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["equipment_count"]}
        )
        self.assertEqual(counters, {"equipment_count": 1})

    def test_item_page_only_for_its_holder(self):
        self.authenticate("paula_portal", "paula_portal")
        page = self.portal_page(f"/my/equipment/{self.custody_paula.id}")
        self.assertIn("Paula&#39;s Drill", page)
        self.assertIn("With its case.", page)
        self.assertIn("Acknowledge Receipt", page)
        for custody in (self.custody_pete, self.custody_quentin):
            response = self.url_open(f"/my/equipment/{custody.id}")
            self.assertTrue(response.url.endswith("/my/equipment"), custody)
            self.assertNotIn(custody.asset_code, response.text)

    def test_acknowledge_receipt(self):
        self.authenticate("paula_portal", "paula_portal")
        with freeze_time("2026-03-05 10:00:00"):
            response = self._post(f"/my/equipment/{self.custody_paula.id}/acknowledge")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("?message=ack_ok"))
        self.assertIn("Thank you: your receipt is recorded.", response.text)
        self.assertEqual(
            self.custody_paula.acknowledged_date, datetime(2026, 3, 5, 10, 0)
        )
        self.assertNotIn("I Received It", response.text)
        # twice: refused, the first time stays
        with freeze_time("2026-03-06 10:00:00"):
            response = self._post(f"/my/equipment/{self.custody_paula.id}/acknowledge")
        self.assertTrue(response.url.endswith("?message=ack_refused"))
        self.assertEqual(
            self.custody_paula.acknowledged_date, datetime(2026, 3, 5, 10, 0)
        )
        # someone else's line: not theirs to acknowledge
        response = self._post(f"/my/equipment/{self.custody_pete.id}/acknowledge")
        self.assertTrue(response.url.endswith("/my/equipment"))
        self.assertFalse(self.custody_pete.acknowledged_date)

    def test_acknowledge_with_signature(self):
        buffer = io.BytesIO()
        Image.new("RGB", (8, 4), "black").save(buffer, "PNG")
        signature = base64.b64encode(buffer.getvalue()).decode()
        self.authenticate("paula_portal", "paula_portal")
        with freeze_time("2026-03-05 11:00:00"):
            answer = self.make_jsonrpc_request(
                f"/my/equipment/{self.custody_acme.id}/sign",
                {"name": "Paula P.", "signature": signature},
            )
        self.assertEqual(
            answer,
            {
                "force_refresh": True,
                "redirect_url": f"/my/equipment/{self.custody_acme.id}?message=ack_ok",
            },
        )
        self.assertRecordValues(
            self.custody_acme,
            [{"signed_by": "Paula P.", "acknowledged_date": datetime(2026, 3, 5, 11)}],
        )
        self.assertTrue(self.custody_acme.signature)
        answer = self.make_jsonrpc_request(
            f"/my/equipment/{self.custody_pete.id}/sign",
            {"name": "Paula P.", "signature": signature},
        )
        self.assertEqual(answer, {"error": "This equipment is not yours."})

    def test_report_a_problem(self):
        self.authenticate("paula_portal", "paula_portal")
        response = self._post(
            f"/my/equipment/{self.custody_paula.id}/report",
            description="Battery <b>swollen</b>\nStopped using it.",
        )
        self.assertTrue(response.url.endswith("?message=report_ok"))
        message = self.asset_paula.message_ids.filtered(
            lambda m: m.message_type == "comment"
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.paula.partner_id)
        self.assertIn("Problem reported by the holder", message.body)
        self.assertIn("Battery &lt;b&gt;swollen&lt;/b&gt;", message.body)
        self.assertEqual(message.partner_ids, self.responsible.partner_id)
        response = self._post(
            f"/my/equipment/{self.custody_paula.id}/report", description="  "
        )
        self.assertTrue(response.url.endswith("?message=report_refused"))
        response = self._post(
            f"/my/equipment/{self.custody_pete.id}/report", description="Broken."
        )
        self.assertFalse(
            self.asset_pete.message_ids.filtered(lambda m: m.message_type == "comment")
        )

    def test_portal_users_are_bounded_by_the_record_rules(self):
        Custody = self.env["stock.asset.custody"].with_user(self.paula)
        self.assertEqual(Custody.search([]), self.custody_paula | self.custody_acme)
        with self.assertRaises(AccessError):
            self.custody_pete.with_user(self.paula).read(["date_due"])
        with self.assertRaises(AccessError):
            self.custody_paula.with_user(self.paula).write({"date_due": False})
        with self.assertRaises(AccessError):
            self.custody_quentin.with_user(self.paula).action_report_problem("Mine?")
        with self.assertRaises(AccessError):
            self.env["stock.asset.custody"].with_user(self.paula).create(
                {"asset_id": self.asset_pete.id, "holder_id": self.paula.partner_id.id}
            )
