# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import re
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import ASSET_USER, PortalPages, company_user, portal_user
from .installed_base_common import create_acme_water

URL = "/my/installed-equipment"


@tagged("post_install", "-at_install")
class TestInstalledBasePortal(PortalPages, HttpCase):
    """'My installed equipment' as a customer's portal user, who must never see
    another customer's items."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        env = cls.env
        Partner = env["res.partner"]
        cls.acme, cls.acme_plant = create_acme_water(env)
        cls.globex = Partner.create({"name": "Globex", "is_company": True})
        cls.portal_user = portal_user(env, "acme_portal", cls.acme, name="Alice Acme")
        cls.globex_user = portal_user(env, "globex_portal", cls.globex)
        cls.service_lead = company_user(env, "service_lead", env.company, ASSET_USER)
        product = env["product.product"].create(
            {"name": "Pump P-200", "is_storable": True, "tracking": "serial"}
        )
        lots = env["stock.lot"].create(
            [
                {"name": name, "product_id": product.id}
                for name in ("ACME-001", "ACME-002", "GLX-SECRET-1")
            ]
        )
        today = fields.Date.context_today(cls.service_lead)
        common = {
            "product_id": product.id,
            "ownership": "customer",
            "state": "in_use",
            "user_id": cls.service_lead.id,
            "delivery_date": today - timedelta(days=30),
            "warranty_start_date": today - timedelta(days=30),
            "warranty_end_date": today + timedelta(days=300),
        }

        def pump(name, lot, partner, site, state, **values):
            return dict(
                common,
                name=name,
                lot_id=lot.id,
                partner_id=partner.id,
                site_partner_id=site.id,
                installation_state=state,
                **values,
            )

        cls.item, cls.returned, cls.foreign = env["stock.asset"].create(
            [
                pump("Acme pump", lots[0], cls.acme, cls.acme_plant, "installed"),
                pump(
                    "Acme old pump",
                    lots[1],
                    cls.acme,
                    cls.acme,
                    "returned",
                    return_date=today - timedelta(days=2),
                    warranty_end_date=today - timedelta(days=2),
                ),
                pump("Globex pump", lots[2], cls.globex, cls.globex, "installed"),
            ]
        )
        Service = env["stock.asset.service"]
        cls.visit = Service.create(
            {
                "asset_id": cls.item.id,
                "service_type": "preventive",
                "date": today - timedelta(days=10),
                "technician_id": cls.service_lead.id,
                "notes": "Seals replaced",
            }
        )
        cls.foreign_visit = Service.create(
            {
                "asset_id": cls.foreign.id,
                "service_type": "repair",
                "notes": "Globex secret notes",
            }
        )

    def setUp(self):
        super().setUp()
        self.authenticate("acme_portal", "acme_portal")

    def _requests(self):
        return self.env["stock.asset.service"].search([("state", "=", "draft")])

    def test_list_shows_own_items_only(self):
        page = self.portal_page(URL)
        self.assertIn("Acme pump", page)
        self.assertIn("ACME-001", page)
        self.assertIn("Plant North", page)
        self.assertIn("In Warranty", page)
        self.assertNotIn("Acme old pump", page, "returned items are filtered out")
        self.assertNotIn("Globex", page)
        self.assertNotIn("GLX-SECRET-1", page)
        page = self.url_open(f"{URL}?filterby=all").text
        self.assertIn("Acme old pump", page)
        self.assertIn("Warranty Expired", page)
        self.assertNotIn("GLX-SECRET-1", page)

    def test_home_counter(self):
        result = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["installed_equipment_count"]}
        )
        self.assertEqual(result, {"installed_equipment_count": 1})

    def test_item_page(self):
        page = self.portal_page(f"{URL}/{self.item.id}")
        for text in ("Acme pump", "ACME-001", "1 River Road", "Lyon", "In Warranty"):
            self.assertIn(text, page)
        self.assertIn("Seals replaced", page)
        self.assertIn("Preventive Visit", page)
        self.assertNotIn("Globex secret notes", page)
        self.assertIn("Request Service", page)

    def test_other_customers_item_is_not_found(self):
        response = self.url_open(f"{URL}/{self.foreign.id}")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("GLX-SECRET-1", response.text)
        token = self._csrf_token()
        response = self.url_open(
            f"{URL}/{self.foreign.id}/request-service",
            data={"csrf_token": token, "service_type": "repair", "notes": "Mine?"},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self._requests())

    def test_request_service(self):
        response = self.url_open(
            f"{URL}/{self.item.id}/request-service",
            data={
                "csrf_token": self._csrf_token(),
                "service_type": "repair",
                "notes": "Leaks <b>again</b>",
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(f"{URL}/{self.item.id}?requested=1")
        )
        self.env.invalidate_all()
        request = self._requests()
        self.assertRecordValues(
            request,
            [
                {
                    "asset_id": self.item.id,
                    "service_type": "repair",
                    "notes": "Leaks <b>again</b>",
                    "state": "draft",
                    "partner_id": self.acme.id,
                    "requested_by_id": self.portal_user.partner_id.id,
                    "technician_id": False,
                    "under_warranty": True,
                }
            ],
        )
        activity = self.item.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.service_lead)
        self.assertEqual(activity.summary, "Repair requested by Acme Water, Alice Acme")
        self.assertIn("Leaks &lt;b&gt;again&lt;/b&gt;", activity.note)
        page = self.url_open(f"{URL}/{self.item.id}?requested=1").text
        self.assertIn("Your request was sent to our service team.", page)
        self.assertIn("Requested", page)

    def test_empty_or_forged_requests_are_refused(self):
        token = self._csrf_token()
        response = self.url_open(
            f"{URL}/{self.item.id}/request-service",
            data={"csrf_token": token, "service_type": "repair", "notes": "  "},
            allow_redirects=False,
        )
        self.assertTrue(response.headers["Location"].endswith("?error=empty"))
        response = self.url_open(
            f"{URL}/{self.item.id}/request-service",
            data={"csrf_token": token, "service_type": "calibration", "notes": "x"},
            allow_redirects=False,
        )
        self.assertTrue(response.headers["Location"].endswith("?error=invalid"))
        self.assertFalse(self._requests())

    def test_rpc_as_portal_user(self):
        """The record rules hold without the controller's domain."""
        env = self.env(user=self.portal_user)
        Asset, Service = env["stock.asset"], env["stock.asset.service"]
        self.assertEqual(Asset.search([]), self.item | self.returned)
        self.assertEqual(Service.search([]), self.visit)
        with self.assertRaises(AccessError):
            self.foreign.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            Service.create({"asset_id": self.foreign.id, "notes": "x"})
        with self.assertRaises(AccessError):
            Service.create({"asset_id": self.item.id, "state": "done"})
        with self.assertRaises(AccessError):
            self.visit.with_user(self.portal_user).write({"notes": "changed"})
        other = self.env(user=self.globex_user)["stock.asset"]
        self.assertEqual(other.search([]), self.foreign)

    def _csrf_token(self):
        page = self.url_open(f"{URL}/{self.item.id}").text
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
