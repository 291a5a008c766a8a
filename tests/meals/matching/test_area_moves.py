"""A cook belongs to the area whose coordinators approved them (issue 11): a cook with a live match
may not move to another area; without one, a move sends an active cook back for approval; the nearby
search, offers and approvals stay inside the cook's own area and travel distance."""

import pytest

from accounts.onboarding import services as cook_services
from accounts.onboarding.models import CookProfile
from casserole import audit
from casserole.models import AuditEntry, OutboundEmail, PostcodeCentroid
from meals.diners.models import Diner
from meals.matching import services as matching
from meals.matching.models import Match
from meals.matching.nearby import nearby_diners
from meals.matching.services import MatchError
from tests.factories import E8_CENTRE, AreaFactory, CoordinatorFactory, DinerFactory, add_totp
from tests.onboarding import PROFILE

pytestmark = pytest.mark.django_db

# Stoke Newington: a neighbouring club's district, a mile or so north of E8's centre.
N16 = {"country": "GB", "address_line1": "3 Church Street", "postcode": "N16 0AA"}


@pytest.fixture
def area_c(db):
    area = AreaFactory(name="Area C", slug="area-c", postcode_prefixes="N16")
    PostcodeCentroid.objects.get_or_create(
        country="GB",
        prefix="N16",
        defaults={"latitude": "51.560000", "longitude": "-0.060000", "place_name": "Stoke Newington"},
    )
    return area


@pytest.fixture
def coordinator_c(area_c):
    user = CoordinatorFactory(full_name="Cleo Coordinator", email="coord-c@example.org", areas=[area_c])
    add_totp(user)
    return user


def move(cook, **changes):
    return cook_services.save_cook_profile(cook=cook, **{**PROFILE, "full_name": cook.full_name, **N16, **changes})


def neighbour(area_c, **changes):
    """An accepted diner of area C living just across the boundary, a few hundred metres from E8's centre."""
    return DinerFactory(
        area=area_c, status=Diner.Status.ACTIVE, **{**E8_CENTRE, "latitude": 51.546, "neighbourhood": "Dalston"}
    )


def test_a_cook_with_a_live_match_may_not_move_to_another_area(active_cook, diner, area_c, coordinator_a):
    match = matching.approve_match(by=coordinator_a, match=matching.offer_to_cook(cook=active_cook, diner=diner))
    entries = AuditEntry.objects.count()
    with pytest.raises(cook_services.OnboardingError, match="You have a match in Area A"):
        move(active_cook)
    active_cook.refresh_from_db()
    profile = CookProfile.objects.get(user=active_cook)
    assert active_cook.home_area.name == "Area A" and profile.postcode == "E8 1DY"
    assert profile.status == CookProfile.Status.ACTIVE and AuditEntry.objects.count() == entries
    assert Match.objects.get(pk=match.pk).status == Match.Status.APPROVED


def test_an_offer_waiting_for_approval_also_holds_the_cook_to_their_area(active_cook, diner, area_c):
    matching.offer_to_cook(cook=active_cook, diner=diner)
    with pytest.raises(cook_services.OnboardingError, match="Ask your coordinator to end it"):
        move(active_cook)


def test_the_profile_form_refuses_the_move_and_keeps_what_was_typed(client, active_cook, diner, area_c):
    matching.offer_to_cook(cook=active_cook, diner=diner)
    client.force_login(active_cook)
    data = {**PROFILE, **N16, "travel_distance": "1.5", "town": "London"}
    response = client.post("/en/account/cook/profile/", data)
    assert response.status_code == 200
    assert "You have a match in Area A" in response.content.decode()
    assert "3 Church Street" in response.content.decode()
    active_cook.refresh_from_db()
    assert active_cook.home_area.name == "Area A"


def test_a_move_without_a_live_match_sends_the_cook_back_for_approval(
    active_cook, area_c, coordinator_a, coordinator_c
):
    OutboundEmail.objects.all().delete()
    move(active_cook)
    active_cook.refresh_from_db()
    assert active_cook.home_area == area_c
    assert CookProfile.objects.get(user=active_cook).status == CookProfile.Status.PENDING
    entry = AuditEntry.objects.get(action=audit.Action.COOK_MOVED_AREA)
    assert entry.area_id == area_c.pk and entry.actor_id == active_cook.pk
    arrived = OutboundEmail.objects.get(to=coordinator_c.email)
    assert "Area C" in arrived.subject and "Cathy Cook" in arrived.body and f"/cooks/{active_cook.pk}/" in arrived.body
    left = OutboundEmail.objects.get(to=coordinator_a.email)
    assert "moved away from Area A" in left.subject and f"/cooks/{active_cook.pk}/" not in left.body


