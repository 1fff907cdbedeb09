# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Where a lookup's time goes, in process (no HTTP), and what two changes of
``stock.asset._api_lookup`` would save.

    .venv/bin/python bench/lookup_probe.py [--source HEAD] [--n 500]

Each call runs in a fresh cursor and environment, as a request does, so the ORM
cache starts empty every time (the registry's ormcaches stay warm, as in a
worker). Compares:

- ``bearer key check``: ``res.users.apikeys._check_credentials`` (Odoo's
  pbkdf2-sha512, 6,000 rounds), paid by every bearer request;
- ``_api_lookup`` as it is;
- ``user.company_ids.ids`` vs ``user._get_company_ids()`` (ormcached), the first
  proposal;
- ``_api_lookup`` with both proposals applied (the ormcached company ids, and the
  answer's fields read in one ``fetch`` of the fields it needs instead of the
  whole asset row and the location and holder rows field by field).
"""

import argparse
import importlib
import statistics
import sys
import time
from collections import defaultdict

import benchlib as bl


def timed(registry, uid, n, work):
    from odoo import api

    times = []
    for i in range(n):
        with registry.cursor() as cr:
            env = api.Environment(cr, uid, {})
            started = time.perf_counter()
            work(env, i)
            times.append((time.perf_counter() - started) * 1000)
            cr.rollback()
    return statistics.median(times), bl.percentile(times, 0.95)


def lookup_proposed(env, code):
    """``_api_lookup`` with the two proposals (same answer)."""
    Asset = env["stock.asset"]
    env["stock.asset.scan.batch"]._api_check_user()
    scan_codes = importlib.import_module(f"odoo.addons.{bl.ADDON}.tools.scan_codes")
    scan = scan_codes.classify(code)
    answer = {
        "code": code,
        "epc_uri": scan.epc_uri,
        "gs1": scan.gs1,
        "status": "unknown",
        "asset_id": None,
        "asset_code": None,
    }
    wanted = defaultdict(set)
    for kind, value in scan.keys:
        wanted[kind].add(value)
    company_ids = list(env.user._get_company_ids())  # proposal 1
    found = Asset._find_by_scan_keys(wanted, company_ids)
    picked, _message = env["stock.asset.scan.batch"]._pick_asset(
        scan, found, env.company.id
    )
    if not picked:
        return answer
    asset = Asset.browse(picked["id"])
    # proposal 2: only the fields of the answer
    asset.fetch(["code", "name", "state", "location_id", "holder_id", "last_seen_date"])
    asset.location_id.fetch(["complete_name", "barcode"])
    asset.holder_id.fetch(["name", "ref"])
    answer.update(
        status="matched",
        asset_id=asset.id,
        asset_code=asset.code,
        name=asset.name,
        state=asset.state,
        location=asset.location_id
        and {
            "id": asset.location_id.id,
            "name": asset.location_id.complete_name,
            "barcode": asset.location_id.barcode or None,
        },
        holder=asset.holder_id
        and {"id": asset.holder_id.id, "name": asset.holder_id.name},
        last_seen_date=asset.last_seen_date and asset.last_seen_date.isoformat(),
    )
    return answer


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="bench_scan")
    parser.add_argument("--source", default="worktree")
    parser.add_argument("--n", type=int, default=500)
    args = parser.parse_args()
    env = bl.Env(args.source)
    key = bl.ensure_database(env, args.db)
    ids = bl.bench_ids(env, args.db)
    registry = bl.odoo_registry(env, args.db)
    uid = ids["user"]
    codes = [epc for _id, epc, _initial in ids["assets"]]
    rng = bl.seeded(9)
    sample = rng.sample(codes, args.n)
    rows = [
        (
            "bearer key check (pbkdf2)",
            lambda e, i: e["res.users.apikeys"]._check_credentials(
                scope="rpc", key=key
            ),
        ),
        ("_api_lookup (as is)", lambda e, i: e["stock.asset"]._api_lookup(sample[i])),
        ("user.company_ids.ids", lambda e, i: e.user.company_ids.ids),
        ("user._get_company_ids()", lambda e, i: e.user._get_company_ids()),
        ("env.company.id", lambda e, i: e.company.id),
        ("_api_lookup (proposed)", lambda e, i: lookup_proposed(e, sample[i])),
    ]
    for _name, work in rows:  # warm the ormcaches and the classifier
        timed(registry, uid, 20, work)
    lines = ["| step | median ms | p95 ms |", "|---|---:|---:|"]
    for name, work in rows:
        median, p95 = timed(registry, uid, args.n, work)
        lines.append(f"| {name} | {median:.2f} | {p95:.2f} |")
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
