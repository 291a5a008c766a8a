"""Casserole's only settings module. Everything that differs between a laptop and production comes
from environment variables (documented in README.md); a bad value stops start-up and names itself."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from casserole.env import (
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_str,
    env_timezone,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CASSEROLE_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (it signs sessions and links).")
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on-0123456789"
elif len(SECRET_KEY) < 50 and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The service's name in emails (django.contrib.sites is not installed: there is no Site to name it).
SITE_NAME = "Casserole"

INSTALLED_APPS = [
    "casserole.admin_site.CasseroleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "allauth",
    "allauth.account",
    "django_tasks_db",
    "casserole",
    "accounts",
    "meals",
    "training",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "casserole.middleware.LocalTimeMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.people.middleware.SecondFactorMiddleware",
    "casserole.middleware.PrivatePagesNoStoreMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "casserole.urls"
WSGI_APPLICATION = "casserole.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "casserole.context_processors.service",
                # After service: the visitor's club's help line when their area is not known (issue 19).
                "accounts.people.help.help_context",
            ],
            "builtins": ["casserole.templatetags.casserole_tags"],
        },
    }
]
FORM_RENDERER = "casserole.forms.GovUKFormRenderer"

DATABASES = {"default": env_database("DATABASE_URL", str(VAR_DIR / "casserole.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Argon2 first: new and upgraded hashes use it. The test suite swaps in a fast hasher.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: email is the login; verification is mandatory; its rate limits are on.
ACCOUNT_ADAPTER = "accounts.people.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.people.forms.SignupDetailsForm"
ACCOUNT_FORMS = {
    "login": "accounts.people.allauth_forms.LoginForm",
    "signup": "accounts.people.allauth_forms.SignupForm",
    "add_email": "accounts.people.allauth_forms.AddEmailForm",
    "change_password": "accounts.people.allauth_forms.ChangePasswordForm",
    "set_password": "accounts.people.allauth_forms.SetPasswordForm",
    "reset_password": "accounts.people.allauth_forms.ResetPasswordForm",
    "reset_password_from_key": "accounts.people.allauth_forms.ResetPasswordKeyForm",
    "confirm_password_reset_code": "accounts.people.allauth_forms.ConfirmPasswordResetCodeForm",
    "reauthenticate": "accounts.people.allauth_forms.ReauthenticateForm",
}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
# A forgotten password is reset with a code from the email, typed into the page that asked for it (and
# kept in that session), never with a link: a key in a URL ends up in access logs, history and Referer
# headers. Three wrong codes end the attempt.
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"{SITE_NAME}: "
# People are emailed when their password is changed, set or reset, or an address is changed or removed
# (ASVS 5.0 V6.3.7), so someone who did not do it finds out. Every allauth email has our own wording in
# templates/account/email/ (tests/accounts/people/test_account_emails.py checks each is overridden).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_RATE_LIMITS = {
    # The 11th failed sign-in for one email (or from one address) within 5 minutes is refused.
    "login_failed": "10/5m/ip,10/5m/key",
    "login": "30/m/ip",
    # Sign-up forms sent from one address, errors included. Volunteers often sign up together at an
    # event on one Wi-Fi (one address): 100 an hour lets about 50 of them in with a mistake each, and
    # is still far below allauth's own default (20 a minute). An unconfirmed account can do nothing.
    "signup": "100/h/ip",
    # Sign-ups with one email address that would send it an email (a confirmation link, or "you already
    # have an account"): a fourth within the hour is refused, so nobody can flood someone's inbox. Not
    # an allauth action: accounts.people.allauth_forms.SignupForm consumes it.
    "signup_by_email": "3/h/key",
    "reset_password": "10/5m/ip,5/5m/key",
    "reset_password_from_key": "10/5m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/3m/key",
    "reauthenticate": "10/m/user",
    # "Please call me" requests (meals.callbacks): 5 an hour from one address, 3 a day for one number.
    "callback_request": "5/h/ip",
    "callback_request_phone": "3/d/key",
}

# django-otp: TOTP + single-use backup codes. Codes are throttled after failures.
OTP_TOTP_ISSUER = "Casserole"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# django-otp doubles the wait after each wrong code without limit (2**19 s after twenty), so anyone
# with a coordinator's password could lock them out for days: no wait is longer than this.
TWO_FACTOR_MAX_WAIT = 15 * 60
# At this many wrong codes in a row the person is emailed, once per run. Keep it no higher than the
# count where the wait stops doubling (ten, with a factor of 1 and 15 minutes), or no email goes.
TWO_FACTOR_ALERT_AFTER = 5
# The admin must not show anyone's TOTP key or QR code (an admin could clone a coordinator's
# authenticator) nor backup codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
TWO_FACTOR_BACKUP_CODES = 10
# Food-safety certificates last this many years (then a refresher is needed).
CERTIFICATE_VALID_DAYS = 365 * env_int("CERTIFICATE_VALID_YEARS", 3, minimum=1)
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7, minimum=1)
# Largest identity photo a cook may upload, in bytes (checked before the whole file is read).
IDENTITY_IMAGE_MAX_BYTES = env_int("IDENTITY_IMAGE_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# Verify, don't retain: an identity photo is deleted when a coordinator decides, and the daily
# `manage.py purge_identity_images` deletes any still undecided after this many days.
IDENTITY_IMAGE_RETENTION_DAYS = env_int("IDENTITY_IMAGE_RETENTION_DAYS", 7, minimum=1)
# "Please call me" requests (meals.callbacks): the confirmation page says a coordinator will phone
# within this many working days; a request is deleted this many days after its call is dealt with
# (daily `manage.py purge_callbacks`); a form sent sooner than this many seconds after the page was
# opened is taken for a bot's (nothing is stored, the page says the same).
CALLBACK_WORKING_DAYS = env_int("CALLBACK_WORKING_DAYS", 2, minimum=1)
CALLBACK_RETENTION_DAYS = env_int("CALLBACK_RETENTION_DAYS", 90, minimum=1)
CALLBACK_MIN_SECONDS = env_int("CALLBACK_MIN_SECONDS", 3, minimum=0)
# Meals (meals.schedule): how far ahead the daily job makes a series' meals; how long before a meal an
# unconfirmed one is flagged for a coordinator to phone; the window in which cancellations mark a cook
# as "cancels often" on the coordinator's pages, and how many make it so.
MEAL_HORIZON_WEEKS = env_int("MEAL_HORIZON_WEEKS", 4, minimum=1)
MEAL_CONFIRM_HOURS = env_int("MEAL_CONFIRM_HOURS", 24, minimum=1)
MEAL_CANCELLATIONS_DAYS = env_int("MEAL_CANCELLATIONS_DAYS", 90, minimum=1)
MEAL_CANCELLATIONS_OFTEN = env_int("MEAL_CANCELLATIONS_OFTEN", 3, minimum=1)
# The relationship log (meals.relationships): a meal's visit record is due within VISIT_RECORD_HOURS
# (the cook is reminded once, then the coordinator sees it); an unanswered door not acknowledged within
# DOOR_CASE_RERAISE_MINUTES is raised again to every coordinator of the area; an open concern escalates
# after CONCERN_ESCALATE_URGENT_MINUTES (urgent) or CONCERN_ESCALATE_HOURS (the others); the loneliness
# measure is due every LONELINESS_EVERY_DAYS after intake.
VISIT_RECORD_HOURS = env_int("VISIT_RECORD_HOURS", 48, minimum=1)
DOOR_CASE_RERAISE_MINUTES = env_int("DOOR_CASE_RERAISE_MINUTES", 60, minimum=5)
CONCERN_ESCALATE_URGENT_MINUTES = env_int("CONCERN_ESCALATE_URGENT_MINUTES", 60, minimum=5)
CONCERN_ESCALATE_HOURS = env_int("CONCERN_ESCALATE_HOURS", 48, minimum=1)
LONELINESS_EVERY_DAYS = env_int("LONELINESS_EVERY_DAYS", 91, minimum=7)
# Data rights (meals.rights): an erasure request must be carried out within this many days of being
# received (UK GDPR Art. 12(3): one month; Japan's APPI asks for "without delay").
ERASURE_DUE_DAYS = env_int("ERASURE_DUE_DAYS", 30, minimum=1)
# The retention schedule (casserole/retention.py says what each covers, counted from what, and what
# happens at the end; the daily `manage.py apply_retention` applies it). Defaults: the schedule's
# `default_days` and docs/production.md, which a test keeps in step.
RETENTION_ACCOUNT_DAYS = env_int("RETENTION_ACCOUNT_DAYS", 30, minimum=1)
RETENTION_DINER_DAYS = env_int("RETENTION_DINER_DAYS", 365, minimum=1)
RETENTION_WATCH_DAYS = env_int("RETENTION_WATCH_DAYS", 90, minimum=1)
RETENTION_VISIT_NOTES_DAYS = env_int("RETENTION_VISIT_NOTES_DAYS", 730, minimum=1)
RETENTION_FEEDBACK_DAYS = env_int("RETENTION_FEEDBACK_DAYS", 730, minimum=1)
RETENTION_MATCH_NOTES_DAYS = env_int("RETENTION_MATCH_NOTES_DAYS", 730, minimum=1)
RETENTION_CONCERN_DAYS = env_int("RETENTION_CONCERN_DAYS", 2190, minimum=1)
RETENTION_MESSAGE_DAYS = env_int("RETENTION_MESSAGE_DAYS", 90, minimum=1)
RETENTION_WAITLIST_DAYS = env_int("RETENTION_WAITLIST_DAYS", 730, minimum=1)
RETENTION_INVITATION_DAYS = env_int("RETENTION_INVITATION_DAYS", 90, minimum=1)
RETENTION_DRAFT_DAYS = env_int("RETENTION_DRAFT_DAYS", 30, minimum=1)
RETENTION_AUDIT_DAYS = env_int("RETENTION_AUDIT_DAYS", 2190, minimum=1)

# Sessions and cookies.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Cooks and referrers get no time limit worth the name (WCAG 2.2.1 exempts limits over 20 hours), so
# nothing they type is lost to an expired session; staff sessions, past the second factor, are shorter.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 24 * 14, minimum=300)
STAFF_SESSION_AGE = env_int("STAFF_SESSION_AGE", 60 * 60 * 12, minimum=300)
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "__Host-casserole-session" if SECURE_COOKIES else "casserole-session"
CSRF_COOKIE_NAME = "__Host-casserole-csrf" if SECURE_COOKIES else "casserole-csrf"

# Headers.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto and appends to X-Forwarded-For.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# allauth reads the visitor's address for its per-address limits from X-Forwarded-For behind our proxy
# (the right-most entry, which our proxy appends: casserole.audit.client_ip reads the same one), not
# from REMOTE_ADDR, which would be the proxy's for everyone.
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if BEHIND_PROXY else 0
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF, "https://verify.stripe.com"],
}

# Languages: every page exists under /en/ and /ja/.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ja", _("Japanese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["casserole.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_timezone("TIME_ZONE", "Europe/London")

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "static_build"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": env_str("STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")},
    # Identity photos: owner-only files that no URL serves; views stream them through
    # accounts.onboarding.identity_images.open_private_image and never call .url().
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(VAR_DIR / "private"),
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Cache: holds allauth's rate-limit counters, so it must be shared by every worker process.
# REDIS_URL in production; otherwise a file cache under var/ (shared by the processes of one machine).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("REDIS_URL must start with redis://, rediss:// or unix://.")
CACHE_MODE = env_choice("CACHE_MODE", "redis" if REDIS_URL else "file", ("redis", "file", "memory"))
if CACHE_MODE == "redis" and not REDIS_URL:
    raise ImproperlyConfigured("CACHE_MODE=redis needs REDIS_URL.")
CACHES = {
    "default": {
        "redis": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "file": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "cache")},
        "memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }[CACHE_MODE]
}

# Email: the mailer is chosen by EMAIL_URL-free settings. Messages are sent by background tasks.
EMAIL_MODE = env_choice("EMAIL_MODE", "console" if DEBUG else "smtp", ("console", "smtp", "file"))
_mail_backends = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
}
_mail_options: dict = {}
if EMAIL_MODE == "smtp":
    _mail_options = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 587, minimum=1),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
        "timeout": 20,
    }
elif EMAIL_MODE == "file":
    _mail_options = {"file_path": str(VAR_DIR / "mail")}
MAILERS = {"default": {"BACKEND": _mail_backends[EMAIL_MODE], "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Casserole <hello@casserole.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 6, minimum=1)

# Text messages (casserole.texts): Twilio in production; "console" logs them (development and the demo).
TEXT_BACKEND = env_choice("TEXT_BACKEND", "console", ("twilio", "console", "locmem"))
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN")
TWILIO_FROM_NUMBER = env_str("TWILIO_FROM_NUMBER")
if TEXT_BACKEND == "twilio" and not (TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER):
    raise ImproperlyConfigured(
        "TEXT_BACKEND=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER."
    )
TEXT_MAX_ATTEMPTS = env_int("TEXT_MAX_ATTEMPTS", 5, minimum=1)
TEXT_LOCMEM_FAIL = False  # tests set it to simulate the provider being down

# Background work: Django's Tasks framework, stored in the database (worker: manage.py db_worker).
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Stripe Identity (optional: without keys the route is hidden).
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET")
if STRIPE_SECRET_KEY and not STRIPE_SECRET_KEY.startswith(("sk_", "rk_")):
    raise ImproperlyConfigured("STRIPE_SECRET_KEY must start with sk_ or rk_.")
# Where the Stripe client sends API calls: Stripe itself unless set (tests point it at a local fake).
STRIPE_API_BASE = env_str("STRIPE_API_BASE")
# Webhook signatures older than this many seconds are refused (replays).
STRIPE_WEBHOOK_TOLERANCE = env_int("STRIPE_WEBHOOK_TOLERANCE", 300, minimum=1)
if STRIPE_SECRET_KEY and not STRIPE_WEBHOOK_SECRET:
    raise ImproperlyConfigured("STRIPE_WEBHOOK_SECRET must be set when STRIPE_SECRET_KEY is.")

# Geocoding backend for postcodes/addresses.
GEOCODER = env_choice("GEOCODER", "offline", ("offline", "uk_postcodes", "jp_gsi", "chain"))

# The service-wide help line, shown in "Need help?" when the visitor has no area of their own.
HELP_PHONE = env_str("HELP_PHONE", "0300 123 4567")
HELP_HOURS = env_str("HELP_HOURS", "Monday to Friday, 9am to 5pm")
HELP_HOURS_JA = env_str("HELP_HOURS_JA", "月曜日から金曜日、午前9時から午後5時")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))},
    "loggers": {
        "django.security.csrf": {"level": "WARNING"},
        # At DEBUG this logger writes the whole template context whenever a variable is missing,
        # which would put backup codes and TOTP secrets in the log. Never below INFO.
        "django.template": {"level": "INFO"},
    },
}
