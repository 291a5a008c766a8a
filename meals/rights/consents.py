"""The purposes a diner may withdraw their consent to, and what withdrawing each one stops, at once.

Each purpose already has a home that its senders, jobs and pages read; withdrawing writes there, so
nothing has to remember to ask this module:

- watch reports to family: every live WatchRecipient is stopped (meals.relationships.watch sends to live
  ones only);
- phone calls and text messages: `Diner.phone_calls_withdrawn_at` is set (the coordinators' "feedback by
  phone" list skips them), their emergency contact is no longer texted about worries or an unanswered door
  (`concerns_to_emergency_contact`), and a matched cook no longer sees their phone number (`share_with_cook`);
- the loneliness questions: their MeasureConsent becomes "not given" (the due list and the answers form
  read it);
- contact with the person who referred them: every live ProxyAccess is revoked (the referrer's pages, meal
  reminders, feedback asks and concern emails read live access only) and `concerns_to_referrer` is off.

Each withdrawal is a ConsentWithdrawal row and an audit entry with the channel the diner used. Giving
consent again goes through the existing forms (adding a watch recipient, the loneliness page, the consent
page, a new request by the referrer), except phone calls, whose only home is here (`agree_to_phone_calls`).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.people.access import can_manage_area
from accounts.people.models import User
from casserole import audit
from casserole.models import Channel
from meals.diners.models import Diner, ProxyAccess
from meals.relationships.models import MeasureConsent, WatchRecipient
from meals.rights.errors import RightsError
from meals.rights.models import ConsentWithdrawal, Purpose


@dataclass(frozen=True)
class PurposeInfo:
    purpose: Purpose
    stops: tuple[Promise, ...]  # what withdrawing stops, as the coordinator's page says it
    given_again: Promise  # how the diner gives their consent again


PURPOSES = {
    Purpose.WATCH_REPORTS: PurposeInfo(
        Purpose.WATCH_REPORTS,
        stops=(gettext_lazy("Nobody gets reports after their visits any more."),),
        given_again=gettext_lazy("Add the people they choose again on their watch reports page."),
    ),
    Purpose.PHONE_CALLS: PurposeInfo(
        Purpose.PHONE_CALLS,
        stops=(
            gettext_lazy("Coordinators do not phone them to ask for feedback."),
            gettext_lazy("Their emergency contact is not sent text messages about worries or an unanswered door."),
            gettext_lazy("A matched cook no longer sees their phone number."),
        ),
        given_again=gettext_lazy("Record here that they agree again."),
    ),
    Purpose.LONELINESS: PurposeInfo(
        Purpose.LONELINESS,
        stops=(gettext_lazy("They are not asked the loneliness questions any more. Their past answers are kept."),),
        given_again=gettext_lazy("Record their agreement again on their loneliness questions page."),
    ),
    Purpose.REFERRER_CONTACT: PurposeInfo(
        Purpose.REFERRER_CONTACT,
        stops=(
            gettext_lazy("Nobody they referred through can act for them or see their meals any more."),
            gettext_lazy("Referrers are not told of worries, meals or matches."),
        ),
        given_again=gettext_lazy("A referrer can act for them again only after a new request or consent."),
    ),
}


@dataclass(frozen=True)
class PurposeState:
    info: PurposeInfo
    given: bool
    detail: str  # what is given now, in a few words ("People who get reports: 2")


def _check_coordinator(by: User, diner: Diner) -> None:
    if diner.area is None or not can_manage_area(by, diner.area):
        raise RightsError(_("You can only record this for diners in your own areas."))


# Reads -----------------------------------------------------------------------------------------------


def purpose_states(diner: Diner) -> list[PurposeState]:
    """Whether each purpose is consented to now, in the registry's order. Three queries (live watch
    recipients, the loneliness consent, live proxies), whatever their number."""
    watching = WatchRecipient.objects.filter(diner=diner, stopped_at__isnull=True).count()
    measure = MeasureConsent.objects.filter(diner=diner, given=True).exists()
    proxies = ProxyAccess.objects.filter(diner=diner, revoked_at__isnull=True).count()
    given = {
        Purpose.WATCH_REPORTS: (watching > 0, _("People who get reports: %(count)s") % {"count": watching}),
        Purpose.PHONE_CALLS: (diner.phone_calls_withdrawn_at is None, ""),
        Purpose.LONELINESS: (measure, ""),
        Purpose.REFERRER_CONTACT: (
            proxies > 0 or diner.concerns_to_referrer,
            _("People who act for them: %(count)s") % {"count": proxies},
        ),
    }
    return [
        PurposeState(info, given[purpose][0], given[purpose][1] if given[purpose][0] else "")
        for purpose, info in PURPOSES.items()
    ]


def withdrawals(diner: Diner) -> list[ConsentWithdrawal]:
    """Every withdrawal recorded for the diner, newest first, with who recorded it: one query."""
    return list(ConsentWithdrawal.objects.filter(diner=diner).select_related("withdrawn_by"))


# Writes ----------------------------------------------------------------------------------------------


@transaction.atomic
def withdraw_consent(
    *, diner: Diner, purpose: str, by: User, channel: str, request=None, now: datetime | None = None
) -> ConsentWithdrawal:
    """The diner withdraws their consent to `purpose`, told to a coordinator of their area through
    `channel`: it takes effect at once wherever the purpose is used (see the module's docstring). Refused
    when they had not consented to it. Six queries whatever the number of recipients or referrers."""
    _check_coordinator(by, diner)
    if purpose not in Purpose.values:
        raise RightsError(_("Select what they no longer agree to"))
    if channel not in Channel.values:
        raise RightsError(_("Select how you are recording this"))
    now = now or timezone.now()
    # The diner's row is the lock: two withdrawals at once make one.
    diner = Diner.objects.select_for_update(of=("self",)).select_related("area").get(pk=diner.pk)
    stopped = WITHDRAW[purpose](diner, by, channel, now)
    if stopped is None:
        raise RightsError(
            _("%(name)s had not agreed to this, so there is nothing to withdraw.") % {"name": diner.addressed}
        )
    withdrawal = ConsentWithdrawal.objects.create(
        diner=diner, purpose=purpose, channel=channel, withdrawn_by=by, withdrawn_at=now
    )
    audit.record(
        action=audit.Action.CONSENT_WITHDRAWN,
        actor=by,
        obj=diner,
        area=diner.area,
        request=request,
        channel=channel,
        detail={"purpose": purpose, **stopped},
    )
    return withdrawal


def _withdraw_watch_reports(diner: Diner, by: User, channel: str, now: datetime) -> dict | None:
    live = WatchRecipient.objects.filter(diner=diner, stopped_at__isnull=True)
    stopped = live.update(stopped_at=now, stopped_by=by)
    return {"recipients_stopped": stopped} if stopped else None


def _withdraw_phone_calls(diner: Diner, by: User, channel: str, now: datetime) -> dict | None:
    if diner.phone_calls_withdrawn_at is not None:
        return None
    diner.phone_calls_withdrawn_at = now
    diner.concerns_to_emergency_contact = False
    diner.share_with_cook = [share for share in diner.share_with_cook if share != Diner.Share.PHONE]
    diner.save(
        update_fields=["phone_calls_withdrawn_at", "concerns_to_emergency_contact", "share_with_cook", "updated_at"]
    )
    return {}


def _withdraw_loneliness(diner: Diner, by: User, channel: str, now: datetime) -> dict | None:
    changed = MeasureConsent.objects.filter(diner=diner, given=True).update(
        given=False, channel=channel, recorded_by=by, recorded_at=now
    )
    return {} if changed else None


def _withdraw_referrer_contact(diner: Diner, by: User, channel: str, now: datetime) -> dict | None:
    revoked = ProxyAccess.objects.filter(diner=diner, revoked_at__isnull=True).update(revoked_at=now, revoked_by=by)
    if not revoked and not diner.concerns_to_referrer:
        return None
    if diner.concerns_to_referrer:
        diner.concerns_to_referrer = False
        diner.save(update_fields=["concerns_to_referrer", "updated_at"])
    return {"proxies_revoked": revoked}


WITHDRAW = {
    Purpose.WATCH_REPORTS: _withdraw_watch_reports,
    Purpose.PHONE_CALLS: _withdraw_phone_calls,
    Purpose.LONELINESS: _withdraw_loneliness,
    Purpose.REFERRER_CONTACT: _withdraw_referrer_contact,
}


@transaction.atomic
def agree_to_phone_calls(*, diner: Diner, by: User, channel: str, request=None) -> Diner:
    """The diner agrees again to be phoned: the coordinators' feedback-by-phone list shows them again.
    Texts to their emergency contact and their phone number for the cook stay off until their consent
    is recorded again on the consent page (what they agree to share is asked afresh there)."""
    _check_coordinator(by, diner)
    if channel not in Channel.values:
        raise RightsError(_("Select how you are recording this"))
    diner = Diner.objects.select_for_update(of=("self",)).select_related("area").get(pk=diner.pk)
    if diner.phone_calls_withdrawn_at is None:
        raise RightsError(_("%(name)s already agrees to phone calls.") % {"name": diner.addressed})
    diner.phone_calls_withdrawn_at = None
    diner.save(update_fields=["phone_calls_withdrawn_at", "updated_at"])
    audit.record(
        action=audit.Action.CONSENT_GIVEN_AGAIN,
        actor=by,
        obj=diner,
        area=diner.area,
        request=request,
        channel=channel,
        detail={"purpose": Purpose.PHONE_CALLS.value},
    )
    return diner
