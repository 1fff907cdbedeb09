# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""EPC binary values rebuilt field by field from the TDS §14.5 coding tables,
independently of tools/epc.py (the tests compare the module's encodings with
them)."""


def bits(*fields):
    """Hex of the concatenated ``(value, width)`` bit fields, in 16-bit words."""
    text = "".join(format(value, f"0{width}b") for value, width in fields)
    text += "0" * (-len(text) % 16)
    return "".join(f"{int(text[i : i + 4], 2):X}" for i in range(0, len(text), 4))


def chars7(text, width):
    """The TDS 7-bit string encoding of ``text`` in a ``width``-bit field."""
    value = 0
    for char in text:
        value = value << 7 | ord(char)
    return value << (width - 7 * len(text)), width


def chars6(text):
    """TDS 6-bit characters of ``text`` and their terminator."""
    value = 0
    for char in text:
        value = value << 6 | (ord(char) & 0x3F)
    return value << 6, 6 * (len(text) + 1)
