"""Signing up with an address that already has an account must look the same from outside as signing up
with a new one: the same redirect, one email, and the same expensive work. A new account's password is
hashed (Argon2 in production, about a third of a second); if the taken-address branch skipped that,
the response time alone would say whether someone has an account. The time itself is measured by
`make bench` (bench/signup.py); these tests pin the work that makes the times equal."""

from unittest import mock

import pytest
from django.contrib.auth.hashers import get_hasher
from django.core import mail
from django.test import Client

from accounts.people.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum crumble on a wet tuesday"


@pytest.fixture
def hashed():
    """The passwords the configured hasher hashes, in order."""
    hasher_class = type(get_hasher())
    encode = hasher_class.encode
    passwords = []

    def counting_encode(self, password, salt, *args, **kwargs):
        passwords.append(password)
        return encode(self, password, salt, *args, **kwargs)

    with mock.patch.object(hasher_class, "encode", counting_encode):
        yield passwords


def sign_up(capture, email: str):
    with capture(execute=True):
        return Client().post(
            "/en/accounts/signup/",
            {
                "full_name": "Nora Newcomer",
                "email": email,
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "roles": ["cook"],
            },
        )


@pytest.mark.parametrize("taken", ["cook@example.org", "COOK@Example.org"])
def test_signing_up_with_a_taken_address_hashes_the_password_once_as_a_new_sign_up_does(
    cook, hashed, django_capture_on_commit_callbacks, taken
):
    new = sign_up(django_capture_on_commit_callbacks, "nora@example.org")
    hashed_for_new = list(hashed)
    hashed.clear()
    mail.outbox.clear()

    existing = sign_up(django_capture_on_commit_callbacks, taken)

    assert hashed_for_new == [NEW_PASSWORD]
    assert hashed == [NEW_PASSWORD]
    assert (existing.status_code, existing["Location"]) == (new.status_code, new["Location"])
    assert new["Location"] == "/en/accounts/confirm-email/"
    # One email either way: the owner of the taken address is told someone tried to sign up with it.
    assert [message.to for message in mail.outbox] == [[cook.email]]
    # The work is thrown away: no second account, and the owner's password is untouched.
    assert User.objects.filter(email__iexact=cook.email).count() == 1
    cook.refresh_from_db()
    assert cook.check_password(PASSWORD)


def test_a_refused_sign_up_for_a_taken_address_hashes_nothing(cook, hashed, client):
    # A form error comes back before either branch, the same for a taken address and a new one.
    response = client.post(
        "/en/accounts/signup/",
        {"full_name": "Nora", "email": cook.email, "password1": NEW_PASSWORD, "password2": "different"},
    )
    assert response.status_code == 200
    assert hashed == []
