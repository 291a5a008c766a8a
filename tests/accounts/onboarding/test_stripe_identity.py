"""The Stripe Identity route: starting a check against a local fake of Stripe's API, and the webhook
with signed events (forged, stale, repeated, concurrent and out-of-order deliveries change nothing
they should not)."""

import json
import re
import socket
import threading
import time
import urllib.error
import urllib.request

import pytest
import stripe
from django.db import connection, connections
from django.test import Client

from accounts.onboarding import stripe_identity
from accounts.onboarding.models import IdentityCheck, StripeEvent
from accounts.onboarding.services import OnboardingError, open_identity_check
from accounts.onboarding.stripe_identity import InvalidWebhook, WebhookResult, handle_webhook, start_stripe_check
from casserole.models import AuditEntry, OutboundEmail
from tests import stripe_fake as fake
from tests.onboarding import approve_identity, cover_e8, make_profile, photo_check
from tests.stripe_fake import WEBHOOK_SECRET, post_event, signed_event

pytestmark = pytest.mark.django_db

# The fake's fixtures, for this module (tests/conftest.py may offer them to every test instead).
stripe_fake = fake.stripe_fake
stripe_off = fake.stripe_off

RETURN_URL = "http://testserver/en/account/cook/identity/stripe/return/"
VERIFIED = "identity.verification_session.verified"
REQUIRES_INPUT = "identity.verification_session.requires_input"
PROCESSING = "identity.verification_session.processing"
CANCELED = "identity.verification_session.canceled"


@pytest.fixture
def profiled_cook(cook, area_a):
    cover_e8(area_a)
    make_profile(cook)
    return cook


@pytest.fixture
def stripe_check(stripe_fake, profiled_cook):
    """A cook who has started the online check: our row and Stripe's session, nothing decided."""
    start_stripe_check(cook=profiled_cook, return_url=RETURN_URL)
    return IdentityCheck.objects.get(cook=profiled_cook, method=IdentityCheck.Method.STRIPE)


def writes() -> dict:
    """Everything a webhook could write, to show a refused request wrote nothing."""
    return {
        "events": StripeEvent.objects.count(),
        "checks": list(
            IdentityCheck.objects.order_by("pk").values_list("pk", "status", "stripe_session_id", "updated_at")
        ),
        "audit": AuditEntry.objects.count(),
        "emails": OutboundEmail.objects.count(),
    }


def send(payload: bytes, header: str | None, client: Client | None = None):
    return post_event(client or Client(), payload, header)


# Starting a check


def test_stripe_is_enabled_only_with_both_keys(settings):
    settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET = "sk_test_x", "whsec_x"
    assert stripe_identity.stripe_enabled()
    settings.STRIPE_WEBHOOK_SECRET = ""
    assert not stripe_identity.stripe_enabled()
    settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET = "", "whsec_x"
    assert not stripe_identity.stripe_enabled()


def test_start_creates_one_check_and_a_selfie_session_naming_the_cook(stripe_fake, profiled_cook):
    url = start_stripe_check(cook=profiled_cook, return_url=RETURN_URL)

    check = IdentityCheck.objects.get(cook=profiled_cook)
    assert (check.method, check.status) == (IdentityCheck.Method.STRIPE, IdentityCheck.Status.PENDING)
    session = stripe_fake.sessions[check.stripe_session_id]
    assert url == session["url"] == f"{stripe_fake.base_url}/hosted/{check.stripe_session_id}"
    [create] = stripe_fake.creates
    assert create.authorization == "Bearer sk_test_casserole_fake_0123456789"
    assert create.idempotency_key == f"casserole-identity-check-{check.pk}"
    assert create.params == {
        "type": "document",
        "options[document][require_matching_selfie]": "true",
        "metadata[cook_id]": str(profiled_cook.pk),
        "metadata[identity_check_id]": str(check.pk),
        "client_reference_id": f"identity-check-{check.pk}",
        "return_url": RETURN_URL,
    }
    # Ids only: no name, email, address or phone goes to Stripe.
    sent = json.dumps(create.params)
    for personal in (profiled_cook.full_name, profiled_cook.email, profiled_cook.phone, "Mare Street"):
        assert personal not in sent
    entry = AuditEntry.objects.get(action="identity_stripe_started")
    assert (entry.actor, entry.object_id, entry.area) == (profiled_cook, str(check.pk), profiled_cook.home_area)


