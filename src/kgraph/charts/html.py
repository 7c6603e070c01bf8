"""A chart as one offline HTML page, or as a figure for another page (Vega inlined).

Vega, Vega-Lite and Vega-Embed come inlined from the bundle vl-convert ships
(``vl_convert.javascript_bundle``), so a page needs no network; its
Content-Security-Policy forbids every request (``default-src 'none'``), and
allows ``unsafe-eval`` only because Vega compiles its expressions to functions.
Text from the data reaches the page as escaped JSON inside ``<script
type="application/json">`` and as HTML-escaped table cells; Vega draws labels as
SVG text and its tooltip escapes them, so no label becomes markup.
"""

from __future__ import annotations

import ast
import html
import json
from functools import cache
from typing import Any

from kgraph.charts.data import ChartData, Point
from kgraph.charts.offline import CSP, FORMAT_LOCALES, TIME_LOCALES, vl_version
from kgraph.charts.specs import TEXT, printed
from kgraph.errors import ChartError

#: Vega-Embed's menu, per label language
_MENU = {
    "vi": {"SVG_ACTION": "Lưu thành SVG", "PNG_ACTION": "Lưu thành PNG"},
    "en": {"SVG_ACTION": "Save as SVG", "PNG_ACTION": "Save as PNG"},
}
_PAGE_TEXT = {
    "vi": {
        "figures": "Các số liệu trong biểu đồ",
        "undated": "Số liệu không có ngày (bài báo không ghi ngày), không vẽ",
        "hover": "Rê chuột lên một điểm để xem trích dẫn và nguồn; menu ⋯ lưu biểu đồ "
        "thành SVG hoặc PNG.",
        "footer": "Tạo bởi kgraph từ đồ thị RDF. Mỗi số liệu dẫn nguyên văn câu trong bài báo gốc.",
    },
    "en": {
        "figures": "The figures in the chart",
        "undated": "Figures without dates (undated articles), not drawn",
        "hover": "Hover over a point for its quote and source; the ⋯ menu saves the chart "
        "as SVG or PNG.",
        "footer": "Made by kgraph from the RDF graph. Every figure quotes its source article "
        "verbatim.",
    },
}

#: draws every figure.kgraph-chart of the page; body[data-rendered] says when all are drawn
_EMBED = """
(() => {
  const views = [];
  window.kgraphCharts = {views, svg: (i) => views[i || 0].toSVG()};
  function draw() {
    const figures = Array.from(document.querySelectorAll('figure.kgraph-chart'));
    let left = figures.length;
    if (!left) { document.body.dataset.rendered = 'true'; }
    figures.forEach((figure, i) => {
      const payload = JSON.parse(figure.querySelector('script.kgraph-chart-spec').textContent);
      const target = figure.querySelector('.kgraph-chart-view');
      vegaEmbed(target, payload.spec, payload.embed).then((result) => {
        views[i] = result.view;
        left -= 1;
        if (!left) { document.body.dataset.rendered = 'true'; }
      }).catch((error) => {
        console.error('kgraph chart: ' + error);
        document.body.dataset.rendered = 'error';
      });
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw);
  } else {
    draw();
  }
})();
"""

_STYLE = """
body { font-family: "Liberation Sans", "DejaVu Sans", Arial, sans-serif; margin: 1.5rem;
       color: #222; max-width: 72rem; }
h1 { font-size: 1.3rem; } h2 { font-size: 1.1rem; } .hint { color: #555; }
figure.kgraph-chart { margin: 1rem 0; }
table { border-collapse: collapse; font-size: 0.9rem; margin-top: 0.5rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.5rem; text-align: left;
         vertical-align: top; }
td.quote { max-width: 32rem; } footer { color: #666; font-size: 0.85rem; margin-top: 2rem; }
"""


@cache
def _bundle() -> str:
    import vl_convert

    # no snippet: the default one sets window.vegaEmbed, vega and vegaLite (the stub wants one)
    code = str(vl_convert.javascript_bundle(vl_version=vl_version()))  # type: ignore[call-arg]
    if "</script" in code.lower():
        raise ChartError("the Vega bundle contains '</script' and cannot be inlined")
    return code


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no ``<``, ``>`` or ``&`` left to break out."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escape)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def library_script() -> str:
    """The ``<script>`` elements a page needs once, after its chart figures or before them."""
    return f"<script>{_bundle()}</script>\n<script>{_EMBED}</script>"


