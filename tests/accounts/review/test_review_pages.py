"""The coordinator's side of cook onboarding: the identity queue, deciding photo checks, documents seen
in person, placing a cook, the cook list and page, and approval, suspension and reactivation."""

import io
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.onboarding import eligibility as onboarding_eligibility
from accounts.onboarding import identity_images
from accounts.onboarding import services as onboarding_services
from accounts.onboarding.models import CookProfile, IdentityCheck
from accounts.people.models import CoordinatorMembership
from accounts.review import services as cook_services
from accounts.review.selectors import Stage, with_stage
from casserole.models import AuditEntry, OutboundEmail
from tests.conftest import page_body, verified_client
from tests.factories import CookProfileFactory, UserFactory, add_totp
from tests.training.conftest import certify

pytestmark = pytest.mark.django_db

MISSING = 987654


# Builders ------------------------------------------------------------------------------------------


# Identity photos go to a folder of each test's own: tests/conftest.py's autouse `private_dir`.


def jpeg_upload(colour=(200, 30, 30)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "JPEG")
    return SimpleUploadedFile("passport.jpg", out.getvalue(), content_type="image/jpeg")


def make_profile(cook, *, placed: bool = True, **fields) -> CookProfile:
    return CookProfileFactory(
        user=cook, unplaced=not placed, address_line1="1 Test Street", postcode="E8 1AA", **fields
    )