def test_starting_twice_reuses_the_open_session(stripe_fake, stripe_check):
    again = start_stripe_check(cook=stripe_check.cook, return_url=RETURN_URL)

    assert again == stripe_fake.sessions[stripe_check.stripe_session_id]["url"]
    assert IdentityCheck.objects.filter(cook=stripe_check.cook).count() == 1
    assert len(stripe_fake.creates) == 1
    assert [r.method for r in stripe_fake.requests] == ["POST", "GET"]


def test_a_check_that_needs_input_goes_back_to_the_same_session(stripe_fake, stripe_check):
    stripe_fake.set_status(stripe_check.stripe_session_id, "requires_input", last_error_code="document_expired")
    assert send(*signed_event(REQUIRES_INPUT, stripe_check.stripe_session_id)).status_code == 200

    url = start_stripe_check(cook=stripe_check.cook, return_url=RETURN_URL)

    assert url == f"{stripe_fake.base_url}/hosted/{stripe_check.stripe_session_id}"
    assert IdentityCheck.objects.filter(cook=stripe_check.cook).count() == 1


def test_starting_while_stripe_is_processing_is_refused(stripe_fake, stripe_check):
    stripe_fake.set_status(stripe_check.stripe_session_id, "processing")

    with pytest.raises(OnboardingError, match="already checking"):
        start_stripe_check(cook=stripe_check.cook, return_url=RETURN_URL)
    assert len(stripe_fake.creates) == 1


def test_a_session_cancelled_at_stripe_lets_the_cook_start_again(stripe_fake, stripe_check):
    stripe_fake.set_status(stripe_check.stripe_session_id, "canceled")

    url = start_stripe_check(cook=stripe_check.cook, return_url=RETURN_URL)

    stripe_check.refresh_from_db()
    assert stripe_check.status == IdentityCheck.Status.CANCELLED
    new = open_identity_check(stripe_check.cook)
    assert new.pk != stripe_check.pk and new.stripe_session_id != stripe_check.stripe_session_id
    assert url == stripe_fake.sessions[new.stripe_session_id]["url"]
    assert stripe_fake.creates[-1].idempotency_key == f"casserole-identity-check-{new.pk}"


def test_a_session_id_lost_in_a_crash_is_found_again_by_the_idempotency_key(stripe_fake, stripe_check):
    session_id = stripe_check.stripe_session_id
    IdentityCheck.objects.filter(pk=stripe_check.pk).update(stripe_session_id=None)

    url = start_stripe_check(cook=stripe_check.cook, return_url=RETURN_URL)

    stripe_check.refresh_from_db()
    assert stripe_check.stripe_session_id == session_id
    assert url == stripe_fake.sessions[session_id]["url"]
    assert len(stripe_fake.sessions) == 1
    assert {r.idempotency_key for r in stripe_fake.creates} == {f"casserole-identity-check-{stripe_check.pk}"}


def test_the_route_is_refused_without_keys(stripe_off, profiled_cook):
    assert not stripe_identity.stripe_enabled()
    with pytest.raises(OnboardingError, match="not available"):
        start_stripe_check(cook=profiled_cook, return_url=RETURN_URL)
    assert not IdentityCheck.objects.exists()


def test_starting_needs_a_profile(stripe_fake, cook):
    with pytest.raises(OnboardingError, match="profile"):
        start_stripe_check(cook=cook, return_url=RETURN_URL)
    assert not IdentityCheck.objects.exists()
    assert stripe_fake.requests == []


def test_an_approved_cook_cannot_start_another_check(stripe_fake, profiled_cook, coordinator_a):
    approve_identity(profiled_cook, by=coordinator_a)
    with pytest.raises(OnboardingError, match="already been approved"):
        start_stripe_check(cook=profiled_cook, return_url=RETURN_URL)
    assert stripe_fake.requests == []


def test_an_open_photo_check_blocks_the_online_check(stripe_fake, profiled_cook):
    photo = photo_check(profiled_cook)
    with pytest.raises(OnboardingError, match="in progress"):
        start_stripe_check(cook=profiled_cook, return_url=RETURN_URL)
    assert list(IdentityCheck.objects.values_list("pk", flat=True)) == [photo.pk]
    assert stripe_fake.requests == []


