"""Run pact-python's own verifier (the Pact reference core) on a pact file.

Used by tests/contract/pact/test_interop.py when ASSAY_PACT_PYTHON names a Python with
pact-python >= 3 installed (it needs a native core, so it is not a dependency of assay):

    python pact_python_verify.py PACT_FILE PROVIDER_NAME BASE_URL

Provider states are acknowledged without action: the provider under test is seeded
before it is started. Exit 0 when every interaction verifies.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pact import Verifier


def _noop(*args: Any, **kwargs: Any) -> None:
    return None


def main(pact_file: str, provider: str, url: str) -> int:
    document = json.loads(Path(pact_file).read_text(encoding="utf-8"))
    states = {
        state["name"]
        for interaction in document["interactions"]
        for state in interaction.get("providerStates", [])
    }
    verifier = Verifier(provider, host="127.0.0.1").add_transport(url=url).add_source(pact_file)
    if states:
        verifier = verifier.state_handler(dict.fromkeys(states, _noop), teardown=False)
    try:
        verifier.verify()
    except Exception as exc:
        print(f"pact-python verification failed: {exc}")
        return 1
    print("pact-python verification passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