def photo_check(cook, *, days_ago: float = 0, document_type=IdentityCheck.DocumentType.PASSPORT) -> IdentityCheck:
    """A photo check waiting for a coordinator, sent `days_ago` days ago."""
    if not CookProfile.objects.filter(user=cook).exists():
        make_profile(cook)
    check = onboarding_services.submit_identity_photo(cook=cook, document_type=document_type, upload=jpeg_upload())
    if days_ago:
        IdentityCheck.objects.filter(pk=check.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
        check.refresh_from_db()
    return check


def make_ready(cook, course, *, by) -> None:
    """Everything the activation gate asks for: profile, identity (seen in person), certificate."""
    if not CookProfile.objects.filter(user=cook).exists():
        make_profile(cook)
    cook_services.record_seen_in_person(by=by, cook=cook, document_type=IdentityCheck.DocumentType.PASSPORT)
    certify(cook, course)


def new_cook(area, n: int, **fields):
    fields.setdefault("full_name", f"Cook {n:02d}")
    return UserFactory(email=f"new-cook{n}@example.org", is_cook=True, home_area=area, **fields)


def html_of(response) -> str:
    return response.content.decode()


def same_page(theirs, missing, theirs_path: str, missing_path: str) -> bool:
    # The pages may differ only in the path they echo (in the language switch).
    return page_body(theirs).replace(theirs_path, "PATH") == page_body(missing).replace(missing_path, "PATH")


def follow_messages(client, response) -> str:
    assert response.status_code == 302
    return html_of(client.get(response["Location"]))


# The identity queue --------------------------------------------------------------------------------


def test_queue_lists_only_own_area_photo_checks_oldest_first_with_counts(
    login_as, coordinator_a, cook, second_cook, area_a, area_b, course
):
    photo_check(second_cook, days_ago=1)
    photo_check(cook, days_ago=3, document_type=IdentityCheck.DocumentType.DRIVING_LICENCE)
    far_cook = new_cook(area_b, 1, full_name="Fumiko Faraway")
    photo_check(far_cook, days_ago=5)
    make_profile(new_cook(area_a, 2, full_name="Nadia Needsplacing"), placed=False)
    make_ready(new_cook(area_a, 3, full_name="Rory Ready"), course, by=coordinator_a)

    response = login_as(coordinator_a).get("/en/coordinator/identity/")

    assert response.status_code == 200
    html = html_of(response)
    assert "Fumiko Faraway" not in html  # area B
    assert html.index("Cathy Cook") < html.index("Colin Cook")  # oldest first
    assert "Driving licence" in html and "Area A" in html
    assert "3\xa0days" in html  # how long it has waited
    assert re.search(r'id="waiting-count">2<', html)
    assert re.search(r'id="needs-placing-count">1<', html)
    assert re.search(r'id="ready-count">1<', html)
    assert "no-store" in response["Cache-Control"]


def test_queue_leaves_out_decided_and_stripe_checks(login_as, coordinator_a, cook, second_cook):
    decided = photo_check(cook)
    cook_services.decide_identity_check(by=coordinator_a, check=decided, approve=True)
    make_profile(second_cook)
    IdentityCheck.objects.create(cook=second_cook, method=IdentityCheck.Method.STRIPE, stripe_session_id="vs_1")

    html = html_of(login_as(coordinator_a).get("/en/coordinator/identity/"))

    assert "No photos are waiting for a decision." in html
    assert re.search(r'id="waiting-count">0<', html)


# The identity queue page, whatever the number of checks:
#  1. the session
#  2. the signed-in user
#  3. the authenticator this session was verified with (django-otp)
#  4. the areas the user coordinates (User.coordinated_area_ids)
#  5. the waiting photo checks with their cooks and areas
#  6. how many cooks are at each stage (one aggregate with EXISTS subqueries)
#  7. the area for the "Need help?" block (context processor)
IDENTITY_QUEUE_QUERIES = 7


@pytest.mark.parametrize("count", [1, 20])
def test_queue_query_count_is_the_same_for_one_and_twenty_checks(
    login_as, coordinator_a, area_a, count, django_assert_num_queries
):
    for n in range(count):
        photo_check(new_cook(area_a, n), days_ago=n + 1)
    client = login_as(coordinator_a)

    with django_assert_num_queries(IDENTITY_QUEUE_QUERIES):
        response = client.get("/en/coordinator/identity/")

    assert response.status_code == 200
    assert html_of(response).count("/identity/") >= count


# Deciding a photo check ----------------------------------------------------------------------------


def test_approving_takes_two_clicks_from_the_queue_and_deletes_the_photo(
    login_as, coordinator_a, cook, private_dir, django_capture_on_commit_callbacks
):
    check = photo_check(cook)
    image_name = check.image_name
    assert (private_dir / image_name).exists()
    client = login_as(coordinator_a)
    check_path = f"/en/coordinator/cooks/{cook.pk}/identity/{check.pk}/"

    queue = html_of(client.get("/en/coordinator/identity/"))
    assert f'href="{check_path}"' in queue
    page = client.get(check_path)  # click 1
    html = html_of(page)
    assert "1 Test Street" in html and "E8 1AA" in html and "Cathy Cook" in html
    assert f'src="{check_path}photo/"' in html
    assert 'alt="Photo of the Passport sent by Cathy Cook"' in html
    assert "no-store" in page["Cache-Control"]

    with django_capture_on_commit_callbacks(execute=True):  # the file goes when the decision commits
        response = client.post(check_path, {"decision": "approve"})  # click 2

    assert response.status_code == 302 and response["Location"] == "/en/coordinator/identity/"
    check.refresh_from_db()
    assert check.status == IdentityCheck.Status.APPROVED
    assert (check.decided_by, check.method, check.document_type) == (coordinator_a, "photo", "passport")
    assert check.decided_at is not None and check.image_deleted_at is not None
    assert check.image_name == "" and check.reason == ""
    assert not (private_dir / image_name).exists()
    assert AuditEntry.objects.filter(action="identity_check_approved", object_id=str(check.pk)).count() == 1
    assert client.get(f"{check_path}photo/").status_code == 404
    after = html_of(client.get(check_path))
    assert "The photo has been deleted." in after and "<img" not in after


def test_viewing_the_check_page_is_audited(login_as, coordinator_a, cook):
    check = photo_check(cook)
    client = login_as(coordinator_a)
    client.get(f"/en/coordinator/cooks/{cook.pk}/identity/{check.pk}/")
    client.get(f"/en/coordinator/cooks/{cook.pk}/identity/{check.pk}/")

    entries = AuditEntry.objects.filter(action="identity_check_viewed", object_id=str(check.pk))
    assert entries.count() == 2
    assert {(e.actor_id, e.area_id, e.object_type) for e in entries} == {
        (coordinator_a.pk, cook.home_area_id, "accounts.identitycheck")
    }


def test_photo_is_streamed_as_an_attachment_and_every_view_is_audited(login_as, coordinator_a, cook, private_dir):
    check = photo_check(cook)
    client = login_as(coordinator_a)
    path = f"/en/coordinator/cooks/{cook.pk}/identity/{check.pk}/photo/"

    for _ in range(2):
        response = client.get(path)
        assert response.status_code == 200
        # Reading it to the end closes the file: the test client's wrapper calls close() (an explicit
        # close() would also send request_finished, which closes the test's PostgreSQL connection).
        body = b"".join(response.streaming_content)
        assert body == (private_dir / check.image_name).read_bytes()
        assert body.startswith(identity_images.JPEG_MAGIC)
        assert response["Content-Type"] == "image/jpeg"
        assert response["Content-Disposition"] == f'attachment; filename="identity-check-{check.pk}.jpg"'
        assert "no-store" in response["Cache-Control"]
        assert response["X-Content-Type-Options"] == "nosniff"

    entries = AuditEntry.objects.filter(action="identity_photo_viewed", object_id=str(check.pk))
    assert entries.count() == 2
    assert all(e.actor_id == coordinator_a.pk and e.area_id == cook.home_area_id for e in entries)


def test_photo_of_a_purged_check_is_gone(login_as, coordinator_a, cook):
    check = photo_check(cook)
    onboarding_services.purge_identity_images(now=timezone.now() + timedelta(days=30))
    client = login_as(coordinator_a)

    assert client.get(f"/en/coordinator/cooks/{cook.pk}/identity/{check.pk}/photo/").status_code == 404
    html = html_of(client.get(f"/en/coordinator/cooks/{cook.pk}/identity/{check.pk}/"))
    assert "The photo has been deleted." in html
    assert not AuditEntry.objects.filter(action="identity_photo_viewed").exists()


def test_rejecting_needs_a_reason_and_the_cook_is_told_it(login_as, coordinator_a, cook, private_dir):
    check = photo_check(cook)
    client = login_as(coordinator_a)
    path = f"/en/coordinator/cooks/{cook.pk}/identity/{check.pk}/"

    response = client.post(path, {"decision": "reject", "reason": "   "})

    assert response.status_code == 200
    html = html_of(response)
    assert "<title>Error:" in html and "There is a problem" in html
    assert html.count("Enter the reason, so the cook knows what to do next") == 2  # summary and inline
    check.refresh_from_db()
    assert check.is_open and (private_dir / check.image_name).exists()

    reason = "The photo is blurred. Take it again in good light."
    response = client.post(path, {"decision": "reject", "reason": reason})

    assert response.status_code == 302
    check.refresh_from_db()
    assert check.status == IdentityCheck.Status.REJECTED
    assert check.reason == reason  # what the cook's status page shows
    assert check.image_name == ""
    assert OutboundEmail.objects.filter(to=cook.email, body__contains=reason).exists()


def test_reject_reason_keeps_what_was_typed_when_too_long(login_as, coordinator_a, cook):
    check = photo_check(cook)
    typed = "x" * 501
    response = login_as(coordinator_a).post(
        f"/en/coordinator/cooks/{cook.pk}/identity/{check.pk}/", {"decision": "reject", "reason": typed}
    )
    assert response.status_code == 200
    assert typed in html_of(response)
    check.refresh_from_db()
    assert check.is_open


def test_a_tampered_decision_changes_nothing(login_as, coordinator_a, cook):
    check = photo_check(cook)
    response = login_as(coordinator_a).post(
        f"/en/coordinator/cooks/{cook.pk}/identity/{check.pk}/",
        {"decision": "approved", "status": "approved", "decided_by": str(coordinator_a.pk)},
    )
    assert response.status_code == 200
    assert "Choose whether to approve the document or not" in html_of(response)
    check.refresh_from_db()
    assert check.is_open and check.decided_by is None


def test_an_empty_decision_shows_an_error(login_as, coordinator_a, cook):
    check = photo_check(cook)
    response = login_as(coordinator_a).post(f"/en/coordinator/cooks/{cook.pk}/identity/{check.pk}/", {})
    assert response.status_code == 200
    html = html_of(response)
    assert "<title>Error:" in html and 'href="#form-non-field-errors"' in html and 'id="form-non-field-errors"' in html
    check.refresh_from_db()
    assert check.is_open


def test_a_decided_check_cannot_be_decided_again(login_as, coordinator_a, cook):
    check = photo_check(cook)
    cook_services.decide_identity_check(by=coordinator_a, check=check, approve=False, reason="Blurred")
    response = login_as(coordinator_a).post(
        f"/en/coordinator/cooks/{cook.pk}/identity/{check.pk}/", {"decision": "approve"}
    )
    assert response.status_code == 200
    assert "This check has already been decided." in html_of(response)
    check.refresh_from_db()
    assert check.status == IdentityCheck.Status.REJECTED


def test_a_cook_who_is_also_a_coordinator_cannot_approve_themselves(area_a, cook, course, coordinator_a):
    cook.is_coordinator = True
    cook.save(update_fields=["is_coordinator"])
    CoordinatorMembership.objects.create(user=cook, area=area_a)
    add_totp(cook)
    check = photo_check(cook)
    client = verified_client(cook)
    path = f"/en/coordinator/cooks/{cook.pk}/identity/{check.pk}/"

    assert "This is your own identity check." in html_of(client.get(path))
    response = client.post(path, {"decision": "approve"})

    assert response.status_code == 200
    assert "You can only decide checks for cooks in your own areas." in html_of(response)
    check.refresh_from_db()
    assert check.is_open

    # Seen in person by themselves: refused too.
    response = client.post(
        f"/en/coordinator/cooks/{cook.pk}/identity/in-person/",
        {"document_type": "passport", "channel": "in_person", "confirmed": "on"},
    )
    assert response.status_code == 200
    assert not IdentityCheck.objects.filter(cook=cook, status=IdentityCheck.Status.APPROVED).exists()

    # Even with everything else done (by another coordinator), they cannot make themselves active.
    cook_services.decide_identity_check(by=coordinator_a, check=check, approve=True)
    certify(cook, course)
    assert onboarding_eligibility.activation_blockers(cook) == []
    response = client.post(f"/en/coordinator/cooks/{cook.pk}/approve/")
    assert "You can only approve cooks in your own areas." in follow_messages(client, response)
    assert CookProfile.objects.get(user=cook).status == CookProfile.Status.PENDING


# Another area: 404, exactly like a missing id ------------------------------------------------------


def test_another_areas_cooks_and_checks_look_exactly_like_missing_ones(login_as, coordinator_b, cook, private_dir):
    check = photo_check(cook)
    client = login_as(coordinator_b)
    requests = [
        ("get", "/coordinator/cooks/{cook}/", {}),
        ("get", "/coordinator/cooks/{cook}/identity/{check}/", {}),
        ("post", "/coordinator/cooks/{cook}/identity/{check}/", {"decision": "approve"}),
        ("get", "/coordinator/cooks/{cook}/identity/{check}/photo/", {}),
        ("get", "/coordinator/cooks/{cook}/identity/in-person/", {}),
        ("post", "/coordinator/cooks/{cook}/identity/in-person/", {"document_type": "passport", "confirmed": "on"}),
        ("get", "/coordinator/cooks/{cook}/location/", {}),
        ("post", "/coordinator/cooks/{cook}/location/", {"latitude": "1", "longitude": "1", "neighbourhood": "X"}),
        ("post", "/coordinator/cooks/{cook}/approve/", {}),
        ("get", "/coordinator/cooks/{cook}/suspend/", {}),
        ("post", "/coordinator/cooks/{cook}/suspend/", {"reason": "Because"}),
        ("get", "/coordinator/cooks/{cook}/reactivate/", {}),
        ("post", "/coordinator/cooks/{cook}/reactivate/", {"reason": "Because"}),
    ]
    for method, template, data in requests:
        theirs_path = template.format(cook=cook.pk, check=check.pk)
        missing_path = template.format(cook=MISSING, check=check.pk)
        theirs = getattr(client, method)("/en" + theirs_path, data)
        missing = getattr(client, method)("/en" + missing_path, data)
        assert theirs.status_code == missing.status_code == 404, (method, theirs_path)
        assert same_page(theirs, missing, theirs_path, missing_path), (method, theirs_path)

    # Area A's real cook with a real check, or with a check id that does not exist: the same 404.
    theirs_path = f"/coordinator/cooks/{cook.pk}/identity/{check.pk}/"
    missing_path = f"/coordinator/cooks/{cook.pk}/identity/{MISSING}/"
    theirs, missing = client.get("/en" + theirs_path), client.get("/en" + missing_path)
    assert same_page(theirs, missing, theirs_path, missing_path)

    check.refresh_from_db()
    assert check.is_open and (private_dir / check.image_name).exists()
    assert not IdentityCheck.objects.filter(cook=cook).exclude(pk=check.pk).exists()
    assert CookProfile.objects.get(user=cook).status == CookProfile.Status.PENDING
    assert not AuditEntry.objects.filter(actor=coordinator_b).exclude(action__startswith="sign").exists()


def test_a_check_is_only_reached_under_its_own_cook(login_as, coordinator_a, cook, second_cook):
    check = photo_check(cook)
    make_profile(second_cook)
    client = login_as(coordinator_a)
    wrong = f"/coordinator/cooks/{second_cook.pk}/identity/{check.pk}/"
    missing = f"/coordinator/cooks/{second_cook.pk}/identity/{MISSING}/"
    for suffix in ("", "photo/"):
        theirs_response = client.get("/en" + wrong + suffix)
        missing_response = client.get("/en" + missing + suffix)
        assert theirs_response.status_code == missing_response.status_code == 404
        assert same_page(theirs_response, missing_response, wrong, missing)


@pytest.mark.parametrize(
    "path",
    [
        "/en/coordinator/cooks/{cook}/approve/",
    ],
)
def test_post_only_actions_refuse_get(login_as, coordinator_a, cook, path):
    make_profile(cook)
    assert login_as(coordinator_a).get(path.format(cook=cook.pk)).status_code == 405


def test_photo_view_refuses_post(login_as, coordinator_a, cook):
    check = photo_check(cook)
    response = login_as(coordinator_a).post(f"/en/coordinator/cooks/{cook.pk}/identity/{check.pk}/photo/")
    assert response.status_code == 405
    assert not AuditEntry.objects.filter(action="identity_photo_viewed").exists()


def test_actions_need_the_csrf_token(coordinator_a, cook, course):
    make_ready(cook, course, by=coordinator_a)
    client = verified_client(coordinator_a, enforce_csrf_checks=True)
    assert client.post(f"/en/coordinator/cooks/{cook.pk}/approve/").status_code == 403
    assert CookProfile.objects.get(user=cook).status == CookProfile.Status.PENDING


def test_pages_need_a_coordinator(login_as, cook, referrer):
    make_profile(cook)
    for user in (cook, referrer):
        assert login_as(user).get("/en/coordinator/identity/").status_code == 403
        assert login_as(user).get(f"/en/coordinator/cooks/{cook.pk}/").status_code == 403
    from django.test import Client

    response = Client().get("/en/coordinator/cooks/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# Seen in person ------------------------------------------------------------------------------------


def test_document_seen_in_person_approves_identity_and_closes_the_photo_check(
    login_as, coordinator_a, cook, private_dir, django_capture_on_commit_callbacks
):
    photo = photo_check(cook)
    image_name = photo.image_name
    client = login_as(coordinator_a)
    path = f"/en/coordinator/cooks/{cook.pk}/identity/in-person/"

    page = html_of(client.get(path))
    assert "I have seen this document and it matches the cook’s profile" in page
    assert 'value="in_person"' in page and "checked" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            path,
            {
                "document_type": "residence_card",
                "channel": "in_person",
                "confirmed": "on",
                "status": "rejected",
                "decided_by": str(cook.pk),
                "verified": "true",
            },
        )

    assert response.status_code == 302 and response["Location"] == f"/en/coordinator/cooks/{cook.pk}/"
    check = IdentityCheck.objects.get(cook=cook, method=IdentityCheck.Method.IN_PERSON)
    assert (check.status, check.document_type, check.decided_by) == ("approved", "residence_card", coordinator_a)
    photo.refresh_from_db()
    assert photo.status == IdentityCheck.Status.CANCELLED and photo.image_name == ""
    assert not (private_dir / image_name).exists()
    entry = AuditEntry.objects.get(action="identity_seen_in_person")
    assert entry.channel == "in_person" and entry.actor == coordinator_a


def test_seen_in_person_needs_the_confirmation_and_a_document_type(login_as, coordinator_a, cook):
    make_profile(cook)
    response = login_as(coordinator_a).post(
        f"/en/coordinator/cooks/{cook.pk}/identity/in-person/", {"document_type": "passport", "channel": "in_person"}
    )
    assert response.status_code == 200
    html = html_of(response)
    assert "<title>Error:" in html
    assert "Confirm that you have seen the document and it matches the cook’s profile" in html
    assert 'value="passport" checked' in html or re.search(r'value="passport"[^>]*checked', html)

    response = login_as(coordinator_a).post(
        f"/en/coordinator/cooks/{cook.pk}/identity/in-person/", {"document_type": "library_card", "confirmed": "on"}
    )
    assert "Select the type of document you saw" in html_of(response)

    response = login_as(coordinator_a).post(f"/en/coordinator/cooks/{cook.pk}/identity/in-person/", {})
    html = html_of(response)
    assert "<title>Error:" in html
    assert "Select the type of document you saw" in html and "Confirm that you have seen the document" in html
    assert not IdentityCheck.objects.filter(cook=cook).exists()


# Placing a cook ------------------------------------------------------------------------------------


def test_placing_a_cook_by_hand(login_as, coordinator_a, cook):
    profile = make_profile(cook, placed=False)
    client = login_as(coordinator_a)
    path = f"/en/coordinator/cooks/{cook.pk}/location/"

    page = html_of(client.get(path))
    assert "A neighbourhood or district, never a street" in page
    response = client.post(
        path,
        {
            "latitude": "51.5466",
            "longitude": "-0.0553",
            "neighbourhood": "Dalston",
            "status": "active",
            "area": "999",
            "is_active": "false",
        },
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.latitude, profile.longitude, profile.neighbourhood) == (51.5466, -0.0553, "Dalston")
    assert profile.location_source == "manual"
    assert profile.status == CookProfile.Status.PENDING
    cook.refresh_from_db()
    assert cook.is_active and cook.home_area.name == "Area A"
    assert AuditEntry.objects.filter(action="cook_placed_by_hand", actor=coordinator_a).exists()


@pytest.mark.parametrize(
    ("latitude", "longitude", "message"),
    [
        ("91", "0", "Latitude must be between -90 and 90"),
        ("0", "-180.5", "Longitude must be between -180 and 180"),
        ("north", "0", "Enter the latitude as a number, like 51.5466"),
        ("nan", "0", "Enter the latitude as a number, like 51.5466"),
        ("", "0", "Enter the latitude"),
    ],
)
def test_placing_refuses_coordinates_off_the_earth_and_keeps_what_was_typed(
    login_as, coordinator_a, cook, latitude, longitude, message
):
    profile = make_profile(cook, placed=False)
    response = login_as(coordinator_a).post(
        f"/en/coordinator/cooks/{cook.pk}/location/",
        {"latitude": latitude, "longitude": longitude, "neighbourhood": "Dalston"},
    )
    assert response.status_code == 200
    html = html_of(response)
    assert "<title>Error:" in html and message in html
    assert 'value="Dalston"' in html
    if latitude:
        assert f'value="{latitude}"' in html
    profile.refresh_from_db()
    assert profile.needs_placing


def test_placing_needs_a_neighbourhood(login_as, coordinator_a, cook):
    make_profile(cook, placed=False)
    response = login_as(coordinator_a).post(
        f"/en/coordinator/cooks/{cook.pk}/location/", {"latitude": "51.5", "longitude": "-0.05", "neighbourhood": ""}
    )
    assert "Enter the neighbourhood" in html_of(response)


def test_a_cook_without_a_profile_cannot_be_placed(login_as, coordinator_a, cook):
    assert login_as(coordinator_a).get(f"/en/coordinator/cooks/{cook.pk}/location/").status_code == 404


# Approval, suspension, reactivation ----------------------------------------------------------------


def test_approving_a_ready_cook_makes_them_active(login_as, coordinator_a, cook, course):
    make_ready(cook, course, by=coordinator_a)
    client = login_as(coordinator_a)

    page = html_of(client.get(f"/en/coordinator/cooks/{cook.pk}/"))
    assert f'action="/en/coordinator/cooks/{cook.pk}/approve/"' in page
    response = client.post(f"/en/coordinator/cooks/{cook.pk}/approve/", {"status": "suspended"})

    assert "Cathy Cook is now an active cook." in follow_messages(client, response)
    profile = CookProfile.objects.get(user=cook)
    assert profile.status == CookProfile.Status.ACTIVE and profile.status_changed_by == coordinator_a
    assert onboarding_eligibility.is_active_cook(cook)


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("profile", "a completed profile"),
        ("identity", "an approved identity check"),
        ("certificate", "a valid food-safety certificate"),
        ("email", "a confirmed email address"),
    ],
)
def test_approval_is_refused_for_each_missing_condition(login_as, coordinator_a, cook, course, missing, message):
    if missing != "profile":
        make_profile(cook)
    if missing != "identity":
        cook_services.record_seen_in_person(by=coordinator_a, cook=cook, document_type="passport")
    if missing != "certificate":
        certify(cook, course)
    if missing == "email":
        EmailAddress.objects.filter(user=cook).update(verified=False)
    client = login_as(coordinator_a)

    page = html_of(client.get(f"/en/coordinator/cooks/{cook.pk}/"))
    if missing != "profile":  # without a profile there is no status to approve from
        assert "You cannot approve this cook yet. Still missing:" in page and message in page
    assert "/approve/" not in page

    response = client.post(f"/en/coordinator/cooks/{cook.pk}/approve/")
    html = follow_messages(client, response)
    assert f"This cook cannot be made active yet. Still missing: {message}." in html
    assert not CookProfile.objects.filter(user=cook, status=CookProfile.Status.ACTIVE).exists()


