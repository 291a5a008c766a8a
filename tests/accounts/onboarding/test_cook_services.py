"""Cook onboarding services: profile and location, identity decisions, verify-not-retain, and the
activation gate (each missing condition blocks activation on its own)."""

from datetime import timedelta

import pytest
import requests
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from accounts.onboarding import eligibility as onboarding_eligibility
from accounts.onboarding import identity_images
from accounts.onboarding import services as onboarding_services
from accounts.onboarding.eligibility import Blocker
from accounts.onboarding.models import CookProfile, IdentityCheck
from accounts.onboarding.services import OnboardingError
from accounts.review import services as cook_services
from accounts.review.services import ActivationRefused
from casserole.models import AuditEntry, OutboundEmail, PostcodeCentroid
from tests.factories import CoordinatorFactory, UserFactory, add_totp
from tests.onboarding import approve_identity, cover_e8, jpeg_upload, make_profile, photo_check
from tests.training.conftest import certify
from training.selectors import has_valid_certificate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _area_a_covers_e8(area_a):
    cover_e8(area_a)
    # M1 is a real district no club covers: the offline table knows it, so it is not "unrecognised".
    PostcodeCentroid.objects.create(
        country="GB", prefix="M1", latitude="53.479000", longitude="-2.236000", place_name="Manchester"
    )


@pytest.fixture
def ready_cook(cook, coordinator_a, course):
    """A cook who meets every condition of the gate; only the coordinator's approval is missing."""
    make_profile(cook)
    approve_identity(cook, by=coordinator_a)
    certify(cook, course)
    return cook


def stored_files(private_dir) -> list[str]:
    return sorted(p.name for p in private_dir.glob("*")) if private_dir.exists() else []


# Profile and location


def test_a_profile_places_the_cook_and_finds_their_area(cook, area_a):
    cook.home_area = None
    cook.save()
    profile = make_profile(cook)
    cook.refresh_from_db()
    assert cook.home_area == area_a
    assert (round(profile.latitude, 3), round(profile.longitude, 3)) == (51.543, -0.058)
    assert profile.neighbourhood == "Hackney"
    assert profile.location_source == "offline"
    assert not profile.needs_placing
    assert profile.travel_unit == "mi"  # a UK cook gives miles
    assert cook.phone == "+442071234567"


def test_when_the_geocoder_cannot_place_the_cook_the_profile_still_saves_and_needs_placing(cook, area_a):
    profile = make_profile(cook, postcode="E9 5LN")  # area A covers E9, but the table does not know it
    assert profile.pk is not None
    assert profile.needs_placing
    cook.refresh_from_db()
    assert cook.home_area == area_a


def test_an_online_geocoder_that_is_down_leaves_the_cook_needing_placing(cook, settings, monkeypatch):
    settings.GEOCODER = "uk_postcodes"

    def down(*args, **kwargs):
        raise requests.ConnectionError("service down")

    monkeypatch.setattr(requests, "get", down)
    profile = make_profile(cook)
    assert profile.needs_placing


def test_a_postcode_outside_every_area_saves_with_no_area(cook):
    profile = make_profile(cook, postcode="M1 1AE")
    cook.refresh_from_db()
    assert cook.home_area is None
    assert not profile.needs_placing  # the offline table places M1
    assert onboarding_eligibility.activation_blockers(cook) == [Blocker.AREA, Blocker.IDENTITY, Blocker.CERTIFICATE]


def test_moving_house_clears_an_old_pin_rather_than_keep_a_wrong_one(cook, coordinator_a):
    profile = make_profile(cook, postcode="E9 5LN")
    cook_services.place_cook(
        by=coordinator_a, profile=profile, latitude="51.54", longitude="-0.04", neighbourhood="Homerton"
    )
    profile = make_profile(cook, postcode="E9 6AA", address_line1="2 New Road")
    assert profile.needs_placing
    assert profile.neighbourhood == ""


