"""A referrer acting for the diners they referred: their list, the diner's page, editing details,
the schedule and the printable card, each within the scope the coordinator chose.

The `accepted` fixture is Rita Referrer's request for Edie, accepted by area A's coordinator with the
scopes "see the meal schedule" and "update their details and needs"."""

import pytest

from casserole.models import AuditEntry
from meals.diners import services
from meals.diners.models import Diner, ProxyAccess
from meals.referrals import services as referrals_services
from tests.conftest import page_body, verified_client
from tests.factories import UserFactory
from tests.meals.conftest import submit

pytestmark = pytest.mark.django_db

ACTING_PAGES = ("", "schedule/", "edit/likes/", "card/")


@pytest.fixture
def other_referrer(db, area_a):
    return UserFactory(full_name="Oscar Other", email="other@example.org", is_referrer=True, home_area=area_a)


@pytest.fixture
def access(accepted, referrer):
    return ProxyAccess.objects.get(diner=accepted.diner, referrer=referrer, revoked_at__isnull=True)


def set_scopes(access, coordinator, **scopes):
    return services.set_proxy_scopes(by=coordinator, access=access, scopes=scopes)


# The list of requests and diners ---------------------------------------------------------------------


def test_my_diners_needs_sign_in(client):
    response = client.get("/en/diners/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_my_diners_lists_the_referrers_requests_and_diners(login_as, referrer, accepted):
    waiting = submit(by=referrer, preferred_name="Bert", full_name="Albert Smith")

    html = login_as(referrer).get("/en/diners/").content.decode()

    assert f'href="/en/diners/{accepted.diner.pk}/"' in html
    assert f'href="/en/referrals/{accepted.pk}/"' in html
    assert f'href="/en/referrals/{waiting.pk}/"' in html
    assert "Waiting for a coordinator" in html
    assert "Accepted" in html
    # Bert's request is not accepted yet: nobody acts for him.
    assert f'href="/en/diners/{waiting.diner.pk}/"' not in html


def test_another_referrer_sees_none_of_them(login_as, other_referrer, accepted):
    html = login_as(other_referrer).get("/en/diners/").content.decode()

    assert "Edie" not in html
    assert f"/en/diners/{accepted.diner.pk}/" not in html
    assert f"/en/referrals/{accepted.pk}/" not in html
    assert "You have not asked for meals for anyone yet." in html
    assert "You are not acting for anyone yet." in html
    assert 'href="/en/request/"' in html


def test_a_request_needing_more_information_links_to_answer_it(login_as, referrer, referral, coordinator_a):
    referrals_services.ask_for_more_information(
        by=coordinator_a, referral=referral, message="Which floor is the flat on?"
    )

    html = login_as(referrer).get("/en/diners/").content.decode()

    assert "More information needed" in html
    assert "Answer the coordinator’s question" in html
    assert f'href="/en/referrals/{referral.pk}/"' in html


def test_a_declined_request_shows_as_declined(login_as, referrer, referral, coordinator_a):
    referrals_services.decline_referral(by=coordinator_a, referral=referral, reason="Already has meals on wheels")

    html = login_as(referrer).get("/en/diners/").content.decode()

    assert "Declined" in html
    assert f'href="/en/diners/{referral.diner.pk}/"' not in html


def test_revoked_and_closed_diners_leave_the_list(login_as, referrer, accepted, access, coordinator_a):
    client = login_as(referrer)
    assert f'href="/en/diners/{accepted.diner.pk}/"' in client.get("/en/diners/").content.decode()

    services.change_diner_status(by=coordinator_a, diner=accepted.diner, action="close", reason="Moved away")
    assert f'href="/en/diners/{accepted.diner.pk}/"' not in client.get("/en/diners/").content.decode()


def test_my_diners_in_japanese(login_as, referrer, accepted):
    response = login_as(referrer).get("/ja/diners/")

    assert response.status_code == 200
    assert '<html lang="ja"' in response.content.decode()


# Queries: 1 session, 2 user, 3-4 the two-factor check (TOTP and backup-code devices), 5 the help
# block's area, 6 the live accesses with their diners, 7 the requests with their diners, their areas and
# their live match's status, 8 the recent waits for a first meal in those areas (meals.schedule.waits).
MY_DINERS_QUERIES = 8


def referred_and_accepted(referrer, coordinator, count: int) -> None:
    for n in range(count):
        referral = submit(by=referrer, preferred_name=f"Diner {n:02d}", full_name=f"Diner Number {n:02d}")
        if n % 2 == 0:
            referrals_services.accept_referral(by=coordinator, referral=referral, scopes={"can_view_schedule": True})


@pytest.mark.parametrize("count", [1, 20])
def test_my_diners_query_count_is_the_same_for_1_and_20(
    count, login_as, referrer, coordinator_a, covered_area_a, django_assert_num_queries
):
    referred_and_accepted(referrer, coordinator_a, count)
    client = login_as(referrer)

    with django_assert_num_queries(MY_DINERS_QUERIES):
        response = client.get("/en/diners/")

    html = response.content.decode()
    assert html.count('<tr class="govuk-table__row">') == count + 1  # the header and one row per request
    assert html.count('href="/en/diners/') == (count + 1) // 2


# Who may act for a diner -----------------------------------------------------------------------------


@pytest.mark.parametrize("page", ACTING_PAGES)
def test_anonymous_is_sent_to_sign_in(client, accepted, page):
    response = client.get(f"/en/diners/{accepted.diner.pk}/{page}")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


@pytest.mark.parametrize("page", ACTING_PAGES)
def test_another_referrers_diner_is_a_404_like_a_missing_id(login_as, other_referrer, accepted, page):
    client = login_as(other_referrer)

    theirs_path, missing_path = f"/diners/{accepted.diner.pk}/{page}", f"/diners/987654/{page}"
    theirs, missing = client.get(f"/en{theirs_path}"), client.get(f"/en{missing_path}")

    assert theirs.status_code == missing.status_code == 404
    # The only difference is the address itself (in the language switch).
    assert page_body(theirs).replace(theirs_path, "PATH") == page_body(missing).replace(missing_path, "PATH")


@pytest.mark.parametrize("persona", ["cook", "coordinator_a", "coordinator_b", "admin_user"])
def test_only_the_proxy_reaches_the_proxy_pages(request, login_as, accepted, persona):
    # Coordinators have their own diner pages; these are for the people a diner has allowed to act for them.
    client = login_as(request.getfixturevalue(persona))

    assert client.get(f"/en/diners/{accepted.diner.pk}/").status_code == 404


def test_revoking_access_works_on_the_next_request(login_as, referrer, accepted, access, coordinator_a):
    client = login_as(referrer)
    assert client.get(f"/en/diners/{accepted.diner.pk}/").status_code == 200

    services.revoke_proxy(by=coordinator_a, access=access)

    for page in ACTING_PAGES:
        assert client.get(f"/en/diners/{accepted.diner.pk}/{page}").status_code == 404
    assert f"/en/diners/{accepted.diner.pk}/" not in client.get("/en/diners/").content.decode()


def test_a_closed_diner_is_a_404(login_as, referrer, accepted, coordinator_a):
    services.change_diner_status(by=coordinator_a, diner=accepted.diner, action="close", reason="Moved away")

    client = login_as(referrer)
    for page in ACTING_PAGES:
        assert client.get(f"/en/diners/{accepted.diner.pk}/{page}").status_code == 404


def test_a_paused_diner_can_still_be_seen(login_as, referrer, accepted, coordinator_a):
    services.change_diner_status(by=coordinator_a, diner=accepted.diner, action="pause", reason="In hospital")

    response = login_as(referrer).get(f"/en/diners/{accepted.diner.pk}/")

    assert response.status_code == 200
    assert "Paused" in response.content.decode()


@pytest.mark.parametrize(
    ("scopes", "page", "expected"),
    [
        ({"can_view_schedule": True}, "schedule/", 200),
        ({"can_view_schedule": True}, "card/", 200),
        ({"can_view_schedule": True}, "edit/likes/", 403),
        ({"can_edit_details": True}, "edit/likes/", 200),
        ({"can_edit_details": True}, "schedule/", 403),
        ({"can_edit_details": True}, "card/", 403),
        ({"can_confirm_meals": True, "can_give_feedback": True}, "schedule/", 403),
        ({"can_confirm_meals": True, "can_give_feedback": True}, "edit/likes/", 403),
        ({}, "", 200),
    ],
)
def test_a_proxy_does_what_their_scope_allows_and_is_refused_the_rest(
    login_as, referrer, access, coordinator_a, scopes, page, expected
):
    set_scopes(access, coordinator_a, **scopes)

    response = login_as(referrer).get(f"/en/diners/{access.diner_id}/{page}")

    assert response.status_code == expected
    if expected == 403:
        assert "You cannot open this page" in response.content.decode()


def test_a_refused_scope_is_audited(login_as, referrer, access, coordinator_a):
    set_scopes(access, coordinator_a, can_view_schedule=True)

    login_as(referrer).get(f"/en/diners/{access.diner_id}/edit/likes/")

    assert AuditEntry.objects.filter(action="access_denied", actor=referrer).exists()


@pytest.mark.parametrize("method", ["post", "put", "delete"])
@pytest.mark.parametrize("page", ["", "schedule/", "card/"])
def test_read_only_pages_refuse_other_methods(login_as, referrer, accepted, page, method):
    response = getattr(login_as(referrer), method)(f"/en/diners/{accepted.diner.pk}/{page}")

    assert response.status_code == 405


# The diner's page ------------------------------------------------------------------------------------


def test_with_the_edit_scope_the_diner_page_shows_details_and_change_links(login_as, referrer, accepted):
    diner = accepted.diner

    html = login_as(referrer).get(f"/en/diners/{diner.pk}/").content.decode()

    assert "12 Mare Street" in html
    assert "Key safe by the door" in html
    assert "Peanuts" in html
    assert "Sarah Bennett" in html
    for section in ("name", "address", "phone", "access", "diet", "texture", "likes", "days", "emergency"):
        assert f'href="/en/diners/{diner.pk}/edit/{section}/"' in html
    assert "see the meal schedule" in html
    assert "update their details and needs" in html
    assert "confirm meals" not in html
    assert f'href="/en/diners/{diner.pk}/schedule/"' in html
    assert f'href="/en/diners/{diner.pk}/card/"' in html


def test_viewing_the_full_record_is_audited(login_as, referrer, accepted):
    login_as(referrer).get(f"/en/diners/{accepted.diner.pk}/")

    entry = AuditEntry.objects.get(action="diner_record_viewed")
    assert entry.actor == referrer
    assert entry.object_id == str(accepted.diner.pk)


def test_with_only_the_schedule_scope_the_diner_page_hides_details(login_as, referrer, access, coordinator_a):
    set_scopes(access, coordinator_a, can_view_schedule=True)

    html = login_as(referrer).get(f"/en/diners/{access.diner_id}/").content.decode()

    assert "Edie" in html
    assert "Active" in html
    assert f'href="/en/diners/{access.diner_id}/schedule/"' in html
    for private in ("12 Mare Street", "E8 1DY", "Key safe", "Peanuts", "Kiwi", "Sarah Bennett", "O&#x27;Brien"):
        assert private not in html
    assert "/edit/" not in html
    assert not AuditEntry.objects.filter(action="diner_record_viewed").exists()


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("page", ACTING_PAGES)
def test_every_acting_page_shows_who_you_are_acting_for(login_as, referrer, accepted, page, language):
    response = login_as(referrer).get(f"/{language}/diners/{accepted.diner.pk}/{page}")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-labelledby="acting-for-title"' in html
    banner = html.split('aria-labelledby="acting-for-title"', 1)[1].split("</div>\n</div>", 1)[0]
    assert "Edie" in banner
    if language == "en":
        assert "You are acting for <bdi>Edie</bdi>" in banner
    # The banner comes first in <main>, before the page's own heading.
    assert html.index('id="main-content"') < html.index("acting-for-title") < html.index("<h1")


@pytest.mark.parametrize("page", ["schedule/", "edit/likes/", "card/"])
def test_the_banner_links_back_to_the_diner(login_as, referrer, accepted, page):
    html = login_as(referrer).get(f"/en/diners/{accepted.diner.pk}/{page}").content.decode()
    banner = html.split('aria-labelledby="acting-for-title"', 1)[1].split("</div>\n</div>", 1)[0]

    assert f'href="/en/diners/{accepted.diner.pk}/"' in banner


def test_the_schedule_says_plainly_that_no_cook_is_matched_yet(login_as, referrer, accepted):
    # Each state of the diner's match: tests/meals/proxy/test_honest_pages.py.
    html = login_as(referrer).get(f"/en/diners/{accepted.diner.pk}/schedule/").content.decode()

    assert "No cook is matched with <bdi>Edie</bdi> yet." in html


def test_the_card_is_the_large_print_card(login_as, referrer, accepted):
    response = login_as(referrer).get(f"/en/diners/{accepted.diner.pk}/card/")

    assert response.status_code == 200
    assert "meals/diners/card.html" in [template.name for template in response.templates]
    assert response.context["diner"] == accepted.diner
    assert response.context["area"] == accepted.diner.area


# Editing details ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("section", ["relationship", "consent", "status", "no-such-section"])
def test_sections_that_are_not_the_diners_own_are_404(login_as, referrer, accepted, section):
    response = login_as(referrer).get(f"/en/diners/{accepted.diner.pk}/edit/{section}/")

    assert response.status_code == 404


def test_the_edit_form_starts_from_the_diners_details(login_as, referrer, accepted):
    html = login_as(referrer).get(f"/en/diners/{accepted.diner.pk}/edit/likes/").content.decode()

    assert "What food does the diner like and dislike?" in html
    assert "Fish pie" in html
    assert "Spicy food" in html


def test_editing_updates_the_diner_and_audits_it_as_web(login_as, referrer, accepted):
    diner = accepted.diner
    client = login_as(referrer)

    response = client.post(f"/en/diners/{diner.pk}/edit/likes/", {"likes": "Shepherd’s pie", "dislikes": "Sprouts"})

    assert response.status_code == 302
    assert response["Location"] == f"/en/diners/{diner.pk}/"
    diner.refresh_from_db()
    assert (diner.likes, diner.dislikes) == ("Shepherd’s pie", "Sprouts")
    entry = AuditEntry.objects.get(action="diner_updated")
    assert (entry.actor, entry.channel, entry.object_id) == (referrer, "web", str(diner.pk))
    assert entry.detail == {"fields": ["dislikes", "likes"]}
    assert "Your changes have been saved." in client.get(response["Location"]).content.decode()


def test_moving_within_the_area_is_saved(login_as, referrer, accepted):
    diner = accepted.diner
    address = {"country": "GB", "address_line1": "3 Navarino Road", "address_line2": "", "town": "London"}

    response = login_as(referrer).post(f"/en/diners/{diner.pk}/edit/address/", {**address, "postcode": "e83aa"})

    assert response.status_code == 302
    diner.refresh_from_db()
    assert (diner.address_line1, diner.postcode) == ("3 Navarino Road", "E8 3AA")
    assert diner.area == accepted.diner.area


def test_an_address_outside_the_area_is_refused_and_keeps_what_was_typed(login_as, referrer, accepted):
    diner = accepted.diner
    address = {"country": "GB", "address_line1": "1 Whitechapel Road", "address_line2": "", "town": "London"}

    response = login_as(referrer).post(f"/en/diners/{diner.pk}/edit/address/", {**address, "postcode": "E1 6AN"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "That address is outside this diner" in html
    assert 'id="id_postcode_error"' in html  # shown at the postcode, and linked from the summary
    assert 'href="#id_postcode"' in html
    assert "There is a problem" in html
    assert "<title>Error:" in html
    assert 'value="1 Whitechapel Road"' in html
    diner.refresh_from_db()
    assert (diner.address_line1, diner.postcode) == ("12 Mare Street", "E8 1DY")
    assert not AuditEntry.objects.filter(action="diner_updated").exists()


def test_a_bad_phone_number_is_refused_and_keeps_what_was_typed(login_as, referrer, accepted):
    response = login_as(referrer).post(f"/en/diners/{accepted.diner.pk}/edit/phone/", {"phone": "12345"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "The phone number is too short. Enter the whole number, with the area code" in html
    assert 'value="12345"' in html
    assert 'aria-labelledby="acting-for-title"' in html


def test_posting_other_fields_changes_nothing_else(login_as, referrer, accepted, area_b):
    diner = accepted.diner
    before = Diner.objects.get(pk=diner.pk)

    response = login_as(referrer).post(
        f"/en/diners/{diner.pk}/edit/likes/",
        {
            "likes": "Soup",
            "dislikes": "",
            "status": "closed",
            "status_reason": "hacked",
            "area": str(area_b.pk),
            "latitude": "1.5",
            "longitude": "1.5",
            "allergens": ["milk"],
            "full_name": "Someone Else",
            "postcode": "E1 6AN",
            "consent_method": "phone",
            "share_with_cook": ["likes"],
        },
    )

    assert response.status_code == 302
    after = Diner.objects.get(pk=diner.pk)
    assert after.likes == "Soup"
    for name in (
        "status", "status_reason", "area_id", "latitude", "longitude", "allergens", "full_name", "postcode",
        "consent_method", "share_with_cook",
    ):  # fmt: skip
        assert getattr(after, name) == getattr(before, name), name


def test_without_the_edit_scope_a_post_changes_nothing(login_as, referrer, access, coordinator_a):
    set_scopes(access, coordinator_a, can_view_schedule=True)

    response = login_as(referrer).post(f"/en/diners/{access.diner_id}/edit/likes/", {"likes": "Soup"})

    assert response.status_code == 403
    assert Diner.objects.get(pk=access.diner_id).likes == "Fish pie"


def test_after_revocation_a_post_changes_nothing(login_as, referrer, access, coordinator_a):
    client = login_as(referrer)
    services.revoke_proxy(by=coordinator_a, access=access)

    response = client.post(f"/en/diners/{access.diner_id}/edit/likes/", {"likes": "Soup"})

    assert response.status_code == 404
    assert Diner.objects.get(pk=access.diner_id).likes == "Fish pie"


def test_editing_needs_the_csrf_token(referrer, accepted):
    client = verified_client(referrer, enforce_csrf_checks=True)

    response = client.post(f"/en/diners/{accepted.diner.pk}/edit/likes/", {"likes": "Soup"})

    assert response.status_code == 403
    assert Diner.objects.get(pk=accepted.diner.pk).likes == "Fish pie"


def test_the_edit_page_in_japanese(login_as, referrer, accepted):
    response = login_as(referrer).get(f"/ja/diners/{accepted.diner.pk}/edit/name/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ja"' in html
    assert 'value="Edith O&#x27;Brien"' in html
