# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Cross-check of the register's depreciation boards against OCA's
``account_asset_management`` 18.0 (issue 4).

    .venv/bin/python bench/oca_register_compare.py            # writes RESULTS.md
    .venv/bin/python bench/oca_register_compare.py --no-write --details

OCA's module is not a dependency of the addon and is never installed in the test
or development databases. This script installs it on the side: the wheels of
``odoo-addon-account_asset_management``, ``odoo-addon-report_xlsx`` and
``odoo-addon-report_xlsx_helper`` (18.0, PyPI) go with ``pip install --no-deps
--target .build/oca/pkgs`` (not in the repository), a copy of ``.build/odoo.conf``
adds ``.build/oca/pkgs/odoo/addons`` to the addons path, and two databases are
made: ``bench_register_oca`` (``account_asset_management`` alone) and
``bench_register`` (this addon alone), so that neither module's overrides of
``account.move`` touch the other's figures.

For every case below the same asset is created in both databases (an OCA
``account.asset`` with its profile, a ``stock.asset`` with its category), both
boards are computed through each module's own button (``compute_depreciation_board``,
``action_compute_board``) and compared line by line, dates and amounts. Each case
names the OCA settings that express the same rule (``method_time`` *number* is
"number of depreciations", *year* "number of years"). Everything is done in
transactions that are rolled back: the databases keep only their set-up.

