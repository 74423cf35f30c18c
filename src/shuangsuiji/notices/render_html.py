"""A standalone HTML page: one file, inline CSS, no script, no external resource.

The page opens offline, prints cleanly (table headers repeat on every page, rows do not split),
and declares its language (``zh-CN`` or ``en``) so that browsers and screen readers pick the
right fonts and voice. Every piece of text goes through :func:`html.escape`, so a target named
``<script>`` is shown, not run. The font stack names a Chinese sans-serif font found on each
common system (Microsoft YaHei on Windows, PingFang/Hiragino on macOS, Noto Sans CJK or
WenQuanYi on Linux) after the Latin ones, so Latin text and digits keep their usual face.
"""

from __future__ import annotations

import unicodedata
from html import escape

from .document import Document, Table, cell_text

__all__ = ["HTML_LANG", "render_html"]

HTML_LANG = {"zh": "zh-CN", "en": "en"}

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body {
  margin: 0; background: #f4f5f7; color: #1f2328;
  font-family: "Segoe UI", "Helvetica Neue", Arial, "PingFang SC", "Hiragino Sans GB",
    "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
    sans-serif;
  font-size: 15px; line-height: 1.6;
}
main {
  max-width: 1200px; margin: 24px auto; padding: 32px 40px 40px;
  background: #fff; border: 1px solid #d0d7de; border-radius: 6px;
}
header { text-align: center; border-bottom: 2px solid #b42318; padding-bottom: 16px; }
h1 { font-size: 26px; margin: 0; letter-spacing: 0.04em; color: #b42318; }
.subtitle { font-size: 18px; margin: 6px 0 0; font-weight: 600; }
dl.facts {
  display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px;
  margin: 20px 0 8px; font-size: 14px;
}
dl.facts dt { font-weight: 600; color: #57606a; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
section { margin-top: 28px; }
h2 { font-size: 18px; margin: 0 0 8px; padding-left: 10px; border-left: 4px solid #b42318; }
.count { font-weight: 400; color: #57606a; font-size: 14px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
table.narrow { width: auto; min-width: 40%; }
th, td {
  border: 1px solid #d0d7de; padding: 5px 8px; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; white-space: pre-line;
}
th { background: #f6f8fa; font-weight: 600; white-space: normal; overflow-wrap: normal; }
tbody tr:nth-child(even) td { background: #fafbfc; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.num, .nowrap { white-space: nowrap; overflow-wrap: normal; }
th.nowrap, th.num { white-space: normal; }
td.empty { color: #8c959f; text-align: center; }
footer { margin-top: 28px; padding-top: 12px; border-top: 1px solid #d0d7de;
  font-size: 13px; color: #57606a; }
footer p { margin: 4px 0; }
@media print {
  @page { margin: 12mm; }
  body { background: #fff; font-size: 10pt; }
  main { max-width: none; margin: 0; padding: 0; border: 0; }
  .scroll { overflow: visible; }
  table { font-size: 8.5pt; }
  thead { display: table-header-group; }
  tr, dl.facts { break-inside: avoid; }
  h2 { break-after: avoid; }
  tbody tr:nth-child(even) td { background: none; }
}
""".strip()


def _e(text: str) -> str:
    return escape(text, quote=True)


# Identifiers read best unbroken: an 18-character credit code split over two lines is easy to
# misread. Other short columns (city, credit class) are kept on one line too, so that the table
# layout does not squeeze them to one character per line next to long names.
_UNBROKEN_KEYS = frozenset({"id", "visit", "certificate", "seed"})
_SHORT = 20  # display columns (a CJK character counts 2)


def _short(text: str) -> bool:
    if len(text) <= _SHORT // 2:  # short even if every character is wide
        return True
    width = sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)
    return width <= _SHORT


def _classes(t: Table) -> list[str]:
    out = []
    for j, c in enumerate(t.columns):
        if c.numeric:
            out.append(' class="num"')
        elif c.key in _UNBROKEN_KEYS or all(_short(cell_text(r[j])) for r in t.rows):
            out.append(' class="nowrap"')
        else:
            out.append("")
    return out


def _table(t: Table) -> list[str]:
    classes = _classes(t)
    head = "".join(f'<th scope="col"{cls}>{_e(c.label)}</th>' for c, cls in zip(t.columns, classes))
    out = [
        "<section>",
        f'<h2>{_e(t.title)} <span class="count">({len(t.rows)})</span></h2>',
        '<div class="scroll"><table class="narrow">'
        if len(t.columns) <= 2
        else '<div class="scroll"><table>',
        f"<thead><tr>{head}</tr></thead>",
        "<tbody>",
    ]
    out += [
        "<tr>"
        + "".join(f"<td{cls}>{_e(cell_text(v))}</td>" for cls, v in zip(classes, r))
        + "</tr>"
        for r in t.rows
    ]
    if not t.rows:
        out.append(f'<tr><td class="empty" colspan="{len(t.columns)}">—</td></tr>')
    out += ["</tbody>", "</table></div>", "</section>"]
    return out


def render_html(doc: Document) -> bytes:
    title = doc.title + (f" — {doc.subtitle}" if doc.subtitle else "")
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{HTML_LANG[doc.lang]}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="shuangsuiji">',
        f"<title>{_e(title)}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>{_e(doc.title)}</h1>",
    ]
    if doc.subtitle:
        out.append(f'<p class="subtitle">{_e(doc.subtitle)}</p>')
    out.append("</header>")
    if doc.facts:
        out.append('<dl class="facts">')
        out += [f"<dt>{_e(f.label)}</dt><dd>{_e(cell_text(f.value))}</dd>" for f in doc.facts]
        out.append("</dl>")
    for t in doc.tables:
        out += _table(t)
    if doc.notes:
        out.append("<footer>")
        out += [f"<p>{_e(n)}</p>" for n in doc.notes]
        out.append("</footer>")
    out += ["</main>", "</body>", "</html>"]
    return ("\n".join(out) + "\n").encode("utf-8")
