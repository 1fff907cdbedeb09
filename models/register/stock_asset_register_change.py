# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError

VALUE_KINDS = ("revaluation", "impairment")


class StockAssetRegisterChange(models.Model):
    """A change during an asset's life that the depreciation board depends on.

    Revaluations and impairments move the value still to depreciate (``amount``
    is the signed change: an impairment is negative); pauses shift the periods
    after them (``months`` stays 0 while the pause is open); a change of useful
    life records the old and new number of periods. The board is always rebuilt
    from the asset and these records (``stock.asset._compute_depreciation_boards``).
    """

    _name = "stock.asset.register.change"
    _inherit = ["stock.asset.record.mixin"]
    _description = "Asset Register Change"
    _order = "date, id"

    asset_id = fields.Many2one(readonly=True, ondelete="cascade")
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(
        [
            ("revaluation", "Revaluation"),
            ("impairment", "Impairment"),
            ("pause", "Pause"),
            ("useful_life", "Change of Useful Life"),
        ],
        required=True,
        readonly=True,
    )
    date = fields.Date(required=True, readonly=True)
    amount = fields.Monetary(
        readonly=True,
        help="Change of the value to depreciate: positive for an upward "
        "revaluation, negative for a downward one or an impairment.",
    )
    months = fields.Integer(
        readonly=True, help="Length of a pause, in months; 0 while it is running."
    )
    resume_date = fields.Date(readonly=True)
    method_number_before = fields.Integer(string="Periods Before", readonly=True)
    method_number_after = fields.Integer(string="Periods After", readonly=True)
    account_id = fields.Many2one(
        "account.account",
        string="Counterpart Account",
        readonly=True,
        check_company=True,
    )
    move_id = fields.Many2one(
        "account.move", string="Journal Entry", readonly=True, copy=False
    )
    note = fields.Char(string="Reason", readonly=True)

    @api.depends("asset_id.code", "kind", "date")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for change in self:
            change.display_name = (
                f"{change.asset_id.code} {kinds.get(change.kind, '')} {change.date}"
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_accounted(self):
        if self.filtered("move_id"):
            raise UserError(
                self.env._(
                    "Revaluations and impairments with a journal entry cannot be "
                    "deleted; record an opposite change instead."
                )
            )
