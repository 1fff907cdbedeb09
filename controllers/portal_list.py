# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The paged, sorted and filtered list of a portal page (equipment held, items
installed), as Odoo's own portal lists build it."""

from odoo.addons.portal.controllers.portal import pager as portal_pager


def portal_list(model, url, domain, page, step, searchbar):
    """One page of ``model`` records for the portal list at ``url``.

    ``searchbar``: ``{"sortings", "filters", "sortby", "filterby"}``, the choices
    and the chosen keys (already checked). Returns the records and the values
    every portal list template reads (pager, default URL, search bar).
    """
    sortby, filterby = searchbar["sortby"], searchbar["filterby"]
    domain = domain + searchbar["filters"][filterby]["domain"]
    pager = portal_pager(
        url=url,
        url_args={"sortby": sortby, "filterby": filterby},
        total=model.search_count(domain),
        page=page,
        step=step,
    )
    records = model.search(
        domain,
        order=searchbar["sortings"][sortby]["order"],
        limit=step,
        offset=pager["offset"],
    )
    return records, {
        "pager": pager,
        "default_url": url,
        "searchbar_sortings": searchbar["sortings"],
        "sortby": sortby,
        "searchbar_filters": searchbar["filters"],
        "filterby": filterby,
    }
