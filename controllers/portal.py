# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Portal "My equipment": what a holder has, since when, due back when; they
acknowledge receipt and report problems.

Transport only: every read goes through the record rules of the logged-in user
(a holder sees their own custody lines only); the model methods check the rest.
"""

import binascii
from functools import partial

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers import portal

from .portal_list import portal_list

# a form of the holder's portal page, posted with its CSRF token
portal_post = partial(
    http.route, type="http", auth="user", methods=["POST"], website=True
)


class AssetCustodyPortal(portal.CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "equipment_count" in counters:
            Custody = request.env["stock.asset.custody"]
            values["equipment_count"] = (
                Custody.search_count(
                    [*self._equipment_domain(), ("state", "=", "open")]
                )
                if Custody.has_access("read")
                else 0
            )
        return values

    def _equipment_domain(self):
        """The custody lines of the logged-in holder (the record rules of portal
        users say the same; internal asset users see more, hence the domain)."""
        partners = request.env["stock.asset.custody"]._own_partners()
        return [("holder_id", "in", partners.ids)]

    def _equipment_searchbar_filters(self):
        return {
            "open": {
                "label": request.env._("With Me"),
                "domain": [("state", "=", "open")],
            },
            "returned": {
                "label": request.env._("Returned"),
                "domain": [("state", "=", "returned")],
            },
            "all": {"label": request.env._("All"), "domain": []},
        }

    def _equipment_searchbar_sortings(self):
        return {
            "date_due": {
                "label": request.env._("Due Back"),
                "order": "date_due asc, id desc",
            },
            "date_from": {
                "label": request.env._("Newest"),
                "order": "date_from desc, id desc",
            },
            "asset": {"label": request.env._("Asset"), "order": "asset_id, id desc"},
        }

    @http.route(
        ["/my/equipment", "/my/equipment/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_equipment(self, page=1, sortby=None, filterby=None, **kw):
        Custody = request.env["stock.asset.custody"]
        if not Custody.has_access("read"):
            return request.redirect("/my")
        filters = self._equipment_searchbar_filters()
        sortings = self._equipment_searchbar_sortings()
        custody, listing = portal_list(
            Custody,
            "/my/equipment",
            self._equipment_domain(),
            page,
            self._items_per_page,
            {
                "sortings": sortings,
                "filters": filters,
                "sortby": sortby if sortby in sortings else "date_due",
                "filterby": filterby if filterby in filters else "open",
            },
        )
        values = self._prepare_portal_layout_values()
        values.update(listing, custody_lines=custody, page_name="equipment")
        return request.render("stock_asset_tracking.portal_my_equipment", values)

    @http.route(
        ["/my/equipment/<int:custody_id>"], type="http", auth="user", website=True
    )
    def portal_my_equipment_line(self, custody_id, message=None, **kw):
        custody = self._equipment_line(custody_id)
        if not custody:
            return request.redirect("/my/equipment")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "custody": custody,
                "page_name": "equipment",
                "message": message,
            }
        )
        return request.render("stock_asset_tracking.portal_my_equipment_line", values)

    @portal_post(["/my/equipment/<int:custody_id>/acknowledge"])
    def portal_my_equipment_acknowledge(self, custody_id, **kw):
        custody = self._equipment_line(custody_id)
        if not custody:
            return request.redirect("/my/equipment")
        try:
            custody.action_acknowledge()
        except UserError:
            return request.redirect(f"/my/equipment/{custody.id}?message=ack_refused")
        return request.redirect(f"/my/equipment/{custody.id}?message=ack_ok")

    @http.route(
        ["/my/equipment/<int:custody_id>/sign"],
        type="json",
        auth="user",
        website=True,
    )
    def portal_my_equipment_sign(self, custody_id, name=None, signature=None):
        custody = self._equipment_line(custody_id)
        if not custody:
            return {"error": request.env._("This equipment is not yours.")}
        if not signature:
            return {"error": request.env._("Signature is missing.")}
        try:
            custody.action_acknowledge(signature=signature, signed_by=name)
        except UserError as error:
            return {"error": str(error)}
        except (TypeError, ValueError, binascii.Error):
            return {"error": request.env._("Invalid signature data.")}
        return {
            "force_refresh": True,
            "redirect_url": f"/my/equipment/{custody.id}?message=ack_ok",
        }

    @portal_post(["/my/equipment/<int:custody_id>/report"])
    def portal_my_equipment_report(self, custody_id, description=None, **kw):
        custody = self._equipment_line(custody_id)
        if not custody:
            return request.redirect("/my/equipment")
        try:
            custody.action_report_problem(description)
        except UserError:
            return request.redirect(
                f"/my/equipment/{custody.id}?message=report_refused"
            )
        return request.redirect(f"/my/equipment/{custody.id}?message=report_ok")

    def _equipment_line(self, custody_id):
        """The custody line ``custody_id`` if the logged-in holder may see it (record
        rules) and holds it (domain), else an empty recordset."""
        Custody = request.env["stock.asset.custody"]
        try:
            return Custody.search(
                [("id", "=", custody_id), *self._equipment_domain()], limit=1
            )
        except (AccessError, MissingError):
            return Custody
