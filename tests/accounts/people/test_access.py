import pytest

from accounts.people.access import areas_for_coordinator, can_manage_area
from accounts.people.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["cook", "referrer", "coordinator_a", "coordinator_b", "admin_user"])
def test_can_manage_area_agrees_with_the_areas_queryset(request, persona, area_a, area_b):
    # The rule is written twice: as Python for services and as SQL for the scoped querysets. They must agree.
    user = request.getfixturevalue(persona)
    user = User.objects.get(pk=user.pk)  # a fresh object, as each request has: the area ids are cached on it
    scoped = set(areas_for_coordinator(user).values_list("pk", flat=True))
    assert {area.pk for area in (area_a, area_b) if can_manage_area(user, area)} == scoped & {area_a.pk, area_b.pk}


def test_a_coordinator_manages_only_their_own_area(coordinator_a, area_a, area_b):
    assert can_manage_area(coordinator_a, area_a)
    assert not can_manage_area(coordinator_a, area_b)
