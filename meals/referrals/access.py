"""Who may see and do what with requests for meals and their drafts. Views fetch them only through these
helpers: another area's request, or a request or draft someone else made, is a 404 exactly like a
missing id."""

from django.db.models import Q
from django.http import Http404

from accounts.people.access import areas_for_coordinator, can_manage_area
from meals.referrals.models import Referral, ReferralDraft

# Session keys: the draft being written (signed in), the key of an anonymous person's draft, and the
# requests this browser sent (so their confirmation pages can be shown to someone without an account).
DRAFT_SESSION_KEY = "meals_draft"
ANONYMOUS_SESSION_KEY = "meals_draft_key"
SENT_SESSION_KEY = "meals_sent"


def get_referral_for_coordinator(user, pk: int) -> Referral:
    referral = (
        Referral.objects.select_related("diner", "diner__area", "referrer", "decided_by")
        .filter(pk=pk, diner__area__in=areas_for_coordinator(user))
        .first()
    )
    if referral is None:
        raise Http404
    return referral


def get_referral_for_referrer(user, pk: int) -> Referral:
    """A request the user made themselves, or 404."""
    referral = Referral.objects.select_related("diner", "diner__area").filter(pk=pk, referrer=user).first()
    if referral is None:
        raise Http404
    return referral


def current_draft(user, session) -> ReferralDraft | None:
    """The draft this person is writing: theirs by owner when signed in (the one the session chose, else
    their most recently saved), or the anonymous draft whose random key this session holds. Nobody
    reaches another person's draft."""
    if user.is_authenticated:
        drafts = ReferralDraft.objects.select_related("referral").filter(owner=user)
        chosen = session.get(DRAFT_SESSION_KEY)
        draft = drafts.filter(pk=chosen).first() if chosen else None
        return draft or drafts.first()  # the most recently saved
    key = session.get(ANONYMOUS_SESSION_KEY)
    if not key:
        return None
    return ReferralDraft.objects.filter(owner=None, session_key=key).first()


def referrals_sent_by(user, session):
    """Requests this person may see the confirmation of: made or referred by them when signed in, else
    the anonymous ones sent from this browser."""
    if user.is_authenticated:
        return Referral.objects.filter(Q(created_by=user) | Q(referrer=user))
    return Referral.objects.filter(pk__in=session.get(SENT_SESSION_KEY, []), referrer=None)


def get_sent_referral(user, session, pk: int) -> Referral:
    """A request this person sent (see referrals_sent_by), with its diner's area, or 404."""
    referral = referrals_sent_by(user, session).select_related("diner", "diner__area").filter(pk=pk).first()
    if referral is None:
        raise Http404
    return referral


def can_triage(user, referral: Referral) -> bool:
    """Whether the person who sent this request may also decide it: a coordinator of the diner's area
    (or an admin), who is then offered the link to the request in the coordinators' queue."""
    area = referral.diner.area
    return bool(user.is_authenticated and area is not None and can_manage_area(user, area))
