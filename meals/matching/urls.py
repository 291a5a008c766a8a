from django.urls import path

from meals.matching import views

# In the "meals" namespace: an active cook finds diners nearby and offers; the coordinator approves
# and introduces; either side may ask for a change.
urlpatterns = [
    path("cook/diners/", views.nearby, name="nearby"),
    path("cook/diners/<int:pk>/offer/", views.offer, name="offer"),
    path("cook/matches/", views.cook_matches, name="cook_matches"),
    path("cook/matches/<int:pk>/", views.cook_match, name="cook_match"),
    path("cook/matches/<int:pk>/withdraw/", views.withdraw, name="cook_match_withdraw"),
    path("cook/matches/<int:pk>/change/", views.change, name="cook_match_change"),
    path("diners/<int:pk>/matches/<int:match_pk>/change/", views.proxy_change, name="proxy_match_change"),
    path("coordinator/offers/", views.offers, name="coordinator_offers"),
    path("coordinator/matches/<int:pk>/", views.match, name="coordinator_match"),
    path("coordinator/matches/<int:pk>/introduction/", views.introduction, name="coordinator_match_introduction"),
    path("coordinator/matches/<int:pk>/status/<slug:action>/", views.change_status, name="coordinator_match_status"),
    path("coordinator/diners/<int:pk>/second-cook/", views.second_cook, name="coordinator_second_cook"),
]
