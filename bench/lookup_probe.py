# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Where a lookup's time goes, in process (no HTTP).

    .venv/bin/python bench/lookup_probe.py [--source HEAD] [--n 500]

Each call runs in a fresh cursor and environment, as a request does, so the ORM
cache starts empty every time (the registry's ormcaches stay warm, as in a
worker). Measures:

- Odoo's own API key check (``res.users.apikeys._check_credentials`` of ``base``:
  PBKDF2-SHA512, 6,000 rounds), which a bearer request pays without this addon;
- the same check through this addon, for the bench reader's device key (the key
  was verified once by this process: one indexed read of the key row);
- ``stock.asset._api_lookup`` of random EPCs of the bench data, and its two
  statements apart: finding the asset by its scan keys, and the answer's
  details (location, holder, next reservation, whether it is an instrument).
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

    from odoo.addons.base.models.res_users import APIKeys

    scan_codes = importlib.import_module(f"odoo.addons.{bl.ADDON}.tools.scan_codes")
    uid = ids["user"]
    codes = [epc for _id, epc, _initial in ids["assets"]]
    sample = bl.seeded(9).sample(codes, args.n)

    def keys_of(some):
        wanted = defaultdict(set)
        for code in [some] if isinstance(some, str) else some:
            for kind, value in scan_codes.classify(code).keys:
                wanted[kind].add(value)
        return wanted

    def find(env, i):
        """the assets of ``sample[i]`` (a slice: of several codes at once)"""
        return env["stock.asset"]._find_by_scan_keys(
            keys_of(sample[i]), list(env.user._get_company_ids())
        )

    from odoo import api

    with registry.cursor() as cr:
        found = find(api.Environment(cr, uid, {}), slice(None))
    asset_ids = [found[("epc", code)][0]["id"] for code in sample]

    def details(env, i):
        return env["stock.asset"]._lookup_details(asset_ids[i])

    rows = [
        (
            "Odoo's API key check (PBKDF2)",
            None,
            lambda e, i: APIKeys._check_credentials(
                e["res.users.apikeys"], scope="rpc", key=key
            ),
        ),
        (
            "API key check, device key verified before",
            None,
            lambda e, i: e["res.users.apikeys"]._check_credentials(
                scope="rpc", key=key
            ),
        ),
        ("`_api_lookup`", uid, lambda e, i: e["stock.asset"]._api_lookup(sample[i])),
        ("of which: finding the asset", uid, find),
        ("of which: the answer's details", uid, details),
    ]
    for _name, user, work in rows:  # warm the ormcaches, the classifier, the cache
        timed(registry, user, 20, work)
    lines = ["| step | median ms | p95 ms |", "|---|---:|---:|"]
    for name, user, work in rows:
        median, p95 = timed(registry, user, args.n, work)
        lines.append(f"| {name} | {median:.2f} | {p95:.2f} |")
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
