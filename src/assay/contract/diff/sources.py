"""Where OLD and NEW come from: files, URLs, app import strings, or git revisions.

``git:REV:path/to/openapi.json`` reads the file as it is at revision REV with
``git show REV:path`` in the current directory's repository (the path is relative to the
repository root; write ``git:REV:./openapi.json`` for one relative to the current
directory).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from assay.errors import AssayError
from assay.spec.documents import parse_text, syntax_for
from assay.spec.loading import from_dict, load
from assay.spec.model import Spec

__all__ = ["load_side"]

GIT_PREFIX = "git:"


def load_side(source: str, *, timeout: float = 10.0) -> Spec:
    """The spec `source` names: a git revision, a file, a URL or an import string."""
    if source.startswith(GIT_PREFIX):
        return _from_git(source, timeout)
    return load(source, timeout=timeout)


def _split(source: str) -> tuple[str, str]:
    revision, sep, path = source.removeprefix(GIT_PREFIX).partition(":")
    if not sep or not revision or not path:
        raise AssayError(
            f"cannot read {source!r}: a git source is git:REVISION:PATH",
            hint="For example git:main:openapi.json or git:HEAD~1:./api/openapi.yaml.",
        )
    return revision, path


def _git_show(revision: str, path: str, source: str, timeout: float) -> str:
    try:
        done = subprocess.run(
            ["git", "show", f"{revision}:{path}"],
            capture_output=True,
            check=False,
            timeout=max(timeout, 10.0),
        )
    except FileNotFoundError:
        raise AssayError(
            f"cannot read {source!r}: git is not installed or not on PATH",
            hint="Install git, or pass the two documents as files.",
        ) from None
    except subprocess.TimeoutExpired:
        raise AssayError(f"cannot read {source!r}: git did not answer in time") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise AssayError(
            f"cannot read {source!r}: git show {revision}:{path} failed "
            f"({reason[-1] if reason else f'exit {done.returncode}'})",
            hint=f"Check that revision {revision!r} exists (git log) and that {path!r} exists "
            f"at that revision, relative to the repository root (run from {Path.cwd()}).",
        )
    return done.stdout.decode("utf-8-sig", "replace")


def _from_git(source: str, timeout: float) -> Spec:
    revision, path = _split(source)
    text = _git_show(revision, path, source, timeout)
    if not text.strip():
        raise AssayError(f"cannot read {source!r}: the file is empty at {revision}")
    document = parse_text(text, source, syntax=syntax_for(path))
    return from_dict(document, source=source, timeout=timeout)
