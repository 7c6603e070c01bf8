"""`kgraph site`: entity pages, source pages, indexes and search, on the shipped tables' graph.

The pages are parsed as HTML, never searched as strings where structure
matters: a quote must be the text of a ``blockquote``, a link the ``href`` of
an ``a``, a hostile label text and not markup.
"""

from __future__ import annotations

import itertools
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDFS, Graph, Literal, URIRef

from kgraph.cli.main import main
from kgraph.graph.engine import from_graph
from kgraph.graph.namespaces import KG, OA, Iris
from kgraph.pages import write_site
from kgraph.pages.paths import anchor

IRIS = Iris()
POM_LOT = IRIS.unit("commune", "2024", "03356")
POM_LOT_PAGE = "id/commune/2024-03356.html"
PARTY = "id/grassroots-party-committee/dang-bo-xa-pom-lot.html"
SOURCE = "001_a26cdb5e4219828f"
SOURCE_PAGE = f"id/source/{SOURCE}.html"
#: an observation about Pom Lót and its quote, as data/curated/observations/001_….csv has them
OBSERVATION = IRIS.id("observation", "001-15")
QUOTE = "tổng sản lượng lương thực trên 1900 tấn"
HOSTILE = (
    '</script><script>window.__kgraph_xss=1</script><img src="https://evil.example/x.png" '
    'onerror="window.__kgraph_xss=2"> "quoted" & \'single\' <b>bold</b>'
)


class Page(HTMLParser):
    """Tags with attributes, text by element, and the heading outline of one page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.stack: list[str] = []
        self.texts: list[tuple[tuple[str, ...], str]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self._script: dict[str, str] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.tags.append((tag, found))
        if tag == "script":
            self._script = found
        if tag not in ("meta", "link", "br", "input", "img", "circle", "line"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts.append((self._script, data))
        else:
            self.texts.append((tuple(self.stack), data))

    def text_in(self, tag: str) -> list[str]:
        """The text of every ``tag`` element (pieces joined per element are enough here)."""
        return [data for stack, data in self.texts if tag in stack]

    def hrefs(self) -> list[str]:
        return [a["href"] for t, a in self.tags if t == "a" and "href" in a]

    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.tags if "id" in a}


def _read(site: Path, path: str) -> Page:
    return Page((site / path).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    write_site(from_graph(graph), out, iris=IRIS)
    return out


def _hostile(graph: Graph) -> Graph:
    """A copy of the graph where Pom Lót's labels and one of its quotes carry markup."""
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    copy.remove((POM_LOT, RDFS.label, None))
    copy.add((POM_LOT, RDFS.label, Literal(HOSTILE, lang="vi")))
    copy.add((POM_LOT, RDFS.label, Literal(HOSTILE, lang="en")))
    evidence = next(iter(copy.objects(OBSERVATION, KG.evidence)))
    selector = next(iter(copy.objects(evidence, OA.hasSelector)))
    copy.set((selector, OA.exact, Literal(HOSTILE)))
    return copy


