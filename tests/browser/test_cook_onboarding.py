"""Cook onboarding in a real browser, in both languages: the profile, each way of proving who you
are (a photo a coordinator decides, a document seen in person, Stripe's online check against the
local fake), the coordinator's queue and decisions, placing a cook on the map, approval, suspension
and reactivation, and the cook's checklist after each step. Every page of ours on the way is audited
(axe + the extra checks); Stripe's hosted page is not ours and is not audited.

Each test has two people at once: a tab is one language and width, so the cook and the coordinator
use different widths. English runs in area A (UK, E8/E9), Japanese in area B (Japan, 154/155) with
its own coordinator, so the Japanese cook types a Japanese address, phone number and postcode."""

from decimal import Decimal

import pytest
from django.utils import translation

from accounts.onboarding import eligibility as onboarding_eligibility
from accounts.onboarding import services as cook_services
from accounts.onboarding.models import CookProfile, IdentityCheck
from accounts.onboarding.stripe_identity import stripe_error_message
from accounts.people.access import can_manage_area
from accounts.people.models import Area, User
from accounts.review import services as review_services
from casserole.names import addressed
from tests.browser.checks import audit, error_summary_problems
from tests.browser.support import World, banner, click, make_world, summary_links, t, url_path
from tests.factories import UserFactory, loaded_course
from tests.onboarding import approve_identity, jpeg_upload
from tests.training.conftest import certify

PEOPLE = {
    "en": {
        "full_name": "Margaret Ellis",
        "name_reading": "",
        "email": "margaret@example.org",
        "phone": "020 7123 4567",  # not 020 7946 0xxx: drama numbers are refused
        "phone_e164": "+442071234567",
        "phone_shown": "020 7123 4567",  # how the profile page shows the stored number
        "bad_phone": "12345",
        "country": "GB",
        "address_line1": "1 Mare Street",
        "address_line2": "Flat 2",
        "town": "London",
        "postcode": "E8 1DY",
        "bad_postcode": "E8",
        # Area A covers E9, but the offline table only knows where E8 is.
        "unplaced_postcode": "E9 5LN",
        "travel_distance": "1.5",
        "frequency": "weekly",
        "cooking_likes": "Stews, soups and crumbles",
        "note_for_diners": "I live round the corner and love a chat.",
        "document": "driving_licence",
        "pin": ("51.5466", "-0.0553", "Homerton"),
    },
    "ja": {
        "full_name": "山田 花子",
        "name_reading": "ヤマダ ハナコ",
        "email": "hanako@example.jp",
        # Typed on a Japanese keyboard: full-width digits and the long-vowel mark for the dashes.
        "phone": "０３ー１２３４ー５６７８",
        "phone_e164": "+81312345678",
        "phone_shown": "03-1234-5678",
        "bad_phone": "03-1234",
        "country": "JP",
        "address_line1": "代沢1-2-3",
        "address_line2": "",
        "town": "世田谷区",
        "postcode": "154-0004",
        "bad_postcode": "15400",
        # Area B covers 155, but the offline table only knows where 154 is.
        "unplaced_postcode": "155-0031",
        "travel_distance": "2",
        "frequency": "fortnightly",
        "cooking_likes": "煮物と味噌汁",
        "note_for_diners": "近所に住んでいます。よろしくお願いします。",
        "document": "my_number_card",
        "pin": ("35.6630", "139.6650", "北沢"),
    },
}
PROFILE_TEXT_FIELDS = (
    "full_name",
    "name_reading",
    "phone",
    "address_line1",
    "address_line2",
    "town",
    "postcode",
    "travel_distance",
    "cooking_likes",
    "note_for_diners",
)
REASON = {
    "en": "The photo is blurred – take it again in good light.",
    "ja": "写真がぼやけています。明るい場所でもう一度撮ってください。",
}
SUSPEND_REASON = {"en": "We had a complaint and are looking into it.", "ja": "ご意見をいただいたため、確認しています。"}
REACTIVATE_REASON = {"en": "We have spoken and all is well.", "ja": "お話しして、問題がないことを確認しました。"}
# A PDF named like a photo: the browser sends it as image/jpeg; the bytes decide.
NOT_A_PHOTO = {"name": "passport.jpg", "mimeType": "image/jpeg", "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"}


