# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import math

from odoo import models

from ...tools import scan_api
from ..common import reads_with_extra
from .stock_asset_meter import METER_NAME_MAX


class StockAssetScanBatch(models.Model):
    """A read may carry a meter value (``{"name": "hours", "value": 1234.5}``):
    it is recorded as a reading of that meter of the asset at the read's time.
    An unknown meter, a value that is not a number, negative, not finite or lower
    than the meter's last reading makes that code's answer ``invalid`` and the
    other reads of the batch still apply."""

    _inherit = "stock.asset.scan.batch"

    def _resolve(self, codes, order, context):
        results = super()._resolve(codes, order, context)
        sent_items = reads_with_extra(self, results, "meter", self._meter_problem)
        if not sent_items:
            return results
        meters = self.env["stock.asset.meter"].search(
            [("asset_id", "in", list({item["asset"]["id"] for item in sent_items}))]
        )
        by_key = {(meter.asset_id.id, meter.name.lower()): meter for meter in meters}
        Reading = self.env["stock.asset.meter.reading"]
        for item in sent_items:
            sent = item["entry"]["meter"]
            meter = by_key.get((item["asset"]["id"], sent["name"].strip().lower()))
            if not meter:
                self._refuse(
                    item,
                    self.env._(
                        "unknown meter %(meter)s for asset %(code)s: not a meter "
                        "of the asset",
                        meter=scan_api.quoted(sent["name"]),
                        code=item["asset"]["code"],
                    ),
                )
                continue
            problem = Reading._problem_at(
                meter, item["entry"]["last"], float(sent["value"])
            )
            if problem:
                self._refuse(item, problem)
                continue
            item["meter"] = meter
        return results

    def _meter_problem(self, sent):
        """Why the ``meter`` of a read cannot be recorded, or None."""
        if not isinstance(sent, dict) or not isinstance(sent.get("name"), str):
            return self.env._(
                "meter must be an object with a name and a value, e.g. "
                '{"name": "hours", "value": 1234.5}'
            )
        name = sent["name"]
        problem = scan_api.text_problem(name, "meter name")
        if problem:
            return problem
        if not name.strip() or len(name.strip()) > METER_NAME_MAX:
            return self.env._(
                "meter name %(meter)s must hold 1 to %(max)s characters",
                meter=scan_api.quoted(name),
                max=METER_NAME_MAX,
            )
        value = sent.get("value")
        # a stored body holds a non-finite number as the string of its token
        if value in ("NaN", "Infinity", "-Infinity"):
            value = float(value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return self.env._(
                "meter %(meter)s: the value must be a number",
                meter=scan_api.quoted(name),
            )
        if not math.isfinite(value) or value < 0:
            return self.env._(
                "meter %(meter)s: the value must be a finite number, zero or more",
                meter=scan_api.quoted(name),
            )
        return None

    def _apply_mode(self, results, context):
        moved = super()._apply_mode(results, context)
        vals_list = [
            {
                "meter_id": item["meter"].id,
                "date": item["entry"]["last"],
                "value": float(item["entry"]["meter"]["value"]),
                "source": "scan",
                "user_id": context["user"].id,
            }
            for item in results
            if item["status"] == "matched" and item.get("meter")
        ]
        if vals_list:
            self.env["stock.asset.meter.reading"].with_user(context["user"]).create(
                vals_list
            )
        return moved
