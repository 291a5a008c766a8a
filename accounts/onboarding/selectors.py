"""Reads for the cook's own onboarding pages. `cook_status` builds the whole checklist in a fixed
number of queries, however many identity checks, lessons or attempts the cook has.

Whether a step is done comes from accounts.onboarding.eligibility.activation_blockers wherever the gate
decides it (email, profile, identity, certificate): the checklist never re-derives the rule."""

from accounts.onboarding.eligibility import Blocker, activation_blockers
from accounts.onboarding.models import CookMove, CookProfile, IdentityCheck
from accounts.onboarding.stripe_identity import stripe_error_message
from accounts.people.models import User
from training.selectors import course_overview, current_course, latest_certificate

# How many of a cook's checks the page looks at: the newest decides the state, and a cook has at
# most one open check at a time, so the newest few are plenty.
RECENT_CHECKS = 10


def stripe_problem(code: str) -> str:
    """What to tell a cook whose online check needs something from them (accounts.onboarding.stripe_identity
    words Stripe's error codes, for the emails too)."""
    return str(stripe_error_message(code))


def identity_state(
    checks: list[IdentityCheck], *, approved: bool, has_profile: bool
) -> tuple[str, IdentityCheck | None]:
    """Where the cook is with proving who they are, and the check that says so (newest first):
    approved, photo_waiting, stripe_checking, stripe_needs_input, rejected, cancelled, not_started,
    or cannot_start (no profile yet: a coordinator compares the document with it)."""
    if approved:
        return "approved", next((c for c in checks if c.status == IdentityCheck.Status.APPROVED), None)
    open_check = next((c for c in checks if c.is_open), None)
    if open_check is not None:
        if open_check.method == IdentityCheck.Method.STRIPE:
            needs_input = open_check.status == IdentityCheck.Status.NEEDS_INPUT
            return ("stripe_needs_input" if needs_input else "stripe_checking"), open_check
        return "photo_waiting", open_check
    latest = checks[0] if checks else None
    if latest is not None and latest.status == IdentityCheck.Status.REJECTED:
        return "rejected", latest
    if not has_profile:
        return "cannot_start", None
    if latest is not None and latest.status == IdentityCheck.Status.CANCELLED:
        return "cancelled", latest
    return "not_started", None


def cook_profile(cook: User) -> CookProfile | None:
    """The cook's own profile, or None before they have filled it in."""
    return CookProfile.objects.filter(user=cook).first()


def waiting_move(profile: CookProfile | None) -> CookMove | None:
    """The new address an active cook saved that waits for a coordinator (save_cook_profile), if any."""
    if profile is None or profile.pk is None:
        return None
    return profile.moves.filter(outcome=CookMove.Outcome.WAITING).first()


def has_profile(cook: User) -> bool:
    return CookProfile.objects.filter(user=cook).exists()


def latest_stripe_check(cook: User) -> IdentityCheck | None:
    """The cook's newest online (Stripe) check: the one Stripe has just sent them back from."""
    return (
        IdentityCheck.objects.filter(cook=cook, method=IdentityCheck.Method.STRIPE)
        .order_by("-created_at", "-pk")
        .first()
    )


def recent_identity_checks(cook: User) -> list[IdentityCheck]:
    return list(IdentityCheck.objects.filter(cook=cook).order_by("-created_at", "-pk")[:RECENT_CHECKS])


def _course_step(cook: User, *, certified: bool) -> dict:
    course = current_course()
    if course is None:
        certificate = latest_certificate(cook)
        lessons_done = lesson_count = 0
        last_attempt = None
    else:
        overview = course_overview(user=cook, course=course)
        certificate = overview["certificate"]
        lessons_done, lesson_count = overview["lessons_done"], len(overview["lessons"])
        last_attempt = overview["last_attempt"]
    if certified:
        state = "passed"
    elif certificate is not None:
        state = "expired"
    elif lesson_count and lessons_done == lesson_count:
        state = "quiz_failed" if last_attempt is not None and not last_attempt.passed else "quiz"
    elif lessons_done:
        state = "in_progress"
    else:
        state = "not_started"
    return {
        "state": state,
        "certificate": certificate,
        "lessons_done": lessons_done,
        "lesson_count": lesson_count,
    }


def cook_status(cook: User) -> dict:
    """Everything the cook's checklist shows: five steps, each with its state, and how many are left.

    Queries: the gate's four (verified email, profile exists, identity approved, valid certificate),
    the profile, the recent identity checks, the current course, and the course overview's three
    (lessons with progress, attempts, latest certificate) — 10, or 8 with no current course."""
    blockers = activation_blockers(cook)
    profile = cook_profile(cook)
    checks = recent_identity_checks(cook)
    identity, check = identity_state(checks, approved=Blocker.IDENTITY not in blockers, has_profile=profile is not None)
    course = _course_step(cook, certified=Blocker.CERTIFICATE not in blockers)

    if profile is None:
        approval = "cannot_start"
    elif profile.status == CookProfile.Status.ACTIVE:
        approval = "active"
    elif profile.status == CookProfile.Status.SUSPENDED:
        approval = "suspended"
    else:
        approval = "cannot_start" if blockers else "waiting"

    done = {
        "email": Blocker.EMAIL not in blockers,
        "profile": profile is not None,
        "identity": identity == "approved",
        "course": course["state"] == "passed",
        "approval": approval == "active",
    }
    return {
        "blockers": blockers,
        "email_done": done["email"],
        "profile": profile,
        # No club covers the postcode yet: the profile is saved and no coordinator looks after them.
        "outside_areas": profile is not None and Blocker.AREA in blockers,
        "identity": identity,
        "identity_check": check,
        "stripe_problem": stripe_problem(check.stripe_error_code) if identity == "stripe_needs_input" else "",
        "course": course,
        "approval": approval,
        "steps_left": sum(1 for finished in done.values() if not finished),
    }
