"""The app's guard: what a request may be (methods, sizes), and the security headers of
every response."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import MutableHeaders

from pathways.web import wallet as W
from pathways.web.site import WebError

MAX_QUERY = 4096  # bytes of a query string
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'"  # matplotlib's SVG has a <style>
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class Guard:
    """Refuses what a read-only app never takes (other methods than GET and HEAD but a
    wallet upload's POST, a body elsewhere, an overlong address or upload) and adds the
    security headers to every response."""

    def __init__(self, app: Any, problem: Callable[[Request, int, str, str], Response]
                 ) -> None:
        self.app = app
        self.problem = problem

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = _refusal(scope, request)
        if refusal is not None:
            await _secured(self.problem(request, *refusal))(scope, receive, send)
            return
        if scope["method"] == "POST":
            receive = _bounded(receive, W.MAX_UPLOAD_BYTES)

        async def send_secured(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for k, v in (*HEADERS.items(), ("Content-Security-Policy", CSP)):
                    headers.setdefault(k, v)
            await send(message)

        await self.app(scope, receive, send_secured)


def _refusal(scope: Any, request: Request) -> tuple[int, str, str] | None:
    """Why the Guard refuses a request (status, message, hint), or None. A GET or HEAD has
    no body; the one POST is a wallet upload (W.UPLOAD_PATHS), its length given and
    bounded."""
    method, path = scope["method"], scope["path"]
    length = request.headers.get("content-length")
    if len(scope.get("query_string", b"")) > MAX_QUERY:
        return (414, "the address is too long",
                f"ask for less (at most {MAX_QUERY} characters of query)")
    if method == "POST" and path in W.UPLOAD_PATHS:
        if length is None or not length.isdigit():
            return (411, "an upload needs its length (Content-Length)",
                    "send the file from the form, or with its length")
        if int(length) > W.MAX_UPLOAD_BYTES:
            return (413, f"the upload is larger than {W.MAX_WALLET_BYTES:,} bytes",
                    "send the learner's own badges only")
        return None
    if method not in ("GET", "HEAD"):
        return (405, f"{method} is not allowed: this app only reads",
                "use GET (open the page in a browser); a wallet is sent from the plan "
                "page's form")
    if length is not None and length.strip() not in ("", "0"):
        return (413, "this app takes no request body", "put the question in the address")
    return None


def _bounded(receive: Any, limit: int) -> Any:
    """``receive`` that ends the body past ``limit`` bytes (a Content-Length that lied)."""
    seen = 0

    async def bounded() -> Any:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise WebError("the upload is larger than it said", status=413,
                               hint="send the file again")
        return message

    return bounded


def _secured(response: Response) -> Response:
    for k, v in HEADERS.items():
        response.headers.setdefault(k, v)
    response.headers.setdefault("Content-Security-Policy", CSP)
    return response
