"""`FaultProxy`: an HTTP reverse proxy between a service and one dependency, with faults.

    with FaultProxy(upstream="http://127.0.0.1:8104") as proxy:
        ...                                  # point the service at proxy.url
        proxy.apply(Hang())                  # from now on every call hangs
        proxy.apply()                        # pass-through again
        proxy.calls.all()                    # every call it saw

The proxy runs its own asyncio loop on a thread of its own, so sync tests and the
engine use it alike. It listens on 127.0.0.1 and forwards to a loopback upstream only.
Everything is bounded: a hang lasts at most ``max_hold`` seconds, the upstream has
``upstream_timeout`` seconds to answer (else 504; unreachable: 502), bodies are read
up to ``max_body`` bytes, at most ``max_connections`` callers are served at once and
the log keeps the last ``max_calls`` calls.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import random
import threading
import time
from collections.abc import Iterable, Iterator
from http import HTTPStatus
from typing import Any, Self

from assay.errors import AssayError
from assay.resilience.addresses import listen_address, upstream_address
from assay.resilience.calls import RECORDED_HEADERS, Call, CallLog, digest, select_headers
from assay.resilience.faults import (
    FailFirst,
    Fault,
    Hang,
    Latency,
    PassThrough,
    Refuse,
    Reset,
    Status,
)
from assay.resilience.forwarding import (
    HEAD_LIMIT,
    closed,
    forward,
    problem,
    reset,
    write_response,
)
from assay.resilience.wire import Message, WireError, read_body, read_request

__all__ = ["FaultProxy"]


_PASS = PassThrough()
_START_TIMEOUT = 10.0


class _Rules:
    """The faults in force, in order, with the counters of their `FailFirst`s."""

    def __init__(self, faults: tuple[Fault, ...]) -> None:
        self.faults = faults
        self.used = [0] * len(faults)

    def choose(self, method: str, path: str) -> Fault:
        for position, fault in enumerate(self.faults):
            if not fault.applies(method, path):
                continue
            if isinstance(fault, FailFirst):
                if self.used[position] >= fault.count:
                    continue
                self.used[position] += 1
                return fault.fault
            return fault
        return _PASS

    def refuses_everything(self) -> bool:
        first = self.faults[0] if self.faults else None
        return isinstance(first, Refuse) and first.scope.method is None and not first.scope.path


class FaultProxy:
    """A reverse proxy on 127.0.0.1 in front of ``upstream``, with switchable faults.

    ``listen`` is ``"127.0.0.1:PORT"`` or a port (None: a free port; read ``url``).
    ``record_headers`` adds request headers every `Call` keeps (besides
    Idempotency-Key, X-Request-ID and the other correlation headers). ``seed`` makes
    the jitter of `Latency` repeatable.
    """

    def __init__(
        self,
        upstream: str,
        *,
        listen: str | int | None = None,
        max_hold: float = 30.0,
        upstream_timeout: float = 30.0,
        max_calls: int = 10_000,
        max_body: int = 10 * 1024 * 1024,
        max_connections: int = 256,
        record_headers: Iterable[str] = (),
        seed: int | None = None,
    ) -> None:
        self.upstream = upstream
        self._upstream = upstream_address(upstream)
        self._listen = listen_address(listen)
        if max_hold <= 0 or upstream_timeout <= 0:
            raise AssayError("the fault proxy's max_hold and upstream_timeout must be positive")
        self.max_hold = max_hold
        self.upstream_timeout = upstream_timeout
        self.max_body = max_body
        self.max_connections = max_connections
        self.calls = CallLog(max_calls)
        self._recorded = (*RECORDED_HEADERS, *(h.lower() for h in record_headers))
        self._rng = random.Random(seed)
        self._rules = _Rules(())
        self._port: int | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._release: asyncio.Event | None = None
        self.held = 0
        """How many calls are hanging right now."""

    # -- life cycle -------------------------------------------------------------------

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``: where callers reach the dependency through it."""
        port = self._port if self._port is not None else self._listen[1]
        if not port:
            raise AssayError(
                "this fault proxy has no port yet", hint="Start it first (a `with` block)."
            )
        return f"http://{self._listen[0]}:{port}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> Self:
        """Listen and serve on a thread of its own (an `AssayError` if the port is taken)."""
        if self.running:
            return self
        ready: concurrent.futures.Future[int] = concurrent.futures.Future()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._run, args=(ready,), name="assay-fault-proxy", daemon=True
        )
        self._thread.start()
        try:
            self._port = ready.result(timeout=_START_TIMEOUT)
        except OSError as exc:
            self._thread.join(_START_TIMEOUT)
            self._thread = None
            host, port = self._listen
            reason = os.strerror(exc.errno) if exc.errno else str(exc)
            raise AssayError(
                f"the fault proxy cannot listen on {host}:{port}: {reason.lower()}",
                hint="Another process holds that port: stop it, or give the proxy another "
                "port (and tell the service under test the same address).",
            ) from None
        return self

    def stop(self) -> None:
        """Stop serving: hanging calls are let go, open connections closed."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        self._thread = None
        with contextlib.suppress(RuntimeError):  # the loop already stopped
            loop.call_soon_threadsafe(loop.stop)
        thread.join(_START_TIMEOUT)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _run(self, ready: concurrent.futures.Future[int]) -> None:
        loop = self._loop
        assert loop is not None
        asyncio.set_event_loop(loop)
        try:
            server = loop.run_until_complete(self._listen_now())
        except OSError as exc:
            ready.set_exception(exc)
            loop.close()
            return
        ready.set_result(server.sockets[0].getsockname()[1])
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self._shutdown(server))
            loop.close()

    async def _listen_now(self) -> asyncio.Server:
        self._release = asyncio.Event()
        host, port = self._listen
        return await asyncio.start_server(self._serve, host, port, limit=HEAD_LIMIT)

    async def _shutdown(self, server: asyncio.Server) -> None:
        server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await server.wait_closed()

    # -- faults -----------------------------------------------------------------------

    def apply(self, *faults: Fault) -> None:
        """Put `faults` in force (replacing the previous ones); none: pass-through."""
        for fault in faults:
            if not isinstance(fault, Fault):
                raise AssayError(
                    f"FaultProxy.apply takes faults (Hang(), Status(503)…), not {fault!r}"
                )
        self._rules = _Rules(tuple(faults))

    @contextlib.contextmanager
    def faults(self, *faults: Fault) -> Iterator[Self]:
        """`faults` in force inside the block; pass-through (and nothing held) after it."""
        self.apply(*faults)
        try:
            yield self
        finally:
            self.apply()
            self.release()

    def release(self) -> None:
        """Let go of every hanging call now (their connections close)."""
        loop = self._loop
        if loop is None or not self.running:
            return
        future = asyncio.run_coroutine_threadsafe(self._release_all(), loop)
        with contextlib.suppress(concurrent.futures.TimeoutError):
            future.result(_START_TIMEOUT)

    async def _release_all(self) -> None:
        if self._release is not None:
            self._release.set()
        self._release = asyncio.Event()
        await asyncio.sleep(0)

    # -- serving ----------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            if len(self._tasks) > self.max_connections or self._rules.refuses_everything():
                self._record_refusal()
                return
            while await self._one_request(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:
            pass  # the proxy stops: end quietly (a cancelled handler task is logged as an error)
        except WireError as exc:
            with contextlib.suppress(ConnectionError):
                await write_response(writer, None, problem(400, "Bad Request", str(exc)))
        finally:
            self._tasks.discard(task)
            if not writer.is_closing():
                writer.close()

    def _record_refusal(self) -> None:
        call = Call(-1, time.monotonic(), "", "", {}, "", 0, "refuse", outcome="refused")
        self.calls.update(self.calls.add(call), duration=0.0)

    async def _one_request(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        """Serve one request; whether the connection stays open for the next."""
        request = await read_request(reader, self.max_body)
        if request is None:
            return False
        fault = self._rules.choose(request.method, request.target)
        call = self._arrived(request, fault)
        if isinstance(fault, Refuse):
            self.calls.update(call, outcome="refused", duration=0.0)
            return False
        if (request.header("expect") or "").lower() == "100-continue":
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        await read_body(reader, request, self.max_body)
        call = self.calls.update(
            call, body_digest=digest(request.body), body_size=len(request.body)
        )
        if isinstance(fault, Reset):
            reset(writer)
            self.calls.update(call, outcome="reset", duration=time.monotonic() - call.at)
            return False
        if isinstance(fault, Hang):
            await self._hold(fault, reader, call)
            return False
        return await self._answer(request, fault, writer, call)

    def _arrived(self, request: Message, fault: Fault) -> Call:
        headers = select_headers(request.headers, self._recorded)
        at = time.monotonic()
        return self.calls.add(
            Call(-1, at, request.method, request.target, headers, "", 0, fault.label)
        )

    async def _hold(self, fault: Hang, reader: asyncio.StreamReader, call: Call) -> None:
        hold = min(fault.hold or self.max_hold, self.max_hold)
        call = self.calls.update(call, outcome="hanging")
        self.held += 1
        release = self._release
        waiters: set[asyncio.Future[Any]] = {asyncio.ensure_future(closed(reader))}
        if release is not None:
            waiters.add(asyncio.ensure_future(release.wait()))
        try:
            await asyncio.wait(waiters, timeout=hold, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
            self.held -= 1
            self.calls.update(call, outcome="held", duration=time.monotonic() - call.at)

    async def _answer(
        self, request: Message, fault: Fault, writer: asyncio.StreamWriter, call: Call
    ) -> bool:
        if isinstance(fault, Status):
            reason = _reason(fault.status)
            response = Message(("HTTP/1.1", str(fault.status), reason), [], fault.body)
            response.headers = fault.response_headers()
            outcome = "injected"
        else:
            if isinstance(fault, Latency):
                wait = fault.delay + self._rng.uniform(0.0, fault.jitter)
                await asyncio.sleep(min(wait, self.max_hold))
            response, outcome = await forward(
                request, self._upstream, self.upstream_timeout, self.max_body
            )
        duration = time.monotonic() - call.at
        self.calls.update(call, status=response.status, outcome=outcome, duration=duration)
        await write_response(writer, request, response)
        return request.keep_alive


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Injected"
