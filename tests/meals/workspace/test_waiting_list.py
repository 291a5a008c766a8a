"""The waiting list: every accepted diner of the coordinator's areas still without a cook, the longest wait
first, with the days waited and the active cooks within reach."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from accounts.onboarding.models import CookProfile
from meals.diners.models import Diner
from meals.matching.models import Match
from meals.referrals.models import Referral
from tests.factories import (
    E8_CENTRE,
    CookProfileFactory,
    CoordinatorFactory,
    DinerFactory,
    MatchFactory,
    ReferralFactory,
    UserFactory,
    add_totp,
)
from tests.training.conftest import certify

pytestmark = pytest.mark.django_db

URL = "/en/coordinator/waiting/"
# About 0.9 km north-east of the centre of E8: within a 1.5 km cook's reach of a diner there, not of 0.5 km.
NEAR_E8 = {"latitude": 51.549, "longitude": -0.049}
FAR_AWAY = {"latitude": 51.62, "longitude": -0.25}
FARTHER = {"latitude": 51.67, "longitude": -0.25}  # about 5.6 km north of FAR_AWAY


def accepted_diner(area, name: str, *, days_ago: float, placed=E8_CENTRE, **fields) -> Diner:
    diner = DinerFactory(
        area=area,
        full_name=name,
        created_at=timezone.now() - timedelta(days=days_ago + 20),
        **(placed or {}),
        **{"status": Diner.Status.ACTIVE, **fields},
    )
    ReferralFactory(
        diner=diner,
        status=Referral.Status.ACCEPTED,
        decided_at=timezone.now() - timedelta(days=days_ago, minutes=30),
    )
    return diner


def active_cook(area, course, *, travel="1.5", place=E8_CENTRE, status=CookProfile.Status.ACTIVE, **certificate):
    user = UserFactory(is_cook=True, home_area=area)
    CookProfileFactory(user=user, status=status, travel_distance=travel, **place)
    certify(user, course, **certificate)
    return user


def rows(html: str) -> list[str]:
    """The diners' names in the order the list shows them."""
    table = html[html.index('id="waiting"') :]
    return re.findall(r'<th scope="row"[^>]*><a class="govuk-link" href="[^"]+"><bdi>([^<]+)</bdi>', table)


def row(html: str, diner: Diner) -> str:
    start = html.index(f'id="waiting-{diner.pk}"')
    return " ".join(re.sub(r"<[^>]+>", " ", html[start : html.index("</tr>", start)]).split())


@pytest.fixture
def waiting(area_a, area_b, course):
    """Four diners waiting in area A, and people who are not waiting; cooks near and far."""
    now = timezone.now()
    people = {
        "near": accepted_diner(area_a, "Nora Near", days_ago=12),
        "far": accepted_diner(area_a, "Fred Far", days_ago=30, placed=FAR_AWAY),
        "unplaced": accepted_diner(area_a, "Una Unplaced", days_ago=5, placed=None),
        # Accepted 40 days ago, their match ended 3 days ago: waiting again from that day.
        "again": accepted_diner(area_a, "Agnes Again", days_ago=40),
    }
    MatchFactory(diner=people["again"], status=Match.Status.ENDED, ended_at=now - timedelta(days=3, minutes=30))
    # Not waiting: a cook is offered, approved or cooking; paused, referred and closed diners; area B's.
    for status in (Match.Status.PROPOSED, Match.Status.APPROVED, Match.Status.ACTIVE):
        MatchFactory(diner=accepted_diner(area_a, f"Matched {status}", days_ago=50), status=status)
    for status in (Diner.Status.PAUSED, Diner.Status.REFERRED, Diner.Status.CLOSED):
        accepted_diner(area_a, f"Not active {status}", days_ago=50, status=status)
    accepted_diner(area_b, "Bea Elsewhere", days_ago=60)
    # Cooks: two within reach of Nora, one who travels less far, one too far, one not yet approved, one whose
    # certificate has run out, one in area B.
    active_cook(area_a, course)
    active_cook(area_a, course, place=NEAR_E8)
    active_cook(area_a, course, travel="0.5", place=NEAR_E8)
    active_cook(area_a, course, place=FARTHER, travel="5")
    active_cook(area_a, course, status=CookProfile.Status.PENDING)
    active_cook(area_a, course, issued_at=now - timedelta(days=1200), expires_at=now - timedelta(days=1))
    active_cook(area_b, course)
    return people


def test_the_waiting_list_shows_the_longest_wait_first(login_as, coordinator_a, waiting):
    html = login_as(coordinator_a).get(URL).content.decode()

    assert rows(html) == ["Fred Far", "Nora Near", "Una Unplaced", "Agnes Again"]
    assert "4 diners waiting for a cook" in html
    assert "Bea Elsewhere" not in html and "Matched" not in html and "Not active" not in html


