# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..common import EDITABLE_COMPUTE

# Models whose records a scanned or typed reference may name, tried in this order
# (those installed); other modules call ``_log_usage`` with the record itself.
DOCUMENT_MODELS = (
    "stock.picking",
    "mrp.production",
    "mrp.workorder",
    "quality.check",
    "repair.order",
    "stock.lot",
)
# a usage may be logged this far in the future (clock drift of handhelds)
FUTURE_MARGIN = timedelta(minutes=5)


class StockAssetUsage(models.Model):
    """An asset was used on a document (a picking, a lot, a manufacturing order, a
    quality check...) at a time, by someone: what an out-of-tolerance instrument
    may have affected."""

    _name = "stock.asset.usage"
    _inherit = ["stock.asset.record.mixin", "stock.asset.usage.document.mixin"]
    _description = "Asset Usage"
    _order = "date desc, id desc"
    _check_company_auto = True

    date = fields.Datetime(required=True, index=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        "res.users",
        string="Used By",
        index=True,
        default=lambda self: self.env.user,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Holder",
        index="btree_not_null",
        compute="_compute_partner_id",
        help="Who had the asset: the user's contact, or the custody holder.",
        **EDITABLE_COMPUTE,
    )
    res_model = fields.Char(index=True)
    res_id = fields.Many2oneReference(index=True)
    reference = fields.Char(
        help="The document's name as scanned or typed; it is linked to the document "
        "when exactly one record of a known kind bears that name."
    )
    source = fields.Selection(
        [
            ("manual", "Manual"),
            ("scan", "Scan"),
            ("api", "Other Module"),
            ("custody", "Custody"),
        ],
        required=True,
        default="manual",
    )
    note = fields.Char()

    @api.depends("user_id")
    def _compute_partner_id(self):
        for usage in self:
            usage.partner_id = usage.user_id.partner_id or usage.partner_id

    # Constraints ---------------------------------------------------------------
    @api.constrains("date")
    def _check_date(self):
        limit = fields.Datetime.now() + FUTURE_MARGIN
        for usage in self:
            if usage.date > limit:
                raise ValidationError(
                    self.env._(
                        "Date: the use of %(asset)s is dated %(date)s, in the "
                        "future; a usage is logged when it happens.",
                        asset=usage.asset_id.code,
                        date=usage.date,
                    )
                )

    # CRUD ----------------------------------------------------------------------
    @api.depends("asset_id.code", "res_name", "reference")
    def _compute_display_name(self):
        for usage in self:
            usage.display_name = self.env._(
                "%(asset)s on %(document)s",
                asset=usage.asset_id.code or "",
                document=usage.res_name or usage.reference or "-",
            )

    @api.model_create_multi
    def create(self, vals_list):
        checked = self.env["stock.asset"].browse(
            {
                vals["asset_id"]
                for vals in vals_list
                if vals.get("asset_id") and vals.get("source") != "custody"
            }
        )
        refusals = checked._check_usage_allowed()
        if refusals:
            raise UserError("\n".join(refusals.values()))
        for vals in vals_list:
            if vals.get("reference") and not vals.get("res_model"):
                document = self._find_document(vals["reference"])
                if document:
                    vals.update(self._prepare_document_vals(document))
        return super().create(vals_list)

    # Public API ------------------------------------------------------------------
    @api.model
    def _log_usage(
        self, assets, record=None, reference=None, user=None, at=None, source="api"
    ):
        """Log that ``assets`` were used on ``record``, in one ``create``.

        :param assets: ``stock.asset`` recordset (or ids)
        :param record: the document used on (any record: picking, lot, MO, quality
            check...), or None with ``reference``
        :param reference: the document's name (e.g. a scanned ``WH/OUT/00012``),
            linked to the record it names when exactly one known record does
        :param user: ``res.users`` (record or id) who used them; the current user
        :param at: datetime of the use (UTC, naive); now by default
        :param source: ``manual``, ``scan``, ``api`` or ``custody``
        :returns: the ``stock.asset.usage`` records, one per asset
        :raises UserError: when an asset may not be used (calibration overdue, out
            of tolerance or out of service), naming each such asset and why; use
            ``stock.asset._check_usage_allowed()`` first to log the others only
        """
        if not isinstance(assets, models.BaseModel):
            assets = self.env["stock.asset"].browse(assets)
        if isinstance(user, models.BaseModel):
            user = user.id
        common = {
            "date": at or fields.Datetime.now(),
            "user_id": user or self.env.uid,
            "reference": reference or False,
            "source": source,
        }
        if record:
            record.ensure_one()
            common.update(self._prepare_document_vals(record))
        return self.create([dict(common, asset_id=asset.id) for asset in assets])

    @api.model
    def _log_custody(self, custodies):
        """One usage per custody period (check-out), for the impact tracing."""
        return self.create(
            [
                {
                    "asset_id": custody.asset_id.id,
                    "date": custody.date_from,
                    "user_id": custody.holder_id.user_ids[:1].id
                    or custody.checkout_user_id.id,
                    "partner_id": custody.holder_id.id,
                    "source": "custody",
                    **self._prepare_document_vals(custody),
                }
                for custody in custodies
            ]
        )

    # Business helpers ------------------------------------------------------------
    @api.model
    def _prepare_document_vals(self, record):
        return {
            "res_model": record._name,
            "res_id": record.id,
            "res_name": record.sudo().display_name,
        }

    @api.model
    def _get_document_models(self):
        """Installed models a reference may name (override to add yours)."""
        return [model for model in DOCUMENT_MODELS if model in self.env]

    @api.model
    def _find_document(self, reference):
        """The one record of a known model named ``reference`` in the user's
        companies, or None when none or several are."""
        found = []
        company_ids = self.env.user.company_ids.ids
        for model in self._get_document_models():
            Model = self.env[model].sudo()
            if "name" not in Model._fields:
                continue
            domain = [("name", "=", reference)]
            if "company_id" in Model._fields:
                domain.append(("company_id", "in", [*company_ids, False]))
            found.extend(Model.search(domain, limit=2))
            if len(found) > 1:
                return None
        return found[0].sudo(False) if found else None

    @api.model
    def _get_document_lots(self, record):
        """Lots and serial numbers a document touched: the lot itself, its
        ``lot_id`` / ``lot_producing_id`` / ``lot_ids``, its move lines' lots."""
        record = record.sudo()
        Lot = self.env["stock.lot"].sudo()
        if record._name == "stock.lot":
            return record
        lots = Lot
        for fname in ("lot_id", "lot_producing_id", "lot_ids", "move_line_ids"):
            field = record._fields.get(fname)
            if not field:
                continue
            if field.comodel_name == "stock.lot":
                lots |= record[fname]
            elif field.comodel_name == "stock.move.line":
                lots |= record[fname].lot_id
        return lots