def test_suspending_and_reactivating_need_reasons(login_as, coordinator_a, cook, course):
    make_ready(cook, course, by=coordinator_a)
    cook_services.approve_cook(by=coordinator_a, cook=cook)
    client = login_as(coordinator_a)
    suspend, reactivate = f"/en/coordinator/cooks/{cook.pk}/suspend/", f"/en/coordinator/cooks/{cook.pk}/reactivate/"

    assert "Suspend this cook" in html_of(client.get(f"/en/coordinator/cooks/{cook.pk}/"))
    response = client.post(suspend, {"reason": ""})
    assert response.status_code == 200
    assert "<title>Error:" in html_of(response) and "Enter the reason, so the cook knows why" in html_of(response)
    assert CookProfile.objects.get(user=cook).status == CookProfile.Status.ACTIVE

    response = client.post(suspend, {"reason": "Missed two visits without telling anyone.", "status": "active"})
    assert "has been suspended" in follow_messages(client, response)
    profile = CookProfile.objects.get(user=cook)
    assert (profile.status, profile.status_reason) == ("suspended", "Missed two visits without telling anyone.")
    assert OutboundEmail.objects.filter(to=cook.email, body__contains="Missed two visits").exists()

    detail = html_of(client.get(f"/en/coordinator/cooks/{cook.pk}/"))
    assert "Reactivate this cook" in detail and "Missed two visits without telling anyone." in detail

    response = client.post(reactivate, {"reason": " "})
    assert "Enter the reason for reactivating this cook" in html_of(response)
    response = client.post(reactivate, {"reason": "We talked and agreed a plan."})
    assert "is active again" in follow_messages(client, response)
    profile.refresh_from_db()
    assert (profile.status, profile.status_reason) == ("active", "We talked and agreed a plan.")
    actions = set(AuditEntry.objects.filter(object_id=str(profile.pk)).values_list("action", flat=True))
    assert {"cook_approved", "cook_suspended", "cook_reactivated"} <= actions