Where the boards differ, the ``why`` column names the rule of each module that
makes the difference; the README's register section explains them.
"""

import argparse
import configparser
import subprocess
import sys
from datetime import date
from pathlib import Path

import benchlib as bl
from benchlib import say

HEADING = "## Register boards against OCA account_asset_management (issue 4)"
OCA_DIR = bl.BUILD / "oca"
OCA_PKGS = OCA_DIR / "pkgs"
OCA_ADDONS = OCA_PKGS / "odoo" / "addons"
OCA_DB = "bench_register_oca"
OUR_DB = "bench_register"
OCA_WHEELS = [
    "odoo-addon-account_asset_management>=18.0,<18.1",
    "odoo-addon-report_xlsx>=18.0,<18.1",
    "odoo-addon-report_xlsx_helper>=18.0,<18.1",
]
D = date

# (key, title, our values, OCA values, fiscal year end (month, day), why)
# Our values: stock.asset register fields; OCA's: account.asset fields.
CASES = [
    (
        "odoo_doc",
        "Odoo's example: 27,000, salvage 7,000, 5 years, linear, yearly",
        {
            "acquisition_date": D(2026, 1, 1),
            "original_value": 27000,
            "salvage_value": 7000,
            "method": "linear",
            "method_number": 5,
            "method_period": "12",
        },
        {
            "date_start": D(2026, 1, 1),
            "purchase_value": 27000,
            "salvage_value": 7000,
            "method": "linear",
            "method_number": 5,
            "method_period": "year",
            "method_time": "year",
            "prorata": False,
        },
        (12, 31),
        "",
    ),
    (
        "seven_months",
        "Rounding: 100.00 over 7 months, linear",
        {
            "acquisition_date": D(2026, 1, 1),
            "original_value": 100,
            "method": "linear",
            "method_number": 7,
            "method_period": "1",
        },
        {
            "date_start": D(2026, 1, 1),
            "purchase_value": 100,
            "method": "linear",
            "method_number": 7,
            "method_period": "month",
            "method_time": "number",
            "prorata": True,
        },
        (12, 31),
        "",
    ),
    (
        "monthly_60_salvage",
        "12,345.67, salvage 345.67, 60 months from 1 March, linear",
        {
            "acquisition_date": D(2026, 3, 1),
            "original_value": 12345.67,
            "salvage_value": 345.67,
            "method": "linear",
            "method_number": 60,
            "method_period": "1",
        },
        {
            "date_start": D(2026, 3, 1),
            "purchase_value": 12345.67,
            "salvage_value": 345.67,
            "method": "linear",
            "method_number": 60,
            "method_period": "month",
            "method_time": "number",
            "prorata": True,
        },
        (12, 31),
        "",
    ),
    (
        "monthly_mid_month_no_prorata",
        "3,000 over 36 months from 20 May, linear, no prorata",
        {
            "acquisition_date": D(2026, 5, 20),
            "original_value": 3000,
            "method": "linear",
            "method_number": 36,
            "method_period": "1",
            "prorata": False,
        },
        {
            "date_start": D(2026, 5, 20),
            "purchase_value": 3000,
            "method": "linear",
            "method_number": 36,
            "method_period": "month",
            "method_time": "number",
            "prorata": True,
        },
        (12, 31),
        "",
    ),
    (
        "monthly_prorata_number",
        "1,200 over 12 months from 16 January, prorata (OCA: number of depreciations)",
        {
            "acquisition_date": D(2026, 1, 16),
            "original_value": 1200,
            "method": "linear",
            "method_number": 12,
            "method_period": "1",
            "prorata": True,
        },
        {
            "date_start": D(2026, 1, 16),
            "purchase_value": 1200,
            "method": "linear",
            "method_number": 12,
            "method_period": "month",
            "method_time": "number",
            "prorata": True,
        },
        (12, 31),
        "oca_number_no_day_prorata",
    ),
    (
        "monthly_prorata_year",
        "1,200 over 12 months from 16 January, prorata (OCA: 1 year, monthly)",
        {
            "acquisition_date": D(2026, 1, 16),
            "original_value": 1200,
            "method": "linear",
            "method_number": 12,
            "method_period": "1",
            "prorata": True,
        },
        {
            "date_start": D(2026, 1, 16),
            "purchase_value": 1200,
            "method": "linear",
            "method_number": 1,
            "method_period": "month",
            "method_time": "year",
            "prorata": True,
        },
        (12, 31),
        "oca_prorata_by_year_days",
    ),
    (
        "monthly_year_no_prorata",
        "6,000 over 5 years, monthly, from 10 March, no prorata (OCA: years)",
        {
            "acquisition_date": D(2026, 3, 10),
            "original_value": 6000,
            "method": "linear",
            "method_number": 60,
            "method_period": "1",
            "prorata": False,
        },
        {
            "date_start": D(2026, 3, 10),
            "purchase_value": 6000,
            "method": "linear",
            "method_number": 5,
            "method_period": "month",
            "method_time": "year",
            "prorata": False,
        },
        (12, 31),
        "oca_starts_at_fiscal_year",
    ),
    (
        "monthly_year_rounding",
        "1,000 over 5 years, monthly, from 1 January (OCA: years)",
        {
            "acquisition_date": D(2026, 1, 1),
            "original_value": 1000,
            "method": "linear",
            "method_number": 60,
            "method_period": "1",
        },
        {
            "date_start": D(2026, 1, 1),
            "purchase_value": 1000,
            "method": "linear",
            "method_number": 5,
            "method_period": "month",
            "method_time": "year",
            "prorata": False,
        },
        (12, 31),
        "oca_year_rounding",
    ),
    (
        "yearly_prorata",
        "5,000, salvage 500, 5 years from 1 April, prorata, yearly",
        {
            "acquisition_date": D(2026, 4, 1),
            "original_value": 5000,
            "salvage_value": 500,
            "method": "linear",
            "method_number": 5,
            "method_period": "12",
            "prorata": True,
        },
        {
            "date_start": D(2026, 4, 1),
            "purchase_value": 5000,
            "salvage_value": 500,
            "method": "linear",
            "method_number": 5,
            "method_period": "year",
            "method_time": "year",
            "prorata": True,
        },
        (12, 31),
        "",
    ),
    (
        "fy_june_prorata",
        "8,000, 4 years from 15 March 2026, prorata, yearly, fiscal year ending "
        "30 June",
        {
            "acquisition_date": D(2026, 3, 15),
            "original_value": 8000,
            "method": "linear",
            "method_number": 4,
            "method_period": "12",
            "prorata": True,
        },
        {
            "date_start": D(2026, 3, 15),
            "purchase_value": 8000,
            "method": "linear",
            "method_number": 4,
            "method_period": "year",
            "method_time": "year",
            "prorata": True,
        },
        (6, 30),
        "oca_calendar_year",
    ),
    (
        "fy_june_no_prorata",
        "8,000, 4 years from 15 March 2026, yearly, fiscal year ending 30 June",
        {
            "acquisition_date": D(2026, 3, 15),
            "original_value": 8000,
            "method": "linear",
            "method_number": 4,
            "method_period": "12",
            "prorata": False,
        },
        {
            "date_start": D(2026, 3, 15),
            "purchase_value": 8000,
            "method": "linear",
            "method_number": 4,
            "method_period": "year",
            "method_time": "year",
            "prorata": False,
        },
        (6, 30),
        "oca_calendar_year",
    ),
    (
        "fy_march_monthly",
        "2,400 over 24 months from 1 February, fiscal year ending 31 March",
        {
            "acquisition_date": D(2026, 2, 1),
            "original_value": 2400,
            "method": "linear",
            "method_number": 24,
            "method_period": "1",
        },
        {
            "date_start": D(2026, 2, 1),
            "purchase_value": 2400,
            "method": "linear",
            "method_number": 24,
            "method_period": "month",
            "method_time": "number",
            "prorata": True,
        },
        (3, 31),
        "",
    ),
    (
        "degressive_yearly",
        "10,000, 5 years, degressive 30 %, yearly",
        {
            "acquisition_date": D(2026, 1, 1),
            "original_value": 10000,
            "method": "degressive",
            "method_number": 5,
            "method_period": "12",
            "degressive_factor": 0.3,
        },
        {
            "date_start": D(2026, 1, 1),
            "purchase_value": 10000,
            "method": "degressive",
            "method_number": 5,
            "method_period": "year",
            "method_time": "year",
            "method_progress_factor": 0.3,
            "prorata": False,
        },
        (12, 31),
        "",
    ),
    (
        "degressive_yearly_salvage_prorata",
        "10,000, salvage 1,000, 5 years from 1 July, degressive 40 %, prorata",
        {
            "acquisition_date": D(2026, 7, 1),
            "original_value": 10000,
            "salvage_value": 1000,
            "method": "degressive",
            "method_number": 5,
            "method_period": "12",
            "degressive_factor": 0.4,
            "prorata": True,
        },
        {
            "date_start": D(2026, 7, 1),
            "purchase_value": 10000,
            "salvage_value": 1000,
            "method": "degressive",
            "method_number": 5,
            "method_period": "year",
            "method_time": "year",
            "method_progress_factor": 0.4,
            "prorata": True,
        },
        (12, 31),
        "",
    ),
    (
        "degressive_monthly",
        "12,000, 2 years monthly, degressive 30 %",
        {
            "acquisition_date": D(2026, 1, 1),
            "original_value": 12000,
            "method": "degressive",
            "method_number": 24,
            "method_period": "1",
            "degressive_factor": 0.3,
        },
        {
            "date_start": D(2026, 1, 1),
            "purchase_value": 12000,
            "method": "degressive",
            "method_number": 2,
            "method_period": "month",
            "method_time": "year",
            "method_progress_factor": 0.3,
            "prorata": False,
        },
        (12, 31),
        "oca_degressive_per_year",
    ),
    (
        "degressive_then_linear",
        "10,000, 5 years, degressive 30 % then linear, yearly",
        {
            "acquisition_date": D(2026, 1, 1),
            "original_value": 10000,
            "method": "degressive_then_linear",
            "method_number": 5,
            "method_period": "12",
            "degressive_factor": 0.3,
        },
        {
            "date_start": D(2026, 1, 1),
            "purchase_value": 10000,
            "method": "degr-linear",
            "method_number": 5,
            "method_period": "year",
            "method_time": "year",
            "method_progress_factor": 0.3,
            "prorata": False,
        },
        (12, 31),
        "oca_linear_of_base",
    ),
    (
        "degressive_then_linear_late",
        "10,000, 5 years, degressive 50 % then linear, yearly",
        {
            "acquisition_date": D(2026, 1, 1),
            "original_value": 10000,
            "method": "degressive_then_linear",
            "method_number": 5,
            "method_period": "12",
            "degressive_factor": 0.5,
        },
        {
            "date_start": D(2026, 1, 1),
            "purchase_value": 10000,
            "method": "degr-linear",
            "method_number": 5,
            "method_period": "year",
            "method_time": "year",
            "method_progress_factor": 0.5,
            "prorata": False,
        },
        (12, 31),
        "oca_linear_of_base",
    ),
]


WHY = {
    "oca_number_no_day_prorata": (
        "OCA, time method *number of depreciations*, has no prorata by days: its "
        "first line is a full period; ours charges the first month for its days "
        "and adds a 13th line for the rest"
    ),
    "oca_prorata_by_year_days": (
        "OCA prorates the first fiscal year by days of the year (350/365 of a "
        "year's charge, the months after the first taken whole, the first month "
        "gets the rest); ours prorates the first month by days of the month "
        "(16/31)"
    ),
    "oca_starts_at_fiscal_year": (
        "OCA without prorata depreciates from the start of the fiscal year: the "
        "months before the acquisition are caught up on the first line; ours "
        "starts with a full month at the month of acquisition"
    ),
    "oca_year_rounding": (
        "OCA rounds a monthly charge of yearly time per fiscal year (the 12th "
        "month of each year absorbs 12 x 16.67 - 200); ours rounds once, on the "
        "last line of the board"
    ),
    "oca_calendar_year": (
        "OCA takes its fiscal years from ``res.company.compute_fiscalyear_dates``, "
        "which Odoo Community implements as the calendar year (only Enterprise's "
        "``account_accounting`` follows the fiscal year end): its yearly lines "
        "fall on 31 December, ours on the company's fiscal year end (30 June), "
        "and its prorata counts the days to 31 December (292/365) where ours "
        "counts them to 30 June (108/365)"
    ),
    "oca_degressive_per_year": (
        "OCA computes the degressive charge once per fiscal year and splits it "
        "in 12 equal months; ours applies the monthly rate (factor / 12) to the "
        "remaining value every month"
    ),
    "oca_linear_of_base": (
        "OCA's linear floor is the depreciable base / number of years, fixed; "
        "ours is the remaining value / remaining periods, so the switch comes "
        "when that exceeds the degressive charge"
    ),
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    bl.add_run_args(parser, quiet_timeout=None)
    parser.add_argument(
        "--details", action="store_true", help="print both boards of every case"
    )
    return parser.parse_args()


# Set-up -------------------------------------------------------------------------
def ensure_oca_code(env):
    """OCA's wheels in .build/oca/pkgs and a config that adds them."""
    if not (OCA_ADDONS / "account_asset_management" / "__manifest__.py").exists():
        say("installing OCA's account_asset_management 18.0 into .build/oca/pkgs")
        subprocess.run(
            [
                str(env.venv / "bin/pip"),
                "install",
                "--quiet",
                "--no-deps",
                "--target",
                str(OCA_PKGS),
                *OCA_WHEELS,
            ],
            check=True,
        )
    parser = configparser.ConfigParser()
    parser.read(env.conf)  # the measured code's config (see bl.Env)
    options = parser["options"]
    paths = options["addons_path"].split(",")
    if str(OCA_ADDONS) not in paths:
        options["addons_path"] = ",".join([*paths, str(OCA_ADDONS)])
    OCA_DIR.mkdir(parents=True, exist_ok=True)
    # one file per measured code: benches of other sources may run at the same time
    oca_conf = OCA_DIR / f"odoo-oca-{Path(env.conf).stem}.conf"
    with open(oca_conf, "w") as handle:
        parser.write(handle)
    env.conf = oca_conf