def embed_options(lang: str, *, strict: bool = False) -> dict[str, Any]:
    """Vega-Embed's options: SVG renderer, only the export actions, the language's formats.

    ``strict`` is for pages whose policy allows scripts and styles only from
    files of the site (``script-src 'self'; style-src 'self'``): Vega then
    interprets its expressions instead of compiling them (no ``eval``), and
    neither Vega-Embed nor its tooltip injects a ``<style>`` element (their
    rules come in :func:`site_files`' ``charts.css``).
    """
    options: dict[str, Any] = {
        "renderer": "svg",
        "actions": {"export": True, "source": False, "compiled": False, "editor": False},
        "i18n": _MENU[lang],
        "formatLocale": FORMAT_LOCALES[lang],
        "timeFormatLocale": TIME_LOCALES[lang],
    }
    if strict:
        options.update(ast=True, defaultStyle=False, tooltip={"disableDefaultStyle": True})
    return options


def _bundle_css(marker: str) -> str:
    """The CSS string literal of the bundle that holds ``marker`` (Vega-Embed's, the tooltip's)."""
    code = _bundle()
    at = code.find(marker)
    if at < 0:
        raise ChartError(f"the Vega bundle has no style sheet with {marker!r}")
    start = max(code.rfind("'", 0, at), code.rfind('"', 0, at))
    quote, end = code[start], start + 1
    while code[end] != quote:
        end += 2 if code[end] == "\\" else 1
    return str(ast.literal_eval(code[start : end + 1]))


def site_files() -> dict[str, str]:
    """The files a site with charts holds once, in ``assets/``: library, drawing script, styles.

    Pages link them (``script-src 'self'``) instead of inlining 900 kB each.
    """
    return {
        "vega.js": _bundle(),
        "charts.js": _EMBED,
        "charts.css": _bundle_css(".vega-embed {") + "\n" + _bundle_css("#vg-tooltip-element {"),
    }


def figure_html(spec: dict[str, Any], lang: str, caption: str = "", *, strict: bool = False) -> str:
    """One chart as a ``<figure>`` that :func:`library_script` (or ``charts.js``) draws."""
    payload = _script_json({"spec": spec, "embed": embed_options(lang, strict=strict)})
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return (
        f'<figure class="kgraph-chart" lang="{lang}">'
        f'<script type="application/json" class="kgraph-chart-spec">{payload}</script>'
        f'<div class="kgraph-chart-view"></div>{cap}</figure>'
    )


def _cells(p: Point, data: ChartData, lang: str) -> tuple[str, ...]:
    w = TEXT[lang]
    vintage = f" ({w['list_of'].format(v=p.vintage)})" if p.vintage else ""
    published = f" ({p.published})" if p.published else ""
    return (
        p.subject_name + vintage,
        p.period,
        printed(p, data.unit_symbol, lang),
        w.get(p.qualifier, p.qualifier),
        p.quote,
        p.source_title + published,
    )


def _table(data: ChartData, lang: str, rows: tuple[Point, ...]) -> str:
    w = TEXT[lang]
    heads = (w["entity"], w["period"], w["value"], w["stated"], w["quote"], w["source"])
    head = "".join(f"<th>{html.escape(h)}</th>" for h in heads)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{"quote" if i == 4 else "cell"}">{html.escape(cell)}</td>'
            for i, cell in enumerate(_cells(p, data, lang))
        )
        + "</tr>"
        for p in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def chart_page(data: ChartData, spec: dict[str, Any], lang: str = "vi") -> str:
    """A whole offline page: the chart, every figure it draws as a table, the undated ones."""
    words = _PAGE_TEXT[lang]
    title = str(spec.get("title", {}).get("text", data.indicator))
    undated = ""
    if data.undated:
        undated = f"<h2>{html.escape(words['undated'])}</h2>{_table(data, lang, data.undated)}"
    return (
        "<!doctype html>\n"
        f'<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>\n<body>"
        f"<h1>{html.escape(title)}</h1>"
        f'<p class="hint">{html.escape(words["hover"])}</p>\n'
        f"{figure_html(spec, lang)}\n"
        f"<h2>{html.escape(words['figures'])}</h2>{_table(data, lang, data.points)}{undated}"
        f"<footer>{html.escape(words['footer'])}</footer>\n"
        f"{library_script()}\n</body></html>\n"
    )
