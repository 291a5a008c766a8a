"""The accounts app's models, one module per capability (Django imports this one)."""

from accounts.onboarding.models import CookMove, CookProfile, IdentityCheck, StripeEvent  # noqa: F401
from accounts.people.models import (  # noqa: F401
    Area,
    CoordinatorMembership,
    Invitation,
    InvitationQuerySet,
    User,
    UserManager,
    default_language_for,
)
