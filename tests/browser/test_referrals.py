"""Diner referrals in a real browser, in both languages: a referrer asks for meals through every
question page and a coordinator accepts; a coordinator records a request taken by phone for a diner
with no email or account, and prints their card; a referrer acting for a diner does what their scope
allows, is refused the rest and loses access when it is revoked; a postcode outside every area, then a
diner without an account asking for themselves; a coordinator's question answered by changing the
request. Every page of ours on the way is audited (axe + the extra checks, and at 320px on a phone).

A tab is one language and width, so the referrer and the coordinator use different widths. English
runs in area A (UK, E8) with its coordinator and the referrer persona; Japanese in area B (Japan, 154)
with its own coordinator and a Japanese referrer, who types a Japanese address, phone and postcode."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from casserole.names import addressed
from casserole.phones import phone_for_display
from meals.diners.models import ProxyAccess
from meals.referrals import services
from meals.referrals.models import AreaWaitlistEntry, Referral
from tests.browser.checks import audit, error_summary_problems
from tests.browser.support import (
    World,
    banner,
    click,
    fill_date,
    make_world,
    submit_main_form,
    summary_links,
    t,
    url_path,
)
from tests.meals.conftest import ANSWERS

AGREED_ON = timezone.localdate() - timedelta(days=3)
TOMORROW = timezone.localdate() + timedelta(days=2)

DINERS = {
    "en": {
        "full_name": "Edith O’Brien",
        "name_reading": "",
        "preferred_name": "Edie",
        "country": "GB",
        "address_line1": "12 Mare Street",
        "address_line2": "Flat 3",
        "town": "London",
        "postcode": "e81dy",  # typed in lower case without the space
        "postcode_shown": "E8 1DY",
        "bad_postcode": "E8",
        "outside_postcode": "SW1A 1AA",
        "unknown_postcode": "ZZ9 9ZZ",  # the right shape, but no such district
        "phone": "020 7123 4567",  # not 020 7946 0xxx: drama numbers are refused
        "phone_e164": "+442071234567",
        "bad_phone": "12345",
        "new_phone": "020 7123 0999",
        "new_phone_e164": "+442071230999",
        "access_notes": "Key safe by the door. Ring twice.",
        "dietary_needs": "Diabetic: no sugary puddings",
        "allergens": ("peanuts", "sesame"),
        "allergy_notes": "Kiwi fruit",
        "texture": "soft",
        "likes": "Fish pie",
        "new_likes": "Fish pie and rice pudding",
        "dislikes": "Spicy food",
        "frequency": "weekly",
        "days": ("tue", "thu"),
        "emergency_name": "Sarah Bennett",
        "emergency_phone": "07911 123456",
        "emergency_relationship": "Daughter",
        "caller_name": "Mo Patel",
        "caller_phone": "020 7123 0555",
        "question": "Which floor is the flat on, and is there a lift?",
        "waitlist_name": "Edith O’Brien",
        "waitlist_contact": "edith@example.org",
    },
    "ja": {
        "full_name": "鈴木 トメ",
        "name_reading": "スズキ トメ",
        "preferred_name": "トメさん",
        "country": "JP",
        "address_line1": "代沢2-3-4",
        "address_line2": "",
        "town": "世田谷区",
        "postcode": "１５４ー０００４",  # full-width digits and the long-vowel mark
        "postcode_shown": "154-0004",
        "bad_postcode": "15400",
        "outside_postcode": "060-0001",
        "unknown_postcode": "999-9999",
        "phone": "03-3412-3456",
        "phone_e164": "+81334123456",
        "bad_phone": "03-1234",
        "new_phone": "０３ー３４１２ー９９９９",
        "new_phone_e164": "+81334129999",
        "access_notes": "玄関の横にキーボックスがあります。",
        "dietary_needs": "減塩",
        "allergens": ("wheat", "buckwheat"),
        "allergy_notes": "キウイ",
        "texture": "minced",
        "likes": "煮魚",
        "new_likes": "煮魚と茶碗蒸し",
        "dislikes": "辛いもの",
        "frequency": "fortnightly",
        "days": ("mon", "fri"),
        "emergency_name": "鈴木 一郎",
        "emergency_phone": "090-1234-5678",
        "emergency_relationship": "長男",
        "caller_name": "田中 和子",
        "caller_phone": "03-3412-0000",
        "question": "エレベーターはありますか。",
        "waitlist_name": "鈴木 トメ",
        "waitlist_contact": "０９０ー１２３４ー５６７８",
    },
}
TEXT_FIELDS = {
    "name": ("full_name", "name_reading", "preferred_name"),
    "address": ("address_line1", "address_line2", "town", "postcode"),
    "phone": ("phone",),
    "access": ("access_notes",),
    "diet": ("dietary_needs", "allergy_notes"),
    "likes": ("likes", "dislikes"),
    "emergency": ("emergency_name", "emergency_phone", "emergency_relationship"),
}


def _answers(world: World, **changes) -> dict:
    """A whole request's answers (as the draft stores them) for this world's diner."""
    diner = world.data
    answers = {
        **ANSWERS,
        "full_name": diner["full_name"],
        "name_reading": diner["name_reading"],
        "preferred_name": diner["preferred_name"],
        "preferred_language": world.lang,
        "country": diner["country"],
        "address_line1": diner["address_line1"],
        "address_line2": diner["address_line2"],
        "town": diner["town"],
        "postcode": diner["postcode_shown"],
        "phone": diner["phone_e164"],
        "likes": diner["likes"],
        "consent_given_on": AGREED_ON.isoformat(),
    }
    return {**answers, **changes}


def _submitted(world: World) -> Referral:
    draft = services.start_draft(owner=world.referrer, data=_answers(world))
    return services.submit_referral(draft=draft, by=world.referrer)


def _audit(page, *, lang: str, console, **options):
    """audit(), and on a phone also at 320px wide (then back to the phone's width for what follows)."""
    size = page.viewport_size
    try:
        audit(page, lang=lang, console=console, also_width=320 if size["width"] == 390 else None, **options)
    finally:
        page.set_viewport_size(size)


def _fill(page, values: dict, names):
    for name in names:
        page.fill(f"#id_{name}", values[name])


def _assert_kept(page, values: dict, names):
    for name in names:
        assert page.input_value(f"#id_{name}") == values[name], f"{name} was not kept"


def _radio(page, name: str, value: str):
    page.check(f'input[name="{name}"][value="{value}"]')


def _on_step(page, world: World, step: str):
    assert url_path(page) == world.path(f"/request/{step}/"), f"expected the {step} page, on {page.url}"


DINER_STEPS = ("name", "address", "phone", "access", "diet", "texture", "likes", "days", "emergency")


def _answer(page, world: World, step: str):
    """Answer one of the diner's question pages for this world's diner (not submitted)."""
    diner = world.data
    if step == "name":
        _radio(page, "preferred_language", world.lang)
    if step == "address":
        _radio(page, "country", diner["country"])
    if step in TEXT_FIELDS:
        _fill(page, diner, TEXT_FIELDS[step])
    if step == "diet":
        for value in diner["allergens"]:
            page.check(f'input[name="allergens"][value="{value}"]')
    if step == "texture":
        _radio(page, "texture", diner["texture"])
    if step == "days":
        _radio(page, "frequency", diner["frequency"])
        for value in diner["days"]:
            page.check(f'input[name="days"][value="{value}"]')


def _answer_steps(page, world: World, console, steps, *, audited: bool = True):
    """Answer these question pages in turn (the first is the current page), each audited when `audited`."""
    for step in steps:
        _on_step(page, world, step)
        if audited:
            _audit(page, lang=world.lang, console=console)
        _answer(page, world, step)
        submit_main_form(page)


# 1. A referrer asks for meals on the web; a coordinator accepts -----------------------------------------


@pytest.mark.parametrize(("lang", "referrer_width", "coordinator_width"), [("en", 1280, 390), ("ja", 390, 1280)])
def test_a_referrer_asks_for_meals_and_a_coordinator_accepts(
    request, open_page, lang, referrer_width, coordinator_width
):
    world = make_world(request, lang, DINERS[lang], with_referrer=True)
    diner = world.data
    page, console = open_page(lang=lang, width=referrer_width, user=world.referrer)

    # The start page, then "who is asking": signed in, only the relationship is asked.
    page.goto(world.url("/request/"))
    _audit(page, lang=lang, console=console)
    submit_main_form(page)
    _on_step(page, world, "relationship")
    assert page.locator("#id_referrer_name").count() == 0, "a signed-in referrer is not asked their name"
    _audit(page, lang=lang, console=console)
    _radio(page, "relationship", "family")
    submit_main_form(page)

    # Name, then the address: a postcode too short first; everything typed is kept.
    _answer_steps(page, world, console, ["name"])
    _on_step(page, world, "address")
    assert page.is_checked(f'input[name="country"][value="{diner["country"]}"]'), "the country follows the language"
    _audit(page, lang=lang, console=console)
    _fill(page, diner, ("address_line1", "address_line2", "town"))
    page.fill("#id_postcode", diner["bad_postcode"])
    submit_main_form(page)
    _on_step(page, world, "address")
    problems = error_summary_problems(page, lang)
    assert summary_links(page) == {"#id_postcode"}
    _assert_kept(page, {**diner, "postcode": diner["bad_postcode"]}, TEXT_FIELDS["address"])
    _audit(page, lang=lang, console=console, from_page_start=False, extra=problems)
    page.fill("#id_postcode", diner["postcode"])
    submit_main_form(page)

    # The rest of the diner's pages, each audited.
    _answer_steps(page, world, console, DINER_STEPS[DINER_STEPS.index("phone") :])

    # The agreement: a date in the future first; the answers given are kept.
    _on_step(page, world, "consent")
    _audit(page, lang=lang, console=console)
    _radio(page, "consent_given", "yes")
    _radio(page, "consent_method", "in_person")
    fill_date(page, "consent_given_on", TOMORROW)
    page.check('input[name="share_with_cook"][value="address"]')
    page.check('input[name="share_with_cook"][value="phone"]')
    page.check('input[name="concerns_to"][value="referrer"]')
    submit_main_form(page)
    _on_step(page, world, "consent")
    problems = error_summary_problems(page, lang)
    first_box = "#id_consent_given_on_2" if lang == "ja" else "#id_consent_given_on_0"
    assert summary_links(page) == {first_box}
    assert t(lang, "The date they agreed must be today or in the past") in page.locator("main").inner_text()
    assert page.is_checked('input[name="consent_given"][value="yes"]')
    assert page.is_checked('input[name="consent_method"][value="in_person"]')
    assert page.input_value('input[name="consent_given_on_day"]') == str(TOMORROW.day)
    assert page.input_value('input[name="consent_given_on_year"]') == str(TOMORROW.year)
    assert page.is_checked('input[name="share_with_cook"][value="phone"]')
    assert page.is_checked('input[name="concerns_to"][value="referrer"]')
    _audit(page, lang=lang, console=console, from_page_start=False, extra=problems)
    fill_date(page, "consent_given_on", AGREED_ON)
    submit_main_form(page)

    # Check your answers: change one answer and come back.
    assert url_path(page) == world.path("/request/check/")
    main = page.locator("main").inner_text()
    for value in (diner["full_name"], diner["postcode_shown"], diner["likes"], diner["emergency_name"]):
        assert value in main
    _audit(page, lang=lang, console=console)
    click(page, f'main a[href="{world.path("/request/likes/")}?change=1"]')
    _on_step(page, world, "likes")
    assert page.input_value("#id_likes") == diner["likes"]
    assert page.locator(".govuk-back-link").get_attribute("href") == world.path("/request/check/")
    page.fill("#id_likes", diner["new_likes"])
    submit_main_form(page)
    assert url_path(page) == world.path("/request/check/")
    assert diner["new_likes"] in page.locator("main").inner_text()

    # Send, with a double click: one request.
    with page.expect_navigation():
        page.locator("#send-request button[type=submit]").dblclick()
    referral = Referral.objects.get(referrer=world.referrer)
    assert url_path(page) == world.path(f"/request/sent/{referral.pk}/")
    assert f"CR-{referral.pk:06d}" in page.locator(".govuk-panel").inner_text()
    assert referral.channel == "web" and referral.status == Referral.Status.SUBMITTED
    assert (referral.diner.postcode, referral.diner.phone) == (diner["postcode_shown"], diner["phone_e164"])
    assert referral.diner.likes == diner["new_likes"]
    _audit(page, lang=lang, console=console)

    # The coordinator: the queue, the request, accept with two scopes.
    other, other_console = open_page(lang=lang, width=coordinator_width, user=world.coordinator)
    other.goto(world.url("/coordinator/referrals/"))
    assert other.locator("#waiting-count").inner_text().strip() == "1"
    _audit(other, lang=lang, console=other_console)
    click(other, f'main a[href="{world.path(f"/coordinator/referrals/{referral.pk}/")}"]')
    assert diner["preferred_name"] in other.locator("h1").inner_text()
    assert world.referrer.full_name in other.locator("main").inner_text()
    assert diner["phone"] in other.locator("#where-heading").locator("..").inner_text(), "the number as it is dialled"
    _audit(other, lang=lang, console=other_console)
    assert other.is_checked('input[name="accept-scopes"][value="can_view_schedule"]'), "seeing the schedule is offered"
    other.check('input[name="accept-scopes"][value="can_edit_details"]')
    click(other, 'main form:has(input[name="decision"][value="accept"]) button[type=submit]')
    assert url_path(other) == world.path("/coordinator/referrals/")
    assert t(
        lang,
        "You accepted the request for %(name)s. We have emailed the person who asked.",
        name=diner["preferred_name"],
    ) in banner(other)
    assert other.locator("#waiting-count").inner_text().strip() == "0"
    _audit(other, lang=lang, console=other_console)
    access = ProxyAccess.objects.get(referrer=world.referrer)
    assert (access.can_view_schedule, access.can_edit_details, access.can_confirm_meals) == (True, True, False)

    # The referrer's list shows the diner; their page says who the referrer is acting for.
    page.goto(world.url("/diners/"))
    assert diner["preferred_name"] in page.locator("#diners-heading").locator("..").inner_text()
    _audit(page, lang=lang, console=console)
    click(page, f'main a[href="{world.path(f"/diners/{access.diner_id}/")}"]')
    assert t(lang, "You are acting for %(name)s", name=diner["preferred_name"]) in banner(page)
    assert diner["new_likes"] in page.locator("main").inner_text()
    _audit(page, lang=lang, console=console)


# 2. A coordinator records a request taken by phone, for a diner with no email or account ----------------

# The smallest computed font size of the card's text when printed, in CSS pixels (16pt = 21.33px).
CARD_PRINT_FONT = """() => Math.min(...[...document.querySelectorAll('.casserole-card *')]
  .filter((el) => [...el.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim()))
  .map((el) => parseFloat(getComputedStyle(el).fontSize)))"""


@pytest.mark.parametrize(("lang", "width"), [("en", 390), ("ja", 1280)])
def test_a_coordinator_records_a_phone_referral_for_a_diner_without_email(request, open_page, lang, width):
    world = make_world(request, lang, DINERS[lang], with_referrer=True)
    diner = world.data
    page, console = open_page(lang=lang, width=width, user=world.coordinator)

    page.goto(world.url("/coordinator/referrals/new/"))
    _audit(page, lang=lang, console=console)
    submit_main_form(page)

    # "Who is calling?": in English a friend calls (their name and number are needed: errors first);
    # in Japanese the diner calls themselves.
    _on_step(page, world, "relationship")
    assert page.locator("h1").inner_text().strip() == t(lang, "Who is calling?")
    _audit(page, lang=lang, console=console)
    if lang == "en":
        _radio(page, "relationship", "friend")
        submit_main_form(page)
        _on_step(page, world, "relationship")
        problems = error_summary_problems(page, lang)
        assert summary_links(page) == {"#id_referrer_name", "#id_referrer_phone"}
        assert t(lang, "Enter the caller’s name") in page.locator("main").inner_text()
        assert page.is_checked('input[name="relationship"][value="friend"]'), "the answer given is kept"
        _audit(page, lang=lang, console=console, from_page_start=False, extra=problems)
        page.fill("#id_referrer_name", diner["caller_name"])
        page.fill("#id_referrer_phone", diner["caller_phone"])
    else:
        assert page.locator('label[for="id_relationship_0"]').inner_text().strip() == t(
            lang, "The diner called themselves"
        )
        _radio(page, "relationship", "self")
    submit_main_form(page)

    # The diner's pages, worded for the coordinator (the name page audited: it is about "the diner").
    _on_step(page, world, "name")
    assert page.locator("h1").inner_text().strip() == t(lang, "What is the diner’s name?")
    _answer_steps(page, world, console, ["name"])
    _answer_steps(page, world, console, DINER_STEPS[1:], audited=False)

    # The agreement, as the coordinator hears it.
    _on_step(page, world, "consent")
    _audit(page, lang=lang, console=console)
    _radio(page, "consent_given", "yes")
    if lang == "en":
        _radio(page, "consent_method", "phone")
        fill_date(page, "consent_given_on", AGREED_ON)
    else:
        assert page.locator('input[name="consent_method"]').count() == 0, "asking is agreeing"
    page.check('input[name="share_with_cook"][value="address"]')
    submit_main_form(page)

    # Check the answers, send; the confirmation offers the request itself.
    assert url_path(page) == world.path("/request/check/")
    assert t(lang, "Request for meals taken by phone") in page.locator(".govuk-caption-l").inner_text()
    _audit(page, lang=lang, console=console)
    click(page, "#send-request button[type=submit]")
    referral = Referral.objects.get(diner__full_name=diner["full_name"])
    assert url_path(page) == world.path(f"/request/sent/{referral.pk}/")
    assert (referral.channel, referral.referrer_id, referral.created_by_id) == ("phone", None, world.coordinator.pk)
    _audit(page, lang=lang, console=console)

    # The queue shows it came by phone; the request has no one to give access to.
    page.goto(world.url("/coordinator/referrals/"))
    assert t(lang, "Phone") in page.locator("main table").inner_text()
    click(page, f'main a[href="{world.path(f"/coordinator/referrals/{referral.pk}/")}"]')
    assert t(lang, "Phone") in page.locator("#asked-heading + dl").inner_text()
    if lang == "en":
        assert diner["caller_name"] in page.locator("#asked-heading + dl").inner_text()
    assert page.locator('input[name="accept-scopes"]').count() == 0, "no account, so no scopes to choose"
    assert page.locator('input[name="more_info-message"]').count() == 0
    _audit(page, lang=lang, console=console)
    click(page, 'main form:has(input[name="decision"][value="accept"]) button[type=submit]')
    assert url_path(page) == world.path("/coordinator/referrals/")
    assert t(lang, "You accepted the request for %(name)s.", name=diner["preferred_name"]) in banner(page)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED and referral.diner.status == "active"
    assert not ProxyAccess.objects.filter(diner=referral.diner).exists()

    # The diner's record: how the request came, and the history.
    page.goto(world.url(f"/coordinator/diners/{referral.diner_id}/"))
    requests = page.locator("#requests-heading").locator("..").inner_text()
    assert t(lang, "Phone") in requests and t(lang, "Accepted") in requests
    history = page.locator("#history-list").inner_text()
    assert t(lang, "Request for meals sent") in history and t(lang, "Request accepted") in history
    assert t(lang, "Phone").lower() in history, "the channel of the phone request is in the history"
    _audit(page, lang=lang, console=console)

    # The large-print card, with the area's help line, at least 16pt when printed.
    click(page, f'main a[href="{world.path(f"/coordinator/diners/{referral.diner_id}/card/")}"]')
    card = page.locator(".casserole-card").first.inner_text()  # the card; the schedule sheet follows it
    assert referral.diner.area.help_phone in card and diner["preferred_name"] in card
    _audit(page, lang=lang, console=console)
    page.emulate_media(media="print")
    try:
        assert page.evaluate(CARD_PRINT_FONT) >= 21.3, "the printed card has text under 16pt"
        # Two A4 sheets (595 × 842 pt): the card, then the schedule of the next four weeks.
        pdf = page.pdf(prefer_css_page_size=True)
        assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 2, "the card and its schedule are not two sheets"
        box = [float(n) for n in re.search(rb"/MediaBox\s*\[([^\]]*)\]", pdf).group(1).split()]
        assert abs(box[2] - 595) < 2 and abs(box[3] - 842) < 2, f"the card is not A4: {box}"
    finally:
        page.emulate_media(media="screen")


# 3. A referrer acts for a diner within the scope a coordinator gave --------------------------------------


@pytest.mark.parametrize(("lang", "referrer_width", "coordinator_width"), [("en", 390, 1280), ("ja", 1280, 390)])
def test_a_proxy_does_what_their_scope_allows_and_is_refused_the_rest(
    request, open_page, live_server, lang, referrer_width, coordinator_width
):
    world = make_world(request, lang, DINERS[lang], with_referrer=True)
    diner = world.data
    referral = services.accept_referral(
        by=world.coordinator, referral=_submitted(world), scopes={"can_view_schedule": True}
    )
    pk = referral.diner_id
    page, console = open_page(lang=lang, width=referrer_width, user=world.referrer)

    # Only the schedule: the diner's page (banner, no details), the schedule and the card.
    page.goto(world.url(f"/diners/{pk}/"))
    assert t(lang, "You are acting for %(name)s", name=diner["preferred_name"]) in banner(page)
    assert page.locator(f'main a[href="{world.path(f"/diners/{pk}/edit/phone/")}"]').count() == 0
    assert diner["phone"] not in page.locator("main").inner_text()
    _audit(page, lang=lang, console=console)
    click(page, f'main a[href="{world.path(f"/diners/{pk}/schedule/")}"]')
    assert t(lang, "You are acting for %(name)s", name=diner["preferred_name"]) in banner(page)
    _audit(page, lang=lang, console=console)

    # Editing the details is not within the scope: refused.
    edit_path = world.path(f"/diners/{pk}/edit/phone/")
    console.expected_failures.add(live_server.url + edit_path)
    response = page.goto(live_server.url + edit_path)
    assert response.status == 403
    assert diner["phone"] not in page.locator("main").inner_text()
    _audit(page, lang=lang, console=console)

    # The coordinator lets them update the details too, on the diner's record.
    other, other_console = open_page(lang=lang, width=coordinator_width, user=world.coordinator)
    other.goto(world.url(f"/coordinator/diners/{pk}/"))
    access = ProxyAccess.objects.get(diner_id=pk, referrer=world.referrer)
    _audit(other, lang=lang, console=other_console)
    other.check(f'input[name="proxy-{access.pk}-scopes"][value="can_edit_details"]')
    click(other, f'main form[action="{world.path(f"/coordinator/diners/{pk}/proxies/{access.pk}/")}"] button')
    assert url_path(other) == world.path(f"/coordinator/diners/{pk}/")
    referrer = addressed(world.referrer.full_name, language=lang)
    assert t(lang, "You changed what %(name)s may do for the diner.", name=referrer) in banner(other)
    assert other.is_checked(f'input[name="proxy-{access.pk}-scopes"][value="can_edit_details"]')
    _audit(other, lang=lang, console=other_console)

    # Now the referrer sees the details and changes the phone number: a wrong one first, kept.
    page.goto(world.url(f"/diners/{pk}/"))
    assert diner["postcode_shown"] in page.locator("main").inner_text()
    _audit(page, lang=lang, console=console)
    click(page, f'main a[href="{edit_path}"]')
    assert t(lang, "You are acting for %(name)s", name=diner["preferred_name"]) in banner(page)
    _audit(page, lang=lang, console=console)
    page.fill("#id_phone", diner["bad_phone"])
    submit_main_form(page)
    assert url_path(page) == edit_path
    problems = error_summary_problems(page, lang)
    assert summary_links(page) == {"#id_phone"}
    assert page.input_value("#id_phone") == diner["bad_phone"]
    _audit(page, lang=lang, console=console, from_page_start=False, extra=problems)
    page.fill("#id_phone", diner["new_phone"])
    submit_main_form(page)
    assert url_path(page) == world.path(f"/diners/{pk}/")
    assert t(lang, "Your changes have been saved.") in page.locator("main").inner_text()
    referral.diner.refresh_from_db()
    assert referral.diner.phone == diner["new_phone_e164"]
    assert phone_for_display(diner["new_phone_e164"]) in page.locator("main").inner_text()
    _audit(page, lang=lang, console=console)

    # The coordinator revokes the access: the referrer's next click finds nothing there.
    other.reload()
    click(other, f'main form[action="{world.path(f"/coordinator/diners/{pk}/proxies/{access.pk}/revoke/")}"] button')
    referrer = addressed(world.referrer.full_name, language=lang)
    assert t(lang, "%(name)s can no longer act for the diner.", name=referrer) in banner(other)
    console.expected_failures.add(live_server.url + world.path(f"/diners/{pk}/"))
    response = page.reload()
    assert response.status == 404
    assert diner["preferred_name"] not in page.locator("main").inner_text()
    _audit(page, lang=lang, console=console)


# 4. A postcode outside every area ------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "width"), [("en", 1280), ("ja", 390)])
def test_outside_every_area_a_diner_leaves_contact_details_then_corrects_the_address(request, open_page, lang, width):
    world = make_world(request, lang, DINERS[lang], with_referrer=True)
    diner = world.data
    # Without an account: the diner asking for themselves.
    page, console = open_page(lang=lang, width=width)
    page.goto(world.url("/request/"))
    submit_main_form(page)
    _on_step(page, world, "relationship")
    _audit(page, lang=lang, console=console)
    _radio(page, "relationship", "self")
    submit_main_form(page)
    _answer_steps(page, world, console, ["name"], audited=False)
    _on_step(page, world, "address")
    _answer(page, world, "address")
    # A postcode nothing knows is not "no club near you": it is refused at the postcode, typing kept.
    page.fill("#id_postcode", diner["unknown_postcode"])
    submit_main_form(page)
    _on_step(page, world, "address")
    problems = error_summary_problems(page, lang)
    assert summary_links(page) == {"#id_postcode"}
    unrecognised = t(lang, "We don’t recognise this postcode. Check it and try again.")
    assert unrecognised in page.locator("#id_postcode_error").inner_text()
    assert page.input_value("#id_postcode") == diner["unknown_postcode"]
    assert page.input_value("#id_address_line1") == diner["address_line1"]
    _audit(page, lang=lang, console=console, from_page_start=False, extra=problems)
    page.fill("#id_postcode", diner["outside_postcode"])
    submit_main_form(page)

    assert url_path(page) == world.path("/request/not-in-area/")
    assert page.input_value("#id_name") == diner["full_name"], "the diner's name is filled in"
    _audit(page, lang=lang, console=console)
    click(page, "main form button[type=submit]")
    problems = error_summary_problems(page, lang)
    assert summary_links(page) == {"#id_contact"}
    assert page.input_value("#id_name") == diner["full_name"]
    assert not AreaWaitlistEntry.objects.exists()
    _audit(page, lang=lang, console=console, from_page_start=False, extra=problems)

    page.fill("#id_contact", diner["waitlist_contact"])
    click(page, "main form button[type=submit]")
    assert url_path(page) == world.path("/request/not-in-area/")
    assert (
        t(lang, "We will tell you when a Casserole club opens near you.") in page.locator(".govuk-panel").inner_text()
    )
    entry = AreaWaitlistEntry.objects.get()
    assert entry.name == diner["waitlist_name"]
    assert not Referral.objects.exists()
    _audit(page, lang=lang, console=console)

    # The address was wrong after all: the rest of the answers were kept, and the diner, still without
    # an account, asks for meals for themselves (the pages speak to them).
    click(page, f'main a[href="{world.path("/request/address/")}"]')
    assert page.input_value("#id_address_line1") == diner["address_line1"]
    page.fill("#id_postcode", diner["postcode"])
    submit_main_form(page)
    _answer_steps(page, world, console, DINER_STEPS[DINER_STEPS.index("phone") :], audited=False)
    _on_step(page, world, "consent")
    assert page.locator("h1").inner_text().strip() == t(lang, "Your agreement")
    assert page.locator('input[name="consent_method"]').count() == 0, "asking is agreeing"
    own_address = page.locator('label[for="id_share_with_cook_0"]').inner_text().strip()
    assert own_address == t(lang, "Your address"), "the choices speak to the diner too"
    _audit(page, lang=lang, console=console)
    _radio(page, "consent_given", "yes")
    page.check('input[name="share_with_cook"][value="address"]')
    submit_main_form(page)
    assert url_path(page) == world.path("/request/check/")
    assert t(lang, "Your address") in page.locator("main").inner_text()
    click(page, "#send-request button[type=submit]")
    referral = Referral.objects.get()
    assert url_path(page) == world.path(f"/request/sent/{referral.pk}/")
    assert (referral.referrer_id, referral.relationship) == (None, "self")
    assert (referral.diner.consent_method, referral.diner.share_with_cook) == ("themselves", ["address"])
    _audit(page, lang=lang, console=console)


# 5. The coordinator asks for more information; the referrer answers by changing the request ---------------


@pytest.mark.parametrize(("lang", "referrer_width", "coordinator_width"), [("en", 390, 1280), ("ja", 1280, 390)])
def test_a_coordinator_asks_for_more_information_and_the_referrer_answers(
    request, open_page, lang, referrer_width, coordinator_width
):
    world = make_world(request, lang, DINERS[lang], with_referrer=True)
    diner = world.data
    referral = _submitted(world)
    referral_path = world.path(f"/coordinator/referrals/{referral.pk}/")

    # The coordinator asks, with an empty question first.
    other, other_console = open_page(lang=lang, width=coordinator_width, user=world.coordinator)
    other.goto(world.url(f"/coordinator/referrals/{referral.pk}/"))
    more_info = 'main form:has(input[name="decision"][value="more_info"]) button[type=submit]'
    click(other, more_info)
    assert url_path(other) == referral_path
    problems = error_summary_problems(other, lang)
    assert summary_links(other) == {"#id_more_info-message"}
    assert t(lang, "Enter what you need to know") in other.locator("main").inner_text()
    _audit(other, lang=lang, console=other_console, from_page_start=False, extra=problems)
    other.fill("#id_more_info-message", diner["question"])
    click(other, more_info)
    assert url_path(other) == world.path("/coordinator/referrals/")
    assert t(
        lang, "We have emailed your question about %(name)s to the person who asked.", name=diner["preferred_name"]
    ) in banner(other)
    assert other.locator("#more-info-count").inner_text().strip() == "1"
    assert other.locator("#waiting-count").inner_text().strip() == "0"

    # The referrer finds the question, changes an answer and sends the request again.
    page, console = open_page(lang=lang, width=referrer_width, user=world.referrer)
    page.goto(world.url("/diners/"))
    _audit(page, lang=lang, console=console)
    click(page, f'main a[href="{world.path(f"/referrals/{referral.pk}/")}"]')
    assert diner["question"] in page.locator("main").inner_text()
    _audit(page, lang=lang, console=console)
    click(page, "main form button[type=submit]")
    assert url_path(page) == world.path("/request/check/")
    assert diner["question"] in page.locator(".govuk-inset-text").inner_text()
    _audit(page, lang=lang, console=console)
    click(page, f'main a[href="{world.path("/request/likes/")}?change=1"]')
    page.fill("#id_likes", diner["new_likes"])
    submit_main_form(page)
    assert url_path(page) == world.path("/request/check/")
    assert diner["new_likes"] in page.locator("main").inner_text()
    click(page, "#send-request button[type=submit]")
    assert url_path(page) == world.path(f"/request/sent/{referral.pk}/")
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SUBMITTED
    assert referral.diner.likes == diner["new_likes"]
    assert Referral.objects.count() == 1
    _audit(page, lang=lang, console=console)

    # Back in the coordinator's queue.
    other.reload()
    assert other.locator("#waiting-count").inner_text().strip() == "1"
    assert other.locator("#more-info-count").inner_text().strip() == "0"
    assert other.locator(f'main a[href="{referral_path}"]').count() == 1
    _audit(other, lang=lang, console=other_console)
