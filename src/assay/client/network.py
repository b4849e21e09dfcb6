"""Turn transport failures into one clear paragraph: what happened, the URL, what to try."""

from __future__ import annotations

import httpx2

from assay.errors import AssayError

__all__ = ["ConnectionProblem", "explain_transport_error"]

_DNS_MARKERS = (
    "name or service not known",
    "nodename nor servname",
    "getaddrinfo failed",
    "temporary failure in name resolution",
    "no address associated",
    "name resolution",
)
_TLS_MARKERS = ("ssl", "certificate", "tls")


class ConnectionProblem(AssayError):
    """The target could not be reached or did not answer properly."""

    def __init__(self, message: str, *, hint: str, kind: str, url: str) -> None:
        self.kind = kind
        self.url = url
        super().__init__(message, hint=hint)


def explain_transport_error(exc: httpx2.TransportError, timeout: float | None) -> ConnectionProblem:
    """A `ConnectionProblem` for an httpx2 transport error."""
    try:
        request = exc.request
        url, method = str(request.url), request.method
    except RuntimeError:
        url, method = "the target", "request"
    text = str(exc).lower() or type(exc).__name__.lower()
    where = f"{method} {url}"
    kind, message, hint = _classify(exc, text, where, timeout)
    return ConnectionProblem(message, hint=hint, kind=kind, url=url)


def _classify(
    exc: httpx2.TransportError, text: str, where: str, timeout: float | None
) -> tuple[str, str, str]:
    if isinstance(exc, httpx2.TimeoutException):
        limit = f"{timeout:g} s" if timeout is not None else "the time limit"
        phase = "connect to" if isinstance(exc, httpx2.ConnectTimeout) else "get an answer from"
        return (
            "timeout",
            f"{where}: could not {phase} the server within {limit}",
            "Check that the service is up and not stuck, or raise the timeout "
            "(--timeout / timeout= / [tool.assay] timeout).",
        )
    if isinstance(exc, httpx2.UnsupportedProtocol):
        return (
            "url",
            f"{where}: the URL is not http:// or https://",
            "Give a full base URL such as http://127.0.0.1:8000.",
        )
    if isinstance(exc, httpx2.RemoteProtocolError):
        return (
            "reset",
            f"{where}: the server closed the connection without a complete HTTP answer ({exc})",
            "The service may have crashed or reset the connection; look at its logs.",
        )
    if any(marker in text for marker in _DNS_MARKERS):
        return (
            "dns",
            f"{where}: the host name could not be resolved",
            "Check the spelling of the host in the URL, or use an IP address.",
        )
    if any(marker in text for marker in _TLS_MARKERS):
        return (
            "tls",
            f"{where}: the TLS handshake failed ({exc})",
            "Check the certificate, use http:// for a plain server, or pass verify=False "
            "for a self-signed test certificate.",
        )
    if isinstance(exc, httpx2.ConnectError):
        return (
            "refused",
            f"{where}: the connection was refused — nothing is listening there",
            "Start the service, or check the host and port of the URL.",
        )
    if isinstance(exc, httpx2.ReadError | httpx2.WriteError) and any(
        marker in text for marker in ("reset", "broken pipe", "errno 104", "errno 32")
    ):
        return (
            "reset",
            f"{where}: the server reset the connection ({exc})",
            "The service may have crashed or closed the connection; look at its logs.",
        )
    return ("transport", f"{where}: {type(exc).__name__}: {exc}", "Check that the service is up.")
