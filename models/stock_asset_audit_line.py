# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import UserError

STATUS_SELECTION = [
    ("pending", "Not Seen Yet"),
    ("found", "Found"),
    ("found_elsewhere", "Found Elsewhere"),
    ("missing", "Missing"),
    ("unknown", "Unknown Code"),
]


class StockAssetAuditLine(models.Model):
    """One asset an audit expected or saw, or one code it saw that names no asset.

    Lines are written by the audit (snapshot, scans, close), never by hand.
    """

    _name = "stock.asset.audit.line"
    _description = "Asset Audit Line"
    _order = "audit_id, code, id"
    _rec_name = "code"
    _check_company_auto = True

    audit_id = fields.Many2one(
        "stock.asset.audit",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="audit_id.company_id", store=True, index=True, precompute=True
    )
    audit_state = fields.Selection(related="audit_id.state", string="Audit Status")
    asset_id = fields.Many2one(
        "stock.asset",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
        check_company=True,
    )
    code = fields.Char(
        readonly=True,
        required=True,
        help="The asset's tag, or the scanned code that names no asset.",
    )
    asset_name = fields.Char(related="asset_id.name", string="Asset Description")
    holder_id = fields.Many2one(related="asset_id.holder_id")
    expected = fields.Boolean(
        readonly=True,
        help="The asset was in the audited locations when the audit started.",
    )
    expected_location_id = fields.Many2one(
        "stock.location",
        string="Expected At",
        readonly=True,
        help="Where the asset was recorded when the audit started (or, for an asset "
        "the audit did not expect, when it was first scanned).",
    )
    found_location_id = fields.Many2one(
        "stock.location", string="Found At", readonly=True
    )
    found_date = fields.Datetime(string="Found On", readonly=True)
    scan_count = fields.Integer(string="Scans", readonly=True)
    status = fields.Selection(
        STATUS_SELECTION,
        required=True,
        default="pending",
        readonly=True,
        index=True,
        help="Not seen yet: expected, not scanned so far. Found: scanned in the "
        "expected location or inside it. Found elsewhere: scanned in the audit's "
        "locations but outside the expected one, or not expected by the audit. "
        "Missing: expected and never scanned when the audit closed. Unknown code: "
        "a scanned code that names no asset.",
    )
    relocated = fields.Boolean(
        readonly=True, help="The asset was moved to where the audit found it."
    )
    marked_lost = fields.Boolean(
        string="Reported Lost",
        readonly=True,
        help="Missing at the close, and reported lost by it.",
    )

    _sql_constraints = [
        (
            "audit_asset_uniq",
            "unique(audit_id, asset_id)",
            "An asset has one line per audit.",
        ),
    ]

    def init(self):
        # unknown codes: one line per audit and code (the scans upsert on it)
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS stock_asset_audit_line_unknown_code_uniq
                ON stock_asset_audit_line (audit_id, code) WHERE asset_id IS NULL
            """
        )

    # Actions -------------------------------------------------------------------------
    def action_relocate(self):
        """Move the selected assets found elsewhere to where they were found: one
        write per destination."""
        to_move = self.filtered(
            lambda line: line.status == "found_elsewhere"
            and line.asset_id
            and line.found_location_id
            and not line.relocated
        )
        if not to_move:
            raise UserError(
                self.env._("Select assets found elsewhere that are not relocated yet.")
            )
        by_location = defaultdict(lambda: self.env["stock.asset"])
        for line in to_move:
            by_location[line.found_location_id] |= line.asset_id
        for location, assets in by_location.items():
            assets.write({"location_id": location.id})
        to_move.write({"relocated": True})
        for audit in to_move.audit_id:
            moved = to_move.filtered(lambda line, audit=audit: line.audit_id == audit)
            audit.message_post(
                body=self.env._(
                    "%(count)s assets relocated to where the audit found them: "
                    "%(codes)s.",
                    count=len(moved),
                    codes=", ".join(moved.mapped("code")),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True
