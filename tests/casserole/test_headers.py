"""Security headers on every HTML page, as every persona: the pages are the GET rows of the access
matrix (tests/test_access_matrix.py), so a new page is checked here as soon as it is in the matrix."""

import re

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import sign_in
from tests.factories import PASSWORD
from tests.test_access_matrix import (  # noqa: F401 - world and the private folder are fixtures
    PERSONAS,
    ROWS,
    module_private_dir,
    private_dir,
    request_and_roll_back,
    world,
)

pytestmark = pytest.mark.django_db

GET_ROWS = [row for row in ROWS if row.method == "GET"]
# JavaScript, an iCalendar feed, CSV downloads.
NOT_HTML = {
    "/healthz",
    "/admin/jsi18n/",
    "/en/calendar/{calendar_token}.ics",
    "/en/coordinator/impact/figures.csv",
    "/en/coordinator/impact/matches.csv",
    "/en/my-data/download/",
    "/en/diners/{diner_a}/data-copy/download/",
    "/en/coordinator/diners/{diner_a}/data-copy/download/",
    "/en/coordinator/cooks/{cook_pk}/data-copy/download/",
}
# Our pages with personal data: your account, coordinator pages, the admin. They must never be cached.
PRIVATE_PREFIXES = ("/en/account/", "/en/coordinator/", "/admin/")
# The admin marks these few as cacheable; they show no personal data.
CACHEABLE_ADMIN_PAGES = ("/admin/password_change/", "/admin/password_change/done/", "/admin/jsi18n/")


def must_not_be_cached(path: str) -> bool:
    return path.startswith(PRIVATE_PREFIXES) and path not in CACHEABLE_ADMIN_PAGES


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_secure_html_headers(response, label: str) -> None:
    csp = csp_directives(response)
    assert csp["object-src"] == ["'none'"], label
    assert csp["base-uri"] == ["'none'"], label
    assert csp["frame-ancestors"] == ["'none'"], label
    assert csp["default-src"] == ["'self'"], label
    scripts = csp["script-src"]
    assert "'self'" in scripts, label
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, label
    nonces = [value for value in scripts if value.startswith("'nonce-")]
    assert len(nonces) == 1, label
    nonce = nonces[0][len("'nonce-") : -1]
    assert "'unsafe-inline'" not in csp.get("style-src", []), label

    assert response["X-Content-Type-Options"] == "nosniff", label
    assert response["Referrer-Policy"] in {"same-origin", "strict-origin-when-cross-origin", "no-referrer"}, label
    assert response["X-Frame-Options"] == "DENY", label

    html = response.content.decode()
    script_tags = re.findall(r"<script\b[^>]*>", html, flags=re.IGNORECASE)
    without_nonce = [tag for tag in script_tags if f'nonce="{nonce}"' not in tag]
    assert without_nonce == [], f"{label}: <script> tags without this response's nonce: {without_nonce}"
    # No inline event handlers or javascript: URLs, which a nonce cannot allow.
    assert not re.search(r"\son[a-z]+\s*=", html.split("<body", 1)[-1]), label
    assert "javascript:" not in html.lower(), label


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


@pytest.mark.parametrize("row", GET_ROWS, ids=[row.path for row in GET_ROWS])
def test_every_html_page_sends_the_security_headers(row, world):  # noqa: F811
    checked = 0
    for name in PERSONAS:
        response = request_and_roll_back(world.clients[name], row, world.objects)
        if is_html(response) and response.content:
            assert_secure_html_headers(response, f"{row.path} as {name} ({response.status_code})")
            checked += 1
        if response.status_code == 200 and must_not_be_cached(row.path) and name != "anonymous":
            assert "no-store" in response.get("Cache-Control", ""), f"{row.path} as {name} may be cached"
    # Redirect-only rows have nothing to check; every other row renders a page for someone.
    if any(status not in {302, 405} for status in row.expected.values()) and row.path not in NOT_HTML:
        assert checked, f"no HTML response for {row.path}"


@pytest.mark.parametrize(
    "path",
    [
        "/en/account/",
        "/en/account/details/",
        "/en/account/two-factor/set-up/",
        "/en/account/two-factor/backup-codes/",
        "/en/coordinator/",
        "/en/coordinator/coordinators/invite/",
        "/admin/",
    ],
)
def test_account_and_coordinator_pages_are_never_cached(world, path):  # noqa: F811
    client = world.clients["admin_user" if path.startswith("/admin/") else "coordinator_a"]
    response = client.get(path)
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    # What django.views.decorators.cache.never_cache sends.
    assert {"no-store", "no-cache", "must-revalidate", "private", "max-age=0"} <= cache_control
    assert "Expires" in response


def test_plain_text_responses_are_not_sniffed(client):
    response = client.get("/healthz")
    assert response["Content-Type"].startswith("text/plain")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_not_found_page_carries_the_headers(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert_secure_html_headers(response, "404")


def test_each_response_gets_a_fresh_nonce(client):
    first = csp_directives(client.get("/en/"))["script-src"]
    second = csp_directives(client.get("/en/"))["script-src"]
    assert first != second


def test_session_cookie_is_httponly_and_samesite(world):  # noqa: F811
    response = sign_in(Client(), world.users["cook"].email, PASSWORD)
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