def test_each_diner_shows_the_days_waited_and_the_cooks_within_reach(login_as, coordinator_a, waiting):
    html = login_as(coordinator_a).get(URL).content.decode()

    near = row(html, waiting["near"])
    assert "12 days" in near and near.endswith(" 2")  # Cathy at the centre and the cook nearby
    far = row(html, waiting["far"])
    assert "30 days" in far and "0 No cook nearby" in far  # the farther cook travels only 5 km
    unplaced = row(html, waiting["unplaced"])
    assert "5 days" in unplaced and "Not on the map yet" in unplaced
    assert f'href="/en/coordinator/diners/{waiting["unplaced"].pk}/location/"' in html
    assert "3 days" in row(html, waiting["again"])


def test_each_diner_links_to_their_record(login_as, coordinator_a, waiting):
    html = login_as(coordinator_a).get(URL).content.decode()
    for diner in waiting.values():
        assert f'href="/en/coordinator/diners/{diner.pk}/"' in html


def test_the_homes_count_agrees_with_the_list(login_as, coordinator_a, waiting):
    html = login_as(coordinator_a).get("/en/coordinator/").content.decode()
    line = html[html.index('id="waiting-list"') : html.index("</li>", html.index('id="waiting-list"'))]
    assert "4 diners waiting for a cook" in line and "(oldest: 30 days)" in " ".join(line.split())


def test_the_list_says_how_long_diners_recently_waited_for_a_first_meal(login_as, coordinator_a, area_a, waiting):
    from tests.meals.proxy.test_waits import recent_waits

    client = login_as(coordinator_a)
    recent_waits(area_a, [4, 6, 8, 10])
    section = client.get(URL).content.decode().split('id="recent-waits"')[1]
    assert "Not shown: fewer than 5 diners had a first meal in this time." in section

    recent_waits(area_a, [30])
    section = client.get(URL).content.decode().split('id="recent-waits"')[1]
    assert "About 8 days (based on 5 diners)" in " ".join(section.split())


def test_nobody_waiting(login_as, coordinator_a):
    html = login_as(coordinator_a).get(URL).content.decode()
    assert "Nobody is waiting for a cook." in html


def test_the_waiting_list_in_japanese(login_as, coordinator_a, waiting):
    response = login_as(coordinator_a).get("/ja/coordinator/waiting/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ja"' in html
    with translation.override("ja"):
        days = translation.ngettext("%(counter)s day", "%(counter)s days", 12) % {"counter": 12}
    assert days in row(html, waiting["near"])


# The area filter ------------------------------------------------------------------------------------------


def test_a_coordinator_of_several_areas_can_show_one(login_as, area_a, area_b, waiting):
    both = CoordinatorFactory(areas=[area_a, area_b])
    add_totp(both)
    client = login_as(both)

    assert "Bea Elsewhere" in client.get(URL).content.decode()
    only_a = client.get(f"{URL}?area={area_a.pk}").content.decode()
    assert "Bea Elsewhere" not in only_a and "Nora Near" in only_a
    only_b = client.get(f"{URL}?area={area_b.pk}").content.decode()
    assert rows(only_b) == ["Bea Elsewhere"] and row(only_b, Diner.objects.get(full_name="Bea Elsewhere")).endswith(
        " 1"
    )


@pytest.mark.parametrize("value", ["{area_b}", "0", "x"])
def test_another_areas_list_is_not_found(login_as, coordinator_a, area_b, value):
    assert login_as(coordinator_a).get(f"{URL}?area={value.format(area_b=area_b.pk)}").status_code == 404


def test_the_waiting_list_takes_no_posts(login_as, coordinator_a):
    assert login_as(coordinator_a).post(URL).status_code == 405


# Queries ------------------------------------------------------------------------------------------------

# 1 the session, 2 the user, 3 the authenticator (django-otp), 4 the areas the user coordinates, 5 those
# areas (for the filter), 6 the diners waiting with their areas and how many there are (a window count),
# 7 the areas' active cooks with their profiles, 8 the areas' recent waits for a first meal
# (meals.schedule.waits), 9 the area for the "Need help?" block.
WAITING_LIST_QUERIES = 9


@pytest.mark.parametrize("count", [1, 20])
def test_the_waiting_list_takes_the_same_queries_with_1_and_20_diners(
    login_as, coordinator_a, area_a, course, count, django_assert_num_queries
):
    for n in range(count):
        accepted_diner(area_a, f"Diner {n:02d}", days_ago=n + 1)
        active_cook(area_a, course)
    client = login_as(coordinator_a)

    with django_assert_num_queries(WAITING_LIST_QUERIES):
        html = client.get(URL).content.decode()

    assert len(rows(html)) == count
    assert rows(html)[0] == f"Diner {count - 1:02d}"  # the longest wait first


def test_a_long_list_shows_the_longest_waits_with_the_exact_count(login_as, coordinator_a, area_a, settings):
    from meals.workspace import selectors

    for n in range(3):
        accepted_diner(area_a, f"Diner {n:02d}", days_ago=n + 1)
    context = selectors.waiting_list([area_a], now=timezone.now(), limit=2)

    assert context["total"] == 3
    assert [row.diner.full_name for row in context["waiting"]] == ["Diner 02", "Diner 01"]
