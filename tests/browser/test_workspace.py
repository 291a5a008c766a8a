"""The coordinator's workspace in a real browser (issue 14), in both languages: a coordinator signs in
with their password and an authenticator code, works one item of every queue on their home page from
its link (deciding it where the decision is theirs; where it waits on someone else — a certificate
only the cook can renew, a visit only the cook can record, a diner only a cook can offer to — finding
who to phone), opens the impact page and downloads both CSV files. The coordinator of another area
sees none of it: every queue empty, and no row of the first area's matches in their CSV. Every page of
ours on the way is audited (axe + the extra checks).

English runs in area A (UK) and Japanese in area B (Japan), each with one item in every queue
(tests/meals/workspace/conftest.py's fill_queues)."""

import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.onboarding.models import IdentityCheck
from meals.callbacks.models import CallbackRequest
from meals.diners.models import Diner
from meals.matching.models import Match
from meals.referrals.models import Referral
from meals.relationships.models import Concern, Feedback, LonelinessMeasure, Visit
from meals.schedule import rollup
from meals.schedule.models import Meal
from tests.browser.checks import audit as audit_page
from tests.browser.support import click, fill_date, submit_form, submit_main_form, t, url_path
from tests.factories import E8_CENTRE, PASSWORD, DinerFactory, MatchFactory, UserFactory, totp_code
from tests.meals.workspace.conftest import fill_queues

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 1280
# Every queue of the home page, by the id of its line.
QUEUES = (
    "identity-waiting",
    "cooks-ready",
    "certificates-expiring",
    "cooks-to-place",
    "referrals-waiting",
    "waiting-list",
    "diners-to-place",
    "callbacks-waiting",
    "loneliness-due",
    "offers-waiting",
    "introductions-waiting",
    "different-cook",
    "feedback-by-phone",
    "meals-unconfirmed",
    "meals-uncovered",
    "visits-overdue",
    "concerns-open",
    "failed-emails",
)
DECLINE_REASON = {"en": "Finish the food-safety course first.", "ja": "先に食品衛生の講座を終えてください。"}
LOCATION = {"en": ("51.5440", "-0.0570", "Dalston"), "ja": ("35.6430", "139.6680", "世田谷")}


def audit(page, lang, console, **checks):
    audit_page(page, lang=lang, console=console, **checks)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")


def _count(page, queue: str) -> int:
    """The queue's count, as its line says it (and, for the test, in its data-count)."""
    line = page.locator(f"#{queue}")
    count = line.get_attribute("data-count")
    assert count in line.inner_text(), (queue, line.inner_text())
    return int(count)


def _home(page, base: str, lang: str) -> None:
    page.goto(f"{base}/{lang}/coordinator/")
    assert url_path(page) == f"/{lang}/coordinator/", page.url


def _follow(page, queue: str, href: str | None = None) -> None:
    """Click the queue's link on the home page (the first one, or the one to `href`)."""
    selector = f'#{queue} a[href="{href}"]' if href else f"#{queue} a"
    click(page, selector)


