"""Crash recovery: a background thread that resumes unfinished sagas.

An order stays ``pending`` or ``compensating`` when a peer was unavailable or the
process died mid-saga. ``SagaResumer`` drives such orders again (same idempotency keys)
once they have been untouched for ``stale_after``: right after start, then every
``interval`` seconds, until ``stop()``.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from shop.orders.service_layer.handlers import Orders, resume_pending

logger = logging.getLogger("shop.orders.recovery")


class SagaResumer:
    def __init__(
        self,
        orders: Orders,
        *,
        interval: float = 30.0,
        stale_after: timedelta = timedelta(seconds=30),
    ) -> None:
        self.orders = orders
        self.interval = interval
        self.stale_after = stale_after
        self.rounds = 0
        self.round_done = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> int:
        """Resume the stale unfinished orders now; how many were driven."""
        try:
            resumed = resume_pending(self.orders, self.stale_after)
        except Exception:
            logger.exception("resuming unfinished orders failed; will retry")
            resumed = []
        if resumed:
            logger.info("resumed %d unfinished order(s)", len(resumed))
        self.rounds += 1
        self.round_done.set()
        return len(resumed)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="shop-saga-resumer", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        self.run_once()
        while not self._stop.wait(self.interval):
            self.run_once()

    def stop(self, timeout: float = 5.0) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            self._stop.set()
            thread.join(timeout)
