from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.people.models import Invitation
from accounts.people.services import hash_token
from tests.factories import CoordinatorFactory

pytestmark = pytest.mark.django_db

# The coordinator home page, whatever the number of coordinators, invitations and items in each queue, for
# all the coordinator's areas or one (the area filter is checked against query 5, with no query of its own):
#  1. the session
#  2. the signed-in user
#  3. the authenticator this session was verified with (django-otp)
#  4. the areas the user coordinates (User.coordinated_area_ids)
#  5. those areas, each with the count and the oldest item's date of every queue (subqueries:
#     meals.workspace.queues)
#  6. their coordinators with their users (prefetch + select_related)
#  7. their open invitations (prefetch)
#  8. open door cases (meals.relationships.door)
#  9. the oldest visits not recorded (meals.relationships.visits)
# 10. the soonest meals not confirmed (meals.schedule.selectors.unconfirmed_soon)
# 11. the soonest meals to cover (meals.workspace.queues.uncovered_meals)
# 12. the diners due for the loneliness questions (meals.relationships.loneliness)
# 13. diners asking for a different cook (meals.relationships.feedback)
# 14. diners due to give feedback whom nobody can ask online (meals.relationships.feedback)
# 15. the first diners to place on the map
# 16. the failed emails to the areas' people, with how many there are (a window count)
# 17. the area for the "Need help?" block (context processor)
COORDINATOR_HOME_QUERIES = 17


def add_invitations(area, by, count: int) -> None:
    Invitation.objects.bulk_create(
        Invitation(
            email=f"invitee{n}@example.org",
            full_name=f"Invitee {n}",
            area=area,
            invited_by=by,
            token_hash=hash_token(f"token-{n}"),
            expires_at=timezone.now() + timedelta(days=7),
        )
        for n in range(count)
    )


def test_coordinator_home_lists_coordinators_and_open_invitations(login_as, coordinator_a, area_a):
    CoordinatorFactory(full_name="Olive Other", email="olive@example.org", areas=[area_a])
    add_invitations(area_a, coordinator_a, 2)
    Invitation.objects.filter(email="invitee1@example.org").update(revoked_at=timezone.now())

    html = login_as(coordinator_a).get("/en/coordinator/").content.decode()

    assert "Olive Other" in html and "olive@example.org" in html
    assert "invitee0@example.org" in html
    assert "invitee1@example.org" not in html  # cancelled


def test_coordinator_home_shows_only_their_own_areas(login_as, coordinator_a, coordinator_b):
    html = login_as(coordinator_a).get("/en/coordinator/").content.decode()
    assert "Area A" in html
    assert "Area B" not in html
    assert coordinator_b.email not in html


def test_coordinator_home_query_count_with_one_coordinator(login_as, coordinator_a, django_assert_num_queries):
    client = login_as(coordinator_a)
    with django_assert_num_queries(COORDINATOR_HOME_QUERIES):
        assert client.get("/en/coordinator/").status_code == 200


def test_coordinator_home_query_count_is_the_same_with_twenty_coordinators_and_invitations(
    login_as, coordinator_a, area_a, django_assert_num_queries
):
    for n in range(19):
        CoordinatorFactory(full_name=f"Coordinator {n}", email=f"coordinator{n}@example.org", areas=[area_a])
    add_invitations(area_a, coordinator_a, 20)
    client = login_as(coordinator_a)

    with django_assert_num_queries(COORDINATOR_HOME_QUERIES):
        response = client.get("/en/coordinator/")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("/remove/") == 19  # everyone but yourself
    assert html.count("/cancel/") == 20
