# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""What a first-time user sees on the asset screens (issue 17), and the one
mapping of exceptions to API answers (issue 16)."""

from werkzeug.exceptions import NotFound, Unauthorized

from odoo.exceptions import AccessDenied, AccessError, MissingError, UserError
from odoo.tests import HttpCase, tagged

from ..exceptions import (
    BatchConflict,
    Forbidden,
    InvalidRequest,
    RecordNotFound,
    RequestTooLarge,
)
from ..models.scan.ir_http import INTERNAL_ERROR, api_error
from ..tools.reader_formats import FormatError
from ..tools.scan_api import RequestError
from .common import AssetCommon


@tagged("post_install", "-at_install")
class TestFirstLook(AssetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.firm = cls.env["res.partner"].create(
            {"name": "Mills & Sons", "is_company": True, "company_id": False}
        )
        cls.dora = cls.env["res.partner"].create(
            {"name": "Dora Mills", "parent_id": cls.firm.id, "company_id": False}
        )

    def test_holder_reads_person_first_on_asset_screens(self):
        self.assertEqual(self.dora.display_name, "Mills & Sons, Dora Mills")
        person_first = self.dora.with_context(asset_person_first=True)
        self.assertEqual(person_first.display_name, "Dora Mills (Mills & Sons)")
        # a company, and a contact without a company, read as they always did
        self.assertEqual(
            self.firm.with_context(asset_person_first=True).display_name,
            "Mills & Sons",
        )
        self.assertEqual(
            self.holder_a.with_context(asset_person_first=True).display_name,
            "Anna Holder",
        )
        # the asset list and the custody ledger open with it
        for xmlid in (
            "stock_asset_tracking.stock_asset_action",
            "stock_asset_tracking.stock_asset_custody_action",
            "stock_asset_tracking.stock_asset_reservation_action",
        ):
            action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
            self.assertIn("'asset_person_first': True", action["context"], xmlid)

    def test_asset_held_by_a_contact_shows_the_person_in_lists(self):
        asset = self._asset(name="Torque Wrench", code="A-77")
        asset.action_confirm()
        asset.action_checkout(self.dora)
        held = asset.with_context(asset_person_first=True)
        self.assertEqual(held.holder_id.display_name, "Dora Mills (Mills & Sons)")
        self.assertEqual(
            held.read(["holder_id"])[0]["holder_id"],
            (self.dora.id, "Dora Mills (Mills & Sons)"),
        )

    def test_responsible_is_who_registers_never_odoobot(self):
        by_user = (
            self.env["stock.asset"]
            .with_user(self.manager_a)
            .create({"name": "Laser Level", "company_id": self.company_a.id})
        )
        self.assertEqual(by_user.user_id, self.manager_a)
        # data files, imports and crons run as OdooBot: nobody until chosen
        by_system = self.env["stock.asset"].create(
            {"name": "Laser Level", "company_id": self.company_a.id}
        )
        self.assertTrue(self.env.user._is_superuser())
        self.assertFalse(by_system.user_id)

    def test_reset_to_draft_is_for_managers(self):
        asset = self._asset(name="Caliper", code="A-78")
        asset.action_confirm()
        with self.assertRaisesRegex(AccessError, r"Only asset managers .*A-78"):
            asset.with_user(self.user_a).action_reset_to_draft()
        self.assertEqual(asset.state, "in_use")
        asset.with_user(self.manager_a).action_reset_to_draft()
        self.assertEqual(asset.state, "draft")

    def test_accountant_reads_journal_items(self):
        self.assertTrue(self.accountant_a.has_group("account.group_account_readonly"))
        self.assertFalse(self.user_a.has_group("account.group_account_readonly"))
        lines = self.env["account.move.line"].with_user(self.accountant_a)
        self.assertTrue(lines.has_access("read"))

    def test_epcis_export_is_an_action_not_a_header_button(self):
        action = self.env.ref(
            "stock_asset_tracking.stock_asset_epcis_export_download_action"
        )
        self.assertEqual(action.binding_model_id.model, "stock.asset")
        self.assertEqual(action.binding_view_types, "list,form")
        arch = self.env["stock.asset"].get_view(view_type="form")["arch"]
        self.assertNotIn("EPCIS Export", arch)


@tagged("post_install", "-at_install")
class TestApiErrorMapping(AssetCommon):
    def test_each_exception_has_its_status_and_code(self):
        cases = [
            (InvalidRequest("mode x is not available", "mode_not_available"),
             (400, "mode_not_available", "mode x is not available")),
            (InvalidRequest("bad"), (400, "bad_request", "bad")),
            (RequestTooLarge("too many", "too_many_reads"),
             (413, "too_many_reads", "too many")),
            (Forbidden("not an asset user"), (403, "forbidden", "not an asset user")),
            (RecordNotFound("no device d", "unknown_device"),
             (404, "unknown_device", "no device d")),
            (BatchConflict("other body"), (409, "batch_conflict", "other body")),
            (RequestError("device is longer than 256 characters"),
             (400, "bad_request", "device is longer than 256 characters")),
            (FormatError("invalid JSON at line 1 column 2", "invalid_json"),
             (400, "invalid_json", "invalid JSON at line 1 column 2")),
            # Odoo's own: texts naming models or records are not echoed
            (AccessError("stock.asset(4,) read: group X"),
             (403, "forbidden", "the API key's user may not do this")),
            (MissingError("Record stock.asset(9,) does not exist"),
             (404, "not_found", "the record does not exist or was deleted")),
            (AccessDenied(),
             (401, "unauthorized",
              "missing or invalid API key (Authorization: Bearer <key>)")),
            (Unauthorized("User not authenticated"),
             (401, "unauthorized",
              "missing or invalid API key (Authorization: Bearer <key>)")),
            (NotFound(), (404, "not_found", NotFound.description)),
            # a rule's message is written for people
            (UserError("Asset A-1 is disposed."),
             (400, "bad_request", "Asset A-1 is disposed.")),
            (ZeroDivisionError("division by zero"),
             (500, "internal_error", INTERNAL_ERROR)),
        ]  # fmt: skip
        for exception, expected in cases:
            with self.subTest(exception=repr(exception)):
                self.assertEqual(api_error(exception), expected)

    def test_refusals_are_odoo_exceptions(self):
        # the web client and RPC show them as any Odoo error, with their message
        self.assertIsInstance(InvalidRequest("x"), UserError)
        self.assertIsInstance(Forbidden("x"), AccessError)
        self.assertIsInstance(RecordNotFound("x"), MissingError)
        self.assertIsInstance(BatchConflict("x"), UserError)
        self.assertEqual(str(InvalidRequest("the body must be a JSON object")),
                         "the body must be a JSON object")  # fmt: skip


@tagged("post_install", "-at_install")
class TestModelRefusals(AssetCommon, HttpCase):
    """The scan pipeline commits a receipt in a transaction of its own: under
    HttpCase, Odoo's test cursor makes that a savepoint of the test."""

    def test_model_refusal_without_http(self):
        batches = self.env["stock.asset.scan.batch"].with_user(self.user_a)
        with self.assertRaises(InvalidRequest) as caught:
            batches._api_post({"batch_id": "b-1", "reads": "x"}, source="native")
        self.assertEqual(caught.exception.code, "bad_request")
        self.assertEqual(str(caught.exception), "reads must be an array")
        with self.assertRaises(RecordNotFound) as caught:
            batches._api_post(
                {"batch_id": "b-2", "device": "nowhere", "reads": [{"code": "X"}]},
                source="native",
            )
        self.assertEqual(caught.exception.code, "unknown_device")
        self.assertFalse(self.env["stock.asset.scan.batch"].search([]))
        answer = batches._api_post(
            {"batch_id": "b-3", "reads": [{"code": "A-NONE"}]}, source="native"
        )
        self.assertEqual(
            (answer["status"], answer["unknown"], answer["duplicate"]),
            ("done", 1, False),
        )
        with self.assertRaises(BatchConflict):
            batches._api_post(
                {"batch_id": "b-3", "reads": [{"code": "A-OTHER"}]}, source="native"
            )
