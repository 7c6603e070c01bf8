"""``kgraph review SOURCE``: the local page where a curator reviews an article's candidate facts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from kgraph import resources
from kgraph.cli.options import DATA_OPTION
from kgraph.errors import InputError


@click.command()
@click.argument("source_id", metavar="SOURCE")
@DATA_OPTION
@click.option(
    "--candidates",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The candidates file (default: build/extract/<SOURCE>.csv).",
)
@click.option(
    "--reviewed",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Where saving writes; loaded instead of the candidates when it exists "
    "(default: build/extract/<SOURCE>.reviewed.csv).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Port on 127.0.0.1 (0 picks a free one).",
)
@click.option(
    "--no-accept",
    "no_accept",
    is_flag=True,
    help="No 'accept into the tables' button: save only, then run kgraph extract --accept.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the web browser.")
def review(
    source_id: str,
    data_dir: Path | None,
    candidates: Path | None,
    reviewed: Path | None,
    port: int,
    no_accept: bool,
    open_browser: bool,
) -> None:
    """Serve the review page of SOURCE's candidate facts on 127.0.0.1 (Ctrl-C stops it)."""
    from kgraph.curate.encoding import read_text
    from kgraph.curate.review import load_choices, make_app, serve_review
    from kgraph.curate.tables import SPECS, load_table

    data = data_dir or resources.data_dir()
    extract = resources.default_build_dir() / "extract"
    candidates = candidates or extract / f"{source_id}.csv"
    reviewed = reviewed or extract / f"{source_id}.reviewed.csv"
    if not candidates.is_file() and not reviewed.is_file():
        raise InputError(
            f"no candidates file; run kgraph extract {source_id} first", path=candidates
        )
    sources = data / SPECS["sources"].path
    row = next((r for r in load_table(SPECS["sources"], sources) if r["id"] == source_id), None)
    if row is None:
        raise InputError(f"no source {source_id!r} (kgraph source add registers one)", path=sources)
    text = read_text(data / "sources" / row["file"])
    # the page saves the entity rows beside the reviewed file; accepting reads that file
    entities = candidates.with_name(f"{source_id}.entities.csv")
    entities_reviewed = reviewed.with_name(f"{source_id}.entities.reviewed.csv")
    on_accept = None if no_accept else _accepting(data, (entities_reviewed, entities))
    if on_accept is None and not no_accept:
        click.echo(
            "accepting from the page is not available yet: save, then run kgraph extract --accept"
        )
    app = make_app(
        text,
        source_id,
        candidates,
        reviewed,
        load_choices(data),
        on_accept,
        entities=entities,
        entities_reviewed=entities_reviewed,
    )
    serve_review(app, port=port, open_browser=open_browser)


def _accepting(data: Path, entity_files: tuple[Path, ...]) -> Callable[[Path], str] | None:
    """``kgraph extract --accept``'s library function as the page's accept step (None if absent)."""
    # TODO(main engineer): the one place the page's accept step is wired. The brief named
    # `kgraph.curate.extract.accept`; what exists is `accept_reviewed(reviewed, data_dir)
    # -> Accepted(path, ids, rejected)`, so that is what is called. If it moves or changes,
    # adjust here; when the import fails the page runs as with --no-accept.
    try:
        from kgraph.curate.extract import accept_reviewed
    except ImportError:
        return None

    def on_accept(reviewed: Path) -> str:
        # the entities file: the reviewed one the page saved, else the extract's (rows the
        # reviewer decided there are taken; undecided ones are not added)
        entities = next((p for p in entity_files if p.is_file()), None)
        done = accept_reviewed(reviewed, data, entities)
        added = f"; {len(done.entities)} entity row(s) added" if done.entities else ""
        if done.path is None:
            if done.entities:
                return f"no observation accepted{added}. Next: kgraph build"
            return f"nothing accepted ({done.rejected} rejected); no table changed"
        span = f"{done.ids[0]}..{done.ids[-1]}" if len(done.ids) > 1 else done.ids[0]
        return (
            f"appended {len(done.ids)} row(s) ({span}) to {done.path}{added}; "
            f"{done.rejected} rejected. Next: kgraph build"
        )

    return on_accept