def test_only_cooks_start_a_check(stripe_fake, referrer):
    with pytest.raises(OnboardingError):
        start_stripe_check(cook=referrer, return_url=RETURN_URL)
    assert stripe_fake.requests == []


def test_stripe_down_gives_a_clear_message_and_leaves_no_open_check(stripe_fake, profiled_cook, caplog):
    stripe_fake.fail_with = 500

    with pytest.raises(OnboardingError) as refused:
        start_stripe_check(cook=profiled_cook, return_url=RETURN_URL)

    assert str(refused.value) == (
        "The online check isn't available just now. Try again later or send a photo of your document instead."
    )
    assert open_identity_check(profiled_cook) is None
    [failed] = IdentityCheck.objects.filter(cook=profiled_cook)
    assert failed.status == IdentityCheck.Status.CANCELLED and failed.stripe_session_id is None
    assert AuditEntry.objects.filter(action="identity_stripe_unavailable", actor=profiled_cook).count() == 1
    # The log names the check and the kind of error, and nothing about the cook.
    assert f"identity check {failed.pk}" in caplog.text
    assert profiled_cook.email not in caplog.text and profiled_cook.full_name not in caplog.text

    # When Stripe is back, the cook can try again at once (a new check, a new idempotency key).
    stripe_fake.fail_with = None
    url = start_stripe_check(cook=profiled_cook, return_url=RETURN_URL)
    retry = open_identity_check(profiled_cook)
    assert url == stripe_fake.sessions[retry.stripe_session_id]["url"]
    assert stripe_fake.creates[-1].idempotency_key == f"casserole-identity-check-{retry.pk}"


def test_stripe_unreachable_gives_the_same_clear_message(stripe_fake, profiled_cook, settings):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        settings.STRIPE_API_BASE = f"http://127.0.0.1:{probe.getsockname()[1]}"

    with pytest.raises(OnboardingError, match="isn't available just now"):
        start_stripe_check(cook=profiled_cook, return_url=RETURN_URL)
    assert open_identity_check(profiled_cook) is None


def test_stripe_down_while_resuming_keeps_the_check(stripe_fake, stripe_check):
    stripe_fake.fail_with = 503
    with pytest.raises(OnboardingError, match="isn't available just now"):
        start_stripe_check(cook=stripe_check.cook, return_url=RETURN_URL)
    # The session is real at Stripe: the check stays open for the webhook.
    stripe_check.refresh_from_db()
    assert stripe_check.status == IdentityCheck.Status.PENDING


def test_a_cook_can_give_up_the_online_check_and_send_a_photo(stripe_fake, stripe_check):
    cancelled = stripe_identity.cancel_stripe_check(cook=stripe_check.cook)

    assert cancelled.status == IdentityCheck.Status.CANCELLED
    assert stripe_fake.sessions[stripe_check.stripe_session_id]["status"] == "canceled"
    assert AuditEntry.objects.filter(action="identity_stripe_cancelled_by_cook", actor=stripe_check.cook).count() == 1
    photo = photo_check(stripe_check.cook)
    assert open_identity_check(stripe_check.cook) == photo
    # Stripe's own "canceled" event arrives later and changes nothing, and sends no email.
    assert send(*signed_event(CANCELED, stripe_check.stripe_session_id)).status_code == 200
    assert OutboundEmail.objects.filter(to=stripe_check.cook.email).count() == 0


def test_giving_up_is_refused_while_stripe_is_checking(stripe_fake, stripe_check):
    stripe_fake.set_status(stripe_check.stripe_session_id, "processing")

    with pytest.raises(OnboardingError, match="already checking"):
        stripe_identity.cancel_stripe_check(cook=stripe_check.cook)
    stripe_check.refresh_from_db()
    assert stripe_check.status == IdentityCheck.Status.PENDING


def test_giving_up_with_stripe_down_keeps_the_check(stripe_fake, stripe_check):
    stripe_fake.fail_with = 500

    with pytest.raises(OnboardingError, match="isn't available just now"):
        stripe_identity.cancel_stripe_check(cook=stripe_check.cook)
    stripe_check.refresh_from_db()
    assert stripe_check.status == IdentityCheck.Status.PENDING


