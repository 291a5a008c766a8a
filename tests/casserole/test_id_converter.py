"""No id in a URL can crash a page: an id no table can hold (0, or past 2**63 − 1) is a page that
does not exist (404), never a 500.

Such ids used to reach the database, which refused them (OverflowError on SQLite, DataError on
PostgreSQL). The sweep walks the URL resolver, so a new page that takes an id is checked as soon as it
exists; run it on both databases (`make test-postgres`).
"""

import re

import pytest
from django.urls import NoReverseMatch, Resolver404, URLResolver, get_resolver, resolve, reverse
from django.utils import translation

from casserole.converters import MAX_ID, IdConverter
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db

ID_CONVERTERS = {"int", "id"}
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
OUT_OF_RANGE = (0, 2**63, 10**20)
# Values the views accept for the other parameters, so the id is what each request puts to the test.
OTHER_PARAMETERS = {
    "coordinator_diner_edit": {"section": "name"},
    "coordinator_diner_status": {"action": "pause"},
    "coordinator_match_status": {"action": "end"},
    "proxy_edit": {"section": "likes"},
}


def _routes_with_ids(resolver=None, prefix: str = "") -> list[tuple[str, str | None]]:
    """Every (route, pattern name) in the URLconf with at least one id parameter."""
    routes = []
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes += _routes_with_ids(pattern, route)
        elif any(match["converter"] in ID_CONVERTERS for match in PARAMETER.finditer(route)):
            routes.append((route, pattern.name))
    return routes


def _paths(route: str, name: str | None, bad_id: int) -> list[str]:
    """One path per id parameter: that id is `bad_id`, the other ids are 1."""
    others = OTHER_PARAMETERS.get(name, {})
    id_names = [match["name"] for match in PARAMETER.finditer(route) if match["converter"] in ID_CONVERTERS]

    def fill(bad_name: str) -> str:
        def value(match: re.Match) -> str:
            if match["converter"] in ID_CONVERTERS:
                return str(bad_id if match["name"] == bad_name else 1)
            return others.get(match["name"], "1")

        return "/" + PARAMETER.sub(value, route)

    return [fill(bad_name) for bad_name in id_names]


def _persona_for(route: str) -> str:
    """Someone allowed to see pages of this kind, so the id is checked rather than who asks."""
    if route.startswith("admin/"):
        return "admin_user"
    if "/coordinator/" in f"/{route}":
        return "coordinator_a"
    if "/cook/" in f"/{route}" or "/training/" in f"/{route}":
        return "cook"
    return "referrer"


with translation.override("en"):
    ROUTES_WITH_IDS = _routes_with_ids()


def test_the_sweep_finds_the_pages_that_take_ids():
    routes = {route for route, _ in ROUTES_WITH_IDS}
    assert len(routes) > 30
    assert "en/diners/<id:pk>/" in routes


def test_our_urls_take_ids_only_through_the_id_converter():
    """`<int:…>` lets any number through to the database; only the admin (Django's) may still use it."""
    ours = [route for route, _ in ROUTES_WITH_IDS if not route.startswith("admin/")]
    assert [route for route in ours if "<int:" in route] == []


@pytest.mark.parametrize(("route", "name"), ROUTES_WITH_IDS, ids=[route for route, _ in ROUTES_WITH_IDS])
def test_an_out_of_range_id_is_not_found(route, name, request):
    client = verified_client(request.getfixturevalue(_persona_for(route)))
    client.raise_request_exception = False  # a crash must show up as the 500 a visitor would get
    statuses = {
        (method, path): getattr(client, method)(path).status_code
        for bad_id in OUT_OF_RANGE
        for path in _paths(route, name, bad_id)
        for method in ("get", "post")
    }
    if route.startswith("admin/"):
        # The admin's own URLs keep Django's `<int:…>` (not ours to change): they must not crash.
        assert {key: status for key, status in statuses.items() if status >= 500} == {}
    else:
        assert {key: status for key, status in statuses.items() if status != 404} == {}
    # The largest id does reach the view and the database, which must answer it without crashing.
    largest = {
        (method, path): getattr(client, method)(path).status_code
        for path in _paths(route, name, MAX_ID)
        for method in ("get", "post")
    }
    assert {key: status for key, status in largest.items() if status >= 500} == {}


# The converter ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["1", "42", "0042", str(MAX_ID)])
def test_ids_in_range_become_numbers(text):
    assert IdConverter().to_python(text) == int(text)


@pytest.mark.parametrize("text", ["0", "000", str(MAX_ID + 1), str(10**20), "9" * 5000])
def test_ids_out_of_range_do_not_match(text):
    with pytest.raises(ValueError):
        IdConverter().to_python(text)


@pytest.mark.parametrize("value", [1, "7", MAX_ID])
def test_ids_in_range_go_into_urls(value):
    assert IdConverter().to_url(value) == str(value)


@pytest.mark.parametrize("value", [0, -1, MAX_ID + 1, 10**20, "abc", None])
def test_ids_out_of_range_cannot_be_put_in_a_url(value):
    with pytest.raises(ValueError):
        IdConverter().to_url(value)


def test_reverse_and_resolve_agree_up_to_the_largest_id():
    path = reverse("meals:proxy_diner", kwargs={"pk": MAX_ID})
    assert path == f"/en/diners/{MAX_ID}/"
    assert resolve(path).kwargs == {"pk": MAX_ID}
    assert reverse("meals:coordinator_proxy", kwargs={"pk": 3, "access_pk": 4}) == "/en/coordinator/diners/3/proxies/4/"


@pytest.mark.parametrize("pk", [0, MAX_ID + 1])
def test_ids_out_of_range_neither_reverse_nor_resolve(pk):
    with pytest.raises(NoReverseMatch):
        reverse("meals:proxy_diner", kwargs={"pk": pk})
    with pytest.raises(Resolver404):
        resolve(f"/en/diners/{pk}/")
