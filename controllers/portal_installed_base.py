# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Customer portal: "My installed equipment". Transport only: every read runs
with the customer's own rights (the portal record rules bound them to their
commercial entity's items); the service request is one model call."""

from collections import OrderedDict

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers import portal

from ..models.installed_base.stock_asset_service import PORTAL_REQUEST_TYPES
from .portal_list import portal_list

URL = "/my/installed-equipment"
HISTORY_KEY = "my_installed_equipment_history"


class InstalledBasePortal(portal.CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "installed_equipment_count" in counters:
            Asset = request.env["stock.asset"]
            domain = [
                *self._installed_equipment_domain(),
                ("installation_state", "=", "installed"),
            ]
            values["installed_equipment_count"] = (
                Asset.search_count(domain) if Asset.has_access("read") else 0
            )
        return values

    def _installed_equipment_domain(self):
        """The items of the user's commercial entity (the record rules say the
        same for portal users; this also bounds internal users)."""
        return [
            ("installation_state", "!=", False),
            ("partner_id", "=", request.env.user.commercial_partner_id.id),
        ]

    def _installed_equipment_filters(self):
        return OrderedDict(
            [
                (
                    "installed",
                    {
                        "label": request.env._("Installed"),
                        "domain": [("installation_state", "=", "installed")],
                    },
                ),
                (
                    "in_warranty",
                    {
                        "label": request.env._("In Warranty"),
                        "domain": [
                            ("installation_state", "=", "installed"),
                            ("warranty_state", "=", "in_warranty"),
                        ],
                    },
                ),
                (
                    "all",
                    {"label": request.env._("All, returned included"), "domain": []},
                ),
            ]
        )

    def _installed_equipment_sortings(self):
        return {
            "date": {
                "label": request.env._("Latest Delivery"),
                "order": "delivery_date desc, id desc",
            },
            "name": {"label": request.env._("Name"), "order": "name asc, id asc"},
            "warranty": {
                "label": request.env._("Warranty End"),
                "order": "warranty_end_date asc, id asc",
            },
        }

    def _installed_equipment_get(self, asset_id):
        """The item ``asset_id`` if the user may see it, else an empty record."""
        return request.env["stock.asset"].search(
            [("id", "=", asset_id), *self._installed_equipment_domain()], limit=1
        )

    @http.route([URL, f"{URL}/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_installed_equipment(self, page=1, sortby=None, filterby=None, **kw):
        Asset = request.env["stock.asset"]
        if not Asset.has_access("read"):
            return request.redirect("/my")
        sortings = self._installed_equipment_sortings()
        filters = self._installed_equipment_filters()
        assets, listing = portal_list(
            Asset,
            URL,
            self._installed_equipment_domain(),
            page,
            self._items_per_page,
            {
                "sortings": sortings,
                "filters": filters,
                "sortby": sortby if sortby in sortings else "date",
                "filterby": filterby if filterby in filters else "installed",
            },
        )
        request.session[HISTORY_KEY] = assets.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(listing, assets=assets, page_name="installed_equipment")
        return request.render(
            "stock_asset_tracking.portal_my_installed_equipment", values
        )

    @http.route([f"{URL}/<int:asset_id>"], type="http", auth="user", website=True)
    def portal_installed_equipment_page(self, asset_id, requested=None, error=None):
        asset = self._installed_equipment_get(asset_id)
        if not asset:
            raise NotFound()
        Service = request.env["stock.asset.service"]
        services = Service.search([("asset_id", "=", asset.id)])
        history = services._portal_history() + Service._portal_repair_history(asset)
        history.sort(key=lambda entry: entry["date"], reverse=True)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "asset": asset,
                "history": history,
                "page_name": "installed_equipment",
                "request_types": [
                    (key, label)
                    for key, label in Service._fields[
                        "service_type"
                    ]._description_selection(request.env)
                    if key in PORTAL_REQUEST_TYPES
                ],
                "requested": bool(requested),
                "error": error in ("empty", "invalid") and error,
            }
        )
        return request.render(
            "stock_asset_tracking.portal_installed_equipment_page", values
        )

    @http.route(
        [f"{URL}/<int:asset_id>/request-service"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_installed_equipment_request(
        self, asset_id, service_type="repair", notes="", **kw
    ):
        asset = self._installed_equipment_get(asset_id)
        if not asset:
            raise NotFound()
        if not (notes or "").strip():
            return request.redirect(f"{URL}/{asset.id}?error=empty")
        try:
            with request.env.cr.savepoint():
                request.env["stock.asset.service"]._portal_request(
                    asset, service_type, notes
                )
        except (AccessError, UserError, ValidationError):
            return request.redirect(f"{URL}/{asset.id}?error=invalid")
        return request.redirect(f"{URL}/{asset.id}?requested=1")
