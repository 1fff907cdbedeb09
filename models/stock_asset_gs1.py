# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""GS1 identifiers of an asset (GIAI, GRAI) from its company's GS1 company prefix,
and the resolution of scanned codes for the list search and label reprints."""

import dataclasses
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import epc as epc_lib
from ..tools import gs1, scan_codes

# EPC binary encodings tried for an asset, shortest first (TDS §14).
EPC_SCHEMES = {"giai": ("giai-96", "giai-202"), "grai": ("grai-96", "grai-170")}


def giai_of(company_prefix, code):
    """The GIAI (AI 8004) of asset tag ``code`` under ``company_prefix``, or False.

    A GIAI is the company prefix followed by the individual asset reference: the
    asset tag, when it fits AI 8004 (30 characters at most, GS1 character set 82).
    """
    if not company_prefix or not code:
        return False
    giai = company_prefix + code
    try:
        gs1.to_parenthesised([("8004", giai)])
    except gs1.Gs1Error:
        return False
    return giai


def grai_of(company_prefix, asset_type, code):
    """The GRAI (AI 8003) of returnable asset ``code``, or False.

    ``0`` + company prefix + asset type (12 digits together) + check digit, then
    the asset tag as the serial component (16 characters at most).
    """
    if not company_prefix or not asset_type or not code:
        return False
    key = "0" + company_prefix + asset_type
    if len(key) != 13 or not key.isdigit():
        return False
    grai = key + str(gs1.check_digit(key)) + code
    try:
        gs1.to_parenthesised([("8003", grai)])
    except gs1.Gs1Error:
        return False
    return grai


class StockAsset(models.Model):
    _inherit = "stock.asset"

    giai = fields.Char(
        string="GIAI",
        compute="_compute_gs1_keys",
        store=True,
        index="btree_not_null",
        help="Global Individual Asset Identifier (AI 8004): the company's GS1 "
        "company prefix followed by the asset tag. Empty without a prefix or when "
        "the tag cannot be part of a GIAI (over 30 characters, characters outside "
        "GS1's set).",
        groups="base.group_user",
    )
    grai = fields.Char(
        string="GRAI",
        compute="_compute_gs1_keys",
        store=True,
        index="btree_not_null",
        help="Global Returnable Asset Identifier (AI 8003) of returnable items: "
        "company prefix, the category's GRAI asset type, check digit and the asset "
        "tag as serial.",
        groups="base.group_user",
    )
    label_barcode = fields.Char(
        compute="_compute_label_barcode",
        search="_search_label_barcode",
        help="What the barcode of the asset's label carries: the GIAI as a GS1 "
        "element string, or the asset tag. Searching it decodes any scanned code "
        "(asset tag, GS1 barcode, RFID EPC).",
        groups="base.group_user",
    )

    @api.depends(
        "code",
        "company_id.asset_gs1_company_prefix",
        "category_id.grai_asset_type",
    )
    def _compute_gs1_keys(self):
        for asset in self:
            prefix = asset.company_id.asset_gs1_company_prefix
            asset.giai = giai_of(prefix, asset.code)
            asset.grai = grai_of(prefix, asset.category_id.grai_asset_type, asset.code)

    @api.depends("giai", "code")
    def _compute_label_barcode(self):
        for asset in self:
            asset.label_barcode = (
                f"(8004){asset.giai}" if asset.giai else asset.code or False
            )

    def _search_label_barcode(self, operator, value):
        if operator not in ("=", "ilike", "=ilike") or not isinstance(value, str):
            raise UserError(
                self.env._(
                    "Label Barcode can only be searched for a scanned code, "
                    "not with operator %(operator)s.",
                    operator=operator,
                )
            )
        assets = self._resolve_scanned_codes([value])[value][0]
        return [("id", "in", assets.ids)]

    @api.model
    def _scan_key_selects(self, wanted, company_ids):
        """Also match GS1 keys against the GIAI / GRAI derived from the asset tags."""
        selects = super()._scan_key_selects(wanted, company_ids)
        by_column = defaultdict(list)
        for key in wanted.get("gs1", ()):
            kind, _sep, value = key.partition(":")
            if kind in ("giai", "grai"):
                by_column[kind].append(value)
        for column, values in by_column.items():
            selects.append(
                SQL(
                    """
                    SELECT id, code, company_id, 'gs1'::varchar,
                           (%(prefix)s || %(column)s)::varchar, NULL::varchar
                      FROM stock_asset
                     WHERE %(column)s = ANY(%(values)s)
                       AND company_id = ANY(%(companies)s) AND active
                    """,
                    prefix=f"{column}:",
                    column=SQL.identifier(column),
                    values=values,
                    companies=company_ids,
                )
            )
        return selects

    @api.model
    def _resolve_scanned_codes(self, codes):
        """``{code: (assets, message)}`` for codes scanned or typed by a user.

        The same decoding and keys as the scan API (EPC, GS1 element string, asset
        tag, serial), over the companies the user works in; ``assets`` is empty and
        ``message`` says why when a code names no asset (or several).
        """
        scans = {code: self._classify_scanned_code(code) for code in codes}
        wanted = defaultdict(set)
        for scan in scans.values():
            for kind, value in scan.keys:
                wanted[kind].add(value)
        found = self._find_by_scan_keys(wanted, self.env.companies.ids)
        Batch = self.env["stock.asset.scan.batch"]
        result = {}
        for code, scan in scans.items():
            if not scan.valid:
                result[code] = (self.browse(), scan.message)
                continue
            picked, message = Batch._pick_asset(scan, found, self.env.company.id)
            if picked:
                result[code] = (self.browse(picked["id"]), None)
            else:
                result[code] = (self.browse(), message or scan.message)
        return result

    @api.model
    def _classify_scanned_code(self, code):
        """Classify a code; bare digits of AI 8003 / 8004 (a 2D label read by a
        scanner that drops the leading FNC1) are also tried as GS1 strings."""
        scan = scan_codes.classify(code)
        stripped = scan_codes.strip_code(code) if isinstance(code, str) else ""
        if scan.kind == "text" and stripped[:4] in ("8003", "8004"):
            as_gs1 = scan_codes.classify(gs1.GS + stripped)
            if as_gs1.kind == "gs1":
                scan = dataclasses.replace(
                    scan, keys=as_gs1.keys + scan.keys, gs1=as_gs1.gs1
                )
        return scan

    def _prepare_epc(self, scheme="auto", filter_value=0):
        """The EPC (hex) for a new RFID tag of this asset, from its GIAI or GRAI.

        ``scheme`` is ``auto`` (GIAI-96 / GRAI-96 when the asset tag fits, else
        GIAI-202 / GRAI-170) or one binary encoding. Raises UserError naming the
        asset and the rule it breaks.
        """
        self.ensure_one()
        prefix = self.company_id.asset_gs1_company_prefix
        if not prefix:
            raise UserError(
                self.env._(
                    "Asset %(code)s: company %(company)s has no GS1 Company Prefix; "
                    "set it in the Assets settings to generate EPCs.",
                    code=self.code,
                    company=self.company_id.name,
                )
            )
        identity = "grai" if self.category_id.grai_asset_type else "giai"
        schemes = EPC_SCHEMES[identity] if scheme == "auto" else (scheme,)
        if schemes[0] not in EPC_SCHEMES[identity]:
            raise UserError(
                self.env._(
                    "Asset %(code)s is identified by a %(identity)s: it cannot be "
                    "encoded as %(scheme)s.",
                    code=self.code,
                    identity=identity.upper(),
                    scheme=scheme.upper(),
                )
            )
        if identity == "grai":
            fields_ = {
                "asset_type": self.category_id.grai_asset_type,
                "serial": self.code,
            }
        else:
            fields_ = {"asset_reference": self.code}
        errors = []
        for name in schemes:
            try:
                return epc_lib.encode(name, prefix, filter=filter_value, **fields_)
            except epc_lib.EpcError as error:
                errors.append(str(error))
        raise UserError(
            self.env._(
                "Asset %(code)s: its tag does not fit an EPC (%(reasons)s).",
                code=self.code,
                reasons="; ".join(errors),
            )
        )
