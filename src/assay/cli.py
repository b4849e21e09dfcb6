"""The ``assay`` command. Thin: every command is one call into the library.

Exit codes: 0 all is well, 1 problems or findings were found, 2 usage error or the
target could not be used. Errors are one paragraph on stderr; ``--debug`` adds the
traceback.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from assay._version import __version__
from assay.errors import AssayError

__all__ = ["app", "main"]

EXIT_OK = 0
EXIT_FOUND = 1
EXIT_UNUSABLE = 2

app = typer.Typer(
    name="assay",
    help="API testing toolkit for FastAPI and other OpenAPI services.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class _State:
    debug = False


def _fail(message: str, code: int = EXIT_UNUSABLE) -> NoReturn:
    Console(stderr=True, soft_wrap=True, highlight=False).print(
        f"[bold red]error:[/] {message}", markup=True
    )
    raise typer.Exit(code)


@contextmanager
def _errors_as_messages() -> Iterator[None]:
    """Turn failures into one clear paragraph (and a traceback only with --debug)."""
    try:
        yield
    except AssayError as exc:
        if _State.debug:
            traceback.print_exc()
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:
        if _State.debug:
            traceback.print_exc()
        _fail(
            f"unexpected {type(exc).__name__}: {exc}. This is a bug in assay, not in your "
            "service: rerun with --debug and report the traceback."
        )


def _version(value: bool) -> None:
    if value:
        typer.echo(f"assay {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of errors (for bug reports).")
    ] = False,
) -> None:
    _State.debug = debug


@app.command("spec")
def spec_command(
    target: Annotated[
        str,
        typer.Argument(
            metavar="TARGET",
            help="The OpenAPI document: a JSON/YAML file, an http(s):// URL, or an app "
            "import string such as package.module:app.",
        ),
    ],
    timeout: Annotated[
        float, typer.Option(help="Seconds to wait for a URL or an app's startup.", min=0.1)
    ] = 10.0,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary as JSON instead of a table.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 on warnings too, not only on errors.")
    ] = False,
) -> None:
    """List the operations of an OpenAPI document and the problems found in it."""
    with _errors_as_messages():
        from assay.report.spec_summary import render_spec_summary, spec_summary
        from assay.spec import lint, load

        spec = load(target, timeout=timeout)
        problems = lint(spec)
        if as_json:
            typer.echo(json.dumps(spec_summary(spec, problems), indent=2))
        else:
            render_spec_summary(Console(soft_wrap=False), spec, problems)
    counted = [p for p in problems if strict or p.level == "error"]
    raise typer.Exit(EXIT_FOUND if counted else EXIT_OK)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    command: Callable[..., object] = typer.main.get_command(app)
    try:
        command(args=argv if argv is not None else sys.argv[1:], prog_name="assay")
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_UNUSABLE
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
