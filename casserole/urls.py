"""The root URLconf: the one place that composes every capability's urls.py into the site.

Each capability keeps its own patterns; they are grouped here under the three URL namespaces the
templates use ("accounts", "coordinator", "meals"). This module is the only one allowed to import
upward from the `casserole` layer (see [tool.importlinter] in pyproject.toml).
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from accounts.onboarding import urls as onboarding_urls
from accounts.onboarding import webhooks
from accounts.people import urls as people_urls
from accounts.people import views as people_views
from accounts.review import urls as review_urls
from accounts.review import views as review_views
from casserole import views
from meals.callbacks import urls as callbacks_urls
from meals.impact import urls as impact_urls
from meals.matching import urls as matching_urls
from meals.proxy import urls as proxy_urls
from meals.records import urls as records_urls
from meals.referrals import urls as referrals_urls
from meals.relationships import urls as relationships_urls
from meals.rights import urls as rights_urls
from meals.schedule import urls as schedule_urls
from meals.signposting import urls as signposting_urls
from meals.triage import urls as triage_urls
from meals.workspace import urls as workspace_urls
from training import views as training_views

account_patterns = people_urls.account_urlpatterns + onboarding_urls.urlpatterns
coordinator_patterns = (
    workspace_urls.urlpatterns
    + people_urls.coordinator_urlpatterns
    + review_urls.urlpatterns
    + callbacks_urls.coordinator_urlpatterns
)
meals_patterns = (
    referrals_urls.urlpatterns
    + proxy_urls.urlpatterns
    + triage_urls.urlpatterns
    + records_urls.urlpatterns
    + matching_urls.urlpatterns
    + callbacks_urls.urlpatterns
    + schedule_urls.urlpatterns
    + relationships_urls.urlpatterns
    + signposting_urls.urlpatterns
    + impact_urls.urlpatterns
    + rights_urls.urlpatterns
)

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
    path("clubs/", people_views.clubs, name="clubs"),
    path("accounts/", include("allauth.urls")),
    path("account/", include((account_patterns, "accounts"))),
    path("coordinator/", include((coordinator_patterns, "coordinator"))),
    path("training/", include("training.urls")),
    path("", include((meals_patterns, "meals"))),
    path("certificates/check/", training_views.verify, name="verify_certificate"),
    path("coordinator/training/", review_views.training_overview, name="training_overview"),
    prefix_default_language=True,
)
handler403 = "casserole.views.permission_denied"
handler404 = "casserole.views.page_not_found"
# allauth answers rate-limited requests with this handler (templates/429.html on our page shell).
handler429 = "casserole.views.too_many_requests"