def test_giving_up_needs_an_online_check(stripe_fake, profiled_cook):
    with pytest.raises(OnboardingError, match="no online check"):
        stripe_identity.cancel_stripe_check(cook=profiled_cook)
    photo_check(profiled_cook)
    with pytest.raises(OnboardingError, match="no online check"):
        stripe_identity.cancel_stripe_check(cook=profiled_cook)


# The webhook: each event moves the check


def test_verified_approves_the_check_and_tells_the_cook(stripe_check):
    response = send(*signed_event(VERIFIED, stripe_check.stripe_session_id))

    assert response.status_code == 200
    stripe_check.refresh_from_db()
    assert stripe_check.status == IdentityCheck.Status.APPROVED
    assert stripe_check.decided_at is not None and stripe_check.decided_by is None
    entry = AuditEntry.objects.get(action="identity_stripe_verified")
    assert (entry.actor, entry.actor_label, entry.object_id) == (None, "Stripe", str(stripe_check.pk))
    [email] = OutboundEmail.objects.all()
    assert email.to == stripe_check.cook.email
    assert "approved" in email.body


def test_requires_input_keeps_only_stripes_error_code(stripe_check):
    payload, header = signed_event(
        REQUIRES_INPUT, stripe_check.stripe_session_id, last_error_code="selfie_face_mismatch"
    )

    assert send(payload, header).status_code == 200

    stripe_check.refresh_from_db()
    assert stripe_check.status == IdentityCheck.Status.NEEDS_INPUT
    assert stripe_check.stripe_error_code == "selfie_face_mismatch"
    assert stripe_check.reason == ""  # never Stripe's free text
    entry = AuditEntry.objects.get(action="identity_stripe_needs_input")
    assert entry.detail["error_code"] == "selfie_face_mismatch"
    [email] = OutboundEmail.objects.all()
    assert email.to == stripe_check.cook.email
    assert str(stripe_identity.stripe_error_message("selfie_face_mismatch")).startswith("Your selfie")


def test_an_odd_error_code_is_not_stored(stripe_check):
    payload, header = signed_event(REQUIRES_INPUT, stripe_check.stripe_session_id, last_error_code="<b>Jane Doe</b>")
    assert send(payload, header).status_code == 200
    stripe_check.refresh_from_db()
    assert (stripe_check.status, stripe_check.stripe_error_code) == (IdentityCheck.Status.NEEDS_INPUT, "")


def test_processing_after_needs_input_is_waiting_again(stripe_check):
    now = int(time.time())
    send(*signed_event(REQUIRES_INPUT, stripe_check.stripe_session_id, created=now - 60, last_error_code="abandoned"))

    assert send(*signed_event(PROCESSING, stripe_check.stripe_session_id, created=now)).status_code == 200

    stripe_check.refresh_from_db()
    assert (stripe_check.status, stripe_check.stripe_error_code) == (IdentityCheck.Status.PENDING, "")
    assert stripe_check.stripe_event_created == now
    assert AuditEntry.objects.filter(action="identity_stripe_processing").count() == 1
    assert OutboundEmail.objects.count() == 1  # only the "needs input" email; processing sends none


def test_canceled_cancels_the_check_and_tells_the_cook(stripe_check):
    assert send(*signed_event(CANCELED, stripe_check.stripe_session_id)).status_code == 200

    stripe_check.refresh_from_db()
    assert stripe_check.status == IdentityCheck.Status.CANCELLED
    assert open_identity_check(stripe_check.cook) is None
    assert AuditEntry.objects.filter(action="identity_stripe_cancelled", actor_label="Stripe").count() == 1
    assert OutboundEmail.objects.filter(to=stripe_check.cook.email).count() == 1


def test_other_event_types_are_recorded_and_ignored(stripe_check):
    payload, header = signed_event("identity.verification_session.created", stripe_check.stripe_session_id)
    before = writes()

    assert send(payload, header).status_code == 200

    assert StripeEvent.objects.get().event_type == "identity.verification_session.created"
    assert {**writes(), "events": 0} == {**before, "events": 0}


def test_an_unknown_session_is_recorded_and_changes_nothing(stripe_check):
    before = writes()

    assert send(*signed_event(VERIFIED, "vs_someone_elses")).status_code == 200

    assert StripeEvent.objects.count() == 1
    assert {**writes(), "events": 0} == {**before, "events": 0}


