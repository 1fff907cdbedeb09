# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Benchmark of the EPCIS 2.0 export (issue 9, "exporting 10,000 events <= 10 s").

    .venv/bin/python bench/epcis_export_bench.py            # full run, RESULTS.md
    .venv/bin/python bench/epcis_export_bench.py --quick    # smoke run, prints only

One run makes (or reuses) the database ``bench_epcis``: the bench data set of
``benchlib`` (20,000 assets with GIAI-96 EPCs over 200 locations, a reader user
and its API key), plus 10,000 events of 2,000 assets: 2,500 custody periods (a
check-out and a check-in each: 5,000 events), 3,000 RFID observations (one in
three moved its asset) and 2,000 assets found by a closed audit. Half the
locations have a GLN (their events name them by SGLN), the company has a GS1
company prefix.

Measured, each variant 3 times (median), as the reader user:

- **addon, model**: ``stock.asset.epcis.export._export_document()`` of every
  asset the user sees (one UNION ALL query for the events, two for the
  identities, then the pure builder), plus ``json.dumps`` of the document;
- **addon, HTTP**: ``GET /api/asset-tracking/v1/epcis/events`` on a real Odoo
  server (``--workers=2``), every page (1000 events, the default) followed by
  its ``Link`` header, bodies received and parsed by the client;
- **baseline, ORM**: the same document built the plain-ORM way: ``search`` the
  custody records, audit lines and observations of the assets, read each event's
  fields through the records (prefetched by the ORM), then the same builder.

Every document is checked against GS1's EPCIS 2.0 JSON Schema (when
``shared/epcis`` is found above the repository) and the variants must export the
same events.
"""

import json
import statistics
import sys
import time
import uuid
from datetime import datetime, timedelta

import benchlib as bl
import requests
from benchlib import say

HEADING = "## EPCIS 2.0 export (issue 9)"
DATASET = "epcis: custody=2500;observations=3000;audit=2000;v1"
N_CUSTODY = 2_500
N_OBSERVATIONS = 3_000
N_AUDIT = 2_000
N_EVENTS = 2 * N_CUSTODY + N_OBSERVATIONS + N_AUDIT
GOAL_S = 10.0
START = datetime(2026, 1, 5, 8, 0)


def parse_args():
    parser = bl.bench_parser(__doc__, "bench_epcis", quiet_timeout=None)
    return bl.parse_bench_args(parser, quiet_timeout=None)


# Data set ---------------------------------------------------------------------------
def load_events(env, dbname):
    """The 10,000 events, written with set-based SQL (bench data, not a test of
    the ORM): custody periods, a scan batch's observations, a closed audit."""
    from odoo import SUPERUSER_ID, api

    ids = bl.bench_ids(env, dbname)
    registry = bl.odoo_registry(env, dbname)
    started = time.perf_counter()
    with registry.cursor() as cr:
        odoo_env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        company = odoo_env["res.company"].browse(ids["company"])
        company.asset_gs1_company_prefix = bl.COMPANY_PREFIX
        company.partner_id.tz = "Europe/Brussels"
        locations = ids["locations"]
        cr.execute(
            "UPDATE stock_location SET gln = NULL WHERE id = ANY(%s)", [locations]
        )
        for n, location_id in enumerate(locations[::2]):
            key = f"{bl.COMPANY_PREFIX}{n + 1:05d}"
            gln = key + bl._addon_tools().gs1.check_digit(key)
            cr.execute(
                "UPDATE stock_location SET gln = %s WHERE id = %s", [gln, location_id]
            )
        holder = odoo_env["res.partner"].create({"name": "Bench holder"})
        assets = ids["assets"][:2000]
        uid = ids["user"]
        cr.execute("DELETE FROM stock_asset_custody WHERE holder_id IN "
                   "(SELECT id FROM res_partner WHERE name = 'Bench holder'"
                   " AND id != %s)", [holder.id])  # fmt: skip
        rows = []
        for n in range(N_CUSTODY):
            asset_id, _epc, loc = assets[n % len(assets)]
            out = START + timedelta(hours=3 * n)
            rows.append(
                (asset_id, ids["company"], holder.id, out, out + timedelta(hours=2),
                 "returned", locations[loc], locations[(loc + 1) % 200],
                 locations[loc], uid, uid, out, uid, out)
            )  # fmt: skip
        cr.executemany(
            """
            INSERT INTO stock_asset_custody
                (asset_id, company_id, holder_id, date_from, date_returned, state,
                 location_from_id, location_to_id, return_location_id,
                 checkout_user_id, create_uid, create_date, write_uid, write_date)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
            """,
            rows,
        )
        batch = odoo_env["stock.asset.scan.batch"].create(
            {
                "name": f"bench-epcis-{uuid.uuid4()}",
                "company_id": ids["company"],
                "state": "done",
                "source": "native",
            }
        )
        odoo_env.flush_all()
        rows = []
        for n in range(N_OBSERVATIONS):
            asset_id, epc, loc = assets[n % len(assets)]
            seen = START + timedelta(hours=3 * n, minutes=30)
            rows.append(
                (batch.id, ids["company"], asset_id, epc, "matched", "observe",
                 locations[(loc + n) % 200], seen, seen, 1, n % 3 == 0)
            )  # fmt: skip
        cr.executemany(
            """
            INSERT INTO stock_asset_observation
                (batch_id, company_id, asset_id, code, status, mode, location_id,
                 first_seen, last_seen, read_count, moved)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
            """,
            rows,
        )
        audit = odoo_env["stock.asset.audit"].create(
            {"location_ids": [(6, 0, locations)], "company_id": ids["company"]}
        )
        odoo_env.flush_all()
        rows = []
        for n in range(N_AUDIT):
            asset_id, _epc, loc = assets[n]
            found = START + timedelta(hours=3 * n, minutes=45)
            rows.append(
                (audit.id, ids["company"], asset_id, f"{bl.ASSET_PREFIX}{n:05d}",
                 True, locations[loc], locations[loc], found, 1, "found")
            )  # fmt: skip
        cr.executemany(
            """
            INSERT INTO stock_asset_audit_line
                (audit_id, company_id, asset_id, code, expected,
                 expected_location_id, found_location_id, found_date, scan_count,
                 status)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
            """,
            rows,
        )
        cr.execute(
            "UPDATE stock_asset_audit SET state = 'done', date_done = %s WHERE id = %s",
            [START, audit.id],
        )
        cr.commit()  # pylint: disable=invalid-commit
    say(f"events loaded in {time.perf_counter() - started:.1f} s")


