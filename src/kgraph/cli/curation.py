"""Commands that help a curator add an article: ``source add`` and ``indicators``."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import click

from kgraph import resources
from kgraph.cli.options import DATA_OPTION


@click.group()
def source() -> None:
    """Add articles to the curated data."""


@source.command(name="add")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@DATA_OPTION
@click.option("--title", default=None, help="The title exactly as the text prints it.")
@click.option("--title-en", default=None, help="The title in English (a translation).")
@click.option("--url", default=None, help="Where the article was published (http or https).")
@click.option("--publisher", default=None, help="Id of the publishing organisation.")
@click.option("--author", default=None, help="Id of the author (people.csv).")
@click.option(
    "--published",
    default=None,
    help="The publication stamp as printed, e.g. '13:58 15/08/2025' (see docs/curation.md).",
)
@click.option("--language", default="vi", show_default=True, help="Language of the text.")
@click.option("--note", default=None, help="Anything a reader must know about the source.")
@click.option("--nfc", "normalise", is_flag=True, help="Store the NFC form of a non-NFC text.")
def add(
    file: Path,
    data_dir: Path | None,
    title: str | None,
    title_en: str | None,
    url: str | None,
    publisher: str | None,
    author: str | None,
    published: str | None,
    language: str,
    note: str | None,
    normalise: bool,
) -> None:
    """Copy an article into data/sources/, give it its id and write its sources.csv row."""
    from kgraph.curate.sources import add_source

    data = data_dir or resources.data_dir()
    added = add_source(
        data,
        file,
        title=title,
        title_en=title_en,
        url=url,
        publisher=publisher,
        author=author,
        published=published,
        language=language,
        note=note,
        normalise=normalise,
    )
    click.echo(f"added source {added.id}")
    click.echo(f"  text: {added.text}" + (" (normalised to NFC)" if added.normalised else ""))
    click.echo(f"  row {added.row} of {data / 'sources.csv'}")
    click.echo(f"  observations: {added.observations} (header only)")
    if not added.titled:
        click.echo("  no title: the article is recorded without one (give --title as printed)")
    click.echo(f"next: kgraph extract {added.id}")


@click.command()
@DATA_OPTION
@click.option("--search", default=None, help="Text in the id, labels or definition (any accents).")
@click.option("--category", default=None, help="Only this category (e.g. party-building).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "csv"]), default="text", show_default=True
)
def indicators(data_dir: Path | None, search: str | None, category: str | None, fmt: str) -> None:
    """List the indicators an observation can cite, with labels, units and categories."""
    from kgraph.curate.catalogue import indicator_catalogue

    found = indicator_catalogue(data_dir or resources.data_dir(), search, category)
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["id", "label_vi", "label_en", "unit", "category", "definition"])
        for i in found:
            writer.writerow([i.id, i.label_vi, i.label_en, i.unit, i.category, i.definition])
        return
    width = max((len(i.id) for i in found), default=2)
    for i in found:
        click.echo(f"{i.id:<{width}}  {i.label_vi} / {i.label_en} [{i.symbol}] ({i.category})")
    click.echo(f"{len(found)} indicator(s)")
