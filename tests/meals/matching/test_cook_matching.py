"""The cook's side of matching, and the referrer's "ask to pause or end": what a cook sees nearby (and
never sees), offering, following a match, and what the matched cook may see when."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.review import services as cook_services
from casserole.models import AuditEntry
from meals.diners import services
from meals.diners.models import Diner
from meals.matching import services as matching
from meals.matching.models import Match, MatchChangeRequest
from meals.referrals import services as referrals_services
from tests.conftest import page_body
from tests.meals.conftest import make_active_cook, submit
from tests.onboarding import make_profile

pytestmark = pytest.mark.django_db

# E8's centre, where the offline geocoder puts the cook (PROFILE in tests/onboarding.py) and Edie.
E8 = (51.543, -0.058)

# Everything about Edie (tests/meals/conftest.py ANSWERS) that a cook who is not matched must never see.
PRIVATE = (
    "O'Brien",
    "O&#x27;Brien",
    "Edith",
    "12 Mare Street",
    "E8 1DY",
    "+442071234567",
    "020 7123 4567",
    "Key safe",
    "Sarah Bennett",
    "+447700900789",
    "07700 900789",
    "Daughter",
    "Fish pie",  # likes: only with consent, after approval
    "Spicy food",
)


def assert_private_absent(html: str) -> None:
    found = [text for text in PRIVATE if text in html]
    assert found == [], f"private details on the page: {found}"


def accepted_diner(referrer, coordinator, *, place=None, **changes) -> Diner:
    """Another accepted diner in area A; `place` = (latitude, longitude) pins them by hand."""
    referral = submit(by=referrer, **changes)
    referrals_services.accept_referral(by=coordinator, referral=referral, scopes={"can_view_schedule": True})
    diner = Diner.objects.get(pk=referral.diner_id)
    if place is not None:
        diner = services.place_diner(
            by=coordinator, diner=diner, latitude=place[0], longitude=place[1], neighbourhood="Dalston"
        )
    return diner


def use_miles(area):
    area.distance_unit = "mi"
    area.save(update_fields=["distance_unit"])


def approved(cook, diner, coordinator) -> Match:
    return matching.approve_match(by=coordinator, match=matching.offer_to_cook(cook=cook, diner=diner))


# Finding diners ------------------------------------------------------------------------------------------


def test_an_active_cook_sees_nearby_diners_nearest_first_in_the_areas_unit(
    login_as, active_cook, referrer, coordinator_a, area_a
):
    use_miles(area_a)
    # Made in a different order from their distances, so the order comes from the distance (measured to
    # the centre of each diner's 1 km cell, casserole.cells).
    middle = accepted_diner(referrer, coordinator_a, preferred_name="Maud", place=(51.550, -0.058))  # ~0.88 km
    near = accepted_diner(referrer, coordinator_a, preferred_name="Nora")  # E8's centre: its cell ~0.55 km
    far = accepted_diner(referrer, coordinator_a, preferred_name="Flo", place=(51.556, -0.058))  # ~1.8 km

    response = login_as(active_cook).get("/en/cook/diners/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert html.index("Nora") < html.index("Maud") < html.index("Flo")
    assert "about 0.25 miles" in html  # Nora: the same postcode centre, never shown as 0
    assert "about 0.5 miles" in html and "about 1 mile" in html
    assert "People within 1.5 miles of your home" in html
    for diner in (near, middle, far):
        assert f'href="/en/cook/diners/{diner.pk}/offer/"' in html
    assert f"Offer to cook for <bdi>{near.preferred_name}</bdi>" in html


def test_distances_are_in_kilometres_where_the_area_uses_them(login_as, active_cook, diner, area_a):
    assert area_a.distance_unit == "km"
    html = login_as(active_cook).get("/en/cook/diners/").content.decode()
    assert "about 0.5 km" in html
    assert "miles" not in html.split('id="nearby-diners"')[1]


def test_the_nearby_list_shows_needs_and_days_but_nothing_private(login_as, active_cook, diner):
    html = login_as(active_cook).get("/en/cook/diners/").content.decode()

    for text in ("Edie", "Hackney", "Diabetic: no sugary puddings", "Peanuts", "Sesame", "Other: Kiwi fruit"):
        assert text in html
    assert "Soft and bite-sized" in html and "About once a week" in html and "Tuesday, Thursday" in html
    assert_private_absent(html)


def test_the_page_works_in_japanese(login_as, active_cook, diner):
    response = login_as(active_cook).get("/ja/cook/diners/")
    assert response.status_code == 200
    assert 'lang="ja"' in response.content.decode()


def test_an_empty_neighbourhood_says_so(login_as, active_cook):
    html = login_as(active_cook).get("/en/cook/diners/").content.decode()
    assert 'id="nobody-near"' in html
    assert 'href="/en/account/cook/profile/"' in html  # change how far they will travel


def test_a_cook_without_a_profile_sees_what_is_still_needed(login_as, cook, diner):
    html = login_as(cook).get("/en/cook/diners/").content.decode()
    assert 'id="why-still-needed"' in html
    assert "a completed profile" in html and "a valid food-safety certificate" in html
    assert 'href="/en/account/cook/"' in html  # the checklist
    assert "Edie" not in html and 'id="nearby-diners"' not in html


def test_a_cook_waiting_for_approval_is_told_a_coordinator_will_look(login_as, cook, coordinator_a, course, diner):
    from tests.onboarding import approve_identity
    from tests.training.conftest import certify

    make_profile(cook)
    approve_identity(cook, by=coordinator_a)
    certify(cook, course)
    html = login_as(cook).get("/en/cook/diners/").content.decode()
    assert 'id="why-waiting"' in html
    assert "Edie" not in html


def test_a_suspended_cook_sees_the_reason(login_as, active_cook, coordinator_a, diner):
    cook_services.suspend_cook(by=coordinator_a, cook=active_cook, reason="We need to talk about a complaint")
    html = login_as(active_cook).get("/en/cook/diners/").content.decode()
    assert 'id="why-suspended"' in html and "We need to talk about a complaint" in html
    assert "Edie" not in html


def test_a_cook_whose_certificate_ran_out_is_sent_to_the_course(login_as, active_cook, diner):
    active_cook.certificates.update(expires_at=timezone.now() - timedelta(days=1))
    html = login_as(active_cook).get("/en/cook/diners/").content.decode()
    assert 'id="why-certificate"' in html and "Your certificate ran out on" in html
    assert 'href="/en/training/"' in html
    assert "Edie" not in html


def test_an_active_cook_who_needs_placing_is_told_a_coordinator_will_place_them(
    login_as, cook, coordinator_a, course, diner
):
    make_active_cook(cook, coordinator=coordinator_a, course=course, postcode="E9 5LN")  # E9 has no centre yet
    html = login_as(cook).get("/en/cook/diners/").content.decode()
    assert 'id="why-placing"' in html and "A coordinator will place you by hand" in html
    assert "Edie" not in html


def test_people_who_are_not_cooks_are_refused(login_as, referrer, coordinator_a):
    assert login_as(referrer).get("/en/cook/diners/").status_code == 403
    assert login_as(coordinator_a).get("/en/cook/diners/").status_code == 403


# The query count: one nearby query, whatever the number of diners. The page's queries:
#  1. the session  2. the user  3.–4. django-otp's middleware: the user's TOTP and static devices
#  5. is_active_cook: an active profile exists  6. …and a valid certificate
#  7. the cook's profile (where they live)  8. the cook's area (the unit; the "Need help?" block reuses it)
#  9. the nearby search (meals.matching.nearby.nearby_diners: one bounding-box query; distances in Python)
NEARBY_QUERIES = 9


@pytest.mark.parametrize("count", [1, 20])
def test_the_nearby_page_costs_the_same_queries_with_1_or_20_diners(
    login_as, active_cook, referrer, coordinator_a, count, django_assert_num_queries
):
    for n in range(count):
        accepted_diner(referrer, coordinator_a, preferred_name=f"Diner {n:02d}")
    client = login_as(active_cook)

    with django_assert_num_queries(NEARBY_QUERIES):
        response = client.get("/en/cook/diners/")

    assert response.content.decode().count('class="govuk-summary-card"') == count


def test_the_cooks_checklist_links_to_finding_diners_when_active(login_as, active_cook):
    html = login_as(active_cook).get("/en/account/cook/").content.decode()
    assert 'href="/en/cook/diners/"' in html and 'href="/en/cook/matches/"' in html


def test_the_checklist_of_a_cook_not_yet_active_has_no_find_link(login_as, cook):
    html = login_as(cook).get("/en/account/cook/").content.decode()
    assert 'href="/en/cook/diners/"' not in html


# Offering ------------------------------------------------------------------------------------------------


def test_the_offer_page_shows_the_public_summary_only(login_as, active_cook, diner):
    response = login_as(active_cook).get(f"/en/cook/diners/{diner.pk}/offer/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Offer to cook for Edie" in html
    assert "Peanuts" in html and "Hackney" in html
    assert 'data-prevent-double-click="true"' in html
    assert 'name="message"' in html
    assert_private_absent(html)


def test_offering_creates_one_proposed_match_and_thanks_the_cook(login_as, active_cook, diner):
    client = login_as(active_cook)
    response = client.post(f"/en/cook/diners/{diner.pk}/offer/", {"message": "I live round the corner"})

    match = Match.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/en/cook/matches/{match.pk}/"
    assert (match.cook, match.diner_id, match.status, match.message) == (
        active_cook,
        diner.pk,
        "proposed",
        "I live round the corner",
    )
    html = client.get(response["Location"]).content.decode()
    assert "Thank you. A coordinator will look at your offer" in html


def test_a_double_clicked_offer_makes_one_offer(login_as, active_cook, diner):
    client = login_as(active_cook)
    first = client.post(f"/en/cook/diners/{diner.pk}/offer/", {"message": ""})
    second = client.post(f"/en/cook/diners/{diner.pk}/offer/", {"message": ""})
    assert Match.objects.count() == 1
    assert first["Location"] == second["Location"] == f"/en/cook/matches/{Match.objects.get().pk}/"


def test_extra_fields_in_an_offer_change_nothing(login_as, active_cook, diner, second_cook):
    login_as(active_cook).post(
        f"/en/cook/diners/{diner.pk}/offer/",
        {"message": "", "status": "approved", "additional": "on", "cook": second_cook.pk, "distance_km": "0"},
    )
    match = Match.objects.get()
    assert (match.status, match.additional, match.cook) == ("proposed", False, active_cook)


def test_the_loser_of_a_race_is_told_kindly_and_sent_back_to_the_list(
    login_as, active_cook, diner, second_cook, coordinator_a, course
):
    make_active_cook(second_cook, coordinator=coordinator_a, course=course)
    slow = login_as(second_cook)
    assert slow.get(f"/en/cook/diners/{diner.pk}/offer/").status_code == 200  # both see Edie
    login_as(active_cook).post(f"/en/cook/diners/{diner.pk}/offer/", {"message": ""})

    response = slow.post(f"/en/cook/diners/{diner.pk}/offer/", {"message": "Me too"})

    assert response.status_code == 302 and response["Location"] == "/en/cook/diners/"
    assert Match.objects.count() == 1
    html = slow.get("/en/cook/diners/").content.decode()
    assert "Another cook has just offered to cook for Edie" in html


def test_a_message_too_long_keeps_what_was_typed(login_as, active_cook, diner):
    text = "Hello " * 200
    response = login_as(active_cook).post(f"/en/cook/diners/{diner.pk}/offer/", {"message": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error:" in html and "There is a problem" in html
    assert "Your message must be 1000 characters or fewer" in html
    assert text.strip() in html
    assert Match.objects.count() == 0


def test_a_far_diner_cannot_be_reached_by_url(login_as, active_cook, referrer, coordinator_a):
    far = accepted_diner(referrer, coordinator_a, preferred_name="Harry", place=(51.60, -0.058))  # ~6 km
    client = login_as(active_cook)
    assert client.get(f"/en/cook/diners/{far.pk}/offer/").status_code == 404
    assert client.post(f"/en/cook/diners/{far.pk}/offer/", {"message": ""}).status_code == 404
    assert Match.objects.count() == 0


def test_a_diner_not_accepted_yet_cannot_be_reached(login_as, active_cook, referral):
    client = login_as(active_cook)
    assert client.get(f"/en/cook/diners/{referral.diner_id}/offer/").status_code == 404
    assert client.post(f"/en/cook/diners/{referral.diner_id}/offer/", {"message": ""}).status_code == 404


def test_a_paused_diner_cannot_be_reached(login_as, active_cook, diner, coordinator_a):
    services.change_diner_status(by=coordinator_a, diner=diner, action="pause", reason="In hospital")
    client = login_as(active_cook)
    assert client.get(f"/en/cook/diners/{diner.pk}/offer/").status_code == 404
    assert client.post(f"/en/cook/diners/{diner.pk}/offer/", {"message": ""}).status_code == 404


def test_a_diner_another_cook_has_just_offered_for_sends_back_to_the_list_with_the_reason(
    login_as, active_cook, diner, second_cook, coordinator_a, course
):
    make_active_cook(second_cook, coordinator=coordinator_a, course=course)
    matching.offer_to_cook(cook=second_cook, diner=diner)
    client = login_as(active_cook)
    response = client.get(f"/en/cook/diners/{diner.pk}/offer/")
    assert (response.status_code, response["Location"]) == (302, "/en/cook/diners/")
    assert "Another cook has just offered" in client.get("/en/cook/diners/").content.decode()


def test_a_missing_diner_is_404(login_as, active_cook):
    assert login_as(active_cook).get("/en/cook/diners/999999/offer/").status_code == 404
    assert login_as(active_cook).post("/en/cook/diners/999999/offer/", {"message": ""}).status_code == 404


def test_going_back_to_the_offer_page_after_offering_shows_the_offer(login_as, active_cook, diner):
    match = matching.offer_to_cook(cook=active_cook, diner=diner)
    response = login_as(active_cook).get(f"/en/cook/diners/{diner.pk}/offer/")
    assert response.status_code == 302 and response["Location"] == f"/en/cook/matches/{match.pk}/"


def test_a_cook_who_is_not_active_is_sent_to_the_explanation(login_as, cook, diner):
    response = login_as(cook).post(f"/en/cook/diners/{diner.pk}/offer/", {"message": ""})
    assert response.status_code == 302 and response["Location"] == "/en/cook/diners/"
    assert Match.objects.count() == 0


# The cook's matches --------------------------------------------------------------------------------------


def test_the_matches_page_lists_live_matches_first(login_as, active_cook, diner, referrer, coordinator_a):
    old = accepted_diner(referrer, coordinator_a, preferred_name="Olive")
    withdrawn = matching.offer_to_cook(cook=active_cook, diner=old)
    matching.withdraw_offer(cook=active_cook, match=withdrawn)
    live = matching.offer_to_cook(cook=active_cook, diner=diner)
    Match.objects.filter(pk=live.pk).update(offered_at=timezone.now() - timedelta(days=5))  # older, still first

    html = login_as(active_cook).get("/en/cook/matches/").content.decode()

    assert html.index("Edie") < html.index("Olive")
    assert "Offered, waiting for a coordinator" in html and "Withdrawn by the cook" in html
    assert f'href="/en/cook/matches/{live.pk}/"' in html
    assert_private_absent(html)


# The matches page: 1. the session  2. the user  3.–4. django-otp's devices  5. the cook's matches with
# the diners' names (one query, select_related)  6. the cook's area for the "Need help?" block.
MATCHES_QUERIES = 6


@pytest.mark.parametrize("count", [1, 20])
def test_the_matches_page_costs_the_same_queries_with_1_or_20_matches(
    login_as, active_cook, referrer, coordinator_a, count, django_assert_num_queries
):
    for n in range(count):
        match = matching.offer_to_cook(cook=active_cook, diner=accepted_diner(referrer, coordinator_a))
        if n < count - 1:
            matching.withdraw_offer(cook=active_cook, match=match)
    client = login_as(active_cook)

    with django_assert_num_queries(MATCHES_QUERIES):
        response = client.get("/en/cook/matches/")

    assert response.content.decode().count('href="/en/cook/matches/') == count


def test_another_cooks_match_is_404_like_a_missing_one(login_as, active_cook, diner, second_cook):
    match = matching.offer_to_cook(cook=active_cook, diner=diner)
    client = login_as(second_cook)
    theirs_path, missing_path = f"/cook/matches/{match.pk}/", "/cook/matches/987654/"
    theirs, missing = client.get(f"/en{theirs_path}"), client.get(f"/en{missing_path}")
    assert theirs.status_code == missing.status_code == 404
    # The only difference is the address itself (in the language switch).
    assert page_body(theirs).replace(theirs_path, "PATH") == page_body(missing).replace(missing_path, "PATH")
    for path in ("withdraw", "change"):
        assert client.post(f"/en/cook/matches/{match.pk}/{path}/").status_code == 404


def test_before_approval_the_match_page_shows_nothing_private(login_as, active_cook, diner):
    match = matching.offer_to_cook(cook=active_cook, diner=diner)
    html = login_as(active_cook).get(f"/en/cook/matches/{match.pk}/").content.decode()
    assert "Offered, waiting for a coordinator" in html and "Withdraw my offer" in html
    assert 'id="shared-details"' not in html
    assert_private_absent(html)
    assert not AuditEntry.objects.filter(action="diner_record_viewed", actor=active_cook).exists()


def test_after_approval_the_cook_sees_what_the_diner_agreed_to_share(login_as, active_cook, diner, coordinator_a):
    match = approved(active_cook, diner, coordinator_a)
    html = login_as(active_cook).get(f"/en/cook/matches/{match.pk}/").content.decode()

    assert "12 Mare Street" in html and "E8 1DY" in html  # address: shared
    assert "020 7123 4567" in html and 'href="tel:+442071234567"' in html  # phone: shared
    assert "Key safe by the door" in html  # how to get in: shared
    assert "Fish pie" not in html and "Spicy food" not in html  # likes: not shared
    # Never, even when matched: the surname and the emergency contact.
    for text in ("O&#x27;Brien", "Edith", "Sarah Bennett", "07700 900789"):
        assert text not in html
    assert AuditEntry.objects.filter(action="diner_record_viewed", actor=active_cook).exists()


def test_consent_limits_what_the_matched_cook_sees(login_as, active_cook, referrer, coordinator_a):
    only_likes = accepted_diner(referrer, coordinator_a, share_with_cook=[Diner.Share.LIKES])
    match = approved(active_cook, only_likes, coordinator_a)
    html = login_as(active_cook).get(f"/en/cook/matches/{match.pk}/").content.decode()
    assert "Fish pie" in html and "Spicy food" in html
    for text in ("12 Mare Street", "E8 1DY", "020 7123 4567", "Key safe"):
        assert text not in html


def test_a_diner_who_shared_nothing_shows_how_to_arrange_meals(login_as, active_cook, referrer, coordinator_a):
    nothing = accepted_diner(referrer, coordinator_a, share_with_cook=[])
    match = approved(active_cook, nothing, coordinator_a)
    html = login_as(active_cook).get(f"/en/cook/matches/{match.pk}/").content.decode()
    assert 'id="nothing-shared"' in html
    assert_private_absent(html)


def test_the_address_disappears_as_soon_as_the_match_ends(login_as, active_cook, diner, coordinator_a):
    match = approved(active_cook, diner, coordinator_a)
    client = login_as(active_cook)
    assert "12 Mare Street" in client.get(f"/en/cook/matches/{match.pk}/").content.decode()

    matching.change_match(by=coordinator_a, match=match, action="end", reason="Moving away")

    html = client.get(f"/en/cook/matches/{match.pk}/").content.decode()
    assert "This match ended on" in html and "Moving away" in html
    assert_private_absent(html)


def test_the_introduction_shows_how_and_when(login_as, active_cook, diner, coordinator_a, settings):
    match = approved(active_cook, diner, coordinator_a)
    when = timezone.make_aware(timezone.datetime(2026, 11, 22, 17, 30))
    matching.record_introduction(by=coordinator_a, match=match, method="with_coordinator", when=when)
    html = login_as(active_cook).get(f"/en/cook/matches/{match.pk}/").content.decode()
    assert "The coordinator goes with the cook" in html
    assert "Sunday 22 November 2026, 5:30pm" in html


# Withdrawing ---------------------------------------------------------------------------------------------


def test_a_cook_withdraws_an_offer(login_as, active_cook, diner):
    match = matching.offer_to_cook(cook=active_cook, diner=diner)
    client = login_as(active_cook)
    assert client.get(f"/en/cook/matches/{match.pk}/withdraw/").status_code == 405

    response = client.post(f"/en/cook/matches/{match.pk}/withdraw/")

    assert response.status_code == 302 and response["Location"] == f"/en/cook/matches/{match.pk}/"
    match.refresh_from_db()
    assert match.status == "withdrawn"
    html = client.get(response["Location"]).content.decode()
    assert "You have withdrawn your offer to cook for Edie" in html and "You withdrew this offer" in html


def test_an_approved_match_cannot_be_withdrawn(login_as, active_cook, diner, coordinator_a):
    match = approved(active_cook, diner, coordinator_a)
    client = login_as(active_cook)
    response = client.post(f"/en/cook/matches/{match.pk}/withdraw/")
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == "approved"
    assert "This offer can no longer be withdrawn" in client.get(response["Location"]).content.decode()


# Asking to pause or end ----------------------------------------------------------------------------------


def test_a_cook_asks_to_pause(login_as, active_cook, diner, coordinator_a):
    match = approved(active_cook, diner, coordinator_a)
    client = login_as(active_cook)
    page = client.get(f"/en/cook/matches/{match.pk}/").content.decode()
    assert f'href="/en/cook/matches/{match.pk}/change/"' in page and "Ask to pause or end this match" in page
    form = client.get(f"/en/cook/matches/{match.pk}/change/").content.decode()
    assert 'name="kind"' in form and 'value="pause"' in form and 'value="end"' in form

    response = client.post(f"/en/cook/matches/{match.pk}/change/", {"kind": "pause", "reason": "Away for a month"})

    assert response.status_code == 302 and response["Location"] == f"/en/cook/matches/{match.pk}/"
    change = MatchChangeRequest.objects.get()
    assert (change.kind, change.reason, change.requested_by) == ("pause", "Away for a month", active_cook)
    html = client.get(response["Location"]).content.decode()
    assert "Your request has been sent" in html and 'id="open-request"' in html
    # A second request waits for the first to be decided.
    again = client.get(f"/en/cook/matches/{match.pk}/change/")
    assert again.status_code == 302


def test_a_change_request_with_errors_keeps_what_was_typed(login_as, active_cook, diner, coordinator_a):
    match = approved(active_cook, diner, coordinator_a)
    response = login_as(active_cook).post(f"/en/cook/matches/{match.pk}/change/", {"kind": "end", "reason": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error:" in html and "Tell the coordinator why" in html
    assert re.search(r'<input[^>]*value="end"[^>]*checked', html)
    response = login_as(active_cook).post(f"/en/cook/matches/{match.pk}/change/", {"reason": "Too far"})
    html = response.content.decode()
    assert "Select whether to pause or end" in html and "Too far" in html
    assert MatchChangeRequest.objects.count() == 0


def test_a_paused_match_can_only_be_asked_to_end(login_as, active_cook, diner, coordinator_a):
    match = approved(active_cook, diner, coordinator_a)
    matching.change_match(by=coordinator_a, match=match, action="pause", reason="Cook away")
    client = login_as(active_cook)
    form = client.get(f"/en/cook/matches/{match.pk}/change/").content.decode()
    assert 'name="kind"' not in form and "Ask to end your match with Edie" in form

    client.post(f"/en/cook/matches/{match.pk}/change/", {"kind": "pause", "reason": "I cannot go on"})

    assert MatchChangeRequest.objects.get().kind == "end"


def test_a_proposed_match_cannot_be_asked_to_change(login_as, active_cook, diner):
    match = matching.offer_to_cook(cook=active_cook, diner=diner)
    client = login_as(active_cook)
    response = client.post(f"/en/cook/matches/{match.pk}/change/", {"kind": "end", "reason": "Changed my mind"})
    assert response.status_code == 302 and response["Location"] == f"/en/cook/matches/{match.pk}/"
    assert MatchChangeRequest.objects.count() == 0


def test_a_referrer_asks_to_end_for_the_diner(login_as, active_cook, diner, coordinator_a, referrer):
    match = approved(active_cook, diner, coordinator_a)
    client = login_as(referrer)
    page = client.get(f"/en/diners/{diner.pk}/matches/{match.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "You are acting for <bdi>Edie</bdi>" in html and "Cathy" in html  # the cook's first name only
    assert "Cook</" not in html  # never the cook's family name

    response = client.post(
        f"/en/diners/{diner.pk}/matches/{match.pk}/change/", {"kind": "end", "reason": "Mum is moving to a home"}
    )

    assert response.status_code == 302 and response["Location"] == f"/en/diners/{diner.pk}/"
    change = MatchChangeRequest.objects.get()
    assert (change.kind, change.requested_by) == ("end", referrer)
    # The cook sees that someone acting for Edie asked.
    cook_html = login_as(active_cook).get(f"/en/cook/matches/{match.pk}/").content.decode()
    assert "Someone acting for <bdi>Edie</bdi> asked the coordinator" in cook_html


def test_only_a_referrer_acting_for_the_diner_may_ask(login_as, active_cook, diner, coordinator_a, referrer):
    from tests.factories import UserFactory

    match = approved(active_cook, diner, coordinator_a)
    stranger = UserFactory(is_referrer=True)
    path = f"/en/diners/{diner.pk}/matches/{match.pk}/change/"
    assert login_as(stranger).get(path).status_code == 404
    assert login_as(active_cook).get(path).status_code == 404  # the cook has their own page
    services.revoke_proxy(by=coordinator_a, access=diner.proxies.get(referrer=referrer))
    assert login_as(referrer).get(path).status_code == 404
    assert login_as(referrer).post(path, {"kind": "end", "reason": "x"}).status_code == 404
    assert MatchChangeRequest.objects.count() == 0


def test_a_match_of_another_diner_is_404_for_the_referrer(
    login_as, active_cook, diner, coordinator_a, referrer, second_cook, course
):
    other = accepted_diner(referrer, coordinator_a, preferred_name="Olive")
    services.revoke_proxy(by=coordinator_a, access=other.proxies.get(referrer=referrer))
    make_active_cook(second_cook, coordinator=coordinator_a, course=course)
    match = approved(second_cook, other, coordinator_a)
    # Through a diner the referrer does act for, a match of someone else's diner does not exist.
    assert login_as(referrer).get(f"/en/diners/{diner.pk}/matches/{match.pk}/change/").status_code == 404
