"""The Stripe Identity route of the identity check: a VerificationSession on Stripe's hosted page,
and the webhook that moves our IdentityCheck when Stripe has decided.

Verify, don't retain: we keep Stripe's session id, the outcome and Stripe's error code, never
anything Stripe read from the document or the selfie.

The webhook is the only thing that approves a Stripe check. It trusts a request only after checking
its signature (and age) with STRIPE_WEBHOOK_SECRET; a bad request writes nothing at all. Every event
id is recorded once (accounts.models.StripeEvent) in the same transaction that applies it, so a
redelivery, even a concurrent one, is a no-op; events older than the last one applied to a check are
ignored, and a decided check never moves again.
"""

import enum
import json
import logging
import re

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.onboarding.eligibility import identity_approved
from accounts.onboarding.models import IdentityCheck, StripeEvent
from accounts.onboarding.services import OnboardingError, open_identity_check, require_profile, tell_cook
from accounts.people.models import User
from casserole import audit

logger = logging.getLogger(__name__)

# A cook waits on this page while we talk to Stripe: give up well before a proxy's timeout would.
STRIPE_TIMEOUT_SECONDS = 20
# One retry on a dropped connection or a 5xx; safe because every create carries an idempotency key.
STRIPE_NETWORK_RETRIES = 1

VERIFIED = "identity.verification_session.verified"
REQUIRES_INPUT = "identity.verification_session.requires_input"
PROCESSING = "identity.verification_session.processing"
CANCELED = "identity.verification_session.canceled"

# What each event does to our check, and the audit action it writes.
_TRANSITIONS = {
    VERIFIED: (IdentityCheck.Status.APPROVED, audit.Action.IDENTITY_STRIPE_VERIFIED),
    REQUIRES_INPUT: (IdentityCheck.Status.NEEDS_INPUT, audit.Action.IDENTITY_STRIPE_NEEDS_INPUT),
    PROCESSING: (IdentityCheck.Status.PENDING, audit.Action.IDENTITY_STRIPE_PROCESSING),
    CANCELED: (IdentityCheck.Status.CANCELLED, audit.Action.IDENTITY_STRIPE_CANCELLED),
}
# The email each new status sends the cook (none while Stripe is still processing).
_EMAILS = {
    IdentityCheck.Status.APPROVED: "identity_approved",
    IdentityCheck.Status.NEEDS_INPUT: "identity_needs_input",
    IdentityCheck.Status.CANCELLED: "identity_cancelled",
}
_TERMINAL = (IdentityCheck.Status.APPROVED, IdentityCheck.Status.REJECTED, IdentityCheck.Status.CANCELLED)

# Stripe's last_error codes, in words a cook can act on. Anything else gets the general message.
_ERROR_MESSAGES = {
    "abandoned": gettext_lazy("The check was not finished. Start it again when you have your document with you."),
    "consent_declined": gettext_lazy(
        "You did not agree to the check. Start it again, or send a photo of your document."
    ),
    "country_not_supported": gettext_lazy(
        "Stripe cannot check documents from that country. Send a photo of your document instead."
    ),
    "device_not_supported": gettext_lazy(
        "Your device could not take the photos. Try again on a phone with a camera, or send a photo of your document."
    ),
    "document_expired": gettext_lazy("Your document has expired. Try again with a document that is still valid."),
    "document_type_not_supported": gettext_lazy(
        "That type of document cannot be checked online. Try a passport or driving licence."
    ),
    "document_unverified_other": gettext_lazy(
        "Stripe could not read your document. Try again in good light, with the whole document in the photo."
    ),
    "selfie_document_missing_photo": gettext_lazy(
        "Your document has no photo of your face. Try again with a document that has one."
    ),
    "selfie_face_mismatch": gettext_lazy(
        "Your selfie did not match the photo on your document. Try again, facing the camera in good light."
    ),
    "selfie_manipulated": gettext_lazy("Your selfie could not be used. Try again with a new selfie."),
    "selfie_unverified_other": gettext_lazy(
        "Your selfie could not be checked. Try again, facing the camera in good light."
    ),
    "under_supported_age": gettext_lazy("Cooks must be adults. If you think this is wrong, contact your coordinator."),
}
_GENERAL_ERROR = gettext_lazy("The online check could not be finished. Try again, or send a photo of your document.")
_CODE_SHAPE = re.compile(r"^[a-z0-9_]{1,100}$")