def test_an_event_that_beats_the_stored_session_id_finds_the_check_by_its_metadata(stripe_check):
    session_id = stripe_check.stripe_session_id
    IdentityCheck.objects.filter(pk=stripe_check.pk).update(stripe_session_id=None)
    metadata = {"cook_id": str(stripe_check.cook_id), "identity_check_id": str(stripe_check.pk)}

    assert send(*signed_event(VERIFIED, session_id, metadata=metadata)).status_code == 200

    stripe_check.refresh_from_db()
    assert (stripe_check.status, stripe_check.stripe_session_id) == (IdentityCheck.Status.APPROVED, session_id)


def test_metadata_naming_another_cook_is_ignored(stripe_check, second_cook):
    IdentityCheck.objects.filter(pk=stripe_check.pk).update(stripe_session_id=None)
    metadata = {"cook_id": str(second_cook.pk), "identity_check_id": str(stripe_check.pk)}

    assert send(*signed_event(VERIFIED, "vs_other", metadata=metadata)).status_code == 200

    stripe_check.refresh_from_db()
    assert (stripe_check.status, stripe_check.stripe_session_id) == (IdentityCheck.Status.PENDING, None)


def test_a_photo_check_is_never_moved_by_stripe(stripe_fake, profiled_cook):
    photo = photo_check(profiled_cook)
    IdentityCheck.objects.filter(pk=photo.pk).update(stripe_session_id="vs_forged_onto_a_photo_check")

    assert send(*signed_event(VERIFIED, "vs_forged_onto_a_photo_check")).status_code == 200

    photo.refresh_from_db()
    assert photo.status == IdentityCheck.Status.PENDING


# Forged, stale and malformed requests: 400 and nothing written


def _tampered(session_id):
    payload, header = signed_event(PROCESSING, session_id)
    return payload.replace(b"processing", b"verified"), header


def _wrong_secret(session_id):
    return signed_event(VERIFIED, session_id, secret="whsec_not_ours")


def _stale(session_id):
    # Signed correctly, but 301 seconds ago: a replay.
    return signed_event(VERIFIED, session_id, timestamp=int(time.time()) - 301)


def _unsigned(session_id):
    return signed_event(VERIFIED, session_id)[0], None


def _empty_signature(session_id):
    return signed_event(VERIFIED, session_id)[0], ""


def _garbled_header(session_id):
    return signed_event(VERIFIED, session_id)[0], "t=soon,v1=nothing"


def _signed(body: bytes):
    timestamp = int(time.time())
    return body, stripe.WebhookSignature.generate_signature_header(body.decode(), WEBHOOK_SECRET, timestamp)


def _malformed_json(session_id):
    return _signed(b'{"id": "evt_1", "type": "identity.verification_session.verified", ')


def _not_an_event(session_id):
    return _signed(b'["identity.verification_session.verified"]')


def _event_without_a_session(session_id):
    body = json.dumps({"id": "evt_2", "type": VERIFIED, "created": int(time.time()), "data": {}}).encode()
    return _signed(body)


def _created_is_not_a_number(session_id):
    payload, _ = signed_event(VERIFIED, session_id)
    event = json.loads(payload)
    event["created"] = "yesterday"
    return _signed(json.dumps(event).encode())


def _not_utf8(session_id):
    body = b"\xff\xfe{}"
    header = stripe.WebhookSignature.generate_signature_header(body.decode("latin-1"), WEBHOOK_SECRET)
    return body, header


@pytest.mark.parametrize(
    "forge",
    [
        _tampered,
        _wrong_secret,
        _stale,
        _unsigned,
        _empty_signature,
        _garbled_header,
        _malformed_json,
        _not_an_event,
        _event_without_a_session,
        _created_is_not_a_number,
        _not_utf8,
    ],
)
def test_a_bad_request_is_refused_and_writes_nothing(stripe_check, forge, caplog):
    payload, header = forge(stripe_check.stripe_session_id)
    before = writes()

    response = send(payload, header)

    assert response.status_code == 400
    assert writes() == before
    assert b"verification_session" not in caplog.text.encode()  # the body is never logged


def test_a_signature_just_inside_the_tolerance_is_accepted(stripe_check):
    payload, header = signed_event(VERIFIED, stripe_check.stripe_session_id, timestamp=int(time.time()) - 280)
    assert send(payload, header).status_code == 200


