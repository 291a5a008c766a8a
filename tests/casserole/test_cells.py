"""The fixed cells diners are measured from (casserole.cells): the database's generated columns and the
Python arithmetic agree, every point of a cell has the same centre, and a cell is CELL_KM across."""

import math

import pytest

from casserole.cells import CELL_KM, cell_centre
from casserole.geocoding import distance_km
from meals.diners.models import Diner
from tests.factories import DinerFactory

POINTS = [
    (51.543, -0.058),  # Hackney: just west of the prime meridian
    (51.5461, 0.0002),  # just east of it
    (35.6464, 139.6533),  # Setagaya
    (57.4778, -4.2247),  # Inverness
    (-33.8688, 151.2093),  # Sydney: south of the equator
    (0.0001, -0.0001),
]


@pytest.mark.django_db
def test_the_database_computes_the_same_cell_as_python(area_a):
    for latitude, longitude in POINTS:
        DinerFactory(area=area_a, latitude=latitude, longitude=longitude)
    for latitude, longitude, cell_lat, cell_lon in Diner.objects.values_list(
        "latitude", "longitude", "cell_latitude", "cell_longitude"
    ):
        assert (cell_lat, cell_lon) == pytest.approx(cell_centre(latitude, longitude), abs=1e-9)


@pytest.mark.django_db
def test_a_diner_not_on_the_map_has_no_cell_and_a_new_point_moves_the_cell(area_a):
    diner = DinerFactory(area=area_a, latitude=None, longitude=None)
    assert Diner.objects.values_list("cell_latitude", "cell_longitude").get(pk=diner.pk) == (None, None)
    Diner.objects.filter(pk=diner.pk).update(latitude=35.6464, longitude=139.6533)
    cell = Diner.objects.values_list("cell_latitude", "cell_longitude").get(pk=diner.pk)
    assert cell == pytest.approx(cell_centre(35.6464, 139.6533))


@pytest.mark.parametrize(("latitude", "longitude"), POINTS)
def test_a_cell_is_about_a_kilometre_across_and_holds_its_own_centre(latitude, longitude):
    centre = cell_centre(latitude, longitude)
    assert cell_centre(*centre) == pytest.approx(centre)
    # The point is within half a cell's diagonal of its centre.
    assert distance_km(latitude, longitude, *centre) <= CELL_KM * math.sqrt(2) / 2 + 1e-6
    # Stepping a cell north lands in the next row, a cell's height away (each row has its own columns);
    # stepping east lands in the next cell of the row, a cell's width away.
    north = cell_centre(centre[0] + CELL_KM / 111.32, centre[1])
    east = cell_centre(centre[0], centre[1] + CELL_KM / (111.32 * math.cos(math.radians(centre[0]))))
    assert (north[0] - centre[0]) * 111.32 == pytest.approx(CELL_KM, rel=0.01)
    assert distance_km(*centre, *east) == pytest.approx(CELL_KM, rel=0.01)
