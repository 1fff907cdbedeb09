# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Posting one journal entry per asset at scale, side by side with OCA's
``account_asset_management`` 18.0 (issue 18, item 5).

    .venv/bin/python bench/register_post_bench.py             # writes RESULTS.md
    .venv/bin/python bench/register_post_bench.py --sizes 1000 --no-write
    .venv/bin/python bench/register_post_bench.py --profile 1000   # cProfile + SQL

Databases of its own: ``bench_register_post`` (this addon) and
``bench_register_post_oca`` (OCA's module, installed from PyPI into
``.build/oca/`` as ``oca_register_compare.py`` does), made on first use; the
registries are opened in this process. ``--source worktree|<commit>`` chooses the
addon's code (see bench/README.md).

Data set (committed once): the assets of ``register_bench.py`` (linear, 60
months, acquired in January 2026, half with prorata), their boards computed;
the same assets in the OCA database, boards computed and confirmed, for the
``--oca-assets`` first ones (OCA computes a board in about 0.1 s).

Measured, each run in a transaction rolled back at its end, after a ``VACUUM
ANALYZE`` of the accounting tables (a rolled-back run leaves dead entries that
every later numbering query walks over):

- new: ``stock.asset.action_post_until(31 January 2026)`` on the first N assets,
  one entry per asset (the register's path: entries numbered in one pass, created
  and posted by chunks of 1,000);
- old: the same call with the numbering left to Odoo's ``_post``, one entry after
  the other, and everything in one chunk: the code before issue 18;
- previous (``--previous-max``): the new path without the cut of Odoo's
  per-entry work of ``stock_asset_posting.py`` (``_post_locked``'s context key,
  ``_register_line_defaults``);
