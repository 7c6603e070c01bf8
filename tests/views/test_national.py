"""The national view: counts, the embedded hierarchy, the CLI on the real backbone, a browser."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import Graph

from kgraph.cli import main
from kgraph.curate.units import load_admin_units
from kgraph.errors import ViewError
from kgraph.graph.engine import GraphStore, from_graph
from kgraph.views.national import count_text, national_network, national_tree, write_national

ID = "https://kgraph.example.org/id/"


@pytest.fixture(scope="module")
def small() -> GraphStore:
    graph = Graph().parse(Path(__file__).parent / "fixtures" / "national-small.ttl")
    return from_graph(graph)


def _payload(path: Path) -> dict[str, Any]:
    block = re.search(
        r'<script type="application/json" id="kgraph-data">(.*?)</script>', path.read_text(), re.S
    )
    assert block is not None
    return dict(json.loads(block.group(1)))


def test_units_are_counted_under_each_province(small: GraphStore) -> None:
    tree = national_tree(small, "2024")
    assert [p.label_vi for p in tree.provinces()] == ["Núi", "Biển"]
    assert tree.counts(ID + "province/2024-91") == {"district": 2, "commune": 3}
    assert tree.counts(ID + "district/2024-912") == {"commune": 1}
    assert tree.units[ID + "commune/2024-91201"].parent == ID + "district/2024-912"
    new = national_tree(small, "2025")
    assert [p.code for p in new.provinces()] == ["93", "94"]
    assert new.counts(ID + "province/2025-93") == {"commune": 3}


def test_province_labels_carry_their_counts(small: GraphStore) -> None:
    g = national_network(small, "2024")
    assert sorted(d["title"] for _, d in g.nodes(data=True)) == [
        "Biển — 1 quận/huyện, 1 xã/phường",
        "Núi — 2 quận/huyện, 3 xã/phường",
    ]
    en = national_network(small, "2025", lang="en")
    assert {d["title"] for _, d in en.nodes(data=True)} == {
        "Rừng Province — 3 communes",
        "Đảo Province — 1 commune",
    }
    assert count_text({}, "vi") == ""


def test_the_page_embeds_the_whole_hierarchy_and_draws_only_provinces(
    small: GraphStore, tmp_path: Path
) -> None:
    result = write_national(small, tmp_path / "n.html", vintage="2024")
    data = _payload(result.path)
    assert [n["id"] for n in data["nodes"]] == [ID + "province/2024-91", ID + "province/2024-92"]
    tree = data["expand"]
    cols = {c: i for i, c in enumerate(tree["columns"])}
    rows = {r[cols["key"]]: r for r in tree["units"]}
    assert len(rows) == 9
    keys = [r[cols["key"]] for r in tree["units"]]
    commune = rows["commune/2024-91201"]
    assert commune[cols["label_vi"]] == "Suối" and commune[cols["type"]] == "Thị trấn"
    assert keys[commune[cols["parent"]]] == "district/2024-912"
    assert tree["prefix"] == ID
    # hostile text is JSON in the page, never markup
    html = result.path.read_text()
    assert "<img src=x" not in html and "\\u003c/script\\u003e\\u003cimg src=x" in html
    hostile = rows["commune/2024-92101"][cols["label_vi"]]
    assert hostile.startswith("</script><img")


def test_a_store_without_the_backbone_or_an_unknown_list_is_refused(
    small: GraphStore, graph: Graph
) -> None:
    with pytest.raises(ViewError, match="unknown --vintage '2023'"):
        national_tree(small, "2023")
    with pytest.raises(ViewError, match="no unit of the 2025 list in the store"):
        national_tree(from_graph(Graph()), "2025")


def test_cli_national_view_counts_match_the_official_lists(
    national_store: GraphStore, data_dir: Path, tmp_path: Path
) -> None:
    units = load_admin_units(data_dir)
    for vintage in ("2025", "2024"):
        listed = [u for u in units.of_vintage(vintage)]
        out = tmp_path / f"national-{vintage}.html"
        args = ["view", "national", "--vintage", vintage, "--out", str(out)]
        result = CliRunner().invoke(main, [*args, "--input", str(national_store.path)])
        assert result.exit_code == 0, result.output
        provinces = sum(u.level == "province" for u in listed)
        assert f"({provinces} provinces drawn" in result.output
        data = _payload(out)
        assert len(data["nodes"]) == provinces
        assert len(data["expand"]["units"]) == len(listed)
        assert out.stat().st_size < 3_000_000
    refused = CliRunner().invoke(main, ["view", "hierarchy", "--vintage", "2024"])
    assert refused.exit_code != 0 and "--vintage is for the national view" in refused.output


# -- in a browser -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from tests.browser import chromium

    with chromium() as launched:
        yield launched


@pytest.mark.browser
def test_clicking_a_province_expands_and_collapses_it(
    small: GraphStore, tmp_path: Path, browser: Any
) -> None:
    path = write_national(small, tmp_path / "national.html", vintage="2024").path
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(r: Any) -> None:
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            requests.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    try:
        page.goto(path.resolve().as_uri())
        page.wait_for_selector("body[data-stabilized=true]", state="attached", timeout=30_000)
        drawn = "() => window.kgraphView.network.body.nodeIndices.slice().sort()"
        assert page.evaluate(drawn) == [ID + "province/2024-91", ID + "province/2024-92"]
        labels = page.evaluate("() => window.kgraphView.labels().map(l => l.label)")
        assert sorted(labels) == [
            "Biển\n1 quận/huyện, 1 xã/phường",
            "Núi\n2 quận/huyện, 3 xã/phường",
        ]
        # a click on the province's node opens its districts
        point = page.evaluate(
            """(id) => { const net = window.kgraphView.network;
                const p = net.canvasToDOM(net.getPositions([id])[id]);
                const r = document.getElementById('network').getBoundingClientRect();
                return [r.left + p.x, r.top + p.y]; }""",
            ID + "province/2024-91",
        )
        page.mouse.click(point[0], point[1])
        assert page.evaluate(drawn) == sorted(
            [
                ID + "province/2024-91",
                ID + "province/2024-92",
                ID + "district/2024-911",
                ID + "district/2024-912",
            ]
        )
        assert page.text_content("#count-edges") == "2"
        # by keyboard: the district's button in the outline opens its communes
        page.focus(f'#outline button[data-unit="{ID}district/2024-911"]')
        page.keyboard.press("Enter")
        assert ID + "commune/2024-91102" in page.evaluate(drawn)
        assert (
            page.get_attribute(
                f'#outline button[data-unit="{ID}district/2024-911"]', "aria-expanded"
            )
            == "true"
        )
        # again on the province: everything under it closes
        page.focus(f'#outline button[data-unit="{ID}province/2024-91"]')
        page.keyboard.press("Enter")
        assert page.evaluate(drawn) == [ID + "province/2024-91", ID + "province/2024-92"]
        assert page.text_content("#count-nodes") == "2"
        # the hostile commune, once drawn, is text
        page.click(f'#outline button[data-unit="{ID}province/2024-92"]')
        page.click(f'#outline button[data-unit="{ID}district/2024-921"]')
        assert page.evaluate("() => window.__kgraph_xss") is None
        assert "</script><img" in page.text_content("#outline")
    finally:
        context.close()
    assert errors == [] and requests == []
