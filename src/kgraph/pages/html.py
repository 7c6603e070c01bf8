"""Pages as HTML: one Jinja environment with autoescape, and what the templates may call.

Every text from the graph reaches the page through Jinja's autoescape, as text
(a hostile label shows as the characters it is); nothing builds markup by
hand. The templates, the CSS and the search script live in
``kgraph/pages/templates`` (found through :mod:`kgraph.resources`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from kgraph import resources

#: interface text: (Vietnamese, English)
UI: dict[str, tuple[str, str]] = {
    "site": ("Đồ thị tri thức kgraph", "kgraph knowledge graph"),
    "kind": ("Loại", "Kind"),
    "identifiers": ("Mã định danh", "Identifiers"),
    "code": ("Mã GSO", "GSO code"),
    "list": ("danh mục", "list of"),
    "statements": ("Các phát biểu", "Statements"),
    "predicate": ("Thuộc tính", "Property"),
    "value": ("Giá trị", "Value"),
    "sources": ("Nguồn và trích dẫn", "Sources and quotes"),
    "quote": ("Trích nguyên văn", "Exact quote"),
    "open_quote": ("mở bài báo tại câu trích", "open the article at the quote"),
    "derived": ("Lấy từ", "Derived from"),
    "values": ("Số liệu", "Indicator values"),
    "period": ("Kỳ", "Period"),
    "as_printed": ("như bài báo viết", "as printed"),
    "holdings": ("Chức vụ đã giữ", "Posts held"),
    "role": ("Vai trò", "Role"),
    "organisation": ("Tổ chức", "Organisation"),
    "as_of": ("Thời điểm", "As of"),
    "inbound": ("Những gì trỏ tới đây", "What points here"),
    "page": ("Trang", "Page"),
    "of": ("trên", "of"),
    "previous": ("Trang trước", "Previous"),
    "next": ("Trang sau", "Next"),
    "ego": ("Xung quanh", "Around it"),
    "more": ("liên kết khác", "more links"),
    "article": ("Bài báo, các câu trích được đánh dấu", "The article, every quote marked"),
    "notes": ("Các câu trích và dữ kiện chúng làm căn cứ", "The quotes and the facts they back"),
    "backs": ("làm căn cứ cho", "backs"),
    "to_text": ("về chỗ trong bài", "back to the text"),
    "missing": ("Câu trích không tìm thấy trong bài", "Quotes not found in the article"),
    "no_text": ("Không có văn bản bài báo ở đây", "The article's text is not available here"),
    "formats": ("Dữ liệu máy đọc", "Machine-readable data"),
    "search": ("Tìm kiếm", "Search"),
    "search_hint": (
        "Gõ tên hoặc mã, có dấu hay không dấu",
        "Type a name or a code, with or without diacritics",
    ),
    "browse": ("Danh mục theo loại", "Browse by kind"),
    "home": ("Trang đầu", "Home"),
    "entities": ("thực thể", "entities"),
    "not_found": ("Không có trang này", "No such page"),
    "chart": ("Biểu đồ", "Chart"),
}


@cache
def environment() -> Environment:
    """The pages' Jinja environment (autoescape on for every template)."""
    env = Environment(
        loader=FileSystemLoader(str(resources.pages_templates_dir())),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # the templates are package files: no stat per page of 25,000
    )
    env.globals["ui"] = UI
    return env


def render(template: str, **context: Any) -> str:
    """Render ``template`` (a file of the templates folder) with ``context``."""
    return environment().get_template(template).render(**context)


def asset(name: str) -> bytes:
    """A shared asset (CSS, JavaScript) as the templates folder holds it."""
    return (resources.pages_templates_dir() / name).read_bytes()


#: the assets every site holds in assets/ (the search script is inlined in its page)
ASSETS = ("site.css",)

__all__ = ["ASSETS", "UI", "asset", "environment", "render"]
