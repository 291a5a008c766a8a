from django.core.management.base import BaseCommand

from meals.callbacks.services import purge_callbacks


class Command(BaseCommand):
    help = "Daily: delete every call-back request dealt with more than CALLBACK_RETENTION_DAYS (90) ago."

    def handle(self, *args, **options):
        deleted = purge_callbacks()
        self.stdout.write(f"Call-back requests deleted: {deleted}")
