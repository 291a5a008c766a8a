from django.urls import path

from meals.signposting import views

# In the "meals" namespace: the directory of other support and a diner's onward referrals.
urlpatterns = [
    path("coordinator/support/", views.directory, name="coordinator_support"),
    path("coordinator/support/new/", views.new, name="coordinator_support_new"),
    path("coordinator/support/<id:pk>/", views.edit, name="coordinator_support_edit"),
    path("coordinator/diners/<id:pk>/support/<id:service_pk>/", views.refer, name="coordinator_support_refer"),
    path("coordinator/onward-referrals/<id:pk>/", views.outcome, name="coordinator_onward_referral"),
]
