from django.urls import path

from meals.impact import views

# In the "meals" namespace: what the clubs achieve, per area and over a period — figures, charts, CSV.
urlpatterns = [
    path("coordinator/impact/", views.impact, name="coordinator_impact"),
    path("coordinator/impact/figures.csv", views.figures_csv, name="coordinator_impact_figures_csv"),
    path("coordinator/impact/matches.csv", views.matches_csv, name="coordinator_impact_matches_csv"),
]
