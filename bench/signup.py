"""Signing up with an address that already has an account against one that has not, run by `make bench`
(never by the test suite).

The two must take about as long, or the response time says whether someone has an account: a security
probe timed 67-97 ms for a taken address against 314-334 ms for a new one, because only a new
account's password was hashed. With the production password hashers (Argon2, from casserole/settings.py;
bench/run.py swaps in a fast one for the other benchmarks), this posts the sign-up form REPEATS times
for new addresses and REPEATS times for taken ones (verified accounts, as sign-up leaves them once
confirmed), alternating which goes first. Each post comes from a fresh client with allauth's rate limits
reset, as an attacker trying each address once would be. It prints the medians, 95th percentiles and
the ratio of the medians, and checks the target: the medians within 20 % of each other.
tests/accounts/people/test_signup_enumeration.py pins the work behind it (one hash on either branch).

Imported by bench/run.py after Django is set up, inside its throw-away test database.
"""

import logging
import statistics
import time

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import get_hasher
from django.core.cache import cache
from django.test import Client, override_settings

import casserole.settings as project_settings
from accounts.people.models import User

REPEATS = 30
TOLERANCE = 0.20  # the larger median at most 20 % above the smaller
PATH = "/en/accounts/signup/"
PASSWORD = "plum crumble on a wet tuesday"
SENT = "/en/accounts/confirm-email/"  # where both kinds of sign-up land


def sign_up(email: str) -> tuple[float, float]:
    """One sign-up's wall-clock and CPU time in ms, from a fresh client with no rate-limit counts. The
    CPU time is steadier on a busy machine; the wall-clock time is what someone outside sees."""
    cache.clear()
    client = Client()
    data = {"full_name": "Bench", "email": email, "password1": PASSWORD, "password2": PASSWORD, "roles": "cook"}
    started, started_cpu = time.perf_counter(), time.process_time()
    response = client.post(PATH, data)
    elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    assert response.status_code == 302 and response["Location"] == SENT, (email, response.status_code)
    return elapsed * 1000, elapsed_cpu * 1000


def seed_taken(count: int) -> list[str]:
    users = User.objects.bulk_create(
        [User(email=f"taken{n}@bench.example", full_name=f"Taken {n}", is_cook=True) for n in range(count)]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users]
    )
    return [user.email for user in users]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def run() -> bool:
    # Each sign-up sends an email through the immediate task backend, which logs two lines a time.
    logging.getLogger("django.tasks").setLevel(logging.WARNING)
    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        taken = seed_taken(REPEATS + 1)
        sign_up("warm-up@bench.example")
        sign_up(taken[-1])
        times = {"new address": [], "taken address": []}
        for n in range(REPEATS):
            pair = [("new address", f"new{n}@bench.example"), ("taken address", taken[n])]
            for kind, email in pair if n % 2 == 0 else reversed(pair):
                times[kind].append(sign_up(email))
        hasher = type(get_hasher()).__name__

    print(f"Sign-up with a new or a taken address: {REPEATS} of each after one warm-up; hasher {hasher}.\n")
    print(f"{'sign-up':22} {'median ms':>10} {'p95 ms':>8} {'CPU median ms':>14}")
    medians, cpu_medians = {}, {}
    for kind, values in times.items():
        wall, cpu = [value[0] for value in values], [value[1] for value in values]
        medians[kind], cpu_medians[kind] = statistics.median(wall), statistics.median(cpu)
        print(f"{kind:22} {medians[kind]:>10.1f} {p95(wall):>8.1f} {cpu_medians[kind]:>14.1f}")
    ratio = medians["taken address"] / medians["new address"]
    cpu_ratio = cpu_medians["taken address"] / cpu_medians["new address"]
    passed = max(ratio, 1 / ratio) <= 1 + TOLERANCE
    verdict = "are within" if passed else "MISS"
    print(f"{'ratio, taken ÷ new':22} {ratio:>10.2f} {'':>8} {cpu_ratio:>14.2f}")
    print(f"The medians {verdict} the target of ±{TOLERANCE:.0%}.\n")
    return passed
