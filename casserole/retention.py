"""The retention schedule: every kind of personal data Casserole holds, how long it is kept, counted from
what, and what happens at the end. The one home of these rules:

- the daily job (`manage.py apply_retention`, meals.rights.retention_job) applies it;
- the privacy page renders its summary from `SCHEDULE`, in the reader's language;
- docs/production.md lists every kind with its setting and default (tests/casserole/test_retention.py
  fails if one is missing or its default differs).

Each period is a setting, `RETENTION_<…>_DAYS` in casserole/settings.py, read when it is used (so tests
can override it). Counts, dates and statuses stay when the details go, so the impact figures do not
change when people leave.

Data only, and the lowest layer: models are named by their label ("meals.diner"), never imported.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# What an erased name becomes, on every row that had one (people, diners, labels in the audit log).
# Stored, so never translated; pages show it as `shown_name` gives it, in the reader's language.
ERASED = "[erased]"
ERASED_SHOWN = _("[erased]")


def shown_name(value):
    """A stored name as a page shows it: the erased placeholder in the reader's language, any other
    value unchanged (templates do this through the `bdi` and `no_bidi` filters, names through
    casserole.names.addressed)."""
    return ERASED_SHOWN if value == ERASED else value


# An erased account's email address: unique, undeliverable (RFC 2606's .invalid), and frees the real one
# for a new sign-up.
ERASED_EMAIL_DOMAIN = "erased.invalid"


def erased_email(pk: int) -> str:
    return f"erased-{pk}@{ERASED_EMAIL_DOMAIN}"


def is_erased_email(email: str) -> bool:
    return email.endswith("@" + ERASED_EMAIL_DOMAIN)


class Start(models.TextChoices):
    """What a period is counted from. The labels finish "… days after …" on the privacy page."""

    ACCOUNT_CLOSED = "account_closed", _("the account is closed")
    DINER_CLOSED = "diner_closed", _("the person stops receiving meals")
    CREATED = "created", _("it is written")
    SENT = "sent", _("it is sent")
    HANDLED = "handled", _("the call is dealt with")
    CASE_CLOSED = "case_closed", _("it is closed")
    STOPPED = "stopped", _("they are stopped")
    LAST_CHANGED = "last_changed", _("it was last changed")
    EXPIRES = "expires", _("it expires")


class End(models.TextChoices):
    """What happens when the period is over."""

    ERASE = "erase", _("Erased: names, contact details and notes removed or replaced with a placeholder")
    ANONYMISE = "anonymise", _("Anonymised: the words removed; dates, answers and outcomes kept")
    KEEP_COUNTS = "keep_counts", _("Only anonymous facts kept, for the figures of what the clubs achieve")
    DELETE = "delete", _("Deleted")


class ErasureReason(models.TextChoices):
    """Why someone's details were erased: stored in the audit entry (never free text, which could name them)."""

    RETENTION = "retention", _("The retention period ended")
    REQUEST = "request", _("They asked")


@dataclass(frozen=True)
class Kind:
    """One kind of personal data. `setting` names the period (several kinds may share one: they go
    together); `default_days` is its default in casserole/settings.py and docs/production.md; `models`
    are the labels of the rows it covers; `exception` says what the job will not touch."""

    key: str
    what: Promise
    setting: str
    default_days: int
    start: Start
    end: End
    models: tuple[str, ...]
    exception: Promise | None = None

    @property
    def days(self) -> int:
        return getattr(settings, self.setting)

    def period(self) -> str:
        """ "30 days after the account is closed", in the active language."""
        return ngettext(
            "%(days)s day after %(start)s",
            "%(days)s days after %(start)s",
            self.days,
        ) % {"days": self.days, "start": self.start.label}


SAFEGUARDING_EXCEPTION = _(
    "A concern or an unanswered-door case still open or being looked at is kept until it is closed."
)

