# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""EPC hex decoding speed: tools/epc.py against a peer Python EPC library.

100,000 random tags (seeded), drawn over the schemes both decoders read
(SGTIN-96/198, SSCC-96, SGLN-96/195, GRAI-96/170, GIAI-96/202, GDTI-96/174,
GSRN-96, GSRNP-96, SGCN-96, CPI-96, ITIP-110/212, GID-96), with random
filters and partitions; each decoder turns every hex into its pure identity
URI, and the two answers must agree.  Our decoder runs without its cache
(every tag is new to it), as the peer has none.

The peer is ``epcpy`` (pip install epcpy, into the virtualenv; it is not a
dependency of the addon).  Without it the bench times our decoder alone and
says so.

    .venv/bin/python bench/gs1_bench.py [--tags 100000] [--seed 20] [--write]

``--write`` appends the figures as a section of bench/RESULTS.md.  Our
decoder is also timed alone on as many random TDS 2.0 '+' tags (SGTIN+,
GIAI+, SSCC+, SGLN+, some with +AIDC data), which the peer does not read.
"""

import argparse
import datetime as dt
import importlib.util
import platform
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location(
    "sat_tools", ROOT / "tools" / "__init__.py", submodule_search_locations=[]
)


def _load_tools():
    """tools/epc.py without Odoo: the tools package loaded on its own."""
    package = importlib.util.module_from_spec(SPEC)
    package.__path__ = [str(ROOT / "tools")]
    sys.modules["sat_tools"] = package
    spec = importlib.util.spec_from_file_location(
        "sat_tools.epc", ROOT / "tools" / "epc.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["sat_tools.epc"] = module
    spec.loader.exec_module(module)
    return module


KEEP_MARKER = "<!-- analysis: kept across runs -->"
CSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_:"


def _text(rng, size):
    return "".join(rng.choice(CSET) for _ in range(rng.randint(1, size)))


def _number(rng, bits, digits=None):
    top = (1 << bits) - 1
    if digits is not None:
        top = min(top, 10**digits - 1)
    return str(rng.randint(0, top))


def _digits(rng, size):
    return "".join(rng.choice("0123456789") for _ in range(size))


def random_tag(rng, epc):
    """One random valid EPC (hex) of a scheme both decoders read."""
    scheme = rng.choice(SCHEMES)
    length = rng.randint(6, 12)
    cp = _digits(rng, length)
    rest = 12 - length
    fields = {
        "sgtin-96": lambda: {
            "item_reference": _digits(rng, rest + 1),
            "serial": _number(rng, 38),
        },
        "sgtin-198": lambda: {
            "item_reference": _digits(rng, rest + 1),
            "serial": _text(rng, 20),
        },
        "sscc-96": lambda: {"serial_reference": _digits(rng, rest + 5)},
        "sgln-96": lambda: {
            "location_reference": _digits(rng, rest),
            "extension": _number(rng, 41),
        },
        "sgln-195": lambda: {
            "location_reference": _digits(rng, rest),
            "extension": _text(rng, 20),
        },
        "grai-96": lambda: {
            "asset_type": _digits(rng, rest),
            "serial": _number(rng, 38),
        },
        "grai-170": lambda: {
            "asset_type": _digits(rng, rest),
            "serial": _text(rng, 16),
        },
        "giai-96": lambda: {"asset_reference": _number(rng, 42 + 3 * (12 - length))},
        "giai-202": lambda: {"asset_reference": _text(rng, 30 - length)},
        "gdti-96": lambda: {
            "document_type": _digits(rng, rest),
            "serial": _number(rng, 41),
        },
        "gdti-174": lambda: {
            "document_type": _digits(rng, rest),
            "serial": _text(rng, 17),
        },
        "gsrn-96": lambda: {"service_reference": _digits(rng, rest + 5)},
        "gsrnp-96": lambda: {"service_reference": _digits(rng, rest + 5)},
        "sgcn-96": lambda: {
            "coupon_reference": _digits(rng, rest),
            "serial": _digits(rng, rng.randint(1, 12)),
        },
        "cpi-96": lambda: {
            "part_reference": _number(rng, 11, 15 - length),
            "serial": _number(rng, 31),
        },
        "itip-110": lambda: {
            "item_reference": _digits(rng, rest + 1),
            "piece": f"{rng.randint(1, 99):02d}",
            "total": f"{rng.randint(1, 99):02d}",
            "serial": _number(rng, 38),
        },
        "itip-212": lambda: {
            "item_reference": _digits(rng, rest + 1),
            "piece": f"{rng.randint(1, 99):02d}",
            "total": f"{rng.randint(1, 99):02d}",
            "serial": _text(rng, 20),
        },
    }
    if scheme == "gid-96":
        return epc.encode(
            "gid-96",
            manager_number=_number(rng, 28),
            object_class=_number(rng, 24),
            serial=_number(rng, 36),
        )
    return epc.encode(scheme, cp, filter=rng.randint(0, 7), **fields[scheme]())


SCHEMES = (
    "sgtin-96",
    "sgtin-198",
    "sscc-96",
    "sgln-96",
    "sgln-195",
    "grai-96",
    "grai-170",
    "giai-96",
    "giai-202",
    "gdti-96",
    "gdti-174",
    "gsrn-96",
    "gsrnp-96",
    "sgcn-96",
    "cpi-96",
    "itip-110",
    "itip-212",
    "gid-96",
)


def _peer():
    try:
        from epcpy import hex_to_tag_encodable
    except ImportError:
        return None
    return hex_to_tag_encodable


def _time(decode, tags):
    start = time.perf_counter()
    out = [decode(tag) for tag in tags]
    return time.perf_counter() - start, out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tags", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    epc = _load_tools()
    rng = random.Random(args.seed)
    tags = [random_tag(rng, epc) for _ in range(args.tags)]
    uncached = epc._decode_upper_hex.__wrapped__

    def ours(tag):
        return uncached(tag, True).pure_uri

    ours_s, ours_out = min(
        (_time(ours, tags) for _ in range(3)), key=lambda result: result[0]
    )
    lines = [
        f"- tags: {len(tags):,} random (seed {args.seed}) over {len(SCHEMES)} schemes",
        f"- tools/epc.py: {ours_s:.2f} s ({1e6 * ours_s / len(tags):.1f} µs a tag,"
        " best of 3, cache off)",
    ]
    peer = _peer()
    if peer is None:
        lines.append("- peer: epcpy is not installed (pip install epcpy): not compared")
    else:

        def theirs(tag):
            try:
                return peer(tag).epc_uri
            except Exception:  # the peer refuses some valid tags: counted below
                return None

        peer_s, peer_out = min(
            (_time(theirs, tags) for _ in range(3)), key=lambda result: result[0]
        )
        refused = sum(answer is None for answer in peer_out)
        differ = [
            tag
            for tag, mine, its in zip(tags, ours_out, peer_out, strict=True)
            if its is not None and mine != its
        ]
        lines += [
            f"- epcpy {_version()}: {peer_s:.2f} s ({1e6 * peer_s / len(tags):.1f} µs"
            " a tag, best of 3)",
            f"- ratio: ours is {peer_s / ours_s:.1f}x faster",
            f"- tags the peer refuses (valid per TDS): {refused}",
            f"- answers that differ: {len(differ)}"
            + (f" (first: {differ[0]})" if differ else ""),
        ]
    lines += _plus_lines(epc, rng, len(tags))
    print("\n".join(lines))
    if args.write:
        _write(lines)


def random_plus_tag(rng, epc):
    """One random SGTIN+ / GIAI+ / SSCC+ / SGLN+ tag (TDS 2.0), some with
    +AIDC data (17) and (10): the peer reads none of these schemes."""

    def key(size):
        body = "".join(rng.choice("0123456789") for _ in range(size - 1))
        return body + epc.gs1.check_digit(body)

    kind = rng.randrange(4)
    if kind == 0:
        pairs = [("01", key(14)), ("21", _text(rng, 20))]
        if rng.random() < 0.5:
            pairs += [("17", "261231"), ("10", _text(rng, 10))]
        return epc.encode_plus("sgtin+", pairs, filter=rng.randint(0, 7))
    if kind == 1:
        prefix = _digits(rng, rng.randint(6, 12))
        return epc.encode_plus(
            "giai+", [("8004", prefix + _text(rng, 30 - len(prefix)))]
        )
    if kind == 2:
        return epc.encode_plus("sscc+", [("00", key(18))], filter=rng.randint(0, 7))
    return epc.encode_plus("sgln+", [("414", key(13)), ("254", _text(rng, 20))])


def _plus_lines(epc, rng, count):
    """Our decoder alone on the TDS 2.0 '+' schemes (no peer reads them)."""
    tags = [random_plus_tag(rng, epc) for _ in range(count)]
    uncached = epc._decode_upper_hex.__wrapped__

    def ours(tag):
        return uncached(tag, True).element_string

    seconds, _out = min((_time(ours, tags) for _ in range(3)), key=lambda r: r[0])
    return [
        f"- tools/epc.py on {count:,} random TDS 2.0 '+' tags (SGTIN+ with and"
        " without +AIDC data, GIAI+, SSCC+, SGLN+; to element strings):"
        f" {seconds:.2f} s ({1e6 * seconds / count:.1f} µs a tag, best of 3;"
        " the peer reads none of these schemes)"
    ]


def _version():
    try:
        from importlib.metadata import version

        return version("epcpy")
    except ImportError:
        return "?"


def _write(lines):
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    ).stdout.strip()
    section = [
        "",
        "## EPC hex decoding against a peer library (issue 20)",
        "",
        "Command: `.venv/bin/python bench/gs1_bench.py --write`"
        f" (commit {commit}, work tree as checked out)",
        "",
        *lines,
        f"- Python {platform.python_version()}, {platform.platform()}",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        "",
    ]
    path = ROOT / "bench" / "RESULTS.md"
    text = path.read_text(encoding="utf-8")
    title = section[1]
    start = text.find(title)
    if start < 0:
        text = text.rstrip("\n") + "\n" + "\n".join(section)
    else:
        # rewrite this section only; a hand-written analysis below the marker stays
        end = text.find("\n## ", start + len(title))
        end = len(text) if end < 0 else end
        old = text[start:end]
        kept = old[old.find(KEEP_MARKER) :] if KEEP_MARKER in old else ""
        new = "\n".join(section[1:]) + ("\n" + kept.rstrip("\n") + "\n" if kept else "")
        text = text[:start] + new + text[end:]
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
