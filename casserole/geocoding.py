"""Where people are: postcodes and addresses turned into coordinates, shared by every app.

`geocode()` picks the backend from settings.GEOCODER:
  offline       the operator's table of postcode-area centres (PostcodeCentroid), no network
  uk_postcodes  postcodes.io for UK postcodes (no key)
  jp_gsi        the Geospatial Information Authority of Japan's address search (no key)
  chain         the online backend for the country, then the offline table

A failure is never an exception: every backend returns None when it cannot place someone (not
found, timeout, service down, a reply it does not understand). Callers save the profile anyway and
mark the person "needs placing" so a coordinator can set a pin by hand (`manual_pin`).

`look_up()` says a little more than `geocode()`: whether an empty answer is the postcode's fault (the
services answered and know no such place) or a service's (it timed out, failed, or knows the postcode
but not where it is). accounts.people.selectors.postcode_recognised uses it to tell a mistyped
postcode from a real one the geocoder could not place.

Addresses and postcodes are personal data: never log them, nor put them in an exception message.
Logs name only the backend and the kind of failure.
"""

import logging
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

import requests
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casserole.postcodes import normalise_jp_postcode, normalise_uk_postcode, postcode_prefix

logger = logging.getLogger(__name__)

UK_POSTCODES_URL = "https://api.postcodes.io/postcodes/{postcode}"
JP_GSI_URL = "https://msearch.gsi.go.jp/address-search/AddressSearch"
TIMEOUT_SECONDS = 5
EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
KM_PER_MILE = 1.609344


class GeocodeSource(models.TextChoices):
    """Where a stored location came from; models that keep a location store this next to it."""

    OFFLINE = "offline", _("Postcode area table")
    UK_POSTCODES = "uk_postcodes", _("UK postcode lookup")
    JP_GSI = "jp_gsi", _("Japanese address search")
    MANUAL = "manual", _("Placed by a coordinator")


@dataclass(frozen=True)
class GeocodeResult:
    latitude: float
    longitude: float
    # Safe to show other cooks: a ward or district, never a street or house number.
    neighbourhood: str
    source: str


@dataclass(frozen=True)
class Lookup:
    """What the geocoders made of a postcode (and address): where it is, or nothing."""

    result: GeocodeResult | None
    # A backend that was asked could not answer: it timed out, failed, sent a reply we do not
    # understand, or knows the postcode but has no coordinates for it. Then "nothing found" is no
    # evidence against the postcode.
    unsure: bool = False


# _get_json's answer when the service replied 404: it does not know what was asked.
_NOT_FOUND = object()


class HttpClient(Protocol):
    def get(self, url: str, **kwargs: Any) -> requests.Response: ...


def _valid_coordinates(latitude: Any, longitude: Any) -> tuple[float, float] | None:
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _get_json(backend: str, url: str, *, http: HttpClient | None, params: dict[str, str] | None = None) -> Any:
    """The decoded JSON body of a 200 reply, _NOT_FOUND for a 404, or None when the service failed
    (warning logged: backend and error type only)."""
    client = http if http is not None else requests
    try:
        response = client.get(url, params=params, timeout=TIMEOUT_SECONDS, headers={"Accept": "application/json"})
    except requests.Timeout:
        logger.warning("Geocoder %s: timed out", backend)
        return None
    except requests.RequestException as error:
        logger.warning("Geocoder %s: request failed (%s)", backend, type(error).__name__)
        return None
    if response.status_code == 404:
        # Not a fault: the service does not know this postcode or address.
        logger.info("Geocoder %s: not found", backend)
        return _NOT_FOUND
    if response.status_code != 200:
        logger.warning("Geocoder %s: HTTP status %s", backend, response.status_code)
        return None
    try:
        return response.json()
    except ValueError as error:  # requests' JSONDecodeError is a ValueError
        logger.warning("Geocoder %s: reply is not JSON (%s)", backend, type(error).__name__)
        return None


def geocode_uk_postcode(postcode: str, *, http: HttpClient | None = None) -> GeocodeResult | None:
    """A UK postcode through postcodes.io; the ward (or, failing that, the borough) as neighbourhood."""
    return _look_up_uk_postcode(postcode, http=http).result


