import re
from importlib import import_module

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from casserole.models import AuditEntry
from tests.conftest import is_signed_in, sign_in
from tests.factories import PASSWORD, add_backup_codes, add_totp, totp_code

pytestmark = pytest.mark.django_db

SETUP = "/en/account/two-factor/set-up/"
VERIFY = "/en/account/two-factor/"


def password_only_client(user) -> Client:
    """Signed in with the password, the second factor not yet passed."""
    client = Client()
    sign_in(client, user.email, PASSWORD)
    assert is_signed_in(client)
    return client


def is_verified(client: Client) -> bool:
    from django_otp import DEVICE_ID_SESSION_KEY

    return DEVICE_ID_SESSION_KEY in client.session


# Forced to the second factor ---------------------------------------------------------------------


def test_coordinator_without_a_device_is_sent_to_set_up_after_signing_in(unverified_coordinator):
    client = Client()
    response = sign_in(client, unverified_coordinator.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == SETUP


@pytest.mark.parametrize(
    ("path", "next_param"),
    [
        ("/en/coordinator/", "%2Fen%2Fcoordinator%2F"),
        ("/en/coordinator/coordinators/invite/", "%2Fen%2Fcoordinator%2Fcoordinators%2Finvite%2F"),
        ("/admin/", "%2Fadmin%2F"),
        ("/en/account/", "%2Fen%2Faccount%2F"),
    ],
)
def test_coordinator_without_a_device_is_redirected_to_set_up(unverified_coordinator, path, next_param):
    client = password_only_client(unverified_coordinator)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next={next_param}"


@pytest.mark.parametrize(
    ("path", "next_param"),
    [("/en/coordinator/", "%2Fen%2Fcoordinator%2F"), ("/admin/", "%2Fadmin%2F")],
)
def test_coordinator_with_a_device_is_redirected_to_verify(coordinator_a, path, next_param):
    client = password_only_client(coordinator_a)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next={next_param}"


def test_admin_with_a_device_is_redirected_to_verify_from_the_admin(admin_user):
    client = password_only_client(admin_user)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2Faccounts%2Fuser%2F"


def test_unverified_post_to_a_coordinator_page_changes_nothing(coordinator_a, area_a):
    client = password_only_client(coordinator_a)
    response = client.post(
        "/en/coordinator/coordinators/invite/",
        {"full_name": "Ian Invitee", "email": "ian@example.org", "area": area_a.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == VERIFY
    assert not area_a.invitations.exists()


def test_cook_with_a_device_must_pass_it_too(cook):
    add_totp(cook)
    client = password_only_client(cook)
    response = client.get("/en/account/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fen%2Faccount%2F"


def test_cook_without_a_device_is_not_asked_for_a_second_factor(cook):
    client = password_only_client(cook)
    assert client.get("/en/account/").status_code == 200


# Setting up --------------------------------------------------------------------------------------


def pending_device(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=False)


def test_set_up_page_shows_an_inline_qr_code_and_the_secret(unverified_coordinator):
    client = password_only_client(unverified_coordinator)
    response = client.get(SETUP)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html
    device = pending_device(unverified_coordinator)
    secret = response.context["secret"]
    assert secret.replace(" ", "") in _base32(device.bin_key)
    assert secret in html
    # Reloading shows the same authenticator, not a new one.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=unverified_coordinator).count() == 1


def _base32(key: bytes) -> str:
    import base64

    return base64.b32encode(key).decode().rstrip("=")


def test_wrong_code_at_set_up_does_not_confirm_the_device(unverified_coordinator):
    client = password_only_client(unverified_coordinator)
    client.get(SETUP)
    device = pending_device(unverified_coordinator)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(SETUP, {"code": wrong})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    device.refresh_from_db()
    assert not device.confirmed
    assert not is_verified(client)
    assert AuditEntry.objects.filter(action="second_factor_failed", actor=unverified_coordinator).exists()
    assert client.get("/en/coordinator/").status_code == 302


def test_right_code_at_set_up_confirms_the_device_and_shows_ten_backup_codes_once(unverified_coordinator):
    client = password_only_client(unverified_coordinator)
    client.get(f"{SETUP}?next=/en/coordinator/")
    device = pending_device(unverified_coordinator)

    response = client.post(SETUP, {"code": totp_code(device), "next": "/en/coordinator/"})

    assert response.status_code == 302
    assert response["Location"].startswith("/en/account/two-factor/backup-codes/")
    device.refresh_from_db()
    assert device.confirmed
    assert is_verified(client)

    response = client.get(response["Location"])
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10
    html = response.content.decode()
    assert all(code in html for code in codes)
    assert StaticToken.objects.filter(device__user=unverified_coordinator).count() == 10

    again = client.get("/en/account/two-factor/backup-codes/")
    assert again.status_code == 200
    assert not again.context["codes"]
    assert not any(code in again.content.decode() for code in codes)

    assert client.get("/en/coordinator/").status_code == 200
    assert AuditEntry.objects.filter(action="second_factor_enrolled", actor=unverified_coordinator).exists()


# Verifying ---------------------------------------------------------------------------------------


def test_right_code_passes_the_second_factor_and_goes_to_next(coordinator_a):
    client = password_only_client(coordinator_a)
    device = coordinator_a.totpdevice_set.get()

    response = client.post(VERIFY, {"code": totp_code(device), "next": "/en/coordinator/"})

    assert response.status_code == 302
    assert response["Location"] == "/en/coordinator/"
    assert is_verified(client)
    assert client.get("/en/coordinator/").status_code == 200
    assert AuditEntry.objects.filter(action="second_factor_passed", actor=coordinator_a).exists()


def test_verify_refuses_an_offsite_next(coordinator_a):
    client = password_only_client(coordinator_a)
    device = coordinator_a.totpdevice_set.get()
    response = client.post(VERIFY, {"code": totp_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/en/coordinator/"


def test_a_totp_code_is_accepted_only_once(coordinator_a):
    device = coordinator_a.totpdevice_set.get()
    code = totp_code(device)
    first = password_only_client(coordinator_a)
    assert first.post(VERIFY, {"code": code}).status_code == 302

    second = password_only_client(coordinator_a)
    response = second.post(VERIFY, {"code": code})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not is_verified(second)


def test_a_backup_code_works_once_only(coordinator_a):
    add_backup_codes(coordinator_a, codes=("abcd2345", "efgh6789"))
    first = password_only_client(coordinator_a)
    response = first.post(VERIFY, {"code": "abcd 2345"})
    assert response.status_code == 302
    assert is_verified(first)

    second = password_only_client(coordinator_a)
    response = second.post(VERIFY, {"code": "abcd2345"})
    assert response.status_code == 200
    assert not is_verified(second)
    assert list(StaticToken.objects.filter(device__user=coordinator_a).values_list("token", flat=True)) == ["efgh6789"]


def test_wrong_codes_are_audited_and_throttled(coordinator_a):
    client = password_only_client(coordinator_a)
    device = coordinator_a.totpdevice_set.get()
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200
    failure = AuditEntry.objects.get(action="second_factor_failed", actor=coordinator_a)
    assert failure.ip == "127.0.0.1"

    # Straight after a failure even the right code is refused (django-otp's throttle).
    response = client.post(VERIFY, {"code": totp_code(device)})
    assert response.status_code == 200
    assert "Too many wrong codes" in response.content.decode()
    assert not is_verified(client)
    assert AuditEntry.objects.filter(action="second_factor_failed", actor=coordinator_a).count() == 2

    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(VERIFY, {"code": totp_code(device)})
    assert response.status_code == 302
    assert is_verified(client)


def test_password_reset_does_not_skip_the_second_factor(coordinator_a, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/accounts/password/reset/", {"email": coordinator_a.email})
    assert response.status_code == 302
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.MULTILINE).group(1)

    response = client.post(response["Location"], {"code": code})
    assert response.status_code == 302
    new_password = "a fresh password for the reset test"
    response = client.post(response["Location"], {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    assert not is_signed_in(client)

    response = sign_in(client, coordinator_a.email, new_password)
    assert response["Location"] == VERIFY
    response = client.get("/en/coordinator/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fen%2Fcoordinator%2F"


# Turning it on and off ---------------------------------------------------------------------------


def test_cook_may_turn_two_factor_on_and_off(cook):
    client = password_only_client(cook)
    client.get(SETUP)
    device = pending_device(cook)
    assert client.post(SETUP, {"code": totp_code(device)}).status_code == 302
    assert TOTPDevice.objects.filter(user=cook, confirmed=True).exists()

    response = client.post("/en/account/two-factor/turn-off/")

    assert response.status_code == 302
    assert response["Location"] == "/en/account/"
    assert not TOTPDevice.objects.filter(user=cook).exists()
    assert not StaticToken.objects.filter(device__user=cook).exists()
    assert AuditEntry.objects.filter(action="second_factor_disabled", actor=cook).exists()
    # Still signed in, and no longer asked for a code.
    assert client.get("/en/account/").status_code == 200
    assert password_only_client(cook).get("/en/account/").status_code == 200


def test_coordinator_cannot_turn_two_factor_off(login_as, coordinator_a):
    client = login_as(coordinator_a)
    response = client.post("/en/account/two-factor/turn-off/")
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=coordinator_a, confirmed=True).exists()
    assert not AuditEntry.objects.filter(action="second_factor_disabled").exists()


def test_regenerating_backup_codes_replaces_the_old_ones(login_as, coordinator_a):
    add_backup_codes(coordinator_a, codes=("abcd2345",))
    client = login_as(coordinator_a)
    response = client.post("/en/account/two-factor/backup-codes/")
    assert response.status_code == 302
    response = client.get("/en/account/two-factor/backup-codes/")
    assert len(response.context["codes"]) == 10
    tokens = set(StaticToken.objects.filter(device__user=coordinator_a).values_list("token", flat=True))
    assert tokens == set(response.context["codes"])
    assert "abcd2345" not in tokens


def test_after_ten_wrong_codes_even_the_right_code_is_refused_for_five_minutes(coordinator_a):
    from datetime import timedelta

    from django.utils import timezone

    device = coordinator_a.totpdevice_set.get()
    # django-otp doubles the wait after each failure: after ten it is 2**9 s, more than 5 minutes.
    device.throttling_failure_count = 10
    device.throttling_failure_timestamp = timezone.now() - timedelta(minutes=4, seconds=59)
    device.save()
    client = password_only_client(coordinator_a)

    response = client.post(VERIFY, {"code": totp_code(device)})

    assert response.status_code == 200
    assert "Too many wrong codes" in response.content.decode()
    assert not is_verified(client)


def test_the_admin_never_shows_an_authenticator_key_or_backup_codes(login_as, admin_user, coordinator_a):
    device = coordinator_a.totpdevice_set.get()
    static = add_backup_codes(coordinator_a, codes=("abcd2345", "efgh6789"))
    client = login_as(admin_user)

    totp_page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    static_page = client.get(f"/admin/otp_static/staticdevice/{static.pk}/change/")

    assert totp_page.status_code == static_page.status_code == 200
    assert device.key not in totp_page.content.decode()
    assert "abcd2345" not in static_page.content.decode()
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code == 403


def test_a_coordinator_session_is_shorter_than_a_cooks(client, settings):
    from tests.factories import CoordinatorFactory, UserFactory, add_totp, totp_code

    cook = UserFactory(is_cook=True)
    client.force_login(cook)
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE >= 20 * 60 * 60

    coordinator = CoordinatorFactory()
    device = add_totp(coordinator)
    client.force_login(coordinator)
    client.post("/en/account/two-factor/", {"code": totp_code(device)})
    assert client.session.get_expiry_age() == settings.STAFF_SESSION_AGE


# A new session id once the second factor is passed -----------------------------------------------


def _session_id(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _client_with_session_id(session_id: str) -> Client:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_id
    return client


def _assert_captured_id_is_worthless(captured: str, client: Client) -> None:
    """The id seen between password and code must not become (or stay) a signed-in session."""
    assert _session_id(client) != captured
    assert not import_module(settings.SESSION_ENGINE).SessionStore().exists(captured)
    thief = _client_with_session_id(captured)
    assert not is_signed_in(thief)
    response = thief.get("/en/coordinator/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


@pytest.mark.parametrize("kind", ["authenticator", "backup code"])
def test_passing_the_second_factor_gives_the_session_a_new_id(coordinator_a, kind):
    add_backup_codes(coordinator_a, codes=("abcd2345",))
    client = password_only_client(coordinator_a)
    captured = _session_id(client)
    code = totp_code(coordinator_a.totpdevice_set.get()) if kind == "authenticator" else "abcd2345"

    response = client.post(VERIFY, {"code": code, "next": "/en/coordinator/"})

    assert response.status_code == 302
    assert is_verified(client)
    assert client.get("/en/coordinator/").status_code == 200
    _assert_captured_id_is_worthless(captured, client)


def test_turning_two_factor_on_gives_the_session_a_new_id(unverified_coordinator):
    client = password_only_client(unverified_coordinator)
    client.get(SETUP)
    captured = _session_id(client)

    response = client.post(SETUP, {"code": totp_code(pending_device(unverified_coordinator))})

    assert response.status_code == 302
    assert is_verified(client)
    assert client.get("/en/coordinator/").status_code == 200
    _assert_captured_id_is_worthless(captured, client)


def test_a_wrong_code_keeps_the_session_id(coordinator_a):
    client = password_only_client(coordinator_a)
    captured = _session_id(client)
    device = coordinator_a.totpdevice_set.get()
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"

    client.post(VERIFY, {"code": wrong})

    assert _session_id(client) == captured
