from django.urls import path

from meals.callbacks import views

# In the "meals" namespace: asking to be phoned about meals, with no account.
urlpatterns = [
    path("call-me/", views.request_callback, name="callback_request"),
    path("call-me/sent/", views.sent, name="callback_sent"),
    path("call-me/no-club/", views.no_club, name="callback_no_club"),
]

# Under /coordinator/, in the "coordinator" namespace: the call-backs waiting in the coordinator's areas.
coordinator_urlpatterns = [
    path("call-backs/", views.queue, name="callbacks"),
    path("call-backs/<id:pk>/", views.callback, name="callback"),
]
