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
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console

from assay._version import __version__
from assay.errors import AssayError

if TYPE_CHECKING:
    from assay.client.identities import Identity
    from assay.config import AssayConfig, AuthConfig
    from assay.engine.settings import RunSettings

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


@app.command("run")
def run_command(
    target: Annotated[
        str | None,
        typer.Argument(
            metavar="TARGET",
            help="package.module:app (in-process) or a base URL; default: `app` or `url` "
            "from the configuration.",
        ),
    ] = None,
    *,
    spec: Annotated[
        str | None, typer.Option(help="The OpenAPI document (default: the target's own).")
    ] = None,
    config: Annotated[
        str | None, typer.Option(help="assay.toml or pyproject.toml (default: searched upwards).")
    ] = None,
    phases: Annotated[
        list[str] | None,
        typer.Option(
            help="Phases to run, comma-separated: examples, boundary, fuzz, stateful, "
            "semantics, auth, security, queries, resilience (default: all but resilience)."
        ),
    ] = None,
    checks: Annotated[
        list[str] | None, typer.Option(help="Checks to run, comma-separated, or 'all'.")
    ] = None,
    exclude_checks: Annotated[
        list[str] | None, typer.Option(help="Checks to leave out, comma-separated.")
    ] = None,
    operations: Annotated[
        list[str] | None,
        typer.Option("--operation", help="Only this operation (operationId or 'GET /path')."),
    ] = None,
    max_examples: Annotated[
        int, typer.Option(min=0, help="Property-based cases per operation and kind.")
    ] = 25,
    max_cases: Annotated[int, typer.Option(min=0, help="Boundary cases per operation.")] = 200,
    seed: Annotated[int | None, typer.Option(min=0, help="Seed (default: random).")] = None,
    concurrency: Annotated[int, typer.Option(min=1, help="Parallel requests (URLs).")] = 1,
    report_dir: Annotated[
        Path | None, typer.Option(help="Write events.ndjson, report.json and junit.xml here.")
    ] = None,
    max_time: Annotated[
        float | None, typer.Option(min=0.1, help="Stop after this many seconds.")
    ] = None,
    latency_budget: Annotated[
        float | None, typer.Option(help="Flag responses slower than this (ms).")
    ] = None,
    timeout: Annotated[float | None, typer.Option(min=0.1, help="Seconds per request.")] = None,
) -> None:
    """Find bugs: run generated cases against every operation and check every answer."""
    with _errors_as_messages():
        from assay.engine.settings import RunSettings

        loaded = _load_config(config)
        chosen = target or loaded.app or loaded.url
        if not chosen:
            _fail(
                "no target: give one (assay run package.module:app, or a base URL), or set "
                "`app` or `url` in assay.toml / [tool.assay]"
            )
        settings = RunSettings(
            phases=RunSettings.parse_list(phases) or RunSettings().phases,
            checks=RunSettings.parse_list(checks) or None,
            exclude_checks=RunSettings.parse_list(exclude_checks),
            operations=RunSettings.parse_list(operations),
            max_examples=max_examples,
            max_cases=max_cases,
            seed=seed if seed is not None else loaded.seed,
            concurrency=concurrency,
            max_time=max_time,
            latency_budget_ms=latency_budget,
            timeout=timeout or loaded.timeout,
            identities=tuple(_identities(loaded)),
            security=loaded.security,
            auth=_resolved_auth(loaded),
            resilience=loaded.resilience,
        )
        spec_source = spec or (loaded.resolve_path(loaded.spec) if loaded.spec else None)
        code = _run(chosen, settings, spec_source, report_dir)
    raise typer.Exit(code)


def _resolved_auth(config: AssayConfig) -> AuthConfig:
    """``[auth]`` with its files' paths taken from the configuration's folder, read once
    here so that a missing or broken file stops the run before its first case."""
    auth = config.auth
    if auth.policy_file is not None:
        auth = auth.model_copy(update={"policy_file": config.resolve_path(auth.policy_file)})
    tokens = auth.tokens
    if tokens is not None and tokens.private_key_file is not None:
        resolved = tokens.model_copy(
            update={"private_key_file": config.resolve_path(tokens.private_key_file)}
        )
        auth = auth.model_copy(update={"tokens": resolved})
    try:
        auth.roles_policy()
        auth.minter()
    except AssayError as exc:
        raise AssayError(
            f"{config.source or 'the configuration'}: auth: {exc.message}",
            hint=exc.hint or "Fix the path (relative to the configuration file) or remove the key.",
        ) from None
    return auth


