"""How often and how far an active cook's point may move without a coordinator (issue 11, item 2): a
small step at most once a week takes effect at once; anything further, or sooner, waits for a
coordinator of the area to confirm, and the nearby search goes on measuring from where the cook was."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.onboarding import services as cook_services
from accounts.onboarding.models import CookMove, CookProfile
from accounts.review import services as review_services
from casserole import audit
from casserole.models import AuditEntry, OutboundEmail, PostcodeCentroid
from meals.diners.models import Diner
from meals.matching.nearby import nearby_diners
from tests.factories import E8_CENTRE, DinerFactory
from tests.onboarding import PROFILE

pytestmark = pytest.mark.django_db

E8_CENTRE_POINT = (51.543, -0.058)
# Hackney Wick, in area A too (cover_e8 gives it E8 and E9): about 1.6 km east of E8's centre.
E9 = {"address_line1": "5 Wallis Road", "postcode": "E9 5LN"}
# Another street in E8: the offline table places it at E8's centre, so it moves the cook 0 km.
E8_NEXT_STREET = {"address_line1": "40 Mare Street", "postcode": "E8 3RH"}


@pytest.fixture
def e9(covered_area_a):
    PostcodeCentroid.objects.get_or_create(
        country="GB",
        prefix="E9",
        defaults={"latitude": "51.545000", "longitude": "-0.035000", "place_name": "Hackney Wick"},
    )


def save(cook, **changes):
    return cook_services.save_cook_profile(cook=cook, **{**PROFILE, "full_name": cook.full_name, **changes})


def point(cook) -> tuple[float, float]:
    profile = CookProfile.objects.get(user=cook)
    return profile.latitude, profile.longitude


def actions(cook) -> list[str]:
    profile = CookProfile.objects.get(user=cook)
    return list(
        AuditEntry.objects.filter(object_type="accounts.cookprofile", object_id=str(profile.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_a_small_step_takes_effect_at_once_and_is_audited(active_cook, e9):
    save(active_cook, **E8_NEXT_STREET)

    profile = CookProfile.objects.get(user=active_cook)
    assert profile.postcode == "E8 3RH" and profile.address_line1 == "40 Mare Street"
    assert profile.located_at is not None and not profile.moves.exists()
    assert actions(active_cook)[-1] == audit.Action.COOK_MOVED_NEARBY


def test_a_move_further_than_a_small_step_waits_for_a_coordinator(active_cook, coordinator_a, e9):
    before = point(active_cook)
    OutboundEmail.objects.all().delete()

    profile = save(active_cook, **E9, cooking_likes="Curries")

    profile.refresh_from_db()
    # The rest of the profile is saved; the address and the point are not, yet.
    assert profile.cooking_likes == "Curries"
    assert profile.postcode == "E8 1DY" and point(active_cook) == before
    move = CookMove.objects.get(profile=profile)
    assert move.outcome == CookMove.Outcome.WAITING and move.postcode == "E9 5LN"
    assert move.distance_km == pytest.approx(1.6, abs=0.1)
    assert actions(active_cook)[-1] == audit.Action.COOK_MOVE_REQUESTED
    emails = list(OutboundEmail.objects.filter(to=coordinator_a.email))
    assert len(emails) == 1 and "new address to confirm" in emails[0].subject
    # Nothing of where the cook lives goes into the audit trail or the coordinators' email.
    assert "E9" not in emails[0].body and "Wallis" not in emails[0].body


def test_a_second_small_step_within_a_week_also_waits(active_cook, e9):
    save(active_cook, **E8_NEXT_STREET)
    save(active_cook, address_line1="41 Mare Street", postcode="E8 3RH")

    profile = CookProfile.objects.get(user=active_cook)
    assert profile.address_line1 == "40 Mare Street"
    assert profile.moves.get().address_line1 == "41 Mare Street"


def test_a_small_step_a_week_after_the_last_takes_effect(active_cook, e9):
    save(active_cook, **E8_NEXT_STREET)
    CookProfile.objects.filter(user=active_cook).update(located_at=timezone.now() - timedelta(days=7, minutes=1))

    save(active_cook, address_line1="41 Mare Street", postcode="E8 3RH")

    assert CookProfile.objects.get(user=active_cook).address_line1 == "41 Mare Street"


def test_saving_the_waiting_address_again_keeps_it_waiting_without_telling_anyone_twice(active_cook, coordinator_a, e9):
    save(active_cook, **E9)
    first = CookMove.objects.get()
    emails = OutboundEmail.objects.count()

    save(active_cook, **E9, note_for_diners="Back on Tuesdays")

    assert CookMove.objects.get().pk == first.pk
    assert OutboundEmail.objects.count() == emails
    assert CookProfile.objects.get(user=active_cook).note_for_diners == "Back on Tuesdays"


def test_saving_the_old_address_withdraws_the_waiting_move(active_cook, e9):
    save(active_cook, **E9)
    save(active_cook)
    assert not CookMove.objects.exists()
    assert CookProfile.objects.get(user=active_cook).postcode == "E8 1DY"


def test_the_nearby_search_measures_from_the_old_point_until_a_coordinator_confirms(
    active_cook, coordinator_a, covered_area_a, e9
):
    # A diner in Hackney Wick: out of the cook's 1.5-mile reach from E8 only if they travel less.
    profile = CookProfile.objects.get(user=active_cook)
    profile.travel_distance = 1
    profile.save(update_fields=["travel_distance"])
    wick = DinerFactory(
        area=covered_area_a, status=Diner.Status.ACTIVE, **{**E8_CENTRE, "latitude": 51.545, "longitude": -0.020}
    )
    assert wick.pk not in {d.pk for d in nearby_diners(CookProfile.objects.get(user=active_cook))}

    save(active_cook, **E9, travel_distance=1)
    assert wick.pk not in {d.pk for d in nearby_diners(CookProfile.objects.get(user=active_cook))}

    review_services.decide_cook_move(by=coordinator_a, move=CookMove.objects.get(), confirm=True)

    profile = CookProfile.objects.get(user=active_cook)
    assert profile.postcode == "E9 5LN" and profile.address_line1 == "5 Wallis Road"
    assert (profile.latitude, profile.longitude) == (51.545, -0.035)
    assert wick.pk in {d.pk for d in nearby_diners(profile)}
    assert actions(active_cook)[-1] == audit.Action.COOK_MOVE_CONFIRMED
    assert OutboundEmail.objects.filter(
        to=active_cook.email, subject__contains="your new address is confirmed"
    ).exists()


def test_a_coordinator_can_keep_the_cook_where_they_were(active_cook, coordinator_a, e9):
    save(active_cook, **E9)
    move = review_services.decide_cook_move(by=coordinator_a, move=CookMove.objects.get(), confirm=False)

    assert move.outcome == CookMove.Outcome.DECLINED and move.decided_by == coordinator_a
    assert CookProfile.objects.get(user=active_cook).postcode == "E8 1DY"
    assert actions(active_cook)[-1] == audit.Action.COOK_MOVE_DECLINED
    with pytest.raises(cook_services.OnboardingError, match="already been decided"):
        review_services.decide_cook_move(by=coordinator_a, move=move, confirm=True)


def test_only_a_coordinator_of_the_cooks_area_decides(active_cook, coordinator_b, e9):
    save(active_cook, **E9)
    with pytest.raises(cook_services.OnboardingError, match="your own areas"):
        review_services.decide_cook_move(by=coordinator_b, move=CookMove.objects.get(), confirm=True)
    assert CookMove.objects.get().outcome == CookMove.Outcome.WAITING


def test_a_cook_not_yet_active_moves_freely(cook, covered_area_a, e9):
    save(cook)
    save(cook, **E9)
    profile = CookProfile.objects.get(user=cook)
    assert profile.status == CookProfile.Status.PENDING and profile.postcode == "E9 5LN"
    assert not CookMove.objects.exists()


def test_the_cooks_profile_page_shows_the_waiting_address_and_the_coordinator_decides_on_the_cooks_page(
    login_as, active_cook, coordinator_a, e9
):
    cook_client = login_as(active_cook)
    data = {**PROFILE, **E9, "travel_distance": "1.5"}
    response = cook_client.post("/en/account/cook/profile/", data, follow=True)
    assert "a coordinator will confirm it" in response.content.decode()

    html = cook_client.get("/en/account/cook/profile/").content.decode()
    assert 'id="waiting-move"' in html and "postcode E8 1DY" in html and 'value="5 Wallis Road"' in html

    coordinator = login_as(coordinator_a)
    page = coordinator.get(f"/en/coordinator/cooks/{active_cook.pk}/").content.decode()
    assert "New address waiting for you to confirm" in page and "5 Wallis Road" in page and "1 mile" in page
    move = CookMove.objects.get()
    response = coordinator.post(
        f"/en/coordinator/cooks/{active_cook.pk}/moves/{move.pk}/", {"decision": "confirm"}, follow=True
    )
    assert "new address is confirmed" in response.content.decode()
    assert CookProfile.objects.get(user=active_cook).postcode == "E9 5LN"
    # Decided: the same form again is a 404, not a second decision.
    again = coordinator.post(f"/en/coordinator/cooks/{active_cook.pk}/moves/{move.pk}/", {"decision": "decline"})
    assert again.status_code == 404


def test_the_cooks_profile_page_works_in_japanese_with_a_waiting_move(login_as, active_cook, e9):
    save(active_cook, **E9)
    html = login_as(active_cook).get("/ja/account/cook/profile/").content.decode()
    assert 'id="waiting-move"' in html and "コーディネーター" in html
