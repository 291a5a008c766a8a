"""Pages that tell the truth, in a real browser, in English and Japanese, each audited (axe + the extra
checks): a cook's account page and cook page in each state (no profile, pending, active, suspended); a
referrer's account page, diner page, schedule and card before and after a cook is matched; a
coordinator's code page, which does not say they are signed in before the code; and the match page,
which refuses to mark an introduction done before its day.

English runs in area A (UK, E8) with its coordinator and the referrer persona; Japanese in area B
(Japan, 154, Tokyo time) with its own coordinator and a Japanese referrer."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import formats, timezone, translation

from accounts.review import services as review_services
from casserole.names import addressed
from casserole.templatetags.casserole_tags import day, when
from meals.diners.models import Diner
from meals.matching import services as matching
from meals.matching.models import Match
from meals.referrals import services as referrals_services
from tests.browser.checks import audit
from tests.browser.support import World, click, make_world, session_cookie, submit_form, t, url_path
from tests.factories import PASSWORD, UserFactory, loaded_course
from tests.meals.conftest import make_active_cook, submit
from tests.onboarding import approve_identity, make_profile
from tests.training.conftest import certify

# A cook's profile in each world: E8 in area A; 154 (Setagaya) in area B.
PROFILES = {
    "en": {},
    "ja": {
        "name_reading": "ヤマダ ハナコ",
        "phone": "+81312345678",
        "country": "JP",
        "address_line1": "代沢1-2-3",
        "town": "世田谷区",
        "postcode": "154-0004",
        "travel_distance": Decimal("2"),
        "cooking_likes": "煮物と味噌汁",
        "note_for_diners": "近所に住んでいます。",
    },
}
COOK_NAMES = {"en": ("Margaret Ellis", "Margaret"), "ja": ("山田 花子", "花子")}
DINERS = {
    "en": {"full_name": "Edith O'Brien", "preferred_name": "Edie"},
    "ja": {
        "full_name": "鈴木 トメ",
        "name_reading": "スズキ トメ",
        "preferred_name": "トメさん",
        "preferred_language": "ja",
        "country": "JP",
        "address_line1": "代沢2-3-4",
        "address_line2": "",
        "town": "世田谷区",
        "postcode": "154-0017",
        "phone": "+81334123456",
        "access_notes": "玄関の横にキーボックスがあります。",
        "allergens": ["wheat"],
        "allergy_notes": "",
        "emergency_name": "田中 一郎",
        "emergency_phone": "+819012345678",
        "emergency_relationship": "長男",
    },
}


def _world(request, lang: str) -> World:
    world = make_world(request, lang, {}, with_referrer=True)
    if lang == "ja":
        area = request.getfixturevalue("area_b")
        area.time_zone = "Asia/Tokyo"
        area.save(update_fields=["time_zone"])
    return world


def _switch_to(page, live_server, user) -> None:
    """The tab signed in as `user` from now on (past the second factor where they have one)."""
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(user), "url": live_server.url}]
    )


def _text(page, selector: str) -> str:
    return page.locator(selector).inner_text().strip()


def _shown(lang: str, value, as_, time_zone: str) -> str:
    """A date or moment as the pages write it in the area's time zone."""
    with translation.override(lang), timezone.override(ZoneInfo(time_zone)):
        return as_(value)


def _diner(world: World) -> Diner:
    """An accepted diner the referrer acts for: the schedule, and meals to confirm and feedback to give."""
    referral = submit(by=world.referrer, **DINERS[world.lang])
    referrals_services.accept_referral(
        by=world.coordinator,
        referral=referral,
        scopes={"can_view_schedule": True, "can_confirm_meals": True, "can_give_feedback": True},
    )
    return Diner.objects.select_related("area").get(pk=referral.diner_id)


def _active_cook(world: World):
    full_name, _given = COOK_NAMES[world.lang]
    user = UserFactory(
        full_name=full_name, email=f"cook-{world.lang}@example.org", is_cook=True, preferred_language=world.lang
    )
    return make_active_cook(user, coordinator=world.coordinator, course=loaded_course(), **PROFILES[world.lang])