def _world(request, lang: str) -> World:
    # Area B also covers 155, where the offline table cannot place anyone: a cook to place by hand.
    return make_world(request, lang, PEOPLE[lang], ja_postcodes="154 155")


def _new_cook(world: World) -> User:
    """A cook as sign-up leaves them (sign-up itself: test_sign_up.py): no profile, no area yet."""
    person = world.data
    return UserFactory(
        full_name=person["full_name"],
        name_reading=person["name_reading"],
        email=person["email"],
        is_cook=True,
        preferred_language=world.lang,
    )


def _profiled_cook(world: World) -> User:
    """A cook who has saved their profile (through the service, as the profile page would)."""
    cook = _new_cook(world)
    person = world.data
    cook_services.save_cook_profile(
        cook=cook,
        full_name=person["full_name"],
        name_reading=person["name_reading"],
        phone=person["phone_e164"],
        country=person["country"],
        address_line1=person["address_line1"],
        address_line2=person["address_line2"],
        town=person["town"],
        postcode=person["postcode"],
        travel_distance=Decimal(person["travel_distance"]),
        frequency=person["frequency"],
        cooking_likes=person["cooking_likes"],
        note_for_diners=person["note_for_diners"],
    )
    cook.refresh_from_db()
    assert cook.home_area is not None and can_manage_area(world.coordinator, cook.home_area)
    return cook


def _fill_profile(page, person: dict, **overrides):
    values = {**person, **overrides}
    for field in PROFILE_TEXT_FIELDS:
        page.fill(f"#id_{field}", values[field])
    page.check(f'input[name="country"][value="{values["country"]}"]')
    page.check(f'input[name="frequency"][value="{values["frequency"]}"]')


def _assert_profile_kept(page, person: dict, **overrides):
    values = {**person, **overrides}
    for field in PROFILE_TEXT_FIELDS:
        assert page.input_value(f"#id_{field}") == values[field], f"{field} was not kept"
    assert page.is_checked(f'input[name="country"][value="{values["country"]}"]')
    assert page.is_checked(f'input[name="frequency"][value="{values["frequency"]}"]')


