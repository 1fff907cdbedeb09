# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Posting many register entries at once (issue 18).

Odoo numbers a journal entry when it is posted, one entry at a time
(``sequence.mixin._set_next_sequence``): each entry searches the last number of
its journal and period (``_get_last_sequence``: two ORM searches for the
reference entry and one query whose sub-select walks the journal's entries by
descending id until it meets a named one), then flushes itself in a savepoint.
Every entry of the batch not numbered yet is a draft named ``/`` (NULL during
``create()``) with a higher id than the numbered ones: each search walks over
all of them, so the cost of an entry grows with the number of entries created
with it, quadratic for the batch (bench/RESULTS.md, *Posting one entry per
asset at scale*).

Here the batch is numbered in one pass, with the sequence mixin's own methods:
one probe per journal and date finds the last number of the period exactly as
``_set_next_sequence`` does, and the entries take the following numbers in the
order Odoo would give them (date, reference). The entries are created with
their names, then posted by Odoo's ``_post`` unchanged: balance, lock dates,
date/sequence consistency (``_constrains_date_sequence``), the unique name of a
posted entry (index ``account_move_unique_name``) and the gap flag
(``made_sequence_gap``) are all checked as for any entry. A concurrent posting
that took one of the numbers makes the chunk fail on the unique index; the
chunk is then posted entry by entry (see ``_post_chunk_isolated``), each
numbered by Odoo's ``_set_next_sequence``, which steps over the numbers taken.
"""

from odoo import Command, api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def _register_batch_vals(self, vals_list):
        """``vals_list`` of draft register entries as ``_post`` will find them
        with least work: numbered (``_register_sequence_names``; not with the
        context key ``register_sequence_by_odoo``, set when a chunk is retried
        entry by entry: Odoo's ``_set_next_sequence`` then numbers each entry and
        steps over a number a concurrent transaction took) and with the
        ``checked`` flag that ``_post`` sets from the journal (``_post`` assigns
        it entry by entry, and an entry whose flag changes is written alone,
        with a balance query and a sync of its lines each)."""
        if self.env.context.get("register_sequence_by_odoo"):
            named = [dict(vals) for vals in vals_list]
        else:
            named = self._register_sequence_names(vals_list)
        journals = self.env["account.journal"].browse(
            {vals["journal_id"] for vals in named if vals.get("journal_id")}
        )
        autocheck = {journal.id: journal.autocheck_on_post for journal in journals}
        for vals in named:
            if vals.get("journal_id") and "checked" not in vals:
                vals["checked"] = autocheck[vals["journal_id"]]
        self._register_analytic_defaults(named, journals)
        return named

    @api.model
    def _register_analytic_defaults(self, vals_list, journals):
        """Give the lines of ``vals_list`` without an analytic distribution the
        one Odoo's ``account.move.line._compute_analytic_distribution`` would
        compute (the distribution models matching the account and company of a
        line without partner or product), read once per account and company
        instead of once per line."""
        Model = self.env["account.analytic.distribution.model"]
        companies = {journal.id: journal.company_id for journal in journals}
        cache = {}
        for vals in vals_list:
            company = companies.get(vals.get("journal_id"))
            for command in vals.get("line_ids") or ():
                line = command[2] if command[0] == Command.CREATE else None
                if (
                    not company
                    or not line
                    or "analytic_distribution" in line
                    or not line.get("account_id")
                    or {"partner_id", "product_id", "display_type"} & line.keys()
                ):
                    continue
                key = (line["account_id"], company.id)
                if key not in cache:
                    account = self.env["account.account"].browse(line["account_id"])
                    cache[key] = (
                        Model._get_distribution(
                            {
                                "product_id": False,
                                "product_categ_id": False,
                                "partner_id": False,
                                "partner_category_id": [],
                                "account_prefix": account.with_company(company).code,
                                "company_id": company.id,
                            }
                        )
                        or False
                    )
                line["analytic_distribution"] = cache[key]

    @api.model
    def _register_sequence_names(self, vals_list):
        """``vals_list`` of draft entries, each given the ``name`` Odoo's sequence
        mixin would give it if they were posted together (a copy: the list given
        is left unchanged). Entries that already carry a name keep it."""
        states = {}
        order = sorted(
            (
                index
                for index, vals in enumerate(vals_list)
                if vals.get("journal_id") and vals.get("date") and not vals.get("name")
            ),
            key=lambda index: (
                fields.Date.to_date(vals_list[index]["date"]),
                vals_list[index].get("ref") or "",
                index,
            ),
        )
        named = [dict(vals) for vals in vals_list]
        probes = {}
        for index in order:
            vals = named[index]
            key = (
                vals["journal_id"],
                fields.Date.to_date(vals["date"]),
                vals.get("move_type", "entry"),
            )
            if key not in probes:
                probes[key] = self._register_sequence_state(key, states)
            format_string, values = probes[key]
            values["seq"] += 1
            vals["name"] = format_string.format(**values)
        return named

    @api.model
    def _register_sequence_state(self, key, states):
        """``(format, values)`` of the numbering of the period of ``key``
        (journal id, date, move type), shared by the dates of one period: the
        steps of ``sequence.mixin._set_next_sequence`` before it writes."""
        journal_id, day, move_type = key
        probe = self.new(
            {"journal_id": journal_id, "date": day, "move_type": move_type}
        )
        last_sequence = probe._get_last_sequence()
        new = not last_sequence
        if new:
            last_sequence = (
                probe._get_last_sequence(relaxed=True) or probe._get_starting_sequence()
            )
        format_string, values = probe._get_sequence_format_param(last_sequence)
        reset = probe._deduce_sequence_number_reset(last_sequence)
        date_start, date_end, forced_start, forced_end = probe._get_sequence_date_range(
            reset
        )
        period = (journal_id, move_type, date_start, date_end, format_string)
        if period in states:
            return states[period]
        if new:
            values["seq"] = 0
            values["year"] = probe._truncate_year_to_length(
                forced_start or date_start.year, values["year_length"]
            )
            values["year_end"] = probe._truncate_year_to_length(
                forced_end or date_end.year, values["year_end_length"]
            )
            values["month"] = day.month
        states[period] = (format_string, values)
        return states[period]


class StockAssetDepreciationLine(models.Model):
    _inherit = "stock.asset.depreciation.line"

    # Entries created and posted together, in one savepoint: a failure costs the
    # retry of this many entries one by one, and Odoo's caches stay small.
    _post_chunk_size = 1000

    def _split_posting_chunks(self):
        """``self`` split in chunks of about ``_post_chunk_size`` lines; the lines
        that post together (``_split_posting_units``) are never split.

        The units are taken in the order of their entries' references, the order
        in which Odoo numbers the entries of one date (``account.move.
        _compute_name`` sorts by date, reference): each chunk continues every
        date's numbering where the previous one stopped, so the entries get the
        numbers they would get posted all together."""
        chunks, current = [], []
        units = sorted(self._split_posting_units(), key=lambda u: u._posting_rank())
        for unit in units:
            current += unit.ids
            if len(current) >= self._post_chunk_size:
                chunks.append(self.browse(current))
                current = []
        if current:
            chunks.append(self.browse(current))
        return chunks

    def _posting_rank(self):
        """Sort key of the lines of ``self`` (one posting unit): the reference
        of their entries (``_prepare_move_vals``) without its date."""
        first = self[0]
        if first.category_id.group_entries:
            return self.env._(
                "%(category)s: depreciation of %(date)s",
                category=first.category_id.sudo().name,
                date="",
            )
        return self.env._(
            "%(asset)s: depreciation of %(date)s", asset=first.asset_id.code, date=""
        )