def ensure_databases(env):
    """``bench_register_oca`` with OCA's module, ``bench_register`` with ours."""
    for dbname, module in ((OCA_DB, "account_asset_management"), (OUR_DB, bl.ADDON)):
        if not env.db_exists(dbname):
            say(f"creating database {dbname} ({module} without demo; minutes)")
            env.run_odoo(
                "-d",
                dbname,
                "-i",
                module,
                "--without-demo=all",
                "--stop-after-init",
                "--log-level=warn",
                "--max-cron-threads=0",
                log_name=f"install-{dbname}.log",
            )
            if module == bl.ADDON:
                bl.set_param(
                    env,
                    dbname,
                    "bench_register.addon_hash",
                    bl.addon_hash(env.addon_dir),
                )
        elif module == bl.ADDON and bl.get_param(
            env, dbname, "bench_register.addon_hash"
        ) != bl.addon_hash(env.addon_dir):
            say(f"the addon changed since {dbname} was made: updating it")
            env.run_odoo(
                "-d",
                dbname,
                "-u",
                module,
                "--stop-after-init",
                "--log-level=warn",
                "--max-cron-threads=0",
                log_name=f"update-{dbname}.log",
            )
            bl.set_param(
                env, dbname, "bench_register.addon_hash", bl.addon_hash(env.addon_dir)
            )


