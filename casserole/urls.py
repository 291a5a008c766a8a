from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from accounts import webhooks
from casserole import views
from training import views as training_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    # Outside the language prefix: Stripe calls one fixed address. Protected by its signature, not CSRF.
    path("stripe/webhook/", webhooks.stripe_webhook, name="stripe_webhook"),
]
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("coordinator/", include("accounts.coordinator_urls")),
    path("training/", include("training.urls")),
    path("", include("meals.urls")),
    path("certificates/check/", training_views.verify, name="verify_certificate"),
    path("coordinator/training/", training_views.coordinator_overview, name="training_overview"),
    prefix_default_language=True,
)
handler403 = "casserole.views.permission_denied"
handler404 = "casserole.views.page_not_found"
# allauth answers rate-limited requests with this handler (templates/429.html on our page shell).
handler429 = "casserole.views.too_many_requests"
