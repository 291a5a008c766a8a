"""Reads for the pages that ask for meals."""

import uuid

from meals.referrals.access import referrals_sent_by
from meals.referrals.models import Referral


def sent_with_key(user, session, key: str) -> Referral | None:
    """The request a draft with this submission key became, among those the person sent: a second
    click, or a second tab, is shown what the first one made."""
    try:
        submission_key = uuid.UUID(key)
    except ValueError:
        return None
    return referrals_sent_by(user, session).filter(submission_key=submission_key).first()
