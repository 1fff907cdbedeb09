# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import logging
from datetime import date
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from lxml import etree
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, freeze_time, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .installed_base_common import InstalledBaseCommon

HOOK_LOGGER = (
    "odoo.addons.stock_asset_tracking.models.installed_base."
    "stock_picking_installed_base"
)
# crossing companies is refused as an incompatible link, or as no access at all
CROSS = (
    r"Incompatible companies|You are not allowed to access|doesn't have 'read' access"
)


class CallCounter:
    """Counts the calls of one ORM method of ``stock.asset`` (and their sizes)."""

    def __init__(self, env, method):
        self.cls = type(env["stock.asset"])
        self.method = method
        self.calls = []

    def __enter__(self):
        original = getattr(self.cls, self.method)
        calls = self.calls

        def counting(records, arg, *args, **kwargs):
            calls.append(len(arg) if isinstance(arg, list) else len(records))
            return original(records, arg, *args, **kwargs)

        self.patcher = patch.object(self.cls, self.method, counting)
        self.patcher.start()
        return self

    def __exit__(self, *exc):
        self.patcher.stop()


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 10:00:00")
class TestInstalledBase(InstalledBaseCommon):
    # Delivery -------------------------------------------------------------------
    def test_delivery_creates_items_in_one_create(self):
        lots = self._lots("P-001", "P-002")
        with CallCounter(self.env, "create") as creates:
            delivery = self._deliver(lots, self.acme_plant)
        self.assertEqual(creates.calls, [2], "one create for the whole delivery")
        items = self._item(lots[0]) | self._item(lots[1])
        self.assertRecordValues(
            items.sorted("id"),
            [
                {
                    "lot_id": lot.id,
                    "product_id": self.machine.id,
                    "name": "Pump P-200",
                    "category_id": self.category_ib.id,
                    "company_id": self.company_a.id,
                    "ownership": "customer",
                    "installation_state": "installed",
                    "state": "in_use",
                    "partner_id": self.acme.id,
                    "site_partner_id": self.acme_plant.id,
                    "location_id": self.customers.id,
                    "delivery_date": date(2026, 3, 2),
                    "delivery_picking_id": delivery.id,
                    "warranty_start_date": date(2026, 3, 2),
                    "warranty_end_date": date(2027, 3, 1),
                    "warranty_state": "in_warranty",
                    "return_date": False,
                }
                for lot in lots
            ],
        )
        self.assertFalse(items[0].sale_line_ref)
        self.assertTrue(items[0].code.startswith("A-"))
        self.assertIn("Plant North", items[0].site_address)
        self.assertIn("1 River Road", items[0].site_address)
        # tags drawn from the sequence at once, in order
        first, second = items.sorted("id").mapped("code")
        self.assertEqual(int(second[2:]), int(first[2:]) + 1)
        self.assertIn(
            "Installed base: 2 items created, 0 updated.",
            delivery.message_ids[:1].body,
        )

    def test_product_flag_and_warranty_override_category(self):
        category = self.env["stock.asset.category"].create(
            {"name": "Spare parts", "company_id": self.company_a.id}
        )
        self.machine.with_company(self.company_a).asset_category_id = category
        lot = self._lots("P-010")
        self._deliver(lot, self.acme)
        self.assertFalse(self._item(lot), "neither product nor category says so")
        self.machine.write({"installed_base": True, "warranty_months": 24})
        lot2 = self._lots("P-011")
        self._deliver(lot2, self.acme)
        self.assertRecordValues(
            self._item(lot2),
            [
                {
                    "category_id": category.id,
                    "site_partner_id": self.acme.id,
                    "warranty_start_date": date(2026, 3, 2),
                    "warranty_end_date": date(2028, 3, 1),
                }
            ],
        )

    def test_no_warranty_months_no_warranty(self):
        self.category_ib.warranty_months = 0
        lot = self._lots("P-020")
        self._deliver(lot, self.acme)
        self.assertRecordValues(
            self._item(lot),
            [
                {
                    "warranty_start_date": False,
                    "warranty_end_date": False,
                    "warranty_state": "none",
                }
            ],
        )

    def test_lot_tracked_and_receipts_are_not_handed_over(self):
        lot_product = self.env["product.product"].create(
            {
                "name": "Filter batch",
                "is_storable": True,
                "tracking": "lot",
                "installed_base": True,
            }
        )
        lot = self._lots("F-1", product=lot_product)
        self._deliver(lot, self.acme)
        self.assertFalse(self._item(lot))
        serial = self._lots("P-030")
        supplier = self.env.ref("stock.stock_location_suppliers")
        self._transfer(
            serial, self.acme, self.warehouse_a.in_type_id, supplier, self.stock_a
        )
        self.assertFalse(self._item(serial))

    def test_stock_user_without_asset_rights_hands_over(self):
        """The handover is automation: a stock user who cannot read assets still
        validates the delivery, and the item exists."""
        lot = self._lots("P-040")
        self._deliver(lot, self.acme_plant, user=self.stock_user_a)
        item = self._item(lot)
        self.assertEqual(item.partner_id, self.acme)
        self.assertEqual(item.user_id, self.stock_user_a)
        with self.assertRaises(AccessError):
            item.with_user(self.stock_user_a).read(["name"])

    # Re-delivery and moves ------------------------------------------------------
    def test_redelivery_updates_without_duplicate(self):
        lots = self._lots("P-101", "P-102")
        first = self._deliver(lots, self.acme_plant)
        items = self._item(lots[0]) | self._item(lots[1])
        with freeze_time("2026-09-15 10:00:00"):
            with (
                CallCounter(self.env, "create") as creates,
                CallCounter(self.env, "write") as writes,
            ):
                second = self._deliver(lots, self.acme_plant_2)
        self.assertEqual(creates.calls, [])
        self.assertEqual(writes.calls, [2], "one write for both serials")
        self.assertEqual(
            self.env["stock.asset"].search_count([("lot_id", "in", lots.ids)]), 2
        )
        self.assertRecordValues(
            items,
            [
                {
                    "partner_id": self.acme.id,
                    "site_partner_id": self.acme_plant_2.id,
                    "delivery_picking_id": second.id,
                    "delivery_date": date(2026, 9, 15),
                    # the product does not renew warranties
                    "warranty_start_date": date(2026, 3, 2),
                    "warranty_end_date": date(2027, 3, 1),
                }
            ]
            * 2,
        )
        body = items[0].message_ids[:1].body
        self.assertIn("Delivered again to Acme Water", body)
        self.assertIn(first.name, body)
        self.assertIn(
            "Installed base: 0 items created, 2 updated.",
            second.message_ids[:1].body,
        )

    def test_redelivery_renews_warranty_when_the_product_says_so(self):
        self.machine.warranty_renew = True
        lot = self._lots("P-110")
        self._deliver(lot, self.acme)
        with freeze_time("2026-09-15 10:00:00"):
            self._deliver(lot, self.acme)
        item = self._item(lot)
        self.assertRecordValues(
            item,
            [
                {
                    "warranty_start_date": date(2026, 9, 15),
                    "warranty_end_date": date(2027, 9, 14),
                }
            ],
        )
        self.assertIn(
            "Warranty from 09/15/2026 to 09/14/2027.", item.message_ids[:1].body
        )

    def test_serial_installed_elsewhere_moves_with_history(self):
        lot = self._lots("P-120")
        first = self._deliver(lot, self.acme_plant)
        item = self._item(lot)
        with freeze_time("2026-05-04 10:00:00"):
            second = self._deliver(lot, self.globex)
        self.assertEqual(self._item(lot), item)
        self.assertRecordValues(
            item,
            [
                {
                    "partner_id": self.globex.id,
                    "site_partner_id": self.globex.id,
                    "delivery_picking_id": second.id,
                    "delivery_date": date(2026, 5, 4),
                    "installation_state": "installed",
                }
            ],
        )
        body = item.message_ids[:1].body
        self.assertIn("Moved to Globex", body)
        self.assertIn("Acme Water", body)
        self.assertIn(first.name, body)
        # stock keeps the deliveries of the serial too
        lot.invalidate_recordset(["delivery_ids"])
        self.assertEqual(set(lot.delivery_ids.ids), {first.id, second.id})

    def test_archived_item_is_reactivated(self):
        lot = self._lots("P-130")
        self._deliver(lot, self.acme)
        item = self._item(lot)
        item.active = False
        self._deliver(lot, self.globex)
        self.assertTrue(item.active)
        self.assertEqual(item.partner_id, self.globex)

    # Returns ----------------------------------------------------------------------
    def test_return_marks_returned_and_ends_coverage(self):
        lots = self._lots("P-201", "P-202")
        delivery = self._deliver(lots, self.acme_plant)
        with freeze_time("2026-04-10 10:00:00"):
            back = self._return(delivery, lots[0])
            item, other = self._item(lots[0]), self._item(lots[1])
            self.assertRecordValues(
                item | other,
                [
                    {
                        "installation_state": "returned",
                        "return_date": date(2026, 4, 10),
                        "return_picking_id": back.id,
                        "location_id": back.location_dest_id.id,
                        "warranty_end_date": date(2026, 4, 10),
                        "warranty_state": "expired",
                        "partner_id": self.acme.id,
                        "delivery_picking_id": delivery.id,
                    },
                    {
                        "installation_state": "installed",
                        "return_date": False,
                        "return_picking_id": False,
                        "location_id": self.customers.id,
                        "warranty_end_date": date(2027, 3, 1),
                        "warranty_state": "in_warranty",
                        "partner_id": self.acme.id,
                        "delivery_picking_id": delivery.id,
                    },
                ],
            )
            self.assertIn(back.name, item.message_ids[:1].body)
            Asset = self.env["stock.asset"]
            self.assertEqual(
                Asset.search(
                    [("lot_id", "in", lots.ids), ("warranty_state", "=", "expired")]
                ),
                item,
            )
        # delivered again after the return: installed again, coverage stays
        # ended unless the product renews warranties
        with freeze_time("2026-04-20 10:00:00"):
            self._deliver(lots[0], self.globex)
            item.invalidate_recordset(["warranty_state"])
            self.assertEqual(item.warranty_state, "expired")
        self.assertRecordValues(
            item,
            [
                {
                    "installation_state": "installed",
                    "partner_id": self.globex.id,
                    "return_date": False,
                    "warranty_end_date": date(2026, 4, 10),
                }
            ],
        )
        self.assertIn(f"returned by {back.name}", item.message_ids[:1].body)

    def test_return_of_never_delivered_serial_is_ignored(self):
        lot = self._lots("P-210")
        self._put_in_stock(lot, self.customers)
        with self.assertLogs(HOOK_LOGGER, level=logging.INFO) as logs:
            back = self._transfer(
                lot,
                self.acme,
                self.warehouse_a.in_type_id,
                self.customers,
                self.stock_a,
            )
        self.assertEqual(back.state, "done")
        self.assertFalse(self._item(lot))
        self.assertEqual(
            logs.output,
            [
                f"INFO:{HOOK_LOGGER}:Return {back.name}: serial P-210 ignored, it is "
                "not an installed-base item (never delivered to a customer)."
            ],
        )

    # Company-owned assets that are sold -----------------------------------------
    def test_company_asset_sold_becomes_installed_item(self):
        lot = self._lots("P-301")
        asset = self._asset(
            name="Demo pump", code="A-DEMO", lot_id=lot.id, product_id=self.machine.id
        )
        asset.action_confirm()
        self._deliver(lot, self.acme_plant)
        self.assertEqual(self._item(lot), asset)
        self.assertRecordValues(
            asset,
            [
                {
                    "ownership": "customer",
                    "partner_id": self.acme.id,
                    "site_partner_id": self.acme_plant.id,
                    "installation_state": "installed",
                    "state": "in_use",
                    "warranty_end_date": date(2027, 3, 1),
                }
            ],
        )
        if hasattr(asset, "_propose_disposal"):
            # the register's side of the same delivery: a proposed disposal
            disposal = self.env.ref(
                "stock_asset_tracking.mail_activity_type_asset_disposal"
            )
            self.assertIn(disposal, asset.activity_ids.activity_type_id)

    def test_registered_company_asset_waits_for_its_disposal(self):
        """An asset the register carries (original value) keeps its company
        ownership until disposed of; it is already at the buyer's site."""
        lot = self._lots("P-302")
        asset = self._asset(
            name="Registered pump",
            code="A-REG",
            lot_id=lot.id,
            product_id=self.machine.id,
            original_value=1200.0,
            acquisition_date=date(2025, 1, 1),
        )
        self._deliver(lot, self.acme_plant)
        self.assertRecordValues(
            asset,
            [
                {
                    "ownership": "company",
                    "original_value": 1200.0,
                    "partner_id": self.acme.id,
                    "site_partner_id": self.acme_plant.id,
                    "installation_state": "installed",
                }
            ],
        )
        self.assertIn("until its disposal", asset.message_ids[:1].body)

    # Companies ------------------------------------------------------------------------
    def test_partner_of_another_company_is_refused(self):
        """Stock accepts an address shared by all companies, but its commercial
        entity belongs to company B: nothing links the item to it."""
        address = self.env["res.partner"].create(
            {"name": "Initech depot", "type": "delivery", "company_id": False}
        )
        address.parent_id = self.initech_b
        address.company_id = False
        lot = self._lots("P-401")
        with self.assertLogs(HOOK_LOGGER, level=logging.INFO) as logs:
            delivery = self._deliver(lot, address)
        self.assertEqual(delivery.state, "done")
        self.assertFalse(self._item(lot))
        self.assertIn("serial P-401 not handed over", logs.output[0])
        self.assertIn("Asset Co B", logs.output[0])
        self.assertIn("P-401", delivery.message_ids[:1].body)

    def test_company_isolation(self):
        lot_b = self._lots("P-B1", company=self.company_b)
        self._deliver(lot_b, self.initech_b, warehouse=self.warehouse_b)
        item_b = self._item(lot_b)
        self.assertRecordValues(
            item_b,
            [
                {
                    "company_id": self.company_b.id,
                    "category_id": self.category_ib_b.id,
                    "partner_id": self.initech_b.id,
                    "warranty_end_date": date(2026, 9, 1),
                }
            ],
        )
        Asset_a = self.env["stock.asset"].with_user(self.user_a)
        self.assertFalse(Asset_a.search([("lot_id", "=", lot_b.id)]))
        with self.assertRaises(AccessError):
            item_b.with_user(self.user_a).read(["partner_id"])
        self.assertEqual(
            self.env["stock.asset"]
            .with_user(self.user_b)
            .search([("installation_state", "=", "installed")]),
            item_b,
        )
        # an installed item of company A cannot point at company B's customer
        lot = self._lots("P-402")
        self._deliver(lot, self.acme)
        with self.assertRaisesRegex(UserError, CROSS):
            self._item(lot).with_user(self.user_a).write(
                {"partner_id": self.initech_b.id}
            )
        # nor see service entries of company B
        service_b = self.env["stock.asset.service"].create({"asset_id": item_b.id})
        self.assertFalse(
            self.env["stock.asset.service"]
            .with_user(self.user_a)
            .search([("id", "=", service_b.id)])
        )

    # Sales ---------------------------------------------------------------------------
    def test_sale_line_link(self):
        module = self.env["ir.module.module"].search([("name", "=", "sale_stock")])
        if module.state != "installed":
            self.skipTest(
                "sale_stock is not installed in this database (it is no dependency "
                "of the addon): install it with the addon to run this test"
            )
        self.machine.invoice_policy = "order"
        lot = self._lots("P-501")
        self._put_in_stock(lot)
        order = (
            self.env["sale.order"]
            .with_company(self.company_a)
            .create(
                {
                    "partner_id": self.acme.id,
                    "partner_shipping_id": self.acme_plant.id,
                    "company_id": self.company_a.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.machine.id, "product_uom_qty": 1}
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.move_line_ids.unlink()
        move = picking.move_ids
        move.move_line_ids = [
            Command.create(
                {
                    "product_id": self.machine.id,
                    "lot_id": lot.id,
                    "quantity": 1.0,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                }
            )
        ]
        move.picked = True
        self.assertIs(picking.button_validate(), True)
        item = self._item(lot)
        self.assertEqual(item.sale_line_ref, order.order_line)
        self.assertEqual(item.site_partner_id, self.acme_plant)
        self.assertEqual(item.partner_id, self.acme)

    # Warranty -----------------------------------------------------------------------
    def test_warranty_status_and_search(self):
        Asset = self.env["stock.asset"]
        common = {"ownership": "customer", "partner_id": self.acme.id}
        running = self._asset(
            name="Running", warranty_end_date=date(2026, 4, 15), **common
        )
        ended = self._asset(name="Ended", warranty_end_date=date(2026, 3, 1), **common)
        none = self._asset(name="None", **common)
        self.assertEqual(
            (running | ended | none).mapped("warranty_state"),
            ["in_warranty", "expired", "none"],
        )
        mine = [("id", "in", (running | ended | none).ids)]
        for domain, expected in (
            ([("warranty_state", "=", "in_warranty")], running),
            ([("warranty_state", "=", "expired")], ended),
            ([("warranty_state", "=", "none")], none),
            ([("warranty_state", "!=", "none")], running | ended),
            ([("warranty_state", "in", ["expired", "none"])], ended | none),
            ([("warranty_state", "not in", ["in_warranty"])], ended | none),
        ):
            self.assertEqual(Asset.search(mine + domain), expected, domain)
        # the "warranty ending in 60 days" filter, as the search view has it
        arch = etree.fromstring(
            Asset.get_views([(False, "search")])["views"]["search"]["arch"]
        )
        [ending_filter] = arch.xpath("//filter[@name='warranty_ending_60']")
        domain = safe_eval(
            ending_filter.get("domain"),
            {"context_today": lambda: date(2026, 3, 2), "relativedelta": relativedelta},
        )
        (running | ended).installation_state = "installed"
        later = self._asset(
            name="Later",
            warranty_end_date=date(2026, 5, 2),
            installation_state="installed",
            **common,
        )
        mine = [("id", "in", (running | ended | none | later).ids)]
        self.assertEqual(Asset.search(mine + domain), running)
        with freeze_time("2026-04-16"):
            running.invalidate_recordset(["warranty_state"])
            self.assertEqual(running.warranty_state, "expired")

    # Service history ---------------------------------------------------------------
    def test_service_entries_flag_warranty(self):
        lot = self._lots("P-601")
        self._deliver(lot, self.acme_plant)
        item = self._item(lot)
        attachment = self.env["ir.attachment"].create(
            {"name": "report.pdf", "raw": b"%PDF-1.4"}
        )
        Service = self.env["stock.asset.service"].with_user(self.user_a)
        visit = Service.create(
            {
                "asset_id": item.id,
                "service_type": "preventive",
                "date": date(2026, 9, 1),
                "duration": 1.5,
                "notes": "Seals replaced",
                "attachment_ids": [(6, 0, attachment.ids)],
            }
        )
        late = Service.create(
            {"asset_id": item.id, "service_type": "repair", "date": date(2027, 3, 2)}
        )
        self.assertRecordValues(
            visit | late,
            [
                {
                    "under_warranty": True,
                    "state": "done",
                    "technician_id": self.user_a.id,
                    "partner_id": self.acme.id,
                    "company_id": self.company_a.id,
                    "display_name": f"Preventive Visit of {item.code}",
                },
                {
                    "under_warranty": False,
                    "state": "done",
                    "technician_id": self.user_a.id,
                    "partner_id": self.acme.id,
                    "company_id": self.company_a.id,
                    "display_name": f"Repair of {item.code}",
                },
            ],
        )
        self.assertEqual(visit.attachment_ids, attachment)
        self.assertEqual(item.service_count, 2)
        action = item.action_view_services()
        self.assertEqual(action["domain"], [("asset_id", "=", item.id)])
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.cr.savepoint(),
        ):
            visit.duration = -1.0
            visit.flush_recordset()
        # Repairs is a soft link: no module, no count and no history
        if "repair.order" not in self.env:
            self.assertEqual(item.repair_count, 0)
            self.assertEqual(
                self.env["stock.asset.service"]._portal_repair_history(item), []
            )

    def test_form_of_a_service_entry(self):
        lot = self._lots("P-602")
        self._deliver(lot, self.acme)
        item = self._item(lot)
        with Form(self.env["stock.asset.service"].with_user(self.manager_a)) as form:
            form.asset_id = item
            form.service_type = "inspection"
        self.assertEqual(form.record.partner_id, self.acme)
        self.assertTrue(form.record.under_warranty)

    # Partner and serial number --------------------------------------------------
    def test_partner_and_lot_smart_buttons(self):
        lots = self._lots("P-701", "P-702")
        delivery = self._deliver(lots, self.acme_plant)
        self._return(delivery, lots[1])
        for partner in (self.acme, self.acme_plant):
            self.assertEqual(partner.with_user(self.user_a).installed_asset_count, 1)
        action = self.acme_plant.action_view_installed_assets()
        self.assertEqual(action["domain"], [("partner_id", "=", self.acme.id)])
        self.assertEqual(
            self.env["stock.asset"].search(action["domain"]),
            self._item(lots[0]) | self._item(lots[1]),
        )
        lot = lots[0].with_user(self.user_a)
        self.assertRecordValues(
            lot,
            [
                {
                    "asset_installation_state": "installed",
                    "asset_partner_id": self.acme.id,
                    "asset_warranty_state": "in_warranty",
                }
            ],
        )
        self.assertEqual(lots[0].last_delivery_partner_id, self.acme_plant)

    # Preventive service: the calibration schedules, kind "Preventive Service" ------
    def test_preventive_service_schedule(self):
        kind = self.env.ref("stock_asset_tracking.calibration_kind_preventive_service")
        self.category_ib.preventive_interval_months = 6
        lots = self._lots("P-801", "P-802")
        self._deliver(lots, self.acme_plant)
        item = self._item(lots[0])
        Schedule = self.env["stock.asset.calibration.schedule"]
        schedules = Schedule.search(
            [("asset_id", "in", (item | self._item(lots[1])).ids)]
        )
        self.assertRecordValues(
            schedules.filtered(lambda s: s.asset_id == item),
            [
                {
                    "kind_id": kind.id,
                    "interval_number": 6,
                    "interval_unit": "months",
                    "next_due_date": date(2026, 9, 2),
                }
            ],
        )
        self.assertEqual(len(schedules), 2)
        # delivered again: the plan stays, no second schedule
        self._deliver(lots[0], self.acme_plant_2)
        self.assertEqual(Schedule.search_count([("asset_id", "=", item.id)]), 1)
        schedule = schedules.filtered(lambda s: s.asset_id == item)
        with freeze_time("2026-09-01 10:00:00"):
            visit = (
                self.env["stock.asset.service"]
                .with_user(self.user_a)
                .create(
                    {
                        "asset_id": item.id,
                        "service_type": "preventive",
                        "date": date(2026, 8, 30),
                    }
                )
            )
            with self.assertRaises(AccessError):
                visit.action_record_on_schedule()
            visit.with_user(self.manager_a).action_record_on_schedule()
        self.assertRecordValues(
            visit.calibration_id,
            [
                {
                    "schedule_id": schedule.id,
                    "state": "confirmed",
                    "result": "pass",
                    "date": date(2026, 8, 30),
                    "technician_id": self.user_a.id,
                }
            ],
        )
        self.assertEqual(schedule.next_due_date, date(2027, 2, 28))

    def test_repair_orders_soft_link(self):
        if "repair.order" not in self.env:
            self.skipTest("repair is not installed in this database (soft link)")
        lot = self._lots("P-901")
        self._deliver(lot, self.acme_plant)
        item = self._item(lot)
        repair = (
            self.env["repair.order"]
            .with_company(self.company_a)
            .create(
                {
                    "product_id": self.machine.id,
                    "lot_id": lot.id,
                    "partner_id": self.acme_plant.id,
                }
            )
        )
        self.assertEqual(repair.lot_id, lot)
        self.assertEqual(item.with_user(self.manager_a).repair_count, 0)
        self.assertEqual(item.repair_count, 1)
        action = item.action_view_repairs()
        self.assertEqual(self.env["repair.order"].search(action["domain"]), repair)
        history = self.env["stock.asset.service"]._portal_repair_history(item)
        self.assertEqual(len(history), 1)
        self.assertIn(repair.name, history[0]["kind"])
