"""The directory's and onward referrals' services: who may write what, and the rules they keep."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casserole.models import AuditEntry
from meals.signposting import services
from meals.signposting.models import OnwardReferral, SupportService, stale_cutoff
from meals.signposting.services import ReferralChoice, SignpostingError
from tests.meals.signposting.conftest import BEFRIENDING, BENEFITS, LUNCH_CLUB, add

pytestmark = pytest.mark.django_db

TOLD = ReferralChoice(kind="told", consent=False, channel="phone")
REFERRED = ReferralChoice(kind="referred", consent=True, channel="phone")


def test_a_coordinator_adds_a_service_to_their_area_placed_from_its_postcode(coordinator_a, covered_area_a):
    service = add(coordinator_a, covered_area_a)
    assert service.area == covered_area_a and service.country == "GB"
    assert service.category_list == ["company", "meals"]
    assert (service.latitude, service.longitude) == (51.543, -0.058)  # the offline table's E8
    assert service.checked_on == timezone.localdate()
    assert AuditEntry.objects.filter(action="support_service_added", object_id=str(service.pk)).exists()


def test_the_search_text_holds_both_languages_folded(coordinator_a, covered_area_a):
    service = add(coordinator_a, covered_area_a, name="ＬＵＮＣＨ Club")
    assert "lunch club" in service.search_text
    assert "ランチクラブ" in service.search_text


def test_a_coordinator_cannot_add_to_another_area(coordinator_b, covered_area_a):
    with pytest.raises(SignpostingError):
        add(coordinator_b, covered_area_a)
    assert not SupportService.objects.exists()


def test_only_an_admin_adds_a_national_service(coordinator_a, admin_user, covered_area_a):
    with pytest.raises(SignpostingError):
        services.add_service(by=coordinator_a, area=None, country="GB", values=LUNCH_CLUB)
    service = services.add_service(by=admin_user, area=None, country="JP", values=LUNCH_CLUB)
    assert service.is_national and service.country == "JP" and service.latitude is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "", "name_ja": ""}, "name"),
        ({"categories": []}, "offers"),
        ({"suits": ["nobody"]}, "suits"),
        ({"phone": "", "website": "", "address": ""}, "how to reach"),
    ],
)
def test_an_entry_needs_a_name_what_it_offers_who_it_suits_and_a_way_to_reach_it(
    coordinator_a, covered_area_a, changes, message
):
    with pytest.raises(SignpostingError, match=message):
        add(coordinator_a, covered_area_a, **changes)


def test_saving_as_checked_makes_a_stale_entry_fresh(coordinator_a, lunch_club):
    SupportService.objects.filter(pk=lunch_club.pk).update(checked_on=stale_cutoff())
    lunch_club.refresh_from_db()
    assert lunch_club.is_stale()
    services.update_service(by=coordinator_a, service=lunch_club, values=LUNCH_CLUB, checked=False)
    lunch_club.refresh_from_db()
    assert lunch_club.is_stale()
    services.update_service(by=coordinator_a, service=lunch_club, values=LUNCH_CLUB, checked=True)
    lunch_club.refresh_from_db()
    assert not lunch_club.is_stale() and lunch_club.checked_on == timezone.localdate()


def test_another_areas_coordinator_cannot_change_an_entry(coordinator_b, lunch_club):
    with pytest.raises(SignpostingError):
        services.update_service(by=coordinator_b, service=lunch_club, values={**LUNCH_CLUB, "name": "X"}, checked=True)
    lunch_club.refresh_from_db()
    assert lunch_club.name == LUNCH_CLUB["name"]


def test_a_referral_is_recorded_against_the_current_match_and_audited(coordinator_a, diner, lunch_club):
    referral = services.record_onward_referral(by=coordinator_a, diner=diner, service=lunch_club, choice=TOLD)
    assert referral.outcome == OnwardReferral.Outcome.WAITING and referral.match is None  # no cook yet
    entry = AuditEntry.objects.get(action="onward_referral_recorded")
    assert entry.detail["service"] == lunch_club.pk and "note" not in entry.detail


def test_referring_to_a_service_that_needs_consent_needs_the_diners_agreement(coordinator_a, diner, covered_area_a):
    befriending = add(coordinator_a, covered_area_a, BEFRIENDING)
    with pytest.raises(SignpostingError, match="agreement"):
        services.record_onward_referral(
            by=coordinator_a,
            diner=diner,
            service=befriending,
            choice=ReferralChoice(kind="referred", consent=False, channel="phone"),
        )
    # Telling them about it needs no agreement; referring with it is fine.
    services.record_onward_referral(by=coordinator_a, diner=diner, service=befriending, choice=TOLD)
    assert OnwardReferral.objects.count() == 1


def test_the_same_service_is_recorded_once_while_waiting(coordinator_a, diner, lunch_club):
    services.record_onward_referral(by=coordinator_a, diner=diner, service=lunch_club, choice=TOLD)
    with pytest.raises(SignpostingError, match="already recorded"):
        services.record_onward_referral(by=coordinator_a, diner=diner, service=lunch_club, choice=REFERRED)
    assert OnwardReferral.objects.count() == 1


def test_another_areas_service_cannot_be_recorded_for_a_diner(coordinator_a, coordinator_b, diner, area_b):
    theirs = add(coordinator_b, area_b, phone="", website="https://example.jp/")
    with pytest.raises(SignpostingError):
        services.record_onward_referral(by=coordinator_a, diner=diner, service=theirs, choice=TOLD)


def test_a_national_service_of_the_diners_country_can_be_recorded(coordinator_a, diner, helpline):
    referral = services.record_onward_referral(by=coordinator_a, diner=diner, service=helpline, choice=TOLD)
    assert referral.service == helpline


def test_another_areas_coordinator_cannot_record_for_the_diner(coordinator_b, diner, lunch_club):
    with pytest.raises(SignpostingError):
        services.record_onward_referral(by=coordinator_b, diner=diner, service=lunch_club, choice=TOLD)


def test_the_card_lists_at_most_three_services(coordinator_a, diner, covered_area_a):
    entries = [add(coordinator_a, covered_area_a, name=f"Club {n}") for n in range(4)]
    on_card = ReferralChoice(kind="told", consent=False, channel="phone", on_card=True)
    for entry in entries[:3]:
        services.record_onward_referral(by=coordinator_a, diner=diner, service=entry, choice=on_card)
    with pytest.raises(SignpostingError, match="3 services"):
        services.record_onward_referral(by=coordinator_a, diner=diner, service=entries[3], choice=on_card)
    fourth = services.record_onward_referral(by=coordinator_a, diner=diner, service=entries[3], choice=TOLD)
    with pytest.raises(SignpostingError, match="3 services"):
        services.record_referral_outcome(by=coordinator_a, referral=fourth, outcome="waiting", on_card=True)


def test_the_outcome_is_recorded_with_who_and_when(coordinator_a, diner, lunch_club):
    referral = services.record_onward_referral(by=coordinator_a, diner=diner, service=lunch_club, choice=TOLD)
    services.record_referral_outcome(by=coordinator_a, referral=referral, outcome="took_place", on_card=True)
    referral.refresh_from_db()
    assert referral.outcome == "took_place" and referral.outcome_by == coordinator_a and referral.on_card
    assert timezone.now() - referral.outcome_at < timedelta(minutes=1)
    # Once it took place, the same service may be recorded again.
    services.record_onward_referral(by=coordinator_a, diner=diner, service=lunch_club, choice=TOLD)
    assert OnwardReferral.objects.filter(diner=diner).count() == 2


def test_a_closed_service_cannot_be_recorded(coordinator_a, diner, covered_area_a):
    benefits = add(coordinator_a, covered_area_a, BENEFITS)
    services.update_service(by=coordinator_a, service=benefits, values=BENEFITS, checked=True, running=False)
    with pytest.raises(SignpostingError):
        services.record_onward_referral(by=coordinator_a, diner=diner, service=benefits, choice=TOLD)
