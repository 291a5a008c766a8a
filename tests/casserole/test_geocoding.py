"""The shared geocoder: each backend places a person or returns None (never raises) whatever the
service does, logs no personal data, and `chain` falls back to the offline table. The HTTP services
are faked; no test touches the network."""

import json
import logging
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
import requests
from django.core.management import call_command
from django.core.management.base import CommandError

from casserole import geocoding
from casserole.geocoding import (
    GeocodeResult,
    GeocodeSource,
    distance_km,
    geocode,
    geocode_jp_address,
    geocode_offline,
    geocode_uk_postcode,
    jp_neighbourhood,
    manual_pin,
    round_distance,
)
from casserole.models import AuditEntry, PostcodeCentroid

pytestmark = pytest.mark.django_db

DEMO_CSV = Path(geocoding.__file__).parent / "data" / "demo_postcode_centroids.csv"
JP_ADDRESS = "東京都世田谷区太子堂四丁目1-1"

POSTCODES_IO_FOUND = {
    "status": 200,
    "result": {
        "postcode": "E8 1DY",
        "latitude": 51.546,
        "longitude": -0.075,
        "admin_ward": "Dalston",
        "admin_district": "Hackney",
        "parliamentary_constituency": "Hackney North and Stoke Newington",
    },
}
GSI_FOUND = [
    {
        "geometry": {"coordinates": [139.668, 35.6435], "type": "Point"},
        "type": "Feature",
        "properties": {"addressCode": "", "title": "東京都世田谷区太子堂四丁目"},
    },
    {
        "geometry": {"coordinates": [139.5, 35.5], "type": "Point"},
        "type": "Feature",
        "properties": {"addressCode": "", "title": "東京都世田谷区"},
    },
]


