"""``kgraph extract``: candidate observations of an article for review, and accepting them."""

from __future__ import annotations

from pathlib import Path

import click

from kgraph.cli.options import DATA_OPTION


@click.command()
@click.argument("source", required=False)
@DATA_OPTION
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Where to write the candidates (default: build/extract/).",
)
@click.option(
    "--accept",
    "reviewed",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="A reviewed candidates file: append its accepted rows to the article's observations.",
)
@click.option(
    "--accept-entities",
    "reviewed_entities",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    help="The reviewed entities file to accept with --accept (default: the one beside it).",
)
def extract(
    source: str | None,
    data_dir: Path | None,
    out_dir: Path | None,
    reviewed: Path | None,
    reviewed_entities: Path | None,
) -> None:
    """Propose every number of SOURCE (a source id or its .txt file) with its exact quote.

    Writes <out>/<source>.csv (one candidate per quantity; write accept or reject in
    its decision column) and <out>/<source>.entities.csv (people, posts, places,
    organisations and indicators not yet in the tables). With --accept REVIEWED.csv,
    appends the accepted rows with fresh ids, and the accepted rows of the entities
    file (--accept-entities FILE, or else <id>.entities.reviewed.csv beside
    <id>.reviewed.csv, <id>.entities.csv beside <id>.csv; an undecided entity row is
    not added) to places, organisations, people, posts and indicators: all checked as
    `kgraph build` checks them, and nothing changes unless all pass.
    """
    from kgraph import resources
    from kgraph.curate.extract import Extractor, accept_reviewed, write_extraction
    from kgraph.errors import InputError

    if reviewed is not None:
        if source is not None:
            raise InputError("give either SOURCE or --accept REVIEWED.csv, not both")
        done = accept_reviewed(reviewed, data_dir, reviewed_entities)
        if done.path is None and not done.entities:
            click.echo(f"nothing accepted ({done.rejected} rejected); no table changed")
            return
        if done.path is not None:
            span = f"{done.ids[0]}..{done.ids[-1]}" if len(done.ids) > 1 else done.ids[0]
            click.echo(f"appended {len(done.ids)} row(s) ({span}) to {done.path}")
        for table in dict.fromkeys(t for t, _ in done.entities):
            ids = [i for t, i in done.entities if t == table]
            click.echo(f"appended {len(ids)} row(s) to {table}.csv: {', '.join(ids)}")
        click.echo(f"rejected {done.rejected} row(s)")
        return
    if reviewed_entities is not None:
        raise InputError("--accept-entities goes with --accept REVIEWED.csv")
    if source is None:
        raise InputError("give a SOURCE (a source id or its .txt file) or --accept REVIEWED.csv")
    extraction = Extractor(data_dir).extract(source)
    main, entities = write_extraction(
        extraction, out_dir or resources.default_build_dir() / "extract"
    )
    click.echo(f"wrote {len(extraction.candidates)} candidate(s) to {main}")
    click.echo(f"wrote {len(extraction.entities)} entity candidate(s) to {entities}")
