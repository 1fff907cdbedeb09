# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Customers read what the portal shows them, never the internal fields of their
items, custody lines and service entries: tried with a portal user's session over
JSON-RPC (``/web/dataset/call_kw``), the way a curious customer would."""

from datetime import timedelta

from odoo import fields, models
from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import ASSET_USER, PortalPages, company_user, portal_user
from .installed_base_common import create_acme_water

ACCESS_ERROR = "odoo.exceptions.AccessError"
ODOO_FIELDS = {*models.MAGIC_COLUMNS, "display_name"}

# what the portal pages show, and what a customer may read of their items
PORTAL_ASSET_FIELDS = {
    "name",
    "code",
    "serial_number",
    "partner_id",
    "installation_state",
    "site_address",
    "delivery_date",
    "return_date",
    "warranty_start_date",
    "warranty_end_date",
    "warranty_state",
    # the item's lifecycle status (in use, in repair, lost, disposed) is not internal
    "state",
    "active",
    "company_id",
    "currency_id",
}
PORTAL_CUSTODY_FIELDS = {
    "asset_id",
    "company_id",
    "asset_code",
    "asset_name",
    "asset_serial",
    "asset_category_name",
    "asset_image_128",
    "holder_id",
    "holder_name",
    "date_from",
    "date_due",
    "date_returned",
    "state",
    "is_overdue",
    "note_out",
    "signature",
    "signed_by",
    "acknowledged_date",
    # whether the current user may correct the holding: False for every customer
    "can_correct_history",
}
PORTAL_SERVICE_FIELDS = {
    "asset_id",
    "company_id",
    "partner_id",
    "serial_number",
    "date",
    "service_type",
    "state",
    "notes",
    "under_warranty",
}
INTERNAL_ASSET_FIELDS = (
    "note",
    "original_value",
    "salvage_value",
    "book_value",
    "value_residual",
    "depreciated_value",
    "depreciation_line_ids",
    "register_change_ids",
    "method",
    "acquisition_date",
    "invoice_line_id",
    "disposal_proceeds",
    "epc",
    "gs1_identity",
    "giai",
    "label_barcode",
    "lot_id",
    "product_id",
    "category_id",
    "location_id",
    "last_seen_date",
    "user_id",
    "holder_id",
    "custody_ids",
    "observation_ids",
    "calibration_state",
    "calibration_schedule_ids",
    "site_partner_id",
    "delivery_picking_id",
    "service_ids",
    "next_audit_date",
)
INTERNAL_CUSTODY_FIELDS = (
    "checkout_user_id",
    "checkin_user_id",
    "location_from_id",
    "location_to_id",
    "return_location_id",
    "note_in",
    "reservation_id",
    "category_id",
    "overdue_notified_date",
)
INTERNAL_SERVICE_FIELDS = (
    "technician_id",
    "duration",
    "attachment_ids",
    "calibration_id",
    "requested_by_id",
)
INTERNAL_OTHER_FIELDS = {
    "account.move": ("asset_id", "asset_depreciation_line_ids"),
    "account.move.line": ("stock_asset_ids",),
    "res.company": ("asset_gs1_company_prefix", "asset_reservation_grace_hours"),
}

# per model, the fields the portal shows, and those it never describes
PORTAL_FIELDS = {
    "stock.asset": PORTAL_ASSET_FIELDS,
    "stock.asset.custody": PORTAL_CUSTODY_FIELDS,
    "stock.asset.service": PORTAL_SERVICE_FIELDS,
}
INTERNAL_FIELDS = {
    "stock.asset": INTERNAL_ASSET_FIELDS,
    "stock.asset.custody": INTERNAL_CUSTODY_FIELDS,
    "stock.asset.service": INTERNAL_SERVICE_FIELDS,
    **INTERNAL_OTHER_FIELDS,
}


@tagged("post_install", "-at_install")
class TestPortalFields(PortalPages, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        env = cls.env
        company = env.company
        cls.acme, cls.plant = create_acme_water(env)
        cls.customer = portal_user(env, "acme_fields", cls.acme, name="Alice Acme")
        cls.technician = company_user(
            env, "tech_fields", company, ASSET_USER, name="Tom Technician"
        )
        # an employee without any asset group: the backend still works for them
        cls.employee = company_user(
            env,
            "employee_fields",
            company,
            name="Emma Employee",
        )
        category = env["stock.asset.category"].create({"name": "Pumps Category"})
        product = env["product.product"].create(
            {"name": "Pump P-300", "is_storable": True, "tracking": "serial"}
        )
        cls.product = product
        cls.lots = lots = env["stock.lot"].create(
            [
                {"name": name, "product_id": product.id}
                for name in ("ACME-SN-1", "LOAN-SN-2")
            ]
        )
        today = fields.Date.context_today(cls.technician)
        shelf = (
            env["stock.warehouse"]
            .search([("company_id", "=", company.id)], limit=1)
            .lot_stock_id
        )
        cls.item = env["stock.asset"].create(
            {
                "name": "Acme pump",
                "code": "PF-0001",
                "epc": "3034257BF400000000000001",
                "product_id": product.id,
                "lot_id": lots[0].id,
                "category_id": category.id,
                "ownership": "customer",
                "state": "in_use",
                "user_id": cls.technician.id,
                "partner_id": cls.acme.id,
                "site_partner_id": cls.plant.id,
                "installation_state": "installed",
                "location_id": shelf.id,
                "note": "<p>Internal: sold at a loss, watch the margin</p>",
                "delivery_date": today - timedelta(days=30),
                "warranty_start_date": today - timedelta(days=30),
                "warranty_end_date": today + timedelta(days=300),
            }
        )
        cls.visit = env["stock.asset.service"].create(
            {
                "asset_id": cls.item.id,
                "service_type": "preventive",
                "date": today - timedelta(days=10),
                "technician_id": cls.technician.id,
                "notes": "Seals replaced",
                "duration": 2.5,
            }
        )
        cls.loaner = env["stock.asset"].create(
            {
                "name": "Loaner Laser",
                "code": "PF-LOAN",
                "lot_id": lots[1].id,
                "category_id": category.id,
                "state": "in_use",
                "user_id": cls.technician.id,
                "location_id": shelf.id,
                "note": "<p>Internal: keep an eye on this customer</p>",
                "acquisition_date": today - timedelta(days=400),
                "original_value": 7345.67,
            }
        )
        cls.loaner.with_user(cls.technician).action_checkout(
            cls.customer.partner_id,
            date_due=fields.Datetime.now() + timedelta(days=7),
            note="Scratch on the lid.",
        )
        cls.custody = cls.loaner.custody_id
        cls.meter = env["stock.asset"].create(
            {"name": "Site Meter", "code": "PF-METER", "user_id": cls.technician.id}
        )
        cls.meter.with_user(cls.technician).action_checkout(cls.employee.partner_id)

    def setUp(self):
        super().setUp()
        self.authenticate("acme_fields", "acme_fields")

    def call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def assertRefused(self, model, method, args, kwargs=None):
        with self.assertRaises(JsonRpcException) as refused:
            self.call_kw(model, method, args, kwargs)
        self.assertEqual(str(refused.exception), ACCESS_ERROR)

    # JSON-RPC as the customer ------------------------------------------------------
    @mute_logger("odoo.http")
    def test_internal_item_fields_are_refused(self):
        for fname in INTERNAL_ASSET_FIELDS:
            with self.subTest(field=fname):
                self.assertRefused("stock.asset", "read", [self.item.ids, [fname]])
        self.assertRefused(
            "stock.asset",
            "search_read",
            [[("note", "ilike", "loss")]],
            {"fields": ["name"]},
        )
        self.assertRefused(
            "stock.asset", "search_read", [[]], {"fields": ["name"], "order": "epc"}
        )
        self.assertRefused(
            "stock.asset",
            "web_read",
            [self.item.ids],
            {"specification": {"name": {}, "note": {}}},
        )

    def test_items_read_without_field_list_show_portal_fields_only(self):
        [values] = self.call_kw("stock.asset", "read", [self.item.ids])
        self.assertFalse(set(values) & set(INTERNAL_ASSET_FIELDS))
        self.assertNotIn("Internal", str(values))
        self.assertLessEqual(PORTAL_ASSET_FIELDS, set(values))
        self.assertEqual(values["name"], "Acme pump")
        self.assertEqual(values["serial_number"], "ACME-SN-1")
        self.assertEqual(values["warranty_state"], "in_warranty")
        self.assertIn("1 River Road", values["site_address"])
        [found] = self.call_kw("stock.asset", "search_read", [[]])
        self.assertEqual(found["id"], self.item.id)
        self.assertFalse(set(found) & set(INTERNAL_ASSET_FIELDS))

    def portal_fields(self, model):
        """The fields ``fields_get`` describes to the customer on ``model``."""
        return self.call_kw(model, "fields_get", [], {"attributes": []})

    def test_fields_get_hides_internal_fields(self):
        for model, internal in INTERNAL_FIELDS.items():
            with self.subTest(model=model):
                described = self.portal_fields(model)
                self.assertFalse(set(described) & set(internal))
        described = self.portal_fields("stock.asset")
        self.assertLessEqual(PORTAL_ASSET_FIELDS, set(described))

    def test_fields_the_addon_adds_are_internal_unless_the_portal_shows_them(self):
        """A field added later without ``groups`` fails here, not in production."""
        for model, shown in PORTAL_FIELDS.items():
            with self.subTest(model=model):
                described = self.portal_fields(model)
                definitions = self.env[model]._fields
                own = {
                    fname
                    for fname in set(described) - ODOO_FIELDS
                    if "stock_asset_tracking" in (definitions[fname]._modules or ())
                }
                self.assertEqual(own - shown, set())

    @mute_logger("odoo.http")
    def test_internal_custody_and_service_fields_are_refused(self):
        for records in (self.custody, self.visit):
            for fname in INTERNAL_FIELDS[records._name]:
                with self.subTest(model=records._name, field=fname):
                    self.assertRefused(records._name, "read", [records.ids, [fname]])
        [custody] = self.call_kw("stock.asset.custody", "read", [self.custody.ids])
        self.assertFalse(set(custody) & set(INTERNAL_CUSTODY_FIELDS))
        self.assertEqual(
            (custody["asset_code"], custody["asset_serial"], custody["note_out"]),
            ("PF-LOAN", "LOAN-SN-2", "Scratch on the lid."),
        )
        [visit] = self.call_kw("stock.asset.service", "read", [self.visit.ids])
        self.assertFalse(set(visit) & set(INTERNAL_SERVICE_FIELDS))
        self.assertEqual(visit["notes"], "Seals replaced")

    @mute_logger("odoo.http")
    def test_other_models_internal_fields_are_refused(self):
        company = self.env.company
        self.assertRefused(
            "res.company", "read", [company.ids, ["asset_gs1_company_prefix"]]
        )
        [values] = self.call_kw("res.company", "read", [company.ids, ["name"]])
        self.assertEqual(values["name"], company.name)

    # The portal pages still show the customer what is meant for them --------------
    def assertPagesShow(self, listing_url, listed, page_url, shown, hidden):
        """The list at ``listing_url`` shows every text of ``listed``, the item's
        page at ``page_url`` every text of ``shown``; neither shows ``hidden``."""
        listing = self.portal_page(listing_url)
        for text in listed:
            self.assertIn(text, listing)
        page = self.portal_page(page_url)
        for text in shown:
            self.assertIn(text, page)
        for text in hidden:
            self.assertNotIn(text, listing + page)

    def test_installed_equipment_pages_show_what_is_meant(self):
        self.assertPagesShow(
            "/my/installed-equipment",
            ("Acme pump", "ACME-SN-1", "Plant North", "In Warranty"),
            f"/my/installed-equipment/{self.item.id}",
            (
                "Acme pump",
                "PF-0001",
                "ACME-SN-1",
                "1 River Road",
                "Seals replaced",
                "Preventive Visit",
                "Tom Technician",
            ),
            ("sold at a loss", "3034257BF4", "Pumps Category"),
        )

    def test_repair_orders_of_the_serial_show_on_the_item_page(self):
        # the serial is internal: the page reads it as superuser, for this item only
        if "repair.order" not in self.env:
            self.skipTest("repair is not installed in this database (soft link)")
        repair = self.env["repair.order"].create(
            {
                "product_id": self.product.id,
                "lot_id": self.lots[0].id,
                "partner_id": self.acme.id,
            }
        )
        page = self.portal_page(f"/my/installed-equipment/{self.item.id}")
        self.assertIn(f"Repair order {repair.name}", page)
        self.assertIn("Seals replaced", page)

    def test_my_equipment_pages_show_what_is_meant(self):
        self.assertPagesShow(
            "/my/equipment",
            ("PF-LOAN", "Loaner Laser", "LOAN-SN-2"),
            f"/my/equipment/{self.custody.id}",
            ("Loaner Laser", "LOAN-SN-2", "Pumps Category", "Scratch on the lid."),
            ("keep an eye", "7,345.67", "7345.67", "Tom Technician"),
        )

    # Internal users keep everything --------------------------------------------------
    def test_employees_keep_reading_what_they_hold(self):
        self.authenticate("employee_fields", "employee_fields")
        [values] = self.call_kw(
            "stock.asset.custody",
            "read",
            [self.meter.custody_id.ids, ["asset_code", "checkout_user_id", "note_in"]],
        )
        self.assertEqual(values["asset_code"], "PF-METER")
        self.assertEqual(values["checkout_user_id"][0], self.technician.id)
        views = self.call_kw(
            "stock.asset.custody",
            "get_views",
            [[[False, "form"], [False, "list"]]],
        )
        self.assertIn(
            "checkout_user_id", views["models"]["stock.asset.custody"]["fields"]
        )
