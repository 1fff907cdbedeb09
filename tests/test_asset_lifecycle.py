# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Lifecycle (issue 19, items 6-8): when an asset will need to be replaced,
documents as assets, fields per category."""

from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, freeze_time, tagged
from odoo.tools.safe_eval import safe_eval

from .common import AssetCommon

FROZEN = "2026-03-02 09:00:00"
TODAY = date(2026, 3, 2)


@tagged("post_install", "-at_install")
@freeze_time(FROZEN)
class TestAssetLifecycleReplacement(AssetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category_a.write(
            {"expected_life_months": 60, "replacement_cost_estimate": 250.0}
        )
        cls.category_vehicles = cls.env["stock.asset.category"].create(
            {
                "name": "Vehicles A",
                "company_id": cls.company_a.id,
                "expected_life_months": 120,
            }
        )

    def test_end_of_life_order(self):
        """A date set by hand, else the register's useful life from the
        acquisition date, else the category's life from the date put in use."""
        asset = self._asset(category_id=self.category_a.id)
        self.assertRecordValues(
            asset,
            [
                {
                    "in_use_date": False,
                    "end_of_life_date": False,
                    "end_of_life_source": False,
                    "replacement_cost": 250.0,
                }
            ],
        )
        asset.action_confirm()
        self.assertRecordValues(
            asset,
            [
                {
                    "in_use_date": TODAY,
                    "end_of_life_date": date(2031, 3, 2),
                    "end_of_life_source": "category",
                }
            ],
        )
        # the category's life changes: so does the forecast
        self.category_a.expected_life_months = 48
        self.assertEqual(asset.end_of_life_date, date(2030, 3, 2))
        # register: 5 years (the category's default useful life) from acquisition
        asset.write(
            {
                "acquisition_date": date(2025, 7, 1),
                "method_number": 36,
                "method_period": "1",
            }
        )
        self.assertRecordValues(
            asset,
            [{"end_of_life_date": date(2028, 7, 1), "end_of_life_source": "register"}],
        )
        asset.end_of_life_date_set = date(2027, 1, 31)
        self.assertRecordValues(
            asset,
            [{"end_of_life_date": date(2027, 1, 31), "end_of_life_source": "manual"}],
        )
        asset.end_of_life_date_set = False
        self.assertEqual(asset.end_of_life_source, "register")
        # putting it back in use later keeps the first in-use date
        asset.action_send_to_repair()
        asset.action_back_in_use()
        self.assertEqual(asset.in_use_date, TODAY)

    def test_replacement_cost_default_and_by_hand(self):
        from_category = self._asset(category_id=self.category_a.id)
        by_hand = self._asset(category_id=self.category_a.id, replacement_cost=310.0)
        from_value = self._asset(
            category_id=self.category_vehicles.id, original_value=41000.0
        )
        nothing = self._asset()
        self.assertEqual(
            [a.replacement_cost for a in (from_category, by_hand, from_value, nothing)],
            [250.0, 310.0, 41000.0, 0.0],
        )
        # a cost set by hand stays when the category's estimate changes
        self.category_a.replacement_cost_estimate = 275.0
        by_hand.category_id = self.category_vehicles
        self.assertEqual(by_hand.replacement_cost, 310.0)

    def _plan_assets(self):
        Asset = self.env["stock.asset"]
        vals = [
            ("RP-1", date(2025, 12, 1), "in_use"),  # overdue
            ("RP-2", date(2026, 5, 15), "in_use"),  # this year, within 90 days
            ("RP-3", date(2026, 11, 30), "in_use"),  # this year
            ("RP-4", date(2028, 6, 1), "in_use"),  # next 3 years
            ("RP-5", date(2030, 1, 1), "in_use"),  # later
            ("RP-6", date(2026, 4, 1), "disposed"),  # not in service
        ]
        return Asset.create(
            [
                {
                    "name": f"Drill {code}",
                    "code": code,
                    "company_id": self.company_a.id,
                    "category_id": self.category_a.id,
                    "location_id": self.shelf_a.id,
                    "end_of_life_date_set": day,
                    "state": state,
                }
                for code, day, state in vals
            ]
        )

    def _filter_domain(self, name):
        arch = self.env["stock.asset"].get_views([(False, "search")])["views"][
            "search"
        ]["arch"]
        [node] = etree.fromstring(arch).xpath("//filter[@name=$n]", n=name)
        return safe_eval(
            node.get("domain"),
            {"context_today": date.today, "relativedelta": relativedelta},
        )

    def test_plan_filters_and_figures(self):
        assets = self._plan_assets()
        codes = {}
        for name in (
            "end_of_life_overdue",
            "end_of_life_this_year",
            "end_of_life_next_3_years",
        ):
            found = self.env["stock.asset"].search(
                [("id", "in", assets.ids), *self._filter_domain(name)], order="code"
            )
            codes[name] = found.mapped("code")
        self.assertEqual(
            codes,
            {
                "end_of_life_overdue": ["RP-1"],
                "end_of_life_this_year": ["RP-2", "RP-3", "RP-6"],
                "end_of_life_next_3_years": ["RP-2", "RP-3", "RP-4", "RP-6"],
            },
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_action_replacement"
        )
        self.assertEqual(
            [mode for _view, mode in action["views"]],
            ["pivot", "graph", "list", "form"],
        )
        domain = safe_eval(action["domain"])
        # the pivot: cost per year of the assets still in service
        groups = self.env["stock.asset"]._read_group(
            [("id", "in", assets.ids), *domain],
            ["end_of_life_date:year"],
            ["replacement_cost:sum", "__count"],
        )
        self.assertEqual(
            [(day.year, cost, count) for day, cost, count in groups],
            [(2025, 250.0, 1), (2026, 500.0, 2), (2028, 250.0, 1), (2030, 250.0, 1)],
        )

    def test_cron_schedules_once_per_date(self):
        assets = self._plan_assets()
        rp1, rp2, rp3, rp4 = assets[:4]
        rp1.user_id = self.user_a
        rp2.user_id = False  # nobody responsible: an asset manager gets it
        activity_type = self.env.ref(
            "stock_asset_tracking.mail_activity_type_asset_replacement"
        )
        Asset = self.env["stock.asset"]
        scheduled = Asset._cron_schedule_replacement_activities()
        # within the 90 days' lead time (and overdue); not the disposed asset
        self.assertEqual(scheduled & assets, rp1 | rp2)
        self.assertRecordValues(
            (rp1 | rp2).activity_ids,
            [
                {
                    "activity_type_id": activity_type.id,
                    "summary": "Plan the replacement of [RP-1] Drill RP-1",
                    "date_deadline": date(2025, 12, 1),
                    "user_id": self.user_a.id,
                },
                {
                    "activity_type_id": activity_type.id,
                    "summary": "Plan the replacement of [RP-2] Drill RP-2",
                    "date_deadline": date(2026, 5, 15),
                    "user_id": self.manager_a.id,
                },
            ],
        )
        self.assertEqual(
            (rp1 | rp2).mapped("replacement_activity_date"),
            [date(2025, 12, 1), date(2026, 5, 15)],
        )
        # the next day: nothing new for the same dates
        self.assertFalse(Asset._cron_schedule_replacement_activities() & assets)
        self.assertEqual(len((rp1 | rp2).activity_ids), 2)
        # a new date is a new activity; a longer lead time reaches further
        rp1.end_of_life_date_set = date(2026, 2, 1)
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.asset_replacement_lead_days, 90)
        settings.asset_replacement_lead_days = 300
        settings.execute()
        self.assertEqual(
            Asset._cron_schedule_replacement_activities() & assets, rp1 | rp3
        )
        self.assertEqual(len(rp1.activity_ids), 2)
        self.assertEqual(rp3.activity_ids.date_deadline, date(2026, 11, 30))
        self.assertFalse(rp4.activity_ids)