def test_the_webhook_is_refused_when_stripe_is_not_configured(stripe_check, settings):
    payload, header = signed_event(VERIFIED, stripe_check.stripe_session_id)
    settings.STRIPE_SECRET_KEY = settings.STRIPE_WEBHOOK_SECRET = ""
    before = writes()

    assert send(payload, header).status_code == 400
    assert writes() == before
    with pytest.raises(InvalidWebhook):
        handle_webhook(payload, header)


def test_get_is_not_allowed(stripe_fake):
    assert Client().get("/stripe/webhook/").status_code == 405


def test_the_webhook_needs_no_csrf_token(stripe_check):
    client = Client(enforce_csrf_checks=True)

    response = send(*signed_event(VERIFIED, stripe_check.stripe_session_id), client=client)

    assert response.status_code == 200
    stripe_check.refresh_from_db()
    assert stripe_check.status == IdentityCheck.Status.APPROVED


# Repeated and out-of-order deliveries


def test_the_same_event_three_times_is_applied_once(stripe_check):
    payload, header = signed_event(VERIFIED, stripe_check.stripe_session_id, event_id="evt_once")

    statuses = [send(payload, header).status_code for _ in range(3)]

    assert statuses == [200, 200, 200]
    assert StripeEvent.objects.filter(event_id="evt_once").count() == 1
    assert AuditEntry.objects.filter(action="identity_stripe_verified").count() == 1
    assert OutboundEmail.objects.count() == 1
    assert handle_webhook(payload, header) == WebhookResult.DUPLICATE


def test_older_events_after_verified_leave_it_approved(stripe_check):
    now = int(time.time())
    send(*signed_event(VERIFIED, stripe_check.stripe_session_id, created=now))

    late = [
        signed_event(PROCESSING, stripe_check.stripe_session_id, created=now - 30),
        signed_event(REQUIRES_INPUT, stripe_check.stripe_session_id, created=now - 20, last_error_code="abandoned"),
    ]
    assert [send(*event).status_code for event in late] == [200, 200]

    stripe_check.refresh_from_db()
    assert (stripe_check.status, stripe_check.stripe_error_code) == (IdentityCheck.Status.APPROVED, "")
    assert OutboundEmail.objects.count() == 1
    assert StripeEvent.objects.count() == 3  # recorded, so a redelivery is a duplicate too


def test_an_older_processing_does_not_undo_needs_input(stripe_check):
    now = int(time.time())
    send(*signed_event(REQUIRES_INPUT, stripe_check.stripe_session_id, created=now, last_error_code="document_expired"))

    assert send(*signed_event(PROCESSING, stripe_check.stripe_session_id, created=now - 5)).status_code == 200

    stripe_check.refresh_from_db()
    assert (stripe_check.status, stripe_check.stripe_error_code) == (
        IdentityCheck.Status.NEEDS_INPUT,
        "document_expired",
    )


def test_a_decided_check_never_moves_even_for_newer_events(stripe_check):
    now = int(time.time())
    send(*signed_event(VERIFIED, stripe_check.stripe_session_id, created=now - 10))

    for event_type in (CANCELED, REQUIRES_INPUT, PROCESSING):
        assert send(*signed_event(event_type, stripe_check.stripe_session_id, created=now)).status_code == 200

    stripe_check.refresh_from_db()
    assert stripe_check.status == IdentityCheck.Status.APPROVED


def test_a_cancelled_check_is_not_approved_by_a_late_verified(stripe_check):
    now = int(time.time())
    send(*signed_event(CANCELED, stripe_check.stripe_session_id, created=now))

    send(*signed_event(VERIFIED, stripe_check.stripe_session_id, created=now + 1))

    stripe_check.refresh_from_db()
    assert stripe_check.status == IdentityCheck.Status.CANCELLED


# Verify, don't retain


