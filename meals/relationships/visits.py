"""The visit record: after each meal its cook says what happened (delivered, no answer at the door, the
diner away, or they couldn't go), how long they stayed, and how the diner seemed (the wellbeing check).
Recorded once per meal, by the meal's cook (a cover cook for a covered meal), once the meal has started.

An unanswered door opens a door case in the same transaction (meals.relationships.door). A meal going
ahead whose visit is not recorded VISIT_RECORD_HOURS after it ended reminds its cook once, then shows
on the coordinator's home.

Wellbeing answers and notes are sensitive: they are never audited in `detail` nor put in an email.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.people.models import User
from casserole import audit
from casserole.mail import absolute_url, queue_templated_email
from meals.relationships import door
from meals.relationships.errors import RelationshipError
from meals.relationships.models import WELLBEING_KEYS, DoorCase, Visit, VisitReminder, Wellbeing
from meals.schedule import rollup
from meals.schedule.models import Meal
from meals.schedule.selectors import live_meals

MEAL_RELATED = ("match", "match__diner", "match__diner__area", "match__cook", "cook", "covered_for")
MINUTES_MAX = 600  # Visit's check constraint: ten hours
NOTE_MAX_LENGTH = 2000  # Visit.note
ITEM_NOTE_MAX_LENGTH = 500
# Meals that ended longer ago than this are not chased: the reminders start from when the visit record
# came in, not from every meal ever brought, and a record this late would say little.
OVERDUE_WINDOW = timedelta(days=28)
OVERDUE_SHOWN = 10


def _zone(meal: Meal) -> str:
    area = meal.match.diner.area
    return area.time_zone if area is not None else settings.TIME_ZONE


def visit_of(meal: Meal) -> Visit | None:
    """The meal's visit record, or None (no query when the meal was loaded with select_related("visit"))."""
    try:
        return meal.visit
    except Visit.DoesNotExist:
        return None


def door_case_of(visit: Visit) -> DoorCase | None:
    """The visit's door case, or None (no query when loaded with select_related("door_case"))."""
    try:
        return visit.door_case
    except DoorCase.DoesNotExist:
        return None


# Access ------------------------------------------------------------------------------------------------


def get_meal_for_visit(user: User, pk: int) -> Meal:
    """A meal the user brings (Meal.cook: a cover cook for a covered meal), with its visit if recorded;
    anyone else's meal is a 404 like a missing one."""
    meal = Meal.objects.select_related(*MEAL_RELATED, "visit").filter(pk=pk, cook=user).first()
    if meal is None:
        raise Http404
    return meal


def get_visit_for_cook(user: User, pk: int) -> Visit:
    """A visit the user recorded for a meal they brought, with its door case if any; else 404."""
    visit = (
        Visit.objects.select_related(*(f"meal__{name}" for name in MEAL_RELATED), "match", "door_case")
        .filter(pk=pk, meal__cook=user)
        .first()
    )
    if visit is None:
        raise Http404
    return visit


def refusal(user: User, meal: Meal, *, now: datetime | None = None) -> str:
    """Why the user can't record this meal's visit now ("" when they can). The record page and the meal
    pages ask it; record_visit asks it again on the locked row."""
    now = now or timezone.now()
    if meal.cook_id != user.pk:
        return _("Only the cook who brought the meal can record the visit.")
    if not meal.is_happening:
        return _("This meal did not go ahead, so there is no visit to record.")
    if meal.starts_at > now:
        return _("You can record the visit once the meal has started.")
    return ""


def can_record(user: User, meal: Meal, *, now: datetime | None = None) -> bool:
    """The user may record the meal's visit now and nobody has yet."""
    return not refusal(user, meal, now=now) and visit_of(meal) is None


# Recording ---------------------------------------------------------------------------------------------


def _clean_wellbeing(wellbeing: dict, notes: dict) -> tuple[dict, dict]:
    """Every item answered (unanswered: "didn't ask"); notes only for known items, without blanks."""
    answers = {}
    for key in WELLBEING_KEYS:
        value = (wellbeing or {}).get(key) or Wellbeing.NOT_ASKED
        if value not in Wellbeing.values:
            raise RelationshipError(_("Choose an answer from the list for each question."))
        answers[key] = str(value)
    kept = {key: text.strip() for key, text in (notes or {}).items() if key in WELLBEING_KEYS and (text or "").strip()}
    return answers, kept


