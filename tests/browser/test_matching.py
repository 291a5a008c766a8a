"""Matching in a real browser, in both languages: an active cook finds a diner nearby without seeing
anything private, offers, the coordinator approves, arranges the introduction and marks it done, the
cook then sees what the diner agreed to share, and loses it when the match ends; a cook who is not
active is told why; the cook who loses a race is told kindly; a referrer asks to pause a match.
Every page of ours on the way is audited (axe + the extra checks).

A tab is one language and width, so the cook and the coordinator use different widths. English runs
in area A (UK, E8, miles) with its coordinator and the referrer persona; Japanese in area B (Japan,
154, km, Tokyo time) with its own coordinator, a Japanese referrer, cook and diner."""

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from accounts.onboarding.eligibility import Blocker
from accounts.people.models import User
from casserole.distances import DistanceUnit, format_distance
from casserole.names import addressed
from meals.diners import services
from meals.diners.models import Diner
from meals.matching import services as matching
from meals.matching.models import Match, MatchChangeRequest
from meals.referrals import services as referrals_services
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
from tests.factories import UserFactory, loaded_course
from tests.meals.conftest import make_active_cook, submit
from tests.onboarding import approve_identity, make_profile
from training.models import Certificate

# The diner: everything a cook may see before approval, what they may see after (with consent), and
# what no cook ever sees. `place` pins them a short walk from the cook, in a named neighbourhood.
DINERS = {
    "en": {
        "answers": {
            "full_name": "Edith O'Brien",
            "preferred_name": "Edie",
            "preferred_language": "en",
            "country": "GB",
            "address_line1": "12 Mare Street",
            "town": "London",
            "postcode": "E8 1DY",
            "phone": "+442079460123",
            "access_notes": "Key safe by the door, code 1234. Ring twice.",
            "emergency_name": "Sarah Bennett",
            "emergency_phone": "+447911123456",
            "emergency_relationship": "Daughter",
        },
        "place": ("51.550000", "-0.058000", "Dalston"),  # about 0.78 km (0.48 miles) north of the cook
        "distance_miles": 0.5,
        "address_shown": ["12 Mare Street", "London", "E8 1DY"],
        "phone_shown": "020 7946 0123",
        "emergency_phone_shown": "07911 123456",
        # Never on the nearby or offer page: the surname (as typed and as HTML escapes it), the address,
        # the postcode, the phone (both ways), the emergency contact and the access notes.
        "private": (
            "O'Brien",
            "O&#x27;Brien",
            "12 Mare Street",
            "E8 1DY",
            "+442079460123",
            "020 7946 0123",
            "Sarah Bennett",
            "+447911123456",
            "07911 123456",
            "Key safe",
        ),
        "never": ("O'Brien", "O&#x27;Brien", "Sarah Bennett", "07911 123456", "+447911123456"),
    },
    "ja": {
        "answers": {
            "full_name": "鈴木 トメ",
            "name_reading": "スズキ トメ",
            "preferred_name": "トメ",
            "preferred_language": "ja",
            "country": "JP",
            "address_line1": "代沢2-3-4",
            "address_line2": "",
            "town": "世田谷区",
            "postcode": "154-0017",
            "phone": "+81334123456",
            "access_notes": "玄関の横にキーボックスがあります。",
            "dietary_needs": "減塩",
            "allergens": ["wheat", "buckwheat"],
            "allergy_notes": "キウイ",
            "texture": "minced",
            "likes": "煮魚",
            "dislikes": "辛いもの",
            "frequency": "fortnightly",
            "days": ["mon", "fri"],
            "emergency_name": "田中 一郎",
            "emergency_phone": "+819012345678",
            "emergency_relationship": "長男",
        },
        "place": ("35.652000", "139.668000", "北沢"),  # about 1 km north of the cook
        "distance_km": 1,
        # As addresses are written in Japan: the postcode first, then from the ward to the house.
        "address_shown": ["〒154-0017", "世田谷区代沢2-3-4"],
        "phone_shown": "03-3412-3456",
        "emergency_phone_shown": "090-1234-5678",
        "private": (
            "鈴木",
            "スズキ",
            "代沢2-3-4",
            "154-0017",
            "+81334123456",
            "03-3412-3456",
            "田中 一郎",
            "+819012345678",
            "090-1234-5678",
            "キーボックス",
        ),
        "never": ("鈴木", "スズキ", "田中 一郎", "090-1234-5678", "+819012345678"),
    },
}