def test_reactivation_is_refused_when_the_certificate_has_expired(login_as, coordinator_a, cook, course):
    make_ready(cook, course, by=coordinator_a)
    cook_services.approve_cook(by=coordinator_a, cook=cook)
    cook_services.suspend_cook(by=coordinator_a, cook=cook, reason="Paused")
    cook.certificates.update(expires_at=timezone.now() - timedelta(days=1))

    response = login_as(coordinator_a).post(f"/en/coordinator/cooks/{cook.pk}/reactivate/", {"reason": "Back"})

    assert response.status_code == 200
    assert "Still missing: a valid food-safety certificate." in html_of(response)
    assert CookProfile.objects.get(user=cook).status == CookProfile.Status.SUSPENDED


def test_suspending_a_cook_without_a_profile_is_refused_with_a_message(login_as, coordinator_a, cook):
    response = login_as(coordinator_a).post(f"/en/coordinator/cooks/{cook.pk}/suspend/", {"reason": "Why not"})
    assert response.status_code == 200
    assert "This cook cannot be suspended" in html_of(response)


# The cook page -------------------------------------------------------------------------------------


def test_cook_page_shows_profile_location_identity_history_course_and_activity(login_as, coordinator_a, cook, course):
    make_profile(cook, placed=False)
    check = photo_check(cook)
    cook_services.decide_identity_check(by=coordinator_a, check=check, approve=False, reason="Blurred photo")
    certify(cook, course)
    client = login_as(coordinator_a)

    html = html_of(client.get(f"/en/coordinator/cooks/{cook.pk}/"))

    assert "1 Test Street" in html and "E8 1AA" in html and "cook@example.org" in html
    assert "Needs placing" in html and f"/en/coordinator/cooks/{cook.pk}/location/" in html
    assert "Photo of a document" in html and "Not approved" in html and "Blurred photo" in html
    assert "Ada Coordinator" in html
    assert f"/en/coordinator/cooks/{cook.pk}/identity/in-person/" in html
    assert "Valid certificate" in html and "/en/coordinator/training/" in html
    assert "Identity not approved" in html  # the audit trail
    assert f"/identity/{check.pk}/photo/" not in html  # never the image on this page
    assert "Waiting for approval" in html


