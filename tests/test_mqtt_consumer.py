# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""``odoo-bin asset-mqtt`` against a real Mosquitto, run as a subprocess.

The consumer is a process of its own, with its own log file (its WARNING lines
about a broker outage belong there, not in the test log), its own registry and its
own database connections: it only sees committed data, and a SIGKILL must be a
real one. A test thread in this process could neither be killed nor see past the
test transaction. So the fixtures are committed through a cursor of their own and
deleted at the end of each test, and every check reads through a fresh cursor.
"""

import hashlib
import json
import tempfile
import unittest
import uuid
from collections import namedtuple
from datetime import datetime, timedelta, timezone

from odoo import SUPERUSER_ID, api, sql_db
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from .mqtt_common import AssetMqttProcess, Mosquitto, mosquitto_binary, wait_for
from .scan_common import ScanApiCommon, data_file, giai96, vendor_batch_id

try:
    import paho.mqtt
except ImportError:
    paho = None

Asset = namedtuple("Asset", "id code epc")


@tagged("post_install", "-at_install")
class TestMqttConsumer(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not mosquitto_binary():
            raise unittest.SkipTest(
                "the mosquitto broker is not installed (apt-get install mosquitto)"
            )
        if paho is None:
            raise unittest.SkipTest("paho-mqtt is not installed (requirements.txt)")

    def setUp(self):
        super().setUp()
        self.folder = tempfile.TemporaryDirectory(prefix="sat-mqtt-")
        self.addCleanup(self.folder.cleanup)
        self.tag = uuid.uuid4().hex[:8]
        self.device_name = f"mqtt-reader-{self.tag}"
        self.topic = f"assets/{self.device_name}/reads"
        self._commit_fixtures()
        self.broker = Mosquitto(self.folder.name)
        self.addCleanup(self.broker.stop)
        self.now = datetime.now(timezone.utc).replace(microsecond=0)

    # fixtures, committed for the consumer's process ---------------------------------
    def _commit_fixtures(self):
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.ref("base.main_company")
            stock = env.ref("stock.warehouse0").lot_stock_id
            shelf, dock = env["stock.location"].create(
                [
                    {"name": f"MQTT {name} {self.tag}", "location_id": stock.id}
                    for name in ("Shelf", "Dock")
                ]
            )
            # its reads are applied with its API User's rights and companies
            reader = new_test_user(
                env,
                login=f"mqtt-user-{self.tag}",
                groups="base.group_user,stock_asset_tracking.group_asset_device",
                company_id=company.id,
            )
            # a handheld RFID reader: each read is applied as it comes (the rules
            # of fixed readers are tested on their own)
            device = env["stock.asset.device"].create(
                {
                    "name": self.device_name,
                    "device_type": "mobile_rfid",
                    "company_id": company.id,
                    "location_id": shelf.id,
                    "user_id": reader.id,
                    "antenna_ids": [(0, 0, {"antenna": 2, "location_id": dock.id})],
                }
            )
            self.reader_id = reader.id
            # a device nobody gave an API User
            self.no_user_device_id = (
                env["stock.asset.device"]
                .create(
                    {
                        "name": f"{self.device_name}-nouser",
                        "device_type": "mobile_rfid",
                        "company_id": company.id,
                        "location_id": shelf.id,
                    }
                )
                .id
            )
            assets = env["stock.asset"].create(
                [
                    {
                        "name": f"MQTT asset {n}",
                        "code": f"MQ-{self.tag}-{n:03d}",
                        "epc": giai96(int(self.tag, 16) % 10**9 * 100 + n),
                        "company_id": company.id,
                        "location_id": stock.id,
                    }
                    for n in range(20)
                ]
            )
            # plain values: the records' cache goes with the cursor
            self.shelf_id, self.dock_id, self.device_id = shelf.id, dock.id, device.id
            self.stock_id = stock.id
            self.assets = [Asset(a.id, a.code, a.epc) for a in assets]
        self.addCleanup(
            self._delete_fixtures,
            [self.shelf_id, self.dock_id],
            self.device_id,
            [asset.id for asset in self.assets],
        )

    def _delete_fixtures(self, location_ids, device_id, asset_ids):
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["stock.asset.scan.batch"].search(
                [
                    "|",
                    ("device_id", "=", device_id),
                    ("name", "=like", f"mqtt:%{self.tag}%"),
                ]
            ).unlink()
            env["stock.asset"].browse(asset_ids).unlink()
            device_ids = [device_id, self.no_user_device_id]
            env["stock.asset.device"].browse(device_ids).unlink()
            env["stock.location"].browse(location_ids).unlink()
            # a user who wrote records is archived, not deleted (Odoo's own rule)
            env["res.users"].browse(self.reader_id).active = False

    # reading what the consumer committed ---------------------------------------------
    def _read(self, query, params):
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall()

    def _batches(self):
        """``{name: (state, source, read_count, observations, error, topic)}``
        of the batches of the test's device and of its refused messages."""
        rows = self._read(
            """
            SELECT b.name, b.state, b.source, b.read_count,
                   (SELECT count(*) FROM stock_asset_observation o
                     WHERE o.batch_id = b.id),
                   b.error, b.mqtt_topic
              FROM stock_asset_scan_batch b
             WHERE b.device_id = %s OR b.name LIKE %s
            """,
            [self.device_id, f"mqtt:%{self.tag}%"],
        )
        return {row[0]: row[1:] for row in rows}

    def _locations(self):
        rows = self._read(
            "SELECT id, location_id FROM stock_asset WHERE id IN %s",
            [tuple(asset.id for asset in self.assets)],
        )
        return dict(rows)

    def _consumer(self, *options, name="sat-test"):
        consumer = AssetMqttProcess(
            self.folder.name,
            self.env.cr.dbname,
            self.broker.url,
            f"{name}-{self.tag}",
            "--batch-ms",
            "50",
            *options,
        )
        self.addCleanup(consumer.stop)
        return consumer

    def _read_at(self, minutes):
        return (
            (self.now - timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")
        )

    def _native(self, batch_id, asset, minutes=5):
        return json.dumps(
            {
                "batch_id": batch_id,
                "reads": [{"code": asset.code, "timestamp": self._read_at(minutes)}],
            }
        ).encode()

    def _settled(self, count, consumer):
        """The batches, once there are ``count`` of them, each done or failed."""

        def settled():
            batches = self._batches()
            finished = all(row[0] in ("done", "failed") for row in batches.values())
            return len(batches) >= count and finished and batches

        return wait_for(settled, f"{count} batches done or failed", [consumer.log])

    # tests ------------------------------------------------------------------------
    def test_native_zebra_impinj_messages_applied(self):
        a0, a1, a2 = self.assets[:3]
        native = self._native(f"native-{self.tag}", a0)
        zebra = json.dumps(
            {
                "data": {"idHex": a1.epc.lower(), "antenna": 2, "peakRssi": -52},
                "timestamp": self._read_at(4).replace("Z", "+0000"),
                "type": "SIMPLE",
            }
        ).encode()
        impinj = json.dumps(
            {
                "timestamp": self._read_at(3),
                "hostname": "impinj-14-2b-c9",
                "eventType": "tagInventory",
                "tagInventoryEvent": {
                    "epcHex": a2.epc,
                    "antennaPort": 1,
                    "peakRssiCdbm": -6150,
                },
            }
        ).encode()
        self.broker.start()
        consumer = self._consumer()
        consumer.start()
        consumer.wait_log("subscribed to")
        self.broker.publish([(self.topic, body) for body in (native, zebra, impinj)])
        zebra_id = vendor_batch_id("zebra", self.device_name, zebra)
        impinj_id = vendor_batch_id("impinj", self.device_name, impinj)
        expected = {
            f"native-{self.tag}": ("done", "native", 1, 1, None, None),
            zebra_id: ("done", "zebra", 1, 1, None, None),
            impinj_id: ("done", "impinj", 1, 1, None, None),
        }
        self.assertEqual(self._settled(3, consumer), expected)
        locations = self._locations()
        self.assertEqual(
            [locations[a0.id], locations[a1.id], locations[a2.id]],
            [self.shelf_id, self.dock_id, self.shelf_id],
            "native: the device's location; Zebra antenna 2: the dock; Impinj "
            "antenna 1 (no location of its own): the device's location",
        )
        # the same Zebra message again (a reader's retry): answered as a duplicate,
        # nothing stored twice
        self.broker.publish([(self.topic, zebra)])
        consumer.wait_log("1 duplicate")
        self.assertEqual(self._batches(), expected)

    def test_bad_messages_kept_failed_and_topic_goes_on(self):
        ghost_topic = f"assets/ghost-{self.tag}/reads"
        not_json = b"tag 3474257BF40000000000162E seen"
        ghost = self._native(f"ghost-{self.tag}", self.assets[0])
        unknown_format = b'{"hello": "world"}'
        no_user_topic = f"assets/{self.device_name}-nouser/reads"
        no_user = self._native(f"nouser-{self.tag}", self.assets[3])
        good = self._native(f"after-{self.tag}", self.assets[1])
        self.broker.start()
        consumer = self._consumer()
        consumer.start()
        consumer.wait_log("subscribed to")
        self.broker.publish(
            [
                (self.topic, not_json),
                (ghost_topic, ghost),
                (self.topic, unknown_format),
                (no_user_topic, no_user),
                (self.topic, good),
            ]
        )

        def refused(topic_device, body):
            return f"mqtt:{topic_device}:{hashlib.sha256(body).hexdigest()[:32]}"

        expected = {
            refused(self.device_name, not_json): (
                "failed",
                "native",
                0,
                0,
                "invalid JSON at line 1 column 1",
                self.topic,
            ),
            refused(f"ghost-{self.tag}", ghost): (
                "failed",
                "native",
                0,
                0,
                f"unknown or inactive device ghost-{self.tag}",
                ghost_topic,
            ),
            refused(self.device_name, unknown_format): (
                "failed",
                "native",
                0,
                0,
                "the message is neither a native batch, a Zebra IoT Connector "
                "event nor an Impinj IoT interface event",
                self.topic,
            ),
            refused(f"{self.device_name}-nouser", no_user): (
                "failed",
                "native",
                0,
                0,
                f"device {self.device_name}-nouser has no API User: set one on the "
                "device (a Scanning Device user of its company) to apply its MQTT "
                "reads with that user's rights",
                no_user_topic,
            ),
            f"after-{self.tag}": ("done", "native", 1, 1, None, None),
        }
        self.assertEqual(self._settled(5, consumer), expected)
        self.assertEqual(self._locations()[self.assets[1].id], self.shelf_id)
        self.assertEqual(
            self._locations()[self.assets[3].id],
            self.stock_id,
            "a device without API User moves nothing",
        )
        # acknowledged: a consumer started again on the same session gets none of
        # them again (the good message after them proves the order went on)
        consumer.stop()
        consumer.start()
        consumer.wait_log("subscribed to")
        marker = self._native(f"marker-{self.tag}", self.assets[2])
        self.broker.publish([(self.topic, marker)])
        consumer.wait_log("message(s) applied")
        log = consumer.log_text()
        self.assertIn("1 message(s) applied in", log)
        self.assertNotIn("duplicate", log)
        self.assertEqual(
            self._settled(6, consumer)[f"marker-{self.tag}"],
            ("done", "native", 1, 1, None, None),
        )
        self.assertEqual(len(self._batches()), 6)

    def test_sigkill_mid_stream_then_restart_exactly_once(self):
        # 200 messages, 10 per asset, each read later than the one before
        messages = [
            (
                self.topic,
                self._native(
                    f"stream-{self.tag}-{n:03d}", self.assets[n % 20], 60 - n * 0.25
                ),
            )
            for n in range(200)
        ]
        self.broker.start()
        consumer = self._consumer("--batch-size", "25", "--batch-ms", "500")
        consumer.start()
        consumer.wait_log("subscribed to")
        self.broker.publish(messages)
        wait_for(
            lambda: len(self._batches()) >= 30, "the stream under way", [consumer.log]
        )
        consumer.kill()
        applied_before = len(self._batches())
        self.assertLess(applied_before, 200, "killed in the middle of the stream")
        consumer.start()
        self.assertEqual(
            self._settled(200, consumer),
            {
                f"stream-{self.tag}-{n:03d}": ("done", "native", 1, 1, None, None)
                for n in range(200)
            },
            "every message applied once: one batch, one observation each",
        )
        self.assertEqual(
            set(self._locations().values()),
            {self.shelf_id},
            "every asset at the reader's location",
        )

    def test_group_shares_the_topic(self):
        self.broker.start()
        consumers = [
            self._consumer("--group", f"odoo-{self.tag}", name=name)
            for name in ("first", "second")
        ]
        for consumer in consumers:
            consumer.start()
        for consumer in consumers:
            consumer.wait_log(f"subscribed to $share/odoo-{self.tag}/assets/+/reads")
        self.broker.publish(
            [
                (self.topic, self._native(f"shared-{self.tag}-{n:02d}", asset, 30 - n))
                for n, asset in enumerate(self.assets)
            ]
        )
        self.assertEqual(
            self._settled(20, consumers[0]),
            {
                f"shared-{self.tag}-{n:02d}": ("done", "native", 1, 1, None, None)
                for n in range(20)
            },
            "each message applied once, by one of the consumers",
        )
        for consumer in consumers:
            consumer.wait_log("message(s) applied")

    def test_broker_down_at_start_then_up(self):
        consumer = self._consumer()
        consumer.start()
        consumer.wait_log("unreachable")
        self.broker.start()
        consumer.wait_log("subscribed to")
        self.broker.publish(
            [(self.topic, self._native(f"late-{self.tag}", self.assets[4]))]
        )
        self.assertEqual(
            self._settled(1, consumer),
            {f"late-{self.tag}": ("done", "native", 1, 1, None, None)},
        )
        self.assertEqual(self._locations()[self.assets[4].id], self.shelf_id)
        log = consumer.log_text()
        self.assertEqual(log.count("unreachable"), 1, "one line for the outage")
        self.assertIn("reachable again", log)


@tagged("post_install", "-at_install")
class TestMqttMessages(ScanApiCommon):
    """What the consumer does with one message (``_mqtt_apply``), in process: the
    format found from the payload, and the same batch a POST makes of it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # MQTT reads are applied with the device's API User (the key's user here)
        cls.device.user_id = cls.reader_user

    def apply(self, body, device="reader-7"):
        return self.env["stock.asset.scan.batch"]._mqtt_apply(
            f"assets/{device}/reads", device, body
        )

    def batch(self, name):
        return self.env["stock.asset.scan.batch"].search([("name", "=", name)])

    def test_vendor_streams_detected_and_same_batch_as_http(self):
        zebra = data_file("zebra_iotc_fx9600_stream.ndjson")
        speedway = data_file("impinj_speedway_connect.ndjson")
        zebra_id = vendor_batch_id("zebra", "reader-7", zebra)
        speedway_id = vendor_batch_id("impinj", "reader-7", speedway)
        self.assertEqual(self.apply(zebra), ("applied", zebra_id))
        self.assertEqual(self.apply(speedway), ("applied", speedway_id))
        self.assertRecordValues(
            self.batch(zebra_id) | self.batch(speedway_id),
            [
                {"source": "zebra", "state": "done", "device_id": self.device.id},
                {"source": "impinj", "state": "done", "device_id": self.device.id},
            ],
        )
        # the same body posted to the HTTP route is the same batch: a duplicate
        status, answer, _response = self.post(
            "/readers/reader-7/zebra", zebra, content_type="application/x-ndjson"
        )
        self.assertEqual(
            (status, answer["batch_id"], answer["duplicate"]), (200, zebra_id, True)
        )
        self.assertEqual(self.apply(zebra), ("duplicate", zebra_id))

    def test_heartbeat_stores_nothing(self):
        heartbeat = (
            b'{"type": "HEARTBEAT", "timestamp": "2026-11-24T10:00:00Z", "data": {}}'
        )
        outcome, batch_id = self.apply(heartbeat)
        self.assertEqual(outcome, "empty")
        self.assertFalse(self.batch(batch_id))

    def test_native_body_of_another_device_refused_once(self):
        body = json.dumps(
            {
                "batch_id": "other-device-1",
                "device": "reader-9",
                "reads": [{"code": self.assets[0].code}],
            }
        ).encode()
        name = f"mqtt:reader-7:{hashlib.sha256(body).hexdigest()[:32]}"
        self.assertEqual(self.apply(body), ("refused", name))
        self.assertEqual(self.apply(body), ("duplicate", name))
        batch = self.batch(name)
        self.assertRecordValues(
            batch,
            [
                {
                    "state": "failed",
                    "source": "native",
                    "device_id": self.device.id,
                    "company_id": self.company_a.id,
                    "mqtt_topic": "assets/reader-7/reads",
                    "error": "the body names device reader-9 but was published on "
                    "the topic of device reader-7",
                    "payload": body.decode(),
                }
            ],
        )
        self.assertFalse(self.batch("other-device-1"))
        with self.assertRaisesRegex(UserError, "refused on receipt"):
            batch.action_retry()
        self.assertEqual(batch.state, "failed")

    def test_native_stream_refused_whole(self):
        first = {"batch_id": "native-1", "reads": [{"code": self.assets[0].code}]}
        second = dict(first, batch_id="native-2")
        body = f"{json.dumps(first)}\n{json.dumps(second)}\n".encode()
        outcome, name = self.apply(body)
        self.assertEqual(outcome, "refused")
        self.assertRecordValues(
            self.batch(name),
            [{"state": "failed", "error": "invalid JSON at line 2 column 1"}],
        )
        self.assertFalse(self.batch("native-1") | self.batch("native-2"))
