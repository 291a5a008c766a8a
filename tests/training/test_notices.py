"""Expiry notices: 60 and 14 days before, and on expiry (to the cook and to the coordinators of the
cook's home area). Each goes once per certificate, through OutboundEmail and the email task."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.people.models import CoordinatorMembership
from casserole.models import OutboundEmail
from meals.matching.services import send_certificate_notices
from tests.factories import CoordinatorFactory, MatchFactory, UserFactory
from tests.training.conftest import certify
from training.models import CertificateNotice
from training.selectors import has_valid_certificate

pytestmark = pytest.mark.django_db

NONE_SENT = {"60_days": 0, "14_days": 0, "expired": 0}


@pytest.fixture
def certificate(course, cook):
    return certify(cook, course, expires_at=timezone.now() + timedelta(days=200))


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the daily job at `now` and deliver what it queued; returns the messages sent this time."""

    def run_at(now):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            counts = send_certificate_notices(now=now)
        return counts, mail.outbox[before:]

    return run_at


def recipients(messages) -> list[str]:
    return sorted(address for message in messages for address in message.to)


def test_nothing_is_sent_long_before_expiry(run, certificate):
    counts, sent = run(certificate.expires_at - timedelta(days=61))
    assert counts == NONE_SENT
    assert sent == []
    assert not CertificateNotice.objects.exists()


def test_the_sixty_day_notice_goes_once(run, certificate, cook):
    at = certificate.expires_at - timedelta(days=60)

    counts, sent = run(at)
    again_counts, again = run(at + timedelta(hours=1))

    assert counts == {**NONE_SENT, "60_days": 1}
    assert recipients(sent) == [cook.email]
    assert "runs out on" in sent[0].subject
    assert "/en/training/" in sent[0].body
    assert again_counts == NONE_SENT and again == []
    assert OutboundEmail.objects.filter(to=cook.email, status=OutboundEmail.Status.SENT).count() == 1


def test_the_notices_follow_one_another(run, certificate, cook, coordinator_a, coordinator_b):
    expires = certificate.expires_at

    assert recipients(run(expires - timedelta(days=59))[1]) == [cook.email]  # 60-day notice
    assert run(expires - timedelta(days=30))[1] == []
    assert run(expires - timedelta(days=15))[1] == []
    fourteen = run(expires - timedelta(days=14))[1]
    assert recipients(fourteen) == [cook.email]
    assert CertificateNotice.objects.filter(kind="14_days").exists()
    assert run(expires - timedelta(days=3))[1] == []
    assert has_valid_certificate(cook, at=expires - timedelta(seconds=1))

    expired = run(expires + timedelta(minutes=5))[1]

    assert recipients(expired) == sorted([cook.email, coordinator_a.email])  # not area B's coordinator
    to_cook = next(m for m in expired if m.to == [cook.email])
    to_coordinator = next(m for m in expired if m.to == [coordinator_a.email])
    assert "has expired" in to_cook.subject
    assert "Cathy Cook" in to_coordinator.subject
    assert "/en/coordinator/training/" in to_coordinator.body
    assert not has_valid_certificate(cook, at=expires + timedelta(minutes=5))
    assert run(expires + timedelta(days=1))[1] == []
    assert sorted(CertificateNotice.objects.values_list("kind", flat=True)) == ["14_days", "60_days", "expired"]


def test_a_late_run_sends_only_the_notice_now_due(run, certificate, cook):
    counts, sent = run(certificate.expires_at - timedelta(days=10))
    assert counts == {**NONE_SENT, "14_days": 1}
    assert len(sent) == 1


def test_every_coordinator_of_the_area_is_told_and_nobody_else(run, certificate, cook, area_a, coordinator_a):
    other = CoordinatorFactory(full_name="Olive Other", email="olive@example.org", areas=[area_a])
    gone = CoordinatorFactory(full_name="Gil Gone", email="gone@example.org", areas=[area_a], is_active=False)
    CoordinatorFactory(full_name="Nina Nowhere", email="nowhere@example.org", areas=[])

    sent = run(certificate.expires_at + timedelta(minutes=1))[1]

    assert recipients(sent) == sorted([cook.email, coordinator_a.email, other.email])
    assert gone.email not in recipients(sent)