def test_saving_again_without_moving_keeps_a_coordinators_pin(cook, coordinator_a):
    profile = make_profile(cook, postcode="E9 5LN")
    cook_services.place_cook(
        by=coordinator_a, profile=profile, latitude="51.54", longitude="-0.04", neighbourhood="Homerton"
    )
    profile = make_profile(cook, postcode="E9 5LN", cooking_likes="Curries")
    assert (profile.latitude, profile.longitude, profile.location_source) == (51.54, -0.04, "manual")


def test_only_a_coordinator_of_the_cooks_area_can_place_them(cook, coordinator_b):
    profile = make_profile(cook, postcode="E9 5LN")
    with pytest.raises(OnboardingError):
        cook_services.place_cook(by=coordinator_b, profile=profile, latitude="51.5", longitude="0", neighbourhood="X")
    with pytest.raises(OnboardingError):
        cook_services.place_cook(by=cook, profile=profile, latitude="51.5", longitude="0", neighbourhood="X")


def test_a_pin_off_the_earth_is_refused(cook, coordinator_a):
    profile = make_profile(cook)
    with pytest.raises(OnboardingError, match="latitude"):
        cook_services.place_cook(by=coordinator_a, profile=profile, latitude="91", longitude="0", neighbourhood="X")


def test_the_audit_entry_for_a_profile_holds_no_address(cook):
    make_profile(cook)
    entry = AuditEntry.objects.get(action="cook_profile_created")
    assert "Mare" not in str(entry.detail) and "E8" not in str(entry.detail)


# Identity: photo route, decisions, verify-not-retain


def test_a_photo_needs_a_profile_first(cook):
    with pytest.raises(OnboardingError, match="profile"):
        photo_check(cook)


def test_a_photo_check_waits_for_a_coordinator_and_tells_them(cook, coordinator_a, private_dir):
    make_profile(cook)
    check = photo_check(cook)
    assert check.status == IdentityCheck.Status.PENDING
    assert stored_files(private_dir) == [check.image_name]
    assert OutboundEmail.objects.filter(to=coordinator_a.email, subject__contains="identity check").count() == 1


def test_a_second_photo_while_one_is_waiting_is_refused(cook, private_dir):
    make_profile(cook)
    first = photo_check(cook)
    with pytest.raises(OnboardingError, match="in progress"):
        photo_check(cook)
    assert stored_files(private_dir) == [first.image_name]


def test_a_bad_file_is_refused_with_its_message_and_nothing_is_kept(cook, private_dir):
    make_profile(cook)
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(OnboardingError) as refused:
        onboarding_services.submit_identity_photo(
            cook=cook, document_type="passport", upload=SimpleUploadedFile("x.jpg", b"%PDF-1.7 not a photo")
        )
    assert str(refused.value)
    assert IdentityCheck.objects.count() == 0
    assert stored_files(private_dir) == []


def test_approving_deletes_the_photo_and_keeps_only_the_outcome(
    cook, coordinator_a, private_dir, django_capture_on_commit_callbacks
):
    make_profile(cook)
    check = photo_check(cook)
    with django_capture_on_commit_callbacks(execute=True):
        check = cook_services.decide_identity_check(by=coordinator_a, check=check, approve=True)
    check.refresh_from_db()
    assert stored_files(private_dir) == []
    assert check.image_name == "" and check.image_deleted_at is not None
    assert (check.method, check.document_type, check.status) == ("photo", "passport", "approved")
    assert check.decided_by == coordinator_a and check.decided_at is not None
    assert onboarding_eligibility.identity_approved(cook)
    assert OutboundEmail.objects.filter(to=cook.email, subject__contains="approved").exists()


def test_rejecting_needs_a_reason_the_cook_sees_and_deletes_the_photo(
    cook, coordinator_a, private_dir, django_capture_on_commit_callbacks
):
    make_profile(cook)
    check = photo_check(cook)
    with pytest.raises(OnboardingError, match="reason"):
        cook_services.decide_identity_check(by=coordinator_a, check=check, approve=False, reason="  ")
    assert stored_files(private_dir) == [check.image_name]
    with django_capture_on_commit_callbacks(execute=True):
        check = cook_services.decide_identity_check(
            by=coordinator_a, check=check, approve=False, reason="The photo is blurred."
        )
    assert check.status == IdentityCheck.Status.REJECTED and check.reason == "The photo is blurred."
    assert stored_files(private_dir) == []
    [email] = [m for m in mail.outbox if m.to == [cook.email] and "could not approve" in m.subject]
    assert "The photo is blurred." in email.body