SCHEDULE: tuple[Kind, ...] = (
    # A person with an account: the cook, the person who requests meals, a coordinator.
    Kind(
        key="account",
        what=_("Accounts: name, email address, phone number, home address, cook’s profile and sign-in settings"),
        setting="RETENTION_ACCOUNT_DAYS",
        default_days=30,
        start=Start.ACCOUNT_CLOSED,
        end=End.ERASE,
        models=(
            "accounts.user",
            "accounts.cookprofile",
            "accounts.cookmove",
            "accounts.invitation",
            "account.emailaddress",
            "otp_totp.totpdevice",
            "otp_static.staticdevice",
            "otp_static.statictoken",
            "sessions.session",
            "meals.calendarfeed",
        ),
    ),
    Kind(
        key="identity_checks",
        what=_("The outcome of a cook’s identity check: how it was done, the kind of document, the decision and when"),
        setting="RETENTION_ACCOUNT_DAYS",
        default_days=30,
        start=Start.ACCOUNT_CLOSED,
        end=End.KEEP_COUNTS,
        models=("accounts.identitycheck",),
    ),
    Kind(
        key="identity_photos",
        what=_("Photos of identity documents (deleted as soon as the check is decided)"),
        setting="IDENTITY_IMAGE_RETENTION_DAYS",
        default_days=7,
        start=Start.SENT,
        end=End.DELETE,
        models=("accounts.identitycheck",),
    ),
    Kind(
        key="training",
        what=_("Food-safety course answers, scores and certificates"),
        setting="RETENTION_ACCOUNT_DAYS",
        default_days=30,
        start=Start.ACCOUNT_CLOSED,
        end=End.KEEP_COUNTS,
        models=("training.lessonprogress", "training.attempt", "training.attemptquestion", "training.certificate"),
    ),
    # A person who receives meals (a record, not an account), and what was written about them.
    Kind(
        key="diner",
        what=_(
            "The record of a person who receives meals: name, address, phone number, emergency contact, "
            "how to get in, health, diet and allergies, likes and dislikes"
        ),
        setting="RETENTION_DINER_DAYS",
        default_days=365,
        start=Start.DINER_CLOSED,
        end=End.ERASE,
        models=("meals.diner",),
        exception=SAFEGUARDING_EXCEPTION,
    ),
    Kind(
        key="referrals",
        what=_("Requests for meals, requests not finished, and notes on referrals to other services"),
        setting="RETENTION_DINER_DAYS",
        default_days=365,
        start=Start.DINER_CLOSED,
        end=End.ANONYMISE,
        models=("meals.referral", "meals.referraldraft", "meals.onwardreferral"),
    ),
    Kind(
        key="proxies",
        what=_("Who may act for a person who receives meals"),
        setting="RETENTION_DINER_DAYS",
        default_days=365,
        start=Start.DINER_CLOSED,
        end=End.DELETE,
        models=("meals.proxyaccess", "meals.mealremindersconsent"),
    ),
    Kind(
        key="matches_and_meals",
        what=_("Messages and reasons written on matches and meals"),
        setting="RETENTION_DINER_DAYS",
        default_days=365,
        start=Start.DINER_CLOSED,
        end=End.ANONYMISE,
        models=("meals.match", "meals.matchchangerequest", "meals.mealseries", "meals.meal"),
    ),
    Kind(
        key="loneliness",
        what=_("Answers to the loneliness questions"),
        setting="RETENTION_DINER_DAYS",
        default_days=365,
        start=Start.DINER_CLOSED,
        end=End.KEEP_COUNTS,
        models=("meals.lonelinessmeasure",),
    ),
    Kind(
        key="watch_recipients",
        what=_("Names and email addresses of family who receive watch reports"),
        setting="RETENTION_WATCH_DAYS",
        default_days=90,
        start=Start.STOPPED,
        end=End.ERASE,
        models=("meals.watchrecipient",),
    ),
    Kind(
        key="visit_notes",
        what=_("Notes on visit records"),
        setting="RETENTION_VISIT_NOTES_DAYS",
        default_days=730,
        start=Start.CREATED,
        end=End.ANONYMISE,
        models=("meals.visit",),
    ),
    Kind(
        key="feedback",
        what=_("What people wrote in their feedback"),
        setting="RETENTION_FEEDBACK_DAYS",
        default_days=730,
        start=Start.CREATED,
        end=End.ANONYMISE,
        models=("meals.feedback",),
    ),
    Kind(
        key="match_notes",
        what=_("Coordinators’ notes on matches"),
        setting="RETENTION_MATCH_NOTES_DAYS",
        default_days=730,
        start=Start.CREATED,
        end=End.DELETE,
        models=("meals.matchnote",),
    ),
    Kind(
        key="concerns",
        what=_("Concerns about someone’s wellbeing, and unanswered-door cases"),
        setting="RETENTION_CONCERN_DAYS",
        default_days=2190,
        start=Start.CASE_CLOSED,
        end=End.ANONYMISE,
        models=("meals.concern", "meals.doorcase", "meals.doorcasestep"),
        exception=SAFEGUARDING_EXCEPTION,
    ),
    # Messages, requests from people without an account, and the record of who did what.
    Kind(
        key="messages",
        what=_("Emails and text messages we sent"),
        setting="RETENTION_MESSAGE_DAYS",
        default_days=90,
        start=Start.SENT,
        end=End.ANONYMISE,
        models=("casserole.outboundemail", "casserole.outboundtext"),
    ),
    Kind(
        key="callbacks",
        what=_("Requests to be phoned about meals"),
        setting="CALLBACK_RETENTION_DAYS",
        default_days=90,
        start=Start.HANDLED,
        end=End.DELETE,
        models=("meals.callbackrequest",),
    ),
    Kind(
        key="waitlist",
        what=_("Details left to hear when a club opens nearby"),
        setting="RETENTION_WAITLIST_DAYS",
        default_days=730,
        start=Start.CREATED,
        end=End.DELETE,
        models=("meals.areawaitlistentry",),
    ),
    Kind(
        key="invitations",
        what=_("Invitations to become a coordinator"),
        setting="RETENTION_INVITATION_DAYS",
        default_days=90,
        start=Start.EXPIRES,
        end=End.DELETE,
        models=("accounts.invitation",),
    ),
    Kind(
        key="drafts",
        what=_("Requests for meals started but never sent"),
        setting="RETENTION_DRAFT_DAYS",
        default_days=30,
        start=Start.LAST_CHANGED,
        end=End.DELETE,
        models=("meals.referraldraft",),
    ),
    Kind(
        key="audit",
        what=_("The record of who looked at or changed what, and of sign-ins"),
        setting="RETENTION_AUDIT_DAYS",
        default_days=2190,
        start=Start.CREATED,
        end=End.ANONYMISE,
        models=("casserole.auditentry", "admin.logentry"),
    ),
)

# Rows with words in them that are about nobody: the job leaves them alone (the schedule's test checks
# every model with free text is either in a kind above or here).
NOT_PERSONAL = (
    "accounts.area",
    "accounts.stripeevent",
    "auth.group",
    "auth.permission",
    "contenttypes.contenttype",
    "casserole.postcodecentroid",
    "django_tasks_database.dbtaskresult",
    "account.emailconfirmation",
    "training.course",
    "training.lesson",
    "training.question",
    "training.certificatenotice",
    "meals.watchreport",
    "meals.feedbackask",
    "meals.mealreminder",
    "meals.measureconsent",
    "meals.supportservice",  # the public directory of local services
)


def kind(key: str) -> Kind:
    for item in SCHEDULE:
        if item.key == key:
            return item
    raise KeyError(key)


def settings_defaults() -> dict[str, int]:
    """Each setting the schedule reads, with its default: what docs/production.md must say."""
    return {item.setting: item.default_days for item in SCHEDULE}
