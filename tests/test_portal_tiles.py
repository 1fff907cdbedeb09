# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import re

from lxml import etree

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPortalTiles(HttpCase):
    """The portal home's tiles of the addon use pictograms of the size of Odoo's
    own (64 x 64 SVG), not the 256 px app icon."""

    TILES = {
        "/my/equipment": "/stock_asset_tracking/static/src/img/portal_equipment.svg",
        "/my/installed-equipment": (
            "/stock_asset_tracking/static/src/img/portal_installed_equipment.svg"
        ),
    }

    def test_tiles_use_pictograms_of_odoo_size(self):
        new_test_user(self.env, login="tile_portal", groups="base.group_portal")
        self.authenticate("tile_portal", "tile_portal")
        page = self.url_open("/my/home")
        self.assertEqual(page.status_code, 200)
        for url, icon in self.TILES.items():
            tile = re.search(
                rf'<a href="{re.escape(url)}".*?</a>', page.text, re.DOTALL
            )
            self.assertTrue(tile, f"no tile for {url}")
            self.assertIn(f'<img src="{icon}"', tile.group(0))
            picture = self.url_open(icon)
            self.assertEqual(picture.status_code, 200)
            svg = etree.fromstring(picture.content)
            self.assertEqual(
                (svg.tag, svg.get("width"), svg.get("height")),
                ("{http://www.w3.org/2000/svg}svg", "64", "64"),
            )
        self.assertNotIn("static/description/icon.png", page.text)
