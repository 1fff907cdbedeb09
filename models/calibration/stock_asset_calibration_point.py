# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import re

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Measured values are typed as written on the certificate ("10.02", "-0,5"): kept as
# text, so that "not measured" stays distinct from zero, and read as numbers.
NUMBER_RE = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
# the comparison with the tolerance ignores float noise below this
EPSILON = 1e-9
POINT_TRACKED_FIELDS = (
    "name",
    "nominal",
    "tolerance",
    "as_found",
    "adjusted",
    "as_left",
)


# the most decimals a point shows (those its values are stored with)
MAX_DECIMALS = 6


def typed_decimals(text):
    """Decimals of a value as typed ("10.020" → 3, "-0,5" → 1, "12" → 0); None
    when empty or not a plain decimal number."""
    text = re.sub(r"\s", "", str(text or ""))
    if not NUMBER_RE.match(text) or "e" in text.lower():
        return None
    _int, sep, decimals = text.replace(",", ".").partition(".")
    return len(decimals) if sep else 0


def float_decimals(value):
    """Decimals a stored number needs (0.125 → 3, 20.0 → 0), at most 6."""
    return len(f"{value:.{MAX_DECIMALS}f}".rstrip("0").partition(".")[2])


def parse_measure(text):
    """The number in ``text`` (decimal point or comma, blanks ignored), None when
    empty; raises ValueError when it is not a number."""
    if text is False or text is None:
        return None
    text = re.sub(r"\s", "", str(text))
    if not text:
        return None
    if not NUMBER_RE.match(text):
        raise ValueError(text)
    return float(text.replace(",", "."))


