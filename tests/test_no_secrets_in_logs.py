"""No password, TOTP secret, one-time code or backup code reaches the logs.

A representative flow (sign up, confirm, sign in, a wrong password, set up an authenticator with a
wrong and a right code, sign in again with a code and with a backup code) runs while every logger
sends everything from DEBUG up to a handler that keeps the formatted text, tracebacks included."""

import base64
import logging
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import sign_in
from tests.factories import PASSWORD, CoordinatorFactory, totp_code

pytestmark = pytest.mark.django_db

SIGNUP_PASSWORD = "marmalade sandwiches for tea 1987"
WRONG_PASSWORD = "not my password but close 1987"


class KeepEverything(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
        # Arguments that a formatter ignored would still be in a structured log: search them too.
        self.lines.append(repr(record.args))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def captured_logs():
    """Every logger at DEBUG, except those settings.LOGGING pins on purpose (their level is part of
    what is being tested) and factory_boy's, which only runs in tests and logs the test password."""
    handler = KeepEverything()
    root = logging.getLogger()
    pinned = set(settings.LOGGING.get("loggers", {}))
    loggers = [root] + [logger for logger in root.manager.loggerDict.values() if isinstance(logger, logging.Logger)]
    saved = [(logger, logger.level, logger.disabled) for logger in loggers]
    for logger in loggers:
        logger.disabled = False
        if logger.name in pinned:
            continue
        logger.setLevel(logging.WARNING if logger.name.startswith("factory") else logging.DEBUG)
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)
    for logger, level, disabled in saved:
        logger.setLevel(level)
        logger.disabled = disabled


def _link(pattern: str) -> str:
    return re.search(pattern, mail.outbox[-1].body).group(1)


def test_passwords_totp_secrets_and_codes_never_reach_the_logs(
    captured_logs, area_a, django_capture_on_commit_callbacks
):
    secrets = {SIGNUP_PASSWORD, WRONG_PASSWORD, PASSWORD}

    # A cook signs up, confirms the address, signs in, and mistypes the password once.
    visitor = Client()
    with django_capture_on_commit_callbacks(execute=True):
        visitor.post(
            "/en/accounts/signup/",
            {
                "full_name": "Lou Logs",
                "email": "lou@example.org",
                "password1": SIGNUP_PASSWORD,
                "password2": SIGNUP_PASSWORD,
                "roles": ["cook"],
            },
        )
    confirm = _link(r"https?://testserver(/\S*/accounts/confirm-email/[^/\s]+/)")
    visitor.post(confirm)
    sign_in(Client(), "lou@example.org", WRONG_PASSWORD)
    assert sign_in(visitor, "lou@example.org", SIGNUP_PASSWORD).status_code == 302

    # A new coordinator sets up an authenticator: a wrong code first, then the right one.
    coordinator = CoordinatorFactory(email="coord-logs@example.org", areas=[area_a])
    client = Client()
    sign_in(client, coordinator.email, PASSWORD)
    client.get("/en/account/two-factor/set-up/")
    device = TOTPDevice.objects.get(user=coordinator)
    secrets |= {device.key, base64.b32encode(device.bin_key).decode().rstrip("=")}
    wrong_code = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    client.post("/en/account/two-factor/set-up/", {"code": wrong_code})
    device.refresh_from_db()
    device.throttle_reset()
    code = totp_code(device)
    secrets.add(code)
    client.post("/en/account/two-factor/set-up/", {"code": code})
    backup_codes = client.get("/en/account/two-factor/backup-codes/").context["codes"]
    secrets |= set(backup_codes)

    # Next day: a code from the app, and on another device a backup code.
    later = Client()
    sign_in(later, coordinator.email, PASSWORD)
    next_code = totp_code(device, drift=1)
    secrets.add(next_code)
    assert later.post("/en/account/two-factor/", {"code": next_code}).status_code == 302
    other = Client()
    sign_in(other, coordinator.email, PASSWORD)
    assert other.post("/en/account/two-factor/", {"code": backup_codes[0]}).status_code == 302

    assert captured_logs.lines, "the flow logged nothing: is the handler attached?"
    log_text = captured_logs.text
    leaked = sorted(secret for secret in secrets if secret in log_text)
    assert leaked == [], f"secrets found in the logs: {leaked}"
    # The six-digit codes are short: make sure none appears as a word either.
    assert not any(re.search(rf"\b{c}\b", log_text) for c in (wrong_code, code, next_code))


def test_health_allergy_and_address_details_never_reach_the_logs(
    captured_logs, referrer, coordinator_a, area_a, settings, django_capture_on_commit_callbacks, monkeypatch
):
    """A request for meals (geocoder down, so its failure is logged), triage, the record, a proxy's
    edit of the diet page with a bad answer, and a Stripe webhook with a bad signature."""
    import requests

    from meals.referrals import services
    from tests.conftest import verified_client
    from tests.meals.conftest import ANSWERS, submit
    from tests.onboarding import cover_e8

    cover_e8(area_a)
    settings.GEOCODER = "uk_postcodes"

    def down(*args, **kwargs):
        raise requests.ConnectionError("service down")

    monkeypatch.setattr(requests, "get", down)
    private = {
        "Kiwi fruit and strawberries",
        ANSWERS["access_notes"],
        ANSWERS["address_line1"],
        ANSWERS["dietary_needs"],
        "2071234567",  # the diner's phone (ANSWERS), in any format
    }
    with django_capture_on_commit_callbacks(execute=True):
        referral = submit(by=referrer, allergy_notes="Kiwi fruit and strawberries")
        services.accept_referral(
            by=coordinator_a, referral=referral, scopes={"can_view_schedule": True, "can_edit_details": True}
        )
        verified_client(coordinator_a).get(f"/en/coordinator/diners/{referral.diner_id}/")
        proxy = verified_client(referrer)
        proxy.post(f"/en/diners/{referral.diner_id}/edit/diet/", {"allergy_notes": "x" * 5000, "allergens": ["nope"]})
        proxy.post(
            f"/en/diners/{referral.diner_id}/edit/diet/",
            {"allergy_notes": "Kiwi fruit and strawberries", "dietary_needs": ANSWERS["dietary_needs"]},
        )
        Client().post("/stripe/webhook/", data=b'{"id": "evt_1"}', content_type="application/json")

    assert captured_logs.lines, "the flow should have logged something (the geocoder failure at least)"
    leaked = sorted(value for value in private if value in captured_logs.text)
    assert leaked == []
