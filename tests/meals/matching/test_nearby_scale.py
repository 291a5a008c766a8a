"""The nearby search at scale: the page's query count does not grow with the number of diners in reach,
and the database's shortcut (a flat-earth sort and a limit, meals.matching.nearby) finds exactly the diners a
plain great-circle search over every row would. Timings are bench/nearby.py's job (`make bench`)."""

import math
import random
from datetime import date
from decimal import Decimal

import pytest

from accounts.people.models import Area
from casserole.cells import cell_centre
from casserole.geocoding import EARTH_RADIUS_KM, distance_km, round_distance
from meals.diners.models import Diner
from meals.matching.models import Match
from meals.matching.nearby import NEARBY_LIMIT, bounding_box, nearby_diners
from tests.meals.matching.test_cook_matching import E8, NEARBY_QUERIES

pytestmark = pytest.mark.django_db


def scatter(*, around, radius_km, count, seed=6, **fields) -> list[Diner]:
    """`count` diners spread evenly over the bounding box of a circle (so some fall outside it),
    bulk-created: no services, no geocoding, no emails. They live in area A, the active cook's (the
    search keeps to the cook's area)."""
    rng = random.Random(seed)
    area = Area.objects.get(slug="area-a")
    south, north, west, east = bounding_box(*around, radius_km)
    diners = [
        Diner(
            status=fields.get("status", Diner.Status.ACTIVE),
            area=area,
            full_name=f"Diner {n} Private-Surname",
            preferred_name=f"Diner {n}",
            country="GB",
            address_line1=f"{n} Private Street",
            postcode="E8 1DY",
            latitude=rng.uniform(south, north),
            longitude=rng.uniform(west, east),
            neighbourhood="Dalston",
            consent_method=Diner.ConsentMethod.IN_PERSON,
            consent_given_on=date(2026, 11, 20),
            allergens=["peanuts"],
            days=["tue"],
        )
        for n in range(count)
    ]
    return Diner.objects.bulk_create(diners, batch_size=500)


def destination(latitude, longitude, km, bearing_degrees) -> tuple[float, float]:
    """The point `km` away along a great circle (the spherical "destination point" formula)."""
    angle, bearing = km / EARTH_RADIUS_KM, math.radians(bearing_degrees)
    lat1, lon1 = math.radians(latitude), math.radians(longitude)
    lat2 = math.asin(math.sin(lat1) * math.cos(angle) + math.cos(lat1) * math.sin(angle) * math.cos(bearing))
    lon2 = lon1 + math.atan2(
        math.sin(bearing) * math.sin(angle) * math.cos(lat1), math.cos(angle) - math.sin(lat1) * math.sin(lat2)
    )
    return math.degrees(lat2), math.degrees(lon2)


def inside(radius_km: float) -> float:
    """A smaller radius whose box lies inside the circle of `radius_km`: `scatter` around it puts every
    diner within reach."""
    return radius_km / math.sqrt(2) * 0.99


def nearest_by_brute_force(latitude, longitude, radius_km, limit=NEARBY_LIMIT, unit="km") -> list[int]:
    """What the search must return, worked out the slow way: every active diner without a live match,
    measured one by one to the centre of their cell; the nearest `limit`, in the order the cook sees
    (the rounded distance, then the diner's number)."""
    live = set(
        Match.objects.filter(status__in=Match.LIVE_STATUSES, additional=False).values_list("diner_id", flat=True)
    )
    found = []
    for pk, lat, lon in Diner.objects.filter(status=Diner.Status.ACTIVE).values_list("pk", "latitude", "longitude"):
        km = distance_km(latitude, longitude, *cell_centre(lat, lon))
        if pk not in live and km <= radius_km:
            found.append((km, pk))
    nearest = sorted(found)[:limit]
    return [pk for _km, pk in sorted(nearest, key=lambda pair: (round_distance(pair[0], unit), pair[1]))]


