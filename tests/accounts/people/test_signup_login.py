import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.test import Client

from accounts.people import services
from accounts.people.models import User
from casserole.models import AuditEntry, OutboundEmail
from tests.conftest import is_signed_in, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum crumble on a wet tuesday"


def signup_data(**overrides) -> dict:
    data = {
        "full_name": "Nora Newcomer",
        "email": "nora@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "roles": ["cook"],
    }
    data.update(overrides)
    return data


def sign_up(client: Client, capture, **overrides):
    with capture(execute=True):
        return client.post("/en/accounts/signup/", signup_data(**overrides))


def confirmation_path(message) -> str:
    match = re.search(r"https?://testserver(/\S*/accounts/confirm-email/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_signing_up_creates_a_cook_and_queues_a_delivered_verification_email(
    client, django_capture_on_commit_callbacks
):
    response = sign_up(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    user = User.objects.get(email="nora@example.org")
    assert user.full_name == "Nora Newcomer"
    assert user.is_cook and not user.is_referrer
    assert not EmailAddress.objects.get(user=user).verified
    queued = OutboundEmail.objects.get(to="nora@example.org")
    assert queued.status == OutboundEmail.Status.SENT
    assert queued.attempts == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nora@example.org"]
    assert "/en/accounts/confirm-email/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="signed_up", actor=user).exists()


def test_new_account_cannot_sign_in_until_the_email_is_verified(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    link = confirmation_path(mail.outbox[0])
    anonymous = Client()

    response = sign_in(anonymous, "nora@example.org", NEW_PASSWORD)
    assert not is_signed_in(anonymous)
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"

    assert anonymous.get(link).status_code == 200
    response = anonymous.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="nora@example.org").verified

    response = sign_in(anonymous, "nora@example.org", NEW_PASSWORD)
    assert is_signed_in(anonymous)
    assert response["Location"] == "/en/account/cook/"  # a cook lands on their checklist
    assert anonymous.get("/en/account/cook/").status_code == 200


def test_extra_fields_posted_at_sign_up_change_nothing(client, django_capture_on_commit_callbacks, area_a):
    response = sign_up(
        client,
        django_capture_on_commit_callbacks,
        is_coordinator="on",
        is_staff="on",
        is_superuser="on",
        role="coordinator",
        roles=["cook", "coordinator"],
        area=str(area_a.pk),
        home_area=str(area_a.pk),
        is_active="off",
        status="active",
        verified="on",
    )

    # "coordinator" is not a choice: the form refuses it and no account is made.
    assert response.status_code == 200
    assert not User.objects.filter(email="nora@example.org").exists()

    response = sign_up(
        client,
        django_capture_on_commit_callbacks,
        is_coordinator="on",
        is_staff="on",
        is_superuser="on",
        role="coordinator",
        area=str(area_a.pk),
        home_area=str(area_a.pk),
        is_active="off",
        status="active",
        verified="on",
    )
    assert response.status_code == 302
    user = User.objects.get(email="nora@example.org")
    assert (user.is_cook, user.is_coordinator, user.is_staff, user.is_superuser) == (True, False, False, False)
    assert user.is_active
    assert user.home_area is None
    assert not user.coordinator_memberships.exists()
    assert not EmailAddress.objects.get(user=user).verified


def test_extra_fields_posted_to_the_details_page_change_nothing(login_as, cook, area_b):
    client = login_as(cook)
    response = client.post(
        "/en/account/details/",
        {
            "full_name": "Cathy Cook-Smith",
            "name_reading": "",
            "phone": "07711 900123",
            "preferred_language": "ja",
            "email": "attacker@example.org",
            "is_coordinator": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "role": "coordinator",
            "area": str(area_b.pk),
            "home_area": str(area_b.pk),
            "is_active": "off",
            "status": "active",
            "verified": "on",
        },
    )
    assert response.status_code == 302
    cook.refresh_from_db()
    assert cook.full_name == "Cathy Cook-Smith"
    assert cook.email == "cook@example.org"
    assert (cook.is_coordinator, cook.is_staff, cook.is_superuser, cook.is_active) == (False, False, False, True)
    assert cook.home_area.name == "Area A"


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Short1pass!", "too short"),
        ("password1234", "too common"),
    ],
)
def test_weak_passwords_are_refused_at_sign_up(client, django_capture_on_commit_callbacks, password, message):
    response = sign_up(client, django_capture_on_commit_callbacks, password1=password, password2=password)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="nora@example.org").exists()