class StockAssetCalibrationPoint(models.Model):
    """One measurement of a calibration record: a quantity at a nominal value,
    with its tolerance and the values found before and left after adjustment."""

    _name = "stock.asset.calibration.point"
    _description = "Calibration Measurement Point"
    _order = "calibration_id, sequence, id"
    _check_company_auto = True

    calibration_id = fields.Many2one(
        "stock.asset.calibration",
        string="Record",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="calibration_id.company_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(
        string="Quantity",
        required=True,
        help="What is measured, e.g. Torque, DC voltage, Length.",
    )
    unit = fields.Char(help="Unit of the values, e.g. N·m, V, mm.")
    nominal = fields.Float(digits=(16, 6), help="Reference value applied.")
    tolerance = fields.Float(
        string="Tolerance ±",
        digits=(16, 6),
        help="Maximum permissible error, either side of the nominal value.",
    )
    as_found = fields.Char(
        string="As-Found",
        help="Value read before any adjustment, as written on the certificate.",
    )
    adjusted = fields.Boolean(
        help="The instrument was adjusted at this point: the as-left value is "
        "required."
    )
    as_left = fields.Char(string="As-Left", help="Value read after the adjustment.")
    as_found_value = fields.Float(digits=(16, 6), compute="_compute_values", store=True)
    as_left_value = fields.Float(digits=(16, 6), compute="_compute_values", store=True)
    as_found_error = fields.Float(
        string="Error Found", digits=(16, 6), compute="_compute_values", store=True
    )
    as_left_error = fields.Float(
        string="Error Left", digits=(16, 6), compute="_compute_values", store=True
    )
    as_found_ok = fields.Boolean(
        string="As-Found in Tolerance", compute="_compute_values", store=True
    )
    as_left_ok = fields.Boolean(
        string="As-Left in Tolerance", compute="_compute_values", store=True
    )
    resolution = fields.Integer(
        string="Decimals",
        compute="_compute_resolution",
        store=True,
        help="Decimals the point's values and errors are shown with: those of its "
        "most precise value as written (nominal, tolerance, as-found, as-left), "
        "at most 6.",
    )
    result = fields.Selection(
        [("pass", "Pass"), ("adjusted", "Adjusted"), ("fail", "Fail")],
        compute="_compute_values",
        store=True,
        help="Pass: found in tolerance. Adjusted: found out of tolerance, left in "
        "tolerance. Fail: out of tolerance as left. Empty until measured.",
    )

    # Computes ----------------------------------------------------------------
    @api.depends("nominal", "tolerance", "as_found", "as_left")
    def _compute_resolution(self):
        for point in self:
            typed = [typed_decimals(point[fname]) for fname in ("as_found", "as_left")]
            point.resolution = min(
                MAX_DECIMALS,
                max(
                    float_decimals(point.nominal),
                    float_decimals(point.tolerance),
                    *(decimals for decimals in typed if decimals is not None),
                ),
            )

    @api.depends("nominal", "tolerance", "as_found", "adjusted", "as_left")
    def _compute_values(self):
        for point in self:
            found, left = (
                point._parsed_or_none("as_found"),
                point._parsed_or_none("as_left"),
            )
            tolerance = abs(point.tolerance) + EPSILON
            point.as_found_value = found or 0.0
            point.as_left_value = left or 0.0
            point.as_found_error = found - point.nominal if found is not None else 0.0
            point.as_left_error = left - point.nominal if left is not None else 0.0
            point.as_found_ok = found is not None and abs(found - point.nominal) <= (
                tolerance
            )
            point.as_left_ok = left is not None and abs(left - point.nominal) <= (
                tolerance
            )
            if found is None:
                point.result = False
            elif point.adjusted:
                if left is None:
                    point.result = False
                elif not point.as_left_ok:
                    point.result = "fail"
                else:
                    point.result = "pass" if point.as_found_ok else "adjusted"
            else:
                point.result = "pass" if point.as_found_ok else "fail"

    # Constraints ---------------------------------------------------------------
    @api.constrains("tolerance")
    def _check_tolerance(self):
        for point in self:
            if point.tolerance <= 0:
                raise ValidationError(
                    self.env._(
                        "Tolerance ±: point '%(point)s' of record %(record)s has a "
                        "tolerance of %(tolerance)s; a tolerance must be greater "
                        "than zero.",
                        point=point._label(),
                        record=point.calibration_id.name,
                        tolerance=point.tolerance,
                    )
                )

    @api.constrains("as_found", "as_left", "adjusted")
    def _check_values(self):
        for point in self:
            for fname in ("as_found", "as_left"):
                try:
                    point._parsed(fname)
                except ValueError:
                    raise ValidationError(
                        self.env._(
                            "%(field)s: '%(value)s' on point '%(point)s' of record "
                            "%(record)s is not a number.",
                            field=point._fields[fname].string,
                            value=point[fname],
                            point=point._label(),
                            record=point.calibration_id.name,
                        )
                    ) from None
            if point.adjusted and point._parsed("as_left") is None:
                raise ValidationError(
                    self.env._(
                        "As-Left: point '%(point)s' of record %(record)s is marked "
                        "adjusted, so its as-left value is required.",
                        point=point._label(),
                        record=point.calibration_id.name,
                    )
                )

    # CRUD ----------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        records = self.env["stock.asset.calibration"].browse(
            {vals.get("calibration_id") for vals in vals_list} - {False, None}
        )
        records._check_editable(self.env._("Measurement Points"))
        points = super().create(vals_list)
        points._log_changes({point: None for point in points})
        return points

    def write(self, vals):
        self.calibration_id._check_editable(
            ", ".join(
                self._fields[fname].string for fname in vals if fname in self._fields
            )
        )
        if "calibration_id" in vals:
            self.env["stock.asset.calibration"].browse(
                vals["calibration_id"]
            )._check_editable(self._fields["calibration_id"].string)
        tracked = [fname for fname in POINT_TRACKED_FIELDS if fname in vals]
        before = (
            {point: {f: point[f] for f in tracked} for point in self} if tracked else {}
        )
        res = super().write(vals)
        if before:
            self._log_changes(before)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_confirmed(self):
        self.calibration_id._check_editable(self.env._("Measurement Points"))

    def unlink(self):
        self._unlink_except_confirmed()
        if not self.env.context.get("tracking_disable"):
            for record, points in self.grouped("calibration_id").items():
                record._message_log(
                    body=Markup("%s<ul>%s</ul>")
                    % (
                        self.env._("Measurement points removed:"),
                        Markup().join(
                            Markup("<li>%s</li>") % point._label() for point in points
                        ),
                    )
                )
        return super().unlink()

    # Business helpers ------------------------------------------------------------
    def _parsed(self, fname):
        self.ensure_one()
        return parse_measure(self[fname])

    def _parsed_or_none(self, fname):
        """The value, or None when empty or not a number (the constraint says
        which)."""
        try:
            return self._parsed(fname)
        except ValueError:
            return None

    def _format_measure(self, value, signed=False):
        """``value`` written with the point's resolution (``+`` on errors)."""
        self.ensure_one()
        return f"{value:{'+' if signed else ''}.{self.resolution}f}"

    def _label(self):
        self.ensure_one()
        nominal = f"{self.nominal:g}"
        return " ".join(part for part in (self.name, nominal, self.unit) if part)

    def _log_changes(self, before):
        """A note on the record's chatter: the points' values before and after
        (draft records only; confirmed ones cannot change)."""
        if self.env.context.get("tracking_disable"):
            return
        for record, points in self.grouped("calibration_id").items():
            items = []
            for point in points:
                old = before.get(point)
                if old is None:
                    items.append(self.env._("%(point)s: added", point=point._label()))
                    continue
                for fname, old_value in old.items():
                    if old_value != point[fname]:
                        items.append(
                            self.env._(
                                "%(point)s: %(field)s %(old)s → %(new)s",
                                point=point._label(),
                                field=point._fields[fname].string,
                                old=old_value
                                if old_value not in (None, False)
                                else "-",
                                new=point[fname]
                                if point[fname] not in (None, False)
                                else "-",
                            )
                        )
            if items:
                record._message_log(
                    body=Markup("%s<ul>%s</ul>")
                    % (
                        self.env._("Measurement points:"),
                        Markup().join(Markup("<li>%s</li>") % item for item in items),
                    )
                )

    def _check_confirmable(self):
        for point in self:
            if point._parsed("as_found") is None:
                raise ValidationError(
                    self.env._(
                        "As-Found: point '%(point)s' of record %(record)s has no "
                        "as-found value; every point needs the value found before "
                        "adjustment.",
                        point=point._label(),
                        record=point.calibration_id.name,
                    )
                )
