"""Benchmarks, run by `make bench` (never by the test suite): the pages coordinators open most, the
nearby-diner search at national scale (bench/nearby.py), and sign-up with a taken address against a new
one (bench/signup.py).

Seeds a throw-away test database (SQLite by default, PostgreSQL when DATABASE_URL points at it) at two
sizes and times each page with Django's test client. Prints medians and 95th percentiles in ms and
the ratio between the large and the small data set: a ratio near 1 means the page does not slow down
as an area grows. The tests pin query counts; the nearby benchmark prints its own as well.

    make bench                     # SQLite, all three benchmarks
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test make bench
    .venv/bin/python bench/run.py nearby      # one of them: "pages", "nearby" or "signup"

Exits with status 1 when the nearby search or sign-up misses its target.
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casserole.settings")
os.environ.setdefault("CASSEROLE_VAR_DIR", str(ROOT / "var" / "bench"))
# The same environment the test suite runs in (no HTTPS redirect, in-memory cache, immediate tasks).
import warnings  # noqa: E402

import django  # noqa: E402

import casserole.pytest_env  # noqa: E402, F401

# WhiteNoise looks for collectstatic's output, which a benchmark does not need.
warnings.filterwarnings("ignore", message="No directory at")

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts.people.models import Area, CoordinatorMembership, Invitation, User  # noqa: E402
from training.models import LessonProgress  # noqa: E402
from training.services import load_course  # noqa: E402

REPEATS = 30
SIZES = (10, 1000)


def seed(area: Area, count: int, course) -> None:
    """`count` cooks (each with two lessons read) and `count // 10` open invitations in `area`."""
    lessons = list(course.lessons.order_by("order")[:2])
    start = User.objects.count()
    cooks = User.objects.bulk_create(
        [
            User(email=f"cook{start + n}@bench.example", full_name=f"Cook {start + n}", is_cook=True, home_area=area)
            for n in range(count)
        ]
    )
    LessonProgress.objects.bulk_create([LessonProgress(user=c, lesson=lesson) for c in cooks for lesson in lessons])
    Invitation.objects.bulk_create(
        [
            Invitation(
                email=f"invite{start + n}@bench.example",
                full_name=f"Invitee {n}",
                area=area,
                token_hash=f"{area.pk:04d}{start + n:060d}",
                expires_at=timezone.now() + timedelta(days=7),
            )
            for n in range(max(1, count // 10))
        ]
    )


def signed_in_coordinator(area: Area) -> Client:
    user = User.objects.create_user(
        email=f"coordinator-{area.slug}@bench.example", full_name="Bench Coordinator", is_coordinator=True
    )
    CoordinatorMembership.objects.create(user=user, area=area)
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def timings(client: Client, path: str) -> list[float]:
    assert client.get(path).status_code == 200, path  # warm up, and make sure the page works
    result = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        client.get(path)
        result.append((time.perf_counter() - started) * 1000)
    return result


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def coordinator_pages(course) -> None:
    clients = {}
    for size in SIZES:
        area = Area.objects.create(
            name=f"Bench {size}", slug=f"bench-{size}", country="GB", help_phone="0", help_hours="-"
        )
        seed(area, size, course)
        clients[size] = signed_in_coordinator(area)
    print(f"Database: {connection.vendor}; {REPEATS} requests per page after one warm-up.\n")
    print(f"{'page':34} {'cooks':>6} {'median ms':>10} {'p95 ms':>8}")
    for path in ("/en/coordinator/", "/en/coordinator/training/"):
        medians = {}
        for size in SIZES:
            values = timings(clients[size], path)
            medians[size] = statistics.median(values)
            print(f"{path:34} {size:>6} {medians[size]:>10.1f} {p95(values):>8.1f}")
        ratio = medians[SIZES[-1]] / medians[SIZES[0]]
        print(f"{'':34} {'ratio':>6} {ratio:>10.2f}  (median, {SIZES[-1]} cooks ÷ {SIZES[0]})\n")


BENCHMARKS = ("pages", "nearby", "signup")


def main(names: list[str]) -> int:
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        print(f"Unknown benchmark {', '.join(sorted(unknown))}: choose from {', '.join(BENCHMARKS)}.", file=sys.stderr)
        return 2
    names = names or list(BENCHMARKS)
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    passed = True
    try:
        load_course(version="v1", make_current=False)  # past attempts and certificates are on v1
        course = load_course(version="v2")
        if "pages" in names:
            coordinator_pages(course)
        if "nearby" in names:
            from bench import nearby

            passed = nearby.run(course)
        if "signup" in names:
            from bench import signup

            passed = signup.run() and passed
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
