from django.urls import path

from meals.workspace import views

# Under /coordinator/, in the "coordinator" namespace.
urlpatterns = [
    path("", views.coordinator_home, name="home"),
    path("waiting/", views.waiting_list, name="waiting_list"),
    path("search/", views.search, name="search"),
]
