"""A group of sends released at the same moment: one thread each, held by a barrier.

`APITestClient.send_together` builds every request of a group first, then hands the
sends here. Each runs on a thread of its own; the threads wait at a barrier until all
have started, so the requests leave together, as racing clients' would. The transport
prepares for the group around it (`together_of`: an in-process app's loop is served
from a thread of its own meanwhile, so the app takes the requests concurrently).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from typing import TypeVar

__all__ = ["BARRIER_TIMEOUT", "send_at_once"]

T = TypeVar("T")

BARRIER_TIMEOUT = 5.0
"""Seconds a thread waits for the others at the barrier before it sends anyway."""


def send_at_once(
    sends: Sequence[Callable[[], T]], around: AbstractContextManager[None]
) -> list[T | Exception]:
    """Run `sends` together inside `around`; each one's result or exception, in order.

    A group of one is sent from the calling thread (nothing to race with).
    """
    if len(sends) == 1:
        with around:
            return [_outcome(sends[0])]
    barrier = threading.Barrier(len(sends))

    def released(send: Callable[[], T]) -> T | Exception:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=BARRIER_TIMEOUT)
        return _outcome(send)

    with around, ThreadPoolExecutor(len(sends), "assay-together") as pool:
        return list(pool.map(released, sends))


def _outcome(send: Callable[[], T]) -> T | Exception:
    try:
        return send()
    except Exception as exc:  # handed back in order; the caller decides what to raise
        return exc
