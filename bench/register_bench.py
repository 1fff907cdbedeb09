# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Benchmark of the fixed-asset register, side by side with OCA's
``account_asset_management`` 18.0 (issue 4).

    .venv/bin/python bench/register_bench.py            # full run, writes RESULTS.md
    .venv/bin/python bench/register_bench.py --quick    # 1,000 assets, prints only

The OCA module is installed on the side exactly as ``oca_register_compare.py``
does it (``pip install --no-deps --target .build/oca/pkgs``, its own database
``bench_register_oca``; our addon in ``bench_register``), never in the repository.

Data set (committed once per database, reused by later runs): 10,000 assets of
one register category, linear, 60 monthly periods, acquired in January 2026 (the
day spread over 1..28, half of them with prorata, so 10,000 x 60 or 61 lines),
values 1,000.00 .. 50,999.99, every fifth asset with a salvage value. The same
assets exist in the OCA database (profile: linear, 60 depreciations, monthly).

Measured, each in a transaction rolled back at its end:

- computing all boards: ``stock.asset.action_compute_board()`` on the 10,000
  assets with no line yet (and again unchanged), against OCA's
  ``account.asset.compute_depreciation_board()`` on ``--oca-sample`` assets
  (1,000 by default: OCA takes minutes per thousand, so the 10,000 are
  extrapolated linearly; ``--oca-sample 10000`` runs them all);
- posting January 2026 for all 10,000 (``action_post_until``): one journal entry
  per asset, and one entry per category and period (the category groups its
  entries); OCA's posting of the same month (``account.asset.line.create_move``,
  one entry per line, each created and posted on its own) on
  ``--oca-post-sample`` of its lines (200 by default), extrapolated;
- the register report over the 10,000 assets for 2026 after that posting
  (``stock.asset.register.report._get_register_data``, and the XLSX).