def test_a_long_passphrase_is_accepted_at_sign_up(client, django_capture_on_commit_callbacks):
    passphrase = "the green bus to the allotments leaves at nine, rain or shine, every saturday!"
    assert len(passphrase) >= 64
    response = sign_up(client, django_capture_on_commit_callbacks, password1=passphrase, password2=passphrase)
    assert response.status_code == 302
    assert User.objects.get(email="nora@example.org").check_password(passphrase)


def test_eleventh_failed_sign_in_for_one_email_is_refused_even_with_the_right_password(cook):
    for attempt in range(10):
        # Each attempt from a different address: the per-email limit is what is being tested.
        response = sign_in(Client(), cook.email, "wrong password here", REMOTE_ADDR=f"192.0.2.{attempt + 1}")
        assert response.status_code == 200
        assert "Too many failed" not in response.content.decode()

    client = Client()
    response = sign_in(client, cook.email, PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert not is_signed_in(client)

    # Someone else signing in from that address is not affected.
    other = Client()
    sign_in(other, "referrer@example.org", "wrong password here", REMOTE_ADDR="198.51.100.7")
    assert not is_signed_in(other)


def test_session_key_rotates_at_sign_in(cook):
    client = Client()
    before = client.session
    before["visited"] = True
    before.save()
    old_key = before.session_key

    sign_in(client, cook.email, PASSWORD)

    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert is_signed_in(client)
    assert new_key != old_key
    assert not SessionStore().exists(old_key)


def test_signing_out_kills_the_session(cook):
    client = Client()
    sign_in(client, cook.email, PASSWORD)
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get("/en/account/").status_code == 200

    response = client.post("/en/accounts/logout/")
    assert response.status_code == 302

    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    response = replay.get("/en/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")
    assert not SessionStore().exists(old_cookie)


def test_deactivated_person_is_signed_out_on_their_next_request(cook, admin_user):
    client = Client()
    sign_in(client, cook.email, PASSWORD)
    assert client.get("/en/account/").status_code == 200

    services.set_active(by=admin_user, user=cook, active=False, reason="Left the scheme")

    response = client.get("/en/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")
    assert AuditEntry.objects.filter(action="account_deactivated", object_id=str(cook.pk)).exists()


def test_deactivated_person_cannot_sign_in(cook, admin_user):
    services.set_active(by=admin_user, user=cook, active=False, reason="Left the scheme")
    client = Client()
    sign_in(client, cook.email, PASSWORD)
    assert not is_signed_in(client)


def test_changing_the_password_signs_out_other_sessions(cook):
    laptop, phone = Client(), Client()
    sign_in(laptop, cook.email, PASSWORD)
    sign_in(phone, cook.email, PASSWORD)

    response = laptop.post(
        "/en/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    cook.refresh_from_db()
    assert cook.check_password(NEW_PASSWORD)

    # The session that changed it stays signed in; every other one is gone.
    assert laptop.get("/en/account/").status_code == 200
    response = phone.get("/en/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_password_reset_requests_are_rate_limited(cook, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [client.post("/en/accounts/password/reset/", {"email": cook.email}).status_code for _ in range(6)]
    # Five links per address in five minutes; the sixth request is refused and sends nothing.
    assert statuses == [302] * 5 + [429]
    assert len(mail.outbox) == 5
