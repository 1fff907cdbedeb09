# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StockAssetCategory(models.Model):
    """Life of an item: the category's home location and its repair figures."""

    _inherit = "stock.asset.category"

    home_location_id = fields.Many2one(
        "stock.location",
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="Where the assets of this category are stored: the home location of "
        "a new asset of the category, where a check-in returns it.",
    )
    repair_total = fields.Integer(
        string="Repairs",
        compute="_compute_repair_figures",
        help="Repairs of the category's assets (done service repairs, and Odoo "
        "repair orders when Repairs is installed).",
    )
    mtbf_days = fields.Float(
        string="Mean Time Between Failures (days)",
        compute="_compute_repair_figures",
        digits=(16, 1),
        help="Days in service of the repaired assets of the category, up to their "
        "latest repair, divided by their repairs.",
    )

    @api.constrains("home_location_id")
    def _check_home_location(self):
        for category in self.filtered("home_location_id"):
            problem = self.env["stock.asset"]._home_location_problem(
                category.home_location_id, category.company_id
            )
            if problem:
                raise ValidationError(
                    self.env._(
                        "Category %(category)s cannot have %(location)s as home "
                        "location: %(problem)s",
                        category=category.name,
                        location=category.home_location_id.display_name,
                        problem=problem,
                    )
                )

    def _compute_repair_figures(self):
        groups = self.env["stock.asset"]._read_group(
            [("category_id", "in", self.ids), ("repair_total", ">", 0)],
            ["category_id"],
            ["repair_total:sum", "mtbf_span_days:sum"],
        )
        figures = {category: (count, span) for category, count, span in groups}
        for category in self:
            count, span = figures.get(category, (0, 0))
            category.repair_total = count
            category.mtbf_days = span / count if count else 0.0
