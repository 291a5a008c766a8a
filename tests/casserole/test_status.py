import pytest
from django.utils import translation

from accounts.onboarding.models import CookProfile
from casserole import audit, status
from casserole.errors import DomainError
from casserole.models import AuditEntry
from tests.factories import CookProfileFactory

pytestmark = pytest.mark.django_db


class Refused(DomainError):
    pass


TABLE = status.TransitionTable(
    hold=status.Transition(
        sources=(CookProfile.Status.PENDING, CookProfile.Status.ACTIVE),
        target=CookProfile.Status.SUSPENDED,
        audit_action=audit.Action.COOK_SUSPENDED,
        refused="Cannot hold a cook who is %(status)s.",
        reason_missing="Say why",
        reason_max_length=20,
    ),
    release=status.Transition(
        sources=(CookProfile.Status.SUSPENDED,),
        target=CookProfile.Status.ACTIVE,
        audit_action=audit.Action.COOK_REACTIVATED,
        refused="Only a held cook can be released.",
        reason_required=False,
    ),
)


@pytest.fixture
def profile(cook):
    return CookProfileFactory(user=cook)


def test_pages_offer_only_the_changes_the_table_allows_from_the_current_status():
    assert TABLE.allowed_from(CookProfile.Status.PENDING) == ["hold"]
    assert TABLE.allowed_from(CookProfile.Status.SUSPENDED) == ["release"]


def test_a_change_saves_the_status_and_the_reason_and_writes_the_transitions_audit_entry(profile, coordinator_a):
    status.change_status(
        profile,
        transition=TABLE["hold"],
        by=coordinator_a,
        reason="  Away  ",
        error=Refused,
        area=profile.user.home_area,
    )

    profile.refresh_from_db()
    assert (profile.status, profile.status_reason) == (CookProfile.Status.SUSPENDED, "Away")
    entry = AuditEntry.objects.get(object_id=str(profile.pk))
    assert (entry.action, entry.actor, entry.detail) == ("cook_suspended", coordinator_a, {"reason": "Away"})


def test_a_refused_change_raises_the_capabilitys_error_naming_the_current_status_and_saves_nothing(
    profile, coordinator_a
):
    profile.status = CookProfile.Status.SUSPENDED
    profile.save(update_fields=["status"])

    with translation.override("en"), pytest.raises(Refused, match="Cannot hold a cook who is suspended"):
        status.change_status(profile, transition=TABLE["hold"], by=coordinator_a, reason="Away", error=Refused)

    profile.refresh_from_db()
    assert profile.status_reason == ""
    assert not AuditEntry.objects.filter(object_id=str(profile.pk)).exists()


def test_a_blank_reason_is_refused_only_when_the_transition_needs_one(profile, coordinator_a):
    with pytest.raises(Refused, match="Say why"):
        status.change_status(profile, transition=TABLE["hold"], by=coordinator_a, reason=" ", error=Refused)
    profile.status = CookProfile.Status.SUSPENDED
    status.change_status(profile, transition=TABLE["release"], by=coordinator_a, reason=None, error=Refused)
    profile.refresh_from_db()
    assert profile.status == CookProfile.Status.ACTIVE


def test_the_form_asks_what_the_transition_needs():
    form = status.StatusReasonForm({"reason": ""}, transition=TABLE["hold"], label="Why?")
    assert form.errors == {"reason": ["Say why"]}
    assert "channel" not in form.fields

    form = status.StatusReasonForm({"reason": "x" * 21}, transition=TABLE["hold"], label="Why?")
    with translation.override("en"):
        assert form.errors == {"reason": ["The reason must be 20 characters or fewer"]}

    form = status.StatusReasonForm({"reason": ""}, transition=TABLE["release"], label="Why?", ask_channel=True)
    assert not form.is_valid() and list(form.errors) == ["channel"]
    assert list(form.fields) == ["reason", "channel"]