class InvalidWebhook(Exception):
    """The request is not a genuine, fresh Stripe event (or Stripe is not configured): answer 400."""


class WebhookResult(enum.StrEnum):
    APPLIED = "applied"  # the event changed a check
    DUPLICATE = "duplicate"  # this event id was applied before
    IGNORED = "ignored"  # recorded, but nothing to change (other type, unknown session, stale, decided)


def stripe_enabled() -> bool:
    """Whether the Stripe route is offered: both keys are configured. Without them it is hidden."""
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)


def stripe_error_message(code: str):
    """What to tell a cook whose Stripe check needs input, from Stripe's error code (lazy text)."""
    return _ERROR_MESSAGES.get(code or "", _GENERAL_ERROR)


def _client() -> stripe.StripeClient:
    base_addresses = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses=base_addresses,
        max_network_retries=STRIPE_NETWORK_RETRIES,
        http_client=stripe.RequestsClient(timeout=STRIPE_TIMEOUT_SECONDS),
    )


def _unavailable() -> OnboardingError:
    return OnboardingError(
        _("The online check isn't available just now. Try again later or send a photo of your document instead.")
    )


# Starting a check ----------------------------------------------------------------------------------


def start_stripe_check(*, cook: User, return_url: str, request=None) -> str:
    """Send a cook to Stripe's hosted page: returns its URL. Reuses the cook's open Stripe session when
    Stripe still accepts input on it (Stripe keeps one session per attempt, retries included).
    Our row is committed before Stripe is called, and Stripe is never called inside a transaction."""
    if not stripe_enabled():
        raise OnboardingError(_("The online check is not available. Send a photo of your document instead."))
    if not cook.is_cook:
        raise OnboardingError(_("Only cooks send identity documents."))
    require_profile(cook)
    if identity_approved(cook):
        raise OnboardingError(_("Your identity has already been approved."))

    check = open_identity_check(cook)
    if check is not None:
        url = _resume(check, return_url=return_url, request=request)
        if url is not None:
            return url
    try:
        with transaction.atomic():
            check = IdentityCheck.objects.create(cook=cook, method=IdentityCheck.Method.STRIPE)
            audit.record(
                action=audit.Action.IDENTITY_STRIPE_STARTED, actor=cook, obj=check, area=cook.home_area, request=request
            )
    except IntegrityError as error:
        # Another request (a double click) opened a check at the same moment: carry on with that one.
        check = open_identity_check(cook)
        url = _resume(check, return_url=return_url, request=request) if check is not None else None
        if url is None:
            raise OnboardingError(
                _("You already have an identity check in progress. Wait for it to finish.")
            ) from error
        return url
    return _create_session(check, return_url=return_url, request=request)


def _resume(check: IdentityCheck, *, return_url: str, request) -> str | None:
    """The URL to continue the cook's open check with, or None when it is gone and a new one may start."""
    if check.method != IdentityCheck.Method.STRIPE:
        raise OnboardingError(_("You already have an identity check in progress. Wait for it to finish."))
    if not check.stripe_session_id:
        # Our row exists but its session id was never stored (a crash, or a double click still on its
        # way): the same idempotency key gives back the same session.
        return _create_session(check, return_url=return_url, request=request)
    try:
        session = _client().v1.identity.verification_sessions.retrieve(check.stripe_session_id)
    except stripe.StripeError as error:
        logger.warning(
            "Stripe: could not retrieve the session of identity check %s (%s)", check.pk, type(error).__name__
        )
        raise _unavailable() from error
    if session.status == "requires_input" and session.url:
        return session.url
    if session.status == "canceled":
        # Cancelled at Stripe before its event reached us: close ours so the cook can start again.
        _close_check(check, action=audit.Action.IDENTITY_STRIPE_CANCELLED, request=request)
        return None
    raise OnboardingError(_("We're already checking your document. We'll email you when it's done."))