def _look_up_uk_postcode(postcode: str, *, http: HttpClient | None) -> Lookup:
    canonical = normalise_uk_postcode(postcode)
    if canonical is None:
        return Lookup(None)
    url = UK_POSTCODES_URL.format(postcode=canonical.replace(" ", ""))
    data = _get_json(GeocodeSource.UK_POSTCODES, url, http=http)
    if data is _NOT_FOUND:
        # postcodes.io answers 404 for a postcode that does not exist (or no longer does).
        return Lookup(None)
    result = data.get("result") if isinstance(data, dict) else None
    if not isinstance(result, dict):
        if data is not None:
            logger.warning("Geocoder %s: unexpected reply", GeocodeSource.UK_POSTCODES)
        return Lookup(None, unsure=True)
    # Terminated or newly issued postcodes can come back without coordinates.
    coordinates = _valid_coordinates(result.get("latitude"), result.get("longitude"))
    if coordinates is None:
        logger.warning("Geocoder %s: reply without usable coordinates", GeocodeSource.UK_POSTCODES)
        return Lookup(None, unsure=True)
    neighbourhood = result.get("admin_ward") or result.get("admin_district") or ""
    return Lookup(GeocodeResult(*coordinates, neighbourhood=str(neighbourhood), source=GeocodeSource.UK_POSTCODES))


_JP_PREFECTURE = re.compile(r"^(?:東京都|北海道|大阪府|京都府|.{2,3}県)")
# Where the block and house number begin: "4丁目", "四丁目", "1番地", "2条", "3-", or any digit.
_JP_BLOCK = re.compile(r"[0-9一二三四五六七八九十〇]+(?:丁目|番地?|号|条|地割|-)|[0-9]")
_JP_LEADING_POSTCODE = re.compile(r"^〒?\s*[0-9]{3}-?[0-9]{4}\s*")


def jp_neighbourhood(address: str) -> str:
    """The municipality and town of a Japanese address, without prefecture, block or house number:
    "東京都世田谷区太子堂四丁目1-1" → "世田谷区太子堂". Empty when nothing is left."""
    text = unicodedata.normalize("NFKC", address or "").strip()
    text = _JP_LEADING_POSTCODE.sub("", text)
    text = "".join(text.split())
    text = _JP_PREFECTURE.sub("", text, count=1)
    block = _JP_BLOCK.search(text)
    if block is not None:
        text = text[: block.start()]
    return text.strip("、,・ ")


def geocode_jp_address(address: str, *, http: HttpClient | None = None) -> GeocodeResult | None:
    """A Japanese address through GSI's address search (the first, best match); the ward and town of
    the address given (or of GSI's title) as neighbourhood."""
    return _look_up_jp_address(address, http=http).result


def _look_up_jp_address(address: str, *, http: HttpClient | None) -> Lookup:
    query = unicodedata.normalize("NFKC", address or "").strip()
    if not query:
        return Lookup(None)
    data = _get_json(GeocodeSource.JP_GSI, JP_GSI_URL, http=http, params={"q": query})
    if data is None or data is _NOT_FOUND:
        # GSI answers "not found" with an empty list: a 404 means the service itself moved or failed.
        return Lookup(None, unsure=True)
    if not isinstance(data, list):
        logger.warning("Geocoder %s: unexpected reply", GeocodeSource.JP_GSI)
        return Lookup(None, unsure=True)
    if not data:
        logger.info("Geocoder %s: not found", GeocodeSource.JP_GSI)
        return Lookup(None)
    feature = data[0]
    try:
        longitude, latitude = feature["geometry"]["coordinates"][:2]
        title = feature.get("properties", {}).get("title", "")
    except (KeyError, TypeError, ValueError, AttributeError):
        logger.warning("Geocoder %s: unexpected reply", GeocodeSource.JP_GSI)
        return Lookup(None, unsure=True)
    coordinates = _valid_coordinates(latitude, longitude)
    if coordinates is None:
        logger.warning("Geocoder %s: reply without usable coordinates", GeocodeSource.JP_GSI)
        return Lookup(None, unsure=True)
    neighbourhood = jp_neighbourhood(query) or jp_neighbourhood(str(title or ""))
    return Lookup(GeocodeResult(*coordinates, neighbourhood=neighbourhood, source=GeocodeSource.JP_GSI))


