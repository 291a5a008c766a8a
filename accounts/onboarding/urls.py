from django.urls import path

from accounts.onboarding import views

# Under /account/, in the "accounts" namespace: a cook's own path to approval.
urlpatterns = [
    path("cook/", views.status, name="cook_status"),
    path("cook/profile/", views.profile, name="cook_profile"),
    path("cook/identity/", views.identity, name="cook_identity"),
    path("cook/identity/photo/", views.identity_photo, name="cook_identity_photo"),
    path("cook/identity/stripe/", views.identity_stripe_start, name="cook_identity_stripe"),
    path("cook/identity/stripe/return/", views.identity_stripe_return, name="cook_identity_stripe_return"),
]
