# ruff: noqa: E501 (CSS of the rendered page)
"""An XLSX sheet as an HTML page that looks like a spreadsheet application,
for tools/screenshots.py (headless Chromium cannot open a workbook)."""

import html


def xlsx_cell(cell):
    value = cell.value
    if value is None:
        return ""
    fmt = cell.number_format or ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, int | float) and "[h]" in fmt:
        minutes = round(value * 24 * 60)
        return f"{minutes // 60}:{minutes % 60:02d}"
    if isinstance(value, float) and "%" in fmt:
        return f"{value * 100:.1f}%"
    return str(value)


def xlsx_html(workbook, active, rows, cols):
    sheet = workbook[active]
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    head = "".join(f"<th class='h'>{letters[c]}</th>" for c in range(cols))
    body = []
    for r, row in enumerate(
        sheet.iter_rows(min_row=1, max_row=rows, max_col=cols), start=1
    ):
        tds = []
        for cell in row:
            bold = " style='font-weight:bold;background:#E9ECEF'" if r == 1 else ""
            align = " class='n'" if isinstance(cell.value, int | float) else ""
            tds.append(f"<td{align}{bold}>{html.escape(xlsx_cell(cell))}</td>")
        body.append(f"<tr><th class='h'>{r}</th>{''.join(tds)}</tr>")
    tabs = "".join(
        f"<span class='tab{' on' if name == active else ''}'>{html.escape(name)}</span>"
        for name in workbook.sheetnames
    )
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; font: 13px Arial, sans-serif; background: #fff; }}
.bar {{ background: #217346; color: #fff; padding: 10px 16px; font-size: 15px; }}
.formula {{ border-bottom: 1px solid #d0d0d0; padding: 6px 16px; color: #555; }}
table {{ border-collapse: collapse; white-space: nowrap; }}
td, th {{ border: 1px solid #d4d4d4; padding: 4px 8px; max-width: 230px; overflow: hidden; text-overflow: ellipsis; }}
th.h {{ background: #f3f3f3; color: #666; font-weight: normal; text-align: center; }}
td.n {{ text-align: right; }}
.tabs {{ position: fixed; bottom: 0; left: 0; right: 0; background: #f3f3f3; border-top: 1px solid #ccc; padding: 4px 8px; white-space: nowrap; overflow: hidden; }}
.tab {{ display: inline-block; padding: 4px 12px; color: #444; }}
.tab.on {{ background: #fff; color: #217346; border-bottom: 2px solid #217346; font-weight: bold; }}
</style></head><body>
<div class="bar">{html.escape(active)} — complaints workbook (.xlsx)</div>
<div class="formula">A1 &nbsp; {html.escape(xlsx_cell(sheet["A1"]))}</div>
<table><tr><th class='h'></th>{head}</tr>{"".join(body)}</table>
<div class="tabs">{tabs}</div></body></html>"""
