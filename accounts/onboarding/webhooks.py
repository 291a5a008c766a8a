"""Stripe calls this one fixed address (outside the language prefix). It is protected by Stripe's
signature instead of a CSRF token: accounts.onboarding.stripe_identity checks it before anything is written."""

from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.onboarding import stripe_identity


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        stripe_identity.handle_webhook(request.body, request.headers.get("Stripe-Signature", ""))
    except stripe_identity.InvalidWebhook:
        return HttpResponseBadRequest()
    # Duplicates and events we ignore get 200 too: Stripe would otherwise retry them for days.
    return HttpResponse(status=200)
