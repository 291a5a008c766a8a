"""The coarse, fixed cell a diner's distance is measured from, so that no number of searches from
different places can narrow a diner down to less than a cell (security issue 11, item 2).

Before a match, a cook learns how far away a diner is, rounded. Measured from the diner's exact point,
a cook who re-saves their address from a few places can intersect the rounded rings and find the
street. Measured from the centre of a fixed cell instead, every point of the cell gives the same
answer to every search, so the most anyone can learn is the cell: about CELL_KM × CELL_KM.

The grid is fixed on the globe (not around the diner), so it moves with nobody: rows of CELL_KM in
latitude, and in each row columns of CELL_KM measured at the row's middle latitude. The database
computes the same centre as a generated column (`cell_latitude_expression`, `cell_longitude_expression`)
so that every way a location is written (a form, a coordinator's pin, a bulk update) keeps its cell
in step; `cell_centre` is the same arithmetic in Python.
"""

import math

from django.db.models import F, FloatField, Value
from django.db.models.functions import Cos, Floor, Radians

CELL_KM = 1.0
KM_PER_DEGREE_LATITUDE = 111.32
CELL_DEGREES_LATITUDE = CELL_KM / KM_PER_DEGREE_LATITUDE


def cell_centre(latitude: float, longitude: float) -> tuple[float, float]:
    """The centre (latitude, longitude) of the fixed cell holding this point."""
    row_middle = (math.floor(float(latitude) / CELL_DEGREES_LATITUDE) + 0.5) * CELL_DEGREES_LATITUDE
    column_width = CELL_KM / (KM_PER_DEGREE_LATITUDE * math.cos(math.radians(row_middle)))
    column_middle = (math.floor(float(longitude) / column_width) + 0.5) * column_width
    return row_middle, column_middle


def cell_latitude_expression(latitude: str = "latitude"):
    """`cell_centre(...)[0]` as a database expression over the `latitude` column."""
    step = Value(CELL_DEGREES_LATITUDE, output_field=FloatField())
    return (Floor(F(latitude) / step) + Value(0.5)) * step


def cell_longitude_expression(latitude: str = "latitude", longitude: str = "longitude"):
    """`cell_centre(...)[1]` as a database expression over the `latitude` and `longitude` columns."""
    width = Value(CELL_KM, output_field=FloatField()) / (
        Value(KM_PER_DEGREE_LATITUDE, output_field=FloatField()) * Cos(Radians(cell_latitude_expression(latitude)))
    )
    return (Floor(F(longitude) / width) + Value(0.5)) * width
