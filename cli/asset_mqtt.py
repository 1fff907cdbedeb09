# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""``odoo-bin --addons-path=... asset-mqtt -d <db> --mqtt-url mqtt://host:port``

A consumer of the tag reads RFID readers publish to an MQTT broker (README, "MQTT
readers"). It subscribes at QoS 1 with a persistent session (MQTT 5, clean start
off, a stable client id, a session expiry), so the broker keeps what readers send
while no consumer runs. Each message is applied like a POST of its format
(``stock.asset.scan.batch._mqtt_apply``), in groups of up to ``--batch-size``
messages or ``--batch-ms`` milliseconds, and acknowledged once the group's batches
are committed: a consumer killed before that gets the messages again, and their
idempotency keys answer them as duplicates. ``paho-mqtt`` speaks MQTT.
"""

import logging
import optparse
import queue
import signal
import socket
import sys
import threading
import time
from collections import Counter, namedtuple
from pathlib import Path
from urllib.parse import unquote, urlsplit

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.cli import Command
from odoo.modules.registry import Registry
from odoo.service import server
from odoo.tools import config

_logger = logging.getLogger(__name__)

DEFAULT_TOPIC = "assets/+/reads"
DEFAULT_BATCH_SIZE = 100
DEFAULT_BATCH_MS = 200
SESSION_EXPIRY = 7 * 24 * 3600  # seconds the broker keeps the session offline
KEEPALIVE = 30
MAX_BACKOFF = 30  # seconds between two attempts, broker or database
# the database is away, or a concurrent transaction won: the message is retried
TRANSIENT_ERRORS = (psycopg2.OperationalError, psycopg2.InterfaceError)

# topic, payload, message id, QoS, and the connection it came on: a message of an
# earlier connection comes again on the new one, and is only acknowledged there
Message = namedtuple("Message", "topic payload mid qos session")


class UsageError(Exception):
    """A wrong option: the text is for the command line."""


def broker_settings(url, user=None, password=None):
    """``(host, port, tls, user, password)`` of ``mqtt://[user:password@]host:port``
    (``mqtts://`` for TLS); credentials of the URL win over the given ones."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("mqtt", "mqtts", "tcp", "ssl") or not parts.hostname:
        raise UsageError(
            f"--mqtt-url must look like mqtt://[user:password@]host:port, got {url!r}"
        )
    tls = parts.scheme in ("mqtts", "ssl")
    try:
        port = parts.port or (8883 if tls else 1883)
    except ValueError:
        raise UsageError(f"--mqtt-url has no valid port: {url!r}") from None
    if parts.username:
        user = unquote(parts.username)
        password = unquote(parts.password) if parts.password is not None else None
    return parts.hostname, port, tls, user or None, password or None


def device_position(topic_filter):
    """Index of the topic level that names the device: the filter's first ``+``
    (None when it has none, and devices are named by native bodies)."""
    levels = topic_filter.split("/")
    return levels.index("+") if "+" in levels else None


def check_topic(topic_filter):
    levels = topic_filter.split("/")
    if not topic_filter or topic_filter.startswith("$") or "" in levels[:-1]:
        raise UsageError(f"--topic is not a topic filter: {topic_filter!r}")
    for position, level in enumerate(levels):
        if ("+" in level or "#" in level) and len(level) > 1:
            raise UsageError(f"--topic: a wildcard must fill a level: {topic_filter!r}")
        if level == "#" and position != len(levels) - 1:
            raise UsageError(f"--topic: '#' must be the last level: {topic_filter!r}")
    return topic_filter


class Consumer:
    """Subscribe, group, apply, acknowledge; reconnect with back-off."""

    def __init__(self, registry, options):
        from paho.mqtt.client import Client
        from paho.mqtt.enums import CallbackAPIVersion
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        self.registry = registry
        self.topic = options["topic"]
        self.subscription = (
            f"$share/{options['group']}/{self.topic}"
            if options["group"]
            else self.topic
        )
        self.device_at = device_position(self.topic)
        self.batch_size = options["batch_size"]
        self.batch_seconds = options["batch_ms"] / 1000.0
        self.host, self.port = options["host"], options["port"]
        self.where = f"{self.host}:{self.port}"
        self.messages = queue.Queue()
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.session = 0  # the current connection; 0: none yet
        self.connected = False
        self.outage = None  # when the broker went away (one log line per outage)
        self.failure = None  # a reason to stop (subscription refused)

        client = Client(
            CallbackAPIVersion.VERSION2,
            client_id=options["client_id"],
            protocol=5,  # MQTT 5: session expiry, receive maximum
            manual_ack=True,
        )
        if options["user"]:
            client.username_pw_set(options["user"], options["password"])
        if options["tls"]:
            client.tls_set()
        client.reconnect_delay_set(min_delay=1, max_delay=MAX_BACKOFF)
        client.on_connect = self._on_connect
        client.on_connect_fail = self._on_connect_fail
        client.on_disconnect = self._on_disconnect
        client.on_subscribe = self._on_subscribe
        client.on_message = self._on_message
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = SESSION_EXPIRY
        # room for two groups in flight: the broker sends no more unacknowledged
        properties.ReceiveMaximum = min(65535, max(20, 2 * self.batch_size))
        self.connect_properties = properties
        self.client = client

    # paho's network thread ---------------------------------------------------------
    def _on_connect(self, client, userdata, flags, reason_code, properties):
        if reason_code.is_failure:
            self._broker_away(f"connection refused: {reason_code}")
            return
        from paho.mqtt.subscribeoptions import SubscribeOptions

        with self.lock:
            self.session += 1
            self.connected = True
            outage, self.outage = self.outage, None
        if outage is not None:
            _logger.info(
                "MQTT broker %s reachable again after %.0f s (session kept: %s)",
                self.where,
                time.monotonic() - outage,
                flags.session_present,
            )
        else:
            _logger.info(
                "connected to MQTT broker %s (session kept: %s)",
                self.where,
                flags.session_present,
            )
        client.subscribe(self.subscription, options=SubscribeOptions(qos=1))

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties):
        refused = [code for code in reason_codes if code.is_failure]
        if refused:
            self.failure = f"the broker refused the subscription to {self.subscription}"
            _logger.error("%s: %s", self.failure, refused[0])
            self.stopping.set()
        else:
            _logger.info("subscribed to %s (QoS 1)", self.subscription)

    def _on_connect_fail(self, client, userdata):
        self._broker_away("unreachable")

    def _on_disconnect(self, client, userdata, flags, reason_code, properties):
        with self.lock:
            self.connected = False
        if not self.stopping.is_set():
            self._broker_away(f"connection lost: {reason_code}")

    def _broker_away(self, why):
        with self.lock:
            first = self.outage is None
            if first:
                self.outage = time.monotonic()
        if first:
            _logger.warning(
                "MQTT broker %s %s; retrying with back-off (up to %s s); "
                "unacknowledged messages will come again",
                self.where,
                why,
                MAX_BACKOFF,
            )

    def _on_message(self, client, userdata, message):
        self.messages.put(
            Message(
                message.topic, message.payload, message.mid, message.qos, self.session
            )
        )

    # main thread -------------------------------------------------------------------
    def run(self):
        self.client.connect_async(
            self.host,
            self.port,
            keepalive=KEEPALIVE,
            clean_start=False,
            properties=self.connect_properties,
        )
        self.client.loop_start()
        try:
            while not self.stopping.is_set():
                group = self._next_group()
                if group:
                    self._apply(group)
        finally:
            self.client.disconnect()
            self.client.loop_stop()
            _logger.info("asset-mqtt stopped")
        return 1 if self.failure else 0

    def stop(self, *_args):
        self.stopping.set()

    def _next_group(self):
        """Up to ``batch_size`` messages, waiting at most ``batch_ms`` after the
        first one."""
        try:
            group = [self.messages.get(timeout=0.5)]
        except queue.Empty:
            return []
        deadline = time.monotonic() + self.batch_seconds
        while len(group) < self.batch_size:
            remaining = deadline - time.monotonic()
            try:
                if remaining > 0:
                    group.append(self.messages.get(timeout=remaining))
                else:
                    group.append(self.messages.get_nowait())
            except queue.Empty:
                break
        return group

    def _device(self, topic):
        if self.device_at is None:
            return None
        levels = topic.split("/")
        return levels[self.device_at] if self.device_at < len(levels) else None

    def _apply(self, group):
        """Apply the messages of the current connection, retrying while the
        database is away or busy; then acknowledge them."""
        todo = list(group)
        done = []
        outcomes = Counter()
        delay, away = 1, None
        started = time.monotonic()
        while todo and not self.stopping.is_set():
            try:
                self.registry = self.registry.check_signaling()
                with self.registry.manage_changes(), self.registry.cursor() as cr:
                    batches = api.Environment(cr, SUPERUSER_ID, {})[
                        "stock.asset.scan.batch"
                    ]
                    while todo:
                        message = todo[0]
                        if message.session == self.session:
                            outcome, batch_id = batches._mqtt_apply(
                                message.topic,
                                self._device(message.topic),
                                message.payload,
                            )
                            outcomes[outcome] += 1
                            done.append(message)
                            _logger.debug("%s: %s %s", message.topic, outcome, batch_id)
                        # else: a message of a lost connection, which comes again
                        todo.pop(0)
            except TRANSIENT_ERRORS as error:
                if away is None:
                    away = time.monotonic()
                    _logger.warning(
                        "database unavailable or busy (%s); retrying with back-off, "
                        "the messages stay unacknowledged",
                        type(error).__name__,
                    )
                self.stopping.wait(delay)
                delay = min(delay * 2, MAX_BACKOFF)
        if away is not None and not todo:
            _logger.info(
                "database available again after %.0f s", time.monotonic() - away
            )
        self._acknowledge(done)
        if done:
            _logger.info(
                "%s message(s) applied in %.2f s: %s",
                len(done),
                time.monotonic() - started,
                ", ".join(
                    f"{count} {name}" for name, count in sorted(outcomes.items())
                ),
            )

    def _acknowledge(self, messages):
        """PUBACK each message whose batch is committed, on the connection it came
        on; one of a lost connection comes again and is answered as a duplicate."""
        for message in messages:
            if message.qos and message.session == self.session and self.connected:
                self.client.ack(message.mid, message.qos)


