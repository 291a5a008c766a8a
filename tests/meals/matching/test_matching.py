"""Matching services and the nearby search: who a cook may find, one live match per diner, the
lifecycle, and what the cook may see when."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casserole.models import AuditEntry, OutboundEmail
from meals.diners.models import Diner
from meals.matching import services as matching
from meals.matching.models import Match, MatchChangeRequest
from meals.matching.nearby import bounding_box, nearby_diners
from meals.matching.services import AlreadyTaken, MatchError
from tests.factories import UserFactory
from tests.meals.conftest import make_active_cook, submit

pytestmark = pytest.mark.django_db


def far_diner(referrer, coordinator, **changes):
    """An accepted diner in E9, placed here about 3.8 km from E8's centre (beyond 1.5 miles, within 5)."""
    from casserole.models import PostcodeCentroid
    from meals.referrals import services as referrals_services

    PostcodeCentroid.objects.update_or_create(
        country="GB",
        prefix="E9",
        defaults={"latitude": "51.560000", "longitude": "-0.010000", "place_name": "Homerton"},
    )
    referral = submit(by=referrer, postcode="E9 6AS", full_name="Harold Far", preferred_name="Harry", **changes)
    referrals_services.accept_referral(by=coordinator, referral=referral, scopes={})
    return referral.diner


def test_the_bounding_box_holds_the_whole_circle():
    _south, north, west, east = bounding_box(51.5, -0.05, 2.0)
    assert north - 51.5 == pytest.approx(2.0 / 111.32)
    assert east + 0.05 > (2.0 / 111.32) and west < -0.05


def test_an_active_cook_finds_accepted_unmatched_diners_within_their_distance_nearest_first(
    active_cook, diner, referrer, coordinator_a
):
    far = far_diner(referrer, coordinator_a)
    found = nearby_diners(active_cook.cook_profile, unit="mi")
    assert [d.pk for d in found] == [diner.pk]  # Harry in E9 is beyond the cook's 1.5 miles
    assert found[0].preferred_name == "Edie" and found[0].neighbourhood == "Hackney"
    assert found[0].distance == 0.25  # the same postcode centre: never shown as 0
    profile = active_cook.cook_profile
    profile.travel_distance = 5
    profile.save()
    assert [d.pk for d in nearby_diners(profile, unit="mi")] == [diner.pk, far.pk]
    assert not hasattr(found[0], "full_name") and not hasattr(found[0], "address_line1")


def test_diners_not_accepted_or_already_matched_are_not_found(
    active_cook, referral, second_cook, coordinator_a, course
):
    assert nearby_diners(active_cook.cook_profile) == []  # submitted, not accepted yet
    from meals.referrals import services as referrals_services

    referrals_services.accept_referral(by=coordinator_a, referral=referral, scopes={})
    make_active_cook(second_cook, coordinator=coordinator_a, course=course)
    matching.offer_to_cook(cook=second_cook, diner=referral.diner)
    assert nearby_diners(active_cook.cook_profile) == []


def test_a_cook_who_is_not_active_cannot_offer(cook, diner, covered_area_a):
    with pytest.raises(MatchError, match="active"):
        matching.offer_to_cook(cook=cook, diner=diner)


def test_a_cook_whose_certificate_expired_cannot_offer(active_cook, diner):
    active_cook.certificates.update(expires_at=timezone.now() - timedelta(days=1))
    with pytest.raises(MatchError, match="active"):
        matching.offer_to_cook(cook=active_cook, diner=diner)


def test_an_offer_beyond_the_travel_distance_is_refused(active_cook, referrer, coordinator_a):
    far = far_diner(referrer, coordinator_a)
    with pytest.raises(MatchError, match="further"):
        matching.offer_to_cook(cook=active_cook, diner=far)


def test_a_double_clicked_offer_makes_one_offer(active_cook, diner, coordinator_a):
    first = matching.offer_to_cook(cook=active_cook, diner=diner, message="I live round the corner")
    again = matching.offer_to_cook(cook=active_cook, diner=diner, message="I live round the corner")
    assert first == again and Match.objects.count() == 1
    assert OutboundEmail.objects.filter(to=coordinator_a.email, subject__contains="has offered").count() == 1


def test_a_second_cook_is_told_another_cook_has_just_offered(active_cook, diner, second_cook, coordinator_a, course):
    make_active_cook(second_cook, coordinator=coordinator_a, course=course)
    matching.offer_to_cook(cook=active_cook, diner=diner)
    with pytest.raises(AlreadyTaken, match="Another cook has just offered"):
        matching.offer_to_cook(cook=second_cook, diner=diner)