def ensure_database(env, dbname):
    key = bl.ensure_database(env, dbname)
    if bl.get_param(env, dbname, "bench_epcis.dataset") != DATASET:
        with env.cursor(dbname) as cr:
            # a new data set replaces the old one
            cr.execute("DELETE FROM stock_asset_custody")
            cr.execute("DELETE FROM stock_asset_audit_line")
            cr.execute("DELETE FROM stock_asset_observation")
        load_events(env, dbname)
        bl.set_param(env, dbname, "bench_epcis.dataset", DATASET)
    return key


# Variants ---------------------------------------------------------------------------
def reader_env(registry, cr):
    from odoo import api

    ids_user = api.Environment(cr, 1, {})["res.users"].search(
        [("login", "=", bl.USER_LOGIN)]
    )
    return api.Environment(cr, ids_user.id, {})


def export_model(registry):
    with registry.cursor() as cr:
        env = reader_env(registry, cr)
        started = time.perf_counter()
        document = env["stock.asset.epcis.export"]._export_document()
        body = json.dumps(document)
        elapsed = time.perf_counter() - started
        cr.rollback()
    return elapsed, document, len(body)


def export_orm(registry):
    """The baseline: the same events read record by record through the ORM."""
    from odoo import fields

    tools = sys.modules["odoo.addons.stock_asset_tracking.tools.epcis_export"]
    with registry.cursor() as cr:
        env = reader_env(registry, cr)
        started = time.perf_counter()
        assets = env["stock.asset"].with_context(active_test=False).search([])
        events = []
        custody = env["stock.asset.custody"].search([("asset_id", "in", assets.ids)])
        for record in custody:
            events.append(
                {"kind": "checkout", "record_id": record.id, "time": record.date_from,
                 "asset_id": record.asset_id.id,
                 "read_point_id": record.location_from_id.id,
                 "biz_location_id": record.location_to_id.id, "reference": None}
            )  # fmt: skip
            if record.date_returned:
                events.append(
                    {"kind": "checkin", "record_id": record.id,
                     "time": record.date_returned, "asset_id": record.asset_id.id,
                     "read_point_id": record.return_location_id.id,
                     "biz_location_id": record.return_location_id.id,
                     "reference": None}
                )  # fmt: skip
        lines = env["stock.asset.audit.line"].search(
            [("asset_id", "in", assets.ids), ("found_date", "!=", False)]
        )
        for line in lines:
            events.append(
                {"kind": "audit", "record_id": line.id, "time": line.found_date,
                 "asset_id": line.asset_id.id,
                 "read_point_id": line.found_location_id.id,
                 "biz_location_id": line.found_location_id.id,
                 "reference": line.audit_id.name}
            )  # fmt: skip
        observations = env["stock.asset.observation"].search(
            [("asset_id", "in", assets.ids), ("status", "=", "matched"),
             ("mode", "=", "observe")]
        )  # fmt: skip
        for obs in observations:
            events.append(
                {"kind": "arrival" if obs.moved else "observation",
                 "record_id": obs.id, "time": obs.last_seen,
                 "asset_id": obs.asset_id.id, "read_point_id": obs.location_id.id,
                 "biz_location_id": obs.location_id.id if obs.moved else None,
                 "reference": obs.batch_id.name}
            )  # fmt: skip
        used = env["stock.asset"].browse({e["asset_id"] for e in events})
        asset_values = {
            asset.id: {
                "code": asset.code,
                "epc": asset.epc,
                "company_prefix": asset.company_id.asset_gs1_company_prefix,
            }
            for asset in used
        }
        places = env["stock.location"].browse(
            {
                location_id
                for e in events
                for location_id in (e["read_point_id"], e["biz_location_id"])
                if location_id
            }
        )
        location_values = {
            place.id: {
                "gln": place.gln,
                "company_prefix": place.company_id.asset_gs1_company_prefix,
            }
            for place in places
        }
        config = env["stock.asset.epcis.export"]._export_config()
        document = tools.build_document(
            events, asset_values, location_values, config, fields.Datetime.now()
        )
        body = json.dumps(document)
        elapsed = time.perf_counter() - started
        cr.rollback()
    return elapsed, document, len(body)