def test_after_a_rejection_the_cook_can_send_a_new_photo(cook, coordinator_a):
    make_profile(cook)
    cook_services.decide_identity_check(by=coordinator_a, check=photo_check(cook), approve=False, reason="Blurred")
    assert photo_check(cook).status == IdentityCheck.Status.PENDING


def test_a_check_is_decided_once(cook, coordinator_a):
    make_profile(cook)
    check = photo_check(cook)
    cook_services.decide_identity_check(by=coordinator_a, check=check, approve=True)
    with pytest.raises(OnboardingError, match="already"):
        cook_services.decide_identity_check(by=coordinator_a, check=check, approve=False, reason="Changed my mind")


def test_a_coordinator_of_another_area_cannot_decide(cook, coordinator_b):
    make_profile(cook)
    check = photo_check(cook)
    with pytest.raises(OnboardingError):
        cook_services.decide_identity_check(by=coordinator_b, check=check, approve=True)
    check.refresh_from_db()
    assert check.status == IdentityCheck.Status.PENDING


def test_a_cook_who_is_also_a_coordinator_cannot_approve_their_own_check(cook, area_a):
    make_profile(cook)
    check = photo_check(cook)
    cook.is_coordinator = True
    cook.save()
    cook.coordinator_memberships.create(area=area_a)
    add_totp(cook)
    cook = type(cook).objects.get(pk=cook.pk)  # fresh: coordinated areas are read per request
    with pytest.raises(OnboardingError):
        cook_services.decide_identity_check(by=cook, check=check, approve=True)
    with pytest.raises(OnboardingError):
        cook_services.record_seen_in_person(by=cook, cook=cook, document_type="passport")
    with pytest.raises(OnboardingError):
        cook_services.approve_cook(by=cook, cook=cook)
    assert not onboarding_eligibility.identity_approved(cook)


def test_seen_in_person_approves_at_once_and_closes_a_waiting_photo(
    cook, coordinator_a, private_dir, django_capture_on_commit_callbacks
):
    make_profile(cook)
    waiting = photo_check(cook)
    with django_capture_on_commit_callbacks(execute=True):
        check = cook_services.record_seen_in_person(by=coordinator_a, cook=cook, document_type="driving_licence")
    waiting.refresh_from_db()
    assert (check.method, check.status, check.decided_by) == ("in_person", "approved", coordinator_a)
    assert waiting.status == IdentityCheck.Status.CANCELLED and waiting.image_name == ""
    assert stored_files(private_dir) == []
    assert AuditEntry.objects.get(action="identity_seen_in_person").channel == "in_person"


