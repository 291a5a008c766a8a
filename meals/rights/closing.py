"""Closing an account: a cook or a referrer closes their own (or a coordinator of their area closes it
for them, on the phone say). Nothing is left hanging on a closed account:

- the cook's live matches are handed to the coordinators of each diner's area first: an offer still
  waiting is withdrawn, a match sharing the diner's details is ended (the cook's pages read its status,
  so the address goes at once) and the meals still to come are called off; the coordinators are told by
  email, each about the diners of their own areas, so they can find the diner another cook;
- the referrer's access to act for each diner is revoked, and the diners' coordinators are told;
- the account can no longer sign in (`is_active` off: Django and allauth refuse it, and its open
  sessions stop on their next request), and `closed_at` starts the retention clock
  (meals.rights.erasure erases what is left when it runs out).

Coordinators' and administrators' accounts are closed by an administrator instead.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.people.access import can_manage_area
from accounts.people.models import User
from accounts.people.notices import notify_coordinators
from casserole import audit
from casserole.mail import absolute_url
from casserole.models import Channel
from meals.diners.models import ProxyAccess
from meals.matching.models import Match, MatchChangeRequest
from meals.rights.errors import RightsError
from meals.schedule.models import Meal

REASON_MAX_LENGTH = 500  # Match.reason


def _check_may_close(by: User, user: User) -> None:
    if user.is_coordinator or user.is_staff or user.is_superuser:
        raise RightsError(_("Coordinators’ and administrators’ accounts are closed by an administrator."))
    if by.pk == user.pk or by.is_superuser:
        return
    if user.home_area is None or not can_manage_area(by, user.home_area):
        raise RightsError(_("You can only close the accounts of people in your own areas."))


def may_close(by: User, user: User) -> bool:
    """Whether `by` may close `user`'s account now: it is still open and close_account would not refuse
    for who they are."""
    if user.closed_at is not None:
        return False
    try:
        _check_may_close(by, user)
    except RightsError:
        return False
    return True


def live_matches(user: User) -> list[Match]:
    """The cook's matches that closing hands to the coordinators, with their diners: one query."""
    return list(Match.objects.filter(cook=user, status__in=Match.LIVE_STATUSES).select_related("diner").order_by("pk"))


@transaction.atomic
def close_account(
    *,
    user: User,
    by: User,
    reason: str = "",
    channel: str = Channel.WEB,
    request=None,
    now: datetime | None = None,
) -> User:
    """Close `user`'s account (see the module's docstring), by themselves or by a coordinator of their
    area with the channel the person used. Refused when it is already closed. About 15 queries, plus one
    audit entry for each live match and each access to act for a diner (a person has a handful)."""
    _check_may_close(by, user)
    if channel not in Channel.values:
        raise RightsError(_("Select how you are recording this"))
    reason = (reason or "").strip()[:REASON_MAX_LENGTH]
    now = now or timezone.now()
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.closed_at is not None:
        raise RightsError(_("This account is already closed."))
    handed = _hand_over_matches(user, by=by, reason=reason, channel=channel, request=request, now=now)
    revoked = _revoke_proxies(user, by=by, request=request, now=now)
    user.closed_at, user.is_active = now, False
    user.save(update_fields=["closed_at", "is_active"])
    audit.record(
        action=audit.Action.ACCOUNT_CLOSED,
        actor=by,
        obj=user,
        area=user.home_area,
        request=request,
        channel=channel,
        detail={
            "reason": reason[:200],
            "matches_ended": [match.pk for match in handed],
            "proxies_revoked": [access.pk for access in revoked],
        },
    )
    _tell_coordinators(user, handed, revoked)
    return user


