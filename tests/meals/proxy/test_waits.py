"""How long diners of an area recently waited for a first meal (meals.schedule.waits), and what a referrer's
list says about each of their requests: the stage it is at, and while it waits, that recent wait."""

import re
import zoneinfo
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone, translation

from meals.diners.models import Diner
from meals.matching.models import Match
from meals.proxy.selectors import Stage
from meals.referrals.models import Referral
from meals.schedule.models import Meal
from meals.schedule.waits import median_of, median_wait_days, median_waits
from tests.factories import DinerFactory, MatchFactory, ReferralFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2026, 6, 1, 12, 0))  # the window opens on 3 March 2026, 12:00


def at(month: int, day: int, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(2026, month, day, hour, 0))


def diner_with(area, *, referred: datetime, meals: list[tuple[datetime, str]], status=Referral.Status.ACCEPTED):
    """A diner referred at `referred` with a match and these meals (start, status)."""
    diner = DinerFactory(area=area, status=Diner.Status.ACTIVE)
    ReferralFactory(diner=diner, status=status, submitted_at=referred)
    match = MatchFactory(diner=diner, status=Match.Status.ACTIVE)
    for starts_at, meal_status in meals:
        Meal.objects.create(
            match=match,
            cook=match.cook,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
            dish="Stew",
            status=meal_status,
        )
    return diner


CONFIRMED, PROPOSED, CANCELLED, DECLINED = (
    Meal.Status.CONFIRMED,
    Meal.Status.PROPOSED,
    Meal.Status.CANCELLED,
    Meal.Status.DECLINED,
)


@pytest.fixture
def five_waits(area_a, area_b):
    """Five diners of area A whose first meal fell in the 90 days before NOW, who waited 3, 10, 12, 20 and 53
    days (median 12); and diners who do not count. A wait counts days on the area's calendar."""
    diner_with(area_a, referred=at(5, 1, 10), meals=[(at(5, 4), CONFIRMED)])  # 3
    diner_with(area_a, referred=at(4, 1, 10), meals=[(at(4, 11, 9), PROPOSED)])  # 10 (9 days 23 hours)
    # 12, across the change to summer time (11 days 23 hours).
    diner_with(area_a, referred=at(3, 20), meals=[(at(4, 1), CONFIRMED), (at(4, 8), CONFIRMED)])
    diner_with(  # 20: a cancelled and a declined meal came first, and did not happen
        area_a,
        referred=at(5, 10),
        meals=[(at(5, 20), CANCELLED), (at(5, 25), DECLINED), (at(5, 30), CONFIRMED)],
    )
    diner_with(area_a, referred=at(1, 10), meals=[(at(3, 4), CONFIRMED)])  # 53: the first meal just inside
    # Not counted: a first meal before the window (a later one inside it changes nothing), a first meal
    # still to come, no meal at all, a request never accepted, and a diner of area B.
    diner_with(area_a, referred=at(1, 1), meals=[(at(2, 20), CONFIRMED), (at(5, 1), CONFIRMED)])
    diner_with(area_a, referred=at(5, 20), meals=[(at(6, 5), CONFIRMED)])
    diner_with(area_a, referred=at(5, 20), meals=[])
    diner_with(area_a, referred=at(5, 1), meals=[(at(5, 5), CONFIRMED)], status=Referral.Status.SUBMITTED)
    diner_with(area_b, referred=at(5, 1), meals=[(at(5, 2), CONFIRMED)])


def test_the_median_wait_is_counted_from_the_request_to_the_first_meal(area_a, five_waits):
    assert median_wait_days(area_a, now=NOW) == (12, 5)


def test_the_median_is_hidden_below_five_diners(area_a, area_b, five_waits):
    assert median_wait_days(area_a, now=NOW + timedelta(days=2)) == (None, 4)  # the 53-day wait left the window
    assert median_wait_days(area_b, now=NOW) == (None, 1)


def test_the_request_counted_is_the_latest_accepted_one_before_the_first_meal(area_a, five_waits):
    diner = diner_with(area_a, referred=at(5, 1), meals=[(at(5, 12), CONFIRMED)])  # 11 days
    ReferralFactory(diner=diner, status=Referral.Status.DECLINED, submitted_at=at(1, 1))
    ReferralFactory(diner=diner, status=Referral.Status.ACCEPTED, submitted_at=at(5, 20))  # after the meal

    # 3, 10, 11, 12, 20, 53: the median is 11.5, rounded up.
    assert median_wait_days(area_a, now=NOW) == (12, 6)


def test_median_of_rounds_halves_up_and_hides_small_numbers():
    assert median_of([1, 2, 3, 4]) == (None, 4)
    assert median_of([1, 2, 3, 4, 5]) == (3, 5)
    assert median_of([1, 2, 3, 4, 5, 6]) == (4, 6)  # 3.5
    assert median_of([10, 10, 10, 10, 11, 11]) == (10, 6)