def test_a_cook_without_an_area_is_still_told(run, course):
    loner = UserFactory(full_name="Lone Cook", email="lone@example.org", is_cook=True, home_area=None)
    certificate = certify(loner, course, expires_at=timezone.now() + timedelta(days=1))
    sent = run(certificate.expires_at + timedelta(minutes=1))[1]
    assert recipients(sent) == ["lone@example.org"]


def test_a_cook_who_retook_is_not_reminded_about_the_old_certificate(run, course, cook, coordinator_a):
    now = timezone.now()
    certify(cook, course, issued_at=now - timedelta(days=1050), expires_at=now + timedelta(days=45))
    certify(cook, course, issued_at=now - timedelta(days=5), expires_at=now + timedelta(days=1090))

    for later in (0, 35, 46):  # the old one's 60-day, 14-day and expiry moments
        counts, sent = run(now + timedelta(days=later))
        assert counts == NONE_SENT
        assert sent == []
    assert not CertificateNotice.objects.exists()


def test_a_revoked_certificate_is_not_reminded(run, certificate):
    certificate.revoked_at = timezone.now()
    certificate.save()
    assert run(certificate.expires_at - timedelta(days=10))[0] == NONE_SENT


def test_the_email_is_in_the_cooks_language_with_links_in_it(run, course, area_a):
    sato = UserFactory(
        full_name="佐藤 花子", email="sato@example.org", is_cook=True, home_area=area_a, preferred_language="ja"
    )
    coordinator = CoordinatorFactory(full_name="Ada Coordinator", email="ada@example.org", areas=[area_a])
    certificate = certify(sato, course, expires_at=timezone.now() + timedelta(days=30))

    reminder = run(certificate.expires_at - timedelta(days=59))[1]
    expired = run(certificate.expires_at + timedelta(minutes=1))[1]

    assert recipients(reminder) == ["sato@example.org"]
    assert "/ja/training/" in reminder[0].body
    assert "/en/training/" not in reminder[0].body
    to_coordinator = next(m for m in expired if m.to == [coordinator.email])
    assert "/en/coordinator/training/" in to_coordinator.body  # the coordinator reads English
    assert CoordinatorMembership.objects.filter(user=coordinator).exists()


def test_emails_survive_a_mail_server_outage(run, certificate, cook, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    counts, sent = run(certificate.expires_at - timedelta(days=59))

    assert counts["60_days"] == 1 and sent == []
    message = OutboundEmail.objects.get(to=cook.email)
    assert message.status == OutboundEmail.Status.QUEUED
    assert CertificateNotice.objects.filter(kind="60_days").count() == 1  # not sent again by the next run


def test_the_daily_command_runs_the_job(certificate, cook, django_capture_on_commit_callbacks, capsys):
    from training.models import Certificate

    Certificate.objects.filter(pk=certificate.pk).update(expires_at=timezone.now() + timedelta(days=20))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_certificate_notices")
    assert "60_days: 1" in capsys.readouterr().out
    assert recipients(mail.outbox) == [cook.email]


@pytest.mark.parametrize("count", [1, 20])
def test_checking_certificates_that_need_no_notice_costs_the_same_for_1_or_20(
    count, course, area_a, django_assert_num_queries
):
    for n in range(count):
        cook = UserFactory(email=f"quiet{n}@example.org", is_cook=True, home_area=area_a)
        certify(cook, course, expires_at=timezone.now() + timedelta(days=400))
    # 1. each cook's newest certificate, with its cook and area and course
    # 2. the notices already sent for those certificates (prefetched)
    with django_assert_num_queries(2):
        assert sum(send_certificate_notices().values()) == 0


def test_on_expiry_the_coordinators_of_the_cooks_live_matches_are_told_with_the_diners_names(
    run, certificate, cook, coordinator_a, coordinator_b, area_b
):
    from meals.matching.models import Match

    MatchFactory(diner__area=area_b, diner__preferred_name="Hana", cook=cook, status=Match.Status.ACTIVE)
    MatchFactory(diner__area=area_b, diner__preferred_name="Old", cook=cook, status=Match.Status.ENDED)
    _, expired = run(certificate.expires_at + timedelta(hours=1))

    assert recipients(expired) == sorted([cook.email, coordinator_a.email, coordinator_b.email])
    to_b = next(m for m in expired if m.to == [coordinator_b.email])
    assert "- Hana" in to_b.body and "Old" not in to_b.body
    to_a = next(m for m in expired if m.to == [coordinator_a.email])
    assert "Hana" not in to_a.body  # not a diner of area A's coordinator