def _load_config(path: str | None) -> AssayConfig:
    from assay.config import load_config

    return load_config(path) if path else load_config()


def _identities(config: AssayConfig) -> list[Identity]:
    from assay.config import build_identities

    return build_identities(config)


def _run(target: str, settings: RunSettings, spec: str | None, report_dir: Path | None) -> int:
    from assay.engine.runner import Engine, open_client
    from assay.report.run_files import NdjsonSink, prepare_dir, write_junit, write_report
    from assay.report.terminal import RunProgress, render_summary

    console = Console(stderr=False, highlight=False)
    folder = prepare_dir(report_dir) if report_dir is not None else None
    client, label = open_client(target, settings, spec=spec)
    with client, RunProgress(console) as progress:
        engine = Engine(client, settings, target=label, sinks=[progress])
        if folder is not None:
            engine.events.sinks.append(NdjsonSink(folder / "events.ndjson"))
        engine.listeners.append(progress.on_case)
        result = engine.run()
    render_summary(console, result)
    if folder is not None:
        write_report(result, folder)
        write_junit(result, folder)
        console.print(
            f"reports: {folder / 'report.json'}, {folder / 'junit.xml'}, {folder / 'events.ndjson'}"
        )
    if result.stopped and result.stopped.startswith("aborted"):
        _fail(result.stopped.removeprefix("aborted: "))
    return EXIT_FOUND if result.stored else EXIT_OK


@app.command("replay")
def replay_command(
    reference: Annotated[
        str, typer.Argument(metavar="REPORT#ID", help="A finding: report.json#F001.")
    ],
    target: Annotated[
        str | None,
        typer.Option(help="Send it here instead of the report's target (app or URL)."),
    ] = None,
    config: Annotated[str | None, typer.Option(help="assay.toml (for identities).")] = None,
) -> None:
    """Send one finding's reproduction again and say whether it still fails."""
    with _errors_as_messages():
        from assay.engine.replay import replay
        from assay.engine.settings import RunSettings

        loaded = _load_config(config)
        settings = RunSettings(phases=(), identities=tuple(_identities(loaded)))
        outcome = replay(reference, target=target, settings=settings)
        console = Console(highlight=False)
        if outcome.still_failing is not None:
            console.print(
                f"{outcome.finding_id} still fails:\n", outcome.still_failing.render(), markup=False
            )
        else:
            console.print(
                f"{outcome.finding_id} ({outcome.check} on {outcome.operation}) does not fail any "
                f"more: the response was {outcome.status}"
            )
    raise typer.Exit(EXIT_FOUND if outcome.still_failing is not None else EXIT_OK)


@app.command("checks")
def checks_command(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the catalogue as markdown (docs/checks.md).")
    ] = False,
) -> None:
    """List every registered check: family, severity, default or not, when it fires."""
    with _errors_as_messages():
        from assay.checks.registry import all_checks
        from assay.report.catalogue import catalogue_markdown, render_catalogue

        checks = all_checks()
        if markdown:
            typer.echo(catalogue_markdown(checks), nl=False)
        else:
            render_catalogue(Console(highlight=False), checks)


