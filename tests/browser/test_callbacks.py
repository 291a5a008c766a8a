"""Asking to be phoned about meals, with no account, in a real browser and in both languages: from the
home page, the form with one mistake first (the error summary, everything typed kept), the honest
confirmation; then the area's coordinator finds the call-back from their home page, opens it and
records what happened. Every page on the way is audited (axe + the extra checks, and at 320px on a
phone).

English runs in area A (UK, E8): a neighbour asks for someone else. Japanese runs in area B (Japan,
154): the person asks for themselves, typing full-width digits."""

import re

import pytest
from django.utils import translation

from casserole.names import addressed
from casserole.phones import phone_for_display
from meals.callbacks.models import CallbackRequest
from tests.browser.checks import audit, error_summary_problems
from tests.browser.support import banner, click, make_world, submit_main_form, summary_links, t, url_path

PEOPLE = {
    "en": {
        "for_whom": "someone_else",
        "diner_name": "Edith O’Brien",
        "name": "Nina Neighbour",
        "phone": "020 7123 4567",
        "phone_e164": "+442071234567",
        "postcode": "e81dy",
        "postcode_shown": "E8 1DY",
        "address": "12 Mare Street, London",
        "best_time": "mornings",
        "best_time_note": "Not on Tuesdays",
        "mistake": ("phone", "12345", "#id_phone"),
        "note": "Her son cooks for her now.",
    },
    "ja": {
        "for_whom": "self",
        "diner_name": "",
        "name": "鈴木 トメ",
        "phone": "０３ー３４１２ー３４５６",
        "phone_e164": "+81334123456",
        "postcode": "１５４ー０００４",
        "postcode_shown": "154-0004",
        "address": "",
        "best_time": "afternoons",
        "best_time_note": "",
        "mistake": ("postcode", "15400", "#id_postcode"),
        "note": "息子さんが作っているそうです。",
    },
}
TEXT_FIELDS = ("name", "phone", "postcode", "address", "best_time_note")


def _audit(page, *, lang: str, console, **options):
    """audit(), and on a phone also at 320px wide (then back to the phone's width for what follows)."""
    size = page.viewport_size
    try:
        audit(page, lang=lang, console=console, also_width=320 if size["width"] == 390 else None, **options)
    finally:
        page.set_viewport_size(size)


def _ngettext(lang: str, singular: str, plural: str, count: int, **values) -> str:
    with translation.override(lang):
        return translation.ngettext(singular, plural, count) % {**values, "days": count}


