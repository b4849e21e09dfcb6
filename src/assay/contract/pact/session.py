"""Pact files across a test session: what the ``assay_pact`` fixture uses.

A test asks for builders (``assay_pact("orders", "inventory")``); when it ends, each
builder is verified (exactly the expected calls) and, if the test passed, its pact
is written. The first write of a file in a session replaces the file (no stale
interactions from earlier runs); later tests of the same session merge into it. Under
pytest-xdist every worker merges (a worker cannot know what the others wrote), with a
lock file around each write: remove the pact directory before such a run to drop
interactions that no longer exist.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assay.contract.pact.consumer import PactBuilder
from assay.errors import AssayError, Finding

__all__ = ["PactSession", "TestPacts"]

PACT_DIR_VARIABLE = "ASSAY_PACT_DIR"


class PactSession:
    """The pact directory and the files already written in this session."""

    def __init__(self, directory: Path) -> None:
        configured = os.environ.get(PACT_DIR_VARIABLE)
        self.directory = Path(configured) if configured else directory
        self.written: set[Path] = set()

    def open(self) -> TestPacts:
        """The builders of one test."""
        return TestPacts(self)

    def write(self, builder: PactBuilder, directory: Path | None) -> Path:
        target = builder.path_in(directory or self.directory).resolve()
        merge = target in self.written or bool(os.environ.get("PYTEST_XDIST_WORKER"))
        self.written.add(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        with _locked(target.with_name(target.name + ".lock")):
            return builder.write(target.parent, merge=merge)


@contextmanager
def _locked(lock: Path, timeout: float = 30.0) -> Iterator[None]:
    """Exclusive use of a pact file across processes (pytest-xdist workers)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            if time.monotonic() > deadline:
                raise AssayError(
                    f"the pact file lock {lock} has been held for {timeout:.0f} s",
                    hint="Delete it if no test run is writing pacts.",
                ) from None
            time.sleep(0.01)
    try:
        yield
    finally:
        os.close(descriptor)
        lock.unlink(missing_ok=True)


class TestPacts:
    """``assay_pact(consumer, provider)``: a `PactBuilder` for this test."""

    __test__ = False  # not a test class, whatever pytest thinks of its name

    def __init__(self, session: PactSession) -> None:
        self.session = session
        self.builders: list[tuple[PactBuilder, Path | None]] = []

    def __call__(
        self, consumer: str, provider: str, *, pact_dir: str | Path | None = None
    ) -> PactBuilder:
        builder = PactBuilder(consumer, provider)
        self.builders.append((builder, Path(pact_dir) if pact_dir is not None else None))
        return builder

    def close(self, *, write: bool) -> list[str]:
        """Verify every builder; write the pacts when `write` and all are verified.

        Returns the problems (empty when every consumer made exactly its calls)."""
        problems: list[str] = []
        for builder, _ in self.builders:
            try:
                builder.verify()
            except Finding as finding:
                problems.append(finding.render())
        if write and not problems:
            for builder, directory in self.builders:
                self.session.write(builder, directory)
        return problems
