# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Read replica and workers (issue 3, item 8), on loopback.

    .venv/bin/python bench/replica_bench.py            # writes bench/RESULTS.md
    .venv/bin/python bench/replica_bench.py --quick    # smoke run, prints only

Makes a streaming replica of the private PostgreSQL cluster with
``pg_basebackup -R``, starts it on a free port, serves the bench database with
Odoo ``--workers=2 --db_replica_host=127.0.0.1 --db_replica_port=<replica>``,
and shows that the ``readonly=True`` routes (lookup) run on the replica while
batches are written on the primary: transaction counters of both servers, the
replica's statement log, lookup throughput with concurrent clients, lookups
while batches are ingested, and how soon a committed move is visible on the
replica. Tears the replica down at the end.
"""

import argparse
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import benchlib as bl
from benchlib import say

HEADING = "## Read replica and workers (issue 3)"
REPLICA_DIR = bl.WORK / "pg-replica"
REPLICA_RUN = bl.WORK / "pg-replica-run"
PRIMARY_DATA = bl.BUILD / "pg" / "data"
STATS_FLUSH_S = 11.5  # PostgreSQL 15 flushes an idle backend's stats within 10 s


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run, no file")
    parser.add_argument("--db", default="bench_scan")
    parser.add_argument("--lookups", type=int, default=1000, help="per level")
    bl.add_run_args(parser, quiet_timeout=120.0)
    args = parser.parse_args()
    if args.quick:
        args.lookups = 200
        args.quiet_timeout = min(args.quiet_timeout, 30.0)
    return args


def as_postgres(*cmd, check=True):
    """A PostgreSQL server command as its owner (they refuse root)."""
    done = subprocess.run(
        ["runuser", "-u", "postgres", "--", *map(str, cmd)],
        check=False,
        capture_output=True,
        text=True,
    )
    if check and done.returncode:
        raise SystemExit(
            f"{Path(str(cmd[0])).name} failed ({done.returncode}):"
            f" {done.stderr.strip()}"
        )
    return done


# The replica ------------------------------------------------------------------------
class Replica:
    def __init__(self, env):
        self.env = env
        self.port = bl.free_port(env.db_port + 100)
        self.log = REPLICA_DIR / "replica.log"
        self.started = False

    def check_primary(self):
        """What streaming replication needs on the primary, as it is set."""
        with self.env.cursor("postgres") as cr:
            cr.execute("SHOW wal_level")
            wal_level = cr.fetchone()[0]
            cr.execute("SHOW max_wal_senders")
            senders = int(cr.fetchone()[0])
            cr.execute("SELECT count(*) FROM pg_stat_replication")
            used = cr.fetchone()[0]
            cr.execute(
                "SELECT count(*) FROM pg_hba_file_rules"
                " WHERE 'replication' = ANY(database) AND auth_method = 'trust'"
                " AND (address = '127.0.0.1' OR type = 'local')"
            )
            hba = cr.fetchone()[0]
        problems = []
        if wal_level not in ("replica", "logical"):
            problems.append(f"wal_level is {wal_level}")
        if senders - used < 1:
            problems.append(f"no free WAL sender ({used}/{senders} used)")
        if not hba:
            problems.append("no pg_hba.conf replication line for 127.0.0.1")
        if problems:
            raise SystemExit("primary not ready: " + "; ".join(problems))
        return {"wal_level": wal_level, "max_wal_senders": senders, "hba": hba}

    def make(self):
        self.remove()
        for path in (REPLICA_DIR, REPLICA_RUN):
            path.mkdir(parents=True, exist_ok=True)
            shutil.chown(path, "postgres")
        REPLICA_DIR.chmod(0o700)
        started = time.perf_counter()
        say(f"pg_basebackup -R of the primary (:{self.env.db_port})")
        as_postgres(
            bl.PG_BIN / "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            self.env.db_port,
            "-U",
            "postgres",
            "-D",
            REPLICA_DIR,
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
        )
        seconds = time.perf_counter() - started
        # a switch for the statement log of the evidence phase
        with open(REPLICA_DIR / "postgresql.conf", "a") as handle:
            handle.write("\ninclude_if_exists = 'bench_logging.conf'\n")
        size = sum(p.stat().st_size for p in REPLICA_DIR.rglob("*") if p.is_file())
        return {"seconds": seconds, "size_mb": size / 1e6}

    def start(self):
        say(f"starting the replica on :{self.port}")
        as_postgres(
            bl.PG_BIN / "pg_ctl",
            "-D",
            REPLICA_DIR,
            "-o",
            f"-p {self.port} -c unix_socket_directories={REPLICA_RUN}"
            " -c hot_standby=on -c log_line_prefix='%m [%p] %a@%d '",
            "-l",
            self.log,
            "-w",
            "-t",
            "60",
            "start",
        )
        self.started = True
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with self.env.cursor("postgres") as cr:
                cr.execute(
                    "SELECT state FROM pg_stat_replication"
                    " WHERE client_port IS NOT NULL"
                )
                states = [row[0] for row in cr.fetchall()]
            if "streaming" in states:
                break
            time.sleep(0.5)
        else:
            raise SystemExit(f"the replica does not stream; see {self.log}")
        with self.env.cursor("postgres", port=self.port) as cr:
            cr.execute("SELECT pg_is_in_recovery()")
            if not cr.fetchone()[0]:
                raise SystemExit("the replica is not in recovery")

    def set_statement_log(self, on):
        conf = REPLICA_DIR / "bench_logging.conf"
        conf.write_text("log_statement = 'all'\n" if on else "")
        shutil.chown(conf, "postgres")
        as_postgres(bl.PG_BIN / "pg_ctl", "-D", REPLICA_DIR, "reload")
        time.sleep(0.5)

    @staticmethod
    def _pg_ctl_stop():
        as_postgres(
            bl.PG_BIN / "pg_ctl", "-D", REPLICA_DIR, "-m", "fast", "stop", check=False
        )

    def stop(self):
        if self.started:
            self._pg_ctl_stop()
            self.started = False
            say("replica stopped")

    def remove(self):
        if (REPLICA_DIR / "PG_VERSION").exists():
            self._pg_ctl_stop()
        shutil.rmtree(REPLICA_DIR, ignore_errors=True)
        shutil.rmtree(REPLICA_RUN, ignore_errors=True)


def server_row(env, port, query, params=()):
    """The row ``query`` returns on the server at ``port`` (its ``postgres``
    database, where the statistics views of every database are)."""
    with env.cursor("postgres", port=port) as cr:
        cr.execute(query, params)
        return cr.fetchone()


def counters(env, dbname, port=None):
    """Transactions and rows read of ``dbname`` on one server."""
    xacts, rows = server_row(
        env,
        port,
        "SELECT xact_commit + xact_rollback, tup_returned + tup_fetched"
        " FROM pg_stat_database WHERE datname = %s",
        [dbname],
    )
    return {"xacts": xacts, "rows": rows}


def odoo_backends(env, dbname, port=None):
    return server_row(
        env,
        port,
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = %s AND application_name LIKE 'odoo-%%'",
        [dbname],
    )[0]


def replay_lag_ms(env, replica_port):
    return server_row(
        env,
        replica_port,
        "SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000",
    )[0]


ENTRY_RE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
APP_RE = re.compile(r"\] (\S+)@")


def log_entries(lines):
    """PostgreSQL log entries, continuation lines joined to their entry."""
    entries = []
    for line in lines:
        if ENTRY_RE.match(line) or not entries:
            entries.append(line.rstrip())
        else:
            entries[-1] += " " + " ".join(line.split())
    return entries


# Load -----------------------------------------------------------------------------
def lookup_load(base_url, key, codes, clients, total, rng_seed=7):
    """``clients`` threads share ``total`` lookups; latency and throughput."""
    per_client = total // clients
    times = []
    errors = []
    lock = threading.Lock()

    def worker(n):
        client = bl.Client(base_url, key)
        rng = bl.seeded(rng_seed + n)
        mine = []
        for code in rng.choices(codes, k=per_client):
            started = time.perf_counter()
            response = client.lookup(code)
            mine.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                errors.append(response.status_code)
        with lock:
            times.extend(mine)

    seconds = bl.run_threads(worker, clients)
    return {
        "clients": clients,
        "n": len(times),
        "per_s": len(times) / seconds,
        "p50": bl.percentile(times, 0.5),
        "p95": bl.percentile(times, 0.95),
        "p99": bl.percentile(times, 0.99),
        "errors": len(errors),
    }


def make_chunks(ids, n_chunks, seed, start):
    """``n_chunks`` batches of 20,000 reads (5 per code of 4,000 known codes)."""
    rng = bl.seeded(seed)
    chunks = []
    for n in range(n_chunks):
        codes = bl.pick_codes(ids, 4_000, 0, rng)
        moment = start + dt.timedelta(minutes=10 * n)
        reads, expected = bl.make_reads(
            codes, 5, start=moment, span_s=300, rng=rng, moving=1.0
        )
        chunks.append((reads, expected))
    return chunks


def ingest_with_lookups(env, args, ids, server, key, codes, chunks, tag, replica):
    """One reader posts the chunks one after the other while two handhelds look
    codes up; after each answer, how long until the replica has replayed the
    primary's WAL up to then, and until a lookup shows the move."""
    primary_cn = env.connect("postgres", autocommit=True)
    replica_cn = env.connect("postgres", port=replica.port, autocommit=True)
    client = bl.Client(server.url, key)
    checker = bl.Client(server.url, key)
    stop = threading.Event()
    times = []

    def handheld(n):
        looker = bl.Client(server.url, key)
        rng = bl.seeded(100 + n)
        while not stop.is_set():
            started = time.perf_counter()
            looker.lookup(rng.choice(codes))
            times.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=handheld, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    posts, lags, replays = [], [], []
    by_epc = {epc: asset_id for asset_id, epc, _initial in ids["assets"]}
    for n, (reads, expected) in enumerate(chunks):
        started = time.perf_counter()
        response = client.post_batch(bl.batch_body(f"replica-{tag}-{n}", reads))
        answered = time.perf_counter()
        posts.append(answered - started)
        if response.status_code != 200:
            raise SystemExit(f"POST answered {response.status_code}")
        with primary_cn.cursor() as cr:
            cr.execute("SELECT pg_current_wal_lsn()")
            lsn = cr.fetchone()[0]
        with replica_cn.cursor() as cr:
            while True:
                cr.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
                if cr.fetchone()[0] or time.perf_counter() - answered > 30:
                    break
                time.sleep(0.0005)
        replays.append((time.perf_counter() - answered) * 1000)
        epc, (index, _moment) = next(iter(expected.items()))
        want = ids["locations"][index]
        assert by_epc[epc]
        while True:
            seen = checker.lookup(epc).json()
            if (seen.get("location") or {}).get("id") == want:
                lags.append((time.perf_counter() - answered) * 1000)
                break
            if time.perf_counter() - answered > 30:
                lags.append(float("inf"))
                break
            time.sleep(0.002)
    stop.set()
    for thread in threads:
        thread.join()
    primary_cn.close()
    replica_cn.close()
    return {
        "replayed_ms": replays,
        "posts_s": posts,
        "reads": sum(len(reads) for reads, _ in chunks),
        "lookups": len(times),
        "lookup_p50": bl.percentile(times, 0.5),
        "lookup_p95": bl.percentile(times, 0.95),
        "visible_ms": lags,
    }


