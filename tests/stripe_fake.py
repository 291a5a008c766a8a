"""A local stand-in for the few Stripe Identity endpoints Casserole calls, and signed webhook events.

No Stripe mock server can be installed here and tests never reach the network, so this serves, on
127.0.0.1 at a random port:

- POST /v1/identity/verification_sessions      create (same Idempotency-Key → same session)
- GET  /v1/identity/verification_sessions/<id> retrieve
- POST /v1/identity/verification_sessions/<id>/cancel  (only while it waits for input, as Stripe)
- GET  /hosted/<id>                            Stripe's hosted page: a link back to the return_url,
                                               and (when `webhook_url` is set) buttons that finish the
                                               check and deliver the signed event, for browser tests
- POST /hosted/<id>                            outcome=verified|requires_input|canceled

Use the `stripe_fake` fixture: it starts the server and points the settings at it with test keys.
In a browser test, set `stripe_fake.webhook_url = live_server.url + "/stripe/webhook/"`.
"""

import html
import itertools
import json
import secrets
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest
import stripe

SECRET_KEY = "sk_test_casserole_fake_0123456789"
WEBHOOK_SECRET = "whsec_test_casserole_fake_0123456789"
WEBHOOK_PATH = "/stripe/webhook/"
SESSION_PATH = "/v1/identity/verification_sessions"

_EVENT_FOR_STATUS = {
    "verified": "identity.verification_session.verified",
    "requires_input": "identity.verification_session.requires_input",
    "processing": "identity.verification_session.processing",
    "canceled": "identity.verification_session.canceled",
}
_STATUS_FOR_EVENT = {event: status for status, event in _EVENT_FOR_STATUS.items()}
_counter = itertools.count(1)


@dataclass
class RecordedRequest:
    method: str
    path: str
    params: dict[str, str]  # Stripe's form encoding, flat: {"metadata[cook_id]": "7", ...}
    idempotency_key: str | None
    authorization: str | None


@dataclass
class FakeStripe:
    """The fake's state. Tests read `requests` and `sessions`, and may change a session's status."""

    port: int = 0
    sessions: dict[str, dict] = field(default_factory=dict)
    requests: list[RecordedRequest] = field(default_factory=list)
    idempotency: dict[str, str] = field(default_factory=dict)
    # When set, every API call answers with this HTTP status (a Stripe outage).
    fail_with: int | None = None
    # Where the hosted page's buttons deliver their signed event (None: the page only links back).
    webhook_url: str | None = None
    webhook_secret: str = WEBHOOK_SECRET
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def creates(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == "POST" and r.path == SESSION_PATH]

    def create_session(self, params: dict[str, str]) -> dict:
        session_id = f"vs_fake{next(_counter):06d}{secrets.token_hex(4)}"
        session = {
            "id": session_id,
            "object": "identity.verification_session",
            "client_reference_id": params.get("client_reference_id"),
            "client_secret": f"{session_id}_secret_{secrets.token_hex(8)}",
            "created": int(time.time()),
            "last_error": None,
            "last_verification_report": None,
            "livemode": False,
            "metadata": {key[9:-1]: value for key, value in params.items() if key.startswith("metadata[")},
            "options": {
                "document": {
                    "require_matching_selfie": params.get("options[document][require_matching_selfie]") == "true"
                }
            },
            "redaction": None,
            "return_url": params.get("return_url"),
            "status": "requires_input",
            "type": params.get("type"),
            "url": f"{self.base_url}/hosted/{session_id}",
            "verified_outputs": None,
        }
        self.sessions[session_id] = session
        return session

    def set_status(self, session_id: str, status: str, *, last_error_code: str | None = None) -> dict:
        """Move a session as Stripe would (the webhook is separate: see `signed_event`/`deliver`)."""
        with self.lock:
            session = self.sessions[session_id]
            session["status"] = status
            session["last_error"] = (
                {"code": last_error_code, "reason": "Stripe's reason (never stored by Casserole)."}
                if last_error_code
                else None
            )
            # Stripe gives a URL only while the session accepts input.
            session["url"] = f"{self.base_url}/hosted/{session_id}" if status == "requires_input" else None
            return dict(session)

    def finish(self, session_id: str, status: str, *, last_error_code: str | None = None) -> int:
        """Set the status and deliver the matching signed event to `webhook_url`; returns its HTTP status."""
        session = self.set_status(session_id, status, last_error_code=last_error_code)
        payload, header = signed_event(
            _EVENT_FOR_STATUS[status], session_id, session=session, secret=self.webhook_secret
        )
        return deliver(self.webhook_url, payload, header)


