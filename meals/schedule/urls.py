from django.urls import path

from meals.schedule.views import calendar, cook, coordinator, diner_side, printing

# In the "meals" namespace: the cook's meals and series, the diner's side (confirm, preferences,
# reminders), the coordinator's week, cover and phone confirmations, labels and the calendar feed.
urlpatterns = [
    path("cook/meals/", cook.meals, name="cook_meals"),
    path("cook/matches/<id:pk>/meals/new/", cook.propose, name="cook_meal_new"),
    path("cook/meals/<id:pk>/", cook.meal, name="cook_meal"),
    path("cook/meals/<id:pk>/change/", cook.change, name="cook_meal_change"),
    path("cook/meals/<id:pk>/cancel/", cook.cancel, name="cook_meal_cancel"),
    path("cook/series/<id:pk>/change/", cook.change_series, name="cook_series_change"),
    path("cook/series/<id:pk>/end/", cook.end_series, name="cook_series_end"),
    path("cook/meals/<id:pk>/label/", printing.label, name="cook_meal_label"),
    path("cook/calendar/", calendar.settings, name="cook_calendar"),
    path("calendar/<slug:token>.ics", calendar.feed, name="calendar_feed"),
    path("diners/<id:pk>/meals/<id:meal_pk>/decide/", diner_side.decide, name="proxy_meal_decide"),
    path("diners/<id:pk>/preferences/", diner_side.preferences, name="proxy_preferences"),
    path("diners/<id:pk>/reminders/", diner_side.reminders, name="proxy_reminders"),
    path("coordinator/meals/", coordinator.week, name="coordinator_week"),
    path("coordinator/meals/<id:pk>/", coordinator.meal, name="coordinator_meal"),
    path("coordinator/diners/<id:pk>/meals/", coordinator.diner_meals, name="coordinator_diner_meals"),
    path("coordinator/diners/<id:pk>/preferences/", coordinator.preferences, name="coordinator_preferences"),
]
