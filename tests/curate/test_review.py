"""The review page's WSGI app, called directly: what it shows, what it saves, what it refuses."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest

from kgraph.curate.extract.io import ENTITY_COLUMNS
from kgraph.curate.review import (
    COLUMNS,
    Choices,
    CodeChoice,
    IndicatorChoice,
    ReviewApp,
    SubjectChoice,
    load_choices,
    make_app,
)
from kgraph.curate.review.server import MAX_BODY, TOKEN_HEADER, ReviewServer
from kgraph.errors import InputError, KgraphError

PORT = 8765
SOURCE = "900_review"
TEXT = (
    "Xã Pom Lót có 1.250 hộ dân.\n"
    "Tỷ lệ hộ nghèo còn 10,37% năm 2016.\n"
    "Đảng bộ xã có 25 chi bộ trực thuộc."
)
HOSTILE = '<script>window.__xss=1;alert("x")</script> & "q" <b>bold</b>'
CHOICES = Choices(
    indicators=(
        IndicatorChoice("households", "số hộ", "households", "number"),
        IndicatorChoice("poverty-rate", "tỷ lệ hộ nghèo", "poverty rate", "percent"),
        IndicatorChoice("party-cells", "chi bộ", "party cells", "number"),
        IndicatorChoice("party-members", "đảng viên", "party members", "number"),
    ),
    subjects=(
        SubjectChoice("xa-pom-lot", "Pom Lót", "commune"),
        SubjectChoice("dang-bo-xa-pom-lot", "Đảng bộ xã Pom Lót", "grassroots-party-committee"),
    ),
    units=(
        CodeChoice("number", "số lượng", "number"),
        CodeChoice("percent", "phần trăm", "per cent"),
    ),
    qualifiers=(
        CodeChoice("exact", "chính xác", "exact"),
        CodeChoice("more-than", "trên", "more than"),
    ),
)


def candidate(text: str, quote: str, **cells: str) -> dict[str, str]:
    """A candidates row whose offsets are the quote's first place in ``text``."""
    start = text.index(quote)
    row = {c: "" for c in COLUMNS}
    row.update(
        quote=quote,
        start=str(start),
        end=str(start + len(quote)),
        confidence="0.80",
        qualifier="exact",
        period="2016",
    )
    row.update(cells)
    return row


def fixture_rows(text: str = TEXT) -> list[dict[str, str]]:
    return [
        candidate(
            text,
            "có 1.250 hộ dân",
            subject="xa-pom-lot",
            indicator="households",
            value="1.250",
            unit="number",
            subject_name="Xã Pom Lót",
            alternatives="party-members",
        ),
        candidate(
            text,
            "Tỷ lệ hộ nghèo còn 10,37%",
            subject="xa-pom-lot",
            indicator="households",
            value="10,37",
            unit="percent",
            alternatives="poverty-rate|party-cells",
            confidence="0.41",
        ),
        candidate(
            text,
            "có 25 chi bộ",
            subject="dang-bo-xa-pom-lot",
            indicator="party-cells",
            value="25",
            unit="number",
        ),
    ]


def entity(text: str, kind: str, quote: str, **cells: str) -> dict[str, str]:
    """An entities row whose offsets are the quote's first place in ``text``."""
    start = text.index(quote)
    row = dict.fromkeys(ENTITY_COLUMNS, "")
    row.update(kind=kind, quote=quote, start=str(start), end=str(start + len(quote)))
    row.update(confidence="0.70", **cells)
    return row


def fixture_entities(text: str = TEXT) -> list[dict[str, str]]:
    return [
        entity(text, "place", "Xã Pom Lót", id="xa-pom-lot", name="Pom Lót", type="commune"),
        entity(text, "organisation", "Đảng bộ xã", id="dang-bo-xa", name="Đảng bộ xã"),
    ]


def write_csv(path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def build_app(
    tmp_path: Path,
    rows: list[dict[str, str]] | None = None,
    text: str = TEXT,
    on_accept: Any = None,
    choices: Choices = CHOICES,
    entities: list[dict[str, str]] | None = None,
) -> ReviewApp:
    """The app over ``rows`` (the fixture's by default), with an entities file if given."""
    candidates = write_csv(tmp_path / f"{SOURCE}.csv", fixture_rows(text) if rows is None else rows)
    path = tmp_path / f"{SOURCE}.entities.csv"
    if entities is not None:
        write_csv(path, entities, ENTITY_COLUMNS)
    app = make_app(
        text,
        SOURCE,
        candidates,
        tmp_path / f"{SOURCE}.reviewed.csv",
        choices,
        on_accept,
        entities=path,
    )
    app.port = PORT
    return app


class Reply:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.code = int(status.split()[0])
        self.headers = dict(headers)
        self.text = body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.text)


