"""Finding a cook or a diner of the coordinator's areas by name or phone number: posted, kept in the session
and shown at an address without the words, audited with the number of results only."""

import pytest
from django.utils import translation

from casserole.models import AuditEntry
from tests.factories import CoordinatorFactory, DinerFactory, UserFactory, add_totp

pytestmark = pytest.mark.django_db

URL = "/en/coordinator/search/"


@pytest.fixture
def people(diner, cook, area_b):
    """Edie (area A, +44 20 7123 4567) and Cathy the cook (area A), and their namesakes in area B."""
    cook.phone = "+447911123457"
    cook.save(update_fields=["phone"])
    return {
        "edie": diner,
        "cathy": cook,
        "edith_b": DinerFactory(area=area_b, full_name="Edith Tanaka", phone="+81312345678"),
        "cathy_b": UserFactory(full_name="Cathy Sato", is_cook=True, home_area=area_b, phone="+819012345678"),
    }


def search(client, text: str, **extra):
    """Post a search and follow the redirect; returns (the redirect's address, the results page's HTML)."""
    response = client.post(URL, {"q": text, **extra})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"], client.get(response["Location"]).content.decode()


def test_a_search_is_posted_and_shown_at_an_address_without_the_words(login_as, coordinator_a, people):
    location, html = search(login_as(coordinator_a), "Edith")

    assert location.startswith("/en/coordinator/search/?search=") and "Edith" not in location
    assert f'href="/en/coordinator/diners/{people["edie"].pk}/"' in html
    assert 'value="Edith"' in html  # the box keeps what was typed


def test_finds_a_diner_by_any_part_of_their_names(login_as, coordinator_a, people):
    client = login_as(coordinator_a)
    for text in ("edith", "O'Brien", "Edie", "BRIEN"):
        _location, html = search(client, text)
        assert f'href="/en/coordinator/diners/{people["edie"].pk}/"' in html, text


@pytest.mark.parametrize(
    "text", ["020 7123 4567", "02071234567", "+44 20 7123 4567", "+442071234567", "０２０－７１２３－４５６７"]
)
def test_finds_a_diner_by_their_phone_number_written_any_way(login_as, coordinator_a, people, text):
    _location, html = search(login_as(coordinator_a), text)
    assert f'href="/en/coordinator/diners/{people["edie"].pk}/"' in html
    assert "020 7123 4567" in html  # shown as people dial it


def test_finds_a_cook_by_name_and_by_phone(login_as, coordinator_a, people):
    client = login_as(coordinator_a)
    cook_link = f'href="/en/coordinator/cooks/{people["cathy"].pk}/"'

    assert cook_link in search(client, "cathy")[1]
    assert cook_link in search(client, "07911 123457")[1]
    assert cook_link not in search(client, "Edie")[1]


def test_never_finds_anyone_of_another_area(login_as, coordinator_a, coordinator_b, people):
    client = login_as(coordinator_a)
    _location, html = search(client, "Edith")
    assert "Tanaka" not in html
    _location, html = search(client, "Cathy")
    assert "Sato" not in html and "Cathy Cook" in html
    _location, html = search(client, "03-1234-5678")
    assert "Tanaka" not in html and "No diners in your areas match." in html

    _location, html = search(login_as(coordinator_b), "03-1234-5678")
    assert f'href="/en/coordinator/diners/{people["edith_b"].pk}/"' in html and "Edie" not in html


def test_a_search_is_audited_with_the_number_of_results_and_never_the_words(login_as, coordinator_a, area_a, people):
    client = login_as(coordinator_a)
    search(client, "Edith")
    search(client, "020 7123 4567")
    search(client, "Nobody By This Name")

    entries = list(AuditEntry.objects.filter(action="people_searched").order_by("pk"))
    assert [entry.detail for entry in entries] == [{"results": 1}, {"results": 1}, {"results": 0}]
    assert all(entry.actor == coordinator_a and entry.area == area_a for entry in entries)
    for entry in AuditEntry.objects.all():
        stored = " ".join(str(getattr(entry, field.attname)) for field in AuditEntry._meta.concrete_fields)
        for words in ("Edith", "7123", "Nobody"):
            assert words not in stored


