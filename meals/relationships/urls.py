from django.urls import path

from meals.relationships.views import concerns, door, feedback, loneliness, timeline, visits, watch

# In the "meals" namespace: the relationship log — visit records, an unanswered door, concerns, watch
# reports, feedback and friendship, the loneliness measure and each match's timeline.
urlpatterns = [
    # The cook.
    path("cook/meals/<id:pk>/visit/", visits.record, name="cook_visit"),
    path("cook/visits/<id:pk>/no-answer/", visits.no_answer, name="cook_no_answer"),
    path("cook/visits/<id:pk>/concern/", concerns.from_visit, name="cook_visit_concern"),
    path("cook/matches/<id:pk>/feedback/", feedback.cook, name="cook_feedback"),
    path("cook/matches/<id:pk>/timeline/", timeline.cook, name="cook_timeline"),
    # The diner's side.
    path("diners/<id:pk>/concerns/new/", concerns.from_referrer, name="proxy_concern"),
    path("diners/<id:pk>/matches/<id:match_pk>/feedback/", feedback.proxy, name="proxy_feedback"),
    path("diners/<id:pk>/matches/<id:match_pk>/timeline/", timeline.proxy, name="proxy_timeline"),
    path("diners/<id:pk>/watch/", watch.proxy, name="proxy_watch"),
    # The coordinator.
    path("coordinator/door-cases/<id:pk>/", door.case, name="coordinator_door_case"),
    path("coordinator/concerns/", concerns.queue, name="coordinator_concerns"),
    path("coordinator/concerns/<id:pk>/", concerns.concern, name="coordinator_concern"),
    path("coordinator/diners/<id:pk>/concerns/new/", concerns.from_coordinator, name="coordinator_concern_new"),
    path("coordinator/diners/<id:pk>/watch/", watch.coordinator, name="coordinator_watch"),
    path("coordinator/diners/<id:pk>/watch/<id:recipient_pk>/stop/", watch.stop, name="coordinator_watch_stop"),
    path("coordinator/matches/<id:pk>/feedback/", feedback.coordinator, name="coordinator_feedback"),
    path("coordinator/diners/<id:pk>/loneliness/", loneliness.coordinator, name="coordinator_loneliness"),
    path("coordinator/matches/<id:pk>/timeline/", timeline.coordinator, name="coordinator_timeline"),
]
