"""Every refusal a person can act on is a DomainError, so a view can turn any of them into a message."""

import pytest

from accounts.onboarding.identity_images import IdentityImageError
from accounts.onboarding.services import OnboardingError
from accounts.people.services import AccountError
from accounts.review.services import ActivationRefused
from casserole.errors import DomainError
from meals.diners.services import ReferralError
from meals.matching.services import AlreadyTaken, MatchError
from meals.referrals.services import NotInAreaError
from training.services import TrainingError


@pytest.mark.parametrize(
    "error",
    [
        AccountError,
        OnboardingError,
        ActivationRefused,
        IdentityImageError,
        TrainingError,
        ReferralError,
        NotInAreaError,
        MatchError,
        AlreadyTaken,
    ],
)
def test_each_capabilitys_refusal_is_a_domain_error(error):
    assert issubclass(error, DomainError)


def test_the_message_is_what_the_person_reads():
    error = AccountError("You can only invite coordinators to your own areas.")
    assert str(error) == error.message == "You can only invite coordinators to your own areas."
