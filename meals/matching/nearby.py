"""Which accepted, unmatched diners are within a cook's travel distance: the matching search.

The database narrows by a bounding box on an index of active diners' coordinates, drops the matched
ones, sorts what is left by a flat-earth estimate of the distance (plain arithmetic, the same SQL on
SQLite and PostgreSQL) and returns only the nearest few; the exact great-circle distance is then
measured in Python on those. So the work in Python stays the same in a city with thousands of
diners in reach (bench/nearby.py measures it with 100,000 diners), and the page costs the same
number of queries with 10 diners or 100,000.

What a cook who is not matched may see is decided here, once: `NearbyDiner` carries no surname,
address, phone, emergency contact or access notes, and the distance is rounded. Every distance that
decides or shows anything to a cook is measured to the centre of the diner's fixed cell
(casserole.cells), never to their exact point: who is in reach, the rounded figure, the order (by the
rounded figure, then the diner's number), and the offer and its approval. So re-saving one's address
from many places can narrow a diner down to the cell, not to a street.
"""

import math
from dataclasses import dataclass

from django.db.models import Exists, ExpressionWrapper, F, FloatField, OuterRef

from accounts.onboarding.models import CookProfile
from accounts.people.models import Area
from casserole.cells import cell_centre
from casserole.geocoding import distance_km, round_distance
from casserole.names import AddressedName
from meals.diners.models import Diner
from meals.matching.models import Match

KM_PER_DEGREE_LATITUDE = 111.32
NEARBY_LIMIT = 50
# Rows the database returns beyond `limit`. Its flat-earth estimate orders diners as the great-circle
# distance does to within 0.01% (up to 80 km, the longest travel distance, below 60° of latitude), so
# only diners a few centimetres apart can swap places around the cut; the spare rows absorb that.
SPARE_ROWS = 10

# The only diner fields a nearby search reads: nothing private is even loaded.
PUBLIC_FIELDS = (
    "pk",
    "area_id",
    "preferred_name",
    "form_of_address",
    "neighbourhood",
    "cell_latitude",
    "cell_longitude",
    "dietary_needs",
    "allergens",
    "allergy_notes",
    "texture",
    "frequency",
    "days",
)


@dataclass(frozen=True)
class NearbyDiner:
    pk: int
    preferred_name: str
    form_of_address: str
    neighbourhood: str
    distance_km: float  # to the diner's cell: never shown
    distance: float  # rounded to 0.5 km or 0.25 mile: what the cook sees, and the order
    unit: str
    dietary_needs: str
    allergens: list
    allergy_notes: str
    texture: str
    texture_label: str
    frequency_label: str
    days: list

    @property
    def addressed(self) -> AddressedName:
        """What they like to be called, with their honorific on Japanese pages (Diner.addressed)."""
        return AddressedName(self.preferred_name, form=self.form_of_address)


