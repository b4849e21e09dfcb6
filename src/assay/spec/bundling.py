"""Bundle external ``$ref``s into the root document so that every reference is local.

A reference to another file or URL (``schemas.yaml#/Order``, ``./common/errors.json``)
is read relative to the document that contains it, copied into the root document and
replaced by a local pointer. Schemas go to ``components/schemas/<Name>``, parameters,
responses, request bodies, headers, examples, links, callbacks and security schemes to
their ``components`` section, path items to ``components/pathItems`` and anything else to
``x-assay-bundled``; names are made unique. References inside copied content are
rewritten the same way, so chains across files and recursive schemas (a file pointing
back at itself or at the root) end: each target is copied once.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlparse
from urllib.request import url2pathname

from assay.errors import AssayError
from assay.spec.documents import read_file
from assay.spec.model import resolve_pointer
from assay.spec.references import iter_refs, pointer_of
from assay.spec.remote import fetch_document, is_url

__all__ = ["bundle", "display_uri", "file_uri", "has_external_refs"]

_CONTAINERS = {
    "parameters": "parameters",
    "responses": "responses",
    "headers": "headers",
    "examples": "examples",
    "links": "links",
    "callbacks": "callbacks",
    "securitySchemes": "securitySchemes",
    "requestBodies": "requestBodies",
    "pathItems": "pathItems",
    "paths": "pathItems",
    "webhooks": "pathItems",
}
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")

Path_ = tuple[str, ...]


def display_uri(uri: str) -> str:
    """A file URI as a local path, any other URI as it is."""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return url2pathname(parsed.path)
    return uri


def _kind(path: Path_) -> str:
    """What kind of object sits at `path` (``schemas``, ``parameters``…)."""
    if "schema" in path or path[:2] == ("components", "schemas"):
        return "schemas"
    if path and path[-1] == "requestBody":
        return "requestBodies"
    if len(path) >= 2 and path[-2] in _CONTAINERS:
        return _CONTAINERS[path[-2]]
    if len(path) >= 3 and path[-3] == "callbacks":
        return "pathItems"
    return "other"


def _home(kind: str) -> Path_:
    """Where content of `kind` is placed in the root document."""
    if kind == "other":
        return ("x-assay-bundled",)
    return ("components", kind)


@dataclass
class _Target:
    ref: str
    uri: str
    fragment: str
    kind: str
    local: str
    site: str


@dataclass
class _Bundler:
    root: dict[str, Any]
    root_uri: str | None
    timeout: float
    documents: dict[str, Any] = field(default_factory=dict)
    placed: dict[tuple[str, str, str], str] = field(default_factory=dict)
    queue: list[_Target] = field(default_factory=list)

    def run(self) -> dict[str, Any]:
        self._rewrite(self.root, self.root_uri, (), "")
        while self.queue:
            self._copy(self.queue.pop(0))
        return self.root

    def _rewrite(self, node: Any, uri: str | None, prefix: Path_, site_base: str) -> None:
        """Make every reference in `node` (content of document `uri`) local to the root."""
        for path, holder in list(iter_refs(node)):
            ref: str = holder["$ref"]
            is_root = uri is None or uri == self.root_uri
            if ref.startswith("#") and is_root:
                continue
            site = f"{site_base}{pointer_of(path)[1:]}" if site_base else pointer_of(path)
            holder["$ref"] = self._local(ref, uri, _kind((*prefix, *path)), site)

    def _local(self, ref: str, uri: str | None, kind: str, site: str) -> str:
        if uri is None:
            raise AssayError(
                f"$ref '{ref}' points to another file, but the document was not loaded from "
                "a file or URL, so there is nothing to resolve it against",
                pointer=site,
                hint="Load the spec from its file or URL, or pass base_uri= to from_dict().",
            )
        absolute, fragment = urldefrag(urljoin(uri, ref))
        fragment = unquote(fragment)
        if absolute == self.root_uri:
            return f"#{fragment}"
        known = self._placed_prefix(absolute, fragment, kind)
        if known is not None:
            return known
        name = self._name(absolute, fragment)
        local = self._reserve(_home(kind), name)
        self.placed[(absolute, fragment, kind)] = local
        self.queue.append(_Target(ref, absolute, fragment, kind, local, site))
        return local

    def _placed_prefix(self, uri: str, fragment: str, kind: str) -> str | None:
        """The local pointer of content already copied that holds this target, if any.

        Only content of the same kind is reused, so a schema that sits inside a copied
        response file still gets its own place under ``components/schemas``.
        """
        exact = self.placed.get((uri, fragment, kind))
        if exact is not None:
            return exact
        for (placed_uri, placed_fragment, placed_kind), local in self.placed.items():
            inside = fragment.startswith(placed_fragment.rstrip("/") + "/")
            if placed_uri == uri and placed_kind == kind and inside:
                return local + fragment[len(placed_fragment.rstrip("/")) :]
        return None

    def _name(self, uri: str, fragment: str) -> str:
        tokens = [t for t in fragment.split("/") if t]
        if tokens:
            raw = tokens[-1].replace("~1", "/").replace("~0", "~")
        else:
            raw = Path(urlparse(uri).path).stem or "document"
        return _UNSAFE_NAME.sub("_", raw).strip("_") or "bundled"

    def _reserve(self, home: Path_, name: str) -> str:
        container: dict[str, Any] = self.root
        for token in home:
            container = container.setdefault(token, {})
        unique, number = name, 1
        while unique in container:
            number += 1
            unique = f"{name}_{number}"
        container[unique] = {}
        return pointer_of((*home, unique))

    def _copy(self, target: _Target) -> None:
        document = self._document(target)
        pointer = f"#{target.fragment}"
        try:
            value = resolve_pointer(document, pointer)
        except AssayError:
            raise AssayError(
                f"$ref '{target.ref}' does not exist (nothing at {pointer} in "
                f"{display_uri(target.uri)})",
                pointer=target.site,
                hint="Fix the pointer after '#' in the reference.",
            ) from None
        content = copy.deepcopy(value)
        holder = resolve_pointer(self.root, target.local.rsplit("/", 1)[0])
        holder[unescape_last(target.local)] = content
        site_base = f"{display_uri(target.uri)}#{target.fragment}"
        self._rewrite(content, target.uri, (*_home(target.kind), "_"), site_base)

    def _document(self, target: _Target) -> Any:
        if target.uri in self.documents:
            return self.documents[target.uri]
        try:
            document = self._read(target.uri)
        except AssayError as exc:
            raise AssayError(
                f"a $ref points to {display_uri(target.uri)}, which could not be loaded: "
                f"{exc.message}",
                pointer=target.site,
                hint=exc.hint,
            ) from None
        self.documents[target.uri] = document
        return document

    def _read(self, uri: str) -> Any:
        if is_url(uri):
            return fetch_document(uri, timeout=self.timeout)
        parsed = urlparse(uri)
        if parsed.scheme != "file":
            raise AssayError(f"references with the scheme {parsed.scheme!r} are not supported")
        return read_file(Path(url2pathname(parsed.path)))


def unescape_last(pointer: str) -> str:
    """The last token of a pointer, unescaped."""
    token = pointer.rsplit("/", 1)[1]
    return token.replace("~1", "/").replace("~0", "~")


def has_external_refs(document: dict[str, Any]) -> bool:
    """True when some ``$ref`` points outside the document."""
    return any(not holder["$ref"].startswith("#") for _, holder in iter_refs(document))


def bundle(document: dict[str, Any], base_uri: str | None, *, timeout: float) -> dict[str, Any]:
    """`document` with external references copied in; the input is not changed.

    `base_uri` is the document's own location (a ``file://`` URI or a URL), against which
    relative references are read; None when it has none (a dict, an app).
    """
    if not has_external_refs(document):
        return document
    copied: dict[str, Any] = copy.deepcopy(document)
    return _Bundler(copied, base_uri, timeout).run()


def file_uri(path: Path) -> str:
    """The ``file://`` URI of a local path."""
    return path.resolve().as_uri()