def _sign_in_with_two_factor(page, base: str, lang: str, user) -> None:
    page.goto(f"{base}/{lang}/accounts/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    submit_form(page, "#id_login")
    assert url_path(page) == f"/{lang}/account/two-factor/", "a coordinator is asked for the second factor"
    page.fill("#id_code", totp_code(user.totpdevice_set.get(confirmed=True)))
    submit_form(page, "#id_code")
    assert url_path(page) == f"/{lang}/coordinator/", page.url


def _press(page, field: str, value: str) -> None:
    """Press the submit button of the form (in <main>) whose hidden `field` is `value`."""
    click(page, f'main form:has(input[type="hidden"][name="{field}"][value="{value}"]) button[type=submit]')


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_coordinator_works_every_queue_then_reads_and_downloads_the_impact(
    request, open_page, live_server, course, lang
):
    area = request.getfixturevalue("area_a" if lang == "en" else "area_b")
    coordinator = request.getfixturevalue("coordinator_a" if lang == "en" else "coordinator_b")
    other_coordinator = request.getfixturevalue("coordinator_b" if lang == "en" else "coordinator_a")
    first = fill_queues(area, course, 1)
    match, matched = first["match"], first["matched"]
    base = live_server.url

    page, console = open_page(lang=lang, width=WIDTH)
    _sign_in_with_two_factor(page, base, lang, coordinator)
    assert all(_count(page, queue) >= 1 for queue in QUEUES), {queue: _count(page, queue) for queue in QUEUES}
    audit(page, lang, console)

    # Identity: the check, approved.
    check = first["identity"]
    _follow(page, "identity-waiting")
    click(page, f'main a[href="/{lang}/coordinator/cooks/{check.cook_id}/identity/{check.pk}/"]')
    audit(page, lang, console)
    _press(page, "decision", "approve")
    assert IdentityCheck.objects.get(pk=check.pk).status == IdentityCheck.Status.APPROVED
    _home(page, base, lang)
    assert _count(page, "identity-waiting") == 0

    # A cook ready for approval, approved.
    _follow(page, "cooks-ready")
    audit(page, lang, console)
    ready = page.locator("main table tbody a").first
    ready_path = ready.get_attribute("href")
    click(page, f'main table tbody a[href="{ready_path}"]')
    click(page, f'main form[action="{ready_path}approve/"] button')
    assert url_path(page) == ready_path
    audit(page, lang, console)
    _home(page, base, lang)
    assert _count(page, "cooks-ready") == 0

    # A certificate running out: only the cook can renew it; the coordinator finds them to phone.
    _follow(page, "certificates-expiring")
    assert url_path(page) == f"/{lang}/coordinator/training/"
    expiring_row = page.locator("main table tbody tr", has_text=t(lang, "Expiring soon"))
    assert expiring_row.count() == 1
    audit(page, lang, console)
    _home(page, base, lang)

    # A cook the postcode could not place, placed by hand.
    _follow(page, "cooks-to-place")
    unplaced_path = page.locator("main table tbody a").first.get_attribute("href")
    page.goto(f"{base}{unplaced_path}location/")
    latitude, longitude, neighbourhood = LOCATION[lang]
    page.fill("#id_latitude", latitude)
    page.fill("#id_longitude", longitude)
    page.fill("#id_neighbourhood", neighbourhood)
    audit(page, lang, console)
    submit_form(page, "#id_neighbourhood")
    assert url_path(page) == unplaced_path
    _home(page, base, lang)
    assert _count(page, "cooks-to-place") == 0

    # A new request for meals, accepted on the phone.
    referral = Referral.objects.get(diner=first["unplaced"])
    _follow(page, "referrals-waiting")
    click(page, f'main a[href="/{lang}/coordinator/referrals/{referral.pk}/"]')
    page.check('input[name="accept-channel"][value="phone"]')
    audit(page, lang, console)
    _press(page, "decision", "accept")
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.ACCEPTED
    _home(page, base, lang)
    assert _count(page, "referrals-waiting") == 0

    # The waiting list: a cook's offer is what takes a diner off it; the coordinator opens the diner.
    _follow(page, "waiting-list")
    audit(page, lang, console)
    click(page, f'main a[href="/{lang}/coordinator/diners/{first["waiting"].pk}/"]')
    assert first["waiting"].full_name in page.inner_text("h1")
    _home(page, base, lang)

    # A diner the postcode could not place, placed.
    _follow(page, "diners-to-place")
    assert url_path(page) == f"/{lang}/coordinator/diners/{first['unplaced'].pk}/location/"
    page.fill("#id_latitude", latitude)
    page.fill("#id_longitude", longitude)
    page.fill("#id_neighbourhood", neighbourhood)
    submit_form(page, "#id_neighbourhood")
    _home(page, base, lang)
    assert _count(page, "diners-to-place") == 0

    # A call-back: phoned, and what happened saved.
    callback = CallbackRequest.objects.get(area=area)
    click(page, f'main li:has(#callbacks-waiting) a[href="/{lang}/coordinator/call-backs/"]')
    click(page, f'main a[href="/{lang}/coordinator/call-backs/{callback.pk}/"]')
    page.check('input[name="outcome"][value="not_needed"]')
    page.fill("#id_note", {"en": "Her son now cooks for her.", "ja": "息子さんが料理をしています。"}[lang])
    audit(page, lang, console)
    submit_form(page, "#id_note")
    _home(page, base, lang)
    assert _count(page, "callbacks-waiting") == 0

    # The loneliness questions, asked on the phone.
    _follow(page, "loneliness-due")
    for name in ("companionship", "left_out", "isolated"):
        page.locator(f'input[name="answers-{name}"]').first.check()
    page.locator('input[name="answers-lonely"]').first.check()
    page.check('input[name="answers-channel"][value="phone"]')
    audit(page, lang, console)
    _press(page, "action", "answers")
    assert LonelinessMeasure.objects.filter(diner=matched).count() == 1
    _home(page, base, lang)
    assert _count(page, "loneliness-due") == 0

    # A cook's offer: the page says the cook is not active (no certificate yet), so the coordinator
    # declines it with the reason; then an introduction, arranged for today and marked done.
    offered = Match.objects.get(diner__area=area, status=Match.Status.PROPOSED)
    _follow(page, "offers-waiting")
    click(page, f'main a[href="/{lang}/coordinator/matches/{offered.pk}/"]')
    audit(page, lang, console)
    page.fill(
        "#id_reason", {"en": "Finish the food-safety course first.", "ja": "先に食品衛生の講座を終えてください。"}[lang]
    )
    _press(page, "action", "decline")
    assert Match.objects.get(pk=offered.pk).status == Match.Status.DECLINED, page.inner_text("main")[:600]
    _home(page, base, lang)
    assert _count(page, "offers-waiting") == 0

    approved = Match.objects.filter(diner__area=area, status=Match.Status.APPROVED).order_by("pk").first()
    _follow(page, "introductions-waiting")
    click(page, f'main a[href="/{lang}/coordinator/matches/{approved.pk}/"]')
    click(page, f'main a[href="/{lang}/coordinator/matches/{approved.pk}/introduction/"]')
    today = timezone.now().astimezone(ZoneInfo(area.time_zone)).date()
    fill_date(page, "date", today)
    page.fill("#id_time", "00:05")
    page.check('input[name="method"][value="by_phone"]')
    audit(page, lang, console)
    submit_main_form(page)
    _press(page, "action", "introduced")
    assert Match.objects.get(pk=approved.pk).status == Match.Status.ACTIVE, page.inner_text("main")[:600]
    _home(page, base, lang)
    before = _count(page, "introductions-waiting")
    assert before == Match.objects.filter(diner__area=area, status=Match.Status.APPROVED).count()

    # The diner who asked for a different cook, phoned: their feedback now, taken on the phone, clears
    # the ask and is the feedback that was due by phone.
    _follow(page, "different-cook", f"/{lang}/coordinator/matches/{match.pk}/feedback/")
    page.check('input[name="enjoyed"][value="yes"]')
    page.check('input[name="friend"][value="yes"]')
    page.check('input[name="less_contact_without"][value="yes"]')
    page.check('input[name="channel"][value="phone"]')
    assert not page.is_checked('input[name="wants_different_cook"]')
    audit(page, lang, console)
    submit_form(page, 'input[name="channel"][value="phone"]')
    assert Feedback.objects.filter(match=match, side=Feedback.Side.DINER).count() == 2
    _home(page, base, lang)
    assert _count(page, "different-cook") == 0
    assert _count(page, "feedback-by-phone") == 0

    # A meal in the next hours nobody has confirmed: the diner says yes on the phone.
    unconfirmed = Meal.objects.get(match=match, status=Meal.Status.PROPOSED)
    _follow(page, "meals-unconfirmed", f"/{lang}/coordinator/meals/{unconfirmed.pk}/")
    page.check('input[name="decide-decision"][value="confirm"]')
    page.check('input[name="decide-channel"][value="phone"]')
    audit(page, lang, console)
    _press(page, "action", "decide")
    assert Meal.objects.get(pk=unconfirmed.pk).status == Meal.Status.CONFIRMED
    _home(page, base, lang)
    assert _count(page, "meals-unconfirmed") == 0

    # A meal its cook cannot make: the cook approved above lives near and covers it.
    uncovered = Meal.objects.get(match=match, status=Meal.Status.CANCELLED)
    _follow(page, "meals-uncovered", f"/{lang}/coordinator/meals/{uncovered.pk}/")
    audit(page, lang, console)
    click(page, '#cover button[name="cover-cook"]')
    assert Meal.objects.get(pk=uncovered.pk).covered_for_id == match.cook_id
    _home(page, base, lang)
    assert _count(page, "meals-uncovered") == 0

    # A visit the cook has not recorded: only the cook can; the meal page says who to phone.
    overdue = Meal.objects.filter(match=match, visit__isnull=True, starts_at__lt=timezone.now()).get()
    _follow(page, "visits-overdue", f"/{lang}/coordinator/meals/{overdue.pk}/")
    assert match.cook.full_name in page.inner_text("main")
    audit(page, lang, console)
    _home(page, base, lang)

    # A concern, closed with what was done.
    concern = Concern.objects.get(diner=matched)
    click(page, f'main li:has(#concerns-open) a[href="/{lang}/coordinator/concerns/"]')
    click(page, f'main a[href="/{lang}/coordinator/concerns/{concern.pk}/"]')
    page.fill("#id_close-notes", {"en": "Her GP has seen her.", "ja": "かかりつけ医が診察しました。"}[lang])
    audit(page, lang, console)
    _press(page, "action", "close")
    assert Concern.objects.get(pk=concern.pk).closed_at is not None
    _home(page, base, lang)
    assert _count(page, "concerns-open") == 0

    # An email that bounced: the home shows who it was to and what it said, to phone them with.
    assert first["email"].subject in page.inner_text("#failed-emails")

    # The impact page, and both CSV files. Five more matches have shared meals by now, so the rows per
    # match are shown (an area's rows are withheld below five: tests/meals/impact).
    _matches_with_shared_meals(area, 5)
    click(page, "#impact-link a")
    assert url_path(page) == f"/{lang}/coordinator/impact/"
    audit(page, lang, console)
    figures = _download(page, f"/{lang}/coordinator/impact/figures.csv")
    assert len(figures) > 1
    rows = _download(page, f"/{lang}/coordinator/impact/matches.csv")
    assert len(rows) - 1 == 6, rows
    assert not any(matched.full_name in " ".join(row) for row in rows), "no names in the per-match rows"

    # The other area's coordinator: every queue empty, and none of these matches in their CSV.
    other, other_console = open_page(lang=lang, width=390, user=other_coordinator)
    _home(other, base, lang)
    assert {queue: _count(other, queue) for queue in QUEUES} == dict.fromkeys(QUEUES, 0)
    assert first["email"].subject not in other.inner_text("main")
    audit(other, lang, other_console)
    other.goto(f"{base}/{lang}/coordinator/impact/")
    audit(other, lang, other_console)
    assert len(_download(other, f"/{lang}/coordinator/impact/matches.csv")) == 1, "the header only"
    other.goto(f"{base}/{lang}/coordinator/matches/{match.pk}/")
    assert other.locator("h1").inner_text().strip() == t(lang, "Page not found")


def _matches_with_shared_meals(area, count: int) -> None:
    now = timezone.now()
    for k in range(count):
        cook = UserFactory(full_name=f"Sharing Cook {k}", is_cook=True, home_area=area)
        diner = DinerFactory(area=area, full_name=f"Sharing Diner {k}", status=Diner.Status.ACTIVE, **E8_CENTRE)
        match = MatchFactory(diner=diner, cook=cook, status=Match.Status.ACTIVE, active_since=now - timedelta(days=60))
        starts_at = now - timedelta(days=7)
        meal = Meal.objects.create(
            match=match,
            cook=cook,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
            dish="Stew",
            status=Meal.Status.CONFIRMED,
        )
        Visit.objects.create(meal=meal, match=match, outcome=Visit.Outcome.DELIVERED, minutes_stayed=30)
        rollup.count_shared_meal(meal=meal, minutes=30)  # as meals.relationships.visits.record_visit


def _download(page, path: str) -> list[list[str]]:
    """Click the link to `path` (with the page's query) and read the CSV file it downloads."""
    link = page.locator(f'main a[href^="{path}"]')
    with page.expect_download() as download:
        link.click()
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        return list(csv.reader(io.StringIO(handle.read())))