# 1. A cook's pages in each state ---------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "width"), [("en", 390), ("ja", 1280)])
def test_a_cooks_account_and_cook_pages_tell_the_truth_in_each_state(request, open_page, live_server, lang, width):
    world = _world(request, lang)
    course = loaded_course()
    cooks = {
        state: UserFactory(
            full_name=f"{COOK_NAMES[lang][0]} {n}",
            email=f"{state}-{lang}@example.org",
            is_cook=True,
            preferred_language=lang,
        )
        for n, state in enumerate(("no_profile", "pending", "active", "suspended"))
    }
    for state in ("pending", "active", "suspended"):
        make_profile(cooks[state], **PROFILES[lang])
    for state in ("active", "suspended"):
        approve_identity(cooks[state], by=world.coordinator)
        certify(cooks[state], course)
        review_services.approve_cook(by=world.coordinator, cook=cooks[state])
    review_services.suspend_cook(by=world.coordinator, cook=cooks["suspended"], reason="Please call us.")

    page, console = open_page(lang=lang, width=width)
    for state, cook in cooks.items():
        _switch_to(page, live_server, cook)

        # The account page: no list of steps, no course link; the way to the cook page.
        page.goto(world.url("/account/"))
        main = page.locator("main").inner_text()
        assert t(lang, "Before you can cook for someone, you will:") not in main, state
        assert page.locator(f'main a[href="{world.path("/training/")}"]').count() == 0, state
        click(page, "#cook-page-link")
        assert url_path(page) == world.path("/account/cook/")

        # The cook page: "becoming" a cook until approved; only an active cook may find someone.
        heading = "Cooking with Casserole" if state in ("active", "suspended") else "Becoming a Casserole cook"
        assert _text(page, "h1") == t(lang, heading), state
        assert page.locator("#find-diners").count() == (1 if state == "active" else 0), state
        if state == "active":
            assert _text(page, "#where-you-are") == t(
                lang, "You have done every step: you are an active Casserole cook."
            )
        if state == "suspended":
            assert _text(page, "#where-you-are") == t(lang, "Your cooking with Casserole is paused for now.")
            assert _text(page, "#suspended-reason") == "Please call us."
        audit(page, lang=lang, console=console)
        page.goto(world.url("/account/"))
        audit(page, lang=lang, console=console)


# 2. A referrer's pages before and after a cook is matched ---------------------------------------------------


@pytest.mark.parametrize(("lang", "width"), [("en", 1280), ("ja", 390)])
def test_a_referrers_pages_promise_only_what_exists(request, open_page, lang, width):
    world = _world(request, lang)
    diner = _diner(world)
    area = diner.area
    name = DINERS[lang]["preferred_name"]

    page, console = open_page(lang=lang, width=width, user=world.referrer)

    # The account page: no "give feedback" promise; how to tell us today.
    page.goto(world.url("/account/"))
    assert t(
        lang,
        "To tell us how their meals are going, or if you are worried about them, call us on "
        "<strong>%(phone)s</strong>.",
        phone=area.help_phone,
    ).replace("<strong>", "").replace("</strong>", "") == _text(page, "#referrer-call-us")
    audit(page, lang=lang, console=console)

    # The diner's page: meals are confirmed on the schedule; feedback online beside each cook, or by phone.
    page.goto(world.url(f"/diners/{diner.pk}/"))
    assert page.locator(f'#confirm-meals a[href="{world.path(f"/diners/{diner.pk}/schedule/")}"]').count() == 1
    assert _text(page, "#by-phone") == t(
        lang,
        "To tell us how their meals are going, use the feedback link by their cook’s name below while they have "
        "meals with a cook, or call us on <strong>%(phone)s</strong>.",
        phone=area.help_phone,
    ).replace("<strong>", "").replace("</strong>", "")
    audit(page, lang=lang, console=console)

    # The schedule with no cook yet.
    click(page, f'main a[href="{world.path(f"/diners/{diner.pk}/schedule/")}"]')
    assert page.locator("#their-cooks").count() == 0
    nobody_yet = (
        "No cook is matched with %(name)s yet. When a coordinator matches a cook with them, we will email you the "
        "cook’s first name, and it will show here."
    )
    assert _text(page, "#schedule-how") == t(lang, nobody_yet, name=name)
    audit(page, lang=lang, console=console)

    # A cook is matched and the introduction arranged: their first name and the first visit.
    cook = _active_cook(world)
    match = matching.approve_match(by=world.coordinator, match=matching.offer_to_cook(cook=cook, diner=diner))
    local_today = timezone.localdate(timezone=ZoneInfo(area.time_zone))
    first_visit = datetime.combine(local_today + timedelta(days=3), time(14, 30), tzinfo=ZoneInfo(area.time_zone))
    matching.record_introduction(by=world.coordinator, match=match, method="with_coordinator", when=first_visit)
    page.reload()
    given = COOK_NAMES[lang][1]
    assert _text(page, "#their-cooks dt") == given
    assert _text(page, "#their-cooks dd") == t(
        lang, "First visit: %(when)s", when=_shown(lang, first_visit, when, area.time_zone)
    )
    assert COOK_NAMES[lang][0] not in page.locator("main").inner_text()  # the first name only
    audit(page, lang=lang, console=console)

    # The large-print card says the same, on both sides.
    click(page, f'main a[href="{world.path(f"/diners/{diner.pk}/card/")}"]')
    for side in ("en", "ja"):
        text = _text(page, f'section[aria-labelledby="card-{side}-title"]')
        assert t(side, "Your cook is %(cook)s.", cook=addressed(given, language=side)) in text
        assert (
            t(
                side,
                "They will first come to see you on %(when)s.",
                when=_shown(side, first_visit, when, area.time_zone),
            )
            in text
        )
    audit(page, lang=lang, console=console)

    # They have met (moved to today first) and the match is active: since when.
    matching.record_introduction(
        by=world.coordinator, match=match, method="with_coordinator", when=timezone.now() - timedelta(minutes=5)
    )
    match = matching.mark_introduced(by=world.coordinator, match=Match.objects.get(pk=match.pk))
    page.goto(world.url(f"/diners/{diner.pk}/schedule/"))
    assert _text(page, "#their-cooks dd") == t(
        lang,
        "Cooking for %(name)s since %(date)s",
        name=name,
        date=_shown(lang, match.active_since, day, area.time_zone),
    )
    audit(page, lang=lang, console=console)