def test_showing_the_results_again_is_not_a_new_search(login_as, coordinator_a, people):
    client = login_as(coordinator_a)
    location, _html = search(client, "Edith")
    client.get(location)
    client.get(URL)

    assert AuditEntry.objects.filter(action="people_searched").count() == 1


def test_a_key_from_another_session_shows_nothing(login_as, coordinator_a, people):
    location, _html = search(login_as(coordinator_a), "Edith")

    html = login_as(coordinator_a).get(location).content.decode()

    assert "Edith" not in html.split("<main")[1] and 'id="diners-found-heading"' not in html


def test_an_empty_search_asks_for_a_name_or_number(login_as, coordinator_a):
    response = login_as(coordinator_a).post(URL, {"q": "  "})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html and "There is a problem" in html
    assert "Enter a name or a phone number" in html
    assert not AuditEntry.objects.filter(action="people_searched").exists()


def test_a_search_too_long_keeps_what_was_typed(login_as, coordinator_a):
    text = "x" * 101
    html = login_as(coordinator_a).post(URL, {"q": text}).content.decode()

    assert "Enter 100 characters or fewer" in html and f'value="{text}"' in html


def test_the_home_has_the_search_box(login_as, coordinator_a):
    html = login_as(coordinator_a).get("/en/coordinator/").content.decode()
    form = html[html.index('action="/en/coordinator/search/"') :]
    assert 'name="q"' in form[: form.index("</form>")] and 'for="id_q"' in form[: form.index("</form>")]


def test_the_search_in_japanese(login_as, coordinator_a, people):
    client = login_as(coordinator_a)
    response = client.post("/ja/coordinator/search/", {"q": "Edith"})
    html = client.get(response["Location"]).content.decode()

    assert response["Location"].startswith("/ja/coordinator/search/?search=")
    assert '<html lang="ja"' in html
    with translation.override("ja"):
        found = translation.ngettext("%(counter)s diner found", "%(counter)s diners found", 1) % {"counter": 1}
    assert found in html


# The area filter ------------------------------------------------------------------------------------------


def test_a_coordinator_of_several_areas_can_search_one(login_as, area_a, area_b, people):
    both = CoordinatorFactory(areas=[area_a, area_b])
    add_totp(both)
    client = login_as(both)

    assert "Tanaka" in search(client, "Edith")[1]
    location, html = search(client, "Edith", area=str(area_a.pk))
    assert f"area={area_a.pk}" in location and "Tanaka" not in html and "Edie" in html
    assert AuditEntry.objects.filter(action="people_searched").order_by("pk").last().area == area_a


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_areas_search_is_not_found(login_as, coordinator_a, area_b, method):
    client = login_as(coordinator_a)
    if method == "get":
        response = client.get(f"{URL}?area={area_b.pk}")
    else:
        response = client.post(URL, {"q": "Edith", "area": str(area_b.pk)})
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="people_searched").exists()


# Queries ------------------------------------------------------------------------------------------------

# 1 the session, 2 the user, 3 the authenticator (django-otp), 4 the areas the user coordinates, 5 those
# areas (for the filter), 6 the cooks found, 7 the diners found (each with their area), 8 the area for the
# "Need help?" block.
SEARCH_RESULTS_QUERIES = 8


@pytest.mark.parametrize("count", [1, 20])
def test_the_results_take_the_same_queries_with_1_and_20_people_found(
    login_as, coordinator_a, area_a, count, django_assert_num_queries
):
    for n in range(count):
        DinerFactory(area=area_a, full_name=f"Mae Diner {n:02d}")
        UserFactory(full_name=f"Mae Cook {n:02d}", is_cook=True, home_area=area_a)
    client = login_as(coordinator_a)
    location = client.post(URL, {"q": "Mae"})["Location"]

    with django_assert_num_queries(SEARCH_RESULTS_QUERIES):
        html = client.get(location).content.decode()

    assert html.count('href="/en/coordinator/diners/') == count
    assert html.count('href="/en/coordinator/cooks/') == count