def _wait_for_identity_photo(page):
    """The coordinator's <img> of the document has loaded (it comes from an audited private view)."""
    page.wait_for_function(
        "() => { const img = document.querySelector('img.casserole-identity-photo');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )


def _step_status(page, step: str) -> str:
    return page.locator(f"#step-{step}-status").inner_text().strip()


# 1. The photo route, the whole journey ------------------------------------------------------------


@pytest.mark.parametrize(("lang", "cook_width", "coordinator_width"), [("en", 1280, 390), ("ja", 390, 1280)])
def test_a_cook_fills_in_the_profile_sends_a_photo_and_is_approved(
    request, open_page, stripe_off, lang, cook_width, coordinator_width
):
    world = _world(request, lang)
    person = world.data
    cook = _new_cook(world)
    course = loaded_course()

    # The checklist after sign-up: the profile comes first, identity cannot start yet.
    page, console = open_page(lang=lang, width=cook_width, user=cook)
    page.goto(world.url("/account/cook/"))
    assert _step_status(page, "profile") == t(lang, "Not started")
    assert _step_status(page, "identity") == t(lang, "Cannot start yet")
    audit(page, lang=lang, console=console)

    # The profile: wrong phone number and postcode first; everything typed is kept.
    click(page, f'#cook-steps a[href="{world.path("/account/cook/profile/")}"]')
    assert url_path(page) == world.path("/account/cook/profile/")
    assert page.input_value("#id_full_name") == person["full_name"], "the name from sign-up is filled in"
    assert page.is_checked(f'input[name="country"][value="{person["country"]}"]'), "the country follows the language"
    audit(page, lang=lang, console=console)
    bad = {"phone": person["bad_phone"], "postcode": person["bad_postcode"]}
    _fill_profile(page, person, **bad)
    click(page, "main form button[type=submit]")
    assert url_path(page) == world.path("/account/cook/profile/")
    problems = error_summary_problems(page, lang)
    assert summary_links(page) == {"#id_phone", "#id_postcode"}
    _assert_profile_kept(page, person, **bad)
    assert not CookProfile.objects.filter(user=cook).exists()
    audit(page, lang=lang, console=console, from_page_start=False, extra=problems)

    page.fill("#id_phone", person["phone"])
    page.fill("#id_postcode", person["postcode"])
    click(page, "main form button[type=submit]")
    assert url_path(page) == world.path("/account/cook/")
    assert t(lang, "Your profile is saved.") in banner(page)
    assert _step_status(page, "profile") == t(lang, "Completed")
    assert _step_status(page, "identity") == t(lang, "Not started")
    profile = CookProfile.objects.get(user=cook)
    assert not profile.needs_placing
    cook.refresh_from_db()
    assert (cook.phone, profile.postcode) == (person["phone_e164"], person["postcode"])
    assert profile.travel_unit == (Area.DistanceUnit.MILES if lang == "en" else Area.DistanceUnit.KM)
    audit(page, lang=lang, console=console)

    # Identity: the ways to prove it (no Stripe keys here, so no online route), then the photo.
    click(page, f'#cook-steps a[href="{world.path("/account/cook/identity/")}"]')
    assert page.locator("#route-photo").is_visible() and page.locator("#route-in-person").is_visible()
    assert page.locator("#route-stripe").count() == 0
    audit(page, lang=lang, console=console)
    click(page, f'main a[href="{world.path("/account/cook/identity/photo/")}"]')
    assert url_path(page) == world.path("/account/cook/identity/photo/")
    audit(page, lang=lang, console=console)

    # A PDF renamed .jpg: a clear message, the document chosen is kept, nothing stored.
    page.check(f'input[name="document_type"][value="{person["document"]}"]')
    page.set_input_files("#id_photo", NOT_A_PHOTO)
    click(page, "main form button[type=submit]")
    problems = error_summary_problems(page, lang)
    assert summary_links(page) == {"#id_photo"}
    assert t(lang, "The photo must be a JPG, PNG or HEIC file") in page.locator(".govuk-error-summary").inner_text()
    assert page.is_checked(f'input[name="document_type"][value="{person["document"]}"]')
    assert not IdentityCheck.objects.filter(cook=cook).exists()
    audit(page, lang=lang, console=console, from_page_start=False, extra=problems)

    photo = jpeg_upload(size=(640, 400))
    page.set_input_files("#id_photo", {"name": "passport.jpg", "mimeType": "image/jpeg", "buffer": photo.read()})
    click(page, "main form button[type=submit]")
    assert url_path(page) == world.path("/account/cook/")
    assert _step_status(page, "identity") == t(lang, "Waiting for a coordinator")
    check = IdentityCheck.objects.get(cook=cook)
    assert (check.method, check.document_type, check.status) == ("photo", person["document"], "pending")
    audit(page, lang=lang, console=console)

    # The coordinator: the queue shows the check; opening it shows the photo; Approve is the second click.
    other, other_console = open_page(lang=lang, width=coordinator_width, user=world.coordinator)
    other.goto(world.url("/coordinator/identity/"))
    assert other.locator("#waiting-count").inner_text().strip() == "1"
    audit(other, lang=lang, console=other_console)
    click(other, f'main a[href="{world.path(f"/coordinator/cooks/{cook.pk}/identity/{check.pk}/")}"]')
    assert person["full_name"] in other.locator("h1").inner_text()
    _wait_for_identity_photo(other)
    audit(other, lang=lang, console=other_console)
    click(other, 'main form:has(input[name="decision"][value="approve"]) button[type=submit]')
    assert url_path(other) == world.path("/coordinator/identity/")
    name = addressed(person["full_name"], language=lang)
    assert t(lang, "Identity approved for %(name)s. The photo has been deleted.", name=name) in banner(other)
    assert other.locator("#waiting-count").inner_text().strip() == "0"
    audit(other, lang=lang, console=other_console)

    # The cook's checklist: identity done; the course and the coordinator's approval are left.
    page.reload()
    assert _step_status(page, "identity") == t(lang, "Completed")
    assert _step_status(page, "approval") == t(lang, "Cannot start yet")
    audit(page, lang=lang, console=console)

    # With the course passed, the coordinator finds the cook in the list and approves them.
    certify(cook, course)
    click(other, f'main a[href="{world.path("/coordinator/cooks/")}"]')
    assert person["full_name"] in other.locator("main table").inner_text()
    audit(other, lang=lang, console=other_console)
    click(other, f'main a[href="{world.path(f"/coordinator/cooks/{cook.pk}/")}"]')
    audit(other, lang=lang, console=other_console)
    click(other, f'main form[action="{world.path(f"/coordinator/cooks/{cook.pk}/approve/")}"] button')
    assert url_path(other) == world.path(f"/coordinator/cooks/{cook.pk}/")
    name = addressed(person["full_name"], language=lang)
    assert t(lang, "%(name)s is now an active cook. We have emailed them.", name=name) in banner(other)
    audit(other, lang=lang, console=other_console)

    page.reload()
    assert page.locator("#where-you-are").inner_text().strip() == t(
        lang, "You have done every step: you are an active Casserole cook."
    )
    assert _step_status(page, "approval") == t(lang, "Completed")
    assert onboarding_eligibility.is_active_cook(cook)
    audit(page, lang=lang, console=console)


# 2. A rejected photo, then the document seen in person ---------------------------------------------


@pytest.mark.parametrize(("lang", "cook_width", "coordinator_width"), [("en", 390, 1280), ("ja", 1280, 390)])
def test_a_rejected_photo_tells_the_cook_why_then_a_coordinator_sees_the_document(
    request, open_page, lang, cook_width, coordinator_width
):
    world = _world(request, lang)
    person = world.data
    cook = _profiled_cook(world)
    check = cook_services.submit_identity_photo(cook=cook, document_type=person["document"], upload=jpeg_upload())
    check_path = f"/coordinator/cooks/{cook.pk}/identity/{check.pk}/"

    other, other_console = open_page(lang=lang, width=coordinator_width, user=world.coordinator)
    other.goto(world.url(check_path))
    _wait_for_identity_photo(other)

    # "Do not approve" without a reason: an error; nothing is decided and the photo is still there.
    click(other, 'main form:has(input[name="decision"][value="reject"]) button[type=submit]')
    assert url_path(other) == world.path(check_path)
    problems = error_summary_problems(other, lang)
    assert summary_links(other) == {"#id_reason"}
    assert t(lang, "Enter the reason, so the cook knows what to do next") in other.locator("main").inner_text()
    check.refresh_from_db()
    assert check.status == IdentityCheck.Status.PENDING and check.image_name
    _wait_for_identity_photo(other)
    audit(other, lang=lang, console=other_console, from_page_start=False, extra=problems)

    other.fill("#id_reason", REASON[lang])
    click(other, 'main form:has(input[name="decision"][value="reject"]) button[type=submit]')
    assert url_path(other) == world.path("/coordinator/identity/")
    name = addressed(person["full_name"], language=lang)
    assert t(lang, "Identity not approved for %(name)s. We have told them why.", name=name) in banner(other)
    check.refresh_from_db()
    assert (check.status, check.image_name) == (IdentityCheck.Status.REJECTED, "")

    # The cook sees the reason and what to do, on the checklist and on the identity page.
    page, console = open_page(lang=lang, width=cook_width, user=cook)
    page.goto(world.url("/account/cook/"))
    assert _step_status(page, "identity") == t(lang, "Not approved")
    assert REASON[lang] in page.locator("#step-identity-hint").inner_text()
    audit(page, lang=lang, console=console)
    click(page, f'#cook-steps a[href="{world.path("/account/cook/identity/")}"]')
    main = page.locator("main").inner_text()
    assert REASON[lang] in main
    assert t(lang, "Send a new photo, or show your document to a coordinator in person.") in main
    assert page.locator(f'main a[href="{world.path("/account/cook/identity/photo/")}"]').is_visible()
    audit(page, lang=lang, console=console)

    # The coordinator records the document seen in person: nothing chosen first, then the answers.
    other.goto(world.url(f"/coordinator/cooks/{cook.pk}/"))
    audit(other, lang=lang, console=other_console)
    click(other, f'main a[href="{world.path(f"/coordinator/cooks/{cook.pk}/identity/in-person/")}"]')
    audit(other, lang=lang, console=other_console)
    other.check('input[name="channel"][value="web"]')
    click(other, "main form button[type=submit]")
    problems = error_summary_problems(other, lang)
    assert summary_links(other) == {"#id_document_type_0", "#id_confirmed"}
    assert other.is_checked('input[name="channel"][value="web"]'), "the answer given is kept"
    assert not IdentityCheck.objects.filter(cook=cook, method=IdentityCheck.Method.IN_PERSON).exists()
    audit(other, lang=lang, console=other_console, from_page_start=False, extra=problems)

    other.check(f'input[name="document_type"][value="{person["document"]}"]')
    other.check("#id_confirmed")
    click(other, "main form button[type=submit]")
    assert url_path(other) == world.path(f"/coordinator/cooks/{cook.pk}/")
    name = addressed(person["full_name"], language=lang)
    assert t(lang, "Identity approved for %(name)s.", name=name) in banner(other)
    audit(other, lang=lang, console=other_console)

    page.reload()
    assert page.locator("#identity-state").inner_text().strip() == t(lang, "Your identity is approved")
    audit(page, lang=lang, console=console)
    page.goto(world.url("/account/cook/"))
    assert _step_status(page, "identity") == t(lang, "Completed")


# 3. Stripe's online check, against the local fake and its signed webhooks --------------------------


@pytest.mark.parametrize(("lang", "width", "outcome"), [("en", 390, "verified"), ("ja", 1280, "requires_input")])
def test_the_online_check_with_stripe(request, open_page, live_server, stripe_fake, lang, width, outcome):
    world = _world(request, lang)
    # The fake's buttons finish the check and deliver the signed event to this live server.
    stripe_fake.webhook_url = live_server.url + "/stripe/webhook/"
    # Our pages may send a form to Stripe's hosted page and nowhere else; here that page is the fake's.
    settings = request.getfixturevalue("settings")
    assert "https://verify.stripe.com" in settings.SECURE_CSP["form-action"]
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "form-action": [*settings.SECURE_CSP["form-action"], stripe_fake.base_url],
    }
    cook = _profiled_cook(world)

    page, console = open_page(lang=lang, width=width, user=cook)
    # The fake hosted page has no icon; the browser's request for one is not a problem of ours.
    console.expected_failures.add(stripe_fake.base_url + "/favicon.ico")
    page.goto(world.url("/account/cook/identity/"))
    assert page.locator("#route-stripe").is_visible()
    audit(page, lang=lang, console=console)

    # Off to Stripe's hosted page (the fake's, not ours: not audited).
    click(page, f'main form[action="{world.path("/account/cook/identity/stripe/")}"] button')
    assert page.url.startswith(stripe_fake.base_url + "/hosted/"), page.url
    check = IdentityCheck.objects.get(cook=cook)
    assert check.method == IdentityCheck.Method.STRIPE and check.stripe_session_id
    button = "Submit a matching document" if outcome == "verified" else "Submit a blurred document"
    with page.expect_navigation(url=f"**/{lang}/account/cook/identity/stripe/return/"):
        page.get_by_role("button", name=button).click()

    check.refresh_from_db()
    if outcome == "verified":
        assert check.status == IdentityCheck.Status.APPROVED
        assert page.locator("h1").inner_text().strip() == t(lang, "Your identity is approved")
        audit(page, lang=lang, console=console)
        click(page, f'main a[href="{world.path("/account/cook/")}"]')
        assert _step_status(page, "identity") == t(lang, "Completed")
        audit(page, lang=lang, console=console)
        return

    # Stripe could not read it: the page says why, and offers another try or a photo instead.
    assert (check.status, check.stripe_error_code) == (IdentityCheck.Status.NEEDS_INPUT, "document_unverified_other")
    assert page.locator("h1").inner_text().strip() == t(lang, "Your online check needs another try")
    with translation.override(lang):
        problem = str(stripe_error_message("document_unverified_other"))
    assert page.locator("#stripe-problem").inner_text().strip() == problem
    photo_link = f'main a[href="{world.path("/account/cook/identity/photo/")}"]'
    assert page.locator(f'main form[action="{world.path("/account/cook/identity/stripe/")}"] button').is_visible()
    assert page.locator(photo_link).is_visible()
    audit(page, lang=lang, console=console)

    click(page, f'main a[href="{world.path("/account/cook/")}"]')
    assert _step_status(page, "identity") == t(lang, "Needs something from you")
    assert problem in page.locator("#step-identity-hint").inner_text()
    audit(page, lang=lang, console=console)

    # The identity page offers the same: another online try, or a photo instead.
    click(page, f'#cook-steps a[href="{world.path("/account/cook/identity/")}"]')
    assert problem in page.locator("#identity-state").inner_text()
    retry = page.locator(f'main form[action="{world.path("/account/cook/identity/stripe/")}"] button')
    assert retry.inner_text().strip() == t(lang, "Try the online check again")
    assert page.locator("#route-photo").is_visible()
    audit(page, lang=lang, console=console)
    click(page, photo_link)
    assert url_path(page) == world.path("/account/cook/identity/photo/"), "a photo may replace the stalled check"
    page.check(f'input[name="document_type"][value="{world.data["document"]}"]')
    page.set_input_files("#id_photo", {"name": "card.jpg", "mimeType": "image/jpeg", "buffer": jpeg_upload().read()})
    click(page, "main form button[type=submit]")
    assert url_path(page) == world.path("/account/cook/")
    assert _step_status(page, "identity") == t(lang, "Waiting for a coordinator")
    check.refresh_from_db()
    assert check.status == IdentityCheck.Status.CANCELLED
    audit(page, lang=lang, console=console)