@tagged("post_install", "-at_install")
@freeze_time(FROZEN)
class TestAssetLifecycleDocuments(AssetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.archivist = new_partner = cls.env["res.partner"].create(
            {"name": "Clara Archivist", "company_id": cls.company_a.id}
        )
        cls.category_docs = cls.env["stock.asset.category"].create(
            {
                "name": "Contracts A",
                "company_id": cls.company_a.id,
                "asset_kind": "document",
                "retention_months": 120,
                "confidentiality": "confidential",
                "document_holder_ids": [Command.set(new_partner.ids)],
                "audit_interval_days": 365,
            }
        )
        cls.contract = cls._asset(
            code="DOC-1",
            name="Supply Contract ACME",
            category_id=cls.category_docs.id,
            location_id=cls.shelf_a.id,
            document_date=date(2024, 5, 31),
            state="in_use",
        )

    def test_retention_and_confidentiality(self):
        self.assertRecordValues(
            self.contract,
            [
                {
                    "asset_kind": "document",
                    "confidentiality": "confidential",
                    "destruction_date": date(2034, 5, 31),
                }
            ],
        )
        self.contract.write(
            {"confidentiality": "secret", "document_date": date(2025, 1, 15)}
        )
        self.assertRecordValues(
            self.contract,
            [{"confidentiality": "secret", "destruction_date": date(2035, 1, 15)}],
        )
        # a destruction date decided by hand stays
        self.contract.destruction_date = date(2040, 12, 31)
        self.assertEqual(self.contract.destruction_date, date(2040, 12, 31))
        equipment = self._asset(category_id=self.category_a.id)
        self.assertRecordValues(
            equipment,
            [{"asset_kind": "equipment", "confidentiality": False}],
        )

    def test_checkout_needs_due_date(self):
        with self.assertRaises(UserError) as caught:
            self.contract.with_user(self.user_a).action_checkout(self.archivist)
        self.assertEqual(
            str(caught.exception),
            "[DOC-1] Supply Contract ACME is a document (category Contracts A): a "
            "document is checked out only with a due date; set when it must be back.",
        )
        self.assertFalse(self.contract.custody_ids)
        # equipment still goes out without one
        tool = self._asset(category_id=self.category_a.id, state="in_use")
        tool.with_user(self.user_a).action_checkout(self.holder_a)
        self.assertEqual(tool.holder_id, self.holder_a)
        self.contract.with_user(self.user_a).action_checkout(
            self.archivist, date_due=datetime(2026, 3, 9, 17, 0)
        )
        self.assertRecordValues(
            self.contract.custody_id,
            [{"holder_id": self.archivist.id, "date_due": datetime(2026, 3, 9, 17, 0)}],
        )

    def test_checkout_wizard_asks_for_due_date(self):
        action = self.contract.with_user(self.user_a).action_open_checkout_wizard()
        wizard_form = Form(
            self.env["stock.asset.checkout"]
            .with_user(self.user_a)
            .with_context(**action["context"])
        )
        self.assertTrue(wizard_form.has_document)
        wizard_form.holder_id = self.archivist
        self.assertIn("a document is checked out only with", wizard_form.refusal_text)
        with self.assertRaises(AssertionError):  # the due date is required
            wizard_form.save()
        wizard_form.date_due = datetime(2026, 3, 5, 12, 0)
        self.assertFalse(wizard_form.refusal_text)
        wizard_form.save().action_confirm()
        self.assertEqual(self.contract.holder_id, self.archivist)

    def test_only_allowed_holders(self):
        due = datetime(2026, 3, 9, 17, 0)
        with self.assertRaises(UserError) as caught:
            self.contract.action_checkout(self.holder_a, date_due=due)
        self.assertEqual(
            str(caught.exception),
            "[DOC-1] Supply Contract ACME is a document of category Contracts A that "
            "only Clara Archivist may hold, not Anna Holder.",
        )
        # a group: its users may hold them too
        group = self.env["res.groups"].create({"name": "Legal Archive"})
        self.category_docs.document_holder_group_id = group
        with self.assertRaises(UserError) as caught:
            self.contract.action_checkout(self.user_a.partner_id, date_due=due)
        self.assertEqual(
            str(caught.exception),
            "[DOC-1] Supply Contract ACME is a document of category Contracts A that "
            "only Clara Archivist, the users of group Legal Archive may hold, not "
            f"{self.user_a.partner_id.name}.",
        )
        self.user_a.groups_id = [Command.link(group.id)]
        self.contract.action_checkout(self.user_a.partner_id, date_due=due)
        self.assertEqual(self.contract.holder_id, self.user_a.partner_id)

    def test_document_is_audited_like_any_asset(self):
        Audit = self.env["stock.asset.audit"].with_user(self.user_a)
        audit = Audit.create(
            {
                "company_id": self.company_a.id,
                "location_ids": [Command.set(self.stock_a.ids)],
                "date_due": date(2026, 3, 31),
            }
        )
        audit.action_start()
        self.assertIn(self.contract, audit.line_ids.asset_id)
        outcomes = Audit._record_scans(
            [
                {
                    "code": "DOC-1",
                    "asset_id": self.contract.id,
                    "location_id": self.shelf_a.id,
                    "seen": datetime(2026, 3, 2, 9, 0),
                    "count": 1,
                }
            ],
            user=self.user_a,
        )
        shelf = self.shelf_a.complete_name
        expected = {"DOC-1": ("found", f"{audit.name}: found at {shelf}")}
        self.assertEqual(outcomes, expected)
        line = audit.line_ids.filtered(lambda line: line.asset_id == self.contract)
        self.assertEqual(line.status, "found")


@tagged("post_install", "-at_install")
class TestAssetLifecycleProperties(AssetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.laptops = cls.env["stock.asset.category"].create(
            {
                "name": "Laptops A",
                "company_id": cls.company_a.id,
                "asset_properties_definition": [
                    {"name": "ram_gb", "string": "RAM (GB)", "type": "integer"},
                    {"name": "cpu", "string": "CPU", "type": "char"},
                ],
            }
        )
        cls.slings = cls.env["stock.asset.category"].create(
            {
                "name": "Slings A",
                "company_id": cls.company_a.id,
                "asset_properties_definition": [
                    {"name": "wll_t", "string": "Load Rating (t)", "type": "float"}
                ],
            }
        )

    def test_create_read_search(self):
        Asset = self.env["stock.asset"].with_user(self.user_a)
        laptop16, laptop32 = Asset.create(
            [
                {
                    "name": "Laptop 16",
                    "category_id": self.laptops.id,
                    "asset_properties": {"ram_gb": 16, "cpu": "i5-1345U"},
                },
                {
                    "name": "Laptop 32",
                    "category_id": self.laptops.id,
                    "asset_properties": {"ram_gb": 32},
                },
            ]
        )
        sling = Asset.create(
            {
                "name": "Round Sling",
                "category_id": self.slings.id,
                "asset_properties": {"wll_t": 2.0},
            }
        )
        values = laptop16.read(["asset_properties"])[0]["asset_properties"]
        self.assertEqual(
            [(p["name"], p["string"], p.get("value")) for p in values],
            [("ram_gb", "RAM (GB)", 16), ("cpu", "CPU", "i5-1345U")],
        )
        self.assertEqual(
            sling.read(["asset_properties"])[0]["asset_properties"][0]["value"], 2.0
        )
        self.assertEqual(
            Asset.search([("asset_properties.ram_gb", ">=", 32)]), laptop32
        )
        self.assertEqual(
            Asset.search([("asset_properties.cpu", "ilike", "i5")]), laptop16
        )
        self.assertEqual(Asset.search([("asset_properties.wll_t", "=", 2.0)]), sling)
        # grouped by a property, as the list and the pivot do
        groups = Asset._read_group(
            [("category_id", "=", self.laptops.id)],
            ["asset_properties.ram_gb"],
            ["__count"],
        )
        self.assertEqual(sorted(groups), [(16, 1), (32, 1)])

    def test_import_property_values(self):
        csv = (
            "name,code,category_id,asset_properties.ram_gb,asset_properties.cpu\n"
            "Laptop X1,IMP-1,Laptops A,64,Ryzen 7 PRO\n"
            "Laptop X2,IMP-2,Laptops A,8,\n"
        )
        importer = (
            self.env["base_import.import"]
            .with_user(self.manager_a)
            .create(
                {
                    "res_model": "stock.asset",
                    "file": csv.encode(),
                    "file_type": "text/csv",
                }
            )
        )
        options = {
            "date_format": "",
            "datetime_format": "",
            "quoting": '"',
            "separator": ",",
            "float_decimal_separator": ".",
            "float_thousand_separator": ",",
            "has_headers": True,
        }
        preview = importer.parse_preview(dict(options))
        result = importer.execute_import(
            [
                "name",
                "code",
                "category_id",
                "asset_properties.ram_gb",
                "asset_properties.cpu",
            ],
            [],
            preview["options"],
        )
        self.assertEqual(result["messages"], [])
        imported = self.env["stock.asset"].browse(result["ids"])
        self.assertEqual(
            [
                (a.code, a.category_id, a.asset_properties.get("ram_gb"))
                for a in imported
            ],
            [("IMP-1", self.laptops, 64), ("IMP-2", self.laptops, 8)],
        )
        self.assertEqual(
            self.env["stock.asset"].search([("asset_properties.ram_gb", "=", 64)]),
            imported[0],
        )
        # the import lists the properties among the fields to map
        ids = [
            f["id"]
            for f in self.env["base_import.import"]
            .with_user(self.manager_a)
            .get_fields_tree("stock.asset", depth=1)
        ]
        self.assertIn("asset_properties.ram_gb", ids)
        self.assertIn("asset_properties.wll_t", ids)

    def test_form_and_list_show_properties(self):
        views = self.env["stock.asset"].get_views([(False, "form"), (False, "list")])
        for kind in ("form", "list"):
            self.assertIn('name="asset_properties"', views["views"][kind]["arch"])
        search = self.env["stock.asset"].get_views([(False, "search")])["views"]
        self.assertIn('name="asset_properties"', search["search"]["arch"])
