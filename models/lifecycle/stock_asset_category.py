# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

CONFIDENTIALITY_SELECTION = [
    ("public", "Public"),
    ("internal", "Internal"),
    ("confidential", "Confidential"),
    ("secret", "Secret"),
]


class StockAssetCategory(models.Model):
    """Lifecycle: the category's expected life and replacement estimate, its kind
    (equipment or document, with the documents' retention, confidentiality and
    allowed holders) and the extra properties its assets carry."""

    _inherit = "stock.asset.category"

    # Replacement --------------------------------------------------------------------
    expected_life_months = fields.Integer(
        string="Expected Life (months)",
        help="How long an asset of the category serves, from the date it was put "
        "in use (else acquired): its expected end of life when it has no date set "
        "by hand and no register useful life. 0: none.",
    )
    lifecycle_currency_id = fields.Many2one(
        "res.currency", compute="_compute_lifecycle_currency_id"
    )
    replacement_cost_estimate = fields.Monetary(
        currency_field="lifecycle_currency_id",
        help="What replacing one asset of the category costs: the default "
        "replacement cost of its assets (their original value when empty).",
    )

    # Documents ----------------------------------------------------------------------
    asset_kind = fields.Selection(
        [("equipment", "Equipment"), ("document", "Document")],
        string="Kind",
        required=True,
        default="equipment",
        help="Document: physical documents and records, with a retention period, "
        "a confidentiality level, a due date on every check-out and, when set, "
        "a list of who may hold them.",
    )
    retention_months = fields.Integer(
        string="Retention (months)",
        help="How long a document is kept from its document date: its "
        "destruction date. 0: kept for ever.",
    )
    confidentiality = fields.Selection(
        CONFIDENTIALITY_SELECTION,
        string="Default Confidentiality",
        default="internal",
        help="The confidentiality level of a new document of the category.",
    )
    document_holder_ids = fields.Many2many(
        "res.partner",
        "stock_asset_category_document_holder_rel",
        "category_id",
        "partner_id",
        string="Allowed Holders",
        help="Who may check the category's documents out. With neither holders "
        "nor a group, anyone may.",
    )
    document_holder_group_id = fields.Many2one(
        "res.groups",
        string="Allowed Holder Group",
        help="The users of this group may also check the category's documents out.",
    )

    # Fields per category -----------------------------------------------------------
    asset_properties_definition = fields.PropertiesDefinition(
        string="Asset Properties",
        help="The extra fields the category's assets carry (e.g. RAM for laptops, "
        "load rating for slings), added from an asset's form.",
    )

    _sql_constraints = [
        (
            "expected_life_months_positive",
            "CHECK(expected_life_months >= 0)",
            "Expected Life: the number of months cannot be negative (0: none).",
        ),
        (
            "retention_months_positive",
            "CHECK(retention_months >= 0)",
            "Retention: the number of months cannot be negative (0: kept for ever).",
        ),
    ]

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_lifecycle_currency_id(self):
        for category in self:
            category.lifecycle_currency_id = (
                category.company_id.currency_id or self.env.company.currency_id
            )

    def _document_holder_problem(self, holder, asset):
        """Why ``holder`` (res.partner) may not hold ``asset``, a document of this
        category, or ''."""
        self.ensure_one()
        category = self.sudo()
        group = category.document_holder_group_id
        holders = category.document_holder_ids
        if not (holders or group) or holder in holders:
            return ""
        if group and holder.sudo().user_ids & group.users:
            return ""
        allowed = holders.mapped("name")
        if group:
            allowed.append(
                self.env._("the users of group %(group)s", group=group.full_name)
            )
        return self.env._(
            "%(asset)s is a document of category %(category)s that only "
            "%(allowed)s may hold, not %(holder)s.",
            asset=asset.display_name,
            category=category.name,
            allowed=", ".join(allowed),
            holder=holder.name,
        )
