# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ...tools.private_path import is_open, private_path

STATUS_SELECTION = [
    ("pending", "Not Seen Yet"),
    ("found", "Found"),
    ("found_elsewhere", "Found Elsewhere"),
    ("missing", "Missing"),
    ("unknown", "Unknown Code"),
]
# What an asset administrator may correct a line of an asset to.
CORRECTABLE_STATUSES = ("found", "found_elsewhere", "missing")
# Private path (see tools/private_path.py) of the audit's own writes of its lines.
RESULTS_PATH = "stock.asset.audit.line.results"


class StockAssetAuditLine(models.Model):
    """One asset an audit expected or saw, or one code it saw that names no asset.

    Lines are written by the audit (snapshot, scans, close), never by hand; an
    asset administrator corrects one with ``action_correct``, which leaves a trace.
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
    corrected_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    correction_note = fields.Char(
        readonly=True,
        copy=False,
        help="The administrator's correction of the counted result: the status "
        "before and why (also in the audit's chatter).",
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

    # CRUD ----------------------------------------------------------------------------
    def write(self, vals):
        if not (self.env.su or is_open(self.env, RESULTS_PATH)):
            raise UserError(
                self.env._(
                    "Audit lines %(codes)s are counted results and cannot be "
                    "changed by hand: an asset administrator may correct one, "
                    "which leaves a trace.",
                    codes=", ".join(self.mapped("code")),
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_results(self):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "Audit lines %(codes)s are counted results and cannot be "
                    "deleted.",
                    codes=", ".join(self.mapped("code")),
                )
            )

    # Actions -------------------------------------------------------------------------
    def action_correct(self, status, reason):
        """An asset administrator corrects the counted result of asset lines
        (e.g. found after the close): the status before, who and why are kept on
        the line and posted in the audit's chatter."""
        if not self.env.user.has_group("stock_asset_tracking.group_asset_manager"):
            raise AccessError(
                self.env._("Only asset administrators may correct an audit result.")
            )
        self.check_access("read")
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the audit result is corrected."))
        labels = dict(STATUS_SELECTION)
        if status not in CORRECTABLE_STATUSES:
            raise UserError(
                self.env._(
                    "An audit result can be corrected to %(statuses)s only.",
                    statuses=", ".join(labels[s] for s in CORRECTABLE_STATUSES),
                )
            )
        wrong = self.filtered(
            lambda line: not line.asset_id
            or line.audit_id.state not in ("in_progress", "done")
        )
        if wrong:
            raise UserError(
                self.env._(
                    "%(code)s in %(audit)s cannot be corrected: only the asset "
                    "lines of a started or closed audit can.",
                    code=wrong[0].code,
                    audit=wrong[0].audit_id.name,
                )
            )
        for line in self:
            before = line.status
            line._write_results(
                {
                    "status": status,
                    "corrected_by_id": self.env.uid,
                    "correction_note": self.env._(
                        "%(before)s before: %(reason)s",
                        before=labels[before],
                        reason=reason,
                    ),
                }
            )
            line.audit_id.message_post(
                body=self.env._(
                    "Result of %(code)s corrected by %(user)s from %(before)s to "
                    "%(after)s: %(reason)s",
                    code=line.code,
                    user=self.env.user.name,
                    before=labels[before],
                    after=labels[status],
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

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
        to_move._write_results({"relocated": True})
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

    # Business helpers ----------------------------------------------------------------
    def _write_results(self, vals):
        """The audit's own writes of its lines (relocation, close, correction),
        after their checks (sudo: nobody writes lines through the ORM)."""
        with private_path(self.env, RESULTS_PATH):
            return self.sudo().write(vals)
