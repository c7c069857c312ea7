"""``foodtrace trace ID`` and ``foodtrace recall declare|show|list``.

Registered in ``foodtrace/cli/app.py``. Imports stay inside the commands so that
``foodtrace --help`` does not load SQLAlchemy. ``--json`` prints the same JSON as the API;
without it, rich tables and a genealogy tree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

__all__ = ["recall_app", "trace"]

recall_app = typer.Typer(no_args_is_help=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: $FOODTRACE_DB, then the config file, then the user data dir).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def _with_engine(db: str | None, work: Callable[[Engine], Any]) -> Any:
    from trace_api.core.config import load_settings
    from trace_api.core.db import create_engine
    from trace_api.migrate import require_head

    engine = create_engine(db or load_settings().db)
    try:
        require_head(engine)
        return work(engine)
    finally:
        engine.dispose()


def _print_json(value: Any) -> None:
    import orjson

    typer.echo(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode())


def _short(node_id: str) -> str:
    return node_id.removeprefix("https://id.gs1.org/")


def _label(node: dict[str, Any]) -> str:
    name = f" ({node['name']})" if node.get("name") else ""
    return f"{node['kind']} {_short(node['id'])}{name}"


def _tree(result: dict[str, Any]) -> Any:
    """Genealogy as a rich tree rooted at the seeds: objects and their object links."""
    from rich.tree import Tree

    nodes = {n["id"]: n for n in result["nodes"]}
    links = [e for e in result["edges"] if e["kind"] in ("transformed_into", "aggregated_in")]
    root = Tree(f"[bold]{result['id']}[/bold] ({result['direction']})")
    seen: set[str] = set()

    def grow(branch: Any, node_id: str) -> None:
        if node_id in seen:
            return
        seen.add(node_id)
        for edge in links:
            if seen.issuperset((edge["source"], edge["target"])):
                continue
            if edge["source"] == node_id and edge["kind"] == "transformed_into":
                grow(branch.add(f"→ {_label(nodes[edge['target']])}"), edge["target"])
            elif edge["target"] == node_id and edge["kind"] == "transformed_into":
                grow(branch.add(f"← {_label(nodes[edge['source']])}"), edge["source"])
            elif edge["source"] == node_id:
                branch.add(f"in {_label(nodes[edge['target']])}")
            elif edge["target"] == node_id:
                grow(branch.add(f"holds {_label(nodes[edge['source']])}"), edge["source"])

    for node in result["nodes"]:
        if node.get("seed"):
            grow(root.add(_label(node)), node["id"])
    return root


def _show_trace(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(_tree(result))
    journey = Table("time", "step", "location", "objects", title="Journey")
    for entry in result["timeline"]:
        objects = [_short(o) for o in entry["objects"]]
        objects += [f"{_short(o)} in {_short(v)}" for o, v in entry["via"].items()]
        where = entry["locationName"] or _short(entry["location"] or "")
        journey.add_row(entry["time"], entry["bizStep"] or entry["type"], where, "\n".join(objects))
    console.print(journey)
    if result["holders"]:
        holders = Table("object", "location", "status", "since", title="Current holders")
        for holder in result["holders"]:
            where = holder["locationName"] or _short(holder["location"])
            holders.add_row(_short(holder["object"]), where, holder["status"], holder["since"])
        console.print(holders)


def trace(
    identifier: Annotated[
        str, typer.Argument(metavar="ID", help="EPC URI, SSCC, LGTIN, Digital Link or GTIN.")
    ],
    db: DbOption = None,
    direction: Annotated[str, typer.Option("--direction", help="back, forward or both.")] = "both",
    as_json: JsonOption = False,
) -> None:
    """Trace an identifier back to its origins and forward to its current holders."""
    from trace_api.trace import trace as run_trace

    result: dict[str, Any] = _with_engine(
        db, lambda engine: run_trace(engine, identifier, direction).to_dict()
    )
    if as_json:
        _print_json({k: result[k] for k in ("nodes", "edges", "timeline", "holders")})
    else:
        _show_trace(result)


def _show_recall(recall: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"recall {recall['id']} declared {recall['declaredAt']}: {recall['reason']}")
    radius = recall.get("blastRadius")
    if radius is None:
        return
    lots = Table("lot", "status", title="Lots")
    for lot in radius["lots"]:
        lots.add_row(_short(lot["id"]), lot["status"])
    console.print(lots)
    holders = Table("object", "location", "status", title="Current holders")
    for holder in radius["holders"]:
        where = holder["locationName"] or _short(holder["location"])
        holders.add_row(_short(holder["object"]), where, holder["status"])
    console.print(holders)


def _recall_with_radius(engine: Engine, recall_id: str) -> dict[str, Any]:
    from trace_api.recall import blast_radius, get_recall

    recall = get_recall(engine, recall_id)
    body = recall.to_dict()
    body["blastRadius"] = blast_radius(engine, [lot["lot"] for lot in recall.lots])
    return body


@recall_app.command()
def declare(
    lot: Annotated[
        list[str], typer.Option("--lot", help="A lot (LGTIN or Digital Link); repeatable.")
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why the lots are recalled.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Declare a recall of one or more lots; prints it with its blast radius."""
    from trace_api.recall import declare_recall

    def work(engine: Engine) -> dict[str, Any]:
        return _recall_with_radius(engine, declare_recall(engine, lot, reason).id)

    body: dict[str, Any] = _with_engine(db, work)
    if as_json:
        _print_json(body)
    else:
        _show_recall(body)


@recall_app.command()
def show(
    recall_id: Annotated[str, typer.Argument(metavar="ID", help="Recall ID.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show a recall with its current blast radius."""
    body: dict[str, Any] = _with_engine(db, lambda engine: _recall_with_radius(engine, recall_id))
    if as_json:
        _print_json(body)
    else:
        _show_recall(body)


@recall_app.command("list")
def list_command(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List recalls, newest first."""
    from trace_api.recall import list_recalls

    recalls: list[dict[str, Any]] = _with_engine(
        db, lambda engine: [r.to_dict() for r in list_recalls(engine)]
    )
    if as_json:
        _print_json({"recalls": recalls})
        return
    for recall in recalls:
        _show_recall(recall)
