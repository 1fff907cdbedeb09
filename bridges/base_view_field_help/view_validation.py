# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Backport of odoo/odoo#240261 ("add help attribute on field element in rng
validation", Odoo 18.0 of January 2026) for older 18.0 builds.

OCA's ``stock_barcodes`` 18.0 sets ``help`` on fields of its list views; an
Odoo 18.0 built before that fix refuses those views ("Invalid attribute help for
element field") and the module cannot be installed. This addon has no data: its
Python, imported when the registry loads (depending on ``base`` only, it loads
before any module with views), gives the list view validator the ``field``
element of the fixed schema. On an Odoo that already accepts ``help`` it does
nothing.
"""

import logging
import os
import tempfile

from lxml import etree

from odoo.tools import file_open, view_validation

_logger = logging.getLogger(__name__)

RNG = "{http://relaxng.org/ns/structure/1.0}"


def _read_rng(name):
    with file_open(os.path.join("base", "rng", name), "rb") as rng_file:
        return etree.parse(rng_file)


def _field_element(common):
    return common.find(f"{RNG}define[@name='field']/{RNG}element")


def _accepts_help(element):
    return any(
        attribute.get("name") == "help" for attribute in element.iter(f"{RNG}attribute")
    )


def _list_validator_with_field_help():
    """The list view validator of the fixed schema, or None when the installed
    schema already accepts ``help`` on fields."""
    common = _read_rng("common.rng")
    element = _field_element(common)
    if element is None or _accepts_help(element):
        return None
    optional = etree.Element(f"{RNG}optional")
    etree.SubElement(optional, f"{RNG}attribute", name="help")
    element.insert(1, optional)
    with tempfile.TemporaryDirectory() as folder:
        # list_view.rng includes common.rng by a relative path
        common.write(os.path.join(folder, "common.rng"))
        _read_rng("list_view.rng").write(os.path.join(folder, "list_view.rng"))
        return etree.RelaxNG(etree.parse(os.path.join(folder, "list_view.rng")))


def patch_list_validator():
    validator = _list_validator_with_field_help()
    if validator is not None:
        view_validation._relaxng_cache["list"] = validator
        _logger.debug("list views: help accepted on fields (odoo/odoo#240261)")


patch_list_validator()
