"""A referrer's choice to be emailed the day before each of the diner's meals. The consent belongs to
one live access (revoking the access ends it with it), and turning it on or off is audited."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.people.models import User
from casserole import audit
from casserole.models import Channel
from meals.diners.models import ProxyAccess
from meals.schedule.models import MealRemindersConsent
from meals.schedule.services import MealError


def reminders_on(access: ProxyAccess) -> bool:
    """One query."""
    return MealRemindersConsent.objects.filter(proxy=access).exists()


@transaction.atomic
def set_meal_reminders(*, by: User, access: ProxyAccess, on: bool, request=None) -> bool:
    """Turn the day-before emails on or off for the referrer's own access, which must still be live
    and let them see the schedule. Returns whether anything changed; only a change is audited."""
    access = (
        ProxyAccess.objects.select_for_update(of=("self",)).select_related("diner", "diner__area").get(pk=access.pk)
    )
    if access.referrer_id != by.pk or access.revoked_at is not None or not access.can_view_schedule:
        raise MealError(_("You can’t change reminders for this person."))
    if on:
        _consent, changed = MealRemindersConsent.objects.get_or_create(proxy=access)
    else:
        changed = MealRemindersConsent.objects.filter(proxy=access).delete()[0] > 0
    if changed:
        audit.record(
            action=audit.Action.MEAL_REMINDERS_CHANGED,
            actor=by,
            obj=access,
            area=access.diner.area,
            request=request,
            channel=Channel.WEB,
            detail={"on": on},
        )
    return changed
