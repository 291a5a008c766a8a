"""Which accepted, unmatched diners are within a cook's travel distance: the matching search.

The database narrows by a bounding box on the indexed (latitude, longitude) columns; the exact
great-circle distance is then measured in Python on that handful of rows. The same query runs on
SQLite and PostgreSQL, and the page costs the same number of queries with 10 diners or 100,000.

What a cook who is not matched may see is decided here, once: `NearbyDiner` carries no surname,
address, phone, emergency contact or access notes, and the distance is rounded.
"""

import math
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from accounts.models import Area, CookProfile
from casserole.geocoding import distance_km, round_distance
from meals.models import Diner, Match

KM_PER_DEGREE_LATITUDE = 111.32
NEARBY_LIMIT = 50

# The only diner fields a nearby search reads: nothing private is even loaded.
PUBLIC_FIELDS = (
    "pk",
    "area_id",
    "preferred_name",
    "neighbourhood",
    "latitude",
    "longitude",
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
    neighbourhood: str
    distance_km: float  # exact: for sorting and the offer record, never shown
    distance: float  # rounded to 0.5 km or 0.25 mile: what the cook sees
    unit: str
    dietary_needs: str
    allergens: list
    allergy_notes: str
    texture: str
    texture_label: str
    frequency_label: str
    days: list


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


def nearby_diners(profile: CookProfile, *, unit: str | None = None, limit: int = NEARBY_LIMIT) -> list[NearbyDiner]:
    """Accepted, unmatched diners within the cook's travel distance, nearest first, in one query.
    `unit` is the cook's area's ("km" or "mi"); the rounding follows it."""
    if profile.needs_placing:
        return []
    unit = unit or Area.DistanceUnit.KM
    radius = profile.travel_km
    south, north, west, east = bounding_box(profile.latitude, profile.longitude, radius)
    candidates = unmatched(
        Diner.objects.filter(
            status=Diner.Status.ACTIVE,
            latitude__gte=south,
            latitude__lte=north,
            longitude__gte=west,
            longitude__lte=east,
        )
    ).values(*PUBLIC_FIELDS)
    found = []
    for row in candidates:
        km = distance_km(profile.latitude, profile.longitude, row["latitude"], row["longitude"])
        if km <= radius:
            found.append((km, row))
    found.sort(key=lambda pair: (pair[0], pair[1]["pk"]))
    return [_public(row, km, unit) for km, row in found[:limit]]


def distance_to(profile: CookProfile, diner: Diner) -> float | None:
    if profile.needs_placing or diner.needs_placing:
        return None
    return distance_km(profile.latitude, profile.longitude, diner.latitude, diner.longitude)


def _public(row: dict, km: float, unit: str) -> NearbyDiner:
    return NearbyDiner(
        pk=row["pk"],
        preferred_name=row["preferred_name"],
        neighbourhood=row["neighbourhood"],
        distance_km=km,
        distance=round_distance(km, unit),
        unit=unit,
        dietary_needs=row["dietary_needs"],
        allergens=list(row["allergens"] or []),
        allergy_notes=row["allergy_notes"],
        texture=row["texture"],
        texture_label=str(Diner.Texture(row["texture"]).label),
        frequency_label=str(Diner.Frequency(row["frequency"]).label),
        days=list(row["days"] or []),
    )
