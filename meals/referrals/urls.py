from django.urls import path

from meals.referrals import views

# In the "meals" namespace. Asking for meals: a referrer, the diner themselves, or a coordinator
# taking a phone call.
urlpatterns = [
    path("request/", views.start, name="request_start"),
    path("request/check/", views.check_answers, name="request_check"),
    path("request/not-in-area/", views.not_in_area, name="request_not_in_area"),
    path("request/sent/<id:pk>/", views.sent, name="request_sent"),
    path("request/<slug:step>/", views.step, name="request_step"),
    path("referrals/<id:pk>/", views.referral, name="referral"),
    path("referrals/<id:pk>/answer/", views.answer, name="referral_answer"),
    path("coordinator/referrals/new/", views.phone_referral, name="coordinator_phone_referral"),
]
