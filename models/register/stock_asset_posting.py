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

Per entry, Odoo then does work that changes nothing for a register entry; while
the register creates and posts its entries (context key ``REGISTER_BATCH``, set
by ``_post_locked`` below and read only here) it is left out:

- ``_post`` assigns each entry its journal's *checked* flag, a full ``write``
  per entry (balance query, sync of the lines) even when the flag is already
  that value: the entries are created with it and that write is skipped when it
  changes nothing;
- ``_post`` subscribes each entry's partner, none here (``[False]``): one access
  check and one search per entry for nothing;
- the precomputed fields of the lines that Odoo computes line by line for a
  journal entry (display type, partner, currency, amount in currency) are given
  the values those computes give (``_register_line_defaults``), as are the
  *checked* flag and the analytic default of the credit line;
- the chatter, only when no company of the entries keeps Odoo's audit trail
  (``res.company.check_account_audit_trail``, *Audit Trail* in the accounting
  settings): Odoo 18 keeps the audit trail of journal entries in their
  messages (creation message, tracked fields), so with the audit trail on the
  entries get them as any entry: the creation message (Odoo discards the
  tracking of a record created in the same transaction, so their posting is
  not tracked either way); with it off, they are created without creation
  message (``mail_create_nolog``) and their writes are not prepared for
  tracking (``mail_notrack``). The creator still follows them, and the
  chatter of the assets and of everything else is untouched.

Every check still runs: balance (``_check_balanced`` at create and when the
state is written), lock dates (the register's, then ``_post``'s and
``write``'s), the sequence constraints and ``made_sequence_gap``.
"""

from odoo import Command, api, fields, models

# Context key set while the register creates and posts its entries
# (``StockAssetDepreciationLine._post_locked``); read only by the methods below.
REGISTER_BATCH = "register_batch_post"
# What ``_post`` writes on an entry: with the audit trail off, not tracked.
POST_WRITE_FIELDS = frozenset({"state", "posted_before", "checked"})


class AccountMove(models.Model):
    _inherit = "account.move"

    def _register_quiet(self, journals=None):
        """Whether the register's entries of ``self`` (or of ``journals``) may be
        created and posted without chatter: only when no company of theirs keeps
        Odoo's audit trail (``res.company.check_account_audit_trail``, *Audit
        Trail* in the accounting settings), which is that chatter: the creation
        message and the tracking of the entry's fields. With it on, the entries
        get their messages as any entry."""
        if not self.env.context.get(REGISTER_BATCH):
            return False
        companies = (journals if journals is not None else self.journal_id).company_id
        return not any(companies.sudo().mapped("check_account_audit_trail"))

    @api.model_create_multi
    def create(self, vals_list):
        """The register's entries, audit trail off: no creation message and no
        tracking (``mail_create_nolog``, ``mail_notrack``); the creator still
        follows them. Everything else of Odoo's ``create`` runs (balance check,
        dynamic lines, constraints)."""
        journals = self.env["account.journal"].browse(
            {vals["journal_id"] for vals in vals_list if vals.get("journal_id")}
        )
        if not self._register_quiet(journals):
            return super().create(vals_list)
        quiet = self.with_context(mail_create_nolog=True, mail_notrack=True)
        return super(AccountMove, quiet).create(vals_list).with_env(self.env)

    def write(self, vals):
        """In the register's posting, what ``_post`` writes entry by entry
        (``move.checked = journal.autocheck_on_post``) is left out when it
        changes nothing: a full ``write`` each, with a balance query and a
        sync of the lines, for a value the entry already has (set at create by
        ``_register_batch_vals``); the entry is checked when ``_post`` writes
        its state. With the audit trail off, ``_post``'s writes are not
        tracked (``_register_quiet``)."""
        if not self.env.context.get(REGISTER_BATCH) or not vals.keys() <= (
            POST_WRITE_FIELDS
        ):
            return super().write(vals)
        vals = {
            fname: value
            for fname, value in vals.items()
            if fname != "checked" or any(move.checked != bool(value) for move in self)
        }
        if not vals:
            return True
        if self._register_quiet():
            return super(AccountMove, self.with_context(mail_notrack=True)).write(vals)
        return super().write(vals)

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        """``_post`` subscribes the partner of each entry, one call and one
        search an entry; a register entry has none (``[False]``): nothing to
        subscribe, as Odoo would find."""
        if self.env.context.get(REGISTER_BATCH) and partner_ids:
            partner_ids = [partner_id for partner_id in partner_ids if partner_id]
            if not partner_ids:
                return True
        return super().message_subscribe(partner_ids, subtype_ids)

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
        self._register_line_defaults(named, journals)
        return named

    @api.model
    def _register_line_defaults(self, vals_list, journals):
        """Give the lines of the journal entries (``move_type`` *entry*) of
        ``vals_list`` the values Odoo's precomputed fields of
        ``account.move.line`` would give them, so that their computes do not run
        line by line: ``display_type`` *product* (``_compute_display_type``, not
        an invoice), no partner (``_compute_partner_id``: the entry has none),
        the company's currency (``_compute_currency_id``, not an invoice and no
        currency given) and ``amount_currency`` equal to the balance
        (``_compute_amount_currency`` in the company's currency). Entries or
        lines that carry any of these values are left to Odoo."""
        currencies = {
            journal.id: journal.company_id.currency_id for journal in journals
        }
        for vals in vals_list:
            currency = currencies.get(vals.get("journal_id"))
            if (
                not currency
                or vals.get("move_type", "entry") != "entry"
                or {"partner_id", "currency_id"} & vals.keys()
            ):
                continue
            for command in vals.get("line_ids") or ():
                line = command[2] if command[0] == Command.CREATE else None
                if (
                    not line
                    or "balance" not in line
                    or {
                        "display_type",
                        "partner_id",
                        "currency_id",
                        "amount_currency",
                        "debit",
                        "credit",
                    }
                    & line.keys()
                ):
                    continue
                line.update(
                    display_type="product",
                    partner_id=False,
                    currency_id=currency.id,
                    amount_currency=line["balance"],
                )

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

    # Whether ``_post_locked`` marks its posting (benchmarks and tests turn it
    # off to compare with Odoo's own path)
    _register_batch_post = True

    def _post_locked(self):
        """The register's create-and-post, with the context key that lets the
        entries' ``create``, ``write`` and ``message_subscribe`` above skip
        Odoo's per-entry work that changes nothing (and the chatter when the
        audit trail is off). The entries come back in the caller's context."""
        lines = self
        if self._register_batch_post:
            lines = self.with_context(**{REGISTER_BATCH: True})
        moves = super(StockAssetDepreciationLine, lines)._post_locked()
        return moves.with_env(self.env)

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