def parallel_ingest(server, key, chunks, tag):
    """Two readers post at once (disjoint assets): wall time for all chunks."""
    halves = [chunks[0::2], chunks[1::2]]
    results = [[], []]

    def reader(n):
        client = bl.Client(server.url, key)
        for m, (reads, _expected) in enumerate(halves[n]):
            started = time.perf_counter()
            response = client.post_batch(
                bl.batch_body(f"replica-par-{tag}-{n}-{m}", reads)
            )
            results[n].append((time.perf_counter() - started, response.status_code))

    seconds = bl.run_threads(reader, 2)
    statuses = {status for part in results for _s, status in part}
    return {
        "seconds": seconds,
        "reads": sum(len(reads) for reads, _ in chunks),
        "statuses": sorted(statuses),
    }


# Main -----------------------------------------------------------------------------
def main():
    args = parse_args()
    command = " ".join([".venv/bin/python", "bench/replica_bench.py", *sys.argv[1:]])
    env, key, ids = bl.open_bench_database(args)
    info = bl.machine(env, args.db)
    tag = dt.datetime.now().strftime("%Y%m%d%H%M%S")
    start = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    start -= dt.timedelta(hours=3)
    codes = [epc for _id, epc, _initial in ids["assets"]]
    res = {"source": env.source, "bg": {}}
    bl.reset_state(env, args.db)
    replica = Replica(env)
    res["primary"] = replica.check_primary()
    try:
        res["basebackup"] = replica.make()
        replica.start()
        res["replica_port"] = replica.port
        with bl.OdooServer(
            env,
            args.db,
            workers=2,
            name="replica-bench",
            extra=(
                "--db_replica_host=127.0.0.1",
                f"--db_replica_port={replica.port}",
            ),
        ) as server:
            res.update(
                run_phases(env, args, ids, server, key, codes, replica, tag, start)
            )
            res["log_problems"] = server.log_problems()
        bl.wait_quiet([args.db], timeout=args.quiet_timeout)
        with bl.OdooServer(env, args.db, workers=2, name="primary-only") as server:
            lookup_load(server.url, key, codes, 2, 100)
            watch = bl.CpuWatch([args.db]).start()
            res["primary_only"] = lookup_load(server.url, key, codes, 4, args.lookups)
            res["bg"]["primary_only"] = watch.share()
    finally:
        replica.stop()
        replica.remove()
        bl.reset_state(env, args.db)
    with env.cursor("postgres") as cr:
        cr.execute("SELECT count(*) FROM pg_replication_slots")
        res["slots_left"] = cr.fetchone()[0]
    (bl.WORK / f"replica-results-{tag}.json").write_text(
        json.dumps(res, indent=1, default=str)
    )
    bl.publish(args, HEADING, render(args, res, info, command))