@pytest.mark.parametrize(("count", "shown"), [(10, 10), (2000, NEARBY_LIMIT)])
def test_the_nearby_page_costs_the_same_queries_with_10_or_thousands_of_diners_in_reach(
    login_as, active_cook, count, shown, django_assert_num_queries
):
    # The cook lives at E8's centre and travels 1.5 km; every diner is within reach.
    scatter(around=E8, radius_km=inside(active_cook.cook_profile.travel_km), count=count)
    client = login_as(active_cook)

    with django_assert_num_queries(NEARBY_QUERIES):
        response = client.get("/en/cook/diners/")

    html = response.content.decode()
    assert html.count('class="govuk-summary-card"') == shown
    assert "Private" not in html


def test_a_crowded_box_gives_exactly_the_nearest_unmatched_active_diners_in_one_query(
    active_cook, second_cook, django_assert_num_queries
):
    profile = active_cook.cook_profile
    diners = scatter(around=E8, radius_km=profile.travel_km, count=2000)
    scatter(around=E8, radius_km=profile.travel_km, count=200, seed=7, status=Diner.Status.PAUSED)
    scatter(around=E8, radius_km=profile.travel_km, count=200, seed=8, status=Diner.Status.REFERRED)
    # Every third of the nearest diners already has a cook (a second cook alongside does not count).
    by_distance = sorted(diners, key=lambda d: distance_km(*E8, d.latitude, d.longitude))
    Match.objects.bulk_create(
        [Match(diner=d, cook=second_cook, status=Match.Status.ACTIVE) for d in by_distance[:150:3]]
        + [Match(diner=d, cook=second_cook, status=Match.Status.ENDED) for d in by_distance[1:150:3]]
    )

    with django_assert_num_queries(1):
        found = nearby_diners(profile)

    assert [d.pk for d in found] == nearest_by_brute_force(*E8, profile.travel_km)
    assert [(d.distance, d.pk) for d in found] == sorted((d.distance, d.pk) for d in found)
    assert all(d.distance_km <= profile.travel_km for d in found)


@pytest.mark.parametrize(
    ("place", "travel"),
    [
        ((57.4778, -4.2247), Decimal("50")),  # Inverness, 50 miles: far north, the longest distance allowed
        ((26.2124, 127.6809), Decimal("30")),  # Naha, 30 km: far south
    ],
)
def test_long_travel_distances_far_north_or_south_give_the_exact_nearest(active_cook, place, travel):
    profile = active_cook.cook_profile
    profile.latitude, profile.longitude = place
    profile.travel_distance, profile.travel_unit = travel, "mi" if place[0] > 50 else "km"
    profile.save(update_fields=["latitude", "longitude", "travel_distance", "travel_unit"])
    scatter(around=place, radius_km=profile.travel_km, count=1000)

    found = nearby_diners(profile, unit=profile.travel_unit)

    assert len(found) == NEARBY_LIMIT
    assert [d.pk for d in found] == nearest_by_brute_force(*place, profile.travel_km, unit=profile.travel_unit)


def test_diners_at_almost_the_same_distance_are_cut_where_the_great_circle_cuts(active_cook):
    # Inverness, 50 miles: 100 diners about 70 km away in every direction, each 7 m further than the
    # one before. A flat-earth sort scaled at the cook's latitude alone would be out by up to 0.4%
    # here (280 m, forty places in this queue) and cut the list in the wrong place.
    inverness = (57.4778, -4.2247)
    profile = active_cook.cook_profile
    profile.latitude, profile.longitude = inverness
    profile.travel_distance, profile.travel_unit = Decimal("50"), "mi"
    profile.save(update_fields=["latitude", "longitude", "travel_distance", "travel_unit"])
    rng = random.Random(6)
    diners = scatter(around=inverness, radius_km=1, count=100)
    for n, diner in enumerate(diners):
        diner.latitude, diner.longitude = destination(*inverness, 70 * (1 + n / 10_000), rng.uniform(0, 360))
    Diner.objects.bulk_update(diners, ["latitude", "longitude"])

    found = nearby_diners(profile, unit="mi")

    assert [d.pk for d in found] == nearest_by_brute_force(*inverness, profile.travel_km, unit="mi")
