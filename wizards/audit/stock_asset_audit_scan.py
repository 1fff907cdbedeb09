# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import Counter, defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ...tools import scan_codes


class StockAssetAuditScan(models.TransientModel):
    """Type or scan codes into an audit: one code a line, all read at one place."""

    _name = "stock.asset.audit.scan"
    _inherit = ["stock.asset.audit.step.mixin"]
    _description = "Record Audit Scans"
    _check_company_auto = True

    audit_location_ids = fields.Many2many(related="audit_id.location_ids")
    location_id = fields.Many2one(
        "stock.location",
        required=True,
        check_company=True,
        domain="[('id', 'child_of', audit_location_ids)]",
        help="Where the codes were read: one of the audited locations or a "
        "location inside one.",
    )
    codes = fields.Text(help="One scanned code a line: asset tags, EPCs, GS1 codes.")
    result = fields.Html(readonly=True, sanitize=False)

    def action_record(self):
        self.ensure_one()
        codes = [
            scan_codes.collapse_key(scan_codes.strip_code(line))
            for line in (self.codes or "").splitlines()
            if scan_codes.strip_code(line)
        ]
        if not codes:
            raise UserError(self.env._("Scan or type at least one code."))
        reads = Counter(codes)
        assets, invalid = self._resolve_codes(list(reads))
        now = fields.Datetime.now()
        items = [
            {
                "code": code,
                "asset_id": assets.get(code),
                "location_id": self.location_id.id,
                "seen": now,
                "count": count,
            }
            for code, count in reads.items()
            if code not in invalid
        ]
        outcomes = self.audit_id._record_scans(items, self.location_id)
        outcomes.update(
            {code: ("invalid", message) for code, message in invalid.items()}
        )
        self.write({"codes": False, "result": self._format_result(reads, outcomes)})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Scans"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    @api.model
    def _status_labels(self):
        return {
            "found": self.env._("Found"),
            "found_elsewhere": self.env._("Found elsewhere"),
            "unknown": self.env._("Unknown code"),
            "outside_audit": self.env._("Not counted"),
            "no_location": self.env._("Not counted"),
            "invalid": self.env._("Invalid"),
        }

    def _resolve_codes(self, codes):
        """``({code: asset id}, {code: reason it is invalid})`` among the assets of
        the audit's company, by the keys the scan endpoint uses."""
        classified = {code: scan_codes.classify(code) for code in codes}
        wanted = defaultdict(set)
        for scan in classified.values():
            for kind, value in scan.keys:
                wanted[kind].add(value)
        company = self.audit_id.company_id
        found = self.env["stock.asset"]._find_by_scan_keys(wanted, company.ids)
        Batch = self.env["stock.asset.scan.batch"]
        assets, invalid = {}, {}
        for code, scan in classified.items():
            if not scan.valid:
                invalid[code] = scan.message
                continue
            asset, message = Batch._pick_asset(scan, found, company.id)
            if asset:
                assets[code] = asset["id"]
            elif message:
                invalid[code] = message
        return assets, invalid

    def _format_result(self, reads, outcomes):
        labels = self._status_labels()
        counts = Counter(status for status, _message in outcomes.values())
        rows = Markup("").join(
            Markup("<tr><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td></tr>")
            % (code, reads[code], labels.get(status, status), message or "")
            for code, (status, message) in outcomes.items()
        )
        summary = self.env._(
            "%(codes)s codes: %(found)s found, %(elsewhere)s found elsewhere, "
            "%(unknown)s unknown, %(other)s not counted or invalid.",
            codes=len(outcomes),
            found=counts["found"],
            elsewhere=counts["found_elsewhere"],
            unknown=counts["unknown"],
            other=counts["outside_audit"] + counts["no_location"] + counts["invalid"],
        )
        return Markup(
            "<p>%s</p><table class='table table-sm o_audit_scan_result'>"
            "<thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>"
            "<tbody>%s</tbody></table>"
        ) % (
            summary,
            self.env._("Code"),
            self.env._("Reads"),
            self.env._("Result"),
            self.env._("Details"),
            rows,
        )