def geocode_offline(*, country: str, postcode: str, language: str | None = None) -> GeocodeResult | None:
    """The centre of the person's postcode area from the operator's table (no network)."""
    # Imported here so that any app's models.py may import GeocodeSource from this module.
    from casserole.models import PostcodeCentroid

    prefix = postcode_prefix(country=country, postcode=postcode)
    if prefix is None:
        return None
    centroid = PostcodeCentroid.objects.filter(country=country, prefix=prefix).first()
    if centroid is None:
        logger.info("Geocoder %s: not found", GeocodeSource.OFFLINE)
        return None
    # The neighbourhood is in the language of the place unless asked otherwise.
    language = language or ("ja" if country == "JP" else "en")
    return GeocodeResult(
        latitude=float(centroid.latitude),
        longitude=float(centroid.longitude),
        neighbourhood=centroid.display_name(language),
        source=GeocodeSource.OFFLINE,
    )


def knows_postcode_area(*, country: str, postcode: str) -> bool:
    """Whether the offline table has the postcode's district ("E8") or 3-digit area ("154"), whichever
    backend settings.GEOCODER names: the table lists the areas that exist."""
    from casserole.models import PostcodeCentroid  # see geocode_offline

    prefix = postcode_prefix(country=country, postcode=postcode)
    return prefix is not None and PostcodeCentroid.objects.filter(country=country, prefix=prefix).exists()


def _online(*, country: str, postcode: str, address: str, http: HttpClient | None) -> Lookup:
    if country == "GB":
        return _look_up_uk_postcode(postcode, http=http)
    # GSI searches addresses, not postcodes: the postcode alone finds nothing useful.
    return _look_up_jp_address(address, http=http)


def geocode(*, country: str, postcode: str, address: str = "", http: HttpClient | None = None) -> GeocodeResult | None:
    """Place a person from their postcode (and, in Japan, address) with the backend in settings.GEOCODER.
    None means "needs placing": save the profile anyway and let a coordinator set the pin."""
    return look_up(country=country, postcode=postcode, address=address, http=http).result


def look_up(*, country: str, postcode: str, address: str = "", http: HttpClient | None = None) -> Lookup:
    """`geocode()`, saying also whether a backend could not answer (Lookup.unsure). A backend the
    setting does not use for this country is not asked and makes nothing unsure."""
    country = (country or "").upper()
    if country not in ("GB", "JP"):
        raise ValueError(f"Unsupported country: {country!r}")
    backend = settings.GEOCODER
    if backend == "offline":
        return Lookup(geocode_offline(country=country, postcode=postcode))
    if backend == "uk_postcodes":
        return _look_up_uk_postcode(postcode, http=http) if country == "GB" else Lookup(None)
    if backend == "jp_gsi":
        return _look_up_jp_address(address, http=http) if country == "JP" else Lookup(None)
    if backend == "chain":
        online = _online(country=country, postcode=postcode, address=address, http=http)
        if online.result is not None:
            return online
        return Lookup(geocode_offline(country=country, postcode=postcode), unsure=online.unsure)
    raise ValueError(f"Unknown GEOCODER: {backend!r}")


def manual_pin(
    *, latitude: float | Decimal | str, longitude: float | Decimal | str, neighbourhood: str
) -> GeocodeResult:
    """A location a coordinator set by hand; ValueError when the coordinates are not on Earth."""
    coordinates = _valid_coordinates(latitude, longitude)
    if coordinates is None:
        raise ValueError("Latitude must be between -90 and 90 and longitude between -180 and 180.")
    return GeocodeResult(*coordinates, neighbourhood=neighbourhood.strip(), source=GeocodeSource.MANUAL)


def normalise_postcode(*, country: str, postcode: str) -> str | None:
    """The canonical postcode for `country` ("GB" or "JP"), or None when it is not valid there."""
    if country == "GB":
        return normalise_uk_postcode(postcode)
    if country == "JP":
        return normalise_jp_postcode(postcode)
    raise ValueError(f"Unsupported country: {country!r}")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine): within 0.5% of the road-free truth, plenty for "nearby"."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    dphi = phi2 - phi1
    dlambda = math.radians(float(lon2) - float(lon1))
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


_ROUNDING_STEP = {"km": 0.5, "mi": 0.25}


def round_distance(km: float, unit: str) -> float:
    """A distance safe to show a cook who is not matched yet: to the nearest half kilometre ("km") or
    quarter mile ("mi"), and never less than one step, so "0" never reveals a next-door neighbour."""
    if unit not in _ROUNDING_STEP:
        raise ValueError(f"Unknown distance unit: {unit!r}")
    step = _ROUNDING_STEP[unit]
    value = float(km) / KM_PER_MILE if unit == "mi" else float(km)
    # Half-up, not Python's round-half-to-even: 1.25 km reads as 1.5, like a person would say it.
    rounded = math.floor(value / step + 0.5) * step
    return max(step, rounded)