- OCA: ``account.asset.line.create_move`` on the January lines of the same
  assets (one entry created and posted per line, OCA's own loop).

Each run is timed up to ``cr.flush()``, the flush and precommit hooks of a
commit (the chatter's tracking is written there), in wall time and in CPU time
of the process and of its PostgreSQL backend (``CpuClock``).
"""

import argparse
import configparser
import cProfile
import io
import os
import pstats
import re
import time
from collections import defaultdict
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from unittest.mock import patch

import benchlib as bl
import oca_register_compare as oca
import register_bench as rb
from benchlib import say

HEADING = "## Posting one entry per asset at scale (issue 18)"
OUR_DB = "bench_register_post"
OCA_DB = "bench_register_post_oca"
PARAM = "bench_register_post"
MONTH_END = date(2026, 1, 31)
GOAL = 60.0  # seconds for 10,000 entries


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="numbers of assets")
    parser.add_argument(
        "--old-max",
        type=int,
        default=10000,
        help="largest size the old path runs at (it is quadratic: minutes)",
    )
    parser.add_argument("--oca-assets", type=int, default=1000)
    parser.add_argument(
        "--previous-max",
        type=int,
        default=0,
        help="largest size the new path without the cuts of run C runs at",
    )
    bl.add_run_args(parser)
    parser.add_argument("--profile", type=int, default=0, help="profile N entries")
    parser.add_argument(
        "--profile-paths", default="new,old", help="paths profiled: new, old or both"
    )
    parser.add_argument("--profile-dump", default="", help="cProfile files prefix")
    parser.add_argument(
        "--profile-callers", default="", help="also print the callers of these"
    )
    args = parser.parse_args()
    args.sizes = [int(size) for size in args.sizes.split(",")]
    return args


# Set-up -------------------------------------------------------------------------
def ensure_databases(env):
    """Both databases, and ``env.conf`` a configuration that adds OCA's addons
    to the path of the measured code (one configuration a process)."""
    conf = env.conf
    oca.ensure_oca_code(env)  # installs the wheels; points env.conf at its own
    parser = configparser.ConfigParser()
    parser.read(conf)
    options = parser["options"]
    options["addons_path"] = ",".join([options["addons_path"], str(oca.OCA_ADDONS)])
    env.conf = bl.WORK / f"odoo-post-{conf.stem}.conf"
    with open(env.conf, "w") as handle:
        parser.write(handle)
    if not env.db_exists(OCA_DB):
        env.run_odoo(
            "-d",
            OCA_DB,
            "-i",
            "account_asset_management",
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
            "--max-cron-threads=0",
            log_name=f"install-{OCA_DB}.log",
        )
    bl.ensure_addon_database(env, OUR_DB, PARAM)


def ensure_datasets(env, our_registry, oca_registry, args):
    from odoo import SUPERUSER_ID, api

    wanted = max([*args.sizes, args.profile])
    if wanted > int(bl.get_param(env, OUR_DB, f"{PARAM}.count") or 0):
        say(f"loading {wanted} assets and their boards into {OUR_DB}")
        rb.load_ours(our_registry, wanted)
        with our_registry.cursor() as cr:
            odoo_env = api.Environment(cr, SUPERUSER_ID, rb.CTX)
            assets = odoo_env["stock.asset"].search(
                [("code", "=like", f"{rb.CODE_PREFIX}%")]
            )
            assets.action_compute_board()
        bl.set_param(env, OUR_DB, f"{PARAM}.count", str(wanted))
    if args.oca_assets > int(bl.get_param(env, OCA_DB, f"{PARAM}.count") or 0):
        say(f"loading {args.oca_assets} assets and their boards into {OCA_DB}")
        rb.load_oca(oca_registry, args.oca_assets)
        with oca_registry.cursor() as cr:
            odoo_env = api.Environment(cr, SUPERUSER_ID, rb.CTX)
            assets = odoo_env["account.asset"].search(
                [("code", "=like", f"{rb.CODE_PREFIX}%"), ("state", "=", "draft")]
            )
            assets.compute_depreciation_board()
            assets.validate()
        bl.set_param(env, OCA_DB, f"{PARAM}.count", str(args.oca_assets))


def vacuum(env, dbname):
    cn = env.connect(dbname, autocommit=True)
    try:
        with cn.cursor() as cr:
            for table in (
                "account_move",
                "account_move_line",
                "stock_asset_depreciation_line"
                if dbname == OUR_DB
                else "account_asset_line",
                "mail_message",
                "mail_tracking_value",
                "mail_followers",
            ):
                cr.execute(f"VACUUM ANALYZE {table}")  # pylint: disable=sql-injection
    finally:
        cn.close()


# Runs ---------------------------------------------------------------------------
@contextmanager
def old_path():
    """The code before issue 18: Odoo numbers the entries one by one in
    ``_post``, all of them created and posted in one chunk."""
    from odoo.addons.stock_asset_tracking.models.register import stock_asset_posting

    with (
        patch.object(
            stock_asset_posting.AccountMove,
            "_register_batch_vals",
            lambda self, vals_list: vals_list,
        ),
        patch.object(
            stock_asset_posting.StockAssetDepreciationLine, "_post_chunk_size", 10**9
        ),
        patch.object(
            stock_asset_posting.StockAssetDepreciationLine,
            "_register_batch_post",
            False,
        ),
    ):
        yield


@contextmanager
def previous_path():
    """The new path as it was before the per-entry work below was cut (bench
    run A of RESULTS.md): numbered in one pass, chunks of 1,000, but Odoo's
    ``write`` of each entry's *checked* flag, its ``message_subscribe`` of no
    partner, the chatter with the audit trail off and the line computes of
    ``_register_line_defaults``."""
    from odoo.addons.stock_asset_tracking.models.register import stock_asset_posting

    with (
        patch.object(
            stock_asset_posting.AccountMove,
            "_register_line_defaults",
            lambda self, vals_list, journals: None,
        ),
        patch.object(
            stock_asset_posting.StockAssetDepreciationLine,
            "_register_batch_post",
            False,
        ),
    ):
        yield


class CpuClock:
    """CPU seconds of this process and of the cursor's PostgreSQL backend (the
    server is local): the work of a run, which other processes' load stretches
    in wall time but hardly changes. On an idle machine the two add up to the
    wall time, the ORM and the database taking turns."""

    def __init__(self, cr):
        cr.execute("SELECT pg_backend_pid()")
        self.stat = Path(f"/proc/{cr.fetchone()[0]}/stat")
        self.tick = os.sysconf("SC_CLK_TCK")

    def read(self):
        fields = self.stat.read_text().rsplit(")", 1)[1].split()
        return time.process_time(), (int(fields[11]) + int(fields[12])) / self.tick

    def start(self):
        self.started = self.read()

    def stop(self):
        ended = self.read()
        return tuple(b - a for a, b in zip(self.started, ended, strict=True))


def run_ours(registry, size, profile=None):
    """Seconds to post January for the first ``size`` assets, and the entries."""
    with rb.Run(registry) as run:
        assets = rb.our_assets(run, size)
        run.env.invalidate_all()
        clock = CpuClock(run.cr)
        clock.start()
        started = time.perf_counter()
        if profile:
            profile.enable()
        moves = assets.action_post_until(MONTH_END)
        run.cr.flush()  # what a commit does: flush, then the chatter's precommit
        if profile:
            profile.disable()
        elapsed = time.perf_counter() - started
        cpu = clock.stop()
        run.cr.execute(
            """
            SELECT count(*), count(DISTINCT name), bool_or(made_sequence_gap)
              FROM account_move WHERE id IN (
                   SELECT move_id FROM stock_asset_depreciation_line
                    WHERE state = 'posted' AND date = %s)
            """,
            [MONTH_END],
        )
        count, names, gap = run.cr.fetchone()
        assert moves and count == size == names and not gap, (count, names, gap)
        return elapsed, count, cpu


def run_oca(registry, size):
    with rb.Run(registry) as run:
        assets = rb.oca_assets(run, size)
        lines = run.env["account.asset.line"].search(
            [
                ("asset_id", "in", assets.ids),
                ("type", "=", "depreciate"),
                ("line_date", "<=", MONTH_END),
                ("move_id", "=", False),
            ]
        )
        run.env.invalidate_all()
        clock = CpuClock(run.cr)
        clock.start()
        started = time.perf_counter()
        lines.create_move()
        run.cr.flush()
        return time.perf_counter() - started, len(lines), clock.stop()


def measure(env, args, our_registry, oca_registry):
    figures = defaultdict(dict)
    loads = []
    for size in args.sizes:
        variants = [("new", lambda s=size: run_ours(our_registry, s))]
        if size <= args.old_max:

            def old(s=size):
                with old_path():
                    return run_ours(our_registry, s)

            variants.append(("old", old))
        if size <= args.previous_max:

            def previous(s=size):
                with previous_path():
                    return run_ours(our_registry, s)

            variants.append(("previous", previous))
        if size <= args.oca_assets:
            variants.append(("OCA", lambda s=size: run_oca(oca_registry, s)))
        for name, func in variants:
            vacuum(env, OCA_DB if name == "OCA" else OUR_DB)
            loads.append(bl.wait_quiet([OUR_DB, OCA_DB], timeout=args.quiet_timeout))
            elapsed, count, cpu = func()
            figures[name][size] = (elapsed, count, cpu)
            say(f"  {name}, {size} assets: {elapsed:.1f} s for {count} entries "
                f"({elapsed / count * 1000:.1f} ms an entry; CPU {cpu[0]:.1f} s "
                f"Odoo + {cpu[1]:.1f} s PostgreSQL)")  # fmt: skip
    return figures, loads


def profile(env, args, our_registry):
    """cProfile and SQL statements of the new and old paths on ``--profile``."""
    import odoo.sql_db as sql_db

    queries = defaultdict(lambda: [0, 0.0])
    execute = sql_db.Cursor.execute

    def timed_execute(self, query, params=None, log_exceptions=True):
        started = time.perf_counter()
        try:
            return execute(self, query, params, log_exceptions)
        finally:
            key = re.sub(r"\s+", " ", str(query))[:160]
            queries[key][0] += 1
            queries[key][1] += time.perf_counter() - started

    for name in args.profile_paths.split(","):
        vacuum(env, OUR_DB)
        prof = cProfile.Profile()
        queries.clear()
        with patch.object(sql_db.Cursor, "execute", timed_execute):
            if name == "old":
                with old_path():
                    elapsed, count, _cpu = run_ours(our_registry, args.profile, prof)
            else:
                elapsed, count, _cpu = run_ours(our_registry, args.profile, prof)
        print(f"== {name}: {count} entries in {elapsed:.1f} s")
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(60)
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(30)
        if args.profile_dump:
            prof.dump_stats(f"{args.profile_dump}-{name}.prof")
        if args.profile_callers:
            stats = pstats.Stats(prof, stream=out).sort_stats("cumulative")
            stats.print_callers(args.profile_callers)
        print(out.getvalue())
        total = sum(n for n, _t in queries.values())
        print(f"SQL: {total} statements, {sum(t for _n, t in queries.values()):.1f} s")
        for key, (n, spent) in sorted(queries.items(), key=lambda kv: -kv[1][1])[:20]:
            print(f"  {spent:7.2f} s {n:6d}x  {key}")


def main():
    args = parse_args()
    env = bl.Env(args.source)
    ensure_databases(env)
    our_registry = bl.odoo_registry(env, OUR_DB)
    from odoo.modules.registry import Registry

    oca_registry = Registry(OCA_DB)
    ensure_datasets(env, our_registry, oca_registry, args)
    if args.profile:
        profile(env, args, our_registry)
        return
    figures, loads = measure(env, args, our_registry, oca_registry)
    bl.publish(args, HEADING, report(env, args, figures, loads))


def report(env, args, figures, loads):
    def cell(name, size):
        if size not in figures.get(name, {}):
            return "not run"
        elapsed, count, (odoo_cpu, pg_cpu) = figures[name][size]
        return (
            f"{elapsed:.1f} s, {elapsed / count * 1000:.1f} ms an entry (CPU "
            f"{odoo_cpu + pg_cpu:.1f} s: Odoo {odoo_cpu:.1f} + PostgreSQL "
            f"{pg_cpu:.1f})"
        )

    lines = [
        f"Command: `.venv/bin/python bench/register_post_bench.py --sizes "
        f"{','.join(map(str, args.sizes))} --old-max {args.old_max} --oca-assets "
        f"{args.oca_assets}` (databases `{OUR_DB}` and `{OCA_DB}`; code: "
        f"{env.source}).",
        "",
        "Posting January 2026, one entry (two lines) per asset, in one journal "
        "and period, each run in a transaction rolled back at its end, timed up "
        "to the flush and precommit a commit does (the chatter's tracking is "
        "written there); the old path is the code before issue 18 (Odoo numbers "
        "each entry in `_post`), the new one numbers the batch in one pass and "
        "posts by chunks of 1,000 without Odoo's per-entry work that changes "
        "nothing (and without chatter: the company's audit trail is off); "
        "*previous* is the new path before that cut (run A of 2026-12-07 11:43); "
        "OCA's `create_move` posts the same month of the same assets line by "
        "line. CPU: seconds of the Odoo process and of its PostgreSQL backend "
        "during the run.",
        "",
        "| Assets | New | Previous | Old | OCA | Old / new | OCA / new |",
        "|---|---|---|---|---|---|---|",
    ]
    for size in args.sizes:
        new = figures["new"][size][0]
        ratios = []
        for name in ("old", "OCA"):
            ratios.append(
                f"{figures[name][size][0] / new:.1f}x"
                if size in figures.get(name, {})
                else ""
            )
        lines.append(
            f"| {size:,} | {cell('new', size)} | {cell('previous', size)} | "
            f"{cell('old', size)} | "
            f"{cell('OCA', size)} | {ratios[0]} | {ratios[1]} |"
        )
    big = max(args.sizes)
    if big in figures["new"]:
        elapsed, _count, cpu = figures["new"][big]
        lines += [
            "",
            f"Goal: {big:,} entries in ≤ {GOAL:g} s: "
            f"{'met' if elapsed <= GOAL else 'missed'} in wall time "
            f"({elapsed:.1f} s); the run's CPU time, what it takes when nothing "
            f"else runs: {sum(cpu):.1f} s "
            f"({'met' if sum(cpu) <= GOAL else 'missed'}).",
        ]
    lines += [
        "",
        "Load: other processes used "
        + ", ".join(f"{load:.0f} %" for load in loads)
        + " of the machine just before the runs (`wait_quiet` waits up to "
        f"{args.quiet_timeout:.0f} s for less than 10 %); the machine is shared "
        "with other engineers' test runs, so the absolute figures are noisy.",
        "",
        *bl.machine_lines(bl.machine(env, OUR_DB)),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
