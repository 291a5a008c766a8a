from django.core.management.base import BaseCommand

from meals.relationships import concerns, door, feedback, visits, watch


class Command(BaseCommand):
    help = (
        "Every few minutes: raise again an unanswered door nobody has picked up, escalate concerns left open, "
        "remind cooks of visits not recorded, ask for feedback that is due, send watch reports to family. "
        "Each step happens once, however often this runs."
    )

    def handle(self, *args, **options):
        # The door first: it is the one measured in minutes.
        results = {
            "door cases raised again": door.reraise_door_cases(),
            "concerns escalated": concerns.escalate_concerns(),
            "visit records reminded": visits.remind_overdue_visits(),
            "feedback asked": feedback.ask_for_feedback(),
            "watch reports sent": watch.send_watch_reports(),
        }
        for label, result in results.items():
            # Only what this run did: the "already_…" counts are what earlier runs had done.
            count = (
                sum(v for k, v in result.items() if not k.startswith("already_"))
                if isinstance(result, dict)
                else result
            )
            self.stdout.write(f"{label}: {count}")
