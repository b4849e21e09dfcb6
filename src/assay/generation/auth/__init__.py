"""The auth phase: authentication and authorization probes for every operation.

`run_auth` runs, within the run's deadline:

* the credential matrix (`assay.generation.auth.credentials`): no, malformed, broken
  and foreign credentials on every protected operation;
* token requests for scopes an identity does not hold (`assay.generation.auth.grants`);
* the access matrix (`assay.generation.auth.access`): every operation as every
  identity, against the scopes the spec declares and the role policy of ``[auth]``;
* mass assignment (`assay.generation.auth.assignment`): privileged and read-only
  fields sent in create bodies.

The checks that judge these cases are in `assay.checks.auth` and `assay.checks.access`.
Safe by default (DESIGN §5.15): no probe logs a configured identity out, deletes or
edits its account, or makes it log in again; every broken credential travels in the
case's own headers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assay.generation.auth.probes import AuthContext

__all__ = ["run_auth"]


def run_auth(ctx: AuthContext) -> str | None:
    """The auth phase: None when it ran, or why it was skipped."""
    from assay.generation.auth.access import access_matrix
    from assay.generation.auth.assignment import mass_assignment
    from assay.generation.auth.credentials import credential_matrix
    from assay.generation.auth.grants import token_scopes

    if any(op.security for op in ctx.operations):
        for probe in (credential_matrix, token_scopes, access_matrix):
            if not ctx.expired:
                probe(ctx)
    if not ctx.expired:
        mass_assignment(ctx)
    return None