def test_the_whole_lifecycle(active_cook, diner, coordinator_a, referrer):
    match = matching.offer_to_cook(cook=active_cook, diner=diner)
    assert not match.shares_details
    match = matching.approve_match(by=coordinator_a, match=match)
    assert match.shares_details
    assert OutboundEmail.objects.filter(to=referrer.email, subject__contains="found a cook").exists()
    when = timezone.now()  # today: an introduction cannot be marked done before its day
    match = matching.record_introduction(by=coordinator_a, match=match, method="with_coordinator", when=when)
    assert (match.status, match.introduction_at) == ("introduced", when)
    match = matching.mark_introduced(by=coordinator_a, match=match)
    assert match.status == "active" and match.active_since is not None
    change = matching.request_change(by=active_cook, match=match, kind="pause", reason="Away for two weeks")
    match = matching.change_match(by=coordinator_a, match=match, action="pause", reason="Cook away")
    change.refresh_from_db()
    assert match.status == "paused" and change.resolved_by == coordinator_a
    match = matching.change_match(by=coordinator_a, match=match, action="resume", reason="Back")
    match = matching.change_match(by=coordinator_a, match=match, action="end", reason="Moving away")
    assert match.status == "ended" and not match.shares_details
    actions = list(
        AuditEntry.objects.filter(action__startswith="match_").order_by("pk").values_list("action", flat=True)
    )
    assert actions == [
        "match_offered",
        "match_approved",
        "match_introduction_arranged",
        "match_active",
        "match_pause_requested",
        "match_paused",
        "match_resumed",
        "match_ended",
    ]
    # Once ended, the diner is free for another cook.
    assert [d.pk for d in nearby_diners(active_cook.cook_profile)] == [diner.pk]


def test_a_declined_offer_needs_a_reason_and_frees_the_diner(active_cook, diner, coordinator_a):
    match = matching.offer_to_cook(cook=active_cook, diner=diner)
    with pytest.raises(MatchError):
        matching.decline_match(by=coordinator_a, match=match, reason="")
    matching.decline_match(by=coordinator_a, match=match, reason="Let us talk first")
    assert [d.pk for d in nearby_diners(active_cook.cook_profile)] == [diner.pk]


def test_only_the_diners_coordinator_decides(active_cook, diner, coordinator_b):
    match = matching.offer_to_cook(cook=active_cook, diner=diner)
    with pytest.raises(MatchError):
        matching.approve_match(by=coordinator_b, match=match)


def test_approval_checks_the_cook_is_still_active(active_cook, diner, coordinator_a):
    match = matching.offer_to_cook(cook=active_cook, diner=diner)
    active_cook.certificates.update(expires_at=timezone.now() - timedelta(days=1))
    with pytest.raises(MatchError, match="not active"):
        matching.approve_match(by=coordinator_a, match=match)


def test_only_the_cook_or_a_proxy_may_ask_for_a_change(active_cook, diner, coordinator_a, referrer, second_cook):
    match = matching.approve_match(by=coordinator_a, match=matching.offer_to_cook(cook=active_cook, diner=diner))
    with pytest.raises(MatchError):
        matching.request_change(by=second_cook, match=match, kind="end", reason="?")
    matching.request_change(by=referrer, match=match, kind="end", reason="Mum would like a change")
    with pytest.raises(MatchError, match="already"):
        matching.request_change(by=active_cook, match=match, kind="pause", reason="Busy")
    assert MatchChangeRequest.objects.count() == 1


def test_a_coordinator_can_add_a_second_cook(active_cook, diner, coordinator_a, second_cook, course):
    matching.approve_match(by=coordinator_a, match=matching.offer_to_cook(cook=active_cook, diner=diner))
    make_active_cook(second_cook, coordinator=coordinator_a, course=course)
    second = matching.add_second_cook(by=coordinator_a, diner=diner, cook=second_cook)
    assert (second.status, second.additional) == ("approved", True)
    assert Match.objects.filter(diner=diner, status__in=Match.LIVE_STATUSES).count() == 2


def test_a_paused_diner_cannot_be_offered_for(active_cook, diner, coordinator_a):
    from meals.diners import services

    services.change_diner_status(by=coordinator_a, diner=diner, action="pause", reason="In hospital")
    assert nearby_diners(active_cook.cook_profile) == []
    with pytest.raises(MatchError, match="not looking"):
        matching.offer_to_cook(cook=active_cook, diner=Diner.objects.get(pk=diner.pk))


def test_a_cook_who_needs_placing_finds_nobody(cook, coordinator_a, course, diner):
    make_active_cook(cook, coordinator=coordinator_a, course=course, postcode="E9 5LN")
    assert cook.cook_profile.needs_placing
    assert nearby_diners(cook.cook_profile) == []


def test_a_withdrawn_offer_frees_the_diner(active_cook, diner):
    match = matching.offer_to_cook(cook=active_cook, diner=diner)
    matching.withdraw_offer(cook=active_cook, match=match)
    assert [d.pk for d in nearby_diners(active_cook.cook_profile)] == [diner.pk]
    with pytest.raises(MatchError):
        matching.withdraw_offer(cook=UserFactory(), match=match)


def test_asking_about_one_diner_follows_the_same_rules(active_cook, diner, referrer, coordinator_a):
    far = far_diner(referrer, coordinator_a)
    assert [d.pk for d in nearby_diners(active_cook.cook_profile, only_pk=diner.pk)] == [diner.pk]
    assert nearby_diners(active_cook.cook_profile, only_pk=far.pk) == []  # beyond the cook's distance