def test_cook_page_for_a_cook_without_a_profile(login_as, coordinator_a, cook):
    response = login_as(coordinator_a).get(f"/en/coordinator/cooks/{cook.pk}/")
    assert response.status_code == 200
    html = html_of(response)
    assert "This cook has not completed their profile yet." in html
    assert "/location/" not in html


# The cook list -------------------------------------------------------------------------------------


def cooks_at_every_stage(area_a, coordinator_a, course) -> dict[str, object]:
    no_profile = new_cook(area_a, 1, full_name="Nora Noprofile")
    needs_placing = new_cook(area_a, 2, full_name="Nadia Needsplacing")
    make_profile(needs_placing, placed=False)
    waiting = new_cook(area_a, 3, full_name="Wendy Waiting")
    photo_check(waiting)
    rejected = new_cook(area_a, 4, full_name="Rex Rejected")
    cook_services.decide_identity_check(by=coordinator_a, check=photo_check(rejected), approve=False, reason="No")
    course_left = new_cook(area_a, 5, full_name="Carl Course")
    make_profile(course_left)
    cook_services.record_seen_in_person(by=coordinator_a, cook=course_left, document_type="passport")
    ready = new_cook(area_a, 6, full_name="Rory Ready")
    make_ready(ready, course, by=coordinator_a)
    active = new_cook(area_a, 7, full_name="Alma Active")
    make_ready(active, course, by=coordinator_a)
    cook_services.approve_cook(by=coordinator_a, cook=active)
    suspended = new_cook(area_a, 8, full_name="Sam Suspended")
    make_ready(suspended, course, by=coordinator_a)
    cook_services.suspend_cook(by=coordinator_a, cook=suspended, reason="Paused")
    unconfirmed = new_cook(area_a, 9, full_name="Una Unconfirmed")
    make_ready(unconfirmed, course, by=coordinator_a)
    EmailAddress.objects.filter(user=unconfirmed).update(verified=False)
    return {
        Stage.NO_PROFILE: no_profile,
        Stage.NEEDS_PLACING: needs_placing,
        Stage.IDENTITY_WAITING: waiting,
        Stage.IDENTITY_NOT_APPROVED: rejected,
        Stage.COURSE: course_left,
        Stage.READY: ready,
        Stage.ACTIVE: active,
        Stage.SUSPENDED: suspended,
        Stage.EMAIL: unconfirmed,
    }


