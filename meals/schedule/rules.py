"""Repeat rules: what the cook chose (weekly, fortnightly, monthly) as an RFC 5545 RRULE, and the
occurrences of a series, expanded in wall-clock time in the area's time zone.

Expanding wall-clock time and only then attaching the zone is what keeps a 12:30 meal at 12:30 when
the clocks change: the same instant each week would drift by an hour twice a year in London.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import vRecur

from meals.schedule.models import Repeat

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def rule_for(repeat: str, first: date) -> str:
    """The RRULE value for a series whose first meal is on `first`. Monthly means the same weekday in
    the same week of the month (the second Tuesday), or the last one for a fifth weekday: what people
    remember, and every month has one."""
    if repeat == Repeat.WEEKLY:
        recur = vRecur(freq="WEEKLY")
    elif repeat == Repeat.FORTNIGHTLY:
        recur = vRecur(freq="WEEKLY", interval=2)
    elif repeat == Repeat.MONTHLY:
        week = (first.day - 1) // 7 + 1
        recur = vRecur(freq="MONTHLY", byday=f"{-1 if week == 5 else week}{WEEKDAY_CODES[first.weekday()]}")
    else:
        raise ValueError(f"not a repeat: {repeat!r}")
    return recur.to_ical().decode()


def occurrences(
    *, rule: str, starts_on: date, start_time: time, zone: str, after: datetime, until: datetime, ends_on=None
) -> list[datetime]:
    """The series' starts (aware, in the area's zone) from `after` to `until` inclusive, none after
    `ends_on`. The RRULE is parsed by icalendar first, so only a valid RFC 5545 rule is expanded."""
    vRecur.from_ical(rule)  # raises ValueError on anything that is not an RRULE value
    tz = ZoneInfo(zone)
    dtstart = datetime.combine(starts_on, start_time)  # naive: wall-clock time
    recurrence = rrulestr(rule, dtstart=dtstart)
    low = after.astimezone(tz).replace(tzinfo=None)
    high = until.astimezone(tz).replace(tzinfo=None)
    if ends_on is not None:
        high = min(high, datetime.combine(ends_on, time.max))
    if high < low:
        return []
    return [local.replace(tzinfo=tz) for local in recurrence.between(low, high, inc=True)]


def window(start: datetime, start_time: time, end_time: time) -> tuple[datetime, datetime]:
    """A meal's start and end from its local start and the series' window (same day, same zone)."""
    length = datetime.combine(date.min, end_time) - datetime.combine(date.min, start_time)
    end = (start.replace(tzinfo=None) + length).replace(tzinfo=start.tzinfo)
    return start, end


def local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def at(day: date, when: time, zone: str) -> datetime:
    """A wall-clock time on a day in the area's zone."""
    return datetime.combine(day, when).replace(tzinfo=ZoneInfo(zone))


HOUR = timedelta(hours=1)
