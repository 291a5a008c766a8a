"""Who is told what about a meal, by email through the outbox (queued in the caller's transaction,
sent after commit by casserole.tasks.deliver_email, retried with back-off).

The diner's side is the referrers acting for the diner who may see the schedule: the diner themselves
when they have an account act through the same access. A diner with nobody to email is phoned by a
coordinator: the coordinators' email says so, and their week page flags the meal.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.people.models import User
from accounts.people.notices import notify_coordinators
from casserole import names
from casserole.mail import absolute_url, queue_templated_email
from meals.diners.models import ProxyAccess
from meals.schedule.models import Meal, MealSeries


def _zone(meal_or_series) -> str:
    area = meal_or_series.match.diner.area
    return area.time_zone if area is not None else settings.TIME_ZONE


def _proxies(diner_id: int, *, scope: str = "can_view_schedule") -> list[ProxyAccess]:
    return list(
        ProxyAccess.objects.filter(diner_id=diner_id, revoked_at__isnull=True, **{scope: True}).select_related(
            "referrer"
        )
    )


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.given_name or user.full_name


def tell_diner_side(meal: Meal, kind: str, *, series: bool = False) -> int:
    """Email the diner's side about one meal: proposed (please confirm), moved, cancelled, covered."""
    accesses = _proxies(meal.match.diner_id)
    with timezone.override(_zone(meal)):
        for access in accesses:
            referrer = access.referrer
            language = referrer.preferred_language
            queue_templated_email(
                to=referrer.email,
                template="meals/schedule/email/meal_diner_side",
                context={
                    "name": _name(referrer),
                    "diner_name": meal.match.diner.addressed,
                    # Addressed, or the stand-in in the referrer's language (the email is rendered in it).
                    "cook_name": names.AddressedName(_name(meal.cook)) or gettext_lazy("their cook"),
                    "kind": kind,
                    "series": series,
                    "can_confirm": access.can_confirm_meals,
                    "starts_at": meal.starts_at,
                    "ends_at": meal.ends_at,
                    "dish": meal.dish,
                    "url": absolute_url("meals:proxy_schedule", language, pk=meal.match.diner_id),
                },
                language=language,
            )
    return len(accesses)


def tell_diner_side_series_ended(series: MealSeries) -> int:
    accesses = _proxies(series.match.diner_id)
    for access in accesses:
        referrer = access.referrer
        language = referrer.preferred_language
        queue_templated_email(
            to=referrer.email,
            template="meals/schedule/email/series_ended",
            context={
                "name": _name(referrer),
                "diner_name": series.match.diner.addressed,
                "cook_name": names.AddressedName(_name(series.match.cook)) or gettext_lazy("their cook"),
                "url": absolute_url("meals:proxy_schedule", language, pk=series.match.diner_id),
            },
            language=language,
        )
    return len(accesses)


def tell_coordinators_cook_cancelled(meal: Meal) -> None:
    """At once, to every coordinator of the diner's area: find a cover cook, and phone a diner who has
    nobody we can email."""
    nobody_to_email = not _proxies(meal.match.diner_id)
    with timezone.override(_zone(meal)):
        notify_coordinators(
            area_ids=[meal.match.diner.area_id],
            template="meals/schedule/email/cook_cancelled",
            url_name="meals:coordinator_meal",
            url_kwargs={"pk": meal.pk},
            context={
                "diner_name": meal.match.diner.addressed,
                "cook_name": meal.cook.full_name,
                "starts_at": meal.starts_at,
                "reason": meal.cancel_note,
                "phone_diner": nobody_to_email,
            },
        )


def tell_cook_decision(meal: Meal) -> None:
    cook = meal.cook
    language = cook.preferred_language
    with timezone.override(_zone(meal)):
        queue_templated_email(
            to=cook.email,
            template="meals/schedule/email/meal_decided",
            context={
                "name": _name(cook),
                "diner_name": meal.match.diner.addressed,
                "confirmed": meal.status == Meal.Status.CONFIRMED,
                "starts_at": meal.starts_at,
                "url": absolute_url("meals:cook_meal", language, pk=meal.pk),
            },
            language=language,
        )


def tell_cover_cook(meal: Meal) -> None:
    cook = meal.cook
    language = cook.preferred_language
    with timezone.override(_zone(meal)):
        queue_templated_email(
            to=cook.email,
            template="meals/schedule/email/cover",
            context={
                "name": _name(cook),
                "diner_name": meal.match.diner.addressed,
                "neighbourhood": meal.match.diner.neighbourhood,
                "starts_at": meal.starts_at,
                "url": absolute_url("meals:cook_meal", language, pk=meal.pk),
            },
            language=language,
        )
