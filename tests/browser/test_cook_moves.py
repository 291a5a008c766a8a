"""An active cook saves an address a long way from the old one (issue 11, item 2): the cook is told it
waits for a coordinator, the coordinator confirms it from the cook's page; in each language, 0 axe
violations on every page."""

import pytest

from accounts.onboarding.models import CookProfile
from casserole.models import PostcodeCentroid
from casserole.names import addressed
from tests.browser.checks import audit
from tests.browser.support import banner, click, make_world, submit_main_form, t, url_path
from tests.browser.test_matching import COOKS
from tests.factories import UserFactory, loaded_course
from tests.meals.conftest import make_active_cook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The first cook of each language of the matching journey, and where they move to.
COOK = {
    "en": {
        **COOKS["en"][0],
        "new": {"address_line1": "5 Wallis Road", "postcode": "E9 5LN"},
        "centroid": ("GB", "E9", "51.545000", "-0.035000", "Hackney Wick"),
    },
    "ja": {
        **COOKS["ja"][0],
        "new": {"address_line1": "北沢2-3-4", "postcode": "155-0031"},
        "centroid": ("JP", "155", "35.661000", "139.668000", "北沢"),
    },
}

SAVED = (
    "Your profile is saved. Your new address moves you more than a short way, or soon after your last move, "
    "so a coordinator will confirm it; until then we find people near your previous address."
)


@pytest.mark.parametrize(("lang", "width"), [("en", 390), ("ja", 1280)])
def test_a_cooks_long_move_waits_for_the_coordinator_who_confirms_it(request, open_page, lang, width):
    world = make_world(request, lang, COOK[lang], ja_postcodes="154 155")
    if lang == "en":
        request.getfixturevalue("area_a").postcode_prefixes = "E8 E9"
    country, prefix, latitude, longitude, place = COOK[lang]["centroid"]
    PostcodeCentroid.objects.get_or_create(
        country=country, prefix=prefix, defaults={"latitude": latitude, "longitude": longitude, "place_name": place}
    )
    person = COOK[lang]
    cook = make_active_cook(
        UserFactory(full_name=person["full_name"], email=person["email"], is_cook=True, preferred_language=lang),
        coordinator=world.coordinator,
        course=loaded_course(),
        **person["profile"],
    )
    old_postcode = person["profile"]["postcode"]

    page, console = open_page(lang=lang, width=width, user=cook)
    page.goto(world.url("/account/cook/profile/"))
    for name, value in person["new"].items():
        page.fill(f"#id_{name}", value)
    submit_main_form(page)
    assert url_path(page) == world.path("/account/cook/")
    assert t(lang, SAVED) in banner(page)
    audit(page, lang=lang, console=console)
    page.goto(world.url("/account/cook/profile/"))
    assert old_postcode in page.locator("#waiting-move").inner_text()
    assert page.input_value("#id_postcode") == person["new"]["postcode"]
    audit(page, lang=lang, console=console)
    assert CookProfile.objects.get(user=cook).postcode == old_postcode

    other_width = 1280 if width == 390 else 390
    coordinator_page, coordinator_console = open_page(lang=lang, width=other_width, user=world.coordinator)
    coordinator_page.goto(world.url(f"/coordinator/cooks/{cook.pk}/"))
    waiting = coordinator_page.locator("#waiting-move")
    assert person["new"]["address_line1"] in waiting.inner_text()
    audit(coordinator_page, lang=lang, console=coordinator_console)
    click(coordinator_page, '#waiting-move button[value="confirm"]')
    assert url_path(coordinator_page) == world.path(f"/coordinator/cooks/{cook.pk}/")
    name = addressed(cook.full_name, language=lang)
    confirmed = t(lang, "%(name)s’s new address is confirmed. We have emailed them.", name=name)
    assert confirmed in banner(coordinator_page)
    assert coordinator_page.locator("#waiting-move").count() == 0
    audit(coordinator_page, lang=lang, console=coordinator_console)
    assert CookProfile.objects.get(user=cook).postcode == person["new"]["postcode"]
