# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""A private Mosquitto on a loopback port, and ``odoo-bin asset-mqtt`` run as a
subprocess with its own log file, for the MQTT consumer tests."""

import getpass
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import odoo
from odoo.tools import config

MOSQUITTO_PATHS = ("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto")
# how long a test waits for what it expects before it fails with the logs
PATIENCE = 180


def mosquitto_binary():
    """The ``mosquitto`` broker (Debian installs it in /usr/sbin), or None."""
    found = shutil.which("mosquitto")
    if found:
        return found
    return next((path for path in MOSQUITTO_PATHS if os.access(path, os.X_OK)), None)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_for(condition, what, logs=()):
    """Poll ``condition`` until it is true; fail with the logs after PATIENCE."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    tails = "\n".join(f"--- {log}:\n{tail(log)}" for log in logs)
    raise AssertionError(f"gave up waiting for {what}\n{tails}")


def tail(path, lines=40):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def terminate(process, timeout):
    """SIGTERM to ``process`` if it runs, SIGKILL if it has not ended after
    ``timeout`` seconds."""
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Mosquitto:
    """Mosquitto on ``127.0.0.1:<port>``, anonymous, persistent in ``folder``."""

    def __init__(self, folder, port=None):
        self.folder = Path(folder)
        self.port = port or free_port()
        self.conf = self.folder / "mosquitto.conf"
        self.log = self.folder / "mosquitto.log"
        self.process = None
        self.conf.write_text(
            "\n".join(
                [
                    f"listener {self.port} 127.0.0.1",
                    "allow_anonymous true",
                    "persistence true",
                    f"persistence_location {self.folder}/",
                    # what readers publish while no consumer is connected is kept
                    "max_queued_messages 100000",
                    f"log_dest file {self.log}",
                    # root drops to 'mosquitto' unless told to stay who it is
                    f"user {getpass.getuser()}",
                    "",
                ]
            )
        )

    @property
    def url(self):
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self):
        self.process = subprocess.Popen(
            [mosquitto_binary(), "-c", str(self.conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(
            lambda: self.process.poll() is not None or port_open(self.port),
            "mosquitto to listen",
            [self.log],
        )
        if self.process.poll() is not None:
            raise AssertionError(f"mosquitto did not start:\n{tail(self.log)}")

    def stop(self):
        terminate(self.process, 10)
        self.process = None

    def publish(self, messages):
        """Publish ``[(topic, payload)]`` at QoS 1 and return once the broker has
        acknowledged every one."""
        from paho.mqtt.client import Client
        from paho.mqtt.enums import CallbackAPIVersion

        client = Client(CallbackAPIVersion.VERSION2, protocol=5)
        client.connect("127.0.0.1", self.port)
        client.loop_start()
        try:
            sent = [client.publish(topic, body, qos=1) for topic, body in messages]
            for info in sent:
                info.wait_for_publish(PATIENCE)
        finally:
            client.disconnect()
            client.loop_stop()


class AssetMqttProcess:
    """``odoo-bin --addons-path=... asset-mqtt`` on the test database."""

    def __init__(self, folder, dbname, url, client_id, *options):
        self.folder = Path(folder)
        self.dbname = dbname
        self.url = url
        self.client_id = client_id
        self.options = list(options)
        self.process = None
        self.runs = 0
        self.log = None

    def command(self):
        odoo_bin = Path(odoo.__file__).resolve().parent.parent / "odoo-bin"
        command = [sys.executable]
        if odoo_bin.is_file():
            command.append(str(odoo_bin))
        else:
            command += ["-c", "import odoo.cli; odoo.cli.main()"]
        command += [f"--addons-path={config['addons_path']}", "asset-mqtt"]
        if config.rcfile and Path(config.rcfile).is_file():
            command += ["-c", config.rcfile]
        for option in ("db_host", "db_port", "db_user"):
            if config.get(option):
                command.append(f"--{option}={config[option]}")
        return [
            *command,
            "-d",
            self.dbname,
            f"--logfile={self.log}",
            "--log-level=info",
            "--mqtt-url",
            self.url,
            "--client-id",
            self.client_id,
            *self.options,
        ]

    def start(self):
        self.runs += 1
        self.log = self.folder / f"{self.client_id}-{self.runs}.log"
        env = dict(os.environ)
        env["PYTHONWARNINGS"] = "ignore"
        if config.get("db_password"):
            env["PGPASSWORD"] = config["db_password"]
        with open(self.folder / f"{self.client_id}-{self.runs}.err", "wb") as err:
            self.process = subprocess.Popen(
                self.command(),
                stdin=subprocess.DEVNULL,
                stdout=err,
                stderr=err,
                env=env,
            )

    def log_text(self):
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def wait_log(self, text, count=1):
        """Wait for ``count`` lines of the consumer's log holding ``text``."""
        return wait_for(
            lambda: self.log_text().count(text) >= count,
            f"{text!r} in the consumer's log",
            [self.log, str(self.log).replace(".log", ".err")],
        )

    def kill(self):
        """SIGKILL: no clean-up of any kind, as a crash or an OOM kill."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self):
        terminate(self.process, 20)
