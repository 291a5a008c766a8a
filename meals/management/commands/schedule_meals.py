from django.core.management.base import BaseCommand

from meals.schedule.services import schedule_meals


class Command(BaseCommand):
    help = (
        "Daily: make each repeating meal's occurrences a few weeks ahead (MEAL_HORIZON_WEEKS), and call off "
        "the meals still to come in paused or ended matches. Safe to run twice."
    )

    def handle(self, *args, **options):
        done = schedule_meals()
        self.stdout.write(f"Meals made: {done['made']}, meals called off: {done['stopped']}")