"""

import argparse
import time
from datetime import date

import benchlib as bl
import oca_register_compare as oca
from benchlib import say

HEADING = "## Fixed-asset register against OCA account_asset_management (issue 4)"
N_ASSETS = 10_000
MONTHS = 60
DATASET = f"register: assets={N_ASSETS};months={MONTHS};v1"
PARAM = "bench_register"
CODE_PREFIX = "RB-"
CATEGORY = "Bench register"
PROFILE = "Bench register"
MONTH_END = date(2026, 1, 31)
REPORT_RANGE = (date(2026, 1, 1), date(2026, 12, 31))
GOALS = {"boards": 60.0, "ratio": 10.0, "post": 20.0, "report": 5.0}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run, no file")
    parser.add_argument("--assets", type=int, default=N_ASSETS)
    parser.add_argument(
        "--oca-sample", type=int, default=1000, help="OCA assets actually computed"
    )
    parser.add_argument(
        "--oca-post-sample",
        type=int,
        default=200,
        help="OCA lines actually posted (OCA posts line by line, slowly)",
    )
    parser.add_argument("--repeat", type=int, default=2, help="runs of our boards")
    bl.add_run_args(parser)
    parser.add_argument(
        "--skip-per-asset",
        action="store_true",
        help="do not post one entry per asset (minutes)",
    )
    args = parser.parse_args()
    if args.quick:
        args.assets = min(args.assets, 1000)
        args.oca_sample = min(args.oca_sample, 100)
        args.repeat = 1
        args.no_write = True
        args.quiet_timeout = 10.0
    args.oca_sample = min(args.oca_sample, args.assets)
    return args


def asset_identity(i):
    """Name and code of bench asset ``i``, the same in both databases."""
    return {"name": f"Bench register asset {i:05d}", "code": f"{CODE_PREFIX}{i:05d}"}


def asset_values(i):
    """Register values of bench asset ``i`` (both modules)."""
    value = 1000 + (i * 7919) % 50000 + (i % 100) / 100
    return {
        "day": date(2026, 1, 1 + i % 28),
        "value": round(value, 2),
        "salvage": round(value / 10, 2) if i % 5 == 0 else 0.0,
        "prorata": i % 2 == 1,
    }


# Data sets ----------------------------------------------------------------------
CTX = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}


def load_ours(registry, count):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        odoo_env = api.Environment(cr, SUPERUSER_ID, CTX)
        category = oca.our_category(odoo_env, CATEGORY)
        company = odoo_env.company

        def values(i):
            v = asset_values(i)
            return {
                **asset_identity(i),
                "company_id": company.id,
                "category_id": category.id,
                "acquisition_date": v["day"],
                "original_value": v["value"],
                "salvage_value": v["salvage"],
                "method": "linear",
                "method_number": MONTHS,
                "method_period": "1",
                "prorata": v["prorata"],
            }

        bl.create_by_chunks(
            odoo_env["stock.asset"],
            CODE_PREFIX,
            count,
            values,
            label="our assets",
            commit=True,
        )


def load_oca(registry, count):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        odoo_env = api.Environment(cr, SUPERUSER_ID, CTX)
        profile = oca.oca_profile(odoo_env, PROFILE)

        def values(i):
            v = asset_values(i)
            return {
                **asset_identity(i),
                "profile_id": profile.id,
                "date_start": v["day"],
                "purchase_value": v["value"],
                "salvage_value": v["salvage"],
                "method": "linear",
                "method_time": "number",
                "method_number": MONTHS,
                "method_period": "month",
                "prorata": True,
            }

        bl.create_by_chunks(
            odoo_env["account.asset"],
            CODE_PREFIX,
            count,
            values,
            chunk=500,
            label="OCA assets",
            commit=True,
        )


def ensure_datasets(env, oca_registry, our_registry, args):
    key = f"{PARAM}.dataset"
    if args.assets > int(bl.get_param(env, oca.OUR_DB, f"{PARAM}.count") or 0):
        say(f"loading {args.assets} assets into {oca.OUR_DB}")
        load_ours(our_registry, args.assets)
        bl.set_param(env, oca.OUR_DB, key, DATASET)
        bl.set_param(env, oca.OUR_DB, f"{PARAM}.count", str(args.assets))
    if args.oca_sample > int(bl.get_param(env, oca.OCA_DB, f"{PARAM}.count") or 0):
        say(f"loading {args.oca_sample} assets into {oca.OCA_DB}")
        load_oca(oca_registry, args.oca_sample)
        bl.set_param(env, oca.OCA_DB, key, DATASET)
        bl.set_param(env, oca.OCA_DB, f"{PARAM}.count", str(args.oca_sample))
    # A production database has planner statistics on its accounting tables; a
    # fresh one has none, and PostgreSQL then plans the payment-state query of
    # account.move._post over thousands of new entries very badly (minutes).
    for dbname in (oca.OUR_DB, oca.OCA_DB):
        with env.cursor(dbname) as cr:
            cr.execute("ANALYZE")


# Runs ---------------------------------------------------------------------------
class Run(bl.Run):
    """An environment on a fresh cursor whose transaction is rolled back.

    Its context is empty, as in the cron and the wizards: chatter and tracking
    are on for the entries, as they are in production."""


def our_assets(run, count):
    return run.env["stock.asset"].search(
        [("code", "=like", f"{CODE_PREFIX}%")], order="code", limit=count
    )


def oca_assets(run, count):
    return run.env["account.asset"].search(
        [("code", "=like", f"{CODE_PREFIX}%")], order="code", limit=count
    )


def timed(run, func):
    run.env.invalidate_all()
    started = time.perf_counter()
    result = func()
    run.env.flush_all()
    return time.perf_counter() - started, result


def count_lines(run):
    run.cr.execute(
        "SELECT count(*), count(DISTINCT asset_id) FROM stock_asset_depreciation_line"
    )
    return run.cr.fetchone()


def bench_our_boards(registry, args, figures):
    for n in range(args.repeat):
        with Run(registry) as run:
            assets = our_assets(run, args.assets)
            elapsed, _r = timed(run, assets.action_compute_board)
            figures.setdefault("boards", []).append(elapsed)
            lines, with_lines = count_lines(run)
            figures["lines"] = lines
            say(f"  ours, run {n + 1}: {elapsed:.1f} s, {lines} lines, "
                f"{with_lines} assets")  # fmt: skip
            again, _r = timed(run, assets.action_compute_board)
            figures.setdefault("boards unchanged", []).append(again)
            say(f"  ours, recomputed unchanged: {again:.1f} s")


def bench_oca_boards(registry, args, figures):
    with Run(registry) as run:
        assets = oca_assets(run, args.oca_sample)
        elapsed, _r = timed(run, assets.compute_depreciation_board)
        figures["oca boards sample"] = elapsed
        figures["oca boards"] = elapsed * args.assets / len(assets)
        run.cr.execute(
            "SELECT count(*) FROM account_asset_line WHERE type = 'depreciate'"
        )
        figures["oca lines"] = run.cr.fetchone()[0]
        say(f"  OCA: {elapsed:.1f} s for {len(assets)} assets "
            f"({figures['oca lines']} lines)")  # fmt: skip
        if not args.quick:
            assets.validate()
            lines = run.env["account.asset.line"].search(
                [
                    ("asset_id", "in", assets.ids),
                    ("type", "=", "depreciate"),
                    ("line_date", "<=", MONTH_END),
                    ("move_id", "=", False),
                ],
                limit=args.oca_post_sample,
            )
            elapsed, _r = timed(run, lines.create_move)
            figures["oca post sample"] = elapsed
            figures["oca post"] = elapsed * args.assets / len(lines)
            figures["oca posted"] = len(lines)
            say(f"  OCA posting {len(lines)} lines: {elapsed:.1f} s")


def bench_posting(registry, args, figures, grouped):
    label = "post grouped" if grouped else "post per asset"
    with Run(registry) as run:
        assets = our_assets(run, args.assets)
        assets.action_compute_board()
        run.env.flush_all()
        if grouped:
            assets.category_id.write({"group_entries": True})
        elapsed, _r = timed(run, lambda: assets.action_post_until(MONTH_END))
        run.cr.execute(
            """
            SELECT count(*), count(DISTINCT move_id)
              FROM stock_asset_depreciation_line WHERE state = 'posted'
            """
        )
        posted, moves = run.cr.fetchone()
        figures[label] = elapsed
        figures[f"{label} lines"] = (posted, moves)
        say(f"  {label}: {elapsed:.1f} s ({posted} lines, {moves} entries)")
        if grouped:
            wizard = run.env["stock.asset.register.report"].create(
                {"date_from": REPORT_RANGE[0], "date_to": REPORT_RANGE[1]}
            )
            elapsed, data = timed(run, wizard._get_register_data)
            figures["report"] = elapsed
            figures["report assets"] = len(data["assets"])
            figures["report charge"] = data["total"]["dep_charge"]
            elapsed, _r = timed(run, wizard.action_export_xlsx)
            figures["report xlsx"] = elapsed
            say(f"  register report: {figures['report']:.2f} s, "
                f"XLSX {elapsed:.2f} s")  # fmt: skip


def main():
    args = parse_args()
    env = bl.Env(args.source)
    oca_registry_, our_registry = oca.environments(env)
    ensure_datasets(env, oca_registry_, our_registry, args)
    dbnames = [oca.OCA_DB, oca.OUR_DB]
    quiet = lambda: bl.wait_quiet(dbnames, timeout=args.quiet_timeout)  # noqa: E731
    figures = {"loads": []}

    say(f"our boards: {args.assets} assets x {MONTHS} months")
    figures["loads"].append(quiet())
    bench_our_boards(our_registry, args, figures)
    say(f"OCA boards: {args.oca_sample} assets")
    figures["loads"].append(quiet())
    bench_oca_boards(oca_registry_, args, figures)
    say("posting one month, grouped entries, then the register report")
    figures["loads"].append(quiet())
    bench_posting(our_registry, args, figures, grouped=True)
    if not args.skip_per_asset:
        say("posting one month, one entry per asset")
        figures["loads"].append(quiet())
        bench_posting(our_registry, args, figures, grouped=False)
    bl.publish(args, HEADING, report(env, args, figures))


def report(env, args, figures):
    best = min(figures["boards"])
    oca_total = figures["oca boards"]
    ratio = oca_total / best

    def goal(value, limit, unit="s", more=False):
        ok = value >= limit if more else value <= limit
        sign = "≥" if more else "≤"
        return f"{'met' if ok else 'missed'} (goal {sign} {limit:g} {unit})"

    lines = [
        f"Command: `.venv/bin/python bench/register_bench.py{bl.typed_args()}` "
        f"({env.source}; databases "
        f"`{oca.OUR_DB}` with this addon, `{oca.OCA_DB}` with OCA's "
        "`account_asset_management` 18.0 from PyPI, installed beside the repository "
        "in `.build/oca/`; see the script's docstring for the data set).",
        "",
        f"{args.assets:,} assets, linear, {MONTHS} monthly periods (half with "
        f"prorata: {figures['lines']:,} lines); OCA on {args.oca_sample:,} of the "
        "same assets"
        + (
            ", extrapolated linearly to "
            f"{args.assets:,} (its time per asset does not depend on the number of "
            "assets: one board at a time)."
            if args.oca_sample < args.assets
            else "."
        ),
        "",
        "| Measure | This addon | OCA | Ratio | Goal |",
        "|---|---|---|---|---|",
        f"| Compute all boards (best of {len(figures['boards'])}; runs: "
        + ", ".join(f"{t:.1f}" for t in figures["boards"])
        + f" s) | {best:.1f} s | {oca_total:.0f} s"
        + (
            f" ({figures['oca boards sample']:.1f} s for {args.oca_sample:,})"
            if args.oca_sample < args.assets
            else ""
        )
        + f" | {ratio:.0f}x | {goal(best, GOALS['boards'])}, "
        f"{goal(ratio, GOALS['ratio'], 'x', more=True)} |",
        "| Recompute all boards, unchanged | "
        + f"{min(figures['boards unchanged']):.1f} s | | | |",
    ]
    if "post grouped" in figures:
        posted, moves = figures["post grouped lines"]
        lines.append(
            f"| Post one month, grouped entries ({posted:,} lines, {moves} "
            f"entry) | {figures['post grouped']:.1f} s | | | "
            f"{goal(figures['post grouped'], GOALS['post'])} |"
        )
    if "post per asset" in figures:
        posted, moves = figures["post per asset lines"]
        oca_post = figures.get("oca post")
        lines.append(
            f"| Post one month, one entry per asset ({posted:,} lines, "
            f"{moves:,} entries) | {figures['post per asset']:.1f} s | "
            + (
                f"{oca_post:.0f} s ({figures['oca post sample']:.1f} s for "
                f"{figures['oca posted']:,})"
                if oca_post
                else ""
            )
            + " | "
            + (f"{oca_post / figures['post per asset']:.1f}x" if oca_post else "")
            + f" | {goal(figures['post per asset'], GOALS['post'])} |"
        )
    if "report" in figures:
        lines.append(
            f"| Register report, 2026, {figures['report assets']:,} assets (data; "
            f"XLSX {figures['report xlsx']:.1f} s) | {figures['report']:.2f} s | | "
            f"| {goal(figures['report'], GOALS['report'])} |"
        )
    loads = ", ".join(f"{load:.0f} %" for load in figures["loads"])
    lines += [
        "",
        f"Load: other processes used {loads} of the machine just before the "
        "phases (boards, OCA, grouped posting, per-asset posting; `wait_quiet` "
        f"waits up to {args.quiet_timeout:.0f} s for less than 10 %); the machine "
        "is shared with the other engineers' test runs.",
        "",
        *bl.machine_lines(bl.machine(env, oca.OUR_DB)),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