def environments(env):
    """(OCA registry, our registry), both loaded in this process."""
    ensure_oca_code(env)
    ensure_databases(env)
    # Odoo parses its configuration once per process: the second registry is
    # opened directly, with the same (OCA-aware) addons path.
    our_registry = bl.odoo_registry(env, OUR_DB)
    from odoo.modules.registry import Registry

    return Registry(OCA_DB), our_registry


def _account(odoo_env, code, name, account_type):
    Account = odoo_env["account.account"]
    account = Account.search([("code", "=", code)], limit=1)
    return account or Account.create(
        {"code": code, "name": name, "account_type": account_type}
    )


def _journal(odoo_env, code, name):
    Journal = odoo_env["account.journal"]
    journal = Journal.search([("code", "=", code)], limit=1)
    return journal or Journal.create({"code": code, "name": name, "type": "general"})


def oca_profile(odoo_env, name="Bench profile", **extra):
    """The OCA asset profile ``name`` (accounts and journal made on first use)."""
    Profile = odoo_env["account.asset.profile"]
    profile = Profile.search([("name", "=", name)], limit=1)
    if profile:
        return profile
    return Profile.create(
        {
            "name": name,
            "account_asset_id": _account(
                odoo_env, "BA2154", "Bench tools", "asset_fixed"
            ).id,
            "account_depreciation_id": _account(
                odoo_env, "BA2815", "Bench accumulated depreciation", "asset_fixed"
            ).id,
            "account_expense_depreciation_id": _account(
                odoo_env, "BA6811", "Bench depreciation", "expense_depreciation"
            ).id,
            "journal_id": _journal(odoo_env, "BAST", "Bench assets").id,
            "method_time": "number",
            "method_number": 60,
            "method_period": "month",
            "prorata": True,
            **extra,
        }
    )