# 4. Placing a cook by hand, suspending and reactivating ---------------------------------------------


@pytest.mark.parametrize(("lang", "cook_width", "coordinator_width"), [("en", 390, 1280), ("ja", 1280, 390)])
def test_a_cook_off_the_map_is_placed_then_suspended_and_reactivated_with_reasons(
    request, open_page, lang, cook_width, coordinator_width
):
    world = _world(request, lang)
    person = world.data
    cook = _profiled_cook(world)
    approve_identity(cook, by=world.coordinator)
    certify(cook, loaded_course())
    review_services.approve_cook(by=world.coordinator, cook=cook)

    # The cook moves to a postcode the map does not know: saved, and told so plainly.
    page, console = open_page(lang=lang, width=cook_width, user=cook)
    page.goto(world.url("/account/cook/profile/"))
    _assert_profile_kept(page, person, phone=person["phone_shown"])
    page.fill("#id_postcode", person["unplaced_postcode"])
    click(page, "main form button[type=submit]")
    assert url_path(page) == world.path("/account/cook/")
    off_the_map = t(
        lang,
        "We couldn’t find your address on the map. Your profile is saved; a coordinator will place you by hand "
        "– you don’t need to do anything.",
    )
    assert off_the_map in banner(page)
    assert page.locator("#needs-placing").inner_text().strip() == off_the_map
    assert CookProfile.objects.get(user=cook).needs_placing
    audit(page, lang=lang, console=console)

    # The coordinator places them: a latitude off the globe first, everything typed is kept.
    detail = f"/coordinator/cooks/{cook.pk}/"
    other, other_console = open_page(lang=lang, width=coordinator_width, user=world.coordinator)
    other.goto(world.url(detail))
    assert t(lang, "Needs placing") in other.locator("#location-heading + dl").inner_text()
    click(other, f'main a[href="{world.path(detail + "location/")}"]')
    assert person["unplaced_postcode"] in other.locator("main").inner_text()
    audit(other, lang=lang, console=other_console)
    latitude, longitude, neighbourhood = person["pin"]
    other.fill("#id_latitude", "91")
    other.fill("#id_longitude", longitude)
    other.fill("#id_neighbourhood", neighbourhood)
    click(other, "main form button[type=submit]")
    problems = error_summary_problems(other, lang)
    assert summary_links(other) == {"#id_latitude"}
    assert t(lang, "Latitude must be between -90 and 90") in other.locator("main").inner_text()
    assert (other.input_value("#id_latitude"), other.input_value("#id_longitude")) == ("91", longitude)
    assert other.input_value("#id_neighbourhood") == neighbourhood
    audit(other, lang=lang, console=other_console, from_page_start=False, extra=problems)
    other.fill("#id_latitude", latitude)
    click(other, "main form button[type=submit]")
    assert url_path(other) == world.path(detail)
    assert t(
        lang, "%(name)s has been placed on the map.", name=addressed(person["full_name"], language=lang)
    ) in banner(other)
    location = other.locator("#location-heading + dl").inner_text()
    assert t(lang, "Placed") in location and neighbourhood in location
    audit(other, lang=lang, console=other_console)

    page.reload()
    assert page.locator("#needs-placing").count() == 0

    # Suspend: a reason is needed, and the cook sees it.
    click(other, f'main a[href="{world.path(detail + "suspend/")}"]')
    audit(other, lang=lang, console=other_console)
    click(other, "main form button[type=submit]")
    problems = error_summary_problems(other, lang)
    assert summary_links(other) == {"#id_reason"}
    audit(other, lang=lang, console=other_console, from_page_start=False, extra=problems)
    other.fill("#id_reason", SUSPEND_REASON[lang])
    click(other, "main form button[type=submit]")
    assert url_path(other) == world.path(detail)
    assert SUSPEND_REASON[lang] in other.locator("#status-heading").locator("..").inner_text()
    assert CookProfile.objects.get(user=cook).status == CookProfile.Status.SUSPENDED
    audit(other, lang=lang, console=other_console)

    page.reload()
    assert page.locator("#where-you-are").inner_text().strip() == t(
        lang, "Your cooking with Casserole is paused for now."
    )
    assert page.locator("#suspended-reason").inner_text().strip() == SUSPEND_REASON[lang]
    assert _step_status(page, "approval") == t(lang, "Paused")
    audit(page, lang=lang, console=console)

    # Reactivate: a reason again, errors first.
    click(other, f'main a[href="{world.path(detail + "reactivate/")}"]')
    assert SUSPEND_REASON[lang] in other.locator("main").inner_text()
    audit(other, lang=lang, console=other_console)
    click(other, "main form button[type=submit]")
    problems = error_summary_problems(other, lang)
    assert summary_links(other) == {"#id_reason"}
    assert t(lang, "Enter the reason for reactivating this cook") in other.locator("main").inner_text()
    audit(other, lang=lang, console=other_console, from_page_start=False, extra=problems)
    other.fill("#id_reason", REACTIVATE_REASON[lang])
    click(other, "main form button[type=submit]")
    assert url_path(other) == world.path(detail)
    assert t(
        lang, "%(name)s is active again. We have emailed them.", name=addressed(person["full_name"], language=lang)
    ) in banner(other)
    audit(other, lang=lang, console=other_console)

    page.reload()
    assert page.locator("#where-you-are").inner_text().strip() == t(
        lang, "You have done every step: you are an active Casserole cook."
    )
    assert page.locator("#suspended-reason").count() == 0
    assert onboarding_eligibility.is_active_cook(cook)
    audit(page, lang=lang, console=console)