def bounding_box(latitude: float, longitude: float, radius_km: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) around a point: every point within radius_km lies inside."""
    dlat = radius_km / KM_PER_DEGREE_LATITUDE
    # Near the poles a degree of longitude shrinks to nothing; 0.01 keeps the box finite.
    dlon = radius_km / (KM_PER_DEGREE_LATITUDE * max(math.cos(math.radians(latitude)), 0.01))
    return latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon


def unmatched(queryset):
    """Diners with no live match (a second cook added by a coordinator does not count)."""
    live = Match.objects.filter(diner=OuterRef("pk"), status__in=Match.LIVE_STATUSES, additional=False)
    return queryset.filter(~Exists(live))


def nearby_diners(
    profile: CookProfile, *, unit: str | None = None, limit: int = NEARBY_LIMIT, only_pk: int | None = None
) -> list[NearbyDiner]:
    """Accepted, unmatched diners of the cook's own area (`profile.user.home_area`: the area whose
    coordinators approved them) within their travel distance, nearest first, in one query. A diner
    across an area boundary belongs to the other area's coordinators and cooks.
    `unit` is the cook's area's ("km" or "mi"); the rounding follows it. `only_pk` asks about one
    diner by the same rules (the offer page: a diner past the first `limit` is still in reach)."""
    area_id = profile.user.home_area_id
    if profile.needs_placing or area_id is None:
        return []
    unit = unit or Area.DistanceUnit.KM
    radius = profile.travel_km
    south, north, west, east = bounding_box(profile.latitude, profile.longitude, radius)
    # Two steps in one statement: the nearest ids come from the index alone (the partial index
    # diner_active_location holds the cell and the id of every active diner), and only those few rows
    # are then read from the table, instead of every row in a crowded city's box.
    nearest = (
        unmatched(
            Diner.objects.filter(
                status=Diner.Status.ACTIVE,
                area_id=area_id,
                cell_latitude__gte=south,
                cell_latitude__lte=north,
                cell_longitude__gte=west,
                cell_longitude__lte=east,
                **({"pk": only_pk} if only_pk is not None else {}),
            )
        )
        .alias(estimate=_squared_km_estimate(profile.latitude, profile.longitude))
        .order_by("estimate", "pk")
        .values("pk")[: limit + SPARE_ROWS]
    )
    candidates = Diner.objects.filter(pk__in=nearest).order_by().values(*PUBLIC_FIELDS)
    found = []
    for row in candidates:
        km = distance_km(profile.latitude, profile.longitude, row["cell_latitude"], row["cell_longitude"])
        if km <= radius:
            found.append((km, row))
    # The database's cut kept the nearest cells; the page orders by what the cook sees, so the order
    # within one rounded figure says nothing more about where a diner is.
    found.sort(key=lambda pair: (pair[0], pair[1]["pk"]))
    found = sorted(found[:limit], key=lambda pair: (round_distance(pair[0], unit), pair[1]["pk"]))
    # Translated once per search, not once per diner.
    labels = {
        "texture": {value: str(label) for value, label in Diner.Texture.choices},
        "frequency": {value: str(label) for value, label in Diner.Frequency.choices},
    }
    return [_public(row, km, unit, labels) for km, row in found]


def _squared_km_estimate(latitude: float, longitude: float) -> ExpressionWrapper:
    """A flat-earth estimate of the squared distance in km² from the cook's point to diners' cells: only subtraction and
    multiplication, so the database sorts by it without trigonometry (SQLite has none built in) or a
    function call per row. A degree of longitude is scaled at the midpoint latitude, linearised around
    the cook's (cos(a + d/2) ≈ cos a − sin a · d/2): that keeps the estimate in step with the
    great-circle distance to 0.01% where using the cook's latitude alone would drift 0.4%."""
    cos, sin = math.cos(math.radians(latitude)), math.sin(math.radians(latitude))
    north = (F("cell_latitude") - latitude) * KM_PER_DEGREE_LATITUDE
    km_per_degree_east = KM_PER_DEGREE_LATITUDE * cos - (KM_PER_DEGREE_LATITUDE * sin * math.pi / 360) * (
        F("cell_latitude") - latitude
    )
    east = (F("cell_longitude") - longitude) * km_per_degree_east
    return ExpressionWrapper(north * north + east * east, output_field=FloatField())


def distance_to(profile: CookProfile, diner: Diner) -> float | None:
    """How far the cook is from the diner's cell, in km: the distance the search, the offer and its
    approval all go by (None when either is not on the map yet)."""
    if profile.needs_placing or diner.needs_placing:
        return None
    return distance_km(profile.latitude, profile.longitude, *cell_centre(diner.latitude, diner.longitude))


def _public(row: dict, km: float, unit: str, labels: dict[str, dict[str, str]]) -> NearbyDiner:
    return NearbyDiner(
        pk=row["pk"],
        preferred_name=row["preferred_name"],
        form_of_address=row["form_of_address"],
        neighbourhood=row["neighbourhood"],
        distance_km=km,
        distance=round_distance(km, unit),
        unit=unit,
        dietary_needs=row["dietary_needs"],
        allergens=list(row["allergens"] or []),
        allergy_notes=row["allergy_notes"],
        texture=row["texture"],
        texture_label=labels["texture"][row["texture"]],
        frequency_label=labels["frequency"][row["frequency"]],
        days=list(row["days"] or []),
    )
