# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import models

from ...tools import scan_api
from ..common import reads_with_extra
from .stock_asset_condition import CONDITION_CODE_MAX

#: the condition history source of a read, per batch mode
_SOURCE_OF_MODE = {"checkout": "checkout", "checkin": "checkin", "audit": "audit"}


class StockAssetScanBatch(models.Model):
    """A read may carry the asset's ``condition`` (a condition code): it is
    recorded with the read; an unknown or malformed code makes that code's
    answer ``invalid`` and the other reads of the batch still apply."""

    _inherit = "stock.asset.scan.batch"

    def _resolve(self, codes, order, context):
        results = super()._resolve(codes, order, context)
        items = reads_with_extra(self, results, "condition", self._condition_problem)
        if not items:
            return results
        wanted = {
            (item["asset"]["company_id"], item["entry"]["condition"].strip().lower())
            for item in items
        }
        found = self.env["stock.asset.condition"]._find_for_asset(wanted)
        for item in items:
            sent = item["entry"]["condition"]
            key = (item["asset"]["company_id"], sent.strip().lower())
            if key in found:
                item["condition"] = found[key]
            else:
                self._refuse(
                    item,
                    self.env._(
                        "unknown condition %(condition)s for asset %(code)s: "
                        "not a condition code of its company",
                        condition=scan_api.quoted(sent),
                        code=item["asset"]["code"],
                    ),
                )
        return results

    def _condition_problem(self, sent):
        """Why the ``condition`` of a read cannot be looked up, or None."""
        if not isinstance(sent, str):
            return self.env._("condition must be a string (a condition code)")
        problem = scan_api.text_problem(sent, "condition")
        if problem:
            return problem
        if len(sent.strip()) > CONDITION_CODE_MAX:
            return self.env._(
                "condition %(condition)s is longer than %(max)s characters",
                condition=scan_api.quoted(sent),
                max=CONDITION_CODE_MAX,
            )
        return None

    def _apply_mode(self, results, context):
        # a check-out records the condition first: a broken item does not go out
        if context["mode"] == "checkout":
            self._apply_conditions(results, context)
            return super()._apply_mode(results, context)
        moved = super()._apply_mode(results, context)
        self._apply_conditions(results, context)
        return moved

    def _apply_conditions(self, results, context):
        """Record the conditions the matched reads carry, one call per
        condition."""
        by_condition = defaultdict(set)
        for item in results:
            if item["status"] == "matched" and item.get("condition"):
                by_condition[item["condition"]].add(item["asset"]["id"])
        if not by_condition:
            return
        Asset = self.env["stock.asset"].with_user(context["user"])
        source = _SOURCE_OF_MODE.get(context["mode"], "scan")
        note = context.get("reference")
        for condition, asset_ids in by_condition.items():
            Asset.browse(sorted(asset_ids))._record_condition(
                condition.with_user(context["user"]),
                source,
                note=note if isinstance(note, str) and note else None,
                user=context["user"],
            )