def _response(status: int, body: object = None, *, raw: bytes | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = raw if raw is not None else json.dumps(body).encode()
    response.headers["Content-Type"] = "application/json"
    return response


class FakeHttp:
    """Stands in for `requests`: replies with a canned response (or raises), recording each call."""

    def __init__(self, reply: requests.Response | Exception):
        self.reply = reply
        self.calls: list[tuple[str, dict]] = []

    def get(self, url, **kwargs):
        self.calls.append((url, kwargs))
        if isinstance(self.reply, Exception):
            raise self.reply
        return self.reply


FAILURES = [
    pytest.param(requests.Timeout("read timed out"), id="timeout"),
    pytest.param(requests.ConnectionError("connection refused"), id="connection-error"),
    pytest.param(_response(500, {"status": 500, "error": "oops"}), id="500"),
    pytest.param(_response(503, raw=b"<html>down for maintenance</html>"), id="503-html"),
    pytest.param(_response(200, raw=b"<html>not json</html>"), id="bad-json"),
]


@pytest.fixture
def demo_centroids():
    _load(DEMO_CSV)


# --- UK: postcodes.io -------------------------------------------------------------------------


def test_uk_postcode_found_gives_the_ward_as_neighbourhood():
    http = FakeHttp(_response(200, POSTCODES_IO_FOUND))

    result = geocode_uk_postcode("e8 1dy", http=http)

    assert result == GeocodeResult(51.546, -0.075, neighbourhood="Dalston", source="uk_postcodes")
    [(url, kwargs)] = http.calls
    assert url == "https://api.postcodes.io/postcodes/E81DY"
    assert kwargs["timeout"] == 5


def test_uk_postcode_without_a_ward_falls_back_to_the_district():
    body = {"status": 200, "result": {**POSTCODES_IO_FOUND["result"], "admin_ward": None}}
    result = geocode_uk_postcode("E8 1DY", http=FakeHttp(_response(200, body)))
    assert result is not None
    assert result.neighbourhood == "Hackney"


def test_uk_postcode_not_found_is_none():
    http = FakeHttp(_response(404, {"status": 404, "error": "Postcode not found"}))
    assert geocode_uk_postcode("ZZ9 9ZZ", http=http) is None


def test_uk_postcode_without_coordinates_is_none():
    body = {"status": 200, "result": {**POSTCODES_IO_FOUND["result"], "latitude": None, "longitude": None}}
    assert geocode_uk_postcode("E8 1DY", http=FakeHttp(_response(200, body))) is None


def test_uk_postcode_with_an_unexpected_reply_is_none():
    assert geocode_uk_postcode("E8 1DY", http=FakeHttp(_response(200, ["what"]))) is None


def test_invalid_uk_postcode_is_none_without_asking_the_service():
    http = FakeHttp(_response(200, POSTCODES_IO_FOUND))
    assert geocode_uk_postcode("not a postcode", http=http) is None
    assert http.calls == []


@pytest.mark.parametrize("reply", FAILURES)
def test_uk_postcode_service_failure_is_none_and_logs_no_postcode(reply, caplog):
    with caplog.at_level(logging.INFO, logger="casserole.geocoding"):
        assert geocode_uk_postcode("E8 1DY", http=FakeHttp(reply)) is None

    assert caplog.records, "a failure is logged"
    assert all("uk_postcodes" in record.getMessage() for record in caplog.records)
    assert "E8" not in caplog.text
    assert "1DY" not in caplog.text


def test_uk_backend_uses_requests_get_by_default(monkeypatch):
    http = FakeHttp(_response(200, POSTCODES_IO_FOUND))
    monkeypatch.setattr(requests, "get", http.get)

    assert geocode_uk_postcode("E8 1DY") is not None
    assert len(http.calls) == 1


# --- Japan: GSI address search ----------------------------------------------------------------


def test_jp_address_found_gives_ward_and_town_as_neighbourhood():
    http = FakeHttp(_response(200, GSI_FOUND))

    result = geocode_jp_address(JP_ADDRESS, http=http)

    assert result == GeocodeResult(35.6435, 139.668, neighbourhood="世田谷区太子堂", source="jp_gsi")
    [(url, kwargs)] = http.calls
    assert url == "https://msearch.gsi.go.jp/address-search/AddressSearch"
    assert kwargs["params"] == {"q": JP_ADDRESS}
    assert kwargs["timeout"] == 5


def test_jp_neighbourhood_comes_from_the_title_when_the_address_gives_none():
    result = geocode_jp_address("４丁目1-1", http=FakeHttp(_response(200, GSI_FOUND)))
    assert result is not None
    assert result.neighbourhood == "世田谷区太子堂"


def test_jp_address_not_found_is_none():
    assert geocode_jp_address(JP_ADDRESS, http=FakeHttp(_response(200, []))) is None
    assert geocode_jp_address(JP_ADDRESS, http=FakeHttp(_response(404, raw=b""))) is None


@pytest.mark.parametrize(
    "body",
    [{"error": "x"}, [{"geometry": {}}], [{"geometry": {"coordinates": ["a", "b"]}}], [{"geometry": None}]],
)
def test_jp_address_with_an_unexpected_reply_is_none(body):
    assert geocode_jp_address(JP_ADDRESS, http=FakeHttp(_response(200, body))) is None


def test_empty_jp_address_is_none_without_asking_the_service():
    http = FakeHttp(_response(200, GSI_FOUND))
    assert geocode_jp_address("  ", http=http) is None
    assert http.calls == []


@pytest.mark.parametrize("reply", FAILURES)
def test_jp_service_failure_is_none_and_logs_no_address(reply, caplog):
    with caplog.at_level(logging.INFO, logger="casserole.geocoding"):
        assert geocode_jp_address(JP_ADDRESS, http=FakeHttp(reply)) is None

    assert caplog.records
    assert all("jp_gsi" in record.getMessage() for record in caplog.records)
    assert "世田谷" not in caplog.text
    assert "太子堂" not in caplog.text


@pytest.mark.parametrize(
    ("address", "neighbourhood"),
    [
        ("東京都世田谷区太子堂四丁目1-1", "世田谷区太子堂"),
        ("〒154-0004 東京都世田谷区太子堂4-1-1", "世田谷区太子堂"),
        ("世田谷区三軒茶屋２丁目１１番２３号", "世田谷区三軒茶屋"),
        ("東京都世田谷区成城6丁目", "世田谷区成城"),
        ("神奈川県横浜市青葉区美しが丘1-2-3", "横浜市青葉区美しが丘"),
        ("北海道札幌市中央区北一条西2丁目", "札幌市中央区北"),
        ("東京都世田谷区", "世田谷区"),
        ("", ""),
    ],
)
def test_jp_neighbourhood_keeps_ward_and_town_never_the_block(address, neighbourhood):
    assert jp_neighbourhood(address) == neighbourhood


# --- Offline table ----------------------------------------------------------------------------


def test_offline_finds_the_postcode_area(demo_centroids):
    result = geocode_offline(country="GB", postcode="e8 1dy")
    assert result == GeocodeResult(51.543, -0.065, neighbourhood="Dalston", source="offline")


def test_offline_japanese_area_is_named_in_japanese_unless_asked(demo_centroids):
    result = geocode_offline(country="JP", postcode="〒１５４－０００４")
    assert result is not None
    assert (result.latitude, result.longitude, result.neighbourhood) == (35.642, 139.662, "三軒茶屋")
    assert geocode_offline(country="JP", postcode="154-0004", language="en").neighbourhood == "Sangenjaya"


def test_offline_unknown_area_or_invalid_postcode_is_none(demo_centroids):
    assert geocode_offline(country="GB", postcode="SW1A 1AA") is None
    assert geocode_offline(country="GB", postcode="nonsense") is None
    assert geocode_offline(country="JP", postcode="100-0001") is None


def test_offline_does_not_mix_countries():
    PostcodeCentroid.objects.create(
        country="JP", prefix="154", latitude=Decimal("35.6"), longitude=Decimal("139.6"), place_name_ja="三軒茶屋"
    )
    assert geocode_offline(country="GB", postcode="154-0004") is None


# --- geocode(): the backend from settings ---------------------------------------------------


def test_geocode_offline_setting_never_calls_the_network(settings, demo_centroids):
    settings.GEOCODER = "offline"
    http = FakeHttp(AssertionError("no HTTP in offline mode"))
    result = geocode(country="GB", postcode="N16 7UX", http=http)
    assert result is not None
    assert result.source == GeocodeSource.OFFLINE
    assert result.neighbourhood == "Stoke Newington"


def test_geocode_uk_postcodes_setting(settings):
    settings.GEOCODER = "uk_postcodes"
    result = geocode(country="GB", postcode="E8 1DY", http=FakeHttp(_response(200, POSTCODES_IO_FOUND)))
    assert result is not None
    assert result.source == "uk_postcodes"
    # That backend cannot place someone in Japan: they need placing.
    assert geocode(country="JP", postcode="154-0004", address=JP_ADDRESS, http=FakeHttp(AssertionError())) is None


def test_geocode_jp_gsi_setting(settings):
    settings.GEOCODER = "jp_gsi"
    result = geocode(country="jp", postcode="154-0004", address=JP_ADDRESS, http=FakeHttp(_response(200, GSI_FOUND)))
    assert result is not None
    assert result.source == "jp_gsi"
    assert geocode(country="GB", postcode="E8 1DY", http=FakeHttp(AssertionError())) is None


def test_chain_uses_the_online_backend_when_it_answers(settings, demo_centroids):
    settings.GEOCODER = "chain"
    result = geocode(country="GB", postcode="E8 1DY", http=FakeHttp(_response(200, POSTCODES_IO_FOUND)))
    assert result is not None
    assert result.source == "uk_postcodes"


@pytest.mark.parametrize("reply", [*FAILURES, pytest.param(_response(404, {"status": 404}), id="not-found")])
def test_chain_falls_back_to_the_offline_table_for_uk(settings, demo_centroids, reply):
    settings.GEOCODER = "chain"
    result = geocode(country="GB", postcode="E8 1DY", http=FakeHttp(reply))
    assert result == GeocodeResult(51.543, -0.065, neighbourhood="Dalston", source="offline")


def test_chain_falls_back_to_the_offline_table_for_japan(settings, demo_centroids):
    settings.GEOCODER = "chain"
    result = geocode(
        country="JP", postcode="154-0004", address=JP_ADDRESS, http=FakeHttp(requests.ConnectionError("down"))
    )
    assert result is not None
    assert (result.source, result.neighbourhood) == ("offline", "三軒茶屋")


def test_chain_with_nothing_known_is_none(settings):
    settings.GEOCODER = "chain"
    assert geocode(country="GB", postcode="E8 1DY", http=FakeHttp(requests.Timeout())) is None


def test_geocode_rejects_an_unsupported_country():
    with pytest.raises(ValueError):
        geocode(country="FR", postcode="75001")


def test_manual_pin():
    pin = manual_pin(latitude="51.55", longitude=Decimal("-0.07"), neighbourhood=" Dalston ")
    assert pin == GeocodeResult(51.55, -0.07, neighbourhood="Dalston", source="manual")
    with pytest.raises(ValueError):
        manual_pin(latitude=91, longitude=0, neighbourhood="")
    with pytest.raises(ValueError):
        manual_pin(latitude="north", longitude=0, neighbourhood="")


# --- Distance ---------------------------------------------------------------------------------


def test_distance_london_to_paris():
    assert distance_km(51.5074, -0.1278, 48.8566, 2.3522) == pytest.approx(343.6, abs=1)


def test_distance_tokyo_to_osaka():
    assert distance_km(35.6812, 139.7671, 34.7025, 135.4959) == pytest.approx(403, abs=3)


def test_distance_is_zero_to_the_same_point_and_symmetric():
    assert distance_km(51.5, -0.07, 51.5, -0.07) == 0
    assert distance_km(51.5, -0.07, 35.6, 139.6) == pytest.approx(distance_km(35.6, 139.6, 51.5, -0.07))


def test_distance_between_demo_areas_is_a_few_kilometres(demo_centroids):
    dalston = geocode_offline(country="GB", postcode="E8 1DY")
    stoke_newington = geocode_offline(country="GB", postcode="N16 7UX")
    km = distance_km(dalston.latitude, dalston.longitude, stoke_newington.latitude, stoke_newington.longitude)
    assert 1 < km < 4


@pytest.mark.parametrize(
    ("km", "unit", "shown"),
    [
        (1.26, "km", 1.5),  # the nearest half kilometre
        (1.24, "km", 1.0),
        (1.25, "km", 1.5),  # halves round up
        (1.74, "km", 1.5),
        (1.76, "km", 2.0),
        (12.1, "km", 12.0),
        (0.1, "km", 0.5),  # never "0": that would say "next door"
        (0.0, "km", 0.5),
        (0.74 * 1.609344, "mi", 0.75),
        (1.0 * 1.609344, "mi", 1.0),
        (1.13 * 1.609344, "mi", 1.25),
        (1.12 * 1.609344, "mi", 1.0),
        (0.05, "mi", 0.25),
    ],
)
def test_round_distance(km, unit, shown):
    assert round_distance(km, unit) == shown


def test_round_distance_rejects_an_unknown_unit():
    with pytest.raises(ValueError):
        round_distance(1.0, "furlongs")


# --- manage.py load_postcode_centroids --------------------------------------------------------


def _load(path: Path) -> str:
    out = StringIO()
    call_command("load_postcode_centroids", str(path), stdout=out)
    return out.getvalue()


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "centroids.csv"
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "country,prefix,latitude,longitude,place_name,place_name_ja\n"


def test_demo_csv_loads_every_demo_area():
    output = _load(DEMO_CSV)

    assert "10 created, 0 updated, 0 unchanged" in output
    gb = set(PostcodeCentroid.objects.filter(country="GB").values_list("prefix", flat=True))
    jp = set(PostcodeCentroid.objects.filter(country="JP").values_list("prefix", flat=True))
    assert gb == {"E2", "E5", "E8", "E9", "N16"}
    assert jp == {"154", "155", "156", "157", "158"}
    for centroid in PostcodeCentroid.objects.all():
        assert centroid.place_name and centroid.place_name_ja
        if centroid.country == "GB":  # Hackney
            assert distance_km(centroid.latitude, centroid.longitude, 51.545, -0.055) < 5
        else:  # Setagaya
            assert distance_km(centroid.latitude, centroid.longitude, 35.646, 139.653) < 8


def test_load_is_idempotent_and_updates_changed_rows(tmp_path):
    path = _csv(
        tmp_path, HEADER + "GB,E8,51.5430,-0.0650,Dalston,ダルストン\nJP,154,35.642,139.662,Sangenjaya,三軒茶屋\n"
    )
    assert "2 created, 0 updated, 0 unchanged" in _load(path)
    assert "0 created, 0 updated, 2 unchanged" in _load(path)
    assert PostcodeCentroid.objects.count() == 2

    path.write_text(
        HEADER + "gb, e8 ,51.5431,-0.0650,Hackney Central,\nJP,１５５,35.661,139.662,Shimokitazawa,下北沢\n"
    )
    assert "1 created, 1 updated, 0 unchanged" in _load(path)
    e8 = PostcodeCentroid.objects.get(country="GB", prefix="E8")
    assert (e8.latitude, e8.place_name, e8.place_name_ja) == (Decimal("51.543100"), "Hackney Central", "")
    assert PostcodeCentroid.objects.filter(country="JP", prefix="155").exists()
    assert AuditEntry.objects.filter(action="postcode_centroids_loaded").count() == 3


def test_bad_rows_are_named_by_line_and_nothing_is_loaded(tmp_path):
    path = _csv(
        tmp_path,
        HEADER
        + "GB,E8,51.5430,-0.0650,Dalston,\n"
        + "GB,E8 1DY,51.5,-0.06,Dalston,\n"
        + "JP,1540,35.6,139.6,Sangenjaya,\n"
        + "FR,75,48.8,2.3,Paris,\n"
        + "GB,E5,north,-0.05,Clapton,\n"
        + "GB,E9,51.5,-200,Homerton,\n"
        + "GB,N16,51.56,-0.07,,\n"
        + "GB,e8,51.5,-0.06,Dalston again,\n",
    )

    with pytest.raises(CommandError) as error:
        _load(path)

    message = str(error.value)
    assert "line 3: prefix 'E8 1DY' is not a UK outward code" in message
    assert "line 4: prefix '1540'" in message
    assert "line 5: country 'FR' must be GB or JP" in message
    assert "line 6: latitude 'north' is not a number" in message
    assert "line 7: longitude '-200' is not between -180 and 180" in message
    assert "line 8: place_name or place_name_ja is needed" in message
    assert "line 9: GB E8 is already on line 2" in message
    assert "line 2:" not in message
    assert PostcodeCentroid.objects.count() == 0


def test_missing_columns_and_missing_file_are_clear_errors(tmp_path):
    with pytest.raises(CommandError, match="line 1: the header lacks latitude, longitude"):
        _load(_csv(tmp_path, "country,prefix,place_name,place_name_ja\nGB,E8,Dalston,\n"))
    with pytest.raises(CommandError, match="Cannot read"):
        _load(tmp_path / "missing.csv")


def test_extra_fields_and_blank_lines(tmp_path):
    path = _csv(tmp_path, HEADER + "\nGB,E8,51.5,-0.06,Dalston,,surplus\n")
    with pytest.raises(CommandError, match="line 3: 6 columns expected"):
        _load(path)
    path.write_text("\ufeff" + HEADER + "GB,E8,51.5,-0.06,Dalston,\n\n", encoding="utf-8")  # a spreadsheet's BOM
    assert "1 created" in _load(path)


# --- look_up(): whether nothing found is the postcode's fault or a service's -------------------


@pytest.mark.parametrize("backend", ["uk_postcodes", "chain"])
def test_a_postcode_postcodes_io_does_not_know_is_found_by_nobody_for_sure(settings, backend):
    settings.GEOCODER = backend
    lookup = geocoding.look_up(country="GB", postcode="ZZ9 9ZZ", http=FakeHttp(_response(404, {"status": 404})))
    assert lookup == geocoding.Lookup(None, unsure=False)


@pytest.mark.parametrize("reply", FAILURES)
@pytest.mark.parametrize("backend", ["uk_postcodes", "chain"])
def test_a_uk_service_that_fails_leaves_the_lookup_unsure(settings, backend, reply):
    settings.GEOCODER = backend
    lookup = geocoding.look_up(country="GB", postcode="ZZ9 9ZZ", http=FakeHttp(reply))
    assert lookup == geocoding.Lookup(None, unsure=True)


def test_a_postcode_postcodes_io_knows_without_coordinates_is_unsure(settings):
    settings.GEOCODER = "uk_postcodes"
    body = {"status": 200, "result": {**POSTCODES_IO_FOUND["result"], "latitude": None, "longitude": None}}
    assert geocoding.look_up(country="GB", postcode="E8 1DY", http=FakeHttp(_response(200, body))).unsure


def test_an_address_gsi_does_not_know_is_found_by_nobody_for_sure_and_a_failure_is_unsure(settings):
    settings.GEOCODER = "jp_gsi"
    empty = geocoding.look_up(country="JP", postcode="999-9999", address=JP_ADDRESS, http=FakeHttp(_response(200, [])))
    assert empty == geocoding.Lookup(None, unsure=False)
    for reply in (requests.Timeout(), _response(404, {}), _response(200, {"what": 1})):
        down = geocoding.look_up(country="JP", postcode="999-9999", address=JP_ADDRESS, http=FakeHttp(reply))
        assert down == geocoding.Lookup(None, unsure=True)


def test_the_offline_table_is_never_unsure(settings, demo_centroids):
    settings.GEOCODER = "offline"
    assert geocoding.look_up(country="JP", postcode="999-9999") == geocoding.Lookup(None, unsure=False)
    assert geocoding.look_up(country="JP", postcode="154-0004").result.neighbourhood == "三軒茶屋"


def test_chain_placed_by_the_table_after_a_failure_is_a_place(settings, demo_centroids):
    settings.GEOCODER = "chain"
    lookup = geocoding.look_up(country="GB", postcode="E8 1DY", http=FakeHttp(requests.Timeout()))
    assert lookup.result is not None and lookup.result.source == "offline"


def test_a_backend_the_setting_does_not_use_for_the_country_is_not_asked(settings):
    settings.GEOCODER = "uk_postcodes"
    http = FakeHttp(AssertionError("not asked"))
    assert geocoding.look_up(country="JP", postcode="154-0004", address=JP_ADDRESS, http=http) == geocoding.Lookup(None)


def test_the_offline_table_says_which_postcode_areas_exist_whatever_the_backend(settings, demo_centroids):
    settings.GEOCODER = "uk_postcodes"
    assert geocoding.knows_postcode_area(country="GB", postcode="e8 9zz")
    assert geocoding.knows_postcode_area(country="JP", postcode="１５４ー９９９９")
    assert not geocoding.knows_postcode_area(country="JP", postcode="999-9999")
    assert not geocoding.knows_postcode_area(country="GB", postcode="ZZ9 9ZZ")
    assert not geocoding.knows_postcode_area(country="GB", postcode="not a postcode")
