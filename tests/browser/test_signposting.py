"""Beyond the meal in a real browser (issue 16), in both languages: a coordinator adds two services to
their area's directory, records the diner's loneliness answers (high), and the diner's record suggests one
of them; the coordinator records that they told the diner about it (for their card) and later that it took
place; the match's timeline, the impact page and the printed card show it; a service not checked for a year
is flagged; and the other area's coordinator cannot open this area's entries (404). Every page of ours on
the way is audited (axe + the extra checks).

English runs in area A (UK) and Japanese in area B (Japan): tests/browser/test_matching.py's world, cook and
diner. The coordinator works on a small laptop (1024 px)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meals.diners.models import Diner
from meals.relationships.models import LonelinessMeasure
from meals.signposting.models import OnwardReferral, SupportService, stale_cutoff
from tests.browser.checks import audit as audit_page
from tests.browser.support import banner, click, switch_user, t, url_path
from tests.browser.test_matching import _cook, _diner, _world
from tests.factories import DinerFactory
from tests.meals.schedule.conftest import make_active_match

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 1024

# The two services each coordinator adds: a lunch club near the diner (company) and a befriending phone line.
SERVICES = {
    "en": (
        {
            "name": "Mare Street Lunch Club",
            "description": "A hot lunch and a chat every Tuesday in the church hall.",
            "categories": ["company", "meals"],
            "suits": ["anyone"],
            "phone": "020 8533 1234",
            "address": "Church hall, Mare Street",
            "postcode": "E8 1DY",
            "opening_hours": "Tuesdays 12 noon to 2pm",
            "cost": "donation",
            "needs_consent": "no",
        },
        {
            "name": "Hackney Befriending Calls",
            "description": "A weekly phone call from a volunteer.",
            "categories": ["talk"],
            "suits": ["anyone", "carers"],
            "website": "https://example.org/befriending",
            "cost": "free",
            "needs_consent": "yes",
        },
    ),
    "ja": (
        {
            "name_ja": "三軒茶屋ふれあいサロン",
            "description_ja": "毎週火曜日、集会所でお茶とおしゃべり。",
            "categories": ["company"],
            "suits": ["anyone"],
            "phone": "03-3411-1234",
            "address": "世田谷区三軒茶屋1-1-1 集会所",
            "postcode": "154-0024",
            "opening_hours_ja": "火曜日 13時〜15時",
            "cost": "free",
            "needs_consent": "no",
        },
        {
            "name_ja": "せたがや話し相手の電話",
            "description_ja": "ボランティアが週に1回お電話します。",
            "categories": ["talk", "health"],
            "suits": ["anyone"],
            "website": "https://example.jp/hanashiaite",
            "cost": "free",
            "needs_consent": "yes",
        },
    ),
}
# Loneliness answers heard on the phone: each scale's highest, so the score is high.
LONELY = {
    "en": {"companionship": "often", "left_out": "often", "isolated": "some_of_the_time", "lonely": "often_or_always"},
    "ja": {"companionship": "always", "left_out": "sometimes", "isolated": "always", "lonely": "often_or_always"},
}


def audit(page, lang, console):
    audit_page(page, lang=lang, console=console)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")


def _fill_service(page, values: dict):
    for name, value in values.items():
        if name in ("categories", "suits"):
            for key in value:
                page.check(f'input[name="{name}"][value="{key}"]')
        elif name in ("cost", "needs_consent"):
            page.check(f'input[name="{name}"][value="{value}"]')
        else:
            page.fill(f'[name="{name}"]', value)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_other_support_from_directory_to_card(request, open_page, lang):
    world = _world(request, lang)
    diner = _diner(world)
    match = make_active_match(_cook(world), diner, since=timezone.now() - timedelta(days=30))
    area = diner.area
    page, console = open_page(lang=lang, width=WIDTH, user=world.coordinator)

    # 1. The directory, empty; adding a service: the form refuses an empty one, then takes both.
    page.goto(world.url("/coordinator/support/"))
    audit(page, lang, console)
    click(page, f'a[href="{world.path("/coordinator/support/new/")}"]')
    audit(page, lang, console)
    click(page, "main form button[type=submit]")
    assert page.locator(".govuk-error-summary").count() == 1
    audit(page, lang, console)
    for values in SERVICES[lang]:
        page.goto(world.url("/coordinator/support/new/"))
        _fill_service(page, values)
        click(page, "main form button[type=submit]")
        assert url_path(page) == world.path("/coordinator/support/")
    services = list(SupportService.objects.filter(area=area).order_by("pk"))
    assert len(services) == 2
    club, calls = services
    assert club.latitude is not None, "placed from its postcode"
    audit(page, lang, console)

    # 2. A search in the other language's words finds nothing; in the service's, it does.
    query = "lunch" if lang == "en" else "サロン"
    page.goto(world.url(f"/coordinator/support/?q={query}"))
    assert page.locator(f"#service-{club.pk}").count() == 1 and page.locator(f"#service-{calls.pk}").count() == 0
    audit(page, lang, console)

    # 3. The loneliness questions on the phone: high answers.
    page.goto(world.url(f"/coordinator/diners/{diner.pk}/loneliness/"))
    page.check('input[name="consent-given"][value="yes"]')
    click(page, 'main form:has(input[name="action"][value="consent"]) button[type=submit]')
    for key, option in LONELY[lang].items():
        page.check(f'input[name="answers-{key}"][value="{option}"]')
    click(page, 'main form:has(input[name="action"][value="answers"]) button[type=submit]')
    assert LonelinessMeasure.objects.filter(diner=diner).count() == 1

    # 4. The diner's record suggests the lunch club (company), nearest first, and records it for them.
    page.goto(world.url(f"/coordinator/diners/{diner.pk}/"))
    assert page.locator(f"#suggestion-{club.pk}").count() == 1
    audit(page, lang, console)
    click(page, f"#suggestion-{club.pk} a")
    assert url_path(page) == world.path(f"/coordinator/diners/{diner.pk}/support/{club.pk}/")
    assert page.is_checked('input[name="reason"][value="loneliness"]')
    audit(page, lang, console)
    page.check('input[name="kind"][value="told"]')
    page.check('input[name="on_card"]')
    click(page, "main form button[type=submit]")
    assert url_path(page) == world.path(f"/coordinator/diners/{diner.pk}/")
    assert t(lang, "Recorded for %(name)s.", name=Diner.objects.get(pk=diner.pk).addressed) in banner(page)
    referral = OnwardReferral.objects.get(diner=diner)
    assert (referral.service, referral.kind, referral.on_card, referral.match) == (club, "told", True, match)
    assert page.locator(f"#suggestion-{club.pk}").count() == 0, "not suggested again while waiting"
    audit(page, lang, console)

    # 5. Later: it took place.
    click(page, f'#onward-referral-{referral.pk} a[href$="/onward-referrals/{referral.pk}/"]')
    audit(page, lang, console)
    page.check('input[name="outcome"][value="took_place"]')
    click(page, "main form button[type=submit]")
    referral.refresh_from_db()
    assert referral.outcome == "took_place"

    # 6. The timeline shows it.
    page.goto(world.url(f"/coordinator/matches/{match.pk}/timeline/"))
    event = page.locator(f"#event-referral-{referral.pk}")
    assert event.count() == 1
    assert t(lang, "It took place") in event.inner_text()
    audit(page, lang, console)

    # 7. The impact page counts it; four more diners' referrals lift it over the small-number rule.
    for _ in range(4):
        other = DinerFactory(area=area, status=Diner.Status.ACTIVE)
        OnwardReferral.objects.create(diner=other, service=calls, kind="referred", consent=True)
    # (Two days ago: the page's period ends with the server's today, which in Tokyo may already be over.)
    OnwardReferral.objects.update(made_at=timezone.now() - timedelta(days=2))
    page.goto(world.url("/coordinator/impact/"))
    row = page.locator(f"#onward-{area.slug}").inner_text()
    assert (
        "5" in row
        and "1" in row
        and t(lang, "Fewer than %(number)s – hidden so that nobody can be recognised", number=5) not in row
    )
    audit(page, lang, console)

    # 8. The printed card lists the service they chose, in large print.
    page.goto(world.url(f"/coordinator/diners/{diner.pk}/card/"))
    card = page.locator("#card-support").locator("xpath=..").inner_text()
    assert club.display_name(diner.preferred_language) in card
    audit(page, lang, console)

    # 9. A service not checked for a year is flagged.
    SupportService.objects.filter(pk=calls.pk).update(checked_on=stale_cutoff())
    page.goto(world.url("/coordinator/support/"))
    assert page.locator(f"#stale-{calls.pk}").count() == 1 and page.locator(f"#stale-{club.pk}").count() == 0
    audit(page, lang, console)

    # 10. The other area's coordinator cannot open this area's entries.
    other_coordinator = request.getfixturevalue("coordinator_b" if lang == "en" else "coordinator_a")
    switch_user(page, request.getfixturevalue("live_server").url, other_coordinator)
    response = page.goto(world.url(f"/coordinator/support/{club.pk}/"))
    assert response.status == 404
    page.goto(world.url("/coordinator/support/"))
    assert page.locator(f"#service-{club.pk}").count() == 0
