from django.urls import path

from meals.proxy import views

# In the "meals" namespace: a referrer's requests and the diners they act for.
urlpatterns = [
    path("diners/", views.my_diners, name="my_diners"),
    path("diners/<id:pk>/", views.diner, name="proxy_diner"),
    path("diners/<id:pk>/edit/<slug:section>/", views.edit, name="proxy_edit"),
    path("diners/<id:pk>/schedule/", views.schedule, name="proxy_schedule"),
    path("diners/<id:pk>/card/", views.card, name="proxy_card"),
]
