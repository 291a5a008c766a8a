from datetime import UTC

import pytest
from django.test import RequestFactory

from casserole import audit
from casserole.models import AuditEntry, Channel

pytestmark = pytest.mark.django_db


def test_record_drops_secret_keys_from_the_detail(cook):
    entry = audit.record(
        action=audit.Action.PROFILE_UPDATED,
        actor=cook,
        detail={
            "password": "hunter2hunter2",
            "Password1": "x",
            "otp_token": "123456",
            "token": "abc",
            "secret": "JBSWY3DPEHPK3PXP",
            "key": "k",
            "code": "654321",
            "allergies": "peanuts",
            "reason": "kept",
            "changes": {"is_cook": True, "new_password": "nested secret"},
        },
    )
    entry.refresh_from_db()
    assert entry.detail == {"reason": "kept", "changes": {"is_cook": True}}


def test_record_keeps_who_what_where_and_when(cook, area_a):
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5")
    entry = audit.record(
        action=audit.Action.DINER_RECORD_VIEWED,
        actor=cook,
        obj=area_a,
        area=area_a,
        request=request,
        channel=Channel.PHONE,
    )
    entry.refresh_from_db()
    assert entry.actor == cook
    assert entry.actor_label == cook.email
    assert (entry.object_type, entry.object_id, entry.object_label) == ("accounts.area", str(area_a.pk), "Area A")
    assert entry.area == area_a
    assert entry.ip == "203.0.113.5"
    assert entry.channel == "phone"
    assert entry.created_at.utcoffset() == UTC.utcoffset(None)


def test_record_by_an_anonymous_visitor_keeps_the_label_only(area_a):
    from django.contrib.auth.models import AnonymousUser

    entry = audit.record(action=audit.Action.SIGN_IN_FAILED, actor=AnonymousUser(), actor_label="someone@example.org")
    assert entry.actor is None
    assert entry.actor_label == "someone@example.org"


def test_entries_for_object_answers_who_did_what_to_it(cook, second_cook, coordinator_a, area_a):
    first = audit.record(action=audit.Action.PROFILE_UPDATED, actor=coordinator_a, obj=cook, area=area_a)
    audit.record(action=audit.Action.PROFILE_UPDATED, actor=coordinator_a, obj=second_cook, area=area_a)
    audit.record(action=audit.Action.PROFILE_UPDATED, actor=coordinator_a, obj=area_a, area=area_a)
    second = audit.record(action=audit.Action.ROLE_CHANGED, actor=coordinator_a, obj=cook, area=area_a)

    entries = list(audit.entries_for_object(cook))

    assert entries == [second, first]
    assert [(e.actor.full_name, e.action) for e in entries] == [
        ("Ada Coordinator", "role_changed"),
        ("Ada Coordinator", "profile_updated"),
    ]


def test_entries_for_object_fetches_the_actor_in_the_same_query(cook, coordinator_a, django_assert_num_queries):
    audit.record(action=audit.Action.PROFILE_UPDATED, actor=coordinator_a, obj=cook)
    audit.record(action=audit.Action.PROFILE_UPDATED, actor=coordinator_a, obj=cook)
    with django_assert_num_queries(1):  # the entries joined to their actors
        assert [e.actor.email for e in audit.entries_for_object(cook)] == [coordinator_a.email] * 2


def test_access_denial_is_audited(login_as, cook):
    response = login_as(cook).get("/en/coordinator/", REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 403
    entry = AuditEntry.objects.get(action="access_denied")
    assert entry.actor == cook
    assert entry.ip == "203.0.113.7"
    assert entry.detail == {"path": "/en/coordinator/"}


def test_access_denial_of_a_coordinator_without_areas_is_audited(login_as, coordinator_a):
    coordinator_a.coordinator_memberships.all().delete()
    response = login_as(coordinator_a).get("/en/coordinator/coordinators/invite/")
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action="access_denied", actor=coordinator_a).exists()