def our_category(odoo_env, name="Bench register", **extra):
    """Our register category ``name`` (accounts and journal made on first use)."""
    Category = odoo_env["stock.asset.category"]
    category = Category.search([("name", "=", name)], limit=1)
    if category:
        return category
    return Category.create(
        {
            "name": name,
            "journal_id": _journal(odoo_env, "BAST", "Bench assets").id,
            "account_asset_id": _account(
                odoo_env, "BA2154", "Bench tools", "asset_fixed"
            ).id,
            "account_depreciation_id": _account(
                odoo_env, "BA2815", "Bench accumulated depreciation", "asset_fixed"
            ).id,
            "account_depreciation_expense_id": _account(
                odoo_env, "BA6811", "Bench depreciation", "expense_depreciation"
            ).id,
            "account_gain_id": _account(
                odoo_env, "BA7752", "Bench gain on disposal", "income_other"
            ).id,
            "account_loss_id": _account(
                odoo_env, "BA6752", "Bench loss on disposal", "expense"
            ).id,
            "method": "linear",
            "method_number": 60,
            "method_period": "1",
            **extra,
        }
    )


def oca_board(asset):
    lines = asset.depreciation_line_ids.filtered(lambda line: line.type == "depreciate")
    return [(line.line_date, line.amount) for line in lines.sorted("line_date")]


def our_board(asset):
    return [
        (line.date, line.amount) for line in asset.depreciation_line_ids.sorted("date")
    ]


# Comparison ---------------------------------------------------------------------
def run_case(oca_env, our_env, case):
    key, title, ours_vals, oca_vals, (fy_month, fy_day), _why = case
    for odoo_env in (oca_env, our_env):
        odoo_env.company.write(
            {"fiscalyear_last_month": str(fy_month), "fiscalyear_last_day": fy_day}
        )
    oca_asset = oca_env["account.asset"].create(
        {"name": key, "profile_id": oca_profile(oca_env).id, **oca_vals}
    )
    oca_asset.compute_depreciation_board()
    our_asset = our_env["stock.asset"].create(
        {
            "name": key,
            "category_id": our_category(our_env).id,
            "company_id": our_env.company.id,
            **ours_vals,
        }
    )
    our_asset.action_compute_board()
    return oca_board(oca_asset), our_board(our_asset)


def compare(oca_lines, our_lines):
    """(lines equal, first differing index or None)"""
    equal = 0
    first = None
    for n in range(max(len(oca_lines), len(our_lines))):
        a = oca_lines[n] if n < len(oca_lines) else None
        b = our_lines[n] if n < len(our_lines) else None
        if a == b:
            equal += 1
        elif first is None:
            first = n
    return equal, first


