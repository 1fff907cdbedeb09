# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Shared plumbing of the benchmarks: the environment of ``scripts/dev.sh``, the
bench database and its data set, batches, an Odoo server on a free port, and the
machine's description.

Not part of the addon: nothing imports this module but the scripts beside it.
"""

import argparse
import configparser
import contextlib
import datetime as dt
import hashlib
import importlib
import importlib.util
import json
import os
import platform
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import psycopg2
import requests

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / ".build"
WORK = BUILD / "bench"
LOGS = WORK / "logs"
ADDON = "stock_asset_tracking"
API = "/api/asset-tracking/v1"
DATASET = "assets=20000;locations=200;antennas=200;v1"
N_ASSETS = 20_000
N_LOCATIONS = 200
USER_LOGIN = "bench_reader"
DEVICE = "bench-reader"
LOCATION_PREFIX = "BENCH-L"
ASSET_PREFIX = "BA-"
COMPANY_PREFIX = "0614141"  # GS1's example company prefix (TDS)
UNKNOWN_BASE = 900_000  # asset references no bench asset has
PG_BIN = Path("/usr/lib/postgresql/15/bin")
KEEP_MARKER = "<!-- analysis: kept across runs -->"


def say(message):
    sys.stderr.write(f"\033[1;34m==>\033[0m {message}\n")
    sys.stderr.flush()


def free_port(start):
    port = start
    while True:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
                return port
            except OSError:
                port += 1


# Environment ------------------------------------------------------------------
class Env:
    """What ``scripts/dev.sh env`` sets up: config, venv, Odoo source, PostgreSQL."""

    def __init__(self, source="worktree"):
        self.conf = BUILD / "odoo.conf"
        self.venv = ROOT / ".venv"
        self.odoo_src = Path(os.environ.get("ODOO_SRC", "/opt/odoo/18.0"))
        if not self._ready():
            say("running scripts/dev.sh env (venv, private PostgreSQL, odoo.conf)")
            out = subprocess.run(
                ["bash", str(ROOT / "scripts/dev.sh"), "env"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            values = dict(
                line.split("=", 1) for line in out.splitlines() if "=" in line
            )
            self.conf = Path(values["CONF"])
            self.venv = Path(values["VENV"])
            self.odoo_src = Path(values["ODOO_SRC"])
        parser = configparser.ConfigParser()
        parser.read(self.conf)
        options = parser["options"]
        self.db_host = options.get("db_host", "127.0.0.1")
        self.db_port = int(options.get("db_port", "5432"))
        self.db_user = options.get("db_user", "odoo")
        self.db_password = options.get("db_password", "")
        self.python = str(self.venv / "bin/python")
        self.odoo_bin = str(self.odoo_src / "odoo-bin")
        LOGS.mkdir(parents=True, exist_ok=True)
        self.addon_dir = ROOT
        self.source = self._source(source, parser)

    def _source(self, source, parser):
        """Which code of the addon Odoo loads: the working tree as it is (other
        engineers' edits included), or a commit exported with ``git archive`` into
        .build/bench/src/<commit> with a config of its own."""
        head = git("rev-parse", "--short=12", "HEAD")
        if source == "worktree":
            dirty = subprocess.run(
                ["git", "--no-optional-locks", "diff", "--quiet", "HEAD", "--", "."],
                cwd=ROOT,
                check=False,
            ).returncode
            return f"working tree at {head}" + (
                " with uncommitted changes" if dirty else ""
            )
        commit = git("rev-parse", "--short=12", "--verify", f"{source}^{{commit}}")
        base = WORK / "src" / commit
        dest = base / ADDON
        if not dest.exists():
            say(f"exporting commit {commit} of the addon (git archive)")
            dest.mkdir(parents=True)
            archive = subprocess.run(
                ["git", "archive", "--format=tar", commit],
                cwd=ROOT,
                check=True,
                capture_output=True,
            ).stdout
            subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
        options = parser["options"]
        paths = [
            path
            for path in options["addons_path"].split(",")
            if Path(path).resolve() != (BUILD / "addons").resolve()
        ]
        options["addons_path"] = ",".join([*paths, str(base)])
        self.conf = WORK / f"odoo-{commit}.conf"
        with open(self.conf, "w") as handle:
            parser.write(handle)
        self.addon_dir = dest
        return f"commit {commit}"

    def _ready(self):
        """The config exists and its PostgreSQL answers (else dev.sh starts it)."""
        if not self.conf.exists():
            return False
        parser = configparser.ConfigParser()
        parser.read(self.conf)
        options = parser["options"]
        try:
            psycopg2.connect(
                host=options.get("db_host"),
                port=options.get("db_port"),
                user=options.get("db_user"),
                password=options.get("db_password"),
                dbname="postgres",
                connect_timeout=3,
            ).close()
        except psycopg2.OperationalError:
            return False
        return True

    def connect(self, dbname, port=None, autocommit=False, user=None):
        cn = psycopg2.connect(
            host=self.db_host,
            port=port or self.db_port,
            user=user or self.db_user,
            password=self.db_password,
            dbname=dbname,
            application_name="bench",
        )
        cn.autocommit = autocommit
        return cn

    @contextlib.contextmanager
    def cursor(self, dbname, port=None):
        """A cursor whose transaction commits at the end; the connection closes."""
        cn = self.connect(dbname, port=port)
        try:
            with cn, cn.cursor() as cr:
                yield cr
        finally:
            cn.close()

    def db_exists(self, dbname):
        with self.cursor("postgres") as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname])
            return cr.fetchone() is not None

    def odoo_cmd(self, *args):
        return [self.python, self.odoo_bin, "-c", str(self.conf), *args]

    def run_odoo(self, *args, log_name):
        log = LOGS / log_name
        say(f"odoo-bin {' '.join(args)}  (log: {log.relative_to(ROOT)})")
        env = dict(os.environ, PYTHONWARNINGS="ignore::UserWarning")
        with open(log, "w") as handle:
            rc = subprocess.run(
                self.odoo_cmd(*args, "--logfile", str(log)),
                stdout=handle,
                stderr=subprocess.STDOUT,
                env=env,
                check=False,
            ).returncode
        if rc:
            raise SystemExit(f"odoo-bin failed ({rc}); see {log}")


def git(*args):
    return subprocess.run(
        ["git", "--no-optional-locks", *args],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def addon_hash(addon_dir=ROOT):
    """Hash of what an update of the addon would load (code, data, views)."""
    digest = hashlib.sha1()
    for folder in ("models", "controllers", "tools", "data", "security", "views"):
        for path in sorted((addon_dir / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".xml", ".csv"):
                digest.update(path.relative_to(addon_dir).as_posix().encode())
                digest.update(path.read_bytes())
    for name in ("__manifest__.py", "__init__.py"):
        digest.update((addon_dir / name).read_bytes())
    return digest.hexdigest()[:16]


def get_param(env, dbname, key):
    with env.cursor(dbname) as cr:
        cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", [key])
        row = cr.fetchone()
    return row[0] if row else None


def set_param(env, dbname, key, value):
    with env.cursor(dbname) as cr:
        cr.execute(
            """
            INSERT INTO ir_config_parameter
                (key, value, create_uid, write_uid, create_date, write_date)
            VALUES (%s, %s, 1, 1, now() at time zone 'UTC', now() at time zone 'UTC')
            ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
            """,
            [key, value],
        )


# Odoo in the bench process ------------------------------------------------------
_registry = {}


def odoo_registry(env, dbname):
    """The registry of ``dbname`` in this process (for set-up and variant V1)."""
    if dbname in _registry:
        return _registry[dbname]
    warnings.filterwarnings("ignore", "pkg_resources is deprecated")
    # Odoo is heavy: imported only when needed
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(
        ["-c", str(env.conf), "-d", dbname, "--log-level=warn", "--workers=0"]
    )
    odoo.netsvc.init_logger()
    registry = Registry(dbname)
    _registry[dbname] = registry
    return registry


class Run:
    """One transaction on a fresh cursor of ``registry``, rolled back at its end.

    ``env`` is the superuser's with an empty context; a bench's subclass changes
    it or adds what its variants need in ``prepare()``."""

    def __init__(self, registry):
        self.registry = registry

    def __enter__(self):
        from odoo import SUPERUSER_ID, api

        self.cr = self.registry.cursor()
        self.env = api.Environment(self.cr, SUPERUSER_ID, {})
        self.prepare()
        return self

    def prepare(self):
        """What a bench's run sets up in its transaction (nothing here)."""

    def __exit__(self, *exc):
        self.cr.rollback()
        self.cr.close()
        return False


def _addon_tools():
    """The addon's plain-Python ``tools`` package, loaded from this checkout."""
    name = "sat_bench_tools"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name,
            ROOT / "tools" / "__init__.py",
            submodule_search_locations=[str(ROOT / "tools")],
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return importlib.import_module(f"{name}.epc")


def giai96(reference):
    """The GIAI-96 EPC (hex) of asset reference ``reference``."""
    return _addon_tools().encode(
        "giai-96", COMPANY_PREFIX, filter=3, asset_reference=str(reference)
    )


# Database and data set ------------------------------------------------------------
def ensure_addon_database(env, dbname, param):
    """``dbname`` with the addon installed without demo, and updated when the
    measured code (``env.addon_dir``) changed since; ``param`` prefixes the system
    parameter that keeps the code's hash."""
    key = f"{param}.addon_hash"
    wanted = addon_hash(env.addon_dir)
    if not env.db_exists(dbname):
        say(f"creating database {dbname} (addon without demo; a few minutes)")
        env.run_odoo(
            "-d",
            dbname,
            "-i",
            ADDON,
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
            "--max-cron-threads=0",
            log_name=f"install-{dbname}.log",
        )
    elif get_param(env, dbname, key) != wanted:
        say(f"the addon changed since {dbname} was made: updating it")
        env.run_odoo(
            "-d",
            dbname,
            "-u",
            ADDON,
            "--stop-after-init",
            "--log-level=warn",
            "--max-cron-threads=0",
            log_name=f"update-{dbname}.log",
        )
    else:
        return
    set_param(env, dbname, key, wanted)


def ensure_dataset(env, dbname, param, dataset, load):
    """``dbname`` as ``ensure_addon_database`` makes it, with the data set named
    ``dataset`` loaded once by ``load(env, dbname)`` (its name is kept in the system
    parameter ``<param>.dataset``: another name reloads it)."""
    ensure_addon_database(env, dbname, param)
    if get_param(env, dbname, f"{param}.dataset") != dataset:
        load(env, dbname)
        set_param(env, dbname, f"{param}.dataset", dataset)


def open_dataset(args, param, dataset, load):
    """``(env, registry)`` of a bench run: the environment of the measured code
    (``args.source``) and the registry of ``args.db``, made by ``ensure_dataset``."""
    env = Env(args.source)
    ensure_dataset(env, args.db, param, dataset, load)
    return env, odoo_registry(env, args.db)


def ensure_database(env, dbname):
    """The bench database: the addon installed without demo, up to date, loaded.

    Returns the API key of the bench reader user.
    """
    ensure_addon_database(env, dbname, "bench")
    if get_param(env, dbname, "bench.dataset") != DATASET:
        load_dataset(env, dbname)
        set_param(env, dbname, "bench.dataset", DATASET)
    return ensure_api_key(env, dbname)


def open_bench_database(args):
    """``(env, key, ids)`` of a bench on the scan data set: the environment of the
    measured code (``args.source``), the bench reader's API key and the ids of
    ``args.db`` (``bench_ids``), made by ``ensure_database``."""
    env = Env(args.source)
    key = ensure_database(env, args.db)
    return env, key, bench_ids(env, args.db)


def load_dataset(env, dbname):
    """200 locations, a reader user and device (one antenna per location) and
    20,000 assets with GIAI-96 EPCs, created with the ORM in batches."""
    from odoo import SUPERUSER_ID, Command, api

    registry = odoo_registry(env, dbname)
    started = time.perf_counter()
    ctx = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
    with registry.cursor() as cr:
        odoo_env = api.Environment(cr, SUPERUSER_ID, ctx)
        company = odoo_env.ref("base.main_company")
        stock = odoo_env.ref("stock.warehouse0").lot_stock_id
        Location = odoo_env["stock.location"]
        existing = Location.search([("barcode", "=like", f"{LOCATION_PREFIX}%")])
        have = set(existing.mapped("barcode"))
        Location.create(
            [
                {
                    "name": f"Bench {i:03d}",
                    "barcode": location_barcode(i),
                    "location_id": stock.id,
                    "usage": "internal",
                    "company_id": company.id,
                }
                for i in range(N_LOCATIONS)
                if location_barcode(i) not in have
            ]
        )
        locations = location_ids(cr)
        user = ensure_user(
            odoo_env, USER_LOGIN, "Bench RFID reader", "group_asset_device"
        )
        Device = odoo_env["stock.asset.device"]
        # a handheld RFID reader: these benches measure the pipeline where the
        # latest read decides (fixed readers follow the presence rules instead)
        device = Device.search([("name", "=", DEVICE)])
        if device:
            device.device_type = "mobile_rfid"
        else:
            Device.create(
                {
                    "name": DEVICE,
                    "company_id": company.id,
                    "user_id": user.id,
                    "device_type": "mobile_rfid",
                    "location_id": locations[0],
                    "antenna_ids": [
                        Command.create({"antenna": i + 1, "location_id": locations[i]})
                        for i in range(N_LOCATIONS)
                    ],
                }
            )
        create_by_chunks(
            odoo_env["stock.asset"],
            ASSET_PREFIX,
            N_ASSETS,
            lambda i: {
                "name": f"Bench asset {i:05d}",
                "code": asset_code(i),
                "epc": giai96(i + 1),
                "state": "in_use",
                "company_id": company.id,
                "location_id": locations[i % N_LOCATIONS],
            },
        )
        cr.commit()  # pylint: disable=invalid-commit
    say(f"data set loaded in {time.perf_counter() - started:.1f} s")


def ensure_user(odoo_env, login, name, group, **values):
    """The user ``login``, created when missing: an internal user of the main
    company in the addon's group ``group`` (an XML id in the addon), with
    ``values``."""
    from odoo import Command

    Users = odoo_env["res.users"].with_context(no_reset_password=True)
    user = Users.search([("login", "=", login)])
    if not user:
        company = odoo_env.ref("base.main_company")
        user = Users.create(
            {
                "name": name,
                "login": login,
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [
                    Command.set(
                        [
                            odoo_env.ref("base.group_user").id,
                            odoo_env.ref(f"{ADDON}.{group}").id,
                        ]
                    )
                ],
                **values,
            }
        )
    return user


def create_by_chunks(
    Model, prefix, count, values, chunk=2000, label="assets", commit=False
):
    """Create ``values(i)`` for every index ``i`` below ``count`` from the number
    of ``Model``'s records whose code starts with ``prefix`` (an interrupted load
    goes on where it stopped), ``chunk`` records a call, flushed and the cache
    cleared after each (also committed with ``commit``)."""
    odoo_env, cr = Model.env, Model.env.cr
    query = f"SELECT count(*) FROM {Model._table} WHERE code LIKE %s"
    cr.execute(query, [f"{prefix}%"])  # pylint: disable=sql-injection
    for first in range(cr.fetchone()[0], count, chunk):
        last = min(first + chunk, count)
        Model.create([values(i) for i in range(first, last)])
        odoo_env.flush_all()
        odoo_env.invalidate_all()
        if commit:
            cr.commit()  # pylint: disable=invalid-commit
        say(f"  {label}: {last} / {count}")


def ensure_api_key(env, dbname):
    """The bench reader's API key, kept in .build/bench/<db>.key."""
    from odoo import SUPERUSER_ID, api

    path = WORK / f"{dbname}.key"
    registry = odoo_registry(env, dbname)
    with registry.cursor() as cr:
        odoo_env = api.Environment(cr, SUPERUSER_ID, {})
        user = odoo_env["res.users"].search([("login", "=", USER_LOGIN)])
        Keys = odoo_env["res.users.apikeys"]
        if path.exists():
            key = path.read_text().strip()
            if Keys._check_credentials(scope="rpc", key=key) == user.id:
                return key
        key = Keys.with_user(user).sudo()._generate(None, "bench", None)
        cr.commit()  # pylint: disable=invalid-commit
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key


def location_barcode(index):
    return f"{LOCATION_PREFIX}{index:03d}"


def asset_code(index):
    return f"{ASSET_PREFIX}{index:05d}"


def location_ids(cr):
    """Bench location ids, by index (the antenna of index i is i + 1)."""
    cr.execute(
        "SELECT barcode, id FROM stock_location WHERE barcode LIKE %s",
        [f"{LOCATION_PREFIX}%"],
    )
    by_barcode = dict(cr.fetchall())
    return [by_barcode[location_barcode(i)] for i in range(N_LOCATIONS)]


def bench_ids(env, dbname):
    """``{"user", "company", "device", "locations", "assets"}`` of the data set;
    ``assets`` lists ``(id, epc, initial location index)`` by asset index."""
    with env.cursor(dbname) as cr:
        cr.execute(
            "SELECT id, company_id FROM res_users WHERE login = %s", [USER_LOGIN]
        )
        user, company = cr.fetchone()
        cr.execute("SELECT id FROM stock_asset_device WHERE name = %s", [DEVICE])
        device = cr.fetchone()[0]
        locations = location_ids(cr)
        cr.execute(
            "SELECT code, id, epc FROM stock_asset WHERE code LIKE %s",
            [f"{ASSET_PREFIX}%"],
        )
        rows = {code: (asset_id, epc) for code, asset_id, epc in cr.fetchall()}
    assets = []
    for i in range(N_ASSETS):
        asset_id, epc = rows[asset_code(i)]
        assets.append((asset_id, epc, i % N_LOCATIONS))
    return {
        "user": user,
        "company": company,
        "device": device,
        "locations": locations,
        "assets": assets,
    }


def reset_state(env, dbname, vacuum=True):
    """Put the bench assets back where the data set put them, never seen; drop
    batches, observations and the chatter messages the variants wrote."""
    with env.cursor(dbname) as cr:
        cr.execute(
            """
            UPDATE stock_asset a
               SET location_id = l.id, last_seen_date = NULL
              FROM stock_location l
             WHERE a.code LIKE %s
               AND l.barcode = %s || lpad(
                   (substr(a.code, %s)::int %% %s)::text, 3, '0')
            """,
            [
                f"{ASSET_PREFIX}%",
                LOCATION_PREFIX,
                len(ASSET_PREFIX) + 1,
                N_LOCATIONS,
            ],
        )
        cr.execute("DELETE FROM stock_asset_observation")
        cr.execute(
            "DELETE FROM mail_message WHERE model IN %s",
            [("stock.asset", "stock.asset.scan.batch")],
        )
        cr.execute(
            "DELETE FROM mail_followers WHERE res_model = 'stock.asset.scan.batch'"
        )
        cr.execute("DELETE FROM stock_asset_scan_batch")
    if vacuum:
        vacuum_analyze(
            env,
            dbname,
            "stock_asset, stock_asset_observation, stock_asset_scan_batch,"
            " mail_message, mail_tracking_value",
        )


def vacuum_analyze(env, dbname, tables):
    """``VACUUM ANALYZE`` of ``tables`` (comma-separated) in one statement."""
    # not ``with cn``: psycopg2 opens a transaction block there, even in
    # autocommit, and VACUUM refuses to run in one
    cn = env.connect(dbname, autocommit=True)
    try:
        cn.cursor().execute(f"VACUUM ANALYZE {tables}")  # pylint: disable=sql-injection
    finally:
        cn.close()


# Batches --------------------------------------------------------------------------
def iso_z(moment):
    """``2026-11-24T10:00:00.120Z`` (what readers send)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def make_reads(codes, per_code, *, start, span_s, rng, moving=0.95, ordered=False):
    """Reads of ``codes`` (``[(epc, initial location index or None)]``).

    Each code is read ``per_code`` times at distinct milliseconds of
    ``[start, start + span_s)``; its latest read is on the antenna of its target
    location, which differs from its initial one for a ``moving`` share of the
    known codes; most of its other reads are there too (cross-reads elsewhere).
    Returns ``(reads, expected)``: the reads (shuffled, or by time when
    ``ordered``) and ``{epc: (location index, naive UTC datetime)}`` of the
    latest read of each code.
    """
    reads = []
    expected = {}
    span_ms = int(span_s * 1000)
    for epc, initial in codes:
        if initial is not None and rng.random() >= moving:
            target = initial
        else:
            target = rng.randrange(N_LOCATIONS)
            while target == initial:
                target = rng.randrange(N_LOCATIONS)
        offsets = sorted(rng.sample(range(span_ms), per_code))
        for n, offset in enumerate(offsets):
            moment = start + dt.timedelta(milliseconds=offset)
            last = n == per_code - 1
            place = target if last or rng.random() < 0.7 else rng.randrange(200)
            reads.append(
                (
                    moment,
                    {
                        "code": epc,
                        "antenna": place + 1,
                        "rssi": round(rng.uniform(-75.0, -40.0), 1),
                        "timestamp": iso_z(moment),
                    },
                )
            )
            if last:
                expected[epc] = (target, moment.replace(tzinfo=None))
    if ordered:
        reads.sort(key=lambda pair: pair[0])
    else:
        rng.shuffle(reads)
    return [read for _moment, read in reads], expected


def pick_codes(ids, n_known, n_unknown, rng, unknown_offset=0):
    """``[(epc, initial index)]``: ``n_known`` random bench assets and
    ``n_unknown`` well-formed GIAI-96 EPCs that no asset has."""
    known = rng.sample(ids["assets"], n_known)
    codes = [(epc, initial) for _id, epc, initial in known]
    codes += [
        (giai96(UNKNOWN_BASE + unknown_offset + j), None) for j in range(n_unknown)
    ]
    return codes


def batch_body(batch_id, reads):
    return json.dumps(
        {"batch_id": batch_id, "device": DEVICE, "mode": "observe", "reads": reads},
        separators=(",", ":"),
    ).encode()


def check_moves(env, dbname, ids, expected):
    """``(right, wrong)``: known codes whose asset is where and when the latest
    read says."""
    by_epc = {epc: asset_id for asset_id, epc, _initial in ids["assets"]}
    locations = ids["locations"]
    wanted = {
        by_epc[epc]: (locations[index], moment)
        for epc, (index, moment) in expected.items()
        if epc in by_epc
    }
    with env.cursor(dbname) as cr:
        cr.execute(
            "SELECT id, location_id, last_seen_date FROM stock_asset"
            " WHERE id = ANY(%s)",
            [list(wanted)],
        )
        actual = {row[0]: (row[1], row[2]) for row in cr.fetchall()}
    right = sum(1 for key, value in wanted.items() if actual.get(key) == value)
    return right, len(wanted) - right


# Odoo server ------------------------------------------------------------------------
class OdooServer:
    """``odoo-bin`` serving one database on a free port, stopped on exit."""

    def __init__(self, env, dbname, *, workers, port=None, extra=(), name="server"):
        self.env = env
        self.dbname = dbname
        self.port = port or free_port(18169)
        self.gevent_port = free_port(self.port + 1)
        self.log = LOGS / f"{name}-{self.port}.log"
        # Odoo appends to its log file: a run counts only its own lines
        self.log.unlink(missing_ok=True)
        # ``-d`` without ``--db-filter``: Odoo then takes the database from its
        # configuration; a dbfilter makes it list the databases, over a new
        # connection to ``postgres``, for every request without a session cookie
        # (every API key request), about 7 ms each (README, deployment notes)
        self.args = [
            "-d",
            dbname,
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            f"--gevent-port={self.gevent_port}",
            f"--workers={workers}",
            "--max-cron-threads=0",
            "--limit-time-real=600",
            "--limit-time-cpu=600",
            f"--limit-memory-soft={6 * 1024**3}",
            f"--limit-memory-hard={8 * 1024**3}",
            "--limit-request=1000000",
            "--log-level=info",
            f"--logfile={self.log}",
            *extra,
        ]
        self.proc = None
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        say(f"starting Odoo on :{self.port} ({' '.join(self.args[4:7])})")
        env = dict(os.environ, PYTHONWARNINGS="ignore::UserWarning")
        self.proc = subprocess.Popen(
            self.env.odoo_cmd(*self.args),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(
                    f"Odoo exited ({self.proc.returncode}); see {self.log}"
                )
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.url}/web/health", timeout=2).ok:
                    return self
            time.sleep(0.5)
        self.stop()
        raise SystemExit(f"Odoo did not answer on :{self.port}; see {self.log}")

    def worker_pids(self):
        """PIDs of the HTTP workers (children of the prefork master, not gevent)."""
        import psutil

        pids = []
        for child in psutil.Process(self.proc.pid).children():
            # the gevent server is `odoo-bin gevent ...`; HTTP workers are forks
            if "gevent" not in child.cmdline():
                pids.append(child.pid)
        return pids

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        say(f"Odoo on :{self.port} stopped")

    def log_problems(self):
        """WARNING/ERROR/CRITICAL lines of the server log (minus the root notice)."""
        if not self.log.exists():
            return []
        lines = []
        for line in self.log.read_text(errors="replace").splitlines():
            if re.search(r" (WARNING|ERROR|CRITICAL) ", line) and "as root" not in line:
                lines.append(line)
        return lines


class Client:
    """HTTP client of the scan API with the bench reader's key."""

    def __init__(self, base_url, key):
        self.base_url = base_url
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {key}"

    def post_batch(self, body, timeout=900):
        return self.session.post(
            f"{self.base_url}{API}/batches",
            data=body,
            headers={"Content-Type": "application/json"},
            timeout=timeout,
        )

    def lookup(self, code, timeout=60):
        return self.session.get(
            f"{self.base_url}{API}/lookup", params={"code": code}, timeout=timeout
        )


# Other load on the machine ----------------------------------------------------------
class CpuWatch:
    """CPU that processes other than this benchmark used during a phase.

    Ours: this process, its descendants (Odoo, py-spy, PostgreSQL tools), and the
    PostgreSQL backends of our databases (their title names the database). On a
    shared 2-core machine, anything else (another engineer's test run) competes
    with what is measured: the reports say how much.
    """

    def __init__(self, dbnames):
        self.dbnames = tuple(dbnames)
        self.start_times = {}
        self.start_ours = {}
        self.started = 0.0

    def _snapshot(self):
        """``(foreign, ours)``: CPU seconds by pid of the others and of ours."""
        import psutil

        me = psutil.Process()
        tree = {me.pid} | {child.pid for child in me.children(recursive=True)}
        foreign, ours = {}, {}
        for proc in psutil.process_iter(["pid", "cmdline", "cpu_times"]):
            info = proc.info
            if info["cpu_times"] is None:
                continue
            used = info["cpu_times"].user + info["cpu_times"].system
            title = " ".join(info["cmdline"] or ())
            if info["pid"] in tree or any(name in title for name in self.dbnames):
                ours[info["pid"]] = used
            else:
                foreign[info["pid"]] = used
        return foreign, ours

    def _foreign(self):
        return self._snapshot()[0]

    def start(self):
        self.start_times, self.start_ours = self._snapshot()
        self.started = time.monotonic()
        return self

    @staticmethod
    def _delta(before, after):
        return sum(
            value - before.get(pid, 0.0)
            for pid, value in after.items()
            if value >= before.get(pid, 0.0)
        )

    def share(self):
        """Foreign CPU since start, in % of the whole machine."""
        elapsed = time.monotonic() - self.started
        used = self._delta(self.start_times, self._foreign())
        return 100.0 * used / (elapsed * (os.cpu_count() or 1)) if elapsed else 0.0

    def both(self):
        """``(foreign share %, our CPU seconds)`` since start: ours is this
        process and its children (Odoo workers, clients) plus the PostgreSQL
        backends of our databases that are still connected."""
        elapsed = time.monotonic() - self.started
        foreign, ours = self._snapshot()
        share = 100.0 * self._delta(self.start_times, foreign)
        share /= (elapsed * (os.cpu_count() or 1)) or 1.0
        return share, self._delta(self.start_ours, ours)


def wait_quiet(dbnames, threshold=10.0, timeout=300.0):
    """Wait (up to ``timeout``) until other processes use less than ``threshold``
    % of the machine over 3 s; returns the last share seen."""
    deadline = time.monotonic() + timeout
    while True:
        watch = CpuWatch(dbnames).start()
        time.sleep(3)
        share = watch.share()
        if share < threshold or time.monotonic() > deadline:
            return share
        say(f"  other processes use {share:.0f} % of the machine: waiting")


# Reporting ------------------------------------------------------------------------
def percentile(values, share):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = share * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def medians(figures):
    """``{key: median}`` of the lists of numbers (timings) in ``figures``; the
    other values (single figures, counts, notes) are left out."""
    return {
        key: statistics.median(values)
        for key, values in figures.items()
        if isinstance(values, list) and values and isinstance(values[0], int | float)
    }


def machine(env, dbname):
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            mem_kb = int(line.split()[1])
    with env.cursor(dbname) as cr:
        cr.execute("SHOW server_version")
        pg_version = cr.fetchone()[0]
        settings = {}
        for name in (
            "fsync",
            "synchronous_commit",
            "shared_buffers",
            "full_page_writes",
            "wal_level",
            "random_page_cost",
        ):
            cr.execute(f"SHOW {name}")  # pylint: disable=sql-injection
            settings[name] = cr.fetchone()[0]
    import odoo.release

    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem_kb / 1024**2, 1),
        "postgresql": pg_version,
        "pg_settings": settings,
        "python": platform.python_version(),
        "odoo": odoo.release.version,
        "os": platform.platform(),
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def machine_lines(info):
    settings = ", ".join(f"{k}={v}" for k, v in info["pg_settings"].items())
    return [
        f"- Machine: {info['cores']} cores ({info['cpu']}), {info['ram_gib']} GiB RAM,"
        f" {info['os']}",
        f"- PostgreSQL {info['postgresql']} (the private cluster of scripts/dev.sh,"
        f" on loopback: {settings})",
        f"- Python {info['python']}, Odoo {info['odoo']}",
        f"- Date: {info['date']}",
    ]


