"""A coordinator's first sign-in forces two-factor set-up (authenticator code → backup codes →
coordinator home); later sign-ins ask for a code. Driven in a real browser, every page audited."""

import base64
import re
import time

import pytest
from django.conf import settings
from django.core import mail
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.people.services import invite_coordinator
from tests.browser.checks import audit, error_summary_problems
from tests.browser.support import submit_form, url_path
from tests.factories import PASSWORD, CoordinatorFactory, totp_code


def _sign_in(page, base: str, lang: str, email: str):
    page.goto(f"{base}/{lang}/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    submit_form(page, "#id_login")


def _sign_out(page, lang: str):
    with page.expect_navigation():
        page.click('.govuk-service-navigation form[action$="/accounts/logout/"] button')
    assert url_path(page) == f"/{lang}/", page.url
    assert "casserole-signed-in" not in page.content()


def _key_shown(page) -> bytes:
    """The key an authenticator app gets when the person types in what the page shows."""
    secret = re.sub(r"\s+", "", page.inner_text("main code"))
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def _enrol(page, console, *, lang: str, user):
    """On the set-up page: type the code from the shown key, see the backup codes, continue."""
    assert url_path(page) == f"/{lang}/account/two-factor/set-up/", page.url
    audit(page, lang=lang, console=console)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    key = _key_shown(page)
    assert key == device.bin_key, "the key on the page is not the device's key"
    page.fill("#id_code", f"{TOTP(key, step=device.step, t0=device.t0, digits=device.digits).token():06d}")
    submit_form(page, "#id_code")

    assert url_path(page) == f"/{lang}/account/two-factor/backup-codes/", page.url
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(codes) == settings.TWO_FACTOR_BACKUP_CODES
    shown = page.inner_text("main")
    assert all(code in shown for code in codes), "every backup code is shown once, now"
    audit(page, lang=lang, console=console)

    with page.expect_navigation():
        page.click(f'main a[href="/{lang}/coordinator/"]')
    assert url_path(page) == f"/{lang}/coordinator/", page.url
    audit(page, lang=lang, console=console)
    return codes


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_coordinator_sets_up_two_factor_then_signs_in_with_a_code(live_server, open_page, area_a, lang):
    user = CoordinatorFactory(full_name="Dora Coordinator", email="dora@example.org", areas=[area_a])
    page, console = open_page(lang=lang, width=1280 if lang == "en" else 390)

    _sign_in(page, live_server.url, lang, user.email)
    assert url_path(page) == f"/{lang}/account/two-factor/set-up/", "a coordinator without a device must set one up"
    page.goto(f"{live_server.url}/{lang}/coordinator/")
    assert url_path(page) == f"/{lang}/account/two-factor/set-up/", "nothing else is reachable before set-up"
    codes = _enrol(page, console, lang=lang, user=user)

    _sign_out(page, lang)
    _sign_in(page, live_server.url, lang, user.email)
    assert url_path(page) == f"/{lang}/account/two-factor/", page.url
    audit(page, lang=lang, console=console)

    if lang == "en":
        # A wrong backup code first: the error summary takes focus and links to the backup-code box.
        page.click("summary.govuk-details__summary")
        page.fill("#backup-code", "wrong123")
        submit_form(page, "#backup-code")
        assert url_path(page) == f"/{lang}/account/two-factor/", page.url
        audit(page, lang=lang, console=console, from_page_start=False, extra=error_summary_problems(page, lang))
        time.sleep(1.2)  # django-otp refuses any code for 1 s after a wrong one (OTP_STATIC_THROTTLE_FACTOR)
        page.fill("#backup-code", codes[0])
        submit_form(page, "#backup-code")
        assert not StaticToken.objects.filter(token=codes[0]).exists(), "a backup code works only once"
    else:
        # The app's next code: the one used at set-up cannot be used again.
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        page.fill("#id_code", totp_code(device, drift=1))
        submit_form(page, "#id_code")

    assert url_path(page) == f"/{lang}/coordinator/", page.url
    assert "Dora Coordinator" in page.inner_text("body")
    audit(page, lang=lang, console=console)


def test_invited_coordinator_accepts_and_sets_up_two_factor_in_japanese(live_server, open_page, coordinator_a, area_a):
    mail.outbox.clear()
    invite_coordinator(by=coordinator_a, area=area_a, email="kenji@example.jp", full_name="佐藤 健二")
    token = re.search(r"/account/invitation/([A-Za-z0-9_-]+)/", mail.outbox[-1].body).group(1)
    page, console = open_page(lang="ja", width=390)

    page.goto(f"{live_server.url}/ja/account/invitation/{token}/")
    assert page.input_value("#id_full_name") == "佐藤 健二"
    page.fill("#id_name_reading", "サトウ ケンジ")
    page.fill("#id_password", PASSWORD)
    submit_form(page, "#id_password")

    from accounts.people.models import User

    user = User.objects.get(email="kenji@example.jp")
    assert user.is_coordinator and user.name_reading == "サトウ ケンジ"
    _enrol(page, console, lang="ja", user=user)
    assert "Area A" in page.inner_text("main")