COOKS = {
    "en": [
        {
            "full_name": "Margaret Ellis",
            "email": "margaret@example.org",
            "profile": {"address_line1": "1 Dalston Lane", "postcode": "E8 3AH", "travel_distance": Decimal("1.5")},
        },
        {
            "full_name": "Priya Shah",
            "email": "priya@example.org",
            "profile": {"address_line1": "5 Dalston Lane", "postcode": "E8 3AH", "travel_distance": Decimal("1.5")},
        },
    ],
    "ja": [
        {
            "full_name": "山田 花子",
            "name_reading": "ヤマダ ハナコ",
            "email": "hanako@example.jp",
            "profile": {
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
        },
        {
            "full_name": "佐々木 優子",
            "name_reading": "ササキ ユウコ",
            "email": "yuko@example.jp",
            "profile": {
                "name_reading": "ササキ ユウコ",
                "phone": "+81312349999",
                "country": "JP",
                "address_line1": "代沢5-6-7",
                "town": "世田谷区",
                "postcode": "154-0004",
                "travel_distance": Decimal("2"),
                "cooking_likes": "カレー",
                "note_for_diners": "",
            },
        },
    ],
}

MESSAGE = {
    "en": "I could cook on Tuesdays and Thursdays. I make a good fish pie.",
    "ja": "火曜日と金曜日なら作れます。よろしくお願いします。",
}
# The time as a coordinator types it: full-width digits and colon in Japanese.
TIME = {"en": ("2:30pm", "14:30"), "ja": ("１４：３０", "14:30")}
END_REASON = {"en": "Edie has moved in with her daughter.", "ja": "娘さんの家に引っ越されました。"}
PAUSE_REASON = "Edie is in hospital for a week or two."


def _world(request, lang: str) -> World:
    """make_world() with a referrer, and each area as its club runs it: the UK in miles, Japan on Tokyo time."""
    world = make_world(request, lang, DINERS[lang], with_referrer=True)
    if lang == "en":
        area = request.getfixturevalue("area_a")
        area.distance_unit = "mi"
        area.save(update_fields=["distance_unit"])
    else:
        area = request.getfixturevalue("area_b")
        area.time_zone = "Asia/Tokyo"
        area.save(update_fields=["time_zone"])
    return world


def _diner(world: World) -> Diner:
    """An accepted diner, referred by the world's referrer (who may act for them), pinned by hand."""
    referral = submit(by=world.referrer, **world.data["answers"])
    referrals_services.accept_referral(
        by=world.coordinator, referral=referral, scopes={"can_view_schedule": True, "can_edit_details": True}
    )
    latitude, longitude, neighbourhood = world.data["place"]
    diner = Diner.objects.get(pk=referral.diner_id)
    return services.place_diner(
        by=world.coordinator, diner=diner, latitude=latitude, longitude=longitude, neighbourhood=neighbourhood
    )


def _cook(world: World, index: int = 0, *, active: bool = True) -> User:
    """One of the world's cooks, through every step of the gate and approved (or with a profile and an
    approved identity only, when not `active`)."""
    person = COOKS[world.lang][index]
    user = UserFactory(
        full_name=person["full_name"],
        name_reading=person.get("name_reading", ""),
        email=person["email"],
        is_cook=True,
        preferred_language=world.lang,
    )
    if active:
        return make_active_cook(user, coordinator=world.coordinator, course=loaded_course(), **person["profile"])
    make_profile(user, **person["profile"])
    approve_identity(user, by=world.coordinator)
    return user


def _distance_text(world: World) -> str:
    """The rounded distance as the cook sees it ("about 0.5 miles", "約 1 km")."""
    with translation.override(world.lang):
        return translation.gettext("about %(distance)s") % {"distance": _coordinator_distance(world)}


def _coordinator_distance(world: World) -> str:
    """The same distance as the coordinator's pages write it ("0.5 miles", "1 km")."""
    data = world.data
    with translation.override(world.lang):
        if "distance_miles" in data:
            return format_distance(data["distance_miles"], DistanceUnit.MILES)
        return format_distance(data["distance_km"], DistanceUnit.KM)


def label(lang: str, choice) -> str:
    """A choice's label (a status, say) as the server shows it in `lang`."""
    with translation.override(lang):
        return str(choice.label)


def _addressed(world: World) -> str:
    """The diner as the pages name them: Japanese adds さん to the name they gave (issue 19)."""
    return world.data["answers"]["preferred_name"] + ("さん" if world.lang == "ja" else "")


def _action(page, action: str):
    """Press the button of the match page's form for `action` (approve, decline, introduced)."""
    click(page, f'main form:has(input[name="action"][value="{action}"]) button[type=submit]')


def _private_on(html: str, texts) -> list[str]:
    return [text for text in texts if text in html]


# 1. The whole journey ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "cook_width", "coordinator_width"), [("en", 1280, 390), ("ja", 390, 1280)])
def test_a_cook_finds_a_diner_offers_and_sees_the_address_only_while_matched(
    request, open_page, lang, cook_width, coordinator_width
):
    world = _world(request, lang)
    data, answers = world.data, world.data["answers"]
    diner = _diner(world)
    cook = _cook(world)
    name, neighbourhood = _addressed(world), data["place"][2]

    # Nearby: the diner's preferred name, neighbourhood and rounded distance, nothing private.
    # From the checklist, which an active cook's sign-in leads to.
    page, console = open_page(lang=lang, width=cook_width, user=cook)
    page.goto(world.url("/account/cook/"))
    audit(page, lang=lang, console=console)
    click(page, "#find-diners")
    assert url_path(page) == world.path("/cook/diners/")
    cards = page.locator("#nearby-diners > li")
    assert cards.count() == 1
    card = cards.first.inner_text()
    assert name in card and neighbourhood in card and _distance_text(world) in card, card
    assert _private_on(page.content(), data["private"]) == []
    audit(page, lang=lang, console=console)

    # The offer page: the same summary, still nothing private.
    click(page, f'#nearby-diners a[href="{world.path(f"/cook/diners/{diner.pk}/offer/")}"]')
    assert url_path(page) == world.path(f"/cook/diners/{diner.pk}/offer/")
    assert name in page.locator("h1").inner_text()
    assert _private_on(page.content(), data["private"]) == []
    audit(page, lang=lang, console=console)

    # A double click on "Send my offer" makes one offer.
    page.fill("#id_message", MESSAGE[lang])
    button = page.locator("main form button[type=submit]")
    assert button.get_attribute("data-prevent-double-click") == "true"
    with page.expect_navigation(url=f"**/{lang}/cook/matches/*/"):
        button.dblclick()
    page.wait_for_load_state()
    match = Match.objects.get(diner=diner, cook=cook)
    assert match.status == Match.Status.PROPOSED and match.message == MESSAGE[lang]
    assert url_path(page) == world.path(f"/cook/matches/{match.pk}/")
    assert t(lang, "Thank you. A coordinator will look at your offer. We will email you when they have decided.") in (
        banner(page)
    )
    assert page.locator("#match-status").inner_text().strip() == label(lang, Match.Status.PROPOSED)
    assert page.locator("#shared-details").count() == 0
    assert _private_on(page.content(), data["private"]) == []
    audit(page, lang=lang, console=console)

    # The cook's list of offers and matches, and back to the offer.
    click(page, f'a.govuk-back-link[href="{world.path("/cook/matches/")}"]')
    assert name in page.locator("main table").first.inner_text()
    audit(page, lang=lang, console=console)
    click(page, f'main table a[href="{world.path(f"/cook/matches/{match.pk}/")}"]')

    # The coordinator: the offer in the queue, with the cook and the distance.
    other, other_console = open_page(lang=lang, width=coordinator_width, user=world.coordinator)
    other.goto(world.url("/coordinator/"))
    audit(other, lang=lang, console=other_console)
    click(other, f'main a[href="{world.path("/coordinator/offers/")}"]')
    assert other.locator("#offers-count").inner_text().strip() == "1"
    row = other.locator("#offers tbody tr").first.inner_text()
    assert name in row and cook.full_name in row and _coordinator_distance(world) in row, row
    audit(other, lang=lang, console=other_console)

    # The match page: the cook's standing, the distance and the message; then approve.
    click(other, f'#offers a[href="{world.path(f"/coordinator/matches/{match.pk}/")}"]')
    assert other.locator("#cook-active").inner_text().strip() == t(lang, "Yes, active")
    assert other.locator("#cook-identity").inner_text().strip() != t(lang, "No identity check yet")
    assert other.locator("#cook-certificate .govuk-tag").count() == 0, "a valid certificate has no warning tag"
    assert other.locator("#cook-other-matches").inner_text().strip() == t(lang, "None")
    assert other.locator("#match-distance").inner_text().strip() == _coordinator_distance(world)
    assert other.locator("#match-message").inner_text().strip() == MESSAGE[lang]
    audit(other, lang=lang, console=other_console)
    _action(other, "approve")
    assert url_path(other) == world.path(f"/coordinator/matches/{match.pk}/")
    assert t(
        lang,
        "You approved %(cook)s to cook for %(diner)s. We have emailed the cook.",
        cook=addressed(cook.full_name, language=lang),
        diner=name,
    ) in banner(other)
    match.refresh_from_db()
    assert match.status == Match.Status.APPROVED
    audit(other, lang=lang, console=other_console)

    # The introduction: no method and a date that does not exist first; what was typed is kept.
    introduction = world.path(f"/coordinator/matches/{match.pk}/introduction/")
    click(other, f'main a[href="{introduction}"]')
    assert url_path(other) == introduction
    audit(other, lang=lang, console=other_console)
    next_year = timezone.localdate().year + 1
    other.fill('input[name="date_day"]', "31")
    other.fill('input[name="date_month"]', "2")
    other.fill('input[name="date_year"]', str(next_year))
    typed_time, stored_time = TIME[lang]
    other.fill("#id_time", typed_time)
    submit_main_form(other)
    assert url_path(other) == introduction
    problems = error_summary_problems(other, lang)
    summary = other.locator(".govuk-error-summary").inner_text()
    assert t(lang, "Select how the introduction will happen") in summary
    assert t(lang, "Enter a real date, for example 27 11 2026") in summary
    assert len(summary_links(other)) == 2
    assert (
        other.input_value('input[name="date_day"]'),
        other.input_value('input[name="date_month"]'),
        other.input_value('input[name="date_year"]'),
    ) == ("31", "2", str(next_year))
    assert other.input_value("#id_time") == typed_time
    match.refresh_from_db()
    assert match.status == Match.Status.APPROVED and match.introduction_at is None
    audit(other, lang=lang, console=other_console, from_page_start=False, extra=problems)

    # Today in the diner's area: an introduction can be marked done only from its day (the refusal
    # before that day: tests/browser/test_honest_pages.py).
    when = timezone.localdate(timezone=ZoneInfo(diner.area.time_zone))
    other.check(f'input[name="method"][value="{Match.Introduction.WITH_COORDINATOR}"]')
    fill_date(other, "date", when, full_width=lang == "ja")
    submit_main_form(other)
    assert url_path(other) == world.path(f"/coordinator/matches/{match.pk}/")
    assert t(
        lang,
        "Introduction arranged. We have emailed %(cook)s and the people acting for %(diner)s.",
        cook=addressed(cook.full_name, language=lang),
        diner=name,
    ) in banner(other)
    match.refresh_from_db()
    assert match.status == Match.Status.INTRODUCED
    assert match.introduction_method == Match.Introduction.WITH_COORDINATOR
    local = match.introduction_at.astimezone(ZoneInfo(diner.area.time_zone))
    assert (local.date(), local.strftime("%H:%M")) == (when, stored_time)
    assert other.locator("#introduction-when").is_visible()
    audit(other, lang=lang, console=other_console)

    # The introduction happened: the match is active.
    _action(other, "introduced")
    assert t(
        lang,
        "The introduction is done: %(cook)s and %(diner)s are matched.",
        cook=addressed(cook.full_name, language=lang),
        diner=name,
    ) in banner(other)
    match.refresh_from_db()
    assert match.status == Match.Status.ACTIVE
    audit(other, lang=lang, console=other_console)

    # The cook now sees the address, the phone and how to get in (all three consented); never the
    # surname or the emergency contact.
    page.reload()
    assert page.locator("#match-status").inner_text().strip() == label(lang, Match.Status.ACTIVE)
    address = page.locator("#shared-details dd").first.inner_text()
    assert address.splitlines() == data["address_shown"]
    shared = page.locator("#shared-details").inner_text()
    for text in (data["phone_shown"], answers["access_notes"]):
        assert text in shared, f"{text!r} is not shown to the matched cook"
    assert page.locator(f'#shared-details a[href="tel:{answers["phone"]}"]').count() == 1
    assert _private_on(page.content(), data["never"]) == []
    audit(page, lang=lang, console=console)

    # The coordinator ends the match: a reason is needed.
    end = world.path(f"/coordinator/matches/{match.pk}/status/end/")
    click(other, f'main a[href="{end}"]')
    assert url_path(other) == end
    audit(other, lang=lang, console=other_console)
    submit_main_form(other)
    problems = error_summary_problems(other, lang)
    assert summary_links(other) == {"#id_reason"}
    audit(other, lang=lang, console=other_console, from_page_start=False, extra=problems)
    other.fill("#id_reason", END_REASON[lang])
    submit_main_form(other)
    assert url_path(other) == world.path(f"/coordinator/matches/{match.pk}/")
    assert t(lang, "The match has ended. The cook can no longer see the diner’s details.") in banner(other)
    match.refresh_from_db()
    assert match.status == Match.Status.ENDED
    audit(other, lang=lang, console=other_console)

    # At once, the cook no longer sees the address, phone or how to get in.
    page.reload()
    assert page.locator("#match-status").inner_text().strip() == label(lang, Match.Status.ENDED)
    assert page.locator("#shared-details").count() == 0
    assert _private_on(page.content(), data["private"]) == []
    assert END_REASON[lang] in page.locator("#what-next").inner_text()
    audit(page, lang=lang, console=console)


# 2. A cook who is not active ----------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "width"), [("en", 390), ("ja", 1280)])
def test_a_cook_who_is_not_active_sees_why_and_what_to_do_and_no_diners(request, open_page, lang, width):
    world = _world(request, lang)
    _diner(world)
    name = _addressed(world)
    if lang == "en":
        # Identity approved, the course not passed yet.
        cook = _cook(world, active=False)
    else:
        # An approved cook whose certificate has run out.
        cook = _cook(world)
        Certificate.objects.filter(user=cook).update(expires_at=timezone.now() - timedelta(days=1))

    page, console = open_page(lang=lang, width=width, user=cook)
    page.goto(world.url("/cook/diners/"))
    assert page.locator("#not-active").is_visible()
    if lang == "en":
        # What is left, in the checklist's words.
        with translation.override(lang):
            still_needed = str(Blocker.CERTIFICATE.label)
        assert still_needed in page.locator("#why-still-needed").inner_text()
    else:
        # Told so, and how to put it right.
        assert t(lang, "Your food-safety certificate is not valid") in page.locator("#why-certificate").inner_text()
        assert page.locator("#why-certificate a.govuk-button").count() == 1
    assert page.locator("#nearby-diners").count() == 0
    assert name not in page.locator("main").inner_text()
    assert page.locator(f'main a[href="{world.path("/account/cook/")}"]').count() >= 1
    audit(page, lang=lang, console=console)


# 3. Two cooks offer at once ------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "width"), [("en", 1280), ("ja", 390)])
def test_the_cook_who_offers_second_is_told_another_cook_has_just_offered(request, open_page, lang, width):
    world = _world(request, lang)
    diner = _diner(world)
    first, second = _cook(world, 0), _cook(world, 1)
    name = _addressed(world)

    # The second cook has the offer page open ...
    page, console = open_page(lang=lang, width=width, user=second)
    page.goto(world.url(f"/cook/diners/{diner.pk}/offer/"))
    page.fill("#id_message", MESSAGE[lang])

    # ... when the first cook's offer goes in.
    matching.offer_to_cook(cook=first, diner=diner, message="")

    submit_main_form(page)
    assert url_path(page) == world.path("/cook/diners/")
    assert t(
        lang,
        "Another cook has just offered to cook for %(name)s. Thank you: have a look at the other people near you.",
        name=name,
    ) in banner(page)
    assert page.locator("#nearby-diners").count() == 0, "the diner is no longer in the list"
    assert page.locator("#nobody-near").is_visible()
    assert list(Match.objects.filter(diner=diner).values_list("cook", flat=True)) == [first.pk]
    audit(page, lang=lang, console=console)


# 4. A referrer asks to pause ----------------------------------------------------------------------------


def test_a_referrer_asks_to_pause_a_match_and_the_coordinator_sees_the_request(request, open_page):
    lang = "en"
    world = _world(request, lang)
    diner = _diner(world)
    cook = _cook(world)
    match = matching.offer_to_cook(cook=cook, diner=diner)
    matching.approve_match(by=world.coordinator, match=match)
    matching.mark_introduced(by=world.coordinator, match=match)

    page, console = open_page(lang=lang, width=390, user=world.referrer)
    change = world.path(f"/diners/{diner.pk}/matches/{match.pk}/change/")
    page.goto(world.url(f"/diners/{diner.pk}/matches/{match.pk}/change/"))
    assert url_path(page) == change
    audit(page, lang=lang, console=console)

    # Nothing chosen first; then pause, with a reason.
    submit_main_form(page)
    problems = error_summary_problems(page, lang)
    assert t(lang, "Select whether to pause or end") in page.locator(".govuk-error-summary").inner_text()
    assert t(lang, "Tell the coordinator why") in page.locator(".govuk-error-summary").inner_text()
    assert len(summary_links(page)) == 2
    audit(page, lang=lang, console=console, from_page_start=False, extra=problems)
    page.check('input[name="kind"][value="pause"]')
    page.fill("#id_reason", PAUSE_REASON)
    submit_main_form(page)
    assert url_path(page) == world.path(f"/diners/{diner.pk}/")
    assert t(lang, "Your request has been sent. The coordinator will look at it and get in touch with you.") in (
        banner(page)
    )
    request_made = MatchChangeRequest.objects.get(match=match)
    assert (request_made.kind, request_made.requested_by) == ("pause", world.referrer)
    audit(page, lang=lang, console=console)

    # The coordinator sees it waiting, and on the match page.
    other, other_console = open_page(lang=lang, width=1280, user=world.coordinator)
    other.goto(world.url("/coordinator/offers/"))
    assert other.locator("#changes-count").inner_text().strip() == "1"
    row = other.locator("#changes tbody tr").first.inner_text()
    assert world.data["answers"]["preferred_name"] in row and cook.full_name in row
    assert t(lang, "%(name)s, for the diner", name=addressed(world.referrer.full_name, language=lang)) in row
    audit(other, lang=lang, console=other_console)
    click(other, f'#changes a[href="{world.path(f"/coordinator/matches/{match.pk}/")}"]')
    assert PAUSE_REASON in other.locator("#change-request").inner_text()
    audit(other, lang=lang, console=other_console)
