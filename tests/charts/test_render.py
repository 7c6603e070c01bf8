"""Charts written as HTML, SVG, PNG and JSON: offline, escaped, and the CLI's one-line errors."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from kgraph.charts.fragment import chart_fragment
from kgraph.charts.render import file_name, write_all_charts, write_chart
from kgraph.cli import main
from kgraph.errors import ChartError

from .conftest import FIXTURE

HOSTILE_NAME = "</script><script>window.__kgraph_xss=1</script><b>Xã Độc</b>"


class _Page(HTMLParser):
    """The tags with their attributes, and the text outside scripts, of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)


def _page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def compare_page(figures: Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("charts") / "compare.html"
    write_chart(figures, "compare", "poor-household-rate", out, period="2016")
    return out


def test_html_loads_nothing_from_anywhere(compare_page: Path) -> None:
    page = _page(compare_page)
    for tag, attrs in page.tags:
        for name in ("src", "href"):
            assert not attrs.get(name), f"<{tag} {name}={attrs.get(name)!r}> would be fetched"
    policy = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv"))
    assert policy is not None and policy.startswith("default-src 'none';")
    # the Vega libraries are inlined: vegaEmbed is defined by the page itself
    assert any("window.vegaEmbed=" in s for s in page.scripts)


def test_html_keeps_hostile_text_as_text(compare_page: Path) -> None:
    page = _page(compare_page)
    assert not any(a.get("onerror") for _, a in page.tags)
    assert [t for t, _ in page.tags].count("b") == 0  # the label's <b> is not markup
    text = "".join(page.text)
    assert HOSTILE_NAME in text  # shown in the table, as it is written
    assert '</script><img src="https://evil.example/x.png"> 30%' in text
    spec = next(s for s in page.scripts if s.startswith('{"spec"'))
    assert "<" not in spec and json.loads(spec)["spec"]["data"]["values"]


def test_html_lists_every_figure_with_its_quote_and_source(figures: Graph, tmp_path: Path) -> None:
    out = write_chart(figures, "time-series", "poor-household-rate", tmp_path / "t.html")
    text = "".join(_page(out.path).text)
    assert (out.points, out.undated) == (7, 1)
    assert "khoảng 10%" in text and "đến giữa năm 2018 còn khoảng 10% hộ nghèo" in text
    # the undated figure is listed, not drawn
    assert "Số liệu không có ngày" in text and "hiện nay còn 18% hộ nghèo" in text


def test_svg_renders_the_printed_values(figures: Graph, tmp_path: Path) -> None:
    pytest.importorskip("vl_convert", reason="vl-convert-python renders SVG and PNG")
    out = write_chart(
        figures,
        "time-series",
        "poor-household-rate",
        tmp_path / "t.svg",
        fmt="svg",
        focus="Hoa Binh",
    )
    svg = out.path.read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    words = {"".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"12,5%", "khoảng 10%", "8 – 9,5%", "trên 5%", "phấn đấu 3%"} <= words
    assert not re.search(r"(?:href|src)=\"https?:", svg)


def test_svg_escapes_hostile_labels(figures: Graph, tmp_path: Path) -> None:
    pytest.importorskip("vl_convert", reason="vl-convert-python renders SVG and PNG")
    out = write_chart(figures, "compare", "poor-household-rate", tmp_path / "c.svg", fmt="svg")
    root = ET.fromstring(out.path.read_text(encoding="utf-8"))  # well-formed: nothing broke out
    tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
    assert "script" not in tags and "b" not in tags and "img" not in tags


def test_png_and_json(figures: Graph, tmp_path: Path) -> None:
    pytest.importorskip("vl_convert", reason="vl-convert-python renders SVG and PNG")
    png = write_chart(figures, "compare", "poor-household-rate", tmp_path / "c.png", fmt="png")
    assert png.path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    spec = write_chart(figures, "compare", "poor-household-rate", tmp_path / "c.json", fmt="json")
    data = json.loads(spec.path.read_text(encoding="utf-8"))
    assert data["usermeta"]["kgraph"] == {
        "kind": "compare",
        "indicator": "poor-household-rate",
        "points": 4,
        "undated": 1,
        "lang": "vi",
        "panels": "none",
    }


def test_default_file_names_are_ascii_slugs() -> None:
    assert file_name("compare", "poor-household-rate", "svg", None, "2016") == (
        "compare-poor-household-rate-2016.svg"
    )
    assert file_name("time-series", "party-members", "html", "Pom Lót", None) == (
        "time-series-party-members-pom-lot.html"
    )


def test_fragment_for_entity_pages(figures: Graph) -> None:
    fragment = chart_fragment(figures, "2025-03001", "poor-household-rate")
    assert fragment.html.startswith('<figure class="kgraph-chart" lang="vi">')
    assert "<figcaption>Tỷ lệ hộ nghèo – Hòa Bình</figcaption>" in fragment.html
    assert (fragment.points, fragment.undated) == (5, 0)
    assert "window.vegaEmbed=" in fragment.head


def test_all_charts_with_their_index(figures: Graph, tmp_path: Path) -> None:
    results = write_all_charts(figures, tmp_path / "charts")
    names = sorted(r.path.name for r in results)
    assert names == ["compare-poor-household-rate.html", "time-series-poor-household-rate.html"]
    index = _page(tmp_path / "charts" / "index.html")
    links = [a["href"] for t, a in index.tags if t == "a"]
    assert links == ["time-series-poor-household-rate.html", "compare-poor-household-rate.html"]


def test_all_charts_never_replace_a_folder_of_other_files(figures: Graph, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ChartError, match="holds more than charts"):
        write_all_charts(figures, tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_cli_all(tmp_path: Path) -> None:
    code, output = _run("--all", "--out", str(tmp_path / "charts"))
    assert (code, output) == (0, "wrote 2 charts and index.html\n")
    assert (tmp_path / "charts" / "index.html").is_file()


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["chart", *args, "--input", str(FIXTURE)])
    return result.exit_code, result.output


def test_cli_writes_the_chart(tmp_path: Path) -> None:
    out = tmp_path / "c.html"
    code, output = _run(
        "compare", "--indicator", "poor-household-rate", "--period", "2016", "--out", str(out)
    )
    assert (code, output) == (0, f"wrote {out} (3 figures, 1 undated left out)\n")
    code, output = _run("time-series", "--indicator", "poor-household-rate", "--out", str(out))
    assert (code, output) == (0, f"wrote {out} (7 figures, 1 undated left out)\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--indicator", "nope"), "--indicator 'nope': no figures in the graph"),
        (("--indicator", "poor-household-rate", "--focus", "Atlantis"), "--focus 'Atlantis'"),
        (("--indicator", "poor-household-rate", "--period", "2016"), "--period applies"),
    ],
)
def test_cli_errors_are_one_line(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    out = tmp_path / "never.html"
    code, output = _run("time-series", *args, "--out", str(out))
    assert code == 2
    assert output.startswith(f"kgraph: error: {message}") and output.count("\n") == 1
    assert not out.exists()
