# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

from .common import count_by


class ResPartner(models.Model):
    _inherit = "res.partner"

    installed_asset_count = fields.Integer(
        string="Installed Equipment",
        compute="_compute_installed_asset_count",
        groups="stock_asset_tracking.group_asset_user",
        help="Items installed at the customer (its whole commercial entity).",
    )

    held_asset_count = fields.Integer(
        string="Equipment Held",
        compute="_compute_held_asset_count",
        groups="stock_asset_tracking.group_asset_user",
        help="Assets this contact (or its contacts) holds now.",
    )

    # Odoo's own keys (base res.partner) and the addon's: the cache keeps one
    # display name per combination
    @api.depends_context(
        "show_address",
        "partner_show_db_id",
        "address_inline",
        "show_email",
        "show_vat",
        "lang",
        "asset_person_first",
    )
    def _compute_display_name(self):
        """With ``asset_person_first`` in the context (the asset screens), a
        company's contact reads "Dora Mills (My Company)", not "My Company, Dora
        Mills": where names are cut short, the holder stays readable."""
        super()._compute_display_name()
        if not self.env.context.get("asset_person_first"):
            return
        for partner in self:
            company = partner.commercial_company_name or partner.parent_id.name
            prefix = f"{company}, "
            if partner.is_company or not company or not partner.name:
                continue
            if partner.display_name.startswith(prefix):
                rest = partner.display_name[len(prefix) :]
                person, _sep, tail = rest.partition("\n")
                name = f"{person} ({company})"
                partner.display_name = f"{name}\n{tail}" if tail else name

    def _compute_held_asset_count(self):
        for partner in self:
            partner.held_asset_count = self.env["stock.asset.custody"].search_count(
                [("holder_id", "child_of", partner.id), ("date_returned", "=", False)]
            )

    def action_view_held_assets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_custody_action"
        )
        action["domain"] = [("holder_id", "child_of", self.id)]
        action["context"] = {"search_default_open": 1}
        return action

    @api.model
    def _asset_find_holder(self, value, company=None):
        """The contact a scan names as holder: by its reference (``ref``, e.g. an
        employee number) or its barcode (a badge), among the contacts of
        ``company`` and the shared ones. Empty when none or several match."""
        value = (value or "").strip()
        if not value:
            return self.browse()
        company = company or self.env.company
        partners = self.with_company(company).search(
            [
                "|",
                ("ref", "=", value),
                ("barcode", "=", value),
                ("company_id", "in", [company.id, False]),
            ],
            limit=2,
        )
        return partners if len(partners) == 1 else self.browse()

    def _compute_installed_asset_count(self):
        counts = count_by(
            self.commercial_partner_id,
            "stock.asset",
            "partner_id",
            [("installation_state", "=", "installed")],
        )
        for partner in self:
            partner.installed_asset_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_installed_assets(self):
        self.ensure_one()
        customer = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_action_installed_base"
        )
        action["domain"] = [("partner_id", "=", customer.id)]
        action["context"] = {
            "default_ownership": "customer",
            "default_partner_id": customer.id,
            "search_default_installed": 1,
        }
        return action