def run_phases(env, args, ids, server, key, codes, replica, tag, start):
    res = {"bg": {}}
    client = bl.Client(server.url, key)
    for code in codes[:100]:  # warm both workers up
        client.lookup(code)
    res["backends"] = {
        "primary": odoo_backends(env, args.db),
        "replica": odoo_backends(env, args.db, replica.port),
    }
    # 1. counters: N lookups, nothing else talks to the bench database
    n = 200 if args.quick else 500
    time.sleep(STATS_FLUSH_S)
    before = counters(env, args.db), counters(env, args.db, replica.port)
    for code in bl.seeded(5).choices(codes, k=n):
        client.lookup(code)
    time.sleep(STATS_FLUSH_S)
    after = counters(env, args.db), counters(env, args.db, replica.port)
    res["counters"] = {
        "lookups": n,
        "primary": {k: after[0][k] - before[0][k] for k in before[0]},
        "replica": {k: after[1][k] - before[1][k] for k in before[1]},
    }
    # the same for one 20k-read batch
    chunks = make_chunks(ids, 1, 11, start)
    time.sleep(STATS_FLUSH_S)
    before = counters(env, args.db), counters(env, args.db, replica.port)
    client.post_batch(bl.batch_body(f"replica-count-{tag}", chunks[0][0]))
    time.sleep(STATS_FLUSH_S)
    after = counters(env, args.db), counters(env, args.db, replica.port)
    res["counters_batch"] = {
        "primary": {k: after[0][k] - before[0][k] for k in before[0]},
        "replica": {k: after[1][k] - before[1][k] for k in before[1]},
    }
    # 2. the replica's statement log during 20 lookups
    mark = replica.log.stat().st_size
    replica.set_statement_log(True)
    sample = bl.seeded(6).choices(codes, k=20)
    for code in sample:
        client.lookup(code)
    replica.set_statement_log(False)
    with open(replica.log, errors="replace") as handle:
        handle.seek(mark)
        entries = log_entries(handle)
    logged = [entry for entry in entries if "statement:" in entry]
    asset_lines = [entry for entry in logged if "FROM stock_asset" in entry]
    res["statement_log"] = {
        "statements": len(logged),
        "asset_queries": len(asset_lines),
        "workers": sorted(
            {match.group(1) for e in asset_lines if (match := APP_RE.search(e))}
        ),
        "example": asset_lines[0][:400].rstrip() if asset_lines else "",
    }
    # 3. lookup throughput, 2 workers, concurrent clients
    levels = [1, 2, 4] if args.quick else [1, 2, 4, 8]
    res["throughput"] = []
    for clients in levels:
        bl.wait_quiet([args.db], timeout=args.quiet_timeout)
        watch = bl.CpuWatch([args.db]).start()
        res["throughput"].append(
            lookup_load(server.url, key, codes, clients, args.lookups)
        )
        res["bg"][f"lookups_{clients}"] = watch.share()
        say(f"  {clients} clients: {res['throughput'][-1]['per_s']:.0f} lookups/s")
    # 4. batches on the primary while handhelds look up on the replica
    chunks = make_chunks(ids, 3 if args.quick else 6, 12, start + dt.timedelta(hours=1))
    bl.wait_quiet([args.db], timeout=args.quiet_timeout)
    watch = bl.CpuWatch([args.db]).start()
    res["mixed"] = ingest_with_lookups(
        env, args, ids, server, key, codes, chunks, tag, replica
    )
    res["bg"]["mixed"] = watch.share()
    # 5. two readers at once
    chunks = make_chunks(ids, 4 if args.quick else 6, 13, start + dt.timedelta(hours=2))
    bl.wait_quiet([args.db], timeout=args.quiet_timeout)
    watch = bl.CpuWatch([args.db]).start()
    res["parallel"] = parallel_ingest(server, key, chunks, tag)
    res["bg"]["parallel"] = watch.share()
    res["lag_end_ms"] = replay_lag_ms(env, replica.port)
    return res