def test_cook_list_shows_each_cooks_stage_and_filters_by_stage(login_as, coordinator_a, area_a, area_b, course):
    by_stage = cooks_at_every_stage(area_a, coordinator_a, course)
    new_cook(area_b, 50, full_name="Fumiko Faraway")
    client = login_as(coordinator_a)

    html = html_of(client.get("/en/coordinator/cooks/"))
    assert "Fumiko Faraway" not in html
    for stage, cook in by_stage.items():
        row = re.search(rf"{cook.full_name}</bdi></a></th>.*?</tr>", html, re.S).group(0)
        assert str(Stage.labels[stage]) in row, (stage, row)

    for stage, cook in by_stage.items():
        filtered = html_of(client.get(f"/en/coordinator/cooks/?stage={stage}"))
        shown = [c.full_name for c in by_stage.values() if c.full_name in filtered]
        assert shown == [cook.full_name], (stage, shown)
        assert f"{Stage.labels[stage]} (1)" in filtered

    # An unknown stage shows everyone.
    assert all(c.full_name in html_of(client.get("/en/coordinator/cooks/?stage=nonsense")) for c in by_stage.values())


def test_stage_annotation_agrees_with_the_activation_gate(area_a, coordinator_a, course):
    by_stage = cooks_at_every_stage(area_a, coordinator_a, course)
    staged = {
        cook.pk: cook.stage for cook in with_stage(type(coordinator_a).objects.filter(home_area=area_a, is_cook=True))
    }
    for stage, cook in by_stage.items():
        assert staged[cook.pk] == stage
        blockers = onboarding_eligibility.activation_blockers(cook)
        if stage == Stage.READY:
            assert blockers == []
        elif stage in (
            Stage.NO_PROFILE,
            Stage.EMAIL,
            Stage.IDENTITY_WAITING,
            Stage.IDENTITY_NOT_APPROVED,
            Stage.COURSE,
        ):
            assert blockers != []


