from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("details/", views.profile_edit, name="profile_edit"),
    path("two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/backup-codes/", views.backup_codes, name="backup_codes"),
    path("two-factor/turn-off/", views.two_factor_disable, name="two_factor_disable"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
