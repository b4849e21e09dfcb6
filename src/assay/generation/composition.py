"""``oneOf`` / ``anyOf``: pick a branch, honour the discriminator, keep the sibling keywords.

A schema with alternatives may also carry keywords of its own (``properties`` next to
``oneOf``); a branch is generated from the combination of both. With a discriminator the
tag property gets the value that names the branch (its ``mapping`` key, or the name of
the referenced schema). A ``oneOf`` value must match exactly one branch, so each
candidate is checked against the whole schema and the next branch is tried if needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assay.generation.draws import Draw, NoValue
from assay.generation.walk import Node, SchemaReader

if TYPE_CHECKING:
    from assay.generation.values import ValueFactory

__all__ = ["Composer", "discriminator_tag"]

_OWN_SKIPPED = frozenset({"oneOf", "anyOf", "discriminator"})


class Composer:
    """Builds and caches the combined schema of each branch."""

    def __init__(self, reader: SchemaReader) -> None:
        self.reader = reader
        self._combined: dict[tuple[int, int], tuple[Any, dict[str, Any]]] = {}

    def combined(self, node: Node, index: int) -> dict[str, Any]:
        """Branch `index` of `node` with the node's own keywords added."""
        key = (id(node.schema), index)
        cached = self._combined.get(key)
        if cached is not None and cached[0] is node.schema:
            return cached[1]
        own = {k: v for k, v in node.schema.items() if k not in _OWN_SKIPPED}
        branch = node.branches[index]
        schema: dict[str, Any] = {"allOf": [own, branch]} if own else {"allOf": [branch]}
        self._combined[key] = (node.schema, schema)
        return schema

    def order(self, node: Node, draw: Draw) -> list[int]:
        """Branch indices to try: a shuffled order, branches admitting only null last."""
        indices = list(range(len(node.branches)))
        draw.rng.shuffle(indices)
        return sorted(indices, key=lambda i: self._only_null(node.branches[i]))

    def _only_null(self, branch: Any) -> bool:
        found = self.reader.node(branch)
        return not found.types and found.nullable and found.get("type") == "null"

    def branch_value(
        self, node: Node, name: str | None, draw: Draw, depth: int, factory: ValueFactory
    ) -> Any:
        """A value from the first branch (in `order`) that yields a valid one."""
        for index in self.order(node, draw):
            try:
                value = factory.value(self.combined(node, index), name, draw, depth + 1)
            except NoValue:
                continue
            value = self._tagged(node, index, value)
            if factory.checker.is_valid(node.schema, value):
                return value
        raise NoValue

    def _tagged(self, node: Node, index: int, value: Any) -> Any:
        if node.discriminator is None or not isinstance(value, dict):
            return value
        tag = discriminator_tag(node, index)
        prop = node.discriminator.get("propertyName")
        if tag is not None and isinstance(prop, str):
            return {**value, prop: tag}
        return value


def discriminator_tag(node: Node, index: int) -> str | None:
    """The discriminator value that selects branch `index` (None: the branch is inline)."""
    branch = node.branches[index]
    ref = branch.get("$ref") if isinstance(branch, dict) else None
    if not isinstance(ref, str) or node.discriminator is None:
        return None
    mapping = node.discriminator.get("mapping")
    if isinstance(mapping, dict):
        for key, target in mapping.items():
            if target == ref or ref.endswith("/" + str(target)):
                return str(key)
    return ref.rsplit("/", 1)[-1]
