"""The daily job that applies the retention schedule (casserole.retention): `manage.py apply_retention`.

For each kind of the schedule it finds the rows whose period has run out and erases, anonymises or deletes
them, in batches of `batch_size` rows (each batch, and each person's erasure, its own transaction, so a
run stopped half way keeps what it did). Every step selects only rows that still hold something, so it is
idempotent: a second run finds nothing and reports zeros. `dry_run` counts what is due and changes nothing.

People go whole: a closed account or a closed diner's record past its period is erased with
meals.rights.erasure (which also clears their rows of the other kinds and reports them there).
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from accounts.onboarding.models import IdentityCheck
from accounts.onboarding.services import purge_identity_images
from accounts.people.models import Invitation, User
from casserole import audit
from casserole.models import AuditEntry, OutboundEmail, OutboundText
from casserole.retention import ERASED, ERASED_EMAIL_DOMAIN, SCHEDULE, ErasureReason, kind
from meals.callbacks.models import CallbackRequest
from meals.callbacks.services import purge_callbacks
from meals.diners.models import Diner
from meals.referrals.models import AreaWaitlistEntry, Referral, ReferralDraft
from meals.relationships.models import Concern, DoorCase, DoorCaseStep, Feedback, MatchNote, Visit, WatchRecipient
from meals.rights.erasure import codes_only, erase_diner, erase_user

BATCH_SIZE = 500
# Who an audit entry says did something when it was no person: kept when the entry is anonymised.
NOT_A_PERSON = ("", "system", "Stripe", ERASED)


@dataclass
class Report:
    """What a run did (or, dry, would do), by kind of the schedule, in the schedule's order."""

    counts: Counter = field(default_factory=Counter)
    held_back: int = 0
    dry_run: bool = False

    def lines(self) -> list[str]:
        verb = "due" if self.dry_run else "done"
        lines = [
            f"{item.key} ({item.setting}={item.days} days, {item.end.value}): {self.counts[item.key]} {verb}"
            for item in SCHEDULE
        ]
        lines.append(f"held back (a concern or door case still open): {self.held_back}")
        return lines


def _cutoff(key: str, now: datetime) -> datetime:
    return now - timedelta(days=kind(key).days)


def _in_batches(queryset: QuerySet, apply: Callable[[QuerySet], int], batch_size: int) -> int:
    """Apply `apply` to `queryset`'s rows a batch at a time until none is left. `apply` must take each row
    out of `queryset` (delete it, or blank what selected it), or the loop stops at the first batch that
    changed nothing."""
    total = 0
    while True:
        pks = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not pks:
            return total
        with transaction.atomic():
            done = apply(queryset.model.objects.filter(pk__in=pks))
        if not done:
            return total
        total += done


def _delete(batch: QuerySet) -> int:
    return batch.delete()[0]


# Who is due -------------------------------------------------------------------------------------------------


def users_due(now: datetime) -> QuerySet:
    """Accounts closed longer ago than RETENTION_ACCOUNT_DAYS and not erased yet."""
    return User.objects.filter(closed_at__lt=_cutoff("account", now)).exclude(email__endswith="@" + ERASED_EMAIL_DOMAIN)


