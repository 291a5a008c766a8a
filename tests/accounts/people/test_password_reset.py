"""Resetting a forgotten password by a code from the email, typed into the page: no reset secret ever
sits in a URL (where access logs, browser history and Referer headers would keep it)."""

import re

import pytest
from django.core import mail
from django.test import Client

from tests.conftest import is_signed_in, sign_in

pytestmark = pytest.mark.django_db

RESET = "/en/accounts/password/reset/"
CONFIRM = "/en/accounts/password/reset/confirm/"
COMPLETE = "/en/accounts/password/reset/complete/"
DONE = "/en/accounts/password/reset/done/"
NEW_PASSWORD = "a fresh password for the reset test"
WRONG_CODE = "BBBB-BBBB"


class RecordingClient(Client):
    """A test client that keeps every URL it asked for and every address it was sent on to."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.urls: list[str] = []

    def request(self, **request):
        response = super().request(**request)
        self.urls.append(f"{request['PATH_INFO']}?{request.get('QUERY_STRING', '')}")
        if response.has_header("Location"):
            self.urls.append(response["Location"])
        return response


def code_in(message) -> str:
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body, re.MULTILINE)
    assert match, f"no code in:\n{message.body}"
    return match.group(1)


def ask_for_a_code(client: Client, email: str, capture, language: str = "en"):
    with capture(execute=True):
        return client.post(f"/{language}/accounts/password/reset/", {"email": email})


def test_a_forgotten_password_is_reset_with_a_code_and_no_secret_in_any_url(cook, django_capture_on_commit_callbacks):
    client = RecordingClient()
    response = ask_for_a_code(client, cook.email, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == CONFIRM
    message = mail.outbox[-1]
    code = code_in(message)
    assert "/password/reset/key/" not in message.body
    assert "15 minutes" in message.body

    html = client.get(CONFIRM).content.decode()
    assert "Enter the code from the email" in html and cook.email in html
    response = client.post(CONFIRM, {"code": code})
    assert response.status_code == 302 and response["Location"] == COMPLETE
    assert "Choose a new password" in client.get(COMPLETE).content.decode()
    response = client.post(COMPLETE, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == DONE
    assert "Your password has been changed" in client.get(DONE).content.decode()
    assert not is_signed_in(client)

    assert sign_in(Client(), cook.email, NEW_PASSWORD).status_code == 302
    secrets = (code, code.replace("-", ""), code.lower())
    leaked = [url for url in client.urls if any(secret in url for secret in secrets) or "/key/" in url]
    assert leaked == []


def test_a_wrong_code_is_a_form_error_and_three_end_the_attempt(cook, django_capture_on_commit_callbacks):
    client = Client()
    ask_for_a_code(client, cook.email, django_capture_on_commit_callbacks)
    code = code_in(mail.outbox[-1])

    first = client.post(CONFIRM, {"code": WRONG_CODE})
    assert first.status_code == 200
    html = first.content.decode()
    assert "govuk-error-summary" in html and "That code is not right" in html
    assert client.post(CONFIRM, {"code": ""}).status_code == 200
    third = client.post(CONFIRM, {"code": WRONG_CODE})

    assert third.status_code == 302
    # The attempt is over: even the right code no longer opens the new-password page.
    assert client.post(CONFIRM, {"code": code}).status_code == 302
    assert client.get(COMPLETE)["Location"] == RESET


def test_the_code_works_only_in_the_browser_that_asked_for_it(cook, django_capture_on_commit_callbacks):
    ask_for_a_code(Client(), cook.email, django_capture_on_commit_callbacks)
    code = code_in(mail.outbox[-1])

    other = Client()
    response = other.post(CONFIRM, {"code": code})

    assert response.status_code == 302 and not response["Location"].startswith(COMPLETE)
    assert other.get(COMPLETE)["Location"] == RESET


def test_an_unknown_address_looks_the_same_and_gets_no_code(db, django_capture_on_commit_callbacks):
    client = Client()
    response = ask_for_a_code(client, "nobody@example.org", django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response["Location"] == CONFIRM
    assert client.get(CONFIRM).status_code == 200
    assert not re.search(r"^\s*[A-Z0-9]{4}-[A-Z0-9]{4}\s*$", mail.outbox[-1].body, re.MULTILINE)


def test_the_code_page_and_email_are_in_japanese(cook, django_capture_on_commit_callbacks):
    client = Client()
    response = ask_for_a_code(client, cook.email, django_capture_on_commit_callbacks, language="ja")

    assert response["Location"] == "/ja/accounts/password/reset/confirm/"
    assert "メールに書かれたコードを入力してください" in client.get(response["Location"]).content.decode()
    assert "パスワード再設定コード" in mail.outbox[-1].subject
    assert "15分" in mail.outbox[-1].body


def test_the_old_key_links_are_gone(client):
    assert client.get("/en/accounts/password/reset/key/1-set-password/").status_code == 404
