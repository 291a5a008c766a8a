from django.urls import path

from meals.matching import views

# In the "meals" namespace: an active cook finds diners nearby and offers; the coordinator approves
# and introduces; either side may ask for a change.
urlpatterns = [
    path("cook/diners/", views.nearby, name="nearby"),
    path("cook/diners/<id:pk>/offer/", views.offer, name="offer"),
    path("cook/matches/", views.cook_matches, name="cook_matches"),
    path("cook/matches/<id:pk>/", views.cook_match, name="cook_match"),
    path("cook/matches/<id:pk>/withdraw/", views.withdraw, name="cook_match_withdraw"),
    path("cook/matches/<id:pk>/change/", views.change, name="cook_match_change"),
    path("diners/<id:pk>/matches/<id:match_pk>/change/", views.proxy_change, name="proxy_match_change"),
    path("coordinator/offers/", views.offers, name="coordinator_offers"),
    path("coordinator/matches/<id:pk>/", views.match, name="coordinator_match"),
    path("coordinator/matches/<id:pk>/introduction/", views.introduction, name="coordinator_match_introduction"),
    path("coordinator/matches/<id:pk>/status/<slug:action>/", views.change_status, name="coordinator_match_status"),
    path("coordinator/diners/<id:pk>/second-cook/", views.second_cook, name="coordinator_second_cook"),
]