def _create_session(check: IdentityCheck, *, return_url: str, request) -> str:
    params = {
        "type": "document",
        "options": {"document": {"require_matching_selfie": True}},
        # Ids only: Stripe needs no name or email of ours to check a document.
        "metadata": {"cook_id": str(check.cook_id), "identity_check_id": str(check.pk)},
        "client_reference_id": f"identity-check-{check.pk}",
        "return_url": return_url,
    }
    try:
        session = _client().v1.identity.verification_sessions.create(
            params=params, options={"idempotency_key": f"casserole-identity-check-{check.pk}"}
        )
    except stripe.StripeError as error:
        # Never the message: Stripe's errors can echo what was sent. The type and check id are enough.
        logger.warning("Stripe: could not create a session for identity check %s (%s)", check.pk, type(error).__name__)
        _close_check(check, action=audit.Action.IDENTITY_STRIPE_UNAVAILABLE, request=request, actor=check.cook)
        raise _unavailable() from error
    IdentityCheck.objects.filter(pk=check.pk, stripe_session_id__isnull=True).update(
        stripe_session_id=session.id, updated_at=timezone.now()
    )
    if not session.url:
        raise _unavailable()
    return session.url


def cancel_stripe_check(*, cook: User, request=None) -> IdentityCheck:
    """A cook gives up on the online check (to send a photo instead): the session is cancelled at
    Stripe first, so it cannot approve them later, then our check is closed. Refused once Stripe is
    checking what they sent."""
    check = open_identity_check(cook)
    if check is None or check.method != IdentityCheck.Method.STRIPE:
        raise OnboardingError(_("You have no online check in progress."))
    if check.stripe_session_id:
        try:
            _client().v1.identity.verification_sessions.cancel(check.stripe_session_id)
        except stripe.InvalidRequestError as error:
            # Stripe cancels only while it waits for input: it is checking, or has finished.
            raise OnboardingError(_("We're already checking your document. We'll email you when it's done.")) from error
        except stripe.StripeError as error:
            logger.warning("Stripe: could not cancel identity check %s (%s)", check.pk, type(error).__name__)
            raise _unavailable() from error
    _close_check(check, action=audit.Action.IDENTITY_STRIPE_CANCELLED_BY_COOK, request=request, actor=cook)
    check.refresh_from_db()
    return check


def _close_check(check: IdentityCheck, *, action: audit.Action, request, actor: User | None = None) -> None:
    """Cancel an open Stripe check that can go no further, so the cook may start again."""
    with transaction.atomic():
        check = IdentityCheck.objects.select_for_update().select_related("cook").get(pk=check.pk)
        if not check.is_open:
            return
        check.status = IdentityCheck.Status.CANCELLED
        check.decided_at = timezone.now()
        check.save(update_fields=["status", "decided_at", "updated_at"])
        audit.record(
            action=action,
            actor=actor,
            actor_label="" if actor is not None else "Stripe",
            obj=check,
            area=check.cook.home_area,
            request=request,
        )


# The webhook -------------------------------------------------------------------------------------


def handle_webhook(payload: bytes, signature_header: str) -> WebhookResult:
    """Check a webhook request and apply its event once. Raises InvalidWebhook, having written
    nothing, when the signature is missing, wrong or too old, or the body is not an event."""
    event = _verified_event(payload, signature_header)
    with transaction.atomic():
        try:
            # A savepoint: when a concurrent delivery of the same event inserted first, PostgreSQL makes
            # this wait for it and then fail, and the event is not applied twice.
            with transaction.atomic():
                StripeEvent.objects.create(event_id=event["id"], event_type=event["type"], created=event["created"])
        except IntegrityError:
            logger.info("Stripe event %s (%s) already applied", event["id"], event["type"])
            return WebhookResult.DUPLICATE
        result = _apply(event)
    logger.info("Stripe event %s (%s): %s", event["id"], event["type"], result)
    return result