def test_cook_list_is_paginated_by_fifty(login_as, coordinator_a, area_a):
    UserFactory.create_batch(51, is_cook=True, home_area=area_a)
    client = login_as(coordinator_a)
    first = html_of(client.get("/en/coordinator/cooks/"))
    assert "51 cooks" in first and "Page 1 of 2" in first and 'href="?page=2"' in first
    assert first.count('<th scope="row"') == 50
    second = html_of(client.get("/en/coordinator/cooks/?page=2"))
    assert second.count('<th scope="row"') == 1 and 'href="?page=1"' in second


# The cook list page, whatever the number of cooks:
#  1. the session
#  2. the signed-in user
#  3. the authenticator this session was verified with (django-otp)
#  4. the areas the user coordinates (User.coordinated_area_ids)
#  5. the paginator's count
#  6. one page of cooks with their areas, profiles and stages (EXISTS subqueries)
#  7. how many cooks are at each stage (one aggregate)
#  8. the area for the "Need help?" block (context processor)
COOK_LIST_QUERIES = 8


@pytest.mark.parametrize("count", [1, 20])
def test_cook_list_query_count_is_the_same_for_one_and_twenty_cooks(
    login_as, coordinator_a, area_a, count, django_assert_num_queries
):
    for n in range(count):
        cook = new_cook(area_a, n)
        if n % 2:
            photo_check(cook)
    client = login_as(coordinator_a)

    with django_assert_num_queries(COOK_LIST_QUERIES):
        response = client.get("/en/coordinator/cooks/")

    assert response.status_code == 200
    assert html_of(response).count('<th scope="row"') == count