def record_visit(
    *,
    cook: User,
    meal: Meal,
    outcome: str,
    minutes: int | None,
    wellbeing: dict,
    notes: dict,
    note: str,
    request=None,
    now: datetime | None = None,
) -> Visit:
    """The cook's record of one meal, once. Minutes stayed are kept only (and required) when the meal
    was delivered, and the wellbeing check only then too; no answer at the door opens a door case in
    the same transaction. The meal itself stays as it is."""
    now = now or timezone.now()
    if outcome not in Visit.Outcome.values:
        raise RelationshipError(_("Say what happened."))
    delivered = outcome == Visit.Outcome.DELIVERED
    if delivered and minutes is None:
        raise RelationshipError(_("Say how long you stayed."))
    if delivered and not 0 <= minutes <= MINUTES_MAX:
        raise RelationshipError(_("Say how long you stayed, in minutes (up to 10 hours)."))
    answers, kept = _clean_wellbeing(wellbeing, notes) if delivered else ({}, {})
    try:
        with transaction.atomic():
            locked = Meal.objects.select_for_update(of=("self",)).select_related(*MEAL_RELATED).get(pk=meal.pk)
            reason = refusal(cook, locked, now=now)
            if reason:
                raise RelationshipError(reason)
            if Visit.objects.filter(meal=locked).exists():
                raise RelationshipError(_("This visit is already recorded."))
            visit = Visit.objects.create(
                meal=locked,
                match=locked.match,
                recorded_by=cook,
                recorded_at=now,
                outcome=outcome,
                minutes_stayed=minutes if delivered else None,
                wellbeing=answers,
                wellbeing_notes=kept,
                note=(note or "").strip()[:NOTE_MAX_LENGTH],
            )
            if delivered:
                rollup.count_shared_meal(meal=locked, minutes=minutes)  # the impact figures' counts
            audit.record(
                action=audit.Action.VISIT_RECORDED,
                actor=cook,
                obj=visit,
                area=locked.match.diner.area,
                request=request,
                detail={"meal": locked.pk, "outcome": outcome},  # never the wellbeing answers or notes
            )
            if outcome == Visit.Outcome.NO_ANSWER:
                door.open_door_case(visit=visit, request=request, now=now)
    except IntegrityError:
        # Recorded twice at once (two taps, two tabs): the first one stands.
        raise RelationshipError(_("This visit is already recorded.")) from None
    return visit


def not_usual(visit: Visit) -> list[str]:
    """The wellbeing items the cook found not as usual (keys, in the check's order)."""
    return [key for key in WELLBEING_KEYS if (visit.wellbeing or {}).get(key) == Wellbeing.NOT_USUAL]


# Overdue records -------------------------------------------------------------------------------------


def overdue_meals(now: datetime) -> QuerySet:
    """Meals going ahead (meals.schedule.selectors.live_meals) that ended more than VISIT_RECORD_HOURS
    ago, within OVERDUE_WINDOW, with no visit record."""
    due = now - timedelta(hours=settings.VISIT_RECORD_HOURS)
    return live_meals().filter(
        ends_at__lte=due,
        ends_at__gt=now - OVERDUE_WINDOW,
        visit__isnull=True,
    )


def overdue_visits(areas, *, now: datetime | None = None, limit: int = OVERDUE_SHOWN) -> list[Meal]:
    """The coordinator's list: meals in these areas whose visit is overdue, oldest first (one query)."""
    now = now or timezone.now()
    meals = overdue_meals(now).filter(match__diner__area__in=areas)
    return list(meals.select_related(*MEAL_RELATED).order_by("ends_at", "pk")[:limit])


def overdue_visits_count(areas, *, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return overdue_meals(now).filter(match__diner__area__in=areas).count()


def overdue_visit_counts(*, now: datetime | None = None) -> dict:
    """An annotation for a queryset of areas: how many visits are overdue in each (a subquery on the
    areas' own query: no extra query), for the coordinator's home."""
    now = now or timezone.now()
    per_area = (
        overdue_meals(now)
        .filter(match__diner__area=OuterRef("pk"))
        .order_by()
        .values("match__diner__area")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {"visits_overdue": Coalesce(Subquery(per_area), Value(0))}


def _remind(meal: Meal, *, now: datetime) -> bool:
    with transaction.atomic():
        try:
            with transaction.atomic():
                reminder = VisitReminder.objects.create(meal=meal, sent_at=now)
        except IntegrityError:
            return False  # another run reminded this meal first
        cook = meal.cook
        language = cook.preferred_language
        with timezone.override(_zone(meal)):
            reminder.email = queue_templated_email(
                to=cook.email,
                template="meals/relationships/email/visit_reminder",
                context={
                    "name": cook.given_name or cook.full_name,
                    "diner_name": meal.match.diner.addressed,
                    "starts_at": meal.starts_at,
                    "url": absolute_url("meals:cook_visit", language, pk=meal.pk),
                },
                language=language,
            )
        reminder.save(update_fields=["email"])
    return True


def remind_overdue_visits(*, now: datetime | None = None) -> int:
    """Email the cook of each meal whose visit record is overdue, once per meal (the VisitReminder row
    is unique, so running this twice, or two at once, reminds nobody twice). Returns how many."""
    now = now or timezone.now()
    meals = (
        overdue_meals(now).filter(visit_reminder__isnull=True).select_related(*MEAL_RELATED).order_by("ends_at", "pk")
    )
    return sum(_remind(meal, now=now) for meal in meals)
