"""`manage.py retry_emails`: hand every email that is still waiting to the background worker again.

Needed when deliveries could not be retried on their own, for example after the mail server was down
while a task backend that cannot schedule a later retry was in use. Queuing an email twice is
harmless: `deliver_email` locks the row and never sends a message that is already sent.
"""

from collections import Counter

from django.core.management.base import BaseCommand
from django.db import transaction
from django.tasks import TaskResultStatus

from casserole import audit
from casserole.models import OutboundEmail
from casserole.tasks import deliver_email


class Command(BaseCommand):
    help = "Queue delivery again for every email that is still queued; with --failed, failed emails too."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--failed",
            action="store_true",
            help="First put failed emails back in the queue with their attempt count reset to 0.",
        )

    def handle(self, *args, failed: bool = False, **options) -> None:
        with transaction.atomic():
            reset = 0
            if failed:
                reset = OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED).update(
                    status=OutboundEmail.Status.QUEUED, attempts=0
                )
            email_ids = list(
                OutboundEmail.objects.filter(status=OutboundEmail.Status.QUEUED)
                .order_by("created_at", "pk")
                .values_list("pk", flat=True)
            )
            audit.record(
                action=audit.Action.EMAILS_REQUEUED,
                actor_label="manage.py retry_emails",
                detail={"queued": len(email_ids), "failed_reset": reset},
            )

        # Enqueued after the commit, so a worker never picks up an email whose reset it cannot see yet.
        outcomes: Counter[str] = Counter()
        for email_id in email_ids:
            result = deliver_email.enqueue(email_id)
            if result.is_finished:
                outcomes[result.return_value if result.status == TaskResultStatus.SUCCESSFUL else "error"] += 1

        if failed:
            self.stdout.write(f"Failed emails put back in the queue: {reset}")
        self.stdout.write(self.style.SUCCESS(f"Emails queued for delivery: {len(email_ids)}"))
        if outcomes:
            # A backend that runs tasks at once (the immediate backend) has already tried them.
            summary = ", ".join(f"{name}: {count}" for name, count in sorted(outcomes.items()))
            self.stdout.write(f"Delivered straight away ({summary}).")
        elif email_ids:
            self.stdout.write("The background worker (`manage.py db_worker`) will send them.")