def test_cook_list_query_count_with_a_stage_filter(login_as, coordinator_a, area_a, django_assert_num_queries):
    for n in range(20):
        photo_check(new_cook(area_a, n))
    client = login_as(coordinator_a)
    with django_assert_num_queries(COOK_LIST_QUERIES):
        response = client.get("/en/coordinator/cooks/?stage=identity_waiting")
    assert html_of(response).count('<th scope="row"') == 20


# Coordinator home ----------------------------------------------------------------------------------


def test_coordinator_home_links_to_the_queue_with_the_waiting_count(login_as, coordinator_a, cook, second_cook, area_b):
    photo_check(cook)
    photo_check(second_cook)
    photo_check(new_cook(area_b, 1))
    html = html_of(login_as(coordinator_a).get("/en/coordinator/"))
    assert 'href="/en/coordinator/identity/"' in html and "2 photos waiting for a decision" in html
    assert 'href="/en/coordinator/cooks/"' in html


def test_japanese_pages_render(login_as, coordinator_a, cook):
    check = photo_check(cook)
    client = login_as(coordinator_a)
    for path in (
        "/ja/coordinator/identity/",
        "/ja/coordinator/cooks/",
        f"/ja/coordinator/cooks/{cook.pk}/",
        f"/ja/coordinator/cooks/{cook.pk}/identity/{check.pk}/",
        f"/ja/coordinator/cooks/{cook.pk}/identity/in-person/",
        f"/ja/coordinator/cooks/{cook.pk}/location/",
        f"/ja/coordinator/cooks/{cook.pk}/suspend/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert '<html lang="ja"' in html_of(response)
