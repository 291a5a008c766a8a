from django.urls import path

from accounts.people import views

# Under /account/, in the "accounts" namespace: a person's own account and two-factor settings.
account_urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("details/", views.profile_edit, name="profile_edit"),
    path("two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/backup-codes/", views.backup_codes, name="backup_codes"),
    path("two-factor/turn-off/", views.two_factor_disable, name="two_factor_disable"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
]

# Under /coordinator/, in the "coordinator" namespace: inviting and removing an area's coordinators.
coordinator_urlpatterns = [
    path("coordinators/invite/", views.invite_coordinator, name="invite"),
    path("coordinators/invitations/<id:pk>/cancel/", views.revoke_invitation, name="revoke_invitation"),
    path("coordinators/<id:pk>/remove/", views.remove_coordinator, name="remove_coordinator"),
]
