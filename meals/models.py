"""The meals app's models, one module per capability (Django imports this one)."""

from meals.callbacks.models import CallbackRequest  # noqa: F401
from meals.diners.models import JP_ALLERGENS, UK_ALLERGENS, Allergen, Diner, ProxyAccess, Weekday  # noqa: F401
from meals.matching.models import Match, MatchChangeRequest  # noqa: F401
from meals.referrals.models import AreaWaitlistEntry, Referral, ReferralDraft  # noqa: F401
from meals.relationships.models import (  # noqa: F401
    Concern,
    DoorCase,
    DoorCaseStep,
    Feedback,
    FeedbackAsk,
    LonelinessMeasure,
    MatchNote,
    MeasureConsent,
    Visit,
    VisitReminder,
    WatchRecipient,
    WatchReport,
)
from meals.rights.models import ConsentWithdrawal, ErasureRequest  # noqa: F401
from meals.schedule.models import CalendarFeed, Meal, MealReminder, MealRemindersConsent, MealSeries  # noqa: F401
from meals.schedule.rollup import FirstSharedMeal, SharedMealMonth  # noqa: F401
from meals.signposting.models import OnwardReferral, SupportService  # noqa: F401
