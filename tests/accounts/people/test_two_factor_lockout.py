"""Wrong second-factor codes: the wait between tries stays short, the person is told by email, and an
administrator can clear the wait (audited). Someone who has only the password must not be able to
lock a coordinator out for days."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.people import services
from casserole.models import AuditEntry
from tests.conftest import sign_in
from tests.factories import PASSWORD, add_backup_codes, totp_code

pytestmark = pytest.mark.django_db

VERIFY = "/en/account/two-factor/"
USERS = "/admin/accounts/user/"


def password_only_client(user) -> Client:
    client = Client()
    sign_in(client, user.email, PASSWORD)
    return client


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"


def last_failure_ago(device, ago: timedelta) -> None:
    """Move the last failure into the past, as if the person had waited `ago` before the next try."""
    type(device).objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - ago)


def enter_wrong_codes(client: Client, device: TOTPDevice, times: int, capture) -> None:
    """Each wrong code entered after waiting long enough, so each one counts as a failure."""
    for _ in range(times):
        last_failure_ago(device, timedelta(days=30))
        with capture(execute=True):
            response = client.post(VERIFY, {"code": wrong_code(device)})
        assert "That code did not work" in response.content.decode()


def wrong_code_emails(user) -> list:
    # Nothing else in these tests emails the person.
    return [message for message in mail.outbox if message.to == [user.email]]


def test_after_twenty_wrong_codes_the_wait_is_at_most_fifteen_minutes(
    coordinator_a, django_capture_on_commit_callbacks
):
    device = coordinator_a.totpdevice_set.get()
    client = password_only_client(coordinator_a)
    enter_wrong_codes(client, device, 20, django_capture_on_commit_callbacks)

    # Straight after the last wrong code even the right one waits ...
    response = client.post(VERIFY, {"code": totp_code(device)})
    assert "Too many wrong codes" in response.content.decode()
    # ... but not for days (django-otp alone would ask for 2**19 s): fifteen minutes at most.
    last_failure_ago(device, timedelta(minutes=15))
    response = client.post(VERIFY, {"code": totp_code(device), "next": "/en/coordinator/"})
    assert response.status_code == 302
    assert DEVICE_ID_SESSION_KEY in client.session


@pytest.mark.parametrize("model", [TOTPDevice, StaticDevice])
def test_a_lock_out_left_by_the_unbounded_wait_ends_after_fifteen_minutes(coordinator_a, model):
    add_backup_codes(coordinator_a, codes=("abcd2345",))
    device = model.objects.get(user=coordinator_a)
    model.objects.filter(pk=device.pk).update(throttling_failure_count=20)
    last_failure_ago(device, timedelta(minutes=15))
    code = totp_code(device) if model is TOTPDevice else "abcd2345"

    response = password_only_client(coordinator_a).post(VERIFY, {"code": code})

    assert response.status_code == 302


def test_repeated_wrong_codes_are_emailed_once_per_run_in_the_persons_language(
    coordinator_a, django_capture_on_commit_callbacks
):
    coordinator_a.preferred_language = "ja"
    coordinator_a.save(update_fields=["preferred_language"])
    device = coordinator_a.totpdevice_set.get()
    client = password_only_client(coordinator_a)

    enter_wrong_codes(client, device, 4, django_capture_on_commit_callbacks)
    assert not wrong_code_emails(coordinator_a)
    enter_wrong_codes(client, device, 16, django_capture_on_commit_callbacks)

    [message] = wrong_code_emails(coordinator_a)
    assert "コード" in message.subject
    assert "5回" in message.body
    assert "/ja/accounts/password/reset/" in message.body

    # The right code ends the run; the next run of wrong codes is told about again.
    last_failure_ago(device, timedelta(days=30))
    assert client.post(VERIFY, {"code": totp_code(device)}).status_code == 302
    enter_wrong_codes(password_only_client(coordinator_a), device, 5, django_capture_on_commit_callbacks)
    assert len(wrong_code_emails(coordinator_a)) == 2


def test_admin_clears_a_lock_out_and_it_is_audited(login_as, admin_user, coordinator_a):
    static = add_backup_codes(coordinator_a, codes=("abcd2345",))
    device = coordinator_a.totpdevice_set.get()
    for model, pk in ((TOTPDevice, device.pk), (StaticDevice, static.pk)):
        model.objects.filter(pk=pk).update(throttling_failure_count=9, throttling_failure_timestamp=timezone.now())

    response = login_as(admin_user).post(
        USERS, {"action": "clear_second_factor_lockout", "_selected_action": [coordinator_a.pk]}
    )

    assert response.status_code == 302
    device.refresh_from_db()
    static.refresh_from_db()
    assert (device.throttling_failure_count, static.throttling_failure_count) == (0, 0)
    entry = AuditEntry.objects.get(action="second_factor_lockout_cleared")
    assert entry.actor == admin_user
    assert entry.object_id == str(coordinator_a.pk)
    # The coordinator may use their code straight away.
    response = password_only_client(coordinator_a).post(VERIFY, {"code": totp_code(device)})
    assert response.status_code == 302


def test_admin_user_list_offers_clearing_a_lock_out(login_as, admin_user):
    response = login_as(admin_user).get(USERS)
    assert response.status_code == 200
    assert "clear_second_factor_lockout" in response.content.decode()


def test_only_an_administrator_may_clear_a_lock_out(coordinator_a, coordinator_b):
    with pytest.raises(services.AccountError):
        services.clear_second_factor_lockout(by=coordinator_b, user=coordinator_a)
    assert not AuditEntry.objects.filter(action="second_factor_lockout_cleared").exists()
