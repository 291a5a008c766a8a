"""The day-before reminders: the cook of every meal going ahead tomorrow (with the allergen list), and
each proxy of the diner who asked to be reminded. Run by `manage.py send_meal_reminders`, hourly or
at least once a day; "tomorrow" is the day after today in each area's own time zone.

Exactly once: a MealReminder row is written with its email in one savepoint, and (meal, recipient,
meal time) is unique, so a second run, or two runs at once, skip what is already sent: the loser of a
race gets an IntegrityError, its savepoint (email and all) is rolled back and nothing is queued. A
meal moved to another time is a new reminder. Delivery goes through the email outbox
(casserole.tasks.deliver_email): retried with back-off, marked failed after EMAIL_MAX_ATTEMPTS, and
`failed_reminders` shows those to the coordinator.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casserole import allergens as allergen_table
from casserole import names
from casserole.mail import absolute_url, queue_templated_email
from casserole.models import OutboundEmail
from meals.diners.models import Diner, ProxyAccess
from meals.schedule import rules
from meals.schedule.models import Meal, MealReminder
from meals.schedule.selectors import live_meals

# Tomorrow, in any zone, ends less than 50 hours from now (24 + 25 on a day the clocks go back).
LOOK_AHEAD = timedelta(hours=50)


def _zone(meal: Meal) -> str:
    area = meal.match.diner.area
    return area.time_zone if area is not None else settings.TIME_ZONE


def _name(user) -> str:
    return user.given_name or user.full_name


def meals_for_tomorrow(*, now: datetime) -> list[Meal]:
    """Meals going ahead whose start falls tomorrow in their area's time zone: one query."""
    candidates = (
        live_meals()
        .filter(starts_at__gt=now, starts_at__lt=now + LOOK_AHEAD)
        .select_related("match", "match__diner", "match__diner__area", "cook")
        .order_by("starts_at", "pk")
    )
    tomorrow: dict[str, date] = {}
    found = []
    for meal in candidates:
        zone = _zone(meal)
        if zone not in tomorrow:
            tomorrow[zone] = rules.local(now, zone).date() + timedelta(days=1)
        if rules.local(meal.starts_at, zone).date() == tomorrow[zone]:
            found.append(meal)
    return found


def send_meal_reminders(*, now: datetime | None = None) -> dict[str, int]:
    """Queue the day-before reminders not sent yet. Three queries to read whatever the number of
    meals (the meals, the consenting proxies, the reminders already written), then a few writes per
    reminder. Safe to run twice, or twice at once."""
    now = now or timezone.now()
    meals = meals_for_tomorrow(now=now)
    counts = {"cooks": 0, "proxies": 0, "already_sent": 0}
    if not meals:
        return counts
    proxies: dict[int, list[ProxyAccess]] = {}
    for access in (
        ProxyAccess.objects.filter(
            diner_id__in={meal.match.diner_id for meal in meals},
            revoked_at__isnull=True,
            can_view_schedule=True,
            meal_reminders__isnull=False,
        )
        .select_related("referrer")
        .order_by("pk")
    ):
        proxies.setdefault(access.diner_id, []).append(access)
    sent = set(MealReminder.objects.filter(meal__in=meals).values_list("meal_id", "recipient_id", "starts_at"))
    for meal in meals:
        wanted = [(MealReminder.Kind.COOK, meal.cook, None)]
        wanted += [
            (MealReminder.Kind.PROXY, access.referrer, access) for access in proxies.get(meal.match.diner_id, [])
        ]
        for kind, recipient, access in wanted:
            if (meal.pk, recipient.pk, meal.starts_at) in sent or not _remind(meal, kind, recipient, access, now=now):
                counts["already_sent"] += 1
                continue
            sent.add((meal.pk, recipient.pk, meal.starts_at))
            counts["cooks" if kind == MealReminder.Kind.COOK else "proxies"] += 1
    return counts


def _remind(meal: Meal, kind: str, recipient, access: ProxyAccess | None, *, now: datetime) -> bool:
    """Write one reminder and queue its email together; False when another run wrote it first."""
    try:
        with transaction.atomic():
            email = _email_cook(meal) if kind == MealReminder.Kind.COOK else _email_proxy(meal, access)
            MealReminder.objects.create(
                meal=meal, recipient=recipient, kind=kind, starts_at=meal.starts_at, email=email, created_at=now
            )
    except IntegrityError:
        return False
    return True


def allergen_lines(diner: Diner, meal: Meal, language: str) -> dict:
    """What the cook must check before cooking, in their language: what the diner can't eat (the list
    and their own words), the texture they need, and what the dish contains."""
    with translation.override(language):
        return {
            "diner_allergens": [allergen_table.BY_CODE[code].name(language) for code in _known(diner.allergens)],
            "allergy_notes": diner.allergy_notes,
            "texture": diner.get_texture_display() if diner.texture != Diner.Texture.NORMAL else "",
            "dish_allergens": [allergen_table.BY_CODE[code].name(language) for code in _known(meal.allergens)],
        }


def _known(codes) -> list[str]:
    return [code for code in codes or [] if code in allergen_table.BY_CODE]


def _email_cook(meal: Meal) -> OutboundEmail:
    cook, diner = meal.cook, meal.match.diner
    language = cook.preferred_language
    with timezone.override(_zone(meal)):
        return queue_templated_email(
            to=cook.email,
            template="meals/schedule/email/reminder_cook",
            context={
                "name": _name(cook),
                "diner_name": diner.addressed,
                "neighbourhood": diner.neighbourhood,
                "starts_at": meal.starts_at,
                "ends_at": meal.ends_at,
                "dish": meal.dish,
                "confirmed": meal.status == Meal.Status.CONFIRMED,
                **allergen_lines(diner, meal, language),
                "url": absolute_url("meals:cook_meal", language, pk=meal.pk),
            },
            language=language,
        )


def _email_proxy(meal: Meal, access: ProxyAccess) -> OutboundEmail:
    referrer, diner = access.referrer, meal.match.diner
    language = referrer.preferred_language
    with translation.override(language):
        cook_name = names.addressed(_name(meal.cook)) or _("their cook")
    with timezone.override(_zone(meal)):
        return queue_templated_email(
            to=referrer.email,
            template="meals/schedule/email/reminder_proxy",
            context={
                "name": _name(referrer),
                "diner_name": diner.addressed,
                "cook_name": cook_name,
                "starts_at": meal.starts_at,
                "ends_at": meal.ends_at,
                "dish": meal.dish,
                "confirmed": meal.status == Meal.Status.CONFIRMED,
                "can_confirm": access.can_confirm_meals,
                "url": absolute_url("meals:proxy_schedule", language, pk=diner.pk),
                "stop_url": absolute_url("meals:proxy_reminders", language, pk=diner.pk),
            },
            language=language,
        )


def failed_reminders(meals: QuerySet) -> QuerySet:
    """Reminders for these meals whose email gave up after EMAIL_MAX_ATTEMPTS: the coordinator phones
    instead, or fixes the address. One query with the meal, the recipient and the email."""
    return (
        MealReminder.objects.filter(meal__in=meals, email__status=OutboundEmail.Status.FAILED)
        .select_related("meal", "recipient", "email")
        .order_by("meal__starts_at", "meal_id", "pk")
    )
