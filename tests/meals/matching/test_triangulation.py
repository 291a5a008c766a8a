"""Rounded distances cannot triangulate a diner (issue 11, item 2). A cook who reads the rounded distance
to one diner from several places learns, at best, the diner's fixed cell (casserole.cells): the test
replays the probe's attack and measures the area left where the diner could be."""

import math

import pytest

from accounts.onboarding.models import CookProfile
from casserole.cells import CELL_KM, cell_centre
from casserole.geocoding import distance_km, round_distance
from meals.diners.models import Diner
from meals.matching.nearby import nearby_diners
from tests.factories import E8_CENTRE, DinerFactory

pytestmark = pytest.mark.django_db

DINER = (51.5461, -0.0702)  # a house in Dalston, inside area A
KM_PER_DEGREE = 111.32
# Five places a cook could save, 1.5 to 3 km from the diner in different directions (north-east,
# south, west, north-west, east): the probe needed four.
OFFSETS_KM = [(1.2, 1.1), (-2.0, 0.3), (0.4, -2.2), (1.6, -1.9), (-0.3, 2.8)]
GRID_STEP_KM = 0.025
SEARCH_HALF_WIDTH_KM = 3.0


def shift(origin, north_km, east_km):
    latitude = origin[0] + north_km / KM_PER_DEGREE
    return latitude, origin[1] + east_km / (KM_PER_DEGREE * math.cos(math.radians(origin[0])))


def observe(profile: CookProfile, places, diner_pk: int) -> list[float]:
    """What the cook sees from each place: the rounded distance to this one diner."""
    seen = []
    for latitude, longitude in places:
        profile.latitude, profile.longitude = latitude, longitude
        profile.save(update_fields=["latitude", "longitude"])
        (found,) = [d for d in nearby_diners(profile, unit="mi") if d.pk == diner_pk]
        seen.append(found.distance)
    return seen


def area_left_km2(places, seen, *, measure) -> float:
    """The attacker's answer: every point on a 25 m grid around the diner that would have given exactly
    these readings, as an area. `measure(place, point)` is how the attacker believes distances are taken."""
    steps = int(SEARCH_HALF_WIDTH_KM / GRID_STEP_KM)
    consistent = 0
    for i in range(-steps, steps + 1):
        for j in range(-steps, steps + 1):
            point = shift(DINER, i * GRID_STEP_KM, j * GRID_STEP_KM)
            if all(round_distance(measure(place, point), "mi") == s for place, s in zip(places, seen, strict=True)):
                consistent += 1
    return consistent * GRID_STEP_KM**2


def to_cell(place, point) -> float:
    return distance_km(*place, *cell_centre(*point))


def to_point(place, point) -> float:
    return distance_km(*place, *point)


@pytest.fixture
def far_reaching_cook(active_cook):
    profile = active_cook.cook_profile
    profile.travel_distance, profile.travel_unit = 5, "mi"
    profile.save(update_fields=["travel_distance", "travel_unit"])
    return profile


def test_reading_distances_from_five_places_leaves_at_least_a_cell(far_reaching_cook, covered_area_a):
    diner = DinerFactory(
        area=covered_area_a, status=Diner.Status.ACTIVE, **{**E8_CENTRE, "latitude": DINER[0], "longitude": DINER[1]}
    )
    places = [shift(DINER, north, east) for north, east in OFFSETS_KM]

    seen = observe(far_reaching_cook, places, diner.pk)

    # An attacker who knows exactly how the search measures can narrow the diner to their cell, no further.
    assert area_left_km2(places, seen, measure=to_cell) >= CELL_KM**2 * 0.98
    # What the same five readings would have left had they been taken to the diner's exact point (the
    # search before this fix): a few streets. This is the attack the cell defeats.
    exact = [round_distance(to_point(place, DINER), "mi") for place in places]
    assert area_left_km2(places, exact, measure=to_point) < CELL_KM**2 / 4


def test_a_diner_anywhere_in_their_cell_gives_every_search_the_same_answers(far_reaching_cook, covered_area_a):
    places = [shift(DINER, north, east) for north, east in OFFSETS_KM]
    centre = cell_centre(*DINER)
    # Just inside the corners of the diner's cell, and the diner's own point.
    half_lat = CELL_KM / KM_PER_DEGREE / 2 * 0.98
    half_lon = CELL_KM / (KM_PER_DEGREE * math.cos(math.radians(centre[0]))) / 2 * 0.98
    corners = [(centre[0] + a * half_lat, centre[1] + b * half_lon) for a in (-1, 1) for b in (-1, 1)]
    readings = []
    for latitude, longitude in [DINER, *corners]:
        Diner.objects.all().delete()
        diner = DinerFactory(
            area=covered_area_a,
            status=Diner.Status.ACTIVE,
            **{**E8_CENTRE, "latitude": latitude, "longitude": longitude},
        )
        readings.append(observe(far_reaching_cook, places, diner.pk))
    assert all(reading == readings[0] for reading in readings)
