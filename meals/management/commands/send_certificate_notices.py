from django.core.management.base import BaseCommand

from meals.matching.services import send_certificate_notices


class Command(BaseCommand):
    help = "Daily: remind cooks 60 and 14 days before their food-safety certificate expires, and on expiry."

    def handle(self, *args, **options):
        sent = send_certificate_notices()
        self.stdout.write(", ".join(f"{kind}: {count}" for kind, count in sent.items()))
