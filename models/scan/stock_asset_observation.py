# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ...tools import scan_codes
from ...tools.private_path import is_open, private_path
from ..common import assets_of_other_companies, companies_refused, copy_rows

# Private path (see tools/private_path.py) of the triage and of the managers' void.
OBSERVATION_PATH = "stock.asset.observation.evidence"


class StockAssetObservation(models.Model):
    """One code seen in one scan batch: an asset's movement history, or an unknown
    tag waiting for triage."""

    _name = "stock.asset.observation"
    _description = "Asset Observation"
    # Evidence: written by the scan pipeline (SQL), then append-only; the triage
    # of unknown codes and the administrators' void are the only changes.
    _order = "last_seen desc, id desc"
    _rec_name = "code"
    _check_company_auto = True

    batch_id = fields.Many2one(
        "stock.asset.scan.batch", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    device_id = fields.Many2one("stock.asset.device", index=True, check_company=True)
    asset_id = fields.Many2one(
        "stock.asset", index=True, ondelete="cascade", check_company=True
    )
    code = fields.Char(required=True, index=True)
    status = fields.Selection(
        [("matched", "Matched"), ("unknown", "Unknown"), ("invalid", "Invalid")],
        required=True,
        index=True,
    )
    message = fields.Char()
    mode = fields.Char()
    epc_uri = fields.Char(string="EPC URI")
    gs1 = fields.Char(string="GS1 Element String")
    location_id = fields.Many2one("stock.location", index=True)
    previous_location_id = fields.Many2one("stock.location")
    first_seen = fields.Datetime()
    last_seen = fields.Datetime(index=True)
    read_count = fields.Integer(string="Reads")
    rssi = fields.Float(string="Best RSSI (dBm)", digits=(6, 1))
    antennas = fields.Char()
    applied = fields.Boolean(
        help="The observation updated the asset's last seen time (it was newer)."
    )
    moved = fields.Boolean(help="The observation moved the asset.")
    triage_state = fields.Selection(
        [("new", "To Triage"), ("assigned", "Assigned"), ("ignored", "Ignored")],
        index=True,
    )
    voided = fields.Boolean(
        readonly=True,
        copy=False,
        help="An asset administrator voided this observation (a wrong read): it is "
        "kept, with who voided it, when and why, and no longer counts as a move.",
    )
    void_reason = fields.Char(readonly=True, copy=False)
    voided_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    voided_date = fields.Datetime(readonly=True, copy=False)

    # The columns ``_bulk_create`` writes: each row's value, else the field's
    # default, else empty. A stored field added later belongs here or has a
    # default (tests/test_bulk_methods.py fails otherwise).
    _bulk_columns = (
        "batch_id",
        "company_id",
        "device_id",
        "asset_id",
        "code",
        "status",
        "message",
        "mode",
        "epc_uri",
        "gs1",
        "location_id",
        "previous_location_id",
        "first_seen",
        "last_seen",
        "read_count",
        "rssi",
        "antennas",
        "applied",
        "moved",
        "triage_state",
        # a new observation is not voided
        "voided",
        "void_reason",
        "voided_by_id",
        "voided_date",
    )

    # CRUD ----------------------------------------------------------------------------
    @api.model
    def _bulk_create(self, rows):
        """Insert observations in one ``COPY``: ``rows`` are dicts of
        ``_bulk_columns`` (a missing one takes the field's default, else stays
        empty). Returns the number of rows.

        The scan pipeline's only way in (no user creates evidence through the
        ORM: there is no create right). ``COPY`` parses plain text instead of
        16 array literals of 20,000 values: about half the time of ``INSERT ...
        FROM unnest`` for a large batch (bench/RESULTS.md). It keeps what
        ``create()`` would check: the record rules of the observations (each
        row's company among the user's companies), those of the assets named
        (``AccessError``) and their company (``check_company``: the row's
        company is the asset's, ``UserError``); ``create_uid`` / ``write_uid``
        and the dates are set and the cache is invalidated."""
        if not rows:
            return 0
        unknown = set().union(*rows) - set(self._bulk_columns)
        if unknown:
            raise UserError(
                self.env._(
                    "Observations have no column %(names)s.",
                    names=", ".join(sorted(unknown)),
                )
            )
        self._bulk_check_rows(rows)
        defaults = self.default_get(list(self._bulk_columns))
        now, uid = self.env.cr.now(), self.env.uid
        magic = (uid, now, uid, now)
        names = list(self._bulk_columns)
        self.flush_model()
        copy_rows(
            self.env.cr,
            self._table,
            [*names, "create_uid", "create_date", "write_uid", "write_date"],
            (
                (*(row.get(name, defaults.get(name)) for name in names), *magic)
                for row in rows
            ),
        )
        self.invalidate_model()
        return len(rows)

    @api.model
    def _bulk_check_rows(self, rows):
        """The record rules and company checks of ``create()``, once per company
        and asset instead of once per row (see ``_bulk_create``)."""
        pairs = {
            (row["asset_id"], row["company_id"]) for row in rows if row["asset_id"]
        }
        if pairs:
            wrong = sorted(
                asset_id
                for asset_id, _code in assets_of_other_companies(self.env, pairs)
            )
            if wrong:
                raise UserError(
                    self.env._(
                        "Observations of assets %(ids)s must be of their asset's "
                        "company.",
                        ids=", ".join(map(str, wrong[:10])),
                    )
                )
        if self.env.su:
            return
        # the observations' rules, over all the user's companies (a batch records
        # the reads of every company its user belongs to)
        refused = companies_refused(self, {row["company_id"] for row in rows}, "read")
        if refused:
            raise AccessError(
                self.env._(
                    "You cannot record observations of a company you do not "
                    "belong to (company ids %(ids)s).",
                    ids=", ".join(map(str, sorted(refused))),
                )
            )
        if pairs:
            self.env["stock.asset"]._bulk_reachable({p[0] for p in pairs}, "read")

    def write(self, vals):
        if not (self.env.su or is_open(self.env, OBSERVATION_PATH)):
            raise UserError(
                self.env._(
                    "Observations %(codes)s are scan evidence and cannot be "
                    "changed: triage unknown codes (create, assign or ignore), or "
                    "ask an asset administrator to void a wrong read.",
                    codes=", ".join(self.mapped("code")),
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_evidence(self):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "Observations %(codes)s are scan evidence and cannot be "
                    "deleted: an asset administrator may void a wrong read.",
                    codes=", ".join(self.mapped("code")),
                )
            )

    # Actions -------------------------------------------------------------------------
    def action_create_asset(self):
        """Create one asset per unknown code (its EPC when the code is an EPC)."""
        unknown = self._unknown_to_triage()
        vals_list = []
        for code, observations in unknown.items():
            scan = scan_codes.classify(code)
            vals = {
                "name": self.env._("Asset tagged %(code)s", code=code),
                "company_id": observations[0].company_id.id,
                "location_id": observations[0].location_id.id,
            }
            if scan.epc_hex:
                vals["epc"] = scan.epc_hex
            else:
                vals["code"] = code
            vals_list.append(vals)
        assets = self.env["stock.asset"].create(vals_list)
        for asset, observations in zip(assets, unknown.values(), strict=True):
            self.browse([obs.id for obs in observations])._assign(asset)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_action"
        )
        action["domain"] = [("id", "in", assets.ids)]
        return action

    def action_ignore(self):
        self.check_access("read")
        unknown = self.filtered(lambda obs: obs.status == "unknown")
        unknown._write_evidence({"triage_state": "ignored"})
        return True

    def action_void(self, reason):
        """An asset administrator voids wrong reads: the observations are kept
        with who voided them, when and why, leave the movement history, and the
        asset's chatter says so with their original values."""
        if not self.env.user.has_group("stock_asset_tracking.group_asset_manager"):
            raise AccessError(
                self.env._("Only asset administrators may void an observation.")
            )
        self.check_access("read")
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the observations are voided."))
        done = self.filtered("voided")
        if done:
            raise UserError(
                self.env._(
                    "Observation %(code)s was already voided on %(date)s.",
                    code=done[0].code,
                    date=fields.Datetime.to_string(done[0].voided_date),
                )
            )
        # the original values, before the void changes ``moved``
        notes = {obs: obs._void_note(reason) for obs in self.filtered("asset_id")}
        self._write_evidence(
            {
                "voided": True,
                "void_reason": reason,
                "voided_by_id": self.env.uid,
                "voided_date": fields.Datetime.now(),
                "moved": False,
            }
        )
        for observation, note in notes.items():
            observation.asset_id._message_log(body=note)
        return True

    def _unknown_to_triage(self):
        unknown = {}
        for observation in self:
            if observation.status != "unknown" or observation.asset_id:
                continue
            unknown.setdefault(observation.code, []).append(observation)
        if not unknown:
            raise UserError(self.env._("Select unknown codes that have no asset yet."))
        return unknown

    def _assign(self, asset):
        """Link these observations (and every other of the same codes) to ``asset``."""
        same = self.search(
            [
                ("code", "in", self.mapped("code")),
                ("status", "=", "unknown"),
                ("company_id", "=", asset.company_id.id),
            ]
        )
        (self | same)._write_evidence(
            {"asset_id": asset.id, "status": "matched", "triage_state": "assigned"}
        )

    def _write_evidence(self, vals):
        """The triage and the void, after their checks: the one path that writes
        observations (sudo: users may only read them)."""
        with private_path(self.env, OBSERVATION_PATH):
            return self.sudo().write(vals)

    def _void_note(self, reason):
        self.ensure_one()
        return Markup("<p>%s</p>") % self.env._(
            "Observation of %(code)s voided by %(user)s: %(reason)s. Original "
            "values: seen %(first)s to %(last)s at %(location)s (from "
            "%(previous)s), %(reads)s reads, device %(device)s, batch %(batch)s, "
            "status %(status)s, moved: %(moved)s.",
            code=self.code,
            user=self.env.user.name,
            reason=reason,
            first=fields.Datetime.to_string(self.first_seen) or "-",
            last=fields.Datetime.to_string(self.last_seen) or "-",
            location=self.location_id.display_name or "-",
            previous=self.previous_location_id.display_name or "-",
            reads=self.read_count,
            device=self.device_id.name or "-",
            batch=self.batch_id.name or "-",
            status=self.status,
            moved=self.env._("yes") if self.moved else self.env._("no"),
        )

    # Retention ------------------------------------------------------------------------
    @api.model
    def _bulk_purge_read_detail(self, before, limit):
        """Delete at most ``limit`` observations stored before ``before`` that are
        per-read detail; returns how many. Kept whatever their age: the movement
        history (``moved``), voided reads (the trace of a correction) and unknown
        codes still waiting for triage."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            DELETE FROM stock_asset_observation
             WHERE id IN (
                SELECT id FROM stock_asset_observation
                 WHERE create_date < %s
                   AND NOT COALESCE(moved, FALSE)
                   AND NOT COALESCE(voided, FALSE)
                   AND NOT (status = 'unknown' AND triage_state = 'new')
                 ORDER BY id
                 LIMIT %s)
            """,
            [before, limit],
        )
        count = self.env.cr.rowcount
        self.invalidate_model()
        return count
