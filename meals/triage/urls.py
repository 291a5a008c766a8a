from django.urls import path

from meals.triage import views

# In the "meals" namespace: a coordinator's queue of requests and the decision on each.
urlpatterns = [
    path("coordinator/referrals/", views.referrals, name="coordinator_referrals"),
    path("coordinator/referrals/<id:pk>/", views.referral, name="coordinator_referral"),
]
