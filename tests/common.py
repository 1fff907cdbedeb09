# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Shared fixtures: two companies, least-privilege users, a serial-tracked product."""

from odoo.tests import TransactionCase, new_test_user

# the groups of the users the tests create (``groups`` of :func:`company_user`)
ASSET_USER = "base.group_user,stock_asset_tracking.group_asset_user"
ASSET_MANAGER = "base.group_user,stock_asset_tracking.group_asset_manager"
ASSET_ACCOUNTANT = "base.group_user,stock_asset_tracking.group_asset_accountant"
ASSET_DEVICE = "base.group_user,stock_asset_tracking.group_asset_device"
PORTAL = "base.group_portal"


def company_user(env, login, company, groups="base.group_user", **values):
    """A test user of ``company`` only, in ``groups`` (comma-separated XML ids),
    whose password is its login; ``values`` (name...) go to ``new_test_user``."""
    return new_test_user(
        env,
        login=login,
        groups=groups,
        company_id=company.id,
        company_ids=[company.id],
        **values,
    )


def portal_user(env, login, customer, **values):
    """A portal user of the current company whose contact works for ``customer``
    (a company partner); ``values`` (name...) go to ``new_test_user``."""
    user = company_user(env, login, env.company, PORTAL, **values)
    user.partner_id.parent_id = customer
    return user


class PortalPages:
    """For the portal tests (HttpCase): a page, as the logged-in user sees it."""

    def portal_page(self, url):
        """The HTML of ``url``, which answers 200."""
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return response.text


class ExactErrors:
    """For the tests of the plain-Python tools: an error and its exact message, a
    predicate's answers."""

    def assertErrorMessage(self, error, message, func, *args, **kwargs):
        """``func(*args, **kwargs)`` raises ``error``, a ValueError, with exactly
        ``message``."""
        with self.assertRaises(error) as caught:
            func(*args, **kwargs)
        self.assertEqual(str(caught.exception), message)
        self.assertIsInstance(caught.exception, ValueError)

    def assertTellsApart(self, predicate, yes, no):
        """``predicate`` is true of every value of ``yes``, false of every value
        of ``no``."""
        for value in yes:
            with self.subTest(value=value):
                self.assertTrue(predicate(value))
        for value in no:
            with self.subTest(value=value):
                self.assertFalse(predicate(value))


class TwoCompanies:
    """The two-company fixture every test class shares: ``company_a`` and
    ``company_b``, their warehouses and stock locations.

    The companies come from :meth:`_create_two_companies`: plain companies here;
    the register tests take the two companies of Odoo's accounting fixture
    (``AccountTestInvoicingCommon``) instead, with their charts of accounts."""

    COMPANY_NAMES = ("Asset Co A", "Asset Co B")

    @classmethod
    def _create_two_companies(cls):
        """Company A and company B, named after ``COMPANY_NAMES``."""
        return cls.env["res.company"].create(
            [{"name": name} for name in cls.COMPANY_NAMES]
        )

    @classmethod
    def _setup_two_companies(cls):
        cls.company_a, cls.company_b = cls._create_two_companies()
        Warehouse = cls.env["stock.warehouse"]
        cls.warehouse_a = Warehouse.search(
            [("company_id", "=", cls.company_a.id)], limit=1
        )
        cls.warehouse_b = Warehouse.search(
            [("company_id", "=", cls.company_b.id)], limit=1
        )
        cls.stock_a = cls.warehouse_a.lot_stock_id
        cls.stock_b = cls.warehouse_b.lot_stock_id


class AssetFixture(TwoCompanies):
    """The asset fixture on top of the two companies: users of company A (user,
    manager, accountant, stock-only) and a user of company B, a category per
    company, a serial-tracked product, its lots and holders."""

    @classmethod
    def _setup_asset_fixture(cls):
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls._setup_two_companies()
        cls.shelf_a = cls._location("Shelf A1", cls.stock_a, barcode="SHELF-A1")

        company_a = cls.company_a
        cls.user_a = company_user(cls.env, "asset_user_a", company_a, ASSET_USER)
        cls.manager_a = company_user(
            cls.env, "asset_manager_a", company_a, ASSET_MANAGER
        )
        cls.accountant_a = company_user(
            cls.env, "asset_accountant_a", company_a, ASSET_ACCOUNTANT
        )
        cls.stock_user_a = company_user(
            cls.env, "stock_only_a", company_a, "base.group_user,stock.group_stock_user"
        )
        cls.user_b = company_user(cls.env, "asset_user_b", cls.company_b, ASSET_USER)

        cls.category_a = cls.env["stock.asset.category"].create(
            {"name": "Tools A", "company_id": cls.company_a.id}
        )
        cls.category_b = cls.env["stock.asset.category"].create(
            {"name": "Tools B", "company_id": cls.company_b.id}
        )
        cls.product = (
            cls.env["product.product"]
            .with_company(cls.company_a)
            .create(
                {
                    "name": "Torque Wrench",
                    "type": "consu",
                    "is_storable": True,
                    "tracking": "serial",
                    "asset_category_id": cls.category_a.id,
                }
            )
        )
        cls.lot_a1, cls.lot_a2, cls.lot_a3 = cls.env["stock.lot"].create(
            [
                {
                    "name": f"TW-{n}",
                    "product_id": cls.product.id,
                    "company_id": cls.company_a.id,
                }
                for n in (1, 2, 3)
            ]
        )
        cls.lot_b1 = cls.env["stock.lot"].create(
            {
                "name": "TW-B1",
                "product_id": cls.product.id,
                "company_id": cls.company_b.id,
            }
        )
        cls.holder_a = cls.env["res.partner"].create(
            {"name": "Anna Holder", "company_id": cls.company_a.id}
        )
        cls.holder_b = cls.env["res.partner"].create(
            {"name": "Bob Holder", "company_id": cls.company_b.id}
        )
        cls.Asset = cls.env["stock.asset"].with_company(cls.company_a)

    def assertViewsLoad(self, user, views):
        """``user`` gets every view of ``views``: {model: [view types]}."""
        for model, view_types in views.items():
            loaded = (
                self.env[model]
                .with_user(user)
                .get_views([(False, view_type) for view_type in view_types])
            )
            self.assertEqual(set(loaded["views"]), set(view_types), msg=model)

    def form_arch(self, user, model="stock.asset"):
        """The form view of ``model`` as ``user`` gets it."""
        views = self.env[model].with_user(user).get_views([(False, "form")])
        return views["views"]["form"]["arch"]

    @classmethod
    def _location(cls, name, parent, **values):
        """A location ``name`` of company A inside ``parent``; ``values`` add to
        or override these."""
        return cls.env["stock.location"].create(
            {
                "name": name,
                "location_id": parent.id,
                "company_id": cls.company_a.id,
                **values,
            }
        )

    @classmethod
    def _asset(cls, **vals):
        vals.setdefault("name", "Wrench")
        vals.setdefault("company_id", cls.company_a.id)
        return cls.env["stock.asset"].create(vals)


class AssetCommon(AssetFixture, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_asset_fixture()
