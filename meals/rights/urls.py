from django.urls import path

from meals.rights import closing_views, consents_views, copy_views, erasure_views

# In the "meals" namespace: a person's rights over their data.
urlpatterns = [
    # --- A copy of what we hold (meals.rights.copy_views): the page and the JSON file of the same. ---
    path("my-data/", copy_views.my_copy, name="my_data"),
    path("my-data/download/", copy_views.my_copy_download, name="my_data_download"),
    path("diners/<id:pk>/data-copy/", copy_views.proxy_diner_copy, name="proxy_diner_copy"),
    path("diners/<id:pk>/data-copy/download/", copy_views.proxy_diner_copy_download, name="proxy_diner_copy_download"),
    path("coordinator/diners/<id:pk>/data-copy/", copy_views.coordinator_diner_copy, name="coordinator_diner_copy"),
    path(
        "coordinator/diners/<id:pk>/data-copy/download/",
        copy_views.coordinator_diner_copy_download,
        name="coordinator_diner_copy_download",
    ),
    path("coordinator/cooks/<id:pk>/data-copy/", copy_views.coordinator_cook_copy, name="coordinator_cook_copy"),
    path(
        "coordinator/cooks/<id:pk>/data-copy/download/",
        copy_views.coordinator_cook_copy_download,
        name="coordinator_cook_copy_download",
    ),
    # --- End of the copy of what we hold. ---
    # --- Closing, withdrawing consent, erasure requests (meals.rights.closing_views, consents_views,
    # erasure_views). ---
    path("my-account/close/", closing_views.close_account, name="close_account"),
    path("my-account/closed/", closing_views.account_closed, name="account_closed"),
    path("coordinator/cooks/<id:pk>/close/", closing_views.coordinator_close_cook, name="coordinator_close_cook"),
    path("coordinator/diners/<id:pk>/consents/", consents_views.diner_consents, name="coordinator_diner_consents"),
    path("coordinator/diners/<id:pk>/erasure/", erasure_views.diner_erasure, name="coordinator_diner_erasure"),
    path(
        "coordinator/diners/<id:pk>/erasure/<id:request_pk>/carry-out/",
        erasure_views.carry_out,
        name="coordinator_erasure_carry_out",
    ),
    # --- End of closing, withdrawing consent, erasure requests. ---
]