def export_http(server, key):
    """Every page (``perPage`` 1000, the default), following the ``Link`` headers;
    the events of all pages in one document."""
    started = time.perf_counter()
    url, document, size = f"{server.url}{bl.API}/epcis/events", None, 0
    while url:
        response = requests.get(
            url, headers={"Authorization": f"Bearer {key}"}, timeout=600
        )
        response.raise_for_status()
        page, size = response.json(), size + len(response.content)
        if document is None:
            document = page
        else:
            document["epcisBody"]["eventList"] += page["epcisBody"]["eventList"]
        url = response.links.get("next", {}).get("url")
    return time.perf_counter() - started, document, size


def schema_errors(document):
    for parent in bl.ROOT.parents:
        path = parent / "shared" / "epcis" / "json-schema" / "EPCIS-JSON-Schema.json"
        if path.exists():
            import jsonschema

            validator = jsonschema.Draft7Validator(json.loads(path.read_text()))
            return sum(1 for _error in validator.iter_errors(document))
    return None


def events_of(document):
    return sorted(event["eventID"] for event in document["epcisBody"]["eventList"])


# Run --------------------------------------------------------------------------------
def main():
    args = parse_args()
    env = bl.Env(args.source)
    key = ensure_database(env, args.db)
    registry = bl.odoo_registry(env, args.db)
    load = bl.wait_quiet([args.db])
    say(f"other load before timing: {load:.0f} % of the machine")
    timings = {"model": [], "orm": [], "http": []}
    documents = {}
    sizes = {}
    for _ in range(args.repeat):
        for name, func in (("model", export_model), ("orm", export_orm)):
            elapsed, documents[name], sizes[name] = func(registry)
            timings[name].append(elapsed)
            say(f"  {name}: {elapsed:.2f} s")
    with bl.OdooServer(env, args.db, workers=2, name="epcis") as server:
        export_http(server, key)  # warm the worker
        for _ in range(args.repeat):
            elapsed, documents["http"], sizes["http"] = export_http(server, key)
            timings["http"].append(elapsed)
            say(f"  http: {elapsed:.2f} s")
        problems = server.log_problems()
    count = len(documents["model"]["epcisBody"]["eventList"])
    same = (
        events_of(documents["model"])
        == events_of(documents["orm"])
        == events_of(documents["http"])
    )
    errors = schema_errors(documents["http"])
    median = {name: statistics.median(values) for name, values in timings.items()}
    say(f"events {count}, same in all variants: {same}, schema errors: {errors}")
    if not same or count < N_EVENTS or errors or problems:
        raise SystemExit(f"check failed: {problems[:5]}")
    info = bl.machine(env, args.db)
    body = "\n".join(
        [
            f"Goal: export {N_EVENTS:,} events in at most {GOAL_S:.0f} s. "
            f"Command: `.venv/bin/python bench/epcis_export_bench.py"
            f"{bl.typed_args()}` "
            f"(database `{args.db}`, {env.source}).",
            "",
            f"Data: {count:,} events of 2,000 assets (2,500 custody periods: "
            f"{2 * N_CUSTODY:,} check-out / check-in events; {N_OBSERVATIONS:,} "
            f"RFID observations; {N_AUDIT:,} audit finds), half the locations "
            "with a GLN (SGLN), among the 20,000 assets of the bench data set. "
            f"Document: {sizes['http'] / 1e6:.1f} MB of JSON; "
            f"GS1 JSON Schema errors: {errors if errors is not None else 'not run'}. "
            "The three variants export the same event ids.",
            "",
            f"| variant | median of {args.repeat} (s) | runs (s) | vs goal |",
            "|---|---:|---|---:|",
            *(
                f"| {label} | {median[name]:.2f} | "
                f"{', '.join(f'{t:.2f}' for t in timings[name])} | "
                f"{median[name] / GOAL_S:.0%} |"
                for name, label in (
                    ("model", "addon: `_export_document` + `json.dumps` (in process)"),
                    ("http", "addon: `GET .../epcis/events` (server, 2 workers)"),
                    ("orm", "baseline: plain ORM reads + same builder (in process)"),
                )
            ),
            "",
            f"The set-based read is {median['orm'] / median['model']:.1f}x faster "
            "than the plain-ORM baseline. Load: other processes used "
            f"{load:.0f} % of the machine just before timing (`wait_quiet`); other "
            "engineers' test runs share the machine.",
            "",
            *bl.machine_lines(info),
        ]
    )
    bl.publish(args, HEADING, body)


if __name__ == "__main__":
    main()