@pytest.fixture(scope="module")
def hostile_site(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile") / "site"
    write_site(from_graph(_hostile(graph)), out, iris=IRIS)
    return out


# -- statements, quotes, sources ------------------------------------------------------------


def test_a_value_shows_its_exact_quote_and_links_into_its_article(site: Path) -> None:
    page = _read(site, POM_LOT_PAGE)
    assert QUOTE in page.text_in("blockquote")
    evidence = IRIS.sub(OBSERVATION, f"evidence/{SOURCE}")
    target = f"../source/{SOURCE}.html#{anchor(evidence)}"
    assert target in page.hrefs()
    source = _read(site, SOURCE_PAGE)  # the anchor is there, inside a marked span
    assert anchor(evidence) in source.ids()
    assert QUOTE in "".join(source.text_in("mark"))


def test_the_source_page_marks_every_quote_of_its_article(site: Path, graph: Graph) -> None:
    article = URIRef(IRIS.id("source", SOURCE))
    quotes = {
        str(graph.value(graph.value(ev, OA.hasSelector), OA.exact))
        for ev in graph.subjects(OA.hasSource, article)
    }
    source = _read(site, SOURCE_PAGE)
    marked = " ".join(" ".join(source.text_in("mark")).split())
    missing = [q for q in quotes if " ".join(q.split()) not in marked]
    assert quotes and not missing
    for ev in graph.subjects(OA.hasSource, article):  # and every evidence has its anchor
        assert anchor(ev) in source.ids()


def test_a_page_shows_labels_in_both_languages_kind_and_code_with_its_list(site: Path) -> None:
    page = _read(site, POM_LOT_PAGE)
    assert page.text_in("h1") == ["Pom Lót"]
    assert "Pom Lót Commune" in page.text_in("p")
    assert "03356" in page.text_in("code")
    assert "2024" in page.text_in("span")  # the code's list (vintage)


def test_what_points_here_links_back(site: Path) -> None:
    text = (site / POM_LOT_PAGE).read_text(encoding="utf-8")
    inbound = Page(text[text.index('id="inbound"') :])  # the "what points here" section on
    assert "../grassroots-party-committee/dang-bo-xa-pom-lot.html" in inbound.hrefs()
    assert "kg:leadsArea" in inbound.text_in("small")
    party = _read(site, PARTY)
    assert "../commune/2024-03356.html" in party.hrefs()


def test_every_link_of_every_page_lands_on_a_written_page(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 400
    for path in pages:
        for href in _read(site, str(path.relative_to(site))).hrefs():
            target = href.split("#", 1)[0]
            if target:
                assert (path.parent / target).resolve().is_file(), (path, href)


def test_pages_load_nothing_from_elsewhere(site: Path) -> None:
    for path in [site / POM_LOT_PAGE, site / SOURCE_PAGE, site / "browse/search.html"]:
        page = _read(site, str(path.relative_to(site)))
        for tag, attrs in page.tags:
            if tag == "link" and attrs.get("rel") == "canonical":
                continue  # the entity's own IRI, named, never fetched
            for attr in ("src", "href", "action"):
                assert not re.match(r"\s*(https?:)?//", attrs.get(attr, "")), (tag, attrs)
        csp = [a["content"] for t, a in page.tags if t == "meta" and "http-equiv" in a]
        assert csp and "default-src 'none'" in csp[0]


# -- charts ---------------------------------------------------------------------------------
#: Pom Lót's two values of this indicator (data/curated/observations), and a commune whose
#: every indicator has a single value
CHARTED = "indicator/new-rural-criteria-met"
SINGLE_VALUES_PAGE = "id/commune/2024-03365.html"


def _charts(page: Page) -> list[dict[str, object]]:
    return [
        json.loads(text)
        for attrs, text in page.scripts
        if "kgraph-chart-spec" in attrs.get("class", "")
    ]


def test_an_indicator_with_several_values_has_its_chart_from_the_sites_files(site: Path) -> None:
    page = _read(site, POM_LOT_PAGE)
    charts = _charts(page)
    assert len(charts) == 1
    chart = charts[0]
    assert chart["embed"]["ast"] is True  # type: ignore[index]
    assert chart["embed"]["defaultStyle"] is False  # type: ignore[index]
    # the spec's data: the two dated figures with their quotes and sources, for the hover
    rows = chart["spec"]["data"]["values"]  # type: ignore[index]
    assert sorted(r["observation"] for r in rows) == ["001-22", "001-23"]
    assert all(r["quote"] and r["source"] for r in rows)
    divs = [a for t, a in page.tags if t == "div" and "chart" in a.get("class", "").split()]
    assert [a["data-indicator"] for a in divs] == [CHARTED]
    scripts = [a["src"] for t, a in page.tags if t == "script" and "src" in a]
    assert scripts == ["../../assets/vega.js", "../../assets/charts.js"]
    for link in [*scripts, "../../assets/charts.css"]:
        assert (site / POM_LOT_PAGE).parent.joinpath(link).resolve().is_file(), link
    # no inline script runs: the only inline ones are JSON data
    assert all(a.get("type") == "application/json" for a, _ in page.scripts)
    csp = next(a["content"] for t, a in page.tags if t == "meta" and "http-equiv" in a)
    assert "script-src 'self';" in csp and "unsafe" not in csp


def test_a_page_whose_indicators_have_single_values_has_no_chart(site: Path) -> None:
    page = _read(site, SINGLE_VALUES_PAGE)
    assert [a for t, a in page.tags if t == "section" and a.get("class") == "indicator"]
    assert _charts(page) == []
    assert [t for t, a in page.tags if t == "script"] == []
    csp = next(a["content"] for t, a in page.tags if t == "meta" and "http-equiv" in a)
    assert "script-src 'none'" in csp


# -- hostile text ---------------------------------------------------------------------------


def test_hostile_labels_and_quotes_are_text(hostile_site: Path) -> None:
    page = _read(hostile_site, POM_LOT_PAGE)
    assert page.text_in("h1") == [HOSTILE]
    assert HOSTILE in page.text_in("blockquote")
    # the one inline script is the chart's data, where the hostile name stays a string
    assert [a.get("type") for a, _ in page.scripts] == ["application/json"]
    assert {r["entity"] for r in _charts(page)[0]["spec"]["data"]["values"]} == {HOSTILE}  # type: ignore[index]
    scripts = [a.get("src") for t, a in page.tags if t == "script"]
    assert scripts == [None, "../../assets/vega.js", "../../assets/charts.js"]
    assert not [t for t, _ in page.tags if t in ("img", "b")]
    source = _read(hostile_site, SOURCE_PAGE)
    assert not [t for t, _ in source.tags if t in ("script", "img", "b")]


def test_hostile_labels_stay_data_in_the_search_index(hostile_site: Path) -> None:
    page = _read(hostile_site, "browse/search.html")
    kinds = [attrs.get("type", "") for attrs, _ in page.scripts]
    assert kinds == ["application/json", ""]  # the index, then the search script: nothing else
    index = json.loads(page.scripts[0][1])
    assert [HOSTILE, HOSTILE] in [row[1:3] for row in index]
    assert not [t for t, _ in page.tags if t in ("img", "b")]


# -- search, indexes, accessibility -------------------------------------------------------


def test_search_index_is_folded_and_its_script_allowed_by_hash(site: Path) -> None:
    import base64
    import hashlib

    page = _read(site, "browse/search.html")
    index = json.loads(page.scripts[0][1])
    thanh_luong = [row for row in index if row[1] == "Thanh Luông"]
    assert thanh_luong and all("thanh luong" in row[5] for row in thanh_luong)
    assert all(row[0].startswith("../id/") for row in thanh_luong)
    script = page.scripts[1][1]
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    csp = next(a["content"] for t, a in page.tags if t == "meta" and "http-equiv" in a)
    assert f"script-src 'sha256-{digest}'" in csp
    assert "label" in [t for t, _ in page.tags]
    label = next(a for t, a in page.tags if t == "label")
    assert label["for"] == "q"


def test_kind_indexes_list_every_entity_of_the_kind(site: Path, graph: Graph) -> None:
    page = _read(site, "browse/source.html")
    sources = {str(s) for s in graph.subjects(KG.sourceFile, None)}
    linked = {h for h in page.hrefs() if h.startswith("../id/source/")}
    assert len(linked) == len(sources) == 5


@pytest.mark.parametrize("path", [POM_LOT_PAGE, SOURCE_PAGE, "browse/index.html"])
def test_pages_are_in_vietnamese_with_english_marked_and_headings_in_order(
    site: Path, path: str
) -> None:
    page = _read(site, path)
    html = next(a for t, a in page.tags if t == "html")
    assert html["lang"] == "vi"
    levels = [int(t[1]) for t, _ in page.tags if re.fullmatch(r"h[1-6]", t)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    assert any(a.get("lang") == "en" for _, a in page.tags)
    assert any(t == "main" for t, _ in page.tags)


def test_the_site_is_the_same_bytes_twice(graph: Graph, site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    write_site(from_graph(graph), again, iris=IRIS)
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second


# -- the command ------------------------------------------------------------------------------


def test_kgraph_site_writes_the_site(built_ttl: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["site", "--input", str(built_ttl), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / POM_LOT_PAGE).is_file() and (out / "index.html").is_file()
    assert re.search(r"wrote \d+ pages for \d+ entities", result.output)


def test_kgraph_site_refuses_an_unreadable_input_and_writes_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["site", "--input", str(broken), "--out", str(out)])
    assert result.exit_code == 2
    assert "broken.ttl" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_reading_the_whole_graph_once_describes_every_entity_as_its_own_queries_do(
    graph: Graph,
) -> None:
    from kgraph.pages.describe import Reader
    from kgraph.pages.site import Site

    store = from_graph(graph)
    bound, whole = Reader(store, IRIS), Reader(store, IRIS, whole=True)
    entries = Site(store, IRIS).entries
    assert entries == Site(store, IRIS, served=True).entries  # statements read once, or a query
    assert len(entries) > 300
    for entry in entries:
        assert whole.describe(entry.iri) == bound.describe(entry.iri), entry.rest
