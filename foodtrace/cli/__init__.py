"""The one ``foodtrace`` command.

Each subcommand group lives in its own module (``foodtrace/cli/<group>.py`` for the shared
standards tools; the parts register theirs from ``<part>/cli.py``). Heavy dependencies are
imported inside the commands, so ``foodtrace --help`` works on a reader station that installed
only the ``edge`` extra.

Errors: every failure exits non-zero with one line on stderr, never a traceback (set
``FOODTRACE_DEBUG=1`` to see one). Usage errors exit 2, failed operations 1, internal errors 70.
"""

from __future__ import annotations

import os
import sys

import typer

from foodtrace.cli.app import app
from foodtrace.exceptions import FoodtraceError

__all__ = ["app", "main"]

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


def _fail(message: str, code: int) -> int:
    first_line = " ".join(message.split()) if message else "unknown error"
    sys.stderr.write(f"foodtrace: error: {first_line}\n")
    return code


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code instead of exiting."""
    try:
        result = app(args=argv, prog_name="foodtrace", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        sys.stderr.write("foodtrace: interrupted\n")
        return EXIT_INTERRUPTED
    except typer.TyperException as exc:  # usage errors (exit 2) and other command-line errors
        ctx = getattr(exc, "ctx", None)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        return _fail(exc.format_message() + hint, int(exc.exit_code) or EXIT_FAILURE)
    except FoodtraceError as exc:
        if os.environ.get("FOODTRACE_DEBUG"):
            raise
        return _fail(str(exc), EXIT_FAILURE)
    except OSError as exc:
        if os.environ.get("FOODTRACE_DEBUG"):
            raise
        where = f": {exc.filename}" if exc.filename else ""
        return _fail(f"{exc.strerror or exc}{where}", EXIT_FAILURE)
    except Exception as exc:  # the CLI never shows a traceback unless asked to
        if os.environ.get("FOODTRACE_DEBUG"):
            raise
        return _fail(f"internal error: {type(exc).__name__}: {exc}", EXIT_INTERNAL)
    return int(result) if isinstance(result, int) else 0


def main() -> None:
    """Console-script entry point."""
    raise SystemExit(run(sys.argv[1:]))
