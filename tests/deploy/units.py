"""Reading deploy/ files in tests: systemd unit sections and foodtrace command lines."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer.main

from foodtrace.cli.app import app

DEPLOY = Path(__file__).parents[2] / "deploy"
SYSTEMD = DEPLOY / "systemd"
INSTALLED = "/opt/foodtrace/.venv/bin/foodtrace"


def unit_entries(path: Path) -> dict[str, list[tuple[str, str]]]:
    """``{section: [(key, value), ...]}`` of a unit file (keys may repeat)."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections.setdefault(current, [])
            continue
        key, _, value = line.partition("=")
        sections[current].append((key.strip(), value.strip()))
    return sections


def values(path: Path, section: str, key: str) -> list[str]:
    return [v for k, v in unit_entries(path).get(section, []) if k == key]


def check_foodtrace_args(args: Sequence[str]) -> Any | None:
    """Parse ``args`` (after ``foodtrace``) with the real CLI, without running it.

    Walks the groups by name (they take no options of their own), then lets the command parse
    its options. Returns the command's context, ``None`` when a group or command is not
    registered (a part that has not landed yet); raises the CLI's ``UsageError`` for an unknown
    option or a bad value. (Typer ships its own copy of click: the types are duck-typed.)"""
    command: Any = typer.main.get_command(app)
    context: Any = command.make_context("foodtrace", ["--help"], resilient_parsing=True)
    rest = list(args)
    while hasattr(command, "get_command"):
        if not rest:
            return context
        name, rest = rest[0], rest[1:]
        sub = command.get_command(context, name)
        if sub is None:
            return None
        if hasattr(sub, "get_command"):
            context = sub.make_context(name, ["--help"], parent=context, resilient_parsing=True)
        else:
            context = sub.make_context(name, rest, parent=context)
        command = sub
    return context


def exec_args(line: str, specifiers: dict[str, str]) -> list[str]:
    for spec, value in specifiers.items():
        line = line.replace(spec, value)
    return shlex.split(line)