def call(
    app: ReviewApp,
    method: str = "GET",
    path: str = "/",
    body: Any = None,
    *,
    host: str | None = f"127.0.0.1:{PORT}",
    token: str | None = "",
    content_type: str = "application/json",
    raw: bytes | None = None,
    extra: dict[str, str] | None = None,
) -> Reply:
    environ: dict[str, Any] = {"REQUEST_METHOD": method, "PATH_INFO": path}
    setup_testing_defaults(environ)
    environ.pop("HTTP_HOST", None)
    if host is not None:
        environ["HTTP_HOST"] = host
    data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
    environ["wsgi.input"] = io.BytesIO(data)
    environ["CONTENT_LENGTH"] = str(len(data))
    environ["CONTENT_TYPE"] = content_type
    if token is not None:
        environ["HTTP_X_KGRAPH_TOKEN"] = token or app.token
    environ.update(extra or {})
    seen: list[Any] = []
    chunks = app(environ, lambda status, headers: seen.append((status, headers)))
    return Reply(seen[0][0], seen[0][1], b"".join(chunks))


def edits(app: ReviewApp, **per_row: dict[str, str]) -> dict[str, Any]:
    """A save body: every row as the page sends it, with ``row<n>`` overrides."""
    editable = ("subject", "indicator", "period", "value", "unit", "qualifier", "note")
    rows = []
    for i, row in enumerate(app.rows):
        cells = {c: row.cells[c] for c in editable} | {"decision": row.cells["decision"]}
        cells.update(per_row.get(f"row{i}", {}))
        rows.append(cells)
    return {"rows": rows}