def test_the_new_areas_coordinator_is_told_in_japanese(active_cook, area_c, coordinator_c):
    coordinator_c.preferred_language = "ja"
    coordinator_c.save(update_fields=["preferred_language"])
    move(active_cook)
    email = OutboundEmail.objects.get(to=coordinator_c.email)
    assert "転居しました" in email.subject and "Cathy Cookさん" in email.body


def test_a_change_of_address_inside_the_area_keeps_the_cook_active(active_cook, coordinator_a):
    move(active_cook, address_line1="5 Mare Street", postcode="E8 1DY")
    assert CookProfile.objects.get(user=active_cook).status == CookProfile.Status.ACTIVE
    assert not AuditEntry.objects.filter(action=audit.Action.COOK_MOVED_AREA).exists()


def test_an_active_cook_near_a_boundary_sees_and_offers_only_in_their_own_area(client, active_cook, diner, area_c):
    other = neighbour(area_c)
    assert [found.pk for found in nearby_diners(active_cook.cook_profile)] == [diner.pk]
    client.force_login(active_cook)
    assert "Dalston" not in client.get("/en/cook/diners/").content.decode()
    assert client.get(f"/en/cook/diners/{other.pk}/offer/").status_code == 404
    assert client.post(f"/en/cook/diners/{other.pk}/offer/", {"message": ""}).status_code == 404
    with pytest.raises(MatchError):
        matching.offer_to_cook(cook=active_cook, diner=other)
    assert not Match.objects.filter(diner=other).exists()


def test_approve_match_refuses_when_the_cook_has_left_the_area(active_cook, diner, coordinator_a):
    offer = matching.offer_to_cook(cook=active_cook, diner=diner)
    # The cook's home moved to area D after offering (as an older release allowed): the offer is stale.
    area_d = AreaFactory(name="Area D", slug="area-d")
    active_cook.home_area = area_d
    active_cook.save(update_fields=["home_area"])
    with pytest.raises(MatchError, match="outside"):
        matching.approve_match(by=coordinator_a, match=offer)


def test_approve_match_refuses_a_diner_out_of_range(active_cook, diner, coordinator_a):
    offer = matching.offer_to_cook(cook=active_cook, diner=diner)
    profile = CookProfile.objects.get(user=active_cook)
    profile.travel_distance = "0.1"
    profile.latitude = 51.56
    profile.save(update_fields=["travel_distance", "latitude"])
    with pytest.raises(MatchError, match="further away"):
        matching.approve_match(by=coordinator_a, match=offer)


def test_approve_match_refuses_a_cook_who_is_no_longer_eligible(active_cook, diner, coordinator_a):
    offer = matching.offer_to_cook(cook=active_cook, diner=diner)
    CookProfile.objects.filter(user=active_cook).update(status=CookProfile.Status.PENDING)
    with pytest.raises(MatchError, match="not active"):
        matching.approve_match(by=coordinator_a, match=offer)


def test_a_cook_not_yet_active_who_moves_area_is_reported_to_both_areas(
    cook, covered_area_a, area_c, coordinator_a, coordinator_c
):
    cook_services.save_cook_profile(cook=cook, **{**PROFILE, "full_name": cook.full_name})
    OutboundEmail.objects.all().delete()

    move(cook)

    cook.refresh_from_db()
    assert cook.home_area == area_c
    assert CookProfile.objects.get(user=cook).status == CookProfile.Status.PENDING
    entry = AuditEntry.objects.get(action=audit.Action.COOK_CHANGED_AREA)
    assert entry.detail == {"from_area": covered_area_a.pk, "to_area": area_c.pk}
    arrived = OutboundEmail.objects.get(to=coordinator_c.email)
    assert "a cook who is signing up has moved to Area C" in arrived.subject
    assert "signed up in Area A and is not active yet" in arrived.body
    left = OutboundEmail.objects.get(to=coordinator_a.email)
    assert "moved away from Area A" in left.subject and "was not active" in left.body
