from django.urls import path

from meals.records import views

# In the "meals" namespace: a coordinator's diner records.
urlpatterns = [
    path("coordinator/diners/", views.diners, name="coordinator_diners"),
    path("coordinator/diners/<id:pk>/", views.diner, name="coordinator_diner"),
    path("coordinator/diners/<id:pk>/edit/<slug:section>/", views.edit, name="coordinator_diner_edit"),
    path("coordinator/diners/<id:pk>/consent/", views.consent, name="coordinator_diner_consent"),
    path("coordinator/diners/<id:pk>/status/<slug:action>/", views.change_status, name="coordinator_diner_status"),
    path("coordinator/diners/<id:pk>/location/", views.place, name="coordinator_diner_location"),
    path("coordinator/diners/<id:pk>/proxies/<id:access_pk>/", views.proxy_scope, name="coordinator_proxy"),
    path(
        "coordinator/diners/<id:pk>/proxies/<id:access_pk>/revoke/",
        views.proxy_revoke,
        name="coordinator_proxy_revoke",
    ),
    path("coordinator/diners/<id:pk>/card/", views.card, name="coordinator_diner_card"),
]
