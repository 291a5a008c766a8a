from django.core.management.base import BaseCommand

from meals.schedule.reminders import send_meal_reminders


class Command(BaseCommand):
    help = (
        "Hourly (or at least daily): remind cooks, and proxies who asked, of tomorrow's meals, tomorrow in each "
        "area's time zone. Each reminder is sent once, however often this runs."
    )

    def handle(self, *args, **options):
        sent = send_meal_reminders()
        self.stdout.write(
            f"Reminders to cooks: {sent['cooks']}, to proxies: {sent['proxies']}, already sent: {sent['already_sent']}"
        )