def _hand_over_matches(user: User, *, by: User, reason: str, channel: str, request, now: datetime) -> list[Match]:
    matches = list(
        Match.objects.select_for_update(of=("self",))
        .filter(cook=user, status__in=Match.LIVE_STATUSES)
        .select_related("diner", "diner__area", "cook")  # the cook names the match in its audit entries
        .order_by("pk")
    )
    if not matches:
        # Meals this cook covers in other cooks' matches are called off all the same.
        _call_off_meals(user, [], now=now)
        return []
    said = reason or _("The cook closed their account.")
    offers = [match for match in matches if match.status == Match.Status.PROPOSED]
    sharing = [match for match in matches if match.status != Match.Status.PROPOSED]
    Match.objects.filter(pk__in=[match.pk for match in offers]).update(status=Match.Status.WITHDRAWN, updated_at=now)
    Match.objects.filter(pk__in=[match.pk for match in sharing]).update(
        status=Match.Status.ENDED, reason=said, ended_at=now, updated_at=now
    )
    MatchChangeRequest.objects.filter(match__in=matches, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=by
    )
    _call_off_meals(user, sharing, now=now)
    for match in matches:
        ended = match in sharing
        match.status = Match.Status.ENDED if ended else Match.Status.WITHDRAWN
        audit.record(
            action=audit.Action.MATCH_ENDED if ended else audit.Action.MATCH_WITHDRAWN,
            actor=by,
            obj=match,
            area=match.diner.area,
            request=request,
            channel=channel,
            detail={"reason": said[:200], "account_closed": True},
        )
    return matches


def _call_off_meals(user: User, ended: list[Match], *, now: datetime) -> None:
    """The meals still to come: of the ended matches (the match has ended), and any other this cook was
    to bring as cover (the cook can't come)."""
    happening = Meal.objects.filter(status__in=Meal.HAPPENING, starts_at__gt=now)
    values = {"status": Meal.Status.CANCELLED, "cancelled_at": now, "updated_at": now}
    if ended:
        happening.filter(match__in=ended).update(cancel_reason=Meal.CancelReason.MATCH_ENDED, **values)
    happening.filter(cook=user).update(cancel_reason=Meal.CancelReason.COOK_CANNOT, **values)


def _revoke_proxies(user: User, *, by: User, request, now: datetime) -> list[ProxyAccess]:
    accesses = list(
        ProxyAccess.objects.filter(referrer=user, revoked_at__isnull=True).select_related("diner", "diner__area")
    )
    if not accesses:
        return []
    ProxyAccess.objects.filter(pk__in=[access.pk for access in accesses]).update(revoked_at=now, revoked_by=by)
    for access in accesses:
        audit.record(
            action=audit.Action.PROXY_REVOKED,
            actor=by,
            obj=access.diner,
            area=access.diner.area,
            request=request,
            detail={"referrer": user.pk, "account_closed": True},
        )
    return accesses


def _tell_coordinators(user: User, matches: list[Match], accesses: list[ProxyAccess]) -> None:
    """The coordinators of every diner concerned (and of the person's own area), each told only of the
    diners in their own areas, with a link to each match or record."""
    if not matches and not accesses:
        return
    area_ids = {match.diner.area_id for match in matches} | {access.diner.area_id for access in accesses}

    def context(coordinator: User) -> dict:
        mine, language = coordinator.coordinated_area_ids, coordinator.preferred_language
        return {
            "name": user.full_name,
            "was_cook": bool(matches),
            "matches": [
                {
                    "diner_name": match.diner.addressed,
                    "ended": match.status == Match.Status.ENDED,
                    "link": absolute_url("meals:coordinator_match", language, pk=match.pk),
                }
                for match in matches
                if match.diner.area_id in mine
            ],
            "diners": [
                {
                    "diner_name": access.diner.addressed,
                    "link": absolute_url("meals:coordinator_diner", language, pk=access.diner_id),
                }
                for access in accesses
                if access.diner.area_id in mine
            ],
        }

    notify_coordinators(
        area_ids=area_ids | {user.home_area_id},
        template="meals/rights/email/account_closed_coordinator",
        url_name="coordinator:home",
        context=context,
    )
