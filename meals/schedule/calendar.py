"""A cook's private calendar feed: their meals as an iCalendar file that a calendar app subscribes to.

The address's token is its only key, so the feed is built for a reader who may not be the cook: each
event names the diner by first name and neighbourhood only, never the address, postcode, phone, access
notes or surname, and the dish. The cook can make a new address at any time; the old one stops at once.
"""

import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from accounts.people.models import User
from casserole import audit
from casserole.mail import absolute_url
from meals.matching.models import Match
from meals.schedule.models import CalendarFeed, Meal

PAST_DAYS = 30  # how far back the feed goes: the calendar keeps a month of history
TOKEN_BYTES = 32
# What each meal's state is in iCalendar (RFC 5545 3.8.1.11): a meal not yet confirmed is tentative.
STATUS = {
    Meal.Status.PROPOSED: "TENTATIVE",
    Meal.Status.CONFIRMED: "CONFIRMED",
    Meal.Status.DECLINED: "CANCELLED",
    Meal.Status.CANCELLED: "CANCELLED",
}


def feed_url(feed: CalendarFeed) -> str:
    """The feed's full address (https in production, from SITE_URL): what the cook pastes into their app.
    Under the cook's own language prefix, so the address does not depend on the page it was copied from."""
    return absolute_url("meals:calendar_feed", feed.cook.preferred_language, token=feed.token)


def feed_for_cook(cook: User) -> CalendarFeed | None:
    return CalendarFeed.objects.select_related("cook").filter(cook=cook).first()


@transaction.atomic
def reset_calendar_feed(*, cook: User, request=None) -> CalendarFeed:
    """Give the cook a private calendar address, or a new one in place of the old, which stops working
    at once. Audited (never with the token)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feed = CalendarFeed.objects.select_for_update().filter(cook=cook).first()
    made = feed is None
    if made:
        feed = CalendarFeed.objects.create(cook=cook, token=token)
    else:
        feed.token, feed.created_at = token, timezone.now()
        feed.save(update_fields=["token", "created_at"])
    audit.record(
        action=audit.Action.CALENDAR_FEED_RESET,
        actor=cook,
        obj=feed,
        area=cook.home_area,
        request=request,
        detail={"new": made},
    )
    return feed


def cook_for_token(token: str) -> User | None:
    """The cook whose feed has this token, while they are an active account that cooks; else None."""
    feed = (
        CalendarFeed.objects.select_related("cook")
        .filter(token=token, cook__is_active=True, cook__is_cook=True)
        .first()
    )
    return feed.cook if feed is not None else None


def feed_meals(cook: User, *, now: datetime) -> list[Meal]:
    """The cook's meals of the last PAST_DAYS days and to come, with the meals another cook now brings
    for them (shown as cancelled): one query."""
    return list(
        Meal.objects.filter(Q(cook=cook) | Q(covered_for=cook), ends_at__gte=now - timedelta(days=PAST_DAYS))
        .select_related("match", "match__diner")
        .order_by("starts_at", "pk")
    )


def _status(meal: Meal, cook: User) -> str:
    if meal.cook_id != cook.pk:  # handed to a cover cook: not theirs to bring any more
        return "CANCELLED"
    if meal.status in Meal.HAPPENING and meal.match.status != Match.Status.ACTIVE:
        return "CANCELLED"  # the match is paused or ended: the meal will not go ahead
    return STATUS[meal.status]


def _summary(meal: Meal) -> str:
    diner = meal.match.diner
    if diner.neighbourhood:
        return _("Meal for %(name)s (%(neighbourhood)s)") % {
            "name": diner.addressed,
            "neighbourhood": diner.neighbourhood,
        }
    return _("Meal for %(name)s") % {"name": diner.addressed}


def _description(meal: Meal, cook: User, status: str) -> str:
    lines = [_("Dish: %(dish)s") % {"dish": meal.dish}]
    if meal.cook_id != cook.pk:
        lines.append(_("Another cook is bringing this meal."))
    elif status == "CANCELLED":
        lines.append(_("This meal is not going ahead."))
    elif status == "TENTATIVE":
        lines.append(_("Not confirmed yet."))
    return "\n".join(lines)


def build_feed(cook: User, *, now: datetime | None = None) -> bytes:
    """The cook's feed as iCalendar text, in the cook's language: one event per meal, with a UID that
    stays the same for the meal (so a moved meal moves in the calendar) and times in UTC."""
    now = now or timezone.now()
    host = urlsplit(settings.SITE_URL).hostname or "casserole"
    with translation.override(cook.preferred_language):
        calendar = Calendar()
        calendar.add("prodid", "-//Casserole//Meals//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", _("Casserole meals"))
        calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
        for meal in feed_meals(cook, now=now):
            status = _status(meal, cook)
            event = Event()
            event.add("uid", f"meal-{meal.pk}@{host}")
            event.add("dtstamp", now.astimezone(UTC))
            event.add("last-modified", meal.updated_at.astimezone(UTC))
            event.add("dtstart", meal.starts_at.astimezone(UTC))
            event.add("dtend", meal.ends_at.astimezone(UTC))
            event.add("summary", _summary(meal))
            event.add("description", _description(meal, cook, status))
            event.add("status", status)
            event.add("url", absolute_url("meals:cook_meal", cook.preferred_language, pk=meal.pk))
            calendar.add_component(event)
        return calendar.to_ical()
