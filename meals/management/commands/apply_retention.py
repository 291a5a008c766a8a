from django.core.management.base import BaseCommand

from meals.rights.retention_job import BATCH_SIZE, apply_retention


class Command(BaseCommand):
    help = (
        "Daily: apply the retention schedule (casserole/retention.py): erase closed accounts and diners past "
        "their period, anonymise or delete old messages, notes, concerns and audit entries. Prints what it did "
        "by kind. Running it twice does nothing more."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only count what is due; change nothing.")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="Rows per transaction.")

    def handle(self, *args, dry_run: bool = False, batch_size: int = BATCH_SIZE, **options) -> None:
        report = apply_retention(dry_run=dry_run, batch_size=max(1, batch_size))
        for line in report.lines():
            self.stdout.write(line)