def diners_due(now: datetime) -> QuerySet:
    """Diners closed longer ago than RETENTION_DINER_DAYS (the latest "closed" in the audit log, or the
    record's last change for one closed before it) that are not erased yet, or that were but had a concern
    or door case held back which has closed since."""
    closed_on = (
        AuditEntry.objects.filter(
            action=audit.Action.DINER_CLOSED,
            object_type=Diner._meta.label_lower,
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    left_over = Q(
        Exists(
            Concern.objects.filter(diner=OuterRef("pk"), status=Concern.Status.CLOSED).exclude(
                text="", closing_notes=""
            )
        )
    ) | Q(Exists(DoorCase.objects.filter(diner=OuterRef("pk"), closed_at__isnull=False).exclude(outcome_note="")))
    return (
        Diner.objects.filter(status=Diner.Status.CLOSED)
        .annotate(closed_on=Coalesce(Subquery(closed_on), "updated_at"))
        .filter(closed_on__lt=_cutoff("diner", now))
        .filter(~Q(full_name=ERASED) | left_over)
    )


def _erase_people(report: Report, queryset: QuerySet, erase: Callable, now: datetime, batch_size: int) -> None:
    seen: set[int] = set()
    while True:
        pks = [pk for pk in queryset.order_by("pk").values_list("pk", flat=True)[:batch_size] if pk not in seen]
        if not pks:
            return
        for person in queryset.model.objects.filter(pk__in=pks).order_by("pk"):
            seen.add(person.pk)  # never twice in one run, whatever is left held back
            erasure = erase(person, now)
            report.counts.update(erasure.counts)
            report.held_back += erasure.held_back


# Rows with their own period ------------------------------------------------------------------------------


def _due(now: datetime) -> dict[str, list[tuple[QuerySet, Callable[[QuerySet], int]]]]:
    """For each kind with rows of its own to clear: (rows due, what to do to a batch of them)."""
    visit_cutoff = _cutoff("visit_notes", now)
    concern_cutoff = _cutoff("concerns", now)
    message_cutoff = _cutoff("messages", now)
    audit_cutoff = _cutoff("audit", now)
    return {
        "watch_recipients": [
            (
                WatchRecipient.objects.filter(stopped_at__lt=_cutoff("watch_recipients", now)).exclude(
                    name="", email=""
                ),
                lambda batch: batch.update(name="", email="", relationship=""),
            )
        ],
        "visit_notes": [
            (
                Visit.objects.filter(recorded_at__lt=visit_cutoff).exclude(note="", wellbeing_notes={}),
                lambda batch: batch.update(note="", wellbeing_notes={}),
            )
        ],
        "feedback": [
            (
                Feedback.objects.filter(given_at__lt=_cutoff("feedback", now)).exclude(changes=""),
                lambda batch: batch.update(changes=""),
            )
        ],
        "match_notes": [(MatchNote.objects.filter(written_at__lt=_cutoff("match_notes", now)), _delete)],
        "concerns": [
            (
                Concern.objects.filter(status=Concern.Status.CLOSED, closed_at__lt=concern_cutoff).exclude(
                    text="", closing_notes=""
                ),
                lambda batch: batch.update(text="", closing_notes=""),
            ),
            (
                DoorCase.objects.filter(closed_at__lt=concern_cutoff).exclude(outcome_note=""),
                lambda batch: batch.update(outcome_note=""),
            ),
            (
                DoorCaseStep.objects.filter(case__closed_at__lt=concern_cutoff).exclude(note=""),
                lambda batch: batch.update(note=""),
            ),
        ],
        "messages": [
            (
                OutboundEmail.objects.filter(created_at__lt=message_cutoff)
                .exclude(status=OutboundEmail.Status.QUEUED)
                .exclude(to="", subject="", body="", html_body="", last_error=""),
                lambda batch: batch.update(to="", subject="", body="", html_body="", last_error=""),
            ),
            (
                OutboundText.objects.filter(created_at__lt=message_cutoff)
                .exclude(status=OutboundText.Status.QUEUED)
                .exclude(to="", body="", last_error=""),
                lambda batch: batch.update(to="", body="", last_error=""),
            ),
        ],
        "waitlist": [(AreaWaitlistEntry.objects.filter(created_at__lt=_cutoff("waitlist", now)), _delete)],
        "invitations": [(Invitation.objects.filter(expires_at__lt=_cutoff("invitations", now)), _delete)],
        "drafts": [
            (
                # A draft answering "more information needed" stays while its request is still open.
                ReferralDraft.objects.filter(updated_at__lt=_cutoff("drafts", now)).exclude(
                    referral__status__in=Referral.OPEN_STATUSES
                ),
                _delete,
            )
        ],
        "audit": [
            (
                AuditEntry.objects.filter(created_at__lt=audit_cutoff).filter(
                    Q(actor__isnull=False)
                    | ~Q(actor_label__in=NOT_A_PERSON)
                    | ~Q(object_label="")
                    | Q(ip__isnull=False)
                ),
                _anonymise_audit_entries,
            ),
            (
                LogEntry.objects.filter(action_time__lt=audit_cutoff).exclude(object_repr="", change_message=""),
                lambda batch: batch.update(object_repr="", change_message=""),
            ),
        ],
    }


def _anonymise_audit_entries(batch: QuerySet) -> int:
    """Who and about whom go (actor, labels, IP address, free text); the action, object type and id, area,
    channel and time stay: the impact figures count approvals from them."""
    entries = list(batch)
    for entry in entries:
        entry.actor = None
        if entry.actor_label not in NOT_A_PERSON:
            entry.actor_label = ""
        entry.object_label = ""
        entry.ip = None
        entry.detail = codes_only(entry.detail)
    return AuditEntry.objects.bulk_update(entries, ["actor", "actor_label", "object_label", "ip", "detail"])


def _dry_counts(now: datetime) -> Counter:
    counts = Counter()
    counts["account"] = users_due(now).count()
    counts["diner"] = diners_due(now).count()
    counts["identity_photos"] = (
        IdentityCheck.objects.exclude(image_name="").filter(created_at__lt=_cutoff("identity_photos", now)).count()
    )
    counts["callbacks"] = CallbackRequest.objects.filter(handled_at__lt=_cutoff("callbacks", now)).count()
    for key, steps in _due(now).items():
        counts[key] += sum(queryset.count() for queryset, _apply in steps)
    return counts


def apply_retention(*, now: datetime | None = None, dry_run: bool = False, batch_size: int = BATCH_SIZE) -> Report:
    """Apply the whole schedule once (see the module's docstring) and say what was done, by kind."""
    now = now or timezone.now()
    report = Report(dry_run=dry_run)
    if dry_run:
        report.counts = _dry_counts(now)
        return report
    _erase_people(
        report,
        users_due(now),
        lambda user, now: erase_user(user=user, by=None, reason=ErasureReason.RETENTION, now=now),
        now,
        batch_size,
    )
    _erase_people(
        report,
        diners_due(now),
        lambda diner, now: erase_diner(diner=diner, by=None, reason=ErasureReason.RETENTION, now=now),
        now,
        batch_size,
    )
    report.counts["identity_photos"] += purge_identity_images(now=now)
    report.counts["callbacks"] += purge_callbacks(now=now)
    for key, steps in _due(now).items():
        for queryset, apply in steps:
            report.counts[key] += _in_batches(queryset, apply, batch_size)
    if sum(report.counts.values()):
        audit.record(
            action=audit.Action.RETENTION_APPLIED,
            actor_label="system",
            detail={"counts": {key: count for key, count in sorted(report.counts.items()) if count}},
        )
    return report
