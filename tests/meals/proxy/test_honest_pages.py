"""What a referrer is told about the diner they act for says what is true in each state of the diner's
match, and promises nothing Casserole cannot do yet (meals are not scheduled, confirmed or given
feedback on Casserole yet). The `diner` fixture is Edie in area A; Rita Referrer acts for her (schedule
and details); the cook is Cathy Cook, so the referrer sees "Cathy" only."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from casserole.names import addressed
from casserole.templatetags.casserole_tags import day, when
from meals.diners import services
from meals.diners.models import ProxyAccess
from meals.matching import services as matching

pytestmark = pytest.mark.django_db


def t(language: str, message: str, **values) -> str:
    with translation.override(language):
        text = translation.gettext(message)
    return text % values if values else text


def shown(language: str, moment, as_=when) -> str:
    """A moment as the page writes it (casserole_tags' `when` or `day`) in the area's time zone."""
    with translation.override(language), timezone.override(ZoneInfo("Europe/London")):
        return as_(moment)


@pytest.fixture
def offer(active_cook, diner):
    return matching.offer_to_cook(cook=active_cook, diner=diner)


@pytest.fixture
def approved(offer, coordinator_a):
    return matching.approve_match(by=coordinator_a, match=offer)


@pytest.fixture
def introduced(approved, coordinator_a):
    day = timezone.localdate(timezone=ZoneInfo("Europe/London")) + timedelta(days=3)
    when = datetime.combine(day, time(14, 30), tzinfo=ZoneInfo("Europe/London"))
    return matching.record_introduction(by=coordinator_a, match=approved, method="by_phone", when=when)


@pytest.fixture
def active(approved, coordinator_a):
    return matching.mark_introduced(by=coordinator_a, match=approved)


@pytest.fixture
def paused(active, coordinator_a):
    return matching.change_match(by=coordinator_a, match=active, action="pause", reason="Cook away")


def schedule(login_as, referrer, diner, language="en") -> str:
    response = login_as(referrer).get(f"/{language}/diners/{diner.pk}/schedule/")
    assert response.status_code == 200
    return response.content.decode()


OLD_PROMISE = "When a cook is matched, their visits will appear here"


# The schedule page, state by state ------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ja"])
def test_with_no_cook_the_schedule_says_so_and_what_happens_next(login_as, referrer, diner, language):
    html = schedule(login_as, referrer, diner, language)

    assert (
        t(
            language,
            "No cook is matched with %(name)s yet. When a coordinator matches a cook with them, we will email you the "
            "cook’s first name, and it will show here.",
            name=f"<bdi>{addressed('Edie', language=language)}</bdi>",
        )
        in html
    )
    assert 'id="their-cooks"' not in html
    assert OLD_PROMISE not in html


def test_an_offer_not_yet_approved_is_not_a_cook_for_the_referrer(login_as, referrer, diner, offer):
    html = schedule(login_as, referrer, diner)

    assert "No cook is matched with <bdi>Edie</bdi> yet." in html
    assert "Cathy" not in html


@pytest.mark.parametrize("language", ["en", "ja"])
def test_with_an_approved_cook_the_schedule_names_them_and_says_the_visit_is_being_arranged(
    login_as, referrer, diner, approved, language
):
    html = schedule(login_as, referrer, diner, language)

    cooks = html[html.index('id="their-cooks"') : html.index("</dl>", html.index('id="their-cooks"'))]
    assert "<bdi>Cathy</bdi>" in cooks and "Cathy Cook" not in html  # the first name only
    assert (
        t(language, "Matched. The coordinator is arranging their first visit and will email you when it is.") in cooks
    )
    assert (
        t(
            language,
            "The cook suggests each meal. To confirm a meal, say %(name)s can’t have it, or ask about anything else, "
            "call us on <strong>%(phone)s</strong>.",
            name=f"<bdi>{addressed('Edie', language=language)}</bdi>",
            phone=diner.area.help_phone,
        )
        in html
    )
    assert OLD_PROMISE not in html and "No meals are scheduled yet" not in html


@pytest.mark.parametrize("language", ["en", "ja"])
def test_with_an_introduction_arranged_the_schedule_gives_its_date_in_the_areas_time(
    login_as, referrer, diner, introduced, language
):
    html = schedule(login_as, referrer, diner, language)

    assert t(language, "First visit: %(when)s", when=shown(language, introduced.introduction_at)) in html


@pytest.mark.parametrize("language", ["en", "ja"])
def test_with_an_active_match_the_schedule_says_since_when(login_as, referrer, diner, active, language):
    html = schedule(login_as, referrer, diner, language)

    assert (
        t(
            language,
            "Cooking for %(name)s since %(date)s",
            name=f"<bdi>{addressed('Edie', language=language)}</bdi>",
            date=shown(language, active.active_since, day),
        )
        in html
    )


@pytest.mark.parametrize("language", ["en", "ja"])
def test_with_a_paused_match_the_schedule_says_meals_are_paused(login_as, referrer, diner, paused, language):
    html = schedule(login_as, referrer, diner, language)

    assert t(language, "Meals paused for now") in html
    assert "<bdi>Cathy</bdi>" in html


def test_an_ended_match_leaves_the_schedule(login_as, referrer, diner, active, coordinator_a):
    matching.change_match(by=coordinator_a, match=active, action="end", reason="Moved away")

    html = schedule(login_as, referrer, diner)

    assert "Cathy" not in html
    assert "No cook is matched with <bdi>Edie</bdi> yet." in html


def test_a_cook_with_no_first_name_to_show_is_their_cook(login_as, referrer, diner, approved):
    # A Japanese name written without a space cannot be split: nothing of it is shown.
    approved.cook.full_name = "山田花子"
    approved.cook.save(update_fields=["full_name"])

    html = schedule(login_as, referrer, diner)

    cooks = html[html.index('id="their-cooks"') : html.index("</dl>", html.index('id="their-cooks"'))]
    assert "<bdi>Their cook</bdi>" in cooks and "山田" not in html


# The diner's page: what the referrer may do, and how to do it today ---------------------------------------


@pytest.mark.parametrize("language", ["en", "ja"])
def test_feedback_is_given_online_by_each_active_cook_or_by_phone(
    login_as, referrer, diner, coordinator_a, active, language
):
    access = ProxyAccess.objects.get(diner=diner, referrer=referrer)
    services.set_proxy_scopes(
        by=coordinator_a, access=access, scopes={"can_view_schedule": True, "can_give_feedback": True}
    )

    html = login_as(referrer).get(f"/{language}/diners/{diner.pk}/").content.decode()

    by_phone = html[html.index('id="by-phone"') : html.index("</p>", html.index('id="by-phone"'))]
    expected = (
        "To tell us how their meals are going, use the feedback link by their cook’s name below while they have "
        "meals with a cook, or call us on <strong>%(phone)s</strong>."
    )
    assert t(language, expected, phone=diner.area.help_phone) in by_phone
    assert "cannot be done on Casserole yet" not in html
    assert f'href="/{language}/diners/{diner.pk}/matches/{active.pk}/feedback/"' in html


def test_without_the_feedback_scope_there_is_no_feedback_link(login_as, referrer, diner, active):
    html = login_as(referrer).get(f"/en/diners/{diner.pk}/").content.decode()

    assert f"/matches/{active.pk}/feedback/" not in html


@pytest.mark.parametrize("language", ["en", "ja"])
def test_confirming_meals_points_to_the_schedule_where_it_is_done(login_as, referrer, diner, coordinator_a, language):
    access = ProxyAccess.objects.get(diner=diner, referrer=referrer)
    services.set_proxy_scopes(
        by=coordinator_a, access=access, scopes={"can_view_schedule": True, "can_confirm_meals": True}
    )

    html = login_as(referrer).get(f"/{language}/diners/{diner.pk}/").content.decode()

    confirm = html[html.index('id="confirm-meals"') : html.index("</p>", html.index('id="confirm-meals"'))]
    assert f'href="/{language}/diners/{diner.pk}/schedule/"' in confirm
    assert 'id="by-phone"' not in html


def test_without_those_scopes_nothing_is_said_about_phoning(login_as, referrer, diner):
    html = login_as(referrer).get(f"/en/diners/{diner.pk}/").content.decode()

    assert 'id="by-phone"' not in html


# The large-print card, for the referrer and for the coordinator -------------------------------------------


def card(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def sides(html: str) -> dict[str, str]:
    """The card's English and Japanese sides."""
    en = html.index('aria-labelledby="card-en-title"')
    ja = html.index('aria-labelledby="card-ja-title"')
    return {"en": html[en : html.index("</section>", en)], "ja": html[ja : html.index("</section>", ja)]}


@pytest.mark.parametrize("who", ["referrer", "coordinator"])
def test_the_card_of_an_unmatched_diner_says_no_cook_yet_on_both_sides(
    login_as, referrer, coordinator_a, diner, offer, who
):
    client, url = (
        (login_as(referrer), f"/en/diners/{diner.pk}/card/")
        if who == "referrer"
        else (login_as(coordinator_a), f"/en/coordinator/diners/{diner.pk}/card/")
    )

    for language, side in sides(card(client, url)).items():
        assert (
            t(
                language,
                "No cook is arranged yet. When we have found a cook near you, we will tell you their first name.",
            )
            in side
        )
        assert "Cathy" not in side  # an offer is not a cook yet
        assert "we will give you a new card" not in side


@pytest.mark.parametrize("who", ["referrer", "coordinator"])
def test_the_card_names_the_cook_and_gives_the_first_visit(login_as, referrer, coordinator_a, diner, introduced, who):
    client, url = (
        (login_as(referrer), f"/en/diners/{diner.pk}/card/")
        if who == "referrer"
        else (login_as(coordinator_a), f"/en/coordinator/diners/{diner.pk}/card/")
    )

    for language, side in sides(card(client, url)).items():
        assert t(language, "Your cook is %(cook)s.", cook=f"<bdi>{addressed('Cathy', language=language)}</bdi>") in side
        assert (
            t(
                language,
                "They will first come to see you on %(when)s.",
                when=shown(language, introduced.introduction_at),
            )
            in side
        )
        assert t(language, "Your cook will agree the days of your meals with you.") in side


def test_the_card_of_a_paused_match_says_meals_are_stopped(login_as, referrer, diner, paused):
    for language, side in sides(card(login_as(referrer), f"/en/diners/{diner.pk}/card/")).items():
        assert t(language, "Your meals are stopped for now.") in side
