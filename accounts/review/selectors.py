"""Reads for the coordinator's cook pages: the identity queue, the cook list and a cook's page.

Each page is built in a fixed number of queries, whatever the number of cooks or checks (the tests
count them). The activation gate itself is `accounts.onboarding.eligibility.activation_blockers`; the cook list
builds its stages on the gate's SQL form there (`with_gate`, `BLOCKED_WHERE`), so a page of 50 cooks needs
no query per row (tests/accounts/review/test_review_pages.py compares the stages with the gate).
"""

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, Max, OuterRef, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.onboarding.eligibility import BLOCKED_WHERE, Blocker, with_gate
from accounts.onboarding.models import CookProfile, IdentityCheck
from accounts.onboarding.selectors import waiting_move
from accounts.people.models import Area, User
from accounts.review.access import cooks_for_coordinator
from casserole import audit
from casserole.geocoding import KM_PER_MILE
from casserole.models import AuditEntry
from training.models import Certificate, Lesson
from training.selectors import certificate_state, current_course

COOK_LIST_PAGE_SIZE = 50
OVERVIEW_PAGE_SIZE = 50
RECENT_AUDIT_ENTRIES = 20


class Stage:
    """Where a cook is in onboarding, as the cook list shows it: the next thing someone must do."""

    EMAIL = "email"
    NO_PROFILE = "no_profile"
    NEEDS_PLACING = "needs_placing"
    IDENTITY_WAITING = "identity_waiting"
    IDENTITY_NOT_APPROVED = "identity_not_approved"
    COURSE = "course"
    READY = "ready"
    ACTIVE = "active"
    SUSPENDED = "suspended"

    # In the order a cook meets them; the filter offers them in this order.
    choices = [
        (NO_PROFILE, _("No profile yet")),
        (EMAIL, _("Email address not confirmed")),
        (NEEDS_PLACING, _("Needs placing")),
        (IDENTITY_WAITING, _("Identity check waiting")),
        (IDENTITY_NOT_APPROVED, _("Identity not approved")),
        (COURSE, _("Course not finished")),
        (READY, _("Ready for approval")),
        (ACTIVE, _("Active")),
        (SUSPENDED, _("Suspended")),
    ]
    labels = dict(choices)
    values = [value for value, _label in choices]


def with_stage(cooks):
    """Annotate each cook with `stage` (see Stage). Precedence: a suspension wins; then what the
    coordinator or cook must do next, in the order of the gate; placing comes before the identity
    check because a cook nobody can place cannot be matched, active or not."""
    # The cooks listed all live in an area, so the gate's AREA condition never holds here.
    return with_gate(cooks, at=timezone.now()).annotate(
        identity_open=Exists(IdentityCheck.objects.filter(cook=OuterRef("pk"), status__in=IdentityCheck.OPEN_STATUSES)),
        stage=Case(
            When(cook_profile__status=CookProfile.Status.SUSPENDED, then=Value(Stage.SUSPENDED)),
            When(BLOCKED_WHERE[Blocker.PROFILE], then=Value(Stage.NO_PROFILE)),
            When(cook_profile__latitude__isnull=True, then=Value(Stage.NEEDS_PLACING)),
            When(cook_profile__longitude__isnull=True, then=Value(Stage.NEEDS_PLACING)),
            When(cook_profile__status=CookProfile.Status.ACTIVE, then=Value(Stage.ACTIVE)),
            When(BLOCKED_WHERE[Blocker.EMAIL], then=Value(Stage.EMAIL)),
            When(BLOCKED_WHERE[Blocker.IDENTITY] & Q(identity_open=True), then=Value(Stage.IDENTITY_WAITING)),
            When(BLOCKED_WHERE[Blocker.IDENTITY], then=Value(Stage.IDENTITY_NOT_APPROVED)),
            When(BLOCKED_WHERE[Blocker.CERTIFICATE], then=Value(Stage.COURSE)),
            default=Value(Stage.READY),
        ),
    )


def stage_counts(cooks) -> dict[str, int]:
    """How many of these cooks are at each stage, in one query."""
    counts = dict.fromkeys(Stage.values, 0)
    rows = with_stage(cooks).order_by().values("stage").annotate(n=Count("pk")).values_list("stage", "n")
    counts.update(rows)
    return counts


