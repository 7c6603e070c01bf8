"""Commands that make and check the graph: ``build``, ``all``, ``validate``, ``generate``."""

from __future__ import annotations

from pathlib import Path

import click

from kgraph import resources
from kgraph.cli.options import DATA_OPTION, base_option, built_graph
from kgraph.graph.namespaces import Iris


@click.command()
@DATA_OPTION
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Where to write the graph (default: build/kgraph.ttl).",
)
@base_option
@click.option("--quiet", is_flag=True, help="Print nothing on success.")
@click.option(
    "--no-validate",
    is_flag=True,
    help="Write the graph even if it breaks the SHACL shapes (default: refuse, exit 1).",
)
def build(
    data_dir: Path | None, out: Path | None, base: str, quiet: bool, no_validate: bool
) -> None:
    """Build the knowledge graph from the curated tables, validated against the SHACL shapes."""
    from kgraph.check import GraphViolations
    from kgraph.pipeline import build_to_file

    try:
        result = build_to_file(
            data_dir or resources.data_dir(),
            out or resources.default_build_dir() / "kgraph.ttl",
            Iris(base),
            validate=not no_validate,
        )
    except GraphViolations as exc:
        click.echo(exc.report.render("text"), err=True)
        raise
    if not quiet:
        click.echo(f"wrote {result.path}")
        if result.store is not None:
            click.echo(f"wrote {result.store} ({result.store_line()})")
        click.echo(result.summary.render())
        if result.validation is not None:
            n = len(result.validation.findings())
            click.echo(f"validation: conforms, {n} warning(s) (see `kgraph validate`)")


@click.command(name="all")
@DATA_OPTION
@click.option(
    "--out-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Where to write everything (default: build/).",
)
@base_option
def all_(data_dir: Path | None, out_dir: Path | None, base: str) -> None:
    """The main job: build the graph and everything made from it into build/."""
    from kgraph.pipeline import run_all

    for line in run_all(
        data_dir or resources.data_dir(), out_dir or resources.default_build_dir(), Iris(base)
    ):
        click.echo(line)


def _report_formats() -> list[str]:
    from kgraph.check import RENDERERS

    return sorted(RENDERERS)


@click.command()
@click.argument(
    "graph_path",
    metavar="[GRAPH]",
    required=False,
    type=click.Path(path_type=Path, dir_okay=False),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_report_formats()),
    default="text",
    show_default=True,
    help="Report as text, JSON, or the standard SHACL sh:ValidationReport in Turtle.",
)
@click.option(
    "--data",
    "data_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="The curated data the graph was built from, to name the file, row and column "
    "of each finding (default: the project's data/; --no-rows for none).",
)
@click.option("--no-rows", is_flag=True, help="Do not look findings up in the curated tables.")
@click.pass_context
def validate(
    ctx: click.Context, graph_path: Path | None, fmt: str, data_dir: Path | None, no_rows: bool
) -> None:
    """Check GRAPH (default: build/kgraph.ttl) against the SHACL shapes.

    Each finding about a curated fact names its file, row and column. Exit 0
    when it conforms (warnings are listed), 1 when it has violations, 2 when
    the file cannot be read.
    """
    from kgraph.check import validate_graph
    from kgraph.check.locate import locate
    from kgraph.curate.dataset import load_dataset

    report = validate_graph(built_graph(graph_path))
    if not no_rows:
        report = locate(report, load_dataset(data_dir or resources.data_dir()))
    click.echo(report.render(fmt), nl=False)
    if not report.conforms:
        ctx.exit(1)


@click.command()
@click.option(
    "--triples",
    type=click.IntRange(min=1_000, max=20_000_000),
    default=100_000,
    show_default=True,
    help="About how many triples the built graph should hold.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same bytes.")
@click.option(
    "--inconsistency",
    type=click.FloatRange(0, 1),
    default=0.02,
    show_default=True,
    help="Share of commune-years whose figures contradict each other (validation warns).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="A new folder for the generated data (the layout of data/).",
)
def generate(triples: int, seed: int, inconsistency: float, out: Path) -> None:
    """Generate synthetic curated data on the real unit list, to measure kgraph at scale.

    The folder builds with `kgraph build --data OUT`; its articles say they are
    generated. Never mix it into data/.
    """
    from kgraph.cli.progress import for_terminal
    from kgraph.curate.generate import generate_data

    made = generate_data(
        out, triples=triples, seed=seed, inconsistency=inconsistency, progress=for_terminal()
    )
    click.echo(made.render())
