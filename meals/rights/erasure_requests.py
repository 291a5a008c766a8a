"""Erasure requests: someone asks for a diner's record to be erased (the diner, or someone for them, on the
phone, in writing, in person). A coordinator of the diner's area records when it came; it is due
ERASURE_DUE_DAYS later (UK GDPR: one month); the coordinator carries it out with meals.rights.erasure.
The page shows them the exceptions first:

- the record must be closed first (status "closed"), which ends their matches and meals and stops anyone
  acting for them: until then the request cannot be carried out;
- a safeguarding record under review (a concern or an unanswered-door case still open) is not erased with
  the rest: it keeps its words until it is closed, and the retention job erases them after that.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.people.access import can_manage_area
from accounts.people.models import User
from casserole import audit
from casserole.models import Channel
from casserole.retention import ErasureReason
from meals.diners.models import Diner
from meals.relationships.models import Concern, DoorCase
from meals.rights import erasure
from meals.rights.errors import RightsError
from meals.rights.models import ErasureRequest


@dataclass(frozen=True)
class ErasureException:
    """Why a request cannot be carried out yet, and what would clear it."""

    code: str
    message: Promise
    blocks: bool  # True: the request cannot be carried out until it is cleared; False: kept back only
    count: int = 0


def _zone(diner: Diner) -> str:
    return diner.area.time_zone if diner.area_id else settings.TIME_ZONE


def due_by(received_at: datetime) -> datetime:
    """When a request received at `received_at` must be carried out by."""
    return received_at + timedelta(days=settings.ERASURE_DUE_DAYS)


def exceptions_for(diner: Diner) -> list[ErasureException]:
    """What holds an erasure of this diner back now. Two queries (open concerns, open door cases)."""
    found = []
    if diner.status != Diner.Status.CLOSED:
        found.append(
            ErasureException(
                "not_closed",
                gettext_lazy("Their record is not closed. Close it first: that ends their matches and meals."),
                blocks=True,
            )
        )
    concerns = Concern.objects.filter(diner=diner).exclude(status=Concern.Status.CLOSED).count()
    if concerns:
        found.append(
            ErasureException(
                "open_concern",
                gettext_lazy(
                    "A concern about them is still open (a safeguarding record under review). It is kept until "
                    "it is closed."
                ),
                blocks=False,
                count=concerns,
            )
        )
    doors = DoorCase.objects.filter(diner=diner, closed_at__isnull=True).count()
    if doors:
        found.append(
            ErasureException(
                "open_door_case",
                gettext_lazy(
                    "An unanswered-door case about them is still open (a safeguarding record under review). It is "
                    "kept until it is closed."
                ),
                blocks=False,
                count=doors,
            )
        )
    return found


def requests_for(diner: Diner) -> list[ErasureRequest]:
    """The diner's erasure requests, the open one first, with who recorded and carried them out: one query."""
    return list(
        ErasureRequest.objects.filter(diner=diner)
        .select_related("recorded_by", "carried_out_by")
        .order_by("-status", "-received_at", "-pk")
    )


def _check_coordinator(by: User, diner: Diner) -> None:
    if diner.area is None or not can_manage_area(by, diner.area):
        raise RightsError(_("You can only record this for diners in your own areas."))


@transaction.atomic
def record_erasure_request(
    *, diner: Diner, by: User, received_on: date, channel: str, request=None, now: datetime | None = None
) -> ErasureRequest:
    """A coordinator records that the diner (or someone for them) asked for their record to be erased,
    on `received_on` (the start of that day in the area's zone counts): due ERASURE_DUE_DAYS later.
    Refused for a day still to come, and while another request for them is open."""
    _check_coordinator(by, diner)
    if channel not in Channel.values:
        raise RightsError(_("Select how they asked"))
    now = now or timezone.now()
    zone = _zone(diner)
    if received_on > now.astimezone(ZoneInfo(zone)).date():
        raise RightsError(_("The date they asked must be today or in the past"))
    received_at = datetime.combine(received_on, time.min, tzinfo=ZoneInfo(zone))
    taken = _("An erasure request for %(name)s is already open.") % {"name": diner.addressed}
    if ErasureRequest.objects.filter(diner=diner, status=ErasureRequest.Status.OPEN).exists():
        raise RightsError(taken)
    try:
        with transaction.atomic():
            erasure_request = ErasureRequest.objects.create(
                diner=diner,
                received_at=received_at,
                due_by=due_by(received_at),
                channel=channel,
                recorded_by=by,
                recorded_at=now,
            )
    except IntegrityError:  # the same request recorded a moment ago (a double click)
        raise RightsError(taken) from None
    audit.record(
        action=audit.Action.ERASURE_REQUESTED,
        actor=by,
        obj=diner,
        area=diner.area,
        request=request,
        channel=channel,
        detail={"erasure_request": erasure_request.pk, "due_by": erasure_request.due_by.isoformat()},
    )
    return erasure_request


@transaction.atomic
def carry_out_erasure_request(
    *, erasure_request: ErasureRequest, by: User, request=None, now: datetime | None = None
) -> ErasureRequest:
    """Erase the diner's record now (meals.rights.erasure.erase_diner, which keeps a safeguarding record
    under review until it is closed) and mark the request carried out. Refused while a blocking exception
    holds (exceptions_for) or when it was carried out already. Returns the request with `held_back`: how
    many safeguarding records were kept."""
    now = now or timezone.now()
    locked = ErasureRequest.objects.select_for_update(of=("self",)).get(pk=erasure_request.pk)
    if not locked.is_open:
        raise RightsError(_("This erasure request has already been carried out."))
    diner = Diner.objects.select_for_update(of=("self",)).select_related("area").get(pk=locked.diner_id)
    _check_coordinator(by, diner)
    blocking = [exception for exception in exceptions_for(diner) if exception.blocks]
    if blocking:
        raise RightsError(" ".join(str(exception.message) for exception in blocking))
    audit.record(
        action=audit.Action.ERASURE_REQUEST_CARRIED_OUT,
        actor=by,
        obj=diner,
        area=diner.area,
        request=request,
        detail={"erasure_request": locked.pk, "late": now > locked.due_by},
    )
    erased = erasure.erase_diner(diner=diner, by=by, reason=ErasureReason.REQUEST, now=now)
    locked.held_back = erased.held_back
    locked.status, locked.carried_out_by, locked.carried_out_at = ErasureRequest.Status.DONE, by, now
    locked.save(update_fields=["status", "carried_out_by", "carried_out_at"])
    return locked