def test_nothing_stripe_read_from_the_document_is_stored(stripe_fake, stripe_check):
    session = stripe_fake.set_status(stripe_check.stripe_session_id, "verified")
    session["verified_outputs"] = {
        "first_name": "Jenny",
        "last_name": "Rosen",
        "dob": {"day": 1, "month": 1, "year": 1901},
        "id_number": "AB123456C",
        "address": {"line1": "1234 Main Street", "postal_code": "94111"},
    }
    session["last_verification_report"] = "vr_fake_report"
    payload, header = signed_event(VERIFIED, session["id"], session=session)

    assert send(payload, header).status_code == 200

    stripe_check.refresh_from_db()
    assert stripe_check.status == IdentityCheck.Status.APPROVED
    stored = json.dumps(
        [
            list(IdentityCheck.objects.values()),
            list(StripeEvent.objects.values("event_id", "event_type", "created")),
            list(AuditEntry.objects.values("action", "actor_label", "object_label", "detail")),
            list(OutboundEmail.objects.values("subject", "body")),
        ],
        default=str,
    )
    for secret in ("Jenny", "Rosen", "AB123456C", "Main Street", "94111", "vr_fake_report"):
        assert secret not in stored
    # The year of birth on its own, not inside a longer number (a timestamp's microseconds, say).
    assert not re.search(r"(?<![0-9a-f])1901(?![0-9a-f])", stored)
    assert stripe_check.document_type == "" and stripe_check.image_name == ""


# Concurrency (PostgreSQL only: SQLite serialises writers and would hide the race)


def at_once(function, count: int = 3) -> list:
    """Call `function` in `count` threads released together; return what each returned or raised."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(n):
        try:
            barrier.wait()
            results[n] = function()
        except Exception as error:
            results[n] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def postgres_only(test):
    """Each thread has its own connection, so the rows it needs must be committed: a transactional test."""
    test = pytest.mark.django_db(transaction=True)(test)
    test = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")(test)
    return pytest.mark.postgres(test)


@postgres_only
def test_the_same_event_delivered_concurrently_is_applied_once(stripe_check):
    payload, header = signed_event(VERIFIED, stripe_check.stripe_session_id, event_id="evt_concurrent")

    results = at_once(lambda: send(payload, header).status_code)

    assert results == [200, 200, 200]
    assert StripeEvent.objects.filter(event_id="evt_concurrent").count() == 1
    assert AuditEntry.objects.filter(action="identity_stripe_verified").count() == 1
    assert OutboundEmail.objects.count() == 1
    stripe_check.refresh_from_db()
    assert stripe_check.status == IdentityCheck.Status.APPROVED


@postgres_only
def test_different_events_for_one_check_at_once_leave_it_decided(stripe_check):
    now = int(time.time())
    events = iter(
        [
            signed_event(VERIFIED, stripe_check.stripe_session_id, created=now),
            signed_event(PROCESSING, stripe_check.stripe_session_id, created=now - 20),
            signed_event(REQUIRES_INPUT, stripe_check.stripe_session_id, created=now - 10, last_error_code="abandoned"),
        ]
    )
    lock = threading.Lock()

    def deliver():
        with lock:
            payload, header = next(events)
        return send(payload, header).status_code

    results = at_once(deliver)

    assert results == [200, 200, 200]
    stripe_check.refresh_from_db()
    assert stripe_check.status == IdentityCheck.Status.APPROVED
    assert StripeEvent.objects.count() == 3


@postgres_only
def test_a_double_click_on_start_opens_one_check_and_one_session(stripe_fake, profiled_cook):
    results = at_once(lambda: start_stripe_check(cook=profiled_cook, return_url=RETURN_URL))

    assert all(isinstance(result, str) for result in results), results
    assert len(set(results)) == 1
    assert IdentityCheck.objects.filter(cook=profiled_cook).count() == 1
    assert len(stripe_fake.sessions) == 1


# The fake's hosted page, as the browser journey uses it


@pytest.mark.django_db(transaction=True)
def test_the_fake_hosted_page_finishes_the_check_through_the_webhook(live_server, stripe_fake, profiled_cook):
    stripe_fake.webhook_url = live_server.url + "/stripe/webhook/"
    url = start_stripe_check(cook=profiled_cook, return_url=RETURN_URL)

    with urllib.request.urlopen(url, timeout=10) as response:
        page = response.read().decode()
    assert '<html lang="en">' in page and f'href="{RETURN_URL}"' in page and 'value="verified"' in page

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.build_opener(NoRedirect).open(url, data=b"outcome=verified", timeout=30)
    assert (answer.value.code, answer.value.headers["Location"]) == (303, RETURN_URL)
    check = IdentityCheck.objects.get(cook=profiled_cook)
    assert check.status == IdentityCheck.Status.APPROVED
