# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..common import records_action

# System parameter: how many levels a kit may have (a vehicle, its tool case,
# the tools in the case: 3 levels).
KIT_MAX_DEPTH_PARAM = "stock_asset_tracking.kit_max_depth"
KIT_MAX_DEPTH_DEFAULT = 3


class StockAsset(models.Model):
    """Kits: a parent asset and its components (a laptop and its charger, a
    calibration kit and its gauges). Check-out, check-in and moves of a kit take
    its components along; each component keeps its own custody and history."""

    _inherit = "stock.asset"
    _parent_store = True

    parent_id = fields.Many2one(
        "stock.asset",
        string="Kit",
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
        copy=False,
        domain="[('company_id', '=', company_id), ('id', '!=', id), "
        "('state', '!=', 'disposed')]",
        help="The kit this asset is a component of: it goes out, comes back and "
        "moves with the kit.",
        groups="base.group_user",
    )
    parent_path = fields.Char(index=True, groups="base.group_user")
    child_ids = fields.One2many(
        "stock.asset",
        "parent_id",
        string="Components",
        groups="base.group_user",
    )
    kit_member_count = fields.Integer(
        string="Components Count",
        compute="_compute_kit_member_count",
        groups="base.group_user",
    )
    is_kit = fields.Boolean(
        string="Is a Kit",
        compute="_compute_is_kit",
        store=True,
        index=True,
        groups="base.group_user",
    )
    kit_missing = fields.Boolean(
        string="Missing From Kit",
        readonly=True,
        copy=False,
        tracking=True,
        help="The component did not come back with its kit: it no longer follows "
        "the kit until it is checked in.",
        groups="base.group_user",
    )
    kit_log_ids = fields.One2many(
        "stock.asset.kit.log",
        "kit_id",
        string="Kit History",
        groups="base.group_user",
    )

    @api.depends("child_ids")
    def _compute_is_kit(self):
        for asset in self:
            asset.is_kit = bool(asset.child_ids)

    @api.depends("child_ids")
    def _compute_kit_member_count(self):
        for asset in self:
            asset.kit_member_count = len(asset.child_ids)

    # Rules ------------------------------------------------------------------------
    @api.model
    def _kit_max_depth(self):
        value = (
            self.env["ir.config_parameter"].sudo().get_param(KIT_MAX_DEPTH_PARAM, "")
        )
        try:
            return max(int(value), 1)
        except ValueError:
            return KIT_MAX_DEPTH_DEFAULT

    def _kit_chain(self):
        """The asset and its kits up to the top, stopping at a loop."""
        chain = self.browse()
        asset = self
        while asset and asset not in chain:
            chain |= asset
            asset = asset.parent_id
        return chain, asset

    def _kit_height(self, limit):
        """Levels of components below the asset (0 without any), up to ``limit``."""
        height, level = 0, self.child_ids
        while level and height < limit:
            height += 1
            level = level.child_ids
        return height

    @api.constrains("parent_id", "company_id")
    def _check_kit(self):
        max_depth = self._kit_max_depth()
        for asset in self.sudo():
            for member in asset.child_ids | asset:
                kit = member.parent_id
                if kit and kit.company_id != member.company_id:
                    raise ValidationError(
                        self.env._(
                            "%(asset)s (%(company)s) cannot be a component of "
                            "%(kit)s (%(kit_company)s): a kit and its components "
                            "belong to the same company.",
                            asset=member.code,
                            company=member.company_id.name,
                            kit=kit.code,
                            kit_company=kit.company_id.name,
                        )
                    )
            kit = asset.parent_id
            if not kit:
                continue
            chain, loop = asset._kit_chain()
            if loop:
                raise ValidationError(
                    self.env._(
                        "%(asset)s cannot be a component of %(kit)s: %(kit)s is "
                        "already inside %(asset)s (%(chain)s), and a kit cannot "
                        "contain itself.",
                        asset=asset.code,
                        kit=kit.code,
                        chain=" > ".join(reversed(chain.mapped("code"))),
                    )
                )
            if "disposed" in (asset.state, kit.state):
                raise ValidationError(
                    self.env._(
                        "%(asset)s cannot be a component of %(kit)s: %(disposed)s "
                        "is disposed of, and a disposed asset belongs to no kit.",
                        asset=asset.code,
                        kit=kit.code,
                        disposed=asset.code if asset.state == "disposed" else kit.code,
                    )
                )
            depth = len(chain) + asset._kit_height(max_depth)
            if depth > max_depth:
                raise ValidationError(
                    self.env._(
                        "%(asset)s cannot be a component of %(kit)s: the kit would "
                        "have %(depth)s levels (%(chain)s), and kits have at most "
                        "%(max)s (system parameter %(param)s).",
                        asset=asset.code,
                        kit=kit.code,
                        depth=depth,
                        chain=" > ".join(reversed(chain.mapped("code"))),
                        max=max_depth,
                        param=KIT_MAX_DEPTH_PARAM,
                    )
                )

    def _check_kit_reassign(self, parent_id):
        """A kit never goes inside itself; a component of one kit is taken out
        of it before joining another. Checked before the write: Odoo's parent
        store refuses a loop with a bare "Recursion Detected"."""
        if not parent_id:
            return
        kit = self.browse(parent_id).sudo()
        chain, _loop = kit._kit_chain()
        inside = self.sudo() & chain
        if inside:
            raise ValidationError(
                self.env._(
                    "%(asset)s cannot be a component of %(kit)s: %(kit)s is "
                    "already inside %(asset)s (%(chain)s), and a kit cannot "
                    "contain itself.",
                    asset=inside[0].code,
                    kit=kit.code,
                    chain=" > ".join(reversed(chain.mapped("code"))),
                )
            )
        moved = self.filtered(
            lambda asset: asset.parent_id and asset.parent_id.id != parent_id
        )
        if moved:
            asset = moved[0]
            raise UserError(
                self.env._(
                    "%(asset)s is already a component of kit %(kit)s: take it out "
                    "of %(kit)s first, or swap it, before adding it to %(new)s.",
                    asset=asset.code,
                    kit=asset.parent_id.code,
                    new=self.browse(parent_id).code,
                )
            )

    # CRUD -------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        assets = super().create(vals_list)
        members = assets.filtered("parent_id")
        if members:
            members._kit_log("added")
        return assets

    def write(self, vals):
        before = {}
        if "parent_id" in vals:
            self._check_kit_reassign(vals["parent_id"])
            before = {asset.id: asset.parent_id for asset in self}
        res = super().write(vals)
        if before and not self.env.context.get("kit_swapping"):
            removed = self.filtered(
                lambda a: before[a.id] and before[a.id] != a.parent_id
            )
            for asset in removed:
                asset._kit_log("removed", kit=before[asset.id])
            added = self.filtered(lambda a: a.parent_id and before[a.id] != a.parent_id)
            added._kit_log("added")
        if vals.get("location_id") and not self.env.context.get("kit_following"):
            self._kit_follow(vals["location_id"])
        return res

    # Business helpers ---------------------------------------------------------------
    def _kit_members(self):
        """Every component of the kits of ``self``, at every level (not ``self``).
        Read as superuser: a kit and its components are of one company."""
        mine = set(self._origin.ids)
        if not mine:
            return self.browse()
        self.flush_model(["parent_id", "parent_path"])
        # most assets are no kit: one look at the indexed parent column spares
        # them the search down the tree (a location written by hand or a scan)
        if (
            not self.sudo()
            .with_context(active_test=False)
            .search_count([("parent_id", "in", sorted(mine))], limit=1)
        ):
            return self.browse()
        found = (
            self.sudo()
            .with_context(active_test=True)
            .search([("id", "child_of", sorted(mine))])
        )
        return self.browse([i for i in found.ids if i not in mine])

    def _kit_following(self):
        """The components that go with the kits of ``self``: every one that is not
        missing from its kit."""
        return self._kit_members().filtered(lambda asset: not asset.kit_missing)

    def _kit_root_in(self, assets):
        """The topmost kit of ``self`` found in ``assets`` (``self`` when none)."""
        root, kit = self, self.parent_id
        seen = set()
        while kit and kit.id not in seen:
            seen.add(kit.id)
            if kit in assets:
                root = kit
            kit = kit.parent_id
        return root

    def _kit_follow(self, location_id):
        members = self._kit_following() - self
        if members:
            members.with_context(kit_following=True).write({"location_id": location_id})

    def _kit_log(self, event, kit=None, other=None, note=None):
        """One line of kit history per asset of ``self`` (kit: its own kit)."""
        self.env["stock.asset.kit.log"].sudo().create(
            [
                {
                    "kit_id": (kit or asset.parent_id).id,
                    "member_id": asset.id,
                    "event": event,
                    "other_member_id": other.id if other else False,
                    "note": note or False,
                }
                for asset in self
            ]
        )

    # Custody ------------------------------------------------------------------------
    def _check_checkout_allowed(self, holder, date_from=None, date_due=None):
        """A kit goes out whole: its components are checked with it; a refused
        component refuses its kit and a refused kit its components; a component
        does not go out without its kit."""
        # a wizard's preview checks new records: their real assets
        assets = self._origin
        everything = assets | assets._kit_following()
        refusals = defaultdict(
            list,
            super(StockAsset, everything)._check_checkout_allowed(
                holder, date_from=date_from, date_due=date_due
            ),
        )
        for asset in everything:
            kit = asset.parent_id
            if kit and kit not in everything and not asset.kit_missing:
                refusals[asset.id].append(
                    self.env._(
                        "%(asset)s is a component of kit %(kit)s: check the kit out, "
                        "or take %(asset)s out of the kit first.",
                        asset=asset.code,
                        kit=kit.code,
                    )
                )
        # components held by someone, even those missing from their kit
        blamed = set()
        for member in (assets._kit_members() | assets).filtered("custody_id"):
            root = member._kit_root_in(everything)
            if root != member:
                blamed.add(root.id)
                refusals[root.id].append(
                    self.env._(
                        "Kit %(kit)s cannot go out: its component %(member)s is held "
                        "by %(holder)s. Check %(member)s in first, or take it out "
                        "of the kit.",
                        kit=root.code,
                        member=member.code,
                        holder=member.custody_id.holder_id.name,
                    )
                )
        for asset in everything.filtered(lambda a: a.id in refusals):
            root = asset._kit_root_in(everything)
            if root != asset and root.id not in blamed:
                blamed.add(root.id)
                refusals[root.id].append(
                    self.env._(
                        "Kit %(kit)s cannot go out: its component %(member)s is "
                        "refused.",
                        kit=root.code,
                        member=asset.code,
                    )
                )
        refused_roots = everything.filtered(lambda a: a.id in refusals)
        for asset in everything - refused_roots:
            root = asset._kit_root_in(everything)
            if root != asset and root in refused_roots:
                refusals[asset.id].append(
                    self.env._(
                        "%(member)s goes with kit %(kit)s, which cannot go out.",
                        member=asset.code,
                        kit=root.code,
                    )
                )
        return dict(refusals)

    def _check_checkin_allowed(self, raise_if_refused=False):
        """A component of a kit that is out comes back with its kit, unless it
        is missing from it (returned late, on its own)."""
        refusals = super()._check_checkin_allowed(raise_if_refused=False)
        for asset in self:
            kit = asset.parent_id
            if (
                asset.id not in refusals
                and kit.custody_id
                and kit not in self
                and not asset.kit_missing
            ):
                refusals[asset.id] = self.env._(
                    "%(asset)s cannot be checked in alone: it is a component of kit "
                    "%(kit)s, which is out with %(holder)s. Check the kit in, and "
                    "say which components did not come back.",
                    asset=asset.code,
                    kit=kit.code,
                    holder=kit.custody_id.holder_id.name,
                )
        if refusals and raise_if_refused:
            raise UserError("\n".join(refusals.values()))
        return refusals

    def _checkout(self, holder, *args, **kwargs):
        """The components of a kit go out with it, to the same holder."""
        everything = self | self._kit_following()
        # a custody closed earlier in this transaction (a kit checked in, then
        # out again) is written before the new ones meet the one-open index
        self.env["stock.asset.custody"].flush_model(["date_returned"])
        return super(StockAsset, everything)._checkout(holder, *args, **kwargs)

    def _checkin(self, *args, **kwargs):
        """A kit comes back with its components: each one out is checked in where
        the kit is put back, except those the user says did not come back
        (context ``kit_not_returned_ids``), which are flagged missing from the
        kit and stay out with their holder."""
        roots = self.filtered(lambda asset: asset._kit_root_in(self) == asset)
        members = roots._kit_members().filtered("custody_id")
        not_returned = members & self.browse(
            self.env.context.get("kit_not_returned_ids") or []
        )
        if not_returned:
            not_returned._kit_flag_missing()
        custody, refusals = super(StockAsset, roots)._checkin(*args, **kwargs)
        returned = roots.filtered(lambda asset: asset.id not in refusals)
        follow = (members - not_returned).filtered(
            lambda m: m.custody_id and m._kit_root_in(returned) in returned
        )
        by_place = defaultdict(lambda: self.browse())
        for member in follow:
            by_place[member._kit_root_in(returned).location_id] |= member
        note = kwargs.get("note", args[0] if args else None)
        date_returned = kwargs.get("date_returned", args[2] if len(args) > 2 else None)
        for place, group in by_place.items():
            more, _refused = super(StockAsset, group)._checkin(
                note=note,
                location=place,
                date_returned=date_returned,
                raise_if_refused=False,
                return_home=False,
            )
            custody |= more
        back = (returned | follow).filtered("kit_missing")
        if back:
            back._kit_flag_returned()
        return custody, refusals

    def _kit_flag_missing(self):
        self.write({"kit_missing": True})
        self._kit_log("missing")
        for member in self:
            message = self.env._(
                "%(member)s did not come back with kit %(kit)s: returned incomplete, "
                "%(member)s is still out with %(holder)s.",
                member=member.display_name,
                kit=member.parent_id.display_name,
                holder=member.custody_id.holder_id.name,
            )
            for record in member | member.parent_id:
                record.message_post(body=message, subtype_xmlid="mail.mt_note")

    def _kit_flag_returned(self):
        """Components back from a kit they were missing from rejoin it (and its
        place, when they came back on their own)."""
        self.write({"kit_missing": False})
        members = self.filtered("parent_id")
        members._kit_log("returned")
        away = members.filtered(
            lambda m: m.parent_id.location_id
            and m.location_id != m.parent_id.location_id
        )
        # one write per kit place, not one per component
        for place, group in away.grouped(lambda m: m.parent_id.location_id).items():
            group.with_context(kit_following=True).write({"location_id": place.id})
        for member in members:
            kit = member.parent_id
            kit.message_post(
                body=self.env._(
                    "%(member)s is back in kit %(kit)s.",
                    member=member.display_name,
                    kit=kit.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    # Scans: observed moves ------------------------------------------------------------
    @api.model
    def _bulk_set_seen(self, ids, location_ids, seen_dates):
        """The components of a kit seen somewhere move with it, unless they were
        read themselves (their own read wins) or are missing from the kit."""
        moving = {i: loc for i, loc in zip(ids, location_ids, strict=True) if loc}
        if moving:
            self.flush_model(["parent_id", "parent_path", "kit_missing", "active"])
            self.env.cr.execute(
                SQL(
                    """
                    SELECT k.id, c.id
                      FROM stock_asset k
                      JOIN stock_asset c
                        ON c.parent_path LIKE k.parent_path || %s AND c.id != k.id
                     WHERE k.id = ANY(%s) AND k.is_kit
                       AND c.active AND NOT COALESCE(c.kit_missing, FALSE)
                     ORDER BY length(k.parent_path) DESC
                    """,
                    "%",
                    sorted(moving),
                )
            )
            rows = self.env.cr.fetchall()
            if rows:
                ids, location_ids, seen_dates = (
                    list(ids),
                    list(location_ids),
                    list(seen_dates),
                )
                known = set(ids)
                for kit_id, member_id in rows:
                    if member_id in known:
                        continue
                    known.add(member_id)
                    ids.append(member_id)
                    location_ids.append(moving[kit_id])
                    seen_dates.append(None)
        return super()._bulk_set_seen(ids, location_ids, seen_dates)

    # Actions ------------------------------------------------------------------------
    def action_view_kit_members(self):
        action = records_action(
            self,
            "stock_asset_tracking.stock_asset_action",
            "parent_id",
            {
                "default_parent_id": self.id,
                "default_company_id": self.company_id.id,
                "default_location_id": self.location_id.id,
            },
        )
        action["name"] = self.env._("Components of %(kit)s", kit=self.display_name)
        return action

    def action_open_kit_swap(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_kit_swap_action"
        )
        if self.parent_id:
            action["context"] = {
                "default_kit_id": self.parent_id.id,
                "default_old_member_id": self.id,
            }
        else:
            action["context"] = {"default_kit_id": self.id}
        return action