def signed_event(
    event_type: str,
    session_id: str,
    *,
    created: int | None = None,
    status: str | None = None,
    last_error_code: str | None = None,
    event_id: str | None = None,
    metadata: dict | None = None,
    session: dict | None = None,
    secret: str | None = None,
    timestamp: int | None = None,
) -> tuple[bytes, str]:
    """A webhook body shaped like Stripe's and its Stripe-Signature header. `timestamp` is the signing
    time (default now); `created` the event's own time (default now); `secret` defaults to the one the
    `stripe_fake` fixture configures."""
    now = int(time.time())
    if session is None:
        session = {
            "id": session_id,
            "object": "identity.verification_session",
            "last_error": {"code": last_error_code, "reason": "Stripe's reason text."} if last_error_code else None,
            "metadata": metadata or {},
            "status": status or _STATUS_FOR_EVENT.get(event_type, "processing"),
            "type": "document",
        }
    event = {
        "id": event_id or f"evt_fake{next(_counter):06d}{secrets.token_hex(4)}",
        "object": "event",
        "api_version": "2025-01-01",
        "created": now if created is None else created,
        "data": {"object": session},
        "livemode": False,
        "pending_webhooks": 1,
        "type": event_type,
    }
    payload = json.dumps(event).encode()
    header = stripe.WebhookSignature.generate_signature_header(
        payload.decode(), secret or WEBHOOK_SECRET, now if timestamp is None else timestamp
    )
    return payload, header


def post_event(client, payload: bytes, header: str | None):
    """Deliver a webhook through Django's test client, as Stripe would."""
    extra = {"HTTP_STRIPE_SIGNATURE": header} if header is not None else {}
    return client.post(WEBHOOK_PATH, data=payload, content_type="application/json", **extra)