@pytest.mark.parametrize(("lang", "asker_width", "coordinator_width"), [("en", 1280, 390), ("ja", 390, 1280)])
def test_someone_without_an_account_asks_to_be_phoned_and_the_coordinator_records_the_call(
    request, open_page, settings, lang, asker_width, coordinator_width
):
    # A person takes seconds between opening the form and sending it; a browser driven by a test can
    # take less, so the time check is off here (tests/meals/callbacks checks it).
    settings.CALLBACK_MIN_SECONDS = 0
    settings.CALLBACK_WORKING_DAYS = 2
    person = PEOPLE[lang]
    world = make_world(request, lang, person)
    page, console = open_page(lang=lang, width=asker_width)

    # The home page offers both ways to ask.
    page.goto(world.url("/"))
    assert page.locator(f'main a[href="{world.path("/accounts/signup/")}?as=referrer"]').count() == 1
    _audit(page, lang=lang, console=console)
    click(page, f'main a[href="{world.path("/call-me/")}"]')
    assert url_path(page) == world.path("/call-me/")
    _audit(page, lang=lang, console=console)

    # Who needs meals; for someone else, their name and that they agree.
    page.check(f'input[name="for_whom"][value="{person["for_whom"]}"]')
    if person["for_whom"] == "someone_else":
        page.fill("#id_diner_name", person["diner_name"])
        page.check("#id_diner_agrees")
    mistake_field, mistake_value, mistake_anchor = person["mistake"]
    for name in TEXT_FIELDS:
        page.fill(f"#id_{name}", mistake_value if name == mistake_field else person[name])
    page.check(f'input[name="best_time"][value="{person["best_time"]}"]')
    page.check("#id_consent")
    assert page.input_value("#id_website") == "", "a person never fills the honeypot"
    submit_main_form(page)

    # One mistake: the error summary, and everything typed is kept.
    assert url_path(page) == world.path("/call-me/")
    problems = error_summary_problems(page, lang)
    assert summary_links(page) == {mistake_anchor}
    for name in TEXT_FIELDS:
        assert page.input_value(f"#id_{name}") == (mistake_value if name == mistake_field else person[name])
    assert page.is_checked(f'input[name="for_whom"][value="{person["for_whom"]}"]')
    assert page.is_checked(f'input[name="best_time"][value="{person["best_time"]}"]')
    assert page.is_checked("#id_consent")
    if person["diner_name"]:
        assert page.input_value("#id_diner_name") == person["diner_name"] and page.is_checked("#id_diner_agrees")
    _audit(page, lang=lang, console=console, from_page_start=False, extra=problems)
    page.fill(f"#id_{mistake_field}", person[mistake_field])
    submit_main_form(page)

    # The confirmation: who will phone, and when.
    assert url_path(page) == world.path("/call-me/sent/")
    callback = CallbackRequest.objects.get()
    assert (callback.phone, callback.postcode, callback.for_whom, callback.language) == (
        person["phone_e164"],
        person["postcode_shown"],
        person["for_whom"],
        lang,
    )
    area = callback.area
    assert world.coordinator.coordinator_memberships.filter(area=area).exists()
    assert page.locator("h1").inner_text().strip() == t(lang, "We will phone you")
    promise = _ngettext(
        lang,
        "A coordinator from the Casserole club for %(area)s will phone you within %(days)s working day, at the "
        "time you chose if they can.",
        "A coordinator from the Casserole club for %(area)s will phone you within %(days)s working days, at the "
        "time you chose if they can.",
        2,
        area=area.display_name(lang),
    )
    assert page.locator("#next-call").inner_text().strip() == promise
    assert area.help_phone in page.locator("main").inner_text()
    _audit(page, lang=lang, console=console)

    # The coordinator: the home page counts it, the queue lists it, the call-back page records the call.
    other, other_console = open_page(lang=lang, width=coordinator_width, user=world.coordinator)
    other.goto(world.url("/coordinator/"))
    # "1 waiting for a call" / 「電話待ち：1人」: the count, in the order each language puts it.
    assert re.search(r"(^|\D)1(\D|$)", other.locator("#callbacks-waiting").inner_text())
    click(other, f'main a[href="{world.path("/coordinator/call-backs/")}"]')
    assert other.locator("#waiting-count").inner_text().strip() == "1"
    row = other.locator("main table tbody tr").first.inner_text()
    assert person["name"] in row and phone_for_display(person["phone_e164"]) in row
    assert person["postcode_shown"] in row
    _audit(other, lang=lang, console=other_console)
    click(other, f'main a[href="{world.path(f"/coordinator/call-backs/{callback.pk}/")}"]')
    assert person["name"] in other.locator("h1").inner_text()
    _audit(other, lang=lang, console=other_console)
    other.check('input[name="outcome"][value="not_needed"]')
    other.fill("#id_note", person["note"])
    submit_main_form(other)
    assert url_path(other) == world.path("/coordinator/call-backs/")
    called = addressed(person["name"], language=lang)
    assert t(lang, "You recorded the call with %(name)s.", name=called) in banner(other)
    assert other.locator("#waiting-count").inner_text().strip() == "0"
    _audit(other, lang=lang, console=other_console)
    callback.refresh_from_db()
    assert (callback.outcome, callback.note, callback.handled_by) == ("not_needed", person["note"], world.coordinator)


@pytest.mark.parametrize(("lang", "width"), [("en", 390), ("ja", 1280)])
def test_outside_every_area_nothing_is_kept_and_past_the_rate_limit_the_page_says_so(
    request, open_page, settings, lang, width
):
    settings.CALLBACK_MIN_SECONDS = 1
    person = PEOPLE[lang]
    world = make_world(request, lang, person)
    page, console = open_page(lang=lang, width=width)

    # A postcode no club covers: the page says so and that nothing was kept.
    page.goto(world.url("/call-me/"))
    outside = "SW1A 1AA" if lang == "en" else "060-0001"
    page.check('input[name="for_whom"][value="self"]')
    for name in TEXT_FIELDS:
        page.fill(f"#id_{name}", outside if name == "postcode" else person[name])
    page.check(f'input[name="best_time"][value="{person["best_time"]}"]')
    page.check("#id_consent")
    page.wait_for_timeout(1000)  # as long as a person would take at least
    submit_main_form(page)
    assert url_path(page) == world.path("/call-me/no-club/")
    main = page.locator("main").inner_text()
    assert t(lang, "We have not kept any of the details you gave us.") in main
    # The help line of the visitor's country: the UK's, or on Japanese pages the Japanese club's (issue 19).
    help_phone = settings.HELP_PHONE if lang == "en" else request.getfixturevalue("area_b").help_phone
    assert outside in main and help_phone in main
    assert not CallbackRequest.objects.exists()
    _audit(page, lang=lang, console=console)

    # Past the rate limit (none left for this address): the message on the page, everything typed kept.
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "callback_request": "0/h/ip"}
    click(page, f'main a[href="{world.path("/call-me/")}"]')
    page.check('input[name="for_whom"][value="self"]')
    for name in TEXT_FIELDS:
        page.fill(f"#id_{name}", person[name])
    page.check(f'input[name="best_time"][value="{person["best_time"]}"]')
    page.check("#id_consent")
    console.expected_failures.add(page.url)  # the page itself answers 429
    submit_main_form(page)
    assert url_path(page) == world.path("/call-me/")
    assert t(lang, "There is a problem") in page.locator(".govuk-error-summary").inner_text()
    assert page.locator("#form-non-field-errors").inner_text().strip() != ""
    assert page.input_value("#id_name") == person["name"] and page.input_value("#id_phone") == person["phone"]
    assert not CallbackRequest.objects.exists()
    _audit(page, lang=lang, console=console, from_page_start=False)