class _Article(HTMLParser):
    """Text of the article element and, per mark, its offsets and the rows it covers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.text = ""
        self.marks: list[tuple[int, int, list[int], str]] = []
        self._open: tuple[int, list[int], str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "div" and a.get("id") == "article":
            self.depth = 1
        elif self.depth and tag == "mark":
            rows = [int(r) for r in (a.get("data-rows") or "").split()]
            self._open = (len(self.text), rows, a.get("id") or "")
        elif self.depth:
            raise AssertionError(f"markup inside the article: <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "mark" and self._open:
            start, rows, ident = self._open
            self.marks.append((start, len(self.text), rows, ident))
            self._open = None
        elif self.depth and tag == "div":
            self.depth = 0

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text += data


def article(page: str) -> _Article:
    parser = _Article()
    parser.feed(page)
    return parser


# -- the page ---------------------------------------------------------------------------


def test_page_marks_every_candidate_span_at_its_offsets(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    reply = call(app)
    assert reply.code == 200 and reply.headers["Content-Type"].startswith("text/html")
    shown = article(reply.text)
    assert shown.text == TEXT  # line breaks kept, nothing added
    for i, row in enumerate(fixture_rows()):
        covered = [(a, b) for a, b, rows, _ in shown.marks if i in rows]
        assert covered, f"candidate {i} not marked"
        assert covered[0][0] == int(row["start"]) and covered[-1][1] == int(row["end"])
        assert "".join(TEXT[a:b] for a, b in covered) == row["quote"]
    assert all(ident.startswith("seg-") for *_, ident in shown.marks)
    assert len({ident for *_, ident in shown.marks}) == len(shown.marks)


def test_overlapping_spans_are_cut_into_pieces_naming_both(tmp_path: Path) -> None:
    rows = [candidate(TEXT, "Tỷ lệ hộ nghèo"), candidate(TEXT, "hộ nghèo còn 10,37%")]
    shown = article(call(build_app(tmp_path, rows)).text)
    assert [(TEXT[a:b], r) for a, b, r, _ in shown.marks] == [
        ("Tỷ lệ ", [0]),
        ("hộ nghèo", [0, 1]),
        (" còn 10,37%", [1]),
    ]


def test_page_has_a_card_per_candidate_with_labelled_controls(tmp_path: Path) -> None:
    page = call(build_app(tmp_path)).text
    assert page.count('class="card"') == 3
    for name in ("indicator", "subject", "value", "period", "unit", "qualifier", "note"):
        for i in range(3):
            assert f'<label for="c{i}-{name}">' in page and f'id="c{i}-{name}"' in page
    assert page.count('aria-pressed="false">Accept</button>') == 3
    assert 'list="subjects"' in page and '<datalist id="subjects">' in page
    assert 'id="save"' in page and 'id="accept"' not in page  # no on_accept: no accept button
    assert "confidence 0.41" in page


def test_alternatives_come_first_in_the_indicator_list(tmp_path: Path) -> None:
    page = call(build_app(tmp_path)).text
    block = page.split('<datalist id="indicators-1">', 1)[1].split("</datalist>", 1)[0]
    values = [v.split('"', 1)[0] for v in block.split('<option value="')[1:]]
    assert values[:2] == ["poverty-rate", "party-cells"]
    assert sorted(values) == sorted(i.id for i in CHOICES.indicators)


def test_hostile_text_is_shown_as_text(tmp_path: Path) -> None:
    text = f"Mở đầu. {HOSTILE} Kết thúc có 5 hộ."
    rows = [
        candidate(text, HOSTILE, note=HOSTILE, subject_name=HOSTILE, indicator='x" onfocus="y'),
        candidate(text, "có 5 hộ"),
    ]
    choices = Choices(indicators=(IndicatorChoice("evil", HOSTILE, HOSTILE, "number"),))
    app = build_app(tmp_path, rows, text, choices=choices)
    page = call(app).text
    assert "<script>window.__xss" not in page and "<b>bold" not in page
    assert 'onfocus="y' not in page
    assert page.count("<script") == 1  # the page's own
    assert "&lt;script&gt;window.__xss=1;alert(&quot;x&quot;)&lt;/script&gt; &amp;" in page
    assert article(page).text == text
    policy = call(app).headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'nonce-" in policy
    assert "innerHTML" not in page


def test_a_quote_off_its_offsets_is_found_or_flagged(tmp_path: Path) -> None:
    moved = candidate(TEXT, "có 25 chi bộ") | {"start": "0", "end": "5"}
    missing = candidate(TEXT, "có 25 chi bộ") | {"quote": "không có trong bài"}
    app = build_app(tmp_path, [moved, missing])
    assert app.rows[0].span == (TEXT.index("có 25"), TEXT.index("có 25") + len("có 25 chi bộ"))
    assert app.rows[1].span is None
    page = call(app).text
    assert "offsets did not match" in page and "its quote is not in the text" in page


def test_choices_come_from_the_curated_tables() -> None:
    from kgraph import resources

    choices = load_choices(resources.data_dir())
    assert any(i.id == "grassroots-party-orgs" for i in choices.indicators)
    assert {s.kind for s in choices.subjects} >= {"commune", "district-party-organisation"}
    assert "percent" in {u.id for u in choices.units}
    assert "exact" in {q.id for q in choices.qualifiers}


# -- saving -----------------------------------------------------------------------------


def test_save_writes_the_reviewed_csv_with_decisions_and_edits(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    body = edits(
        app,
        row0={"decision": "accept"},
        row1={"decision": "accept", "indicator": "poverty-rate", "note": "sửa chỉ tiêu"},
        row2={"decision": "reject"},
    )
    reply = call(app, "POST", "/save", body)
    assert reply.code == 200, reply.text
    reviewed = tmp_path / f"{SOURCE}.reviewed.csv"
    assert reply.json() == {"saved": 3, "path": str(reviewed), "accepted": 2, "rejected": 1}
    rows = read_csv(reviewed)
    assert list(rows[0]) == list(COLUMNS)
    assert [r["decision"] for r in rows] == ["accept", "accept", "reject"]
    assert rows[1]["indicator"] == "poverty-rate" and rows[1]["note"] == "sửa chỉ tiêu"
    original = fixture_rows()
    for row, before in zip(rows, original, strict=True):
        for column in ("quote", "start", "end", "confidence", "alternatives", "value"):
            assert row[column] == before[column]
    # the page now shows what was saved, and a new run resumes from the reviewed file
    assert 'data-decision="reject"' in call(app).text
    again = build_app(tmp_path)
    assert [r.cells["decision"] for r in again.rows] == ["accept", "accept", "reject"]
    assert "Resumed from the reviewed file" in call(again).text


def test_a_row_left_out_keeps_its_cells(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    reply = call(app, "POST", "/save", {"rows": [{"decision": "reject"}, {}, {}]})
    assert reply.code == 200
    rows = read_csv(tmp_path / f"{SOURCE}.reviewed.csv")
    assert [r["decision"] for r in rows] == ["reject", "", ""]
    assert rows[2]["indicator"] == "party-cells"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ([], 'send a JSON object {"rows": [...]}'),
        ({"rows": [], "x": 1}, "unknown field 'x' (send only rows and entities)"),
        ({"rows": "all"}, '"rows" must be a list with one object per candidate'),
        ({"rows": [{}, {}]}, "expected 3 rows, got 2"),
        ({"rows": [{}, {"colour": "red"}, {}]}, "row 2: unknown column 'colour'"),
        ({"rows": [{"decision": "yes"}, {}, {}]}, "row 1: decision 'yes' is not accept, reject"),
        ({"rows": [{}, {}, {"value": 25}]}, "row 3, column 'value': the value must be a string"),
        ({"rows": [{"quote": "có 1.250 hộ"}, {}, {}]}, "row 1: column 'quote' is read-only"),
        ({"rows": [{"start": "0"}, {}, {}]}, "row 1: column 'start' is read-only"),
        ({"rows": [{"value": "1\n2"}, {}, {}]}, "row 1, column 'value': no line breaks"),
        ({"rows": [{}, "x", {}]}, "row 2: not an object of column: text"),
    ],
)
def test_bad_bodies_are_refused_with_one_line(tmp_path: Path, body: Any, reason: str) -> None:
    app = build_app(tmp_path)
    reply = call(app, "POST", "/save", body)
    assert reply.code == 400
    message = reply.json()["error"]
    assert message.startswith(reason) and "\n" not in message
    assert not (tmp_path / f"{SOURCE}.reviewed.csv").exists()


def test_unreadable_or_huge_bodies_are_refused(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    not_json = call(app, "POST", "/save", raw=b"{rows: nope")
    assert not_json.code == 400 and not_json.json()["error"].startswith("the body is not JSON")
    assert call(app, "POST", "/save", raw=b"").code == 400
    huge = call(app, "POST", "/save", raw=b" " * (MAX_BODY + 1))
    assert huge.code == 413 and "over 1000000 bytes" in huge.json()["error"]
    form = call(
        app, "POST", "/save", {"rows": []}, content_type="application/x-www-form-urlencoded"
    )
    assert form.code == 415 and "application/json" in form.json()["error"]


# -- who may ask --------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["evil.example:8765", "127.0.0.1:9999", "127.0.0.1", None])
def test_a_foreign_host_is_refused(tmp_path: Path, host: str | None) -> None:
    app = build_app(tmp_path)
    assert call(app, host=host).code == 403
    reply = call(app, "POST", "/save", edits(app), host=host)
    assert reply.code == 403 and "answers only as 127.0.0.1:8765" in reply.json()["error"]


def test_localhost_is_served(tmp_path: Path) -> None:
    assert call(build_app(tmp_path), host=f"localhost:{PORT}").code == 200


@pytest.mark.parametrize("token", [None, "forged"])
def test_a_post_without_the_token_is_refused(tmp_path: Path, token: str | None) -> None:
    app = build_app(tmp_path)
    reply = call(app, "POST", "/save", edits(app), token=token)
    assert reply.code == 403 and TOKEN_HEADER in reply.json()["error"]
    assert not (tmp_path / f"{SOURCE}.reviewed.csv").exists()
    assert f'content="{app.token}"' in call(app).text  # the page carries it


def test_a_post_from_another_origin_is_refused(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    reply = call(app, "POST", "/save", edits(app), extra={"HTTP_ORIGIN": "https://evil.example"})
    assert reply.code == 403


def test_other_routes_and_methods(tmp_path: Path) -> None:
    app = build_app(tmp_path)
    assert call(app, path="/etc/passwd").code == 404
    assert call(app, "GET", "/save").code == 405
    assert call(app, "POST", "/").code == 405
    assert call(app, "HEAD").code == 200
    no_accept = call(app, "POST", "/accept", edits(app))
    assert no_accept.code == 404 and "--no-accept" in no_accept.json()["error"]


def test_the_server_binds_loopback_only(tmp_path: Path) -> None:
    with pytest.raises(KgraphError, match="only this machine"):
        ReviewServer(build_app(tmp_path), host="0.0.0.0")


# -- accepting ----------------------------------------------------------------------------


def test_accept_saves_then_calls_on_accept_and_shows_its_message(tmp_path: Path) -> None:
    called: list[Path] = []

    def on_accept(path: Path) -> str:
        called.append(path)
        assert [r["decision"] for r in read_csv(path)] == ["accept", "reject", "reject"]
        return "appended 1 row(s) (900-01)"

    app = build_app(tmp_path, on_accept=on_accept)
    assert 'id="accept"' in call(app).text
    body = edits(app, row0={"decision": "accept"}, row1={"decision": "reject"})
    body["rows"][2]["decision"] = "reject"
    reply = call(app, "POST", "/accept", body)
    assert reply.code == 200, reply.text
    assert called == [tmp_path / f"{SOURCE}.reviewed.csv"]
    assert reply.json()["message"] == "appended 1 row(s) (900-01)"
    again = call(app, "POST", "/accept", body)
    assert again.code == 409 and len(called) == 1  # never appended twice in one run


def test_a_kgraph_error_from_on_accept_is_a_400_with_its_line(tmp_path: Path) -> None:
    def on_accept(path: Path) -> str:
        raise InputError(
            "not reviewed; write accept or reject", path=path, row=3, column="decision"
        )

    app = build_app(tmp_path, on_accept=on_accept)
    reply = call(app, "POST", "/accept", edits(app, row0={"decision": "accept"}))
    assert reply.code == 400
    message = reply.json()["error"]
    assert message.endswith("row 3, column 'decision': not reviewed; write accept or reject")
    assert "\n" not in message
    assert (tmp_path / f"{SOURCE}.reviewed.csv").is_file()  # the review itself was saved


def test_accept_with_nothing_accepted_is_refused(tmp_path: Path) -> None:
    app = build_app(tmp_path, on_accept=lambda path: "never")
    reply = call(app, "POST", "/accept", edits(app))
    assert reply.code == 400 and "no candidate is accepted" in reply.json()["error"]


# -- the files --------------------------------------------------------------------------


def test_a_bad_candidates_file_names_its_column(tmp_path: Path) -> None:
    path = tmp_path / f"{SOURCE}.csv"
    path.write_text("id,subject\n,xa\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column 'indicator'"):
        make_app(TEXT, SOURCE, path, tmp_path / "r.csv", CHOICES, None)
    rows = fixture_rows()
    rows[1]["decision"] = "perhaps"
    write_csv(path, rows)
    with pytest.raises(InputError, match=r"row 3, column 'decision'"):
        make_app(TEXT, SOURCE, path, tmp_path / "r.csv", CHOICES, None)


def test_entity_rows_are_cards_with_labelled_controls(tmp_path: Path) -> None:
    rows = [entity(TEXT, "person", "Pom Lót", name=f"Lò Văn {HOSTILE}", note=HOSTILE)]
    page = call(build_app(tmp_path, entities=rows)).text
    assert page.count('class="entity"') == 1
    assert 'aria-label="Decision on entity 1"' in page
    assert page.count('aria-pressed="false"') == 2 * 3 + 2
    for name in ("id", "name", "type", "parent", "link", "gso_code", "vintage", "as_of", "note"):
        assert f'<label for="e0-{name}">' in page and f'id="e0-{name}" name="{name}"' in page
    for name in ("kind", "quote", "start", "end", "confidence"):
        assert f'name="{name}"' not in page
    assert f'value="Lò Văn {HOSTILE}"' not in page and "Lò Văn &lt;script&gt;" in page
    assert "<script>window" not in page


def test_save_writes_the_entities_reviewed_csv_with_decisions_and_edits(tmp_path: Path) -> None:
    app = build_app(tmp_path, entities=fixture_entities())
    body = edits(app)
    body["entities"] = [
        {"decision": "accept", "name": "Pom Lót", "gso_code": "03199", "note": "xã\nmới"},
        {"decision": "reject", "id": "dang-bo-xa-pom-lot"},
    ]
    reply = call(app, "POST", "/save", body)
    assert reply.code == 200, reply.text
    saved = tmp_path / f"{SOURCE}.entities.reviewed.csv"
    assert reply.json()["entities"] == {
        "saved": 2,
        "path": str(saved),
        "accepted": 1,
        "rejected": 1,
    }
    rows = read_csv(saved)
    assert list(rows[0]) == list(ENTITY_COLUMNS)
    expected = fixture_entities()
    expected[0].update(decision="accept", gso_code="03199", note="xã mới")
    expected[1].update(decision="reject", id="dang-bo-xa-pom-lot")
    assert rows == expected
    # the proposals file is untouched, and a new run resumes from the reviewed one
    assert read_csv(tmp_path / f"{SOURCE}.entities.csv") == fixture_entities()
    again = make_app(
        TEXT,
        SOURCE,
        tmp_path / f"{SOURCE}.csv",
        tmp_path / f"{SOURCE}.reviewed.csv",
        CHOICES,
        None,
        entities=tmp_path / f"{SOURCE}.entities.csv",
    )
    again.port = PORT
    assert again.entities is not None and again.entities.rows == expected
    page = call(again).text
    assert "Entity rows resumed from the reviewed entities file" in page
    assert 'id="e1-id" name="id" value="dang-bo-xa-pom-lot"' in page
    assert 'id="entity-0" data-row="0" data-decision="accept"' in page


def test_an_old_client_without_entities_keeps_the_entity_rows(tmp_path: Path) -> None:
    app = build_app(tmp_path, entities=fixture_entities())
    reply = call(app, "POST", "/save", edits(app))
    assert reply.code == 200, reply.text
    assert read_csv(tmp_path / f"{SOURCE}.entities.reviewed.csv") == fixture_entities()


@pytest.mark.parametrize(
    ("entities", "reason"),
    [
        ([{"kind": "person"}, {}], "entity row 1: column 'kind' is read-only"),
        ([{}, {"quote": "Đảng bộ"}], "entity row 2: column 'quote' is read-only"),
        ([{"start": "1"}, {}], "entity row 1: column 'start' is read-only"),
        ([{"confidence": "0.99"}, {}], "entity row 1: column 'confidence' is read-only"),
        ([{}, {"colour": "red"}], "entity row 2: unknown column 'colour'"),
        ([{"decision": "yes"}, {}], "entity row 1: decision 'yes' is not accept, reject"),
        ([{"name": 5}, {}], "entity row 1, column 'name': the value must be a string"),
        ([{"id": "a\nb"}, {}], "entity row 1, column 'id': no line breaks"),
        ([{}], "expected 2 entity rows, got 1"),
        ("all", '"entities" must be a list with one object per entity row'),
    ],
)
def test_bad_entity_edits_are_refused(tmp_path: Path, entities: Any, reason: str) -> None:
    app = build_app(tmp_path, entities=fixture_entities())
    body = edits(app, row0={"decision": "accept"})
    body["entities"] = entities
    reply = call(app, "POST", "/save", body)
    assert reply.code == 400
    message = reply.json()["error"]
    assert message.startswith(reason) and "\n" not in message
    assert not (tmp_path / f"{SOURCE}.entities.reviewed.csv").exists()
    assert not (tmp_path / f"{SOURCE}.reviewed.csv").exists()  # nothing is saved


def test_accept_saves_the_entity_rows_first(tmp_path: Path) -> None:
    seen: list[list[str]] = []

    def on_accept(path: Path) -> str:
        seen.append(
            [r["decision"] for r in read_csv(path.with_name(f"{SOURCE}.entities.reviewed.csv"))]
        )
        return "added 1 entity row"

    app = build_app(tmp_path, on_accept=on_accept, entities=fixture_entities())
    body = edits(app)
    body["entities"] = [{"decision": "accept"}, {}]
    reply = call(app, "POST", "/accept", body)  # an accepted entity row alone is enough
    assert reply.code == 200, reply.text
    assert seen == [["accept", ""]]


def test_cli_names_the_missing_candidates_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kgraph.cli.main import main

    missing = tmp_path / "nope.csv"
    result = CliRunner().invoke(
        main,
        [
            "review",
            "000_ae26940861c8c0fd",
            "--candidates",
            str(missing),
            "--reviewed",
            str(tmp_path / "r.csv"),
        ],
    )
    assert result.exit_code == 2
    assert str(missing) in result.output
    assert "run kgraph extract 000_ae26940861c8c0fd first" in result.output