def fmt_line(line):
    if line is None:
        return "none"
    return f"{line[0].isoformat()} {line[1]:,.2f}"


def main():
    args = parse_args()
    env = bl.Env(args.source)
    oca_registry, our_registry = environments(env)
    from odoo import SUPERUSER_ID, api

    ctx = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
    rows = []
    with oca_registry.cursor() as oca_cr, our_registry.cursor() as our_cr:
        oca_env = api.Environment(oca_cr, SUPERUSER_ID, ctx)
        our_env = api.Environment(our_cr, SUPERUSER_ID, ctx)
        try:
            for case in CASES:
                oca_lines, our_lines = run_case(oca_env, our_env, case)
                equal, first = compare(oca_lines, our_lines)
                rows.append((case, oca_lines, our_lines, equal, first))
                status = "same" if first is None else f"differ from line {first + 1}"
                say(f"{case[0]}: OCA {len(oca_lines)} lines, ours {len(our_lines)}: "
                    f"{status}")  # fmt: skip
                if args.details:
                    for n in range(max(len(oca_lines), len(our_lines))):
                        a = oca_lines[n] if n < len(oca_lines) else None
                        b = our_lines[n] if n < len(our_lines) else None
                        mark = " " if a == b else "*"
                        print(f"  {mark} {n + 1:3d}  OCA {fmt_line(a):24s} "
                              f"ours {fmt_line(b)}")  # fmt: skip
        finally:
            oca_cr.rollback()
            our_cr.rollback()
    unexplained = [row for row in rows if row[4] is not None and not row[0][5]]
    unexpected = [row for row in rows if row[4] is None and row[0][5]]
    bl.publish(args, HEADING, report(env, rows))
    if unexplained or unexpected:
        for row in unexplained:
            say(f"UNEXPLAINED difference: {row[0][0]}")
        for row in unexpected:
            say(f"explained difference that did not occur: {row[0][0]}")
        sys.exit(1)


def report(env, rows):
    same = sum(1 for row in rows if row[4] is None)
    lines = [
        "Command: `.venv/bin/python bench/oca_register_compare.py"
        f"{bl.typed_args()}`"
        f" ({env.source}; OCA's "
        "`account_asset_management` 18.0 installed with `pip install --no-deps "
        "--target .build/oca/pkgs`, databases `bench_register_oca` and "
        "`bench_register`; see the script's docstring).",
        "",
        f"{len(rows)} cases, the same asset in both modules, boards compared line "
        f"by line (dates and amounts): {same} identical, {len(rows) - same} "
        "different, each difference explained by a rule of one module (below and "
        "in the README, *Fixed-asset register*, *Compared with OCA*).",
        "",
        "| Case | OCA settings | Lines OCA / ours | Equal lines | First difference "
        "(OCA / ours) |",
        "|---|---|---|---|---|",
    ]
    for case, oca_lines, our_lines, equal, first in rows:
        key, title, _ours, oca_vals, fy, _why = case
        settings = (
            f"{oca_vals['method']}, {oca_vals['method_time']} "
            f"{oca_vals['method_number']}, {oca_vals['method_period']}"
            + (", prorata" if oca_vals.get("prorata") else "")
            + ("" if fy == (12, 31) else f", FY ends {fy[1]}/{fy[0]}")
        )
        if first is None:
            diff = "identical"
        else:
            a = oca_lines[first] if first < len(oca_lines) else None
            b = our_lines[first] if first < len(our_lines) else None
            diff = f"line {first + 1}: {fmt_line(a)} / {fmt_line(b)}"
        lines.append(
            f"| {title} | {settings} | {len(oca_lines)} / {len(our_lines)} | "
            f"{equal} | {diff} |"
        )
    why_used = [case[5] for case, *_rest in rows if case[5]]
    if why_used:
        lines += ["", "Why the boards differ:", ""]
        for key in dict.fromkeys(why_used):
            cases = ", ".join(case[0] for case, *_rest in rows if case[5] == key)
            lines.append(f"- `{key}` ({cases}): {WHY[key]}.")
    lines += ["", *bl.machine_lines(bl.machine(env, OUR_DB))]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
