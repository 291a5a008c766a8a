from django.urls import path

from meals import coordinator_views, match_coordinator_views, match_views, proxy_views, referral_views

app_name = "meals"
urlpatterns = [
    # Asking for meals (a referrer, the diner themselves, or a coordinator taking a phone call).
    path("request/", referral_views.start, name="request_start"),
    path("request/check/", referral_views.check_answers, name="request_check"),
    path("request/not-in-area/", referral_views.not_in_area, name="request_not_in_area"),
    path("request/sent/<int:pk>/", referral_views.sent, name="request_sent"),
    path("request/<slug:step>/", referral_views.step, name="request_step"),
    # A referrer's requests and the diners they act for.
    path("diners/", proxy_views.my_diners, name="my_diners"),
    path("referrals/<int:pk>/", referral_views.referral, name="referral"),
    path("referrals/<int:pk>/answer/", referral_views.answer, name="referral_answer"),
    path("diners/<int:pk>/", proxy_views.diner, name="proxy_diner"),
    path("diners/<int:pk>/edit/<slug:section>/", proxy_views.edit, name="proxy_edit"),
    path("diners/<int:pk>/schedule/", proxy_views.schedule, name="proxy_schedule"),
    path("diners/<int:pk>/card/", proxy_views.card, name="proxy_card"),
    # Coordinators: triage, diner records, assisted digital.
    path("coordinator/referrals/", coordinator_views.referrals, name="coordinator_referrals"),
    path("coordinator/referrals/new/", referral_views.phone_referral, name="coordinator_phone_referral"),
    path("coordinator/referrals/<int:pk>/", coordinator_views.referral, name="coordinator_referral"),
    path("coordinator/diners/", coordinator_views.diners, name="coordinator_diners"),
    path("coordinator/diners/<int:pk>/", coordinator_views.diner, name="coordinator_diner"),
    path("coordinator/diners/<int:pk>/edit/<slug:section>/", coordinator_views.edit, name="coordinator_diner_edit"),
    path("coordinator/diners/<int:pk>/consent/", coordinator_views.consent, name="coordinator_diner_consent"),
    path(
        "coordinator/diners/<int:pk>/status/<slug:action>/",
        coordinator_views.change_status,
        name="coordinator_diner_status",
    ),
    path("coordinator/diners/<int:pk>/location/", coordinator_views.place, name="coordinator_diner_location"),
    path(
        "coordinator/diners/<int:pk>/proxies/<int:access_pk>/",
        coordinator_views.proxy_scope,
        name="coordinator_proxy",
    ),
    path(
        "coordinator/diners/<int:pk>/proxies/<int:access_pk>/revoke/",
        coordinator_views.proxy_revoke,
        name="coordinator_proxy_revoke",
    ),
    path("coordinator/diners/<int:pk>/card/", coordinator_views.card, name="coordinator_diner_card"),
    # Matching: an active cook finds diners nearby and offers; the coordinator approves and introduces.
    path("cook/diners/", match_views.nearby, name="nearby"),
    path("cook/diners/<int:pk>/offer/", match_views.offer, name="offer"),
    path("cook/matches/", match_views.cook_matches, name="cook_matches"),
    path("cook/matches/<int:pk>/", match_views.cook_match, name="cook_match"),
    path("cook/matches/<int:pk>/withdraw/", match_views.withdraw, name="cook_match_withdraw"),
    path("cook/matches/<int:pk>/change/", match_views.change, name="cook_match_change"),
    path("diners/<int:pk>/matches/<int:match_pk>/change/", match_views.proxy_change, name="proxy_match_change"),
    path("coordinator/offers/", match_coordinator_views.offers, name="coordinator_offers"),
    path("coordinator/matches/<int:pk>/", match_coordinator_views.match, name="coordinator_match"),
    path(
        "coordinator/matches/<int:pk>/introduction/",
        match_coordinator_views.introduction,
        name="coordinator_match_introduction",
    ),
    path(
        "coordinator/matches/<int:pk>/status/<slug:action>/",
        match_coordinator_views.change_status,
        name="coordinator_match_status",
    ),
    path(
        "coordinator/diners/<int:pk>/second-cook/",
        match_coordinator_views.second_cook,
        name="coordinator_second_cook",
    ),
]