def test_several_areas_take_one_query(area_a, area_b, five_waits, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert median_waits([area_a.pk, area_b.pk], now=NOW) == {area_a.pk: (12, 5), area_b.pk: (None, 1)}


# The referrer's list -------------------------------------------------------------------------------------


def recent_waits(area, waits: list[int]) -> None:
    """Diners of the area who had their first meal yesterday at noon on the area's calendar after waiting these
    many days (asked at 11:00): whole days whatever the time of day the test runs, as a wait counts days on
    the area's calendar."""
    zone = zoneinfo.ZoneInfo(area.time_zone)
    yesterday = datetime.combine(timezone.localdate(timezone=zone) - timedelta(days=1), time(12), tzinfo=zone)
    for days in waits:
        diner_with(area, referred=yesterday - timedelta(days=days, hours=1), meals=[(yesterday, CONFIRMED)])


def request(referrer, area, *, status=Referral.Status.ACCEPTED, diner_status=Diner.Status.ACTIVE, match=None):
    diner = DinerFactory(area=area, status=diner_status, preferred_name=f"Diner {Referral.objects.count():02d}")
    referral = ReferralFactory(diner=diner, referrer=referrer, status=status)
    if match is not None:
        MatchFactory(diner=diner, status=match)
    return referral


STAGES = [
    ("received", {"status": Referral.Status.SUBMITTED}),
    ("more_info", {"status": Referral.Status.MORE_INFO}),
    ("declined", {"status": Referral.Status.DECLINED}),
    ("looking", {}),
    ("looking", {"match": Match.Status.PROPOSED}),  # a cook offered: not found until a coordinator approves
    ("introducing", {"match": Match.Status.APPROVED}),
    ("introducing", {"match": Match.Status.INTRODUCED}),
    ("started", {"match": Match.Status.ACTIVE}),
    ("paused", {"match": Match.Status.PAUSED}),
    ("paused", {"diner_status": Diner.Status.PAUSED, "match": Match.Status.ACTIVE}),
    ("closed", {"diner_status": Diner.Status.CLOSED}),
]


def status_cell(html: str, referral: Referral) -> str:
    """The words of the row of the list that names this request's diner."""
    start = html.index(f"<bdi>{referral.diner.addressed}</bdi>")
    return " ".join(re.sub(r"<[^>]+>", " ", html[start : html.index("</tr>", start)]).split())


@pytest.mark.parametrize(("stage", "how"), STAGES)
def test_each_request_shows_the_stage_it_is_at(login_as, referrer, area_a, stage, how):
    referral = request(referrer, area_a, **how)

    html = login_as(referrer).get("/en/diners/").content.decode()

    assert str(Stage.labels[stage]) in status_cell(html, referral)


@pytest.mark.parametrize(("stage", "how"), STAGES)
def test_a_request_still_waiting_says_how_long_diners_of_its_area_waited(login_as, referrer, area_a, stage, how):
    recent_waits(area_a, [4, 6, 8, 10, 30])
    referral = request(referrer, area_a, **how)

    cell = status_cell(login_as(referrer).get("/en/diners/").content.decode(), referral)

    said = "Diners in Area A recently waited about 8 days for a first meal." in cell
    assert said == (stage in Stage.WAITING)


def test_below_five_diners_the_wait_is_not_said(login_as, referrer, area_a):
    recent_waits(area_a, [4, 6, 8, 10])
    referral = request(referrer, area_a)

    cell = status_cell(login_as(referrer).get("/en/diners/").content.decode(), referral)

    assert "How long diners in Area A wait for a first meal: not enough diners yet to say." in cell
    assert "recently waited" not in cell


def test_each_request_gets_its_own_areas_wait(login_as, referrer, area_a, area_b):
    recent_waits(area_a, [4, 6, 8, 10, 30])
    recent_waits(area_b, [1, 1, 2, 2, 2, 3])
    in_a, in_b = request(referrer, area_a), request(referrer, area_b)

    html = login_as(referrer).get("/en/diners/").content.decode()

    assert "about 8 days" in status_cell(html, in_a)
    assert "Diners in Area B recently waited about 2 days for a first meal." in status_cell(html, in_b)


def test_the_wait_in_japanese(login_as, referrer, area_a):
    recent_waits(area_a, [4, 6, 8, 10, 30])
    referral = request(referrer, area_a)

    response = login_as(referrer).get("/ja/diners/")

    assert response.status_code == 200
    with translation.override("ja"):
        said = translation.ngettext(
            "Diners in %(area)s recently waited about %(counter)s day for a first meal.",
            "Diners in %(area)s recently waited about %(counter)s days for a first meal.",
            8,
        ) % {"area": area_a.name_ja or area_a.name, "counter": 8}
        stage = str(Stage.labels[Stage.LOOKING])
    cell = status_cell(response.content.decode(), referral)
    assert said in cell and stage in cell


@pytest.mark.parametrize("count", [1, 20])
def test_the_list_takes_the_same_queries_with_requests_in_1_and_20_areas(
    login_as, referrer, count, django_assert_num_queries
):
    from tests.factories import AreaFactory
    from tests.meals.proxy.test_proxy import MY_DINERS_QUERIES

    for n in range(count):
        area = AreaFactory(name=f"Town {n:02d}", slug=f"town-{n:02d}")
        recent_waits(area, [1, 2, 3, 4, 5])
        request(referrer, area)
    client = login_as(referrer)

    with django_assert_num_queries(MY_DINERS_QUERIES):
        html = client.get("/en/diners/").content.decode()

    assert html.count("recently waited about 3 days") == count
