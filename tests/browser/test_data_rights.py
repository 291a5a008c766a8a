"""Closing and withdrawing (issue 17) in a real browser, in both languages: a cook downloads a copy of their
data from their account page, then closes their account — their match is handed to the coordinator, who
is emailed, and they are signed out for good; a cook who phones in has theirs closed by the coordinator;
a coordinator records on the phone that a diner withdraws
their consent to contact with the person who referred them (which ends that person's access at once),
records an erasure request and sees its due date and what holds it back, closes the diner's record with a
reason, and — with a frozen clock past the retention period — the retention job anonymises it. Every page
on the way is audited (axe + the extra checks).

English runs in area A (UK) and Japanese in area B (Japan): tests/browser/test_matching.py's world, cook
and diner."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.people.models import User
from casserole.models import AuditEntry
from casserole.retention import ERASED
from meals.diners.models import Diner, ProxyAccess
from meals.matching.models import Match
from meals.rights.models import ConsentWithdrawal, ErasureRequest
from meals.rights.retention_job import apply_retention
from tests.browser.checks import audit as audit_page
from tests.browser.support import banner, click, fill_date, submit_form, t, url_path
from tests.browser.test_matching import _cook, _diner, _world
from tests.meals.schedule.conftest import make_active_match

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COOK_WIDTH, COORDINATOR_WIDTH = 390, 1024
REASON = {"en": "Moving away to be near my son.", "ja": "息子の近くに引っ越すためです。"}
CLOSE_REASON = {"en": "Asked to stop: moving into a care home.", "ja": "施設に入居するため、終了を希望されました。"}


def audit(page, **checks):
    """tests.browser.checks.audit, then nothing left focused (the skip link would move the page)."""
    audit_page(page, **checks)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")


def _download(page, selector: str) -> dict:
    # Not support.click: a download is no navigation, so there is no page load to wait for.
    with page.expect_download() as info:
        page.locator(selector).click()
    return json.loads(Path(info.value.path()).read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_cook_closes_their_account_after_downloading_their_data(request, open_page, lang):
    world = _world(request, lang)
    diner = _diner(world)
    cook = _cook(world)
    match = make_active_match(cook, diner, since=timezone.now() - timedelta(days=30))

    # 1. From the account page: a copy of their data first.
    page, console = open_page(lang=lang, width=COOK_WIDTH, user=cook)
    page.goto(world.url("/account/"))
    audit(page, lang=lang, console=console)
    click(page, "#data-copy-link")
    assert url_path(page) == world.path("/my-data/")
    assert _download(page, "#download-copy")["kind"] == "cook"

    # 2. Then closing: the page says what happens and who is handed to the coordinator.
    page.goto(world.url("/account/"))
    click(page, "#close-account-link")
    assert url_path(page) == world.path("/my-account/close/")
    assert page.locator("h1").inner_text() == t(lang, "Close your account")
    assert diner.preferred_name in page.locator("#matches").inner_text()
    audit(page, lang=lang, console=console)

    # Without ticking the confirmation: the error summary, and the reason kept.
    page.fill("textarea[name=reason]", REASON[lang])
    submit_form(page, "textarea[name=reason]")
    assert page.title().startswith(t(lang, "Error:"))
    assert (
        t(lang, "Confirm that you understand you will not be able to sign in again")
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert page.locator("textarea[name=reason]").input_value() == REASON[lang]
    audit(page, lang=lang, console=console)

    page.check("input[name=confirm]")
    submit_form(page, "textarea[name=reason]")
    assert url_path(page) == world.path("/my-account/closed/")
    assert page.locator("h1").inner_text() == t(lang, "Your account is closed")
    audit(page, lang=lang, console=console)

    # Signed out for good; the match went to the coordinator, who was told.
    page.goto(world.url("/account/"))
    assert "/accounts/login/" in url_path(page)
    closed = User.objects.get(pk=cook.pk)
    assert closed.closed_at is not None and not closed.is_active
    match.refresh_from_db()
    assert (match.status, match.reason) == (Match.Status.ENDED, REASON[lang])
    told = [message for message in mail.outbox if world.coordinator.email in message.to]
    assert told and diner.preferred_name in told[-1].body and f"/coordinator/matches/{match.pk}/" in told[-1].body


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_coordinator_records_a_withdrawal_closes_the_record_and_the_job_anonymises_it(request, open_page, lang):
    world = _world(request, lang)
    diner = _diner(world)
    referrer_client = Client()
    referrer_client.force_login(world.referrer)
    assert referrer_client.get(f"/{lang}/diners/{diner.pk}/").status_code == 200

    page, console = open_page(lang=lang, width=COORDINATOR_WIDTH, user=world.coordinator)
    page.goto(world.url(f"/coordinator/diners/{diner.pk}/"))
    audit(page, lang=lang, console=console)

    # 1. The diner, on the phone, no longer wants the person who referred them involved.
    click(page, "#consents-link")
    assert url_path(page) == world.path(f"/coordinator/diners/{diner.pk}/consents/")
    audit(page, lang=lang, console=console)
    submit_form(page, "input[name='withdraw-purpose']")  # nothing chosen
    assert page.title().startswith(t(lang, "Error:"))
    audit(page, lang=lang, console=console)
    page.check("input[name='withdraw-purpose'][value=referrer_contact]")
    page.check("input[name='withdraw-channel'][value=phone]")
    submit_form(page, "input[name='withdraw-purpose']")
    assert t(lang, "Contact with the person who referred them").lower() in banner(page).lower()
    assert t(lang, "Phone") in page.locator("#withdrawals").inner_text()
    audit(page, lang=lang, console=console)
    withdrawal = ConsentWithdrawal.objects.get(diner=diner)
    assert (withdrawal.purpose, withdrawal.channel, withdrawal.withdrawn_by) == (
        "referrer_contact",
        "phone",
        world.coordinator,
    )
    assert ProxyAccess.objects.filter(diner=diner, revoked_at__isnull=True).count() == 0
    assert referrer_client.get(f"/{lang}/diners/{diner.pk}/").status_code == 404  # at once

    # 2. They also ask for their record to be erased: due in ERASURE_DUE_DAYS, held back while it is open.
    page.goto(world.url(f"/coordinator/diners/{diner.pk}/"))
    click(page, "#erasure-link")
    audit(page, lang=lang, console=console)
    fill_date(page, "received_on", timezone.localdate(), full_width=lang == "ja")
    page.check("input[name=channel][value=phone]")
    submit_form(page, "input[name=received_on_day]")
    erasure_request = ErasureRequest.objects.get(diner=diner)
    assert erasure_request.due_by - erasure_request.received_at == timedelta(days=settings.ERASURE_DUE_DAYS)
    assert page.locator("#exception-not_closed").is_visible()
    assert page.locator("form[action$='/carry-out/']").count() == 0
    audit(page, lang=lang, console=console)

    # 3. The record is closed, with why (and by whom: the audit log).
    page.goto(world.url(f"/coordinator/diners/{diner.pk}/"))
    click(page, f"a[href$='/coordinator/diners/{diner.pk}/status/close/']")
    audit(page, lang=lang, console=console)
    page.fill("textarea[name=reason]", CLOSE_REASON[lang])
    page.check("input[name=channel][value=phone]")
    submit_form(page, "textarea[name=reason]")
    diner.refresh_from_db()
    assert (diner.status, diner.status_reason) == (Diner.Status.CLOSED, CLOSE_REASON[lang])
    assert AuditEntry.objects.get(action="diner_closed", object_id=str(diner.pk)).actor == world.coordinator
    assert diner.full_name in page.locator("h1").inner_text()
    audit(page, lang=lang, console=console)

    # 4. The retention job, on a frozen clock: nothing before the period is over, the record anonymised after.
    now = timezone.now()
    apply_retention(now=now + timedelta(days=settings.RETENTION_DINER_DAYS - 1))
    assert Diner.objects.get(pk=diner.pk).full_name == diner.full_name
    apply_retention(now=now + timedelta(days=settings.RETENTION_DINER_DAYS + 1))
    erased = Diner.objects.get(pk=diner.pk)
    assert (erased.full_name, erased.phone, erased.access_notes) == (ERASED, "", "")

    page.goto(world.url(f"/coordinator/diners/{diner.pk}/"))
    main = page.locator("main").inner_text()
    assert t(lang, "[erased]") in page.locator("h1").inner_text()  # the placeholder, in the page's language
    assert diner.full_name not in main and diner.address_line1 not in main
    audit(page, lang=lang, console=console)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_coordinator_closes_a_cooks_account_when_the_cook_phones(request, open_page, lang):
    world = _world(request, lang)
    diner = _diner(world)
    cook = _cook(world)
    match = make_active_match(cook, diner, since=timezone.now() - timedelta(days=30))

    page, console = open_page(lang=lang, width=COORDINATOR_WIDTH, user=world.coordinator)
    page.goto(world.url(f"/coordinator/cooks/{cook.pk}/"))
    click(page, "#close-account-link")
    assert url_path(page) == world.path(f"/coordinator/cooks/{cook.pk}/close/")
    assert diner.preferred_name in page.locator("#matches").inner_text()
    audit(page, lang=lang, console=console)

    # Without ticking the confirmation: the error summary, and what was typed and chosen kept.
    page.check("input[name=channel][value=phone]")
    page.fill("textarea[name=reason]", REASON[lang])
    submit_form(page, "textarea[name=reason]")
    assert page.title().startswith(t(lang, "Error:"))
    assert page.locator("textarea[name=reason]").input_value() == REASON[lang]
    assert page.locator("input[name=channel][value=phone]").is_checked()
    audit(page, lang=lang, console=console)

    page.check("input[name=confirm]")
    submit_form(page, "textarea[name=reason]")
    assert url_path(page) == world.path(f"/coordinator/cooks/{cook.pk}/")
    assert page.locator("#account-closed").is_visible()
    assert page.locator("#close-account-link").count() == 0
    audit(page, lang=lang, console=console)

    closed = User.objects.get(pk=cook.pk)
    assert closed.closed_at is not None and not closed.is_active
    match.refresh_from_db()
    assert (match.status, match.reason) == (Match.Status.ENDED, REASON[lang])
    entry = AuditEntry.objects.get(action="account_closed", object_id=str(cook.pk))
    assert (entry.actor, entry.channel) == (world.coordinator, "phone")