def identity_queue(user) -> dict:
    """Photo checks waiting for a coordinator of the user's areas, oldest first, and the counts at
    the top of the queue. Stripe checks are not here: Stripe decides those."""
    checks = list(
        IdentityCheck.objects.filter(
            cook__in=cooks_for_coordinator(user),
            method=IdentityCheck.Method.PHOTO,
            status=IdentityCheck.Status.PENDING,
        )
        .select_related("cook", "cook__home_area")
        .order_by("created_at", "pk")
    )
    counts = stage_counts(cooks_for_coordinator(user))
    return {
        "checks": checks,
        "waiting_count": len(checks),
        "needs_placing_count": counts[Stage.NEEDS_PLACING],
        "ready_count": counts[Stage.READY],
        "now": timezone.now(),
    }


def cook_list(user, *, stage: str | None = None, page_number=None, per_page: int = COOK_LIST_PAGE_SIZE) -> dict:
    """One page of the cooks in the user's areas with their stage, optionally only one stage, and how
    many cooks are at each stage (for the filter)."""
    cooks = with_stage(cooks_for_coordinator(user)).select_related("home_area", "cook_profile")
    if stage in Stage.values:
        cooks = cooks.filter(stage=stage)
    else:
        stage = None
    page: Page = Paginator(cooks.order_by("home_area__name", "full_name", "pk"), per_page).get_page(page_number)
    counts = stage_counts(cooks_for_coordinator(user))
    for cook in page.object_list:
        cook.stage_label = Stage.labels[cook.stage]
    return {
        "page": page,
        "cooks": page.object_list,
        "stage": stage,
        "stages": [
            {"value": value, "label": label, "count": counts[value], "current": value == stage}
            for value, label in Stage.choices
        ],
        "total": sum(counts.values()),
    }


def cook_detail(cook: User) -> dict:
    """What a coordinator sees about one cook (already fetched through the access helper): the
    profile with who last changed its status, every identity check, and the recent audit trail."""
    profile = CookProfile.objects.select_related("status_changed_by").filter(user=cook).first()
    checks = list(IdentityCheck.objects.filter(cook=cook).select_related("decided_by").order_by("-created_at", "-pk"))
    targets = Q(object_type=IdentityCheck._meta.label_lower, object_id__in=[str(check.pk) for check in checks])
    if profile is not None:
        targets |= Q(object_type=CookProfile._meta.label_lower, object_id=str(profile.pk))
    entries = list(AuditEntry.objects.filter(targets).select_related("actor")[:RECENT_AUDIT_ENTRIES])
    for entry in entries:
        entry.label = audit.label(entry.action)
    move = waiting_move(profile)
    move_distance = None
    if move is not None:
        # In the cook's own unit, to one decimal: a coordinator may see how far, a cook never does.
        per_unit = KM_PER_MILE if profile.travel_unit == Area.DistanceUnit.MILES else 1.0
        move_distance = round(move.distance_km / per_unit, 1)
    return {
        "profile": profile,
        "checks": checks,
        "audit_entries": entries,
        "move": move,
        "move_distance": move_distance,
    }


def training_overview(*, areas, page_number=None, per_page: int = OVERVIEW_PAGE_SIZE):
    """One page of the cooks living in these areas, with lesson progress, attempts, best score and
    certificate. Paginated: an area can have hundreds of cooks (docs/performance.md)."""
    course = current_course()
    newest_certificate = Certificate.objects.filter(user=OuterRef("pk"), revoked_at__isnull=True).order_by("-issued_at")
    cooks = (
        User.objects.filter(is_cook=True, home_area__in=areas)
        .select_related("home_area")
        .annotate(
            lessons_done=Count("lesson_progress", filter=Q(lesson_progress__lesson__course=course), distinct=True),
            attempts_taken=Count("quiz_attempts", filter=Q(quiz_attempts__submitted_at__isnull=False), distinct=True),
            best_score=Max("quiz_attempts__score"),
            best_total=Max("quiz_attempts__total"),
            certificate_expires=Subquery(newest_certificate.values("expires_at")[:1]),
            certificate_code=Subquery(newest_certificate.values("code")[:1]),
        )
        .order_by("home_area__name", "full_name")
    )
    page = Paginator(cooks, per_page).get_page(page_number)
    now = timezone.now()
    lesson_count = Lesson.objects.filter(course=course).count() if course else 0
    for cook in page.object_list:
        cook.lesson_count = lesson_count
        cook.certificate_state = certificate_state(cook.certificate_expires, now)
    return page