contract_app = typer.Typer(
    help="Contracts: validate traffic, lint documentation accuracy, verify pacts.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(contract_app, name="contract")


@contract_app.command("validate")
def contract_validate_command(
    traffic: Annotated[
        list[Path],
        typer.Argument(metavar="TRAFFIC...", help="HAR files or events.ndjson exchange logs."),
    ],
    spec: Annotated[str, typer.Option(help="The OpenAPI document: file, URL or app.")],
    prefix: Annotated[
        str, typer.Option(help="Base path the traffic has and the spec's paths lack.")
    ] = "",
    rejected_requests: Annotated[
        bool,
        typer.Option(help="Also report invalid requests the service rejected with a 4xx."),
    ] = False,
) -> None:
    """Check recorded requests and responses against the spec (exit 1 on findings)."""
    with _errors_as_messages():
        from assay.contract.traffic import read_traffic
        from assay.contract.validator import ContractValidator

        validator = ContractValidator(spec, prefix=prefix, rejected_requests=rejected_requests)
        report = validator.check_all(r for path in traffic for r in read_traffic(path))
        if not report.checked:
            _fail(
                f"no exchanges in {', '.join(map(str, traffic))}: a HAR file needs "
                'log.entries with responses, an ndjson log lines with "request" and '
                '"response" (see assay.contract.traffic.exchange_record)'
            )
        typer.echo(report.render())
    raise typer.Exit(EXIT_OK if report.ok else EXIT_FOUND)


@contract_app.command("verify")
def contract_verify_command(
    pacts: Annotated[list[Path], typer.Argument(metavar="PACT...", help="Pact JSON files.")],
    target: Annotated[
        str, typer.Option(help="The provider: package.module:app (in-process) or a base URL.")
    ],
    states: Annotated[
        str | None,
        typer.Option(
            help="Provider-state handlers: package.module:registry, or a module that uses "
            "@provider_state."
        ),
    ] = None,
    header: Annotated[
        list[str] | None,
        typer.Option(help="'Name: value' added to every request (credentials); repeatable."),
    ] = None,
    timeout: Annotated[float, typer.Option(min=0.1, help="Seconds per request.")] = 10.0,
) -> None:
    """Replay consumers' pacts against the provider; exit 1 when an interaction fails."""
    extra = {}
    for item in header or []:
        name, sep, value = item.partition(":")
        if not sep or not name.strip():
            _fail(f"--header takes 'Name: value', got {item!r}")
        extra[name.strip()] = value.strip()
    with _errors_as_messages():
        from assay.contract.pact import verify_pact

        outcomes = [
            verify_pact(p, target, states=states, headers=extra, timeout=timeout) for p in pacts
        ]
        typer.echo("\n\n".join(o.render() for o in outcomes))
    raise typer.Exit(EXIT_OK if all(o.ok for o in outcomes) else EXIT_FOUND)


@app.command("diff")
def diff_command(
    old: Annotated[
        str,
        typer.Argument(
            metavar="OLD",
            help="The old document: a file, a URL, package.module:app, or git:REV:path.",
        ),
    ],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The new document (same forms).")],
    *,
    fmt: Annotated[
        str,
        typer.Option("--format", help="text, markdown, json, junit or changelog."),
    ] = "text",
    fail_on: Annotated[
        str,
        typer.Option("--fail-on", help="ERR, WARN or INFO: exit 1 at this level or worse."),
    ] = "ERR",
    accept: Annotated[
        Path | None,
        typer.Option("--accept", help="Accept file (YAML/JSON) of intended changes."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="Write the report here instead of stdout.")
    ] = None,
    timeout: Annotated[
        float, typer.Option(help="Seconds to wait for a URL or an app's startup.", min=0.1)
    ] = 10.0,
) -> None:
    """Breaking changes between two OpenAPI documents (exit 1 at --fail-on or worse)."""
    with _errors_as_messages():
        from assay.contract.diff import Level, render, run_diff

        threshold = Level.parse(fail_on)
        report = run_diff(old, new, accept_file=accept, timeout=timeout)
        rendered = render(report, fmt, fail_on=threshold)
        if output is not None:
            output.write_text(rendered, encoding="utf-8")
        else:
            typer.echo(rendered, nl=False)
    raise typer.Exit(EXIT_FOUND if report.fails(threshold) else EXIT_OK)


@contract_app.command("lint")
def contract_lint_command(
    target: Annotated[
        str,
        typer.Argument(
            metavar="TARGET",
            help="package.module:app (its router is read), a base URL (probed with safe "
            "requests) or an OpenAPI document.",
        ),
    ],
    spec: Annotated[
        str | None, typer.Option(help="The OpenAPI document (default: the target's own).")
    ] = None,
    traffic: Annotated[
        list[Path] | None,
        typer.Option(help="HAR or events.ndjson traffic: undocumented statuses and headers."),
    ] = None,
    fail_on: Annotated[
        str, typer.Option(help="Exit 1 on problems of this level or worse: error or warning.")
    ] = "error",
    probe_limit: Annotated[
        int, typer.Option(min=0, help="At most this many probe requests to a live URL.")
    ] = 60,
) -> None:
    """Documentation accuracy: undocumented routes, statuses and headers; bad examples."""
    if fail_on not in ("error", "warning"):
        _fail(f"--fail-on takes 'error' or 'warning', not {fail_on!r}")
    with _errors_as_messages():
        from assay.contract.accuracy import fails, lint_target
        from assay.contract.traffic import read_traffic

        records = [r for path in traffic or [] for r in read_traffic(path)]
        problems = lint_target(target, spec=spec, traffic=records, probe_limit=probe_limit)
        for problem in problems:
            typer.echo(str(problem))
        typer.echo(f"{len(problems)} documentation accuracy problems")
    raise typer.Exit(EXIT_FOUND if fails(problems, fail_on) else EXIT_OK)


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
