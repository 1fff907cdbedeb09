# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class StockAssetEpcisPolledEvent(models.Model):
    """One event a repository sent, under its key: what makes polling idempotent.

    The key is the event's ``eventID``, else its CBV 2.0 event hash; a row per
    repository, key and kind (an error declaration shares its event's key).
    Rows are written by the poller in the transaction that applies the page,
    refused and failed events included (``refused``: the event itself cannot
    apply; ``error``: it could not be read or applied), with their reason.
    """

    _name = "stock.asset.epcis.polled.event"
    _description = "Polled EPCIS Event"
    _order = "record_time desc, id desc"
    _check_company_auto = True
    _rec_name = "event_key"

    repository_id = fields.Many2one(
        "stock.asset.epcis.repository",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    event_key = fields.Char(
        required=True,
        readonly=True,
        help="The event's eventID, or its CBV 2.0 event hash when it has none.",
    )
    kind = fields.Selection(
        [("event", "Event"), ("declaration", "Error declaration")],
        required=True,
        default="event",
        readonly=True,
    )
    state = fields.Selection(
        [
            ("applied", "Applied"),
            ("refused", "Refused"),
            ("error", "Error"),
            ("skipped", "Skipped"),
            ("retracted", "Declared erroneous"),
            ("declared", "Declaration recorded"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
    record_time = fields.Datetime(readonly=True)
    event_time = fields.Datetime(readonly=True)
    epcis_location = fields.Char(string="Read Point / Business Location", readonly=True)
    epc_count = fields.Integer(string="EPCs", readonly=True)
    batch_id = fields.Many2one(
        "stock.asset.scan.batch", readonly=True, check_company=True
    )
    message = fields.Text(
        readonly=True,
        help="Why the event was refused (malformed, out of bounds, an unmapped "
        "read point) or could not be applied, or what declared it erroneous.",
    )

    _sql_constraints = [
        (
            "key_uniq",
            "unique(repository_id, event_key, kind)",
            "An event is recorded once per repository.",
        ),
    ]

    def init(self):
        # "rejected" became "refused" (refused events no longer hold the bookmark)
        self.env.cr.execute(
            "UPDATE stock_asset_epcis_polled_event SET state = 'refused'"
            " WHERE state = 'rejected'"
        )
