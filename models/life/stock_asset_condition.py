# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..common import clashes

#: what a condition code may hold: what a handheld sends in a read's ``condition``
CONDITION_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
CONDITION_CODE_MAX = 32


class StockAssetCondition(models.Model):
    """One step of the condition scale (new, good, fair, poor, broken): what a
    user picks on the asset and a handheld sends in a read's ``condition``."""

    _name = "stock.asset.condition"
    _description = "Asset Condition"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="What a handheld or a reader sends in a read's condition: lower-case "
        "letters, digits, '_', '.' or '-', at most 32 characters.",
    )
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    out_of_service = fields.Boolean(
        help="The item is broken: recording this condition takes it out of "
        "service (In Repair) and proposes a repair.",
    )
    description = fields.Text()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Empty: the condition is offered to every company.",
    )

    @api.constrains("code")
    def _check_code(self):
        for condition in self:
            if len(condition.code) > CONDITION_CODE_MAX or not CONDITION_CODE_RE.match(
                condition.code
            ):
                raise ValidationError(
                    self.env._(
                        "The code %(code)r of condition %(name)s must be lower-case "
                        "letters, digits, '_', '.' or '-' (at most %(max)s "
                        "characters): handhelds send it in their reads.",
                        code=condition.code,
                        name=condition.name,
                        max=CONDITION_CODE_MAX,
                    )
                )

    @api.constrains("code", "company_id", "active")
    def _check_code_unique(self):
        all_conditions = self.with_context(active_test=False).search(
            [("code", "in", self.mapped("code"))]
        )
        for condition in self:
            clash = clashes(condition, all_conditions, "code")
            if clash:
                raise ValidationError(
                    self.env._(
                        "Condition code %(code)s is already used by %(other)s: a "
                        "code names one condition per company.",
                        code=condition.code,
                        other=clash[0].name,
                    )
                )

    @api.model
    def _find_for_asset(self, codes_by_company):
        """``{(company_id, code): condition}`` of the codes a batch sent, the
        company's own condition before a shared one, in one query."""
        codes = {code for _company, code in codes_by_company}
        if not codes:
            return {}
        conditions = (
            self.sudo()
            .search([("code", "in", sorted(codes))])
            .sorted(lambda c: (not c.company_id, c.sequence, c.id))
        )
        found = {}
        for company_id, code in codes_by_company:
            for condition in conditions:
                if condition.code == code and condition.company_id.id in (
                    company_id,
                    False,
                ):
                    found[company_id, code] = condition.sudo(False)
                    break
        return found
