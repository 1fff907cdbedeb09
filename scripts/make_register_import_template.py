"""Write static/xls/stock_asset_register_import.xlsx, the import template of the
fixed-asset register (Assets > Register > Fixed Assets > Import records).

The column titles are the field labels Odoo's import maps by itself; the
columns are documented in readme/usage/register.md ("Going live with an
existing register"). Run: .venv/bin/python scripts/make_register_import_template.py
"""

import datetime
from pathlib import Path

import xlsxwriter

COLUMNS = (
    "Description",
    "Asset Tag",
    "Category",
    "Acquisition Date",
    "Original Value",
    "Salvage Value",
    "Depreciation Method",
    "Number of Periods",
    "Period Length",
    "Degressive Factor",
    "Prorata Temporis",
    "Go-Live Date",
    "Accumulated Depreciation at Go-Live",
)
D = datetime.date
ROWS = (
    (
        "Forklift Linde H25",
        "FA-2021-001",
        "Vehicles",
        D(2021, 3, 1),
        28500.0,
        3500.0,
        "Linear",
        60,
        "Months",
        0.0,
        False,
        D(2025, 1, 1),
        18750.0,
    ),
    (
        "Laptop ThinkPad T14",
        "FA-2023-014",
        "IT Equipment",
        D(2023, 6, 15),
        1890.0,
        0.0,
        "Linear",
        3,
        "Years",
        0.0,
        True,
        D(2025, 1, 1),
        945.0,
    ),
    (
        "Pillar Drill",
        "FA-2022-007",
        "Power Tools",
        D(2022, 1, 1),
        4200.0,
        200.0,
        "Degressive",
        5,
        "Years",
        0.3,
        False,
        D(2025, 1, 1),
        2628.0,
    ),
)


def main():
    path = Path(__file__).resolve().parent.parent / "static/xls"
    path.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path / "stock_asset_register_import.xlsx"))
    sheet = book.add_worksheet("Fixed Assets")
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    money = book.add_format({"num_format": "0.00"})
    for col, title in enumerate(COLUMNS):
        sheet.write(0, col, title, bold)
        sheet.set_column(col, col, max(14, len(title) + 2))
    for row, values in enumerate(ROWS, start=1):
        for col, value in enumerate(values):
            if isinstance(value, datetime.date):
                sheet.write_datetime(
                    row, col, datetime.datetime.combine(value, datetime.time()), day
                )
            elif isinstance(value, bool):
                sheet.write_string(row, col, "TRUE" if value else "FALSE")
            elif isinstance(value, float):
                sheet.write_number(row, col, value, money)
            else:
                sheet.write(row, col, value)
    book.close()


if __name__ == "__main__":
    main()
