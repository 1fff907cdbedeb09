# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Delivery handover: serials a validated delivery hands to a customer become, or
stay, installed-base items (``stock.asset`` with ``ownership`` ``customer``); a
return from the customer marks them returned and ends their coverage.

The hook runs after the whole validation (``stock.picking._action_done``), so the
moves are done, the delivery has its date, and the register's proposal of disposal
(``stock.move._action_done``) has seen the company-owned assets before they change
hands.
"""

import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import fields, models
from odoo.tools import SQL, format_date

_logger = logging.getLogger(__name__)


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        res = super()._action_done()
        self._installed_base_handover()
        return res

    # Business helpers ---------------------------------------------------------------
    def _installed_base_handover(self):
        """Hand the serials of the done moves of ``self`` over to (or back from)
        the customers' installed base."""
        lines = self.move_ids.filtered(lambda move: move.state == "done").move_line_ids
        lines = lines.filtered(
            lambda line: line.lot_id
            and line.quantity > 0
            and line.product_id.tracking == "serial"
        )
        if not lines:
            return
        deliveries = lines.filtered(
            lambda line: line.location_dest_id.usage == "customer"
            and line.location_id.usage != "customer"
        )
        returns = lines.filtered(
            lambda line: line.location_id.usage == "customer"
            and line.location_dest_id.usage != "customer"
        )
        eligible = self._installed_base_eligible_products(deliveries)
        deliveries = deliveries.filtered(
            lambda line: (line.product_id, line.company_id) in eligible
        )
        if deliveries:
            self._installed_base_deliver(deliveries)
        if returns:
            self._installed_base_return(returns)

    def _installed_base_eligible_products(self, lines):
        """``{(product, company)}`` of the lines whose product, or its asset
        category in that company, tracks its serials as installed base."""
        eligible = set()
        for product, company in {(line.product_id, line.company_id) for line in lines}:
            # stock users may validate without reading asset categories
            product_c = product.sudo().with_company(company)
            if product_c.installed_base or product_c.asset_category_id.installed_base:
                eligible.add((product, company))
        return eligible

    def _installed_base_assets(self, lots):
        """The assets of ``lots``, archived ones included (a serial has one)."""
        return (
            self.env["stock.asset"]
            .sudo()
            .with_context(active_test=False)
            .search([("lot_id", "in", lots.ids)])
        )

    def _installed_base_deliver(self, lines):
        """Create the installed items of delivered serials that have none (one
        ``create``, tags drawn at once), update the others (one ``write`` per set
        of values) and log their change of hands in their chatter; a note on each
        delivery counts them."""
        Asset = self.env["stock.asset"].sudo()
        by_lot = {
            asset.lot_id: asset for asset in self._installed_base_assets(lines.lot_id)
        }
        to_create = []
        updates = defaultdict(list)
        notes = {}
        skipped = defaultdict(list)
        counts = defaultdict(lambda: [0, 0])  # picking: [created, updated]
        warranties = {}
        # a serial is handed over once per validation, by its last line
        last_lines = {line.lot_id: line for line in lines}
        for line in last_lines.values():
            picking = line.move_id.picking_id
            company = line.company_id
            site = picking.partner_id or line.move_id.partner_id
            customer = site.commercial_partner_id
            asset = by_lot.get(line.lot_id)
            reason = self._installed_base_refusal(site, customer, company, asset)
            if reason:
                skipped[picking].append((line.lot_id.name, reason))
                continue
            product = line.product_id.sudo().with_company(company)
            day = fields.Date.context_today(self, picking.date_done or line.date)
            vals = self._prepare_installed_base_vals(line, site, day)
            if (product, day) not in warranties:
                warranties[product, day] = self._installed_base_warranty(product, day)
            warranty = warranties[product, day]
            if not asset:
                to_create.append(
                    self._prepare_installed_base_create_vals(
                        vals, line, product, warranty
                    )
                )
                counts[picking][0] += 1
                continue
            vals = self._prepare_installed_base_update_vals(
                vals, asset, product, warranty
            )
            updates[tuple(sorted(vals.items()))].append(asset.id)
            counts[picking][1] += 1
            notes[asset.id] = self._installed_base_delivery_note(
                asset, line, site, customer, vals
            )
            if "warranty_end_date" in vals:
                notes[asset.id] += " " + self._installed_base_warranty_note(*warranty)
        for picking, refused in skipped.items():
            self._installed_base_log_refusals(picking, refused)
        created = self._installed_base_create(to_create)
        # the chatter line below says what changed: no field tracking on top
        for items, ids in updates.items():
            Asset.browse(ids).with_context(mail_notrack=True).write(dict(items))
        if notes:
            Asset.browse(list(notes))._message_log_batch(
                {asset_id: escape(body) for asset_id, body in notes.items()}
            )
        self._installed_base_log_counts(counts)
        self._installed_base_plan_preventive(created | Asset.browse(list(notes)))

    def _prepare_installed_base_create_vals(self, vals, line, product, warranty):
        """``vals`` completed for the new installed item of a delivered serial."""
        start, end = warranty
        company = line.company_id
        return {
            **vals,
            "name": product.display_name,
            "product_id": product.id,
            "lot_id": line.lot_id.id,
            "category_id": product.asset_category_id.id,
            "company_id": company.id,
            "state": "in_use",
            "warranty_start_date": start,
            "warranty_end_date": end,
        }

    def _prepare_installed_base_update_vals(self, vals, asset, product, warranty):
        """``vals`` completed for an existing ``asset`` handed over: a new
        warranty (when it has none or the product renews it), back in use and
        active; a company-owned asset with a value keeps its ownership."""
        vals = dict(vals)
        start, end = warranty
        if start and (not asset.warranty_start_date or product.warranty_renew):
            vals.update(warranty_start_date=start, warranty_end_date=end)
        if asset.state in ("draft", "lost"):
            vals["state"] = "in_use"
        if not asset.active:
            vals["active"] = True
        if asset.ownership == "company" and asset.original_value:
            # The register keeps carrying its value until the accountant has
            # disposed of it (it refuses customer items with a value).
            del vals["ownership"]
        return vals

    def _installed_base_warranty_note(self, start, end):
        """The chatter sentence of a warranty given on delivery."""
        return self.env._(
            "Warranty from %(start)s to %(end)s.",
            start=format_date(self.env, start),
            end=format_date(self.env, end),
        )

    def _installed_base_create(self, vals_list):
        """Create the installed items of ``vals_list``, with asset tags drawn at
        once per company; the new assets (sudo)."""
        Asset = self.env["stock.asset"].sudo()
        if not vals_list:
            return Asset.browse()
        by_company = defaultdict(list)
        for vals in vals_list:
            by_company[vals["company_id"]].append(vals)
        for company_id, company_vals_list in by_company.items():
            codes = self.with_company(company_id)._installed_base_codes(
                len(company_vals_list)
            )
            for vals, code in zip(company_vals_list, codes, strict=True):
                if code:
                    vals["code"] = code
        # new records: no tracking, no follower, no "created" line (the note on
        # the delivery counts them); nor the per-record auto-subscription of
        # mail.thread, which has nobody to subscribe here (no responsible
        # user in the values, no subtype following a parent record)
        return Asset.with_context(tracking_disable=True).create(vals_list)

    def _installed_base_log_counts(self, counts):
        """A note on each delivery: how many installed items it created and
        updated (``counts``: ``{picking: [created, updated]}``)."""
        for picking, (new, updated) in counts.items():
            if picking:
                picking._message_log(
                    body=self.env._(
                        "Installed base: %(new)s items created, %(updated)s updated.",
                        new=new,
                        updated=updated,
                    )
                )

    def _installed_base_codes(self, count):
        """``count`` asset tags from the asset tag sequence of the current
        company, drawn in one query for a standard sequence without date ranges
        (else one by one). Falsy tags leave ``stock.asset.create`` to draw them."""
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [
                    ("code", "=", "stock.asset"),
                    ("company_id", "in", [self.env.company.id, False]),
                ],
                order="company_id",
                limit=1,
            )
        )
        if not sequence:
            return [False] * count
        if sequence.implementation != "standard" or sequence.use_date_range:
            return [sequence._next() for _n in range(count)]
        self.env.cr.execute(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                f"ir_sequence_{sequence.id:03d}",
                count,
            )
        )
        numbers = sorted(number for (number,) in self.env.cr.fetchall())
        # what ``get_next_char`` does, with the prefix interpolated once
        prefix, suffix = sequence._get_prefix_suffix()
        return [f"{prefix}{number:0{sequence.padding}d}{suffix}" for number in numbers]

    def _installed_base_plan_preventive(self, assets):
        """Preventive service schedules for the delivered items whose category
        plans them and that have none: the calibration schedules (one engine),
        of the kind 'Preventive Service', first due the interval after delivery.
        One ``create`` for the delivery."""
        kind = self.env.ref(
            "stock_asset_tracking.calibration_kind_preventive_service",
            raise_if_not_found=False,
        )
        assets = assets.filtered(
            lambda asset: asset.category_id.preventive_interval_months > 0
        )
        if not kind or not assets:
            return
        Schedule = self.env["stock.asset.calibration.schedule"].sudo()
        planned = Schedule.search(
            [("asset_id", "in", assets.ids), ("kind_id", "=", kind.id)]
        ).asset_id
        vals_list = []
        for asset in assets - planned:
            months = asset.category_id.preventive_interval_months
            vals_list.append(
                {
                    "asset_id": asset.id,
                    "kind_id": kind.id,
                    "interval_number": months,
                    "interval_unit": "months",
                    "next_due_date": asset.delivery_date + relativedelta(months=months),
                }
            )
        if vals_list:
            Schedule.with_context(mail_create_nolog=True).create(vals_list)

    def _installed_base_refusal(self, site, customer, company, asset):
        """Why a serial delivered to ``site`` cannot be handed over, or ``""``."""
        if not site:
            return self.env._("the delivery has no customer")
        foreign = (site | customer).company_id - company
        if foreign:
            return self.env._(
                "the customer %(customer)s belongs to the company %(company)s",
                customer=customer.display_name,
                company=foreign[0].name,
            )
        if asset and asset.company_id != company:
            return self.env._(
                "its item %(code)s belongs to the company %(company)s",
                code=asset.code,
                company=asset.company_id.name,
            )
        return ""

    def _installed_base_log_refusals(self, picking, refused):
        """An INFO line per serial and a note on the delivery."""
        for serial, reason in refused:
            _logger.info(
                "Delivery %s: serial %s not handed over to the installed base: %s",
                picking.name,
                serial,
                reason,
            )
        if not picking:
            return
        items = Markup().join(
            Markup("<li>%s: %s</li>") % (serial, reason) for serial, reason in refused
        )
        picking._message_log(
            body=Markup("%s<ul>%s</ul>")
            % (
                self.env._("Serial numbers not added to the installed base:"),
                items,
            )
        )

    def _prepare_installed_base_vals(self, line, site, day):
        """Values an installed item takes from the move line delivering it."""
        move = line.move_id
        sale_line = move.sale_line_id if "sale_line_id" in move._fields else False
        return {
            "ownership": "customer",
            "installation_state": "installed",
            "partner_id": site.commercial_partner_id.id,
            "site_partner_id": site.id,
            "location_id": line.location_dest_id.id,
            "delivery_date": day,
            "delivery_picking_id": move.picking_id.id,
            "sale_line_ref": f"sale.order.line,{sale_line.id}" if sale_line else False,
            "return_date": False,
            "return_picking_id": False,
        }

    def _installed_base_warranty(self, product, day):
        """``(start, end)`` of the warranty of ``product`` delivered on ``day``:
        the product's months, else its category's; the end is the last day
        covered. ``(False, False)`` without warranty."""
        months = product.warranty_months or product.asset_category_id.warranty_months
        if months <= 0:
            return False, False
        return day, day + relativedelta(months=months, days=-1)

    def _installed_base_delivery_note(self, asset, line, site, customer, vals):
        """The chatter line of an item that changes hands (history kept)."""
        # every note names the new holder, its site and the delivery
        names = {
            "customer": customer.display_name,
            "site": site.display_name,
            "delivery": line.move_id.picking_id.name,
        }
        if asset.ownership == "company":
            if "ownership" not in vals:
                return self.env._(
                    "Sold: delivered to %(customer)s (%(site)s) by %(delivery)s. It "
                    "stays company-owned in the fixed-asset register until its "
                    "disposal.",
                    **names,
                )
            return self.env._(
                "Sold: delivered to %(customer)s (%(site)s) by %(delivery)s; it is "
                "now an installed item of the customer.",
                **names,
            )
        previous = self.env._(
            "%(customer)s (%(site)s), delivered by %(delivery)s on %(date)s",
            customer=asset.partner_id.display_name,
            site=asset.site_partner_id.display_name or "-",
            delivery=asset.delivery_picking_id.name or "-",
            date=format_date(self.env, asset.delivery_date) or "-",
        )
        if asset.installation_state == "returned":
            previous = self.env._(
                "%(previous)s, returned by %(document)s on %(date)s",
                previous=previous,
                document=asset.return_picking_id.name or "-",
                date=format_date(self.env, asset.return_date) or "-",
            )
        if asset.partner_id == customer:
            return self.env._(
                "Delivered again to %(customer)s (%(site)s) by %(delivery)s. "
                "Before: %(previous)s.",
                **names,
                previous=previous,
            )
        return self.env._(
            "Moved to %(customer)s (%(site)s) by the delivery %(delivery)s. "
            "Before: %(previous)s.",
            **names,
            previous=previous,
        )

    def _installed_base_return(self, lines):
        """Serials coming back from customers: their installed items are marked
        returned, their coverage ends on the return date. A serial that was never
        handed over is ignored (logged)."""
        by_lot = {
            asset.lot_id: asset
            for asset in self._installed_base_assets(lines.lot_id)
            if asset.installation_state == "installed"
        }
        updates = defaultdict(list)
        notes = {}
        for line in lines:
            picking = line.move_id.picking_id
            asset = by_lot.get(line.lot_id)
            if not asset or asset.company_id != line.company_id:
                _logger.info(
                    "Return %s: serial %s ignored, it is not an installed-base item "
                    "(never delivered to a customer).",
                    picking.name,
                    line.lot_id.name,
                )
                continue
            day = fields.Date.context_today(self, picking.date_done or line.date)
            end = asset.warranty_end_date
            vals = {
                "installation_state": "returned",
                "return_date": day,
                "return_picking_id": picking.id,
                "location_id": line.location_dest_id.id,
                "warranty_end_date": min(end, day) if end else False,
            }
            updates[tuple(sorted(vals.items()))].append(asset.id)
            notes[asset.id] = self.env._(
                "Returned from %(customer)s by %(document)s on %(date)s; its "
                "coverage ended (warranty until: %(end)s).",
                customer=asset.partner_id.display_name,
                document=picking.name,
                date=format_date(self.env, day),
                end=format_date(self.env, end) if end else "-",
            )
        Asset = self.env["stock.asset"].sudo()
        # the chatter line below says what changed: no field tracking on top
        for items, ids in updates.items():
            Asset.browse(ids).with_context(mail_notrack=True).write(dict(items))
        if notes:
            Asset.browse(list(notes))._message_log_batch(
                {asset_id: escape(body) for asset_id, body in notes.items()}
            )
