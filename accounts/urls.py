from django.urls import path

from accounts import cook_views, views

app_name = "accounts"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("details/", views.profile_edit, name="profile_edit"),
    path("two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/backup-codes/", views.backup_codes, name="backup_codes"),
    path("two-factor/turn-off/", views.two_factor_disable, name="two_factor_disable"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    # Cook onboarding.
    path("cook/", cook_views.status, name="cook_status"),
    path("cook/profile/", cook_views.profile, name="cook_profile"),
    path("cook/identity/", cook_views.identity, name="cook_identity"),
    path("cook/identity/photo/", cook_views.identity_photo, name="cook_identity_photo"),
    path("cook/identity/stripe/", cook_views.identity_stripe_start, name="cook_identity_stripe"),
    path("cook/identity/stripe/return/", cook_views.identity_stripe_return, name="cook_identity_stripe_return"),
]