def deliver(url: str, payload: bytes, header: str) -> int:
    """Deliver a webhook over HTTP (to a live server); returns the HTTP status."""
    request = urllib.request.Request(
        url, data=payload, method="POST", headers={"Content-Type": "application/json", "Stripe-Signature": header}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _error(code: int, kind: str, message: str) -> dict:
    return {"error": {"type": kind, "message": message, "code": None if code >= 500 else "resource_missing"}}


class _Handler(BaseHTTPRequestHandler):
    fake: FakeStripe  # set on the subclass made per server
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass  # keep test output quiet

    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: dict, headers: dict | None = None) -> None:
        self._send(status, json.dumps(data).encode(), "application/json", headers)

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        return dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))

    def _record(self, params: dict[str, str]) -> None:
        with self.fake.lock:
            self.fake.requests.append(
                RecordedRequest(
                    method=self.command,
                    path=self.path.split("?")[0],
                    params=params,
                    idempotency_key=self.headers.get("Idempotency-Key"),
                    authorization=self.headers.get("Authorization"),
                )
            )

    def _api_refused(self) -> bool:
        if not (self.headers.get("Authorization") or "").startswith("Bearer sk_test_"):
            self._json(401, _error(401, "invalid_request_error", "Invalid API Key provided."))
            return True
        if self.fake.fail_with is not None:
            status = self.fake.fail_with
            # Stripe marks errors a retry cannot fix; this keeps the client from waiting to retry.
            self._json(status, _error(status, "api_error", "Something went wrong."), {"Stripe-Should-Retry": "false"})
            return True
        return False

    def do_POST(self):
        path = self.path.split("?")[0]
        params = self._form()
        if path == SESSION_PATH:
            self._record(params)
            if self._api_refused():
                return
            key = self.headers.get("Idempotency-Key")
            with self.fake.lock:
                session_id = self.fake.idempotency.get(key) if key else None
                session = self.fake.sessions[session_id] if session_id else self.fake.create_session(params)
                if key:
                    self.fake.idempotency[key] = session["id"]
                self._json(200, session)
            return
        if path.startswith(SESSION_PATH + "/") and path.endswith("/cancel"):
            self._record(params)
            if not self._api_refused():
                self._cancel(path.removeprefix(SESSION_PATH + "/").removesuffix("/cancel"))
            return
        if path.startswith("/hosted/"):
            self._hosted_outcome(path.removeprefix("/hosted/"), params.get("outcome", ""))
            return
        self._json(404, _error(404, "invalid_request_error", "Unrecognized request URL."))

    def _cancel(self, session_id: str) -> None:
        session = self.fake.sessions.get(session_id)
        if session is None:
            self._json(404, _error(404, "invalid_request_error", "No such verification session."))
        elif session["status"] != "requires_input":
            # Stripe cancels a session only while it waits for input.
            error = _error(400, "invalid_request_error", "This session cannot be canceled in its current status.")
            error["error"]["code"] = "session_invalid_state"
            self._json(400, error)
        else:
            self._json(200, self.fake.set_status(session_id, "canceled"))

    def do_GET(self):
        path = self.path.split("?")[0]
        if path.startswith(SESSION_PATH + "/"):
            self._record({})
            if self._api_refused():
                return
            session = self.fake.sessions.get(path.removeprefix(SESSION_PATH + "/"))
            if session is None:
                self._json(404, _error(404, "invalid_request_error", "No such verification session."))
            else:
                self._json(200, session)
            return
        if path.startswith("/hosted/"):
            self._hosted_page(path.removeprefix("/hosted/"))
            return
        self._json(404, _error(404, "invalid_request_error", "Unrecognized request URL."))

    def _hosted_page(self, session_id: str) -> None:
        session = self.fake.sessions.get(session_id)
        if session is None:
            self._send(404, b"Not found", "text/plain; charset=utf-8")
            return
        return_url = html.escape(session["return_url"] or "/", quote=True)
        buttons = ""
        if self.fake.webhook_url:
            buttons = (
                f'<form method="post" action="/hosted/{html.escape(session_id)}">'
                '<button name="outcome" value="verified">Submit a matching document</button> '
                '<button name="outcome" value="requires_input">Submit a blurred document</button> '
                '<button name="outcome" value="canceled">Cancel the check</button>'
                "</form>"
            )
        page = (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>Verify your identity – Stripe (test)</title></head>"
            "<body><main><h1>Verify your identity</h1>"
            "<p>This is a local stand-in for Stripe's hosted page.</p>"
            f'{buttons}<p><a href="{return_url}">Return to Casserole</a></p>'
            "</main></body></html>"
        )
        self._send(200, page.encode(), "text/html; charset=utf-8")

    def _hosted_outcome(self, session_id: str, outcome: str) -> None:
        session = self.fake.sessions.get(session_id)
        if session is None or outcome not in ("verified", "requires_input", "canceled") or not self.fake.webhook_url:
            self._send(400, b"Bad request", "text/plain; charset=utf-8")
            return
        code = "document_unverified_other" if outcome == "requires_input" else None
        self.fake.finish(session_id, outcome, last_error_code=code)
        self.send_response(303)
        self.send_header("Location", session["return_url"] or "/")
        self.send_header("Content-Length", "0")
        self.end_headers()


def start_fake_stripe() -> tuple[FakeStripe, ThreadingHTTPServer]:
    """Start the fake on a random local port (stop it with `server.shutdown(); server.server_close()`)."""
    fake = FakeStripe()
    handler = type("FakeStripeHandler", (_Handler,), {"fake": fake})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    fake.port = server.server_address[1]
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-stripe", daemon=True
    ).start()
    return fake, server


@pytest.fixture
def stripe_fake(settings):
    """The fake Stripe API, with Casserole's settings pointing at it and test keys configured."""
    fake, server = start_fake_stripe()
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake.base_url
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def stripe_off(settings):
    """No Stripe keys: the online route is hidden."""
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    settings.STRIPE_API_BASE = ""
