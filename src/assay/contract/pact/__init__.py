"""Consumer-driven contracts in the Pact v3 format.

Consumer side: `PactBuilder` (the ``assay_pact`` pytest fixture) declares interactions
with matchers, plays the provider (ASGI or HTTP on 127.0.0.1), checks the consumer made
exactly the expected calls and writes the pact file. Provider side: `verify_pact`
(``assay contract verify``) replays every interaction against the real provider after
running its provider-state handlers (`provider_state`).
"""

from __future__ import annotations

from assay.contract.pact.consumer import PactBuilder
from assay.contract.pact.matchers import (
    Matcher,
    decimal,
    each_like,
    equal,
    include,
    integer,
    like,
    number,
    regex,
)
from assay.contract.pact.model import Interaction, Pact, ProviderState, read_pact
from assay.contract.pact.provider import InteractionResult, Verification, verify_pact
from assay.contract.pact.states import ProviderStates, provider_state

__all__ = [
    "Interaction",
    "InteractionResult",
    "Matcher",
    "Pact",
    "PactBuilder",
    "ProviderState",
    "ProviderStates",
    "Verification",
    "decimal",
    "each_like",
    "equal",
    "include",
    "integer",
    "like",
    "number",
    "provider_state",
    "read_pact",
    "regex",
    "verify_pact",
]