def test_the_daily_purge_deletes_photos_older_than_seven_days_decided_or_not(
    cook, second_cook, coordinator_a, private_dir, django_capture_on_commit_callbacks
):
    make_profile(cook)
    make_profile(second_cook)
    old = photo_check(cook)
    IdentityCheck.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    recent = photo_check(second_cook)
    with django_capture_on_commit_callbacks(execute=True):
        assert onboarding_services.purge_identity_images() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert stored_files(private_dir) == [recent.image_name]
    assert old.image_name == "" and old.status == IdentityCheck.Status.CANCELLED and old.reason
    assert OutboundEmail.objects.filter(to=cook.email, subject__contains="send your identity photo again").exists()
    # Six days on, nothing more to do; eight days on, the second goes too.
    assert onboarding_services.purge_identity_images(now=timezone.now() + timedelta(days=6)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert onboarding_services.purge_identity_images(now=timezone.now() + timedelta(days=8)) == 1
    assert stored_files(private_dir) == []


def test_a_decision_that_rolls_back_keeps_the_photo_to_look_at(cook, coordinator_a, private_dir, monkeypatch):
    make_profile(cook)
    check = photo_check(cook)

    def broken(*args, **kwargs):
        raise RuntimeError("mail queue down")

    monkeypatch.setattr(cook_services, "tell_cook", broken)
    with pytest.raises(RuntimeError):
        cook_services.decide_identity_check(by=coordinator_a, check=check, approve=True)
    check.refresh_from_db()
    assert check.status == IdentityCheck.Status.PENDING
    assert stored_files(private_dir) == [check.image_name]


def test_the_purge_removes_stray_files_no_check_points_to(private_dir):
    name = identity_images.save_private_image(identity_images.prepare_identity_image(jpeg_upload()).content)
    assert onboarding_services.purge_identity_images() == 0  # too new: it may be an upload in progress
    assert onboarding_services.purge_identity_images(now=timezone.now() + timedelta(days=8)) == 1
    assert name not in stored_files(private_dir)


def test_the_purge_command_runs(cook, private_dir, capsys):
    from django.core.management import call_command

    call_command("purge_identity_images")
    assert "Identity photos deleted: 0" in capsys.readouterr().out


# The activation gate


def test_a_cook_with_everything_can_be_approved_and_is_then_active(ready_cook, coordinator_a):
    assert onboarding_eligibility.activation_blockers(ready_cook) == []
    profile = cook_services.approve_cook(by=coordinator_a, cook=ready_cook)
    assert profile.status == CookProfile.Status.ACTIVE
    assert onboarding_eligibility.is_active_cook(ready_cook)
    assert AuditEntry.objects.filter(action="cook_approved", actor=coordinator_a).exists()
    assert OutboundEmail.objects.filter(to=ready_cook.email, subject__contains="active cook").exists()


@pytest.mark.parametrize(
    "missing", [Blocker.EMAIL, Blocker.PROFILE, Blocker.AREA, Blocker.IDENTITY, Blocker.CERTIFICATE]
)
def test_each_missing_condition_blocks_activation_on_its_own(missing, cook, coordinator_a, course):
    if missing != Blocker.PROFILE:
        make_profile(cook, **({"postcode": "M1 1AE"} if missing == Blocker.AREA else {}))
    if missing == Blocker.AREA:
        cook.home_area = None  # no club covers M1 yet
    if missing != Blocker.IDENTITY and missing != Blocker.AREA:
        approve_identity(cook, by=coordinator_a)
    if missing == Blocker.AREA:
        from accounts.onboarding.models import IdentityCheck as Check

        Check.objects.create(cook=cook, method="in_person", document_type="passport", status="approved")
    if missing != Blocker.CERTIFICATE:
        certify(cook, course)
    if missing == Blocker.EMAIL:
        EmailAddress.objects.filter(user=cook).update(verified=False)

    assert onboarding_eligibility.activation_blockers(cook) == [missing]
    if missing in (Blocker.PROFILE, Blocker.AREA):
        # With no profile or no area there is nobody who may approve: refused before the gate.
        with pytest.raises(OnboardingError):
            cook_services.approve_cook(by=coordinator_a, cook=cook)
    else:
        with pytest.raises(ActivationRefused) as refused:
            cook_services.approve_cook(by=coordinator_a, cook=cook)
        assert refused.value.blockers == [missing]
        assert str(missing.label) in str(refused.value)
        assert CookProfile.objects.get(user=cook).status == CookProfile.Status.PENDING
    assert not onboarding_eligibility.is_active_cook(cook)


def test_an_expired_certificate_blocks_activation(cook, coordinator_a, course):
    make_profile(cook)
    approve_identity(cook, by=coordinator_a)
    certify(
        cook, course, issued_at=timezone.now() - timedelta(days=1100), expires_at=timezone.now() - timedelta(days=5)
    )
    assert onboarding_eligibility.activation_blockers(cook) == [Blocker.CERTIFICATE]


def test_an_active_cook_whose_certificate_expires_stops_being_eligible_without_a_status_change(
    ready_cook, coordinator_a
):
    cook_services.approve_cook(by=coordinator_a, cook=ready_cook)
    certificate = ready_cook.certificates.get()
    certificate.expires_at = timezone.now() - timedelta(minutes=1)
    certificate.save()
    assert not has_valid_certificate(ready_cook)
    assert CookProfile.objects.get(user=ready_cook).status == CookProfile.Status.ACTIVE
    assert not onboarding_eligibility.is_active_cook(ready_cook)


def test_only_a_coordinator_of_the_cooks_area_can_approve(ready_cook, coordinator_b, referrer):
    for outsider in (coordinator_b, referrer, ready_cook):
        with pytest.raises(OnboardingError):
            cook_services.approve_cook(by=outsider, cook=ready_cook)
    assert CookProfile.objects.get(user=ready_cook).status == CookProfile.Status.PENDING


def test_an_admin_can_approve_in_any_area(ready_cook, admin_user):
    assert cook_services.approve_cook(by=admin_user, cook=ready_cook).status == CookProfile.Status.ACTIVE


def test_approving_twice_is_refused(ready_cook, coordinator_a):
    cook_services.approve_cook(by=coordinator_a, cook=ready_cook)
    with pytest.raises(OnboardingError, match="already"):
        cook_services.approve_cook(by=coordinator_a, cook=ready_cook)


def test_suspend_and_reactivate_need_reasons_and_reactivation_checks_the_gate_again(ready_cook, coordinator_a):
    cook_services.approve_cook(by=coordinator_a, cook=ready_cook)
    with pytest.raises(OnboardingError, match="reason"):
        cook_services.suspend_cook(by=coordinator_a, cook=ready_cook, reason=" ")
    profile = cook_services.suspend_cook(by=coordinator_a, cook=ready_cook, reason="A diner raised a concern.")
    assert (profile.status, profile.status_reason) == ("suspended", "A diner raised a concern.")
    assert not onboarding_eligibility.is_active_cook(ready_cook)
    assert OutboundEmail.objects.filter(to=ready_cook.email, subject__contains="paused").exists()

    ready_cook.certificates.update(expires_at=timezone.now() - timedelta(days=1))
    with pytest.raises(ActivationRefused):
        cook_services.reactivate_cook(by=coordinator_a, cook=ready_cook, reason="All sorted.")
    ready_cook.certificates.update(expires_at=timezone.now() + timedelta(days=100))
    with pytest.raises(OnboardingError, match="reason"):
        cook_services.reactivate_cook(by=coordinator_a, cook=ready_cook, reason="")
    profile = cook_services.reactivate_cook(by=coordinator_a, cook=ready_cook, reason="All sorted.")
    assert profile.status == CookProfile.Status.ACTIVE
    assert list(
        AuditEntry.objects.filter(action__startswith="cook_").values_list("action", flat=True).order_by("pk")
    ) == [
        "cook_profile_created",
        "cook_approved",
        "cook_suspended",
        "cook_reactivated",
    ]


def test_a_cook_waiting_for_approval_can_be_suspended_and_then_not_approved(ready_cook, coordinator_a):
    cook_services.suspend_cook(by=coordinator_a, cook=ready_cook, reason="Not answering calls.")
    with pytest.raises(OnboardingError, match="already"):
        cook_services.approve_cook(by=coordinator_a, cook=ready_cook)


def test_a_failure_after_the_first_write_leaves_no_partial_state(ready_cook, coordinator_a, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("mail queue down")

    monkeypatch.setattr(cook_services, "tell_cook", broken)
    with pytest.raises(RuntimeError):
        cook_services.approve_cook(by=coordinator_a, cook=ready_cook)
    assert CookProfile.objects.get(user=ready_cook).status == CookProfile.Status.PENDING
    assert not AuditEntry.objects.filter(action="cook_approved").exists()


def test_someone_who_is_not_a_cook_has_no_profile_or_checks(referrer):
    with pytest.raises(OnboardingError):
        make_profile(referrer)
    with pytest.raises(OnboardingError):
        photo_check(referrer)


def test_a_coordinator_in_the_area_is_needed_to_record_in_person(cook):
    make_profile(cook)
    stranger = CoordinatorFactory(email="lonely@example.org", areas=[])
    with pytest.raises(OnboardingError):
        cook_services.record_seen_in_person(by=stranger, cook=cook, document_type="passport")
    with pytest.raises(OnboardingError):
        cook_services.record_seen_in_person(by=UserFactory(), cook=cook, document_type="passport")
