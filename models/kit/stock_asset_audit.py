# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class StockAssetAudit(models.Model):
    """The close of an audit lists the kits it found incomplete."""

    _inherit = "stock.asset.audit"

    def action_close(self, mark_lost=False):
        res = super().action_close(mark_lost=mark_lost)
        lines = self.env["stock.asset.audit.line"].search(
            [("audit_id", "in", self.ids), ("kit_incomplete", "=", True)]
        )
        for audit in self:
            mine = lines.filtered(lambda line, audit=audit: line.audit_id == audit)
            if mine:
                audit.message_post(
                    body=self.env._(
                        "Kits found incomplete: %(kits)s.",
                        kits="; ".join(
                            f"{line.code} ({line.kit_note})" for line in mine
                        ),
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        return res
