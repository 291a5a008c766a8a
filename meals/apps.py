from django.apps import AppConfig


class MealsConfig(AppConfig):
    name = "meals"

    def ready(self):
        from meals.matching import area_rule  # noqa: F401  (a live match holds a cook to their area)
