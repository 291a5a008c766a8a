"""Diner services: requests (once, with consent, inside an area), triage, proxy access, the record."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from casserole.models import AuditEntry, OutboundEmail
from meals.diners import services as diners_services
from meals.diners.access import get_diner_for_coordinator, get_proxy_for_referrer
from meals.diners.models import Diner, ProxyAccess
from meals.diners.services import ReferralError
from meals.referrals import services
from meals.referrals.models import Referral, ReferralDraft
from meals.referrals.services import NotInAreaError
from tests.meals.conftest import ANSWERS, submit

pytestmark = pytest.mark.django_db


def test_a_request_creates_a_placed_diner_in_the_area_and_tells_everyone(referrer, covered_area_a, coordinator_a):
    referral = submit(by=referrer)
    diner = referral.diner
    assert (referral.status, referral.referrer, referral.channel) == ("submitted", referrer, "web")
    assert (diner.area, diner.status, diner.preferred_name) == (covered_area_a, "referred", "Edie")
    assert not diner.needs_placing and diner.neighbourhood == "Hackney"
    assert diner.allergens == ["peanuts", "sesame"]
    assert str(diner.consent_given_on) == "2026-11-20"
    assert OutboundEmail.objects.filter(to=coordinator_a.email, subject__contains="new request").exists()
    assert OutboundEmail.objects.filter(to=referrer.email, subject__contains="we have your request").exists()
    assert not ReferralDraft.objects.exists()


def test_the_same_draft_submitted_twice_makes_one_request(referrer, covered_area_a):
    draft = services.start_draft(owner=referrer, data=dict(ANSWERS))
    first = services.submit_referral(draft=draft, by=referrer)
    again = services.submit_referral(draft=draft, by=referrer)
    assert first == again
    assert Referral.objects.count() == Diner.objects.count() == 1


def test_without_consent_there_is_no_request(referrer, covered_area_a):
    for missing in ({"consent_given": False}, {"consent_method": ""}, {"consent_given_on": ""}):
        with pytest.raises(ReferralError, match="agree"):
            submit(by=referrer, **missing)
    assert not Diner.objects.exists()


def test_a_postcode_outside_every_area_is_not_in_area(referrer, covered_area_a):
    with pytest.raises(NotInAreaError):
        submit(by=referrer, postcode="M1 1AE")
    assert not Diner.objects.exists()


def test_a_diner_the_geocoder_cannot_place_still_gets_a_request(referrer, covered_area_a):
    referral = submit(by=referrer, postcode="E9 5LN")  # area A covers E9; the table does not know it
    assert referral.diner.needs_placing


def test_a_phone_referral_records_the_channel_and_no_referrer(coordinator_a, covered_area_a):
    referral = submit(by=coordinator_a, channel="phone", relationship="coordinator", referrer_name="Mrs Patel")
    assert (referral.referrer, referral.channel, referral.created_by) == (None, "phone", coordinator_a)
    assert AuditEntry.objects.get(action="referral_submitted").channel == "phone"


def test_accepting_makes_the_diner_active_and_gives_the_referrer_their_scope(referral, coordinator_a, referrer):
    services.accept_referral(by=coordinator_a, referral=referral, scopes={"can_view_schedule": True})
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.diner.status == "active"
    access = ProxyAccess.objects.get(referrer=referrer)
    assert (access.can_view_schedule, access.can_edit_details) == (True, False)
    assert get_proxy_for_referrer(referrer, referral.diner_id, "can_view_schedule") == access
    with pytest.raises(PermissionDenied):
        get_proxy_for_referrer(referrer, referral.diner_id, "can_edit_details")
    assert OutboundEmail.objects.filter(to=referrer.email, subject__contains="accepted").exists()


def test_a_request_is_decided_once_and_only_by_its_areas_coordinator(referral, coordinator_a, coordinator_b):
    with pytest.raises(ReferralError):
        services.accept_referral(by=coordinator_b, referral=referral, scopes={})
    services.decline_referral(by=coordinator_a, referral=referral, reason="We cannot reach this street yet.")
    with pytest.raises(ReferralError, match="already"):
        services.accept_referral(by=coordinator_a, referral=referral, scopes={})
    referral.diner.refresh_from_db()
    assert referral.diner.status == "closed"


def test_more_information_goes_back_to_the_referrer_who_answers_by_editing(referral, coordinator_a, referrer):
    with pytest.raises(ReferralError):
        services.ask_for_more_information(by=coordinator_a, referral=referral, message=" ")
    services.ask_for_more_information(by=coordinator_a, referral=referral, message="Which door should the cook use?")
    draft = services.draft_for_more_information(referral=Referral.objects.get(pk=referral.pk), by=referrer)
    assert draft.data["access_notes"] == ANSWERS["access_notes"]
    services.save_draft_answers(draft=draft, answers={"access_notes": "Side door, by the garage."})
    again = services.submit_referral(draft=draft, by=referrer)
    assert again.pk == referral.pk and again.status == "submitted"
    assert Diner.objects.get().access_notes == "Side door, by the garage."
    assert AuditEntry.objects.filter(action="referral_updated").count() == 1


def test_only_the_referrer_may_answer_their_request(referral, coordinator_a, second_cook):
    services.ask_for_more_information(by=coordinator_a, referral=referral, message="Which door?")
    with pytest.raises(ReferralError):
        services.draft_for_more_information(referral=referral, by=second_cook)


def test_revoking_works_on_the_next_request(accepted, coordinator_a, referrer):
    access = ProxyAccess.objects.get(referrer=referrer)
    diners_services.revoke_proxy(by=coordinator_a, access=access)
    with pytest.raises(Http404):
        get_proxy_for_referrer(referrer, accepted.diner_id)


def test_updating_a_diner_audits_field_names_not_values(accepted, coordinator_a):
    diner = diners_services.update_diner(
        by=coordinator_a, diner=accepted.diner, values={"allergy_notes": "Strawberries"}, channel="phone"
    )
    assert diner.allergy_notes == "Strawberries"
    entry = AuditEntry.objects.get(action="diner_updated")
    assert entry.channel == "phone" and entry.detail == {"fields": ["allergy_notes"]}


def test_a_new_address_outside_the_area_is_refused(accepted, coordinator_a):
    with pytest.raises(ReferralError, match="outside"):
        diners_services.update_diner(by=coordinator_a, diner=accepted.diner, values={"postcode": "M1 1AE"})


def test_status_changes_need_a_reason_and_closing_keeps_the_record(accepted, coordinator_a):
    diner = accepted.diner
    with pytest.raises(ReferralError):
        diners_services.change_diner_status(by=coordinator_a, diner=diner, action="pause", reason="")
    diners_services.change_diner_status(by=coordinator_a, diner=diner, action="pause", reason="In hospital")
    with pytest.raises(ReferralError):
        diners_services.change_diner_status(by=coordinator_a, diner=diner, action="pause", reason="Again")
    diners_services.change_diner_status(by=coordinator_a, diner=diner, action="resume", reason="Home again")
    diners_services.change_diner_status(by=coordinator_a, diner=diner, action="close", reason="Moved to a care home")
    assert get_diner_for_coordinator(coordinator_a, diner.pk).status == "closed"
    assert list(
        AuditEntry.objects.filter(action__startswith="diner_").order_by("pk").values_list("action", flat=True)
    ) == [
        "diner_paused",
        "diner_resumed",
        "diner_closed",
    ]


def test_consent_recorded_by_phone(accepted, coordinator_a):
    diner = diners_services.record_consent(
        by=coordinator_a, diner=accepted.diner, values={"consent_method": "phone", "share_with_cook": ["address"]}
    )
    assert (diner.consent_method, diner.consent_recorded_by) == ("phone", coordinator_a)
    assert AuditEntry.objects.get(action="diner_consent_recorded").channel == "phone"


def test_another_areas_diner_is_not_found(accepted, coordinator_b):
    with pytest.raises(Http404):
        get_diner_for_coordinator(coordinator_b, accepted.diner_id)
