"""Run an ASGI application in-process: lifespan, and requests one at a time or at once.

`AppRunner` owns one event loop for the application's whole life, so the lifespan
startup, every request and the shutdown share it (database pools and other loop-bound
resources created at startup keep working). The loop is driven from the calling thread
with `run_until_complete`, which costs far less than a hand-off to a portal thread; when
the calling thread already runs a loop (an async test), the runner drives its loop from
one worker thread instead.

Inside `AppRunner.serving()` the loop runs on a thread of its own, and `run` hands each
coroutine to it: several threads can then send requests into the app at the same time
(a group sent at once, `APITestClient.send_together`). Sync endpoints really run in
parallel in the app's threadpool; async ones interleave at their awaits.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
import weakref
from collections.abc import Awaitable, Callable, Coroutine, Iterator, MutableMapping
from typing import Any, TypeVar

from assay.errors import AssayError

__all__ = ["ASGIApp", "AppRunner", "LifespanError"]

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]

T = TypeVar("T")


class LifespanError(AssayError):
    """The application's lifespan startup or shutdown failed."""


class _Lifespan:
    """The ASGI lifespan protocol, run as one task on the runner's loop."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app
        self._inbox: asyncio.Queue[Message] = asyncio.Queue()
        self._outbox: asyncio.Queue[Message] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self.supported = True
        self.started = False

    async def _run(self) -> None:
        scope: dict[str, Any] = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
        try:
            await self._app(scope, self._inbox.get, self._outbox.put)
        except BaseException as exc:
            await self._outbox.put({"type": "assay.lifespan.crashed", "error": exc})
        else:  # an app that ignores the lifespan scope returns at once
            await self._outbox.put({"type": "assay.lifespan.returned"})

    async def _exchange(self, event: str) -> None:
        await self._inbox.put({"type": f"lifespan.{event}"})
        reply = await self._outbox.get()
        if reply["type"] == f"lifespan.{event}.complete":
            return
        if reply["type"] == f"lifespan.{event}.failed":
            raise LifespanError(
                f"the application's lifespan {event} failed: {_last_line(reply.get('message'))}",
                hint="Fix the error in the app's lifespan handler, or pass lifespan=False "
                "to skip it.",
            )
        error = reply.get("error")
        returned = reply["type"] == "assay.lifespan.returned"
        if event == "startup" and (returned or isinstance(error, Exception)):
            # Apps without lifespan support raise on the unknown scope, or return at
            # once: run without it.
            self.supported = False
            return
        if returned:
            return
        raise LifespanError(
            f"the application's lifespan {event} raised {error!r}",
            hint="Fix the error in the app's lifespan handler, or pass lifespan=False.",
        )

    async def startup(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())
        await self._exchange("startup")
        self.started = True

    async def shutdown(self) -> None:
        if self.supported and self._task is not None and not self._task.done():
            await self._exchange("shutdown")
        if self._task is not None:
            await asyncio.wait([self._task], timeout=5)


class AppRunner:
    """Owns the event loop an in-process ASGI app lives on."""

    def __init__(self, app: ASGIApp, *, lifespan: bool = True) -> None:
        self.app = app
        self._loop = asyncio.new_event_loop()
        # A runner dropped without close() still closes its loop (and the loop's
        # sockets) when it is collected, instead of leaving that to the loop's __del__.
        weakref.finalize(self, _close_abandoned, self._loop)
        self._worker: concurrent.futures.ThreadPoolExecutor | None = None
        self._lifespan = _Lifespan(app) if lifespan else None
        self._started = False
        self._closed = False
        self._serving = 0
        self._serve_lock = threading.Lock()
        self._server: threading.Thread | None = None

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run `coro` to completion on the app's loop, from this thread if possible."""
        if self._closed:
            coro.close()
            raise AssayError(
                "this client is closed: its in-process app has shut down",
                hint="Create a new client, or keep using it inside its `with` block.",
            )
        if not self._started:
            try:
                self.start()
            except BaseException:
                coro.close()
                self.close()
                raise
        return self._drive(coro)

    def _drive(self, coro: Coroutine[Any, Any, T]) -> T:
        if self._server is not None:
            return asyncio.run_coroutine_threadsafe(coro, self._loop).result()
        if self._loop.is_running():
            coro.close()
            raise AssayError(
                "the in-process app is already handling a request on another thread",
                hint="Send requests meant to run at the same time with "
                "`APITestClient.send_together`, which serves the app to all of them.",
            )
        if not _loop_running_here():
            return self._loop.run_until_complete(coro)
        if self._worker is None:
            self._worker = concurrent.futures.ThreadPoolExecutor(1, "assay-asgi")
        return self._worker.submit(self._loop.run_until_complete, coro).result()

    @contextlib.contextmanager
    def serving(self) -> Iterator[None]:
        """Run the app's loop on a thread of its own for the block (re-entrant).

        Meanwhile `run` may be called from any number of threads at once: each call
        hands its coroutine to the loop and waits for it. When the block ends, the loop
        stops (what the app left scheduled resumes with the next request).
        """
        self.run(_nothing())  # the lifespan startup, and the closed check, first
        with self._serve_lock:
            self._serving += 1
            if self._serving == 1:
                self._server = threading.Thread(
                    target=self._loop.run_forever, name="assay-asgi-serve", daemon=True
                )
                self._server.start()
        try:
            yield
        finally:
            self._stop_serving()

    def _stop_serving(self) -> None:
        with self._serve_lock:
            self._serving -= 1
            server = self._server
            if self._serving > 0 or server is None:
                return
            self._loop.call_soon_threadsafe(self._loop.stop)
            server.join()
            self._server = None

    def start(self) -> None:
        """Run the lifespan startup (once); requests call this on first use."""
        if self._started or self._closed:
            return
        self._started = True
        if self._lifespan is not None:
            self._drive(self._lifespan.startup())

    def close(self) -> None:
        """Run the lifespan shutdown, cancel what the app left running, close the loop."""
        if self._closed:
            return
        try:
            if self._started and self._lifespan is not None and self._lifespan.started:
                self._drive(self._lifespan.shutdown())
        finally:
            self._closed = True
            self._drive(_cancel_pending())
            self._loop.close()
            if self._worker is not None:
                self._worker.shutdown(wait=True)


async def _nothing() -> None:
    return None


async def _cancel_pending() -> None:
    current = asyncio.current_task()
    pending = [task for task in asyncio.all_tasks() if task is not current]
    for task in pending:
        task.cancel()
    with contextlib.suppress(BaseException):
        await asyncio.gather(*pending, return_exceptions=True)


def _close_abandoned(loop: asyncio.AbstractEventLoop) -> None:
    if not loop.is_closed() and not loop.is_running():
        loop.close()


def _loop_running_here() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _last_line(message: object) -> str:
    """Servers put a whole traceback in the failure message: its last line says what."""
    lines = [line for line in str(message or "").splitlines() if line.strip()]
    return lines[-1].strip() if lines else "no message"
