from django.core.management.base import BaseCommand

from meals.relationships.rollup import rebuild_shared_meals


class Command(BaseCommand):
    help = (
        "Count the shared meals of the impact figures again from every delivered visit "
        "(meals.schedule.rollup): after rows were written in bulk without the visit service, or to repair them. "
        "Run it while no visit is being recorded."
    )

    def handle(self, *args, **options):
        months, firsts = rebuild_shared_meals()
        self.stdout.write(f"Match months with shared meals: {months}, diners with a first shared meal: {firsts}")