# 3. A coordinator: the code page, and an introduction marked done too early -------------------------------


@pytest.mark.parametrize(("lang", "width"), [("en", 390), ("ja", 1280)])
def test_the_code_page_does_not_say_the_coordinator_is_signed_in(request, open_page, lang, width):
    world = _world(request, lang)

    page, console = open_page(lang=lang, width=width)
    page.goto(world.url("/accounts/login/"))
    page.fill("#id_login", world.coordinator.email)
    page.fill("#id_password", PASSWORD)
    submit_form(page, "#id_login")

    assert url_path(page) == world.path("/account/two-factor/")
    assert page.locator(".govuk-notification-banner").count() == 0
    main = page.locator("main").inner_text()
    signed_in = t(lang, "You are signed in as %(name)s.", name=addressed(world.coordinator.full_name, language=lang))
    assert signed_in not in main
    assert "Successfully signed in" not in main
    audit(page, lang=lang, console=console)


@pytest.mark.parametrize(("lang", "width"), [("en", 1280), ("ja", 390)])
def test_an_introduction_cannot_be_marked_done_before_its_day(request, open_page, lang, width):
    world = _world(request, lang)
    diner = _diner(world)
    area = diner.area
    cook = _active_cook(world)
    match = matching.approve_match(by=world.coordinator, match=matching.offer_to_cook(cook=cook, diner=diner))
    arranged_for = timezone.localdate(timezone=ZoneInfo(area.time_zone)) + timedelta(days=2)
    matching.record_introduction(
        by=world.coordinator,
        match=match,
        method="by_phone",
        when=datetime.combine(arranged_for, time(10, 0), tzinfo=ZoneInfo(area.time_zone)),
    )
    with translation.override(lang):
        date_shown = formats.date_format(arranged_for, "DATE_FORMAT")

    page, console = open_page(lang=lang, width=width, user=world.coordinator)
    page.goto(world.url(f"/coordinator/matches/{match.pk}/"))
    # Said before the button is pressed ...
    assert _text(page, "#introduction-not-due") == t(
        lang,
        "You can do this from %(date)s, the day the introduction is arranged for. If they have already met, "
        "change its date to today first.",
        date=date_shown,
    )
    audit(page, lang=lang, console=console)

    # ... and refused when it is.
    click(page, 'main form:has(input[name="action"][value="introduced"]) button[type=submit]')
    refusal = t(
        lang,
        "The introduction is arranged for %(date)s, so it cannot be marked as done yet. If they have already met, "
        "change the date of the introduction to today first.",
        date=date_shown,
    )
    assert refusal in page.locator(".govuk-error-summary").inner_text()
    assert refusal in _text(page, "#form-non-field-errors")
    assert page.title().startswith(t(lang, "Error:"))
    page.wait_for_function(
        "() => document.querySelector('.govuk-error-summary').contains(document.activeElement)", timeout=3000
    )
    match.refresh_from_db()
    assert match.status == Match.Status.INTRODUCED and match.active_since is None
    audit(page, lang=lang, console=console, from_page_start=False)
