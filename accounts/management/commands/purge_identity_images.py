from django.core.management.base import BaseCommand

from accounts.onboarding.services import purge_identity_images


class Command(BaseCommand):
    help = (
        "Daily: delete every identity photo older than IDENTITY_IMAGE_RETENTION_DAYS (7), decided or not, "
        "and any stray file in private storage that no check points to."
    )

    def handle(self, *args, **options):
        deleted = purge_identity_images()
        self.stdout.write(f"Identity photos deleted: {deleted}")