# Report --------------------------------------------------------------------------
def render(args, res, info, command):
    counters_ = res["counters"]
    batch = res["counters_batch"]
    log = res["statement_log"]
    mixed = res["mixed"]
    par = res["parallel"]
    visible = list(mixed["visible_ms"])
    bg = res["bg"]
    lines = [
        *bl.heading_lines(command, args, info, res["source"]),
        "",
        "Set-up: the private cluster of `scripts/dev.sh` is the primary"
        f" (wal_level={res['primary']['wal_level']},"
        f" max_wal_senders={res['primary']['max_wal_senders']}, a `host replication"
        " all 127.0.0.1/32 trust` line); `pg_basebackup -R -X stream -c fast`"
        f" copied it ({res['basebackup']['size_mb']:.0f} MB in"
        f" {res['basebackup']['seconds']:.1f} s) into a streaming hot standby on"
        f" port {res['replica_port']}. Odoo served the bench database (20,000"
        " assets) with `--workers=2 --max-cron-threads=0"
        " --db_replica_host=127.0.0.1 --db_replica_port=<replica port>`. Both"
        " PostgreSQL servers, the two workers and the clients share the machine's"
        f" {info['cores']} cores. The replica was stopped and deleted at the end"
        f" (replication slots left on the primary: {res['slots_left']}).",
        "",
        "**Lookups are served by the replica.** After warm-up, Odoo's workers held"
        f" {res['backends']['replica']} connection(s) to the bench database on the"
        f" replica and {res['backends']['primary']} on the primary. Transactions"
        " of the bench database (`pg_stat_database`, xact_commit + xact_rollback,"
        " read after PostgreSQL's stats flush):",
        "",
        "| during | primary: transactions | primary: rows read | replica:"
        " transactions | replica: rows read |",
        "|---|---:|---:|---:|---:|",
        f"| {counters_['lookups']} lookups | {counters_['primary']['xacts']:,} |"
        f" {counters_['primary']['rows']:,} | {counters_['replica']['xacts']:,} |"
        f" {counters_['replica']['rows']:,} |",
        f"| one 20,000-read batch | {batch['primary']['xacts']:,} |"
        f" {batch['primary']['rows']:,} | {batch['replica']['xacts']:,} |"
        f" {batch['replica']['rows']:,} |",
        "",
        "(The primary's few transactions are this script's own counter queries"
        " and the autovacuum; a batch's request opens with one read-only"
        " transaction on the replica, where Odoo checks the registry, before its"
        " read/write ones on the primary.)",
        "",
        f"With `log_statement = 'all'` switched on for 20 lookups, the replica"
        f" logged {log['statements']} statements, {log['asset_queries']} of them on"
        f" `stock_asset`, from the workers {', '.join(log['workers'])} (the"
        " `application_name` Odoo sets), e.g.:",
        "",
        "```",
        log["example"],
        "```",
        "",
        "Lookup throughput, 2 workers, the replica serving (each client in a thread"
        " of one Python process, keep-alive connections, random EPCs of the 20,000):",
        "",
        "| clients | lookups | lookups/s | p50 ms | p95 ms | p99 ms | errors |"
        " others' CPU |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for level in res["throughput"]:
        others = bg.get("lookups_{}".format(level["clients"]), 0.0)
        lines.append(
            f"| {level['clients']} | {level['n']:,} | {level['per_s']:.0f} |"
            f" {level['p50']:.1f} | {level['p95']:.1f} | {level['p99']:.1f} |"
            f" {level['errors']} | {others:.0f} % |"
        )
    po = res["primary_only"]
    lines += [
        f"| 4, no replica (same workers, primary only) | {po['n']:,} |"
        f" {po['per_s']:.0f} | {po['p50']:.1f} | {po['p95']:.1f} | {po['p99']:.1f}"
        f" | {po['errors']} | {bg.get('primary_only', 0):.0f} % |",
        "",
        "On one 2-core machine the replica adds no capacity (it competes for the"
        " same cores); what it shows is the routing: on separate hosts the lookups"
        " and status reads leave the primary entirely, and more replicas or Odoo"
        " servers add read capacity.",
        "",
        f"Batches while handhelds look up: one reader posted {len(mixed['posts_s'])}"
        " batches of 20,000 reads (4,000 codes each) one after the other while two"
        f" handheld clients looked codes up without pause: batches took"
        f" {', '.join(f'{s:.2f}' for s in mixed['posts_s'])} s; the"
        f" {mixed['lookups']:,} lookups meanwhile had p50"
        f" {mixed['lookup_p50']:.1f} ms and p95 {mixed['lookup_p95']:.1f} ms (the"
        " second worker serves them while the first applies a batch). After each"
        " batch's 200 answer, the replica had replayed the primary's WAL up to"
        " that point within"
        f" {', '.join(f'{v:.0f}' for v in mixed.get('replayed_ms', []))} ms"
        " (polled every 0.5 ms), and a lookup of one moved asset first showed its"
        f" new location after {', '.join(f'{v:.0f}' for v in visible)} ms, which"
        " includes that lookup's own time under this load. Streaming replication"
        " is asynchronous: a handheld that looks up right after posting may see"
        f" the previous location for that long. Others' CPU: {bg.get('mixed', 0):.0f}"
        " %.",
        "",
        f"Two readers at once: {par['reads']:,} reads in batches of 20,000 on"
        f" disjoint assets, two posting threads: {par['seconds']:.1f} s"
        f" ({par['reads'] / par['seconds']:,.0f} reads/s; answers"
        f" {par['statuses']}); others' CPU {bg.get('parallel', 0):.0f} %.",
        "",
        f"Server log: {len(res['log_problems'])} WARNING/ERROR lines.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