def heading_lines(command, args, info, source):
    """The first lines of a scan bench's section: the command (marked in a quick
    run), the machine and the code measured."""
    return [
        f"Command: `{command}`"
        + (" (quick mode: smoke figures)" if args.quick else ""),
        "",
        *machine_lines(info),
        f"- Code measured: {source}",
    ]


def run_threads(target, count):
    """Wall seconds of ``count`` threads running ``target(n)`` side by side."""
    threads = [threading.Thread(target=target, args=(n,)) for n in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def timed(label, func):
    """``(seconds, result)`` of ``func()``, said on stderr under ``label``."""
    started = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - started
    say(f"  {label}: {elapsed:.3f} s")
    return elapsed, result


def bench_parser(
    doc, db, repeat_help=None, quick_help="smoke run, no file", quiet_timeout=60.0
):
    """The options of a bench on a database of its own: ``--quick``, ``--db``
    (``db``), ``--repeat`` (3 runs) and those of ``add_run_args``; the
    description is the first paragraph of ``doc``."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=quick_help)
    parser.add_argument("--db", default=db)
    parser.add_argument("--repeat", type=int, default=3, help=repeat_help)
    add_run_args(parser, quiet_timeout)
    return parser


def parse_bench_args(parser, quiet_timeout=10.0, **caps):
    """The options of ``bench_parser``; a quick run measures each variant once,
    waits at most ``quiet_timeout`` s for a quiet machine (None: as asked) and
    caps the sizes named in ``caps`` (``name=largest``)."""
    args = parser.parse_args()
    if args.quick:
        args.repeat = 1
        if quiet_timeout is not None:
            args.quiet_timeout = min(args.quiet_timeout, quiet_timeout)
        for name, largest in caps.items():
            setattr(args, name, min(getattr(args, name), largest))
    return args


def add_source_arg(parser):
    """The ``--source`` option: the addon's code a bench measures."""
    parser.add_argument(
        "--source",
        default="worktree",
        help="the addon's code to measure: worktree, or a commit (e.g. HEAD)",
    )


def add_run_args(parser, quiet_timeout=60.0):
    """The options of every bench: the measured code (``--source``), where its
    section goes (``--results``, ``--no-write``) and, unless ``quiet_timeout`` is
    None, how long a phase first waits for a quiet machine (``--quiet-timeout``)."""
    add_source_arg(parser)
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--no-write", action="store_true")
    if quiet_timeout is not None:
        parser.add_argument(
            "--quiet-timeout",
            type=float,
            default=quiet_timeout,
            help="seconds to wait before a phase for other processes to calm down",
        )


def publish(args, heading, body):
    """Print the section; write it into RESULTS.md unless a smoke run or
    ``--no-write``."""
    print(body)
    if not getattr(args, "quick", False) and not args.no_write:
        write_section(args.results, heading, body)
        say(f"wrote {args.results.relative_to(ROOT)}")


def typed_args():
    """The options as typed, for the command line in RESULTS.md."""
    return "".join(f" {arg}" for arg in sys.argv[1:])


def write_section(path, heading, body):
    """Replace (or append) the ``## heading`` section of a Markdown file, leaving
    the other sections as they are."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    body = "\n".join(line.rstrip() for line in body.splitlines())
    parts = re.split(r"(?m)^(?=## )", text)
    section = f"{heading}\n\n{body.strip()}\n\n"
    for n, part in enumerate(parts):
        if part.splitlines() and part.splitlines()[0].strip() == heading:
            # hand-written analysis below the marker survives a new run
            if KEEP_MARKER in part:
                kept = part[part.index(KEEP_MARKER) :].strip()
                section = f"{heading}\n\n{body.strip()}\n\n{kept}\n\n"
            parts[n] = section
            break
    else:
        if not parts[-1].endswith("\n\n"):
            parts[-1] = parts[-1].rstrip("\n") + "\n\n"
        parts.append(section)
    path.write_text("".join(parts).rstrip("\n") + "\n")


def seeded(seed):
    return random.Random(seed)
