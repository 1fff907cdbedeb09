# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""GS1 identifiers of an asset (GIAI, GRAI, GDTI) from its company's GS1 company
prefix, its ADI (aerospace and defence identifier), and the resolution of scanned
codes for the list search and label reprints."""

import dataclasses
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from ...tools import epc as epc_lib
from ...tools import gs1, scan_codes

# EPC binary encodings tried for an asset, shortest first (TDS §14).
EPC_SCHEMES = {
    "giai": ("giai-96", "giai-202", "giai+"),
    "grai": ("grai-96", "grai-170", "grai+"),
    "gdti": ("gdti-96", "gdti-174", "gdti+"),
    "adi": ("adi-var",),
}
# the AI of each key in the '+' EPC schemes of TDS 2.0 (element string based)
PLUS_KEY_AI = {"giai": "8004", "grai": "8003", "gdti": "253"}


def _valid_element(ai, value):
    """``value`` when it is a valid element string of GS1 AI ``ai``, else False."""
    try:
        gs1.to_parenthesised([(ai, value)])
    except gs1.Gs1Error:
        return False
    return value


def giai_of(company_prefix, code):
    """The GIAI (AI 8004) of asset tag ``code`` under ``company_prefix``, or False.

    A GIAI is the company prefix followed by the individual asset reference: the
    asset tag, when it fits AI 8004 (30 characters at most, GS1 character set 82).
    """
    if not company_prefix or not code:
        return False
    return _valid_element("8004", company_prefix + code)


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
    return _valid_element("8003", key + str(gs1.check_digit(key)) + code)


def gdti_of(company_prefix, document_type, code):
    """The GDTI (AI 253) of document ``code``, or False.

    Company prefix + document type (12 digits together) + check digit, then the
    asset tag as the serial component (17 characters at most, set 82).
    """
    if not company_prefix or not document_type or not code:
        return False
    key = company_prefix + document_type
    if len(key) != 12 or not key.isdigit():
        return False
    return _valid_element("253", key + gs1.check_digit(key) + code)


def adi_of(cage, part_number, code):
    """The ADI of part ``code`` as ``CAGE.PART.SERIAL`` (the body of its EPC
    pure identity URI, TDS §6.3), or False when the tag is no ADI serial."""
    if not cage or not code:
        return False
    body = ".".join(
        text.replace("#", "%23").replace("/", "%2F")
        for text in (cage, part_number or "", code)
    )
    try:
        epc_lib.parse_uri(f"urn:epc:id:adi:{body}")
    except epc_lib.EpcError:
        return False
    return body


# The GS1 keys of an asset: derived from the company prefix, the category and the
# asset tag; stored and indexed, so that a scanned key finds its asset.
_GS1_KEY = {
    "compute": "_compute_gs1_keys",
    "store": True,
    "index": "btree_not_null",
    "groups": "base.group_user",
}


class StockAsset(models.Model):
    _inherit = "stock.asset"

    giai = fields.Char(
        string="GIAI",
        help="Global Individual Asset Identifier (AI 8004): the company's GS1 "
        "company prefix followed by the asset tag. Empty without a prefix or when "
        "the tag cannot be part of a GIAI (over 30 characters, characters outside "
        "GS1's set).",
        **_GS1_KEY,
    )
    grai = fields.Char(
        string="GRAI",
        help="Global Returnable Asset Identifier (AI 8003) of returnable items: "
        "company prefix, the category's GRAI asset type, check digit and the asset "
        "tag as serial.",
        **_GS1_KEY,
    )
    gdti = fields.Char(
        string="GDTI",
        help="Global Document Type Identifier (AI 253) of documents: company "
        "prefix, the category's GDTI document type, check digit and the asset tag "
        "as serial.",
        **_GS1_KEY,
    )
    adi = fields.Char(
        string="ADI",
        help="Aerospace and defence identifier of parts (CAGE/DoDAAC, part number "
        "and the asset tag as serial), as in its EPC (ADI-var).",
        **_GS1_KEY,
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
        "category_id.gdti_document_type",
        "category_id.adi_cage",
        "category_id.adi_part_number",
    )
    def _compute_gs1_keys(self):
        for asset in self:
            prefix = asset.company_id.asset_gs1_company_prefix
            category = asset.category_id
            asset.giai = giai_of(prefix, asset.code)
            asset.grai = grai_of(prefix, category.grai_asset_type, asset.code)
            asset.gdti = gdti_of(prefix, category.gdti_document_type, asset.code)
            asset.adi = adi_of(category.adi_cage, category.adi_part_number, asset.code)

    @api.depends("giai", "gdti", "code")
    def _compute_label_barcode(self):
        for asset in self:
            pair = asset._label_gs1_pair()
            asset.label_barcode = (
                f"({pair[0]}){pair[1]}" if pair else asset.code or False
            )

    def _label_gs1_pair(self):
        """The ``(ai, value)`` a label carries: the GDTI of a document, else the
        GIAI; None when the asset has neither (the label carries its tag)."""
        self.ensure_one()
        if self.gdti:
            return ("253", self.gdti)
        if self.giai:
            return ("8004", self.giai)
        return None

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
            if kind in ("giai", "grai", "gdti", "adi"):
                by_column[kind].append(value)
        scope = self._scan_key_scope(company_ids) if by_column else None
        for column, values in by_column.items():
            if scope is None:
                break
            # the record rules, as the scan part's selects (no company typed here)
            selects.append(
                self._scan_key_select(
                    scope, company_ids, "gs1", column, values, prefix=f"{column}:"
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
        """The EPC (hex) for a new RFID tag of this asset, from its GS1 key.

        The key is the category's: GRAI (returnable items), GDTI (documents),
        ADI (aerospace and defence parts), else GIAI. ``scheme`` is ``auto``
        (the 96-bit encoding when the asset tag fits, else the longer one) or
        one binary encoding. Raises UserError naming the asset and the rule it
        breaks.
        """
        self.ensure_one()
        identity = self._epc_identity()
        prefix = self.company_id.asset_gs1_company_prefix
        if not prefix and identity != "adi":
            raise UserError(
                self.env._(
                    "Asset %(code)s: company %(company)s has no GS1 Company Prefix; "
                    "set it in the Assets settings to generate EPCs.",
                    code=self.code,
                    company=self.company_id.name,
                )
            )
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
        fields_ = self._prepare_epc_fields(identity)
        if identity == "adi":
            prefix = None
        errors = []
        for name in schemes:
            try:
                if name.endswith("+"):
                    key = self[identity]
                    if not key:
                        raise epc_lib.EpcError(f"{name}: no {identity.upper()}")
                    pairs = [(PLUS_KEY_AI[identity], key)]
                    return epc_lib.encode_plus(name, pairs, filter=filter_value)
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

    def _epc_identity(self):
        """The EPC scheme (pure identity) of this asset's tags: its category's."""
        category = self.category_id
        if category.grai_asset_type:
            return "grai"
        if category.gdti_document_type:
            return "gdti"
        if category.adi_cage:
            return "adi"
        return "giai"

    def _prepare_epc_fields(self, identity):
        """The fields of the EPC of ``identity`` (see ``tools.epc.encode``)."""
        category = self.category_id
        if identity == "grai":
            return {"asset_type": category.grai_asset_type, "serial": self.code}
        if identity == "gdti":
            return {"document_type": category.gdti_document_type, "serial": self.code}
        if identity == "adi":
            return {
                "cage": category.adi_cage,
                "part_number": category.adi_part_number or "",
                "serial": self.code,
            }
        return {"asset_reference": self.code}