def _verified_event(payload: bytes, signature_header: str) -> dict:
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise InvalidWebhook("Stripe webhooks are not configured")
    try:
        stripe.WebhookSignature.verify_header(
            payload, signature_header, secret, tolerance=settings.STRIPE_WEBHOOK_TOLERANCE
        )
    except (stripe.SignatureVerificationError, UnicodeDecodeError) as error:
        logger.warning("Stripe webhook refused: %s", type(error).__name__)
        raise InvalidWebhook("bad signature") from error
    try:
        event = json.loads(payload)
    except ValueError as error:
        raise InvalidWebhook("not JSON") from error
    if not (
        isinstance(event, dict)
        and isinstance(event.get("id"), str)
        and 0 < len(event["id"]) <= 255
        and isinstance(event.get("type"), str)
        and 0 < len(event["type"]) <= 100
        and type(event.get("created")) is int
        and 0 <= event["created"] < 2**53
    ):
        raise InvalidWebhook("not an event")
    if event["type"] in _TRANSITIONS:
        data = event.get("data")
        session = data.get("object") if isinstance(data, dict) else None
        if not (isinstance(session, dict) and isinstance(session.get("id"), str) and session["id"]):
            raise InvalidWebhook("no verification session")
    return event


def _find_check(session: dict) -> IdentityCheck | None:
    check = (
        IdentityCheck.objects.select_for_update()
        .select_related("cook")
        .filter(method=IdentityCheck.Method.STRIPE, stripe_session_id=session["id"])
        .first()
    )
    if check is not None:
        return check
    # The event can beat us to storing the session id (Stripe answered, and we had not yet saved it):
    # the metadata we sent names our check and its cook, and the signature vouches for it.
    metadata = session.get("metadata") if isinstance(session.get("metadata"), dict) else {}
    check_id, cook_id = str(metadata.get("identity_check_id", "")), str(metadata.get("cook_id", ""))
    if not (check_id.isdigit() and cook_id.isdigit()):
        return None
    check = (
        IdentityCheck.objects.select_for_update()
        .select_related("cook")
        .filter(
            method=IdentityCheck.Method.STRIPE, pk=int(check_id), cook_id=int(cook_id), stripe_session_id__isnull=True
        )
        .first()
    )
    if check is not None:
        check.stripe_session_id = session["id"]
    return check


def _error_code(session: dict) -> str:
    last_error = session.get("last_error")
    code = last_error.get("code") if isinstance(last_error, dict) else None
    # The code only (never Stripe's free-text reason), and only if it looks like one.
    return code if isinstance(code, str) and _CODE_SHAPE.match(code) else ""


def _apply(event: dict) -> WebhookResult:
    transition = _TRANSITIONS.get(event["type"])
    if transition is None:
        return WebhookResult.IGNORED
    new_status, action = transition
    session = event["data"]["object"]
    check = _find_check(session)
    if check is None:
        logger.info("Stripe event %s names no check of ours", event["id"])
        return WebhookResult.IGNORED
    if check.status in _TERMINAL:
        return WebhookResult.IGNORED  # decided checks never move (a late event, or a coordinator decided)
    if check.stripe_event_created is not None and event["created"] < check.stripe_event_created:
        return WebhookResult.IGNORED  # out of order: a newer event has already been applied

    error_code = _error_code(session) if new_status == IdentityCheck.Status.NEEDS_INPUT else ""
    changed = new_status != check.status or error_code != check.stripe_error_code
    check.status, check.stripe_error_code = new_status, error_code
    check.stripe_event_created = event["created"]
    if new_status in _TERMINAL:
        check.decided_at = timezone.now()
    check.save(
        update_fields=[
            "status",
            "stripe_error_code",
            "stripe_event_created",
            "stripe_session_id",
            "decided_at",
            "updated_at",
        ]
    )
    # A repeated "processing" changes nothing the cook would notice: no audit entry, no email.
    if not changed and new_status != IdentityCheck.Status.NEEDS_INPUT:
        return WebhookResult.IGNORED
    detail = {"stripe_event": event["id"]}
    if error_code:
        detail["error_code"] = error_code
    audit.record(action=action, obj=check, area=check.cook.home_area, actor_label="Stripe", detail=detail)
    if new_status in _EMAILS:
        _tell(check, new_status, error_code)
    return WebhookResult.APPLIED


def _tell(check: IdentityCheck, status: str, error_code: str) -> None:
    # What to do next, for a check that needs input: lazy, so the email renders it in the cook's language.
    reason = stripe_error_message(error_code) if status == IdentityCheck.Status.NEEDS_INPUT else ""
    tell_cook(check.cook, _EMAILS[status], reason=reason)
