# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The fixture of the EPCIS poller's tests: the spyne EPCIS query service of
tests/epcis_soap_server.py on loopback, wrenches it reports and a repository of
company A polling it.

GS1's query WSDL and schemas are read from the shared/epcis folder beside the
repository (or ``$SAT_SHARED_DIR/epcis``); the tests skip without them.
"""

import os
from datetime import datetime
from pathlib import Path

from .common import AssetCommon
from .epcis_soap_server import EpcisLoopbackServer, object_event
from .scan_common import giai96

SHELF = "urn:epc:id:sgln:0614141.00001.0"
PRIVATE_HOSTS_PARAM = "stock_asset_tracking.epcis_allow_private_hosts"


def shared_epcis_folder(needed):
    """``shared/epcis`` holding ``needed`` (a path inside it), or None: in
    ``$SAT_SHARED_DIR`` (set by ``scripts/dev.sh pytest``, which runs a copy),
    else beside the repository (or beside the CI clone)."""
    candidates = []
    if os.environ.get("SAT_SHARED_DIR"):
        candidates.append(Path(os.environ["SAT_SHARED_DIR"]) / "epcis")
    candidates += [
        parent / "shared" / "epcis" for parent in Path(__file__).resolve().parents
    ]
    for candidate in candidates:
        if (candidate / needed).exists():
            return candidate
    return None


def shared_epcis():
    """shared/epcis with GS1's query WSDL, or None."""
    return shared_epcis_folder("WSDL/EPCglobal-epcis-query-2_0.wsdl")


def giai(reference):
    return f"urn:epc:id:giai:0614141.{reference}"


class EpcisPollCommon(AssetCommon):
    """``server`` (reset before each test), ``wrenches`` W-1... (GIAI-96
    1001...) in the stock of company A, and :meth:`_create_repository`."""

    WRENCH_COUNT = 3

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shared = shared_epcis()
        if cls.shared is None:
            return
        cls.server = EpcisLoopbackServer(cls.shared).start()
        cls.addClassCleanup(cls.server.stop)
        # the loopback server is a private address: an administrator allows it
        cls.env["ir.config_parameter"].sudo().set_param(
            PRIVATE_HOSTS_PARAM, "127.0.0.1"
        )
        cls.wrenches = cls.env["stock.asset"].create(
            [
                {
                    "name": f"Wrench {n}",
                    "code": f"W-{n}",
                    "epc": giai96(1000 + n),
                    "company_id": cls.company_a.id,
                    "location_id": cls.stock_a.id,
                }
                for n in range(1, cls.WRENCH_COUNT + 1)
            ]
        )

    @classmethod
    def _create_repository(cls, location_map):
        """The repository "Loopback EPCIS" of company A, created by its manager,
        bookmarked at 2026-11-24 09:00; ``location_map``: EPCIS location ->
        stock location."""
        return (
            cls.env["stock.asset.epcis.repository"]
            .with_user(cls.manager_a)
            .create(
                {
                    "name": "Loopback EPCIS",
                    "company_id": cls.company_a.id,
                    "user_id": cls.user_a.id,
                    "endpoint_url": cls.server.url,
                    "wsdl_url": cls.server.wsdl_url,
                    "timeout": 5,
                    "bookmark": datetime(2026, 11, 24, 9, 0),
                    "location_map_ids": [
                        (0, 0, {"epcis_location": epcis, "location_id": location.id})
                        for epcis, location in location_map.items()
                    ],
                }
            )
        )

    def setUp(self):
        super().setUp()
        if self.shared is None:
            self.skipTest(
                "needs /work/shared/epcis (GS1's EPCIS query WSDL and schemas): "
                "shared/epcis not found in any parent folder of this test file nor "
                "in $SAT_SHARED_DIR"
            )
        self.server.reset()

    def _event(self, reference, recorded, place=SHELF, **kwargs):
        """An ObjectEvent of the GIAI ``reference`` recorded at ``recorded``
        (``...:05Z``), that happened 5 seconds earlier unless ``event_time``."""
        return object_event(
            [giai(reference)],
            event_time=kwargs.pop("event_time", recorded.replace(":05Z", ":00Z")),
            record_time=recorded,
            read_point=place,
            **kwargs,
        )

    def _poll(self, repository=None):
        answer = (repository or self.repository).action_poll_now()
        self.env.invalidate_all()
        return answer

    def assertPollMessage(self, answer, message):
        """``answer`` (of :meth:`_poll`) notifies ``message``."""
        self.assertEqual(answer["params"]["message"], message)

    def assertRowStates(self, states):
        """The rows of :meth:`_rows`, in their order, are ``states`` (event key
        -> state); returns them."""
        rows = self._rows()
        self.assertRecordValues(
            rows, [{"event_key": key, "state": state} for key, state in states.items()]
        )
        return rows

    def assertRepository(self, **values):
        """The repository has ``values``."""
        self.assertRecordValues(self.repository, [values])

    def assertLocations(self, assets, locations):
        """``assets`` are, one by one, at ``locations``."""
        self.assertRecordValues(
            assets, [{"location_id": location.id} for location in locations]
        )

    def _rows(self, repository=None):
        return self.env["stock.asset.epcis.polled.event"].search(
            [("repository_id", "=", (repository or self.repository).id)],
            order="record_time, kind, id",
        )