class AssetMqtt(Command):
    """Apply the tag reads RFID readers publish to an MQTT broker"""

    name = "asset-mqtt"

    def run(self, cmdargs):
        parser = config.parser
        parser.prog = f"{Path(sys.argv[0]).name} {self.name}"
        group = optparse.OptionGroup(
            parser,
            "MQTT readers",
            "Subscribe to the topic readers publish their tag reads on and apply "
            "them to the database given by -d. The broker's user and password come "
            "from the URL, else from the asset_mqtt_user / asset_mqtt_password "
            "keys of the configuration file.",
        )
        group.add_option(
            "--mqtt-url",
            dest="mqtt_url",
            metavar="URL",
            help="mqtt://[user:password@]host:port (mqtts:// for TLS); default: the "
            "asset_mqtt_url key of the configuration file",
        )
        group.add_option(
            "--topic",
            dest="mqtt_topic",
            default=DEFAULT_TOPIC,
            metavar="TOPIC",
            help="topic filter; its '+' level is the device name "
            "(default: %default)",
        )
        group.add_option(
            "--group",
            dest="mqtt_group",
            metavar="NAME",
            help="share the topic with the other consumers of this group "
            "($share/NAME/topic): each message goes to one of them",
        )
        group.add_option(
            "--client-id",
            dest="mqtt_client_id",
            metavar="ID",
            help="MQTT client id, the name of the persistent session: stable, and "
            "one per consumer (default: odoo-asset-mqtt-<database>[-<group>-<host>])",
        )
        group.add_option(
            "--batch-size",
            dest="mqtt_batch_size",
            type="int",
            default=DEFAULT_BATCH_SIZE,
            metavar="N",
            help="apply and acknowledge up to N messages at a time (default: %default)",
        )
        group.add_option(
            "--batch-ms",
            dest="mqtt_batch_ms",
            type="int",
            default=DEFAULT_BATCH_MS,
            metavar="T",
            help="wait at most T ms for a group to fill (default: %default)",
        )
        parser.add_option_group(group)
        opt = config.parse_config(cmdargs, setup_logging=True)
        try:
            options = self._options(opt)
        except UsageError as error:
            sys.exit(f"{parser.prog}: {error}")
        try:
            import paho.mqtt.client  # noqa: F401
        except ImportError:
            sys.exit(
                f"{parser.prog}: paho-mqtt is not installed (pip install paho-mqtt)"
            )
        sys.exit(self._serve(options))

    def _options(self, opt):
        dbname = config["db_name"]
        if not dbname or "," in dbname:
            raise UsageError("give the one database to apply the reads to with -d")
        host, port, tls, user, password = broker_settings(
            opt.mqtt_url or config.get("asset_mqtt_url"),
            config.get("asset_mqtt_user"),
            config.get("asset_mqtt_password"),
        )
        if opt.mqtt_batch_size < 1 or opt.mqtt_batch_ms < 0:
            raise UsageError("--batch-size must be 1 or more, --batch-ms 0 or more")
        group = opt.mqtt_group
        if group is not None and (not group or any(char in group for char in "/+#")):
            raise UsageError(f"--group must be a name without / + #, got {group!r}")
        client_id = opt.mqtt_client_id or "-".join(
            [
                "odoo-asset-mqtt",
                dbname,
                *([group, socket.gethostname()] if group else []),
            ]
        )
        return {
            "db": dbname,
            "host": host,
            "port": port,
            "tls": tls,
            "user": user,
            "password": password,
            "topic": check_topic(opt.mqtt_topic),
            "group": group,
            "client_id": client_id,
            "batch_size": opt.mqtt_batch_size,
            "batch_ms": opt.mqtt_batch_ms,
        }

    def _serve(self, options):
        server.load_server_wide_modules()
        registry = Registry(options["db"])
        if "stock.asset.scan.batch" not in registry:
            _logger.error(
                "stock_asset_tracking is not installed in database %s", options["db"]
            )
            return 1
        consumer = Consumer(registry, options)
        signal.signal(signal.SIGTERM, consumer.stop)
        signal.signal(signal.SIGINT, consumer.stop)
        _logger.info(
            "asset-mqtt: applying %s of %s:%s to database %s as client %s "
            "(groups of %s messages or %s ms)",
            consumer.subscription,
            options["host"],
            options["port"],
            options["db"],
            options["client_id"],
            options["batch_size"],
            options["batch_ms"],
        )
        return consumer.run()
