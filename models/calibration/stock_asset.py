# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).

from odoo import api, fields, models
from odoo.tools import SQL, format_date

from ..common import (
    CALIBRATION_BLOCKING_STATES,
    CALIBRATION_STATES,
    count_by,
)


class StockAsset(models.Model):
    """Calibration of measuring instruments: status, schedules, the use rule."""

    _inherit = "stock.asset"

    # Calibration (measuring instruments) -------------------------------------------
    calibration_schedule_ids = fields.One2many(
        "stock.asset.calibration.schedule",
        "asset_id",
        string="Calibration Schedules",
        groups="base.group_user",
    )
    calibration_state = fields.Selection(
        CALIBRATION_STATES,
        string="Calibration Status",
        compute="_compute_calibration_state",
        store=True,
        index=True,
        help="From the instrument's active calibration schedules: the worst of "
        "them. Overdue, out-of-tolerance and out-of-service instruments can "
        "neither be checked out nor used. Recomputed daily as dates pass.",
        groups="base.group_user",
    )
    calibration_due_date = fields.Date(
        string="Calibration Due",
        compute="_compute_calibration_due_date",
        store=True,
        help="The earliest next due date of the instrument's active schedules.",
        groups="base.group_user",
    )
    calibration_withdrawn = fields.Boolean(
        string="Withdrawn from Service",
        copy=False,
        tracking=True,
        help="Taken out of service (overloaded, mishandled, questionable results) "
        "until it is verified again: out of service whatever its schedules say.",
        groups="base.group_user",
    )
    calibration_count = fields.Integer(
        compute="_compute_calibration_count", groups="base.group_user"
    )
    usage_count = fields.Integer(
        compute="_compute_calibration_count", groups="base.group_user"
    )
    impact_count = fields.Integer(
        compute="_compute_calibration_count", groups="base.group_user"
    )

    @api.depends(
        "state",
        "calibration_withdrawn",
        "calibration_schedule_ids.active",
        "calibration_schedule_ids.failure_state",
        "calibration_schedule_ids.next_due_date",
        "calibration_schedule_ids.due_soon_date",
    )
    def _compute_calibration_state(self):
        # the same rule as the daily set-based recomputation (schedule model)
        states = self.env["stock.asset.calibration.schedule"]._calibration_states_of(
            self, fields.Date.context_today(self)
        )
        for asset in self:
            asset.calibration_state = states[asset]

    @api.depends(
        "calibration_schedule_ids.active", "calibration_schedule_ids.next_due_date"
    )
    def _compute_calibration_due_date(self):
        for asset in self:
            dates = asset.calibration_schedule_ids.filtered("active").mapped(
                "next_due_date"
            )
            asset.calibration_due_date = min(dates) if dates else False

    def _compute_calibration_count(self):
        counted = ("stock.asset.calibration", "stock.asset.usage", "stock.asset.impact")
        counters = {model: count_by(self, model, "asset_id") for model in counted}
        for asset in self:
            asset.calibration_count = counters["stock.asset.calibration"].get(asset, 0)
            asset.usage_count = counters["stock.asset.usage"].get(asset, 0)
            asset.impact_count = counters["stock.asset.impact"].get(asset, 0)

    def action_withdraw_from_service(self):
        """Take instruments out of service (overloaded, mishandled, doubtful)."""
        self.write({"calibration_withdrawn": True})
        return True

    def action_return_to_service(self):
        self.write({"calibration_withdrawn": False})
        return True

    def action_view_calibrations(self):
        return self._action_view_asset_records(
            "stock_asset_tracking.stock_asset_calibration_action"
        )

    def action_view_usage(self):
        return self._action_view_asset_records(
            "stock_asset_tracking.stock_asset_usage_action"
        )

    def action_view_impacts(self):
        # an impact study's instrument is its calibration's: none to default
        return self._action_view_asset_records(
            "stock_asset_tracking.stock_asset_impact_action", default=False
        )

    def _create_default_calibration_schedules(self):
        """Instruments of a category with a calibration interval get its schedule
        (due today: a new instrument is calibrated before its first use)."""
        Schedule = self.env["stock.asset.calibration.schedule"]
        vals_list = []
        for asset in self:
            category = asset.category_id
            if not category.calibration_interval_days:
                continue
            kind = (
                category.calibration_kind_id
                or self.env["stock.asset.calibration.kind"]._get_default_kind()
            )
            planned = asset.with_context(active_test=False).calibration_schedule_ids
            if kind and kind not in planned.kind_id:
                vals_list.append({"asset_id": asset.id, "kind_id": kind.id})
        # sudo: users who may create assets get their instruments' plan with them
        return Schedule.sudo().create(vals_list)

    def _lookup_calibration_state(self):
        """Calibration status for the lookup answer, as of now (the stored one may
        wait for the night's cron); None when it is not a measuring instrument."""
        self.ensure_one()
        state = self._get_live_calibration_states()[self]
        return None if state == "none" else state

    def _get_live_calibration_states(self):
        """``{asset: calibration state}`` as of today, whether or not the daily
        recomputation has run yet."""
        instruments = self.filtered(
            lambda asset: asset.calibration_schedule_ids.filtered("active")
        )
        states = dict.fromkeys(self - instruments, "none")
        if instruments:
            # today in the user's time zone reads the whole user row: only for
            # instruments (a lookup of any other asset skips it)
            states.update(
                self.env["stock.asset.calibration.schedule"]._calibration_states_of(
                    instruments, fields.Date.context_today(self)
                )
            )
        return states

    @api.model
    def _bulk_set_calibration_states(self, states):
        """Store ``{asset id: calibration state}`` in one statement: the daily
        recomputation of the stored compute (``calibration_state`` of the
        schedule module, the rule) as dates pass, over 50,000 instruments in
        under a second (bench/RESULTS.md). As Odoo's own recomputation of a
        stored compute: no ``write_uid`` / ``write_date``; the access rights and
        record rules of the user (the daily cron runs as superuser: no cost),
        the cache invalidated and the fields depending on the status told."""
        if not states:
            return
        self.flush_model(["calibration_state"])
        self._bulk_reachable(states)
        self.env.cr.execute(
            SQL(
                """
                UPDATE stock_asset a
                   SET calibration_state = v.state
                  FROM unnest(%s::int[], %s::varchar[]) AS v(id, state)
                 WHERE a.id = v.id
                """,
                list(states),
                list(states.values()),
            )
        )
        assets = self.browse(list(states))
        assets.invalidate_recordset(["calibration_state"])
        assets.modified(["calibration_state"])

    def _get_calibration_refusals(self, action="use"):
        """``{asset_id: message}`` for the instruments whose calibration status
        (as of now) forbids ``action`` (``use`` or ``checkout``): overdue, out of
        tolerance or out of service. Every message names the asset, the status
        and why."""
        refusals = {}
        states = self._get_live_calibration_states()
        blocked = self.filtered(
            lambda asset: states[asset] in CALIBRATION_BLOCKING_STATES
        )
        for asset in blocked:
            verb = (
                self.env._("cannot go out")
                if action == "checkout"
                else self.env._("cannot be used")
            )
            if states[asset] == "overdue":
                why = self.env._(
                    "its calibration is overdue (due %(date)s)",
                    date=format_date(self.env, asset.calibration_due_date),
                )
            elif states[asset] == "out_of_tolerance":
                why = self.env._(
                    "it was found out of tolerance; it needs a passing calibration"
                )
            else:
                why = self.env._("it is out of service")
            refusals[asset.id] = self.env._(
                "%(asset)s %(verb)s: %(why)s.",
                asset=asset.code,
                verb=verb,
                why=why,
            )
        return refusals

    def _check_usage_allowed(self):
        """``{asset_id: message}`` for the assets that may not be used now
        (``stock.asset.usage._log_usage`` refuses them)."""
        return self._get_calibration_refusals("use")
