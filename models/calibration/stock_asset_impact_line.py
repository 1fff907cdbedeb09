# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError

DECISIONS = [
    ("no_impact", "No Impact"),
    ("recheck", "Re-check"),
    ("recall", "Recall"),
]
# what identifies a line within its assessment
KEY_FIELDS = ("line_type", "usage_id", "lot_id", "custody_id")


class StockAssetImpactLine(models.Model):
    """One custody period, usage or lot an out-of-tolerance instrument touched,
    and what the quality user decided about it."""

    _name = "stock.asset.impact.line"
    _inherit = ["stock.asset.usage.document.mixin"]
    _description = "Impact Assessment Line"
    _order = "impact_id, sequence, id"
    _check_company_auto = True

    impact_id = fields.Many2one(
        "stock.asset.impact",
        string="Assessment",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="impact_id.company_id", store=True, index=True, precompute=True
    )
    impact_state = fields.Selection(related="impact_id.state")
    sequence = fields.Integer(default=10)
    line_type = fields.Selection(
        [("custody", "Custody Period"), ("usage", "Usage"), ("lot", "Lot / Serial")],
        string="Type",
        required=True,
        readonly=True,
    )
    usage_id = fields.Many2one(
        "stock.asset.usage", readonly=True, index="btree_not_null"
    )
    custody_id = fields.Many2one(
        "stock.asset.custody",
        string="Custody Period",
        readonly=True,
        index="btree_not_null",
    )
    lot_id = fields.Many2one(
        "stock.lot", string="Lot / Serial", readonly=True, index="btree_not_null"
    )
    product_id = fields.Many2one(related="lot_id.product_id")
    date_from = fields.Datetime(string="From", readonly=True)
    date_to = fields.Datetime(string="To", readonly=True)
    holder_id = fields.Many2one("res.partner", readonly=True)
    user_id = fields.Many2one("res.users", readonly=True)
    res_model = fields.Char(readonly=True)
    res_id = fields.Many2oneReference(readonly=True)
    res_name = fields.Char(readonly=True)
    decision = fields.Selection(DECISIONS, index=True)
    notes = fields.Text()
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decided_date = fields.Datetime(readonly=True)

    @api.depends("line_type", "res_name", "lot_id", "date_from")
    def _compute_display_name(self):
        types = dict(self._fields["line_type"]._description_selection(self.env))
        for line in self:
            what = line.lot_id.name if line.line_type == "lot" else line.res_name
            line.display_name = f"{types.get(line.line_type, '')} {what or ''}".strip()

    def write(self, vals):
        self.impact_id._check_open(
            ", ".join(self._fields[f].string for f in vals if f in self._fields)
        )
        if "decision" in vals:
            vals = dict(
                vals,
                decided_by_id=vals["decision"] and self.env.uid,
                decided_date=vals["decision"] and fields.Datetime.now(),
            )
        before = {line: (line.decision, line.notes) for line in self}
        res = super().write(vals)
        if "decision" in vals or "notes" in vals:
            self._log_decisions(before)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_evidence(self):
        if self.impact_id and not self.env.context.get("impact_line_cleanup"):
            raise UserError(
                self.env._(
                    "Lines: the lines of an impact assessment are evidence; "
                    "decide them instead of deleting them."
                )
            )

    def action_open_document(self):
        self.ensure_one()
        if self.line_type == "lot":
            return {
                "type": "ir.actions.act_window",
                "res_model": "stock.lot",
                "res_id": self.lot_id.id,
                "view_mode": "form",
            }
        return super().action_open_document()

    def _get_key(self):
        self.ensure_one()
        return self._get_key_of(
            {
                "line_type": self.line_type,
                "usage_id": self.usage_id.id,
                "lot_id": self.lot_id.id,
                "custody_id": self.custody_id.id,
            }
        )

    @api.model
    def _get_key_of(self, vals):
        return tuple(vals.get(fname) or False for fname in KEY_FIELDS)

    def _log_decisions(self, before):
        """Each decision on the assessment's chatter (the evidence of who decided
        what, when)."""
        labels = dict(DECISIONS)
        for line in self:
            old_decision, old_notes = before[line]
            if (old_decision, old_notes) == (line.decision, line.notes):
                continue
            # no f-string inside the call: the .pot extractor evaluates them
            notes = f" ({line.notes})" if line.notes else ""
            line.impact_id.message_post(
                body=self.env._(
                    "%(line)s: %(old)s → %(new)s%(notes)s",
                    line=line.display_name,
                    old=labels.get(old_decision, self.env._("undecided")),
                    new=labels.get(line.decision, self.env._("undecided")),
                    notes=notes,
                ),
                subtype_xmlid="mail.mt_note",
            )
