"""A copy of what we hold (issue 17) in a real browser, in both languages: a cook finds "Get a copy of the
information we hold about you" on their account page, reads the printable copy and downloads the same as a
JSON file; a coordinator, asked by phone, makes a copy of a diner's record from the diner's page — in the
diner's own language — and downloads it. Every page on the way is audited (axe + the extra checks).

English runs in area A (UK) and Japanese in area B (Japan): tests/browser/test_matching.py's world, cook
and diner."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from casserole import audit as audit_log
from casserole.models import AuditEntry
from meals.relationships import visits
from meals.relationships.models import Visit
from tests.browser.checks import audit as audit_page
from tests.browser.support import click, t, url_path
from tests.browser.test_matching import _cook, _diner, _world
from tests.meals.relationships.conftest import past_meal
from tests.meals.schedule.conftest import make_active_match

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COOK_WIDTH, COORDINATOR_WIDTH = 390, 1024


def audit(page, **checks):
    """tests.browser.checks.audit, then nothing left focused (the skip link would move the page)."""
    audit_page(page, **checks)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")


def _download(page, selector: str):
    # Not support.click: a download is no navigation, so there is no page load to wait for.
    with page.expect_download() as info:
        page.locator(selector).click()
    download = info.value
    return download.suggested_filename, json.loads(Path(download.path()).read_text(encoding="utf-8"))


def _section(copy: dict, key: str) -> dict:
    return next(section for section in copy["sections"] if section["key"] == key)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_cook_and_a_coordinator_get_a_copy_of_what_we_hold(request, open_page, lang):
    world = _world(request, lang)
    diner = _diner(world)
    cook = _cook(world)
    match = make_active_match(cook, diner, since=timezone.now() - timedelta(days=30))
    meal = past_meal(match, 24)
    visits.record_visit(
        cook=cook,
        meal=meal,
        outcome=Visit.Outcome.DELIVERED,
        minutes=30,
        wellbeing={},
        notes={},
        note="",
        now=meal.ends_at,
    )

    # 1. The cook, on a phone: from their account page to the printable copy, then the file.
    page, console = open_page(lang=lang, width=COOK_WIDTH, user=cook)
    page.goto(world.url("/account/"))
    audit(page, lang=lang, console=console)
    click(page, "#data-copy-link")
    assert url_path(page) == world.path("/my-data/")
    assert page.locator("h1").inner_text() == t(lang, "A copy of your information")
    assert page.locator("#section-meals").is_visible()
    assert meal.dish in page.locator("main").inner_text()
    audit(page, lang=lang, console=console)
    filename, copy = _download(page, "#download-copy")
    assert filename.startswith("casserole-my-information-") and filename.endswith(".json")
    assert copy["kind"] == "cook" and copy["language"] == lang
    assert _section(copy, "account")["records"][0]["email"] == cook.email
    assert len(_section(copy, "visits")["records"]) == 1
    assert diner.full_name not in json.dumps(copy, ensure_ascii=False)
    assert AuditEntry.objects.filter(action=audit_log.Action.DATA_COPY_DOWNLOADED, actor=cook).count() == 2

    # 2. The coordinator, asked by phone: from the diner's record to a copy in the diner's language.
    page, console = open_page(lang=lang, width=COORDINATOR_WIDTH, user=world.coordinator)
    page.goto(world.url(f"/coordinator/diners/{diner.pk}/"))
    audit(page, lang=lang, console=console)
    click(page, "#data-copy-link")
    their = diner.preferred_language
    assert url_path(page) == f"/{their}/coordinator/diners/{diner.pk}/data-copy/"
    audit(page, lang=their, console=console)
    assert diner.full_name in page.locator("section[aria-labelledby=section-details]").inner_text()
    assert cook.full_name not in page.locator("main").inner_text()
    filename, copy = _download(page, "#download-copy")
    assert filename.startswith(f"casserole-diner-{diner.pk}-")
    assert copy["kind"] == "diner" and copy["language"] == their
    assert len(_section(copy, "visits")["records"]) == 1
    trail = _section(copy, "audit")["records"]
    assert trail[-1]["what"] == t(their, "Copy of the information we hold made for them")
    assert trail[-1]["who"] == t(their, "A coordinator")
    made = AuditEntry.objects.filter(action=audit_log.Action.DATA_COPY_PRODUCED, actor=world.coordinator)
    assert sorted(made.values_list("detail__file", flat=True)) == ["html", "json"]

    # 3. The same copy in the other language is one link away.
    other = "ja" if their == "en" else "en"
    click(page, "#copy-actions a[hreflang]")
    assert url_path(page) == f"/{other}/coordinator/diners/{diner.pk}/data-copy/"
    audit(page, lang=other, console=console)
