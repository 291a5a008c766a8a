"""The daily retention job (meals.rights.retention_job, `manage.py apply_retention`): over a fixture with every
kind of the schedule at every age — a day short of its period and a day past it — it clears exactly the rows
past their period, holds back what is still open, and a second run finds nothing (the database is the same)."""

import io
import uuid
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from accounts.onboarding.identity_images import JPEG_MAGIC, save_private_image
from accounts.onboarding.models import CookProfile, IdentityCheck
from accounts.people.models import Invitation, User
from casserole import audit
from casserole.models import AuditEntry, OutboundEmail, OutboundText
from casserole.retention import ERASED, SCHEDULE, kind
from meals.callbacks.models import CallbackRequest
from meals.diners.models import Diner, ProxyAccess
from meals.matching.models import Match
from meals.referrals.models import AreaWaitlistEntry, ReferralDraft
from meals.relationships.models import (
    Concern,
    DoorCase,
    DoorCaseStep,
    Feedback,
    MatchNote,
    Visit,
    WatchRecipient,
)
from meals.rights.retention_job import apply_retention
from meals.schedule.models import Meal
from tests.factories import CookProfileFactory, DinerFactory, IdentityCheckFactory, MatchFactory, ProxyAccessFactory
from tests.training.conftest import certify

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def ago(key: str, past: bool):
    """A day short of `key`'s period (kept), or a day past it (due)."""
    days = kind(key).days + (1 if past else -1)
    return NOW - timedelta(days=days)


def snapshot() -> dict:
    """Every row of every model, to show a run changed nothing."""
    return {
        model._meta.label_lower: sorted(map(repr, model._default_manager.values()))
        for model in apps.get_models()
        if model._meta.label_lower != "sessions.session"
    }


@pytest.fixture
def aged(area_a, course, coordinator_a):
    """Two of everything, `young` (kept) and `old` (due), and an old diner with an open concern."""
    rows = {}
    for age, past in (("young", False), ("old", True)):
        # An account closed at that age, with its identity check and certificate.
        cook = CookProfileFactory(user__full_name=f"{age} cook", user__home_area=area_a).user
        User.objects.filter(pk=cook.pk).update(closed_at=ago("account", past), is_active=False)
        IdentityCheckFactory(cook=cook, reason=f"{age} reason")
        certify(cook, course)
        rows[f"{age}_cook"] = cook

        # A photo of a document, sent at that age.
        photo = save_private_image(JPEG_MAGIC + b"photo")
        IdentityCheck.objects.filter(pk=IdentityCheckFactory(image_name=photo).pk).update(
            created_at=ago("identity_photos", past)
        )
        rows[f"{age}_photo"] = photo

        # A diner closed at that age (the audit log says when), with a proxy and a closed concern.
        diner = DinerFactory(area=area_a, full_name=f"{age.title()}ford Diner", status=Diner.Status.CLOSED)
        entry = audit.record(action=audit.Action.DINER_CLOSED, actor=coordinator_a, obj=diner)
        AuditEntry.objects.filter(pk=entry.pk).update(created_at=ago("diner", past))
        ProxyAccessFactory(diner=diner)
        Concern.objects.create(
            diner=diner, level="worried", text=f"{age} worry", status="closed", closed_at=ago("diner", past)
        )
        rows[f"{age}_diner"] = diner

        # An active diner's match, whose rows age one by one.
        live = MatchFactory(diner__area=area_a, status=Match.Status.ACTIVE)
        starts = ago("visit_notes", past)
        meal = Meal.objects.create(
            match=live, cook=live.cook, starts_at=starts, ends_at=starts + timedelta(hours=1), dish="Pie"
        )
        rows[f"{age}_visit"] = Visit.objects.create(
            meal=meal, match=live, outcome="no_answer", note=f"{age} note", recorded_at=starts
        )
        rows[f"{age}_feedback"] = Feedback.objects.create(
            match=live,
            side="diner",
            occasion="meal-1",
            friend="yes",
            changes=f"{age} words",
            given_at=ago("feedback", past),
        )
        rows[f"{age}_note"] = MatchNote.objects.create(
            match=live, text=f"{age} note", written_at=ago("match_notes", past)
        )
        rows[f"{age}_concern"] = Concern.objects.create(
            diner=live.diner, level="urgent", text=f"{age} text", status="closed", closed_at=ago("concerns", past)
        )
        case = DoorCase.objects.create(
            visit=rows[f"{age}_visit"], diner=live.diner, closed_at=ago("concerns", past), outcome_note=f"{age} out"
        )
        rows[f"{age}_step"] = DoorCaseStep.objects.create(case=case, kind="note", note=f"{age} step")
        rows[f"{age}_case"] = case
        rows[f"{age}_watcher"] = WatchRecipient.objects.create(
            diner=live.diner,
            name=f"{age} watcher",
            email=f"{age}@example.net",
            approved_channel="phone",
            stopped_at=ago("watch_recipients", past),
        )

        # Messages, requests and the audit log.
        email = OutboundEmail.objects.create(to=f"{age}@example.org", subject=f"{age} subject", body="", status="sent")
        OutboundEmail.objects.filter(pk=email.pk).update(created_at=ago("messages", past))
        rows[f"{age}_email"] = email
        text = OutboundText.objects.create(to="+447700900001", body=f"{age} text", status="failed")
        OutboundText.objects.filter(pk=text.pk).update(created_at=ago("messages", past))
        rows[f"{age}_text"] = text
        rows[f"{age}_callback"] = CallbackRequest.objects.create(
            area=area_a,
            name=f"{age} caller",
            phone=f"+4477009000{10 + past}",
            for_whom="self",
            country="GB",
            postcode="E8 1DY",
            best_time="any",
            language="en",
            handled_at=ago("callbacks", past),
            outcome="not_needed",
        )
        waiting = AreaWaitlistEntry.objects.create(
            name=f"{age} hopeful", contact="x@example.org", country="GB", postcode="M1 1AA"
        )
        AreaWaitlistEntry.objects.filter(pk=waiting.pk).update(created_at=ago("waitlist", past))
        rows[f"{age}_waitlist"] = waiting
        rows[f"{age}_invitation"] = Invitation.objects.create(
            email=f"{age}-coord@example.org",
            full_name=f"{age} coordinator",
            area=area_a,
            token_hash=f"{age}".ljust(64, "x"),
            expires_at=ago("invitations", past),
        )
        draft = ReferralDraft.objects.create(data={"full_name": f"{age} draft"}, submission_key=uuid.uuid4())
        ReferralDraft.objects.filter(pk=draft.pk).update(updated_at=ago("drafts", past))
        rows[f"{age}_draft"] = draft
        entry = audit.record(
            action=audit.Action.MATCH_ENDED,
            actor=coordinator_a,
            obj=live,
            detail={"reason": f"{age} reason", "outcome": "delivered", "meal": 3},
        )
        AuditEntry.objects.filter(pk=entry.pk).update(created_at=ago("audit", past), ip="192.0.2.1")
        rows[f"{age}_audit"] = entry

    # Old and closed, but a concern about them is still being looked at: held back.
    held = DinerFactory(area=area_a, full_name="held diner", status=Diner.Status.CLOSED)
    entry = audit.record(action=audit.Action.DINER_CLOSED, obj=held)
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=ago("diner", True))
    rows["held_concern"] = Concern.objects.create(diner=held, level="urgent", text="held worry", status="acknowledged")
    rows["held_diner"] = held
    return rows


def fresh(row):
    row.refresh_from_db()
    return row


def test_the_job_clears_exactly_the_rows_past_their_period(aged, private_dir, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # photos are deleted once the deletion commits
        report = apply_retention(now=NOW, batch_size=2)

    # Accounts: the old one erased, its check kept as an outcome, its certificate revoked.
    old, young = fresh(aged["old_cook"]), fresh(aged["young_cook"])
    assert old.full_name == ERASED and not old.has_usable_password()
    assert old.identity_checks.get().reason == "" and old.certificates.get().revoked_at is not None
    assert CookProfile.objects.get(user=old).address_line1 == ""
    assert young.full_name == "young cook" and young.identity_checks.get().reason == "young reason"
    assert young.certificates.get().revoked_at is None
    # Photos.
    assert sorted(path.name for path in private_dir.iterdir()) == [aged["young_photo"]]
    # Diners: erased with their rows; the young one untouched; the held one untouched and reported.
    old_diner, young_diner = fresh(aged["old_diner"]), fresh(aged["young_diner"])
    assert old_diner.full_name == ERASED and old_diner.concerns.get().text == ""
    assert not ProxyAccess.objects.filter(diner=old_diner).exists()
    assert young_diner.full_name == "Youngford Diner" and young_diner.concerns.get().text == "young worry"
    assert ProxyAccess.objects.filter(diner=young_diner).exists()
    assert fresh(aged["held_diner"]).full_name == ERASED
    assert fresh(aged["held_concern"]).text == "held worry"
    assert report.held_back == 1
    # Rows with a period of their own.
    assert (fresh(aged["old_visit"]).note, fresh(aged["young_visit"]).note) == ("", "young note")
    assert (fresh(aged["old_feedback"]).changes, fresh(aged["young_feedback"]).changes) == ("", "young words")
    assert fresh(aged["old_feedback"]).friend == "yes"
    assert list(MatchNote.objects.values_list("text", flat=True)) == ["young note"]
    assert (fresh(aged["old_concern"]).text, fresh(aged["young_concern"]).text) == ("", "young text")
    assert (fresh(aged["old_case"]).outcome_note, fresh(aged["young_case"]).outcome_note) == ("", "young out")
    assert (fresh(aged["old_step"]).note, fresh(aged["young_step"]).note) == ("", "young step")
    assert (fresh(aged["old_watcher"]).name, fresh(aged["young_watcher"]).name) == ("", "young watcher")
    assert (fresh(aged["old_email"]).to, fresh(aged["young_email"]).to) == ("", "young@example.org")
    assert fresh(aged["old_email"]).status == OutboundEmail.Status.SENT
    assert (fresh(aged["old_text"]).body, fresh(aged["young_text"]).body) == ("", "young text")
    assert list(CallbackRequest.objects.values_list("name", flat=True)) == ["young caller"]
    assert list(AreaWaitlistEntry.objects.values_list("name", flat=True)) == ["young hopeful"]
    assert list(Invitation.objects.values_list("full_name", flat=True)) == ["young coordinator"]
    assert list(ReferralDraft.objects.values_list("data", flat=True)) == [{"full_name": "young draft"}]
    old_entry, young_entry = fresh(aged["old_audit"]), fresh(aged["young_audit"])
    assert (old_entry.action, old_entry.object_type, old_entry.created_at) == (
        "match_ended",
        "meals.match",
        ago("audit", True),
    )
    assert (old_entry.actor_id, old_entry.actor_label, old_entry.object_label, old_entry.ip) == (None, "", "", None)
    assert old_entry.detail == {"outcome": "delivered", "meal": 3}
    assert young_entry.actor_label == "coord-a@example.org" and young_entry.detail["reason"] == "young reason"
    # What it says it did.
    for key in ("watch_recipients", "visit_notes", "match_notes", "waitlist", "invitations", "drafts", "callbacks"):
        assert report.counts[key] == 1, key
    assert report.counts["identity_photos"] == 1
    assert report.counts["account"] >= 1 and report.counts["diner"] == 2
    lines = report.lines()
    assert len(lines) == len(SCHEDULE) + 1
    assert "visit_notes (RETENTION_VISIT_NOTES_DAYS=730 days, anonymise): 1 done" in lines
    assert AuditEntry.objects.filter(action="retention_applied").count() == 1


def test_a_second_run_changes_nothing(aged):
    apply_retention(now=NOW, batch_size=2)
    before = snapshot()

    report = apply_retention(now=NOW)

    assert sum(report.counts.values()) == 0 and report.held_back == 0
    assert snapshot() == before


def test_the_held_back_concern_goes_on_the_first_run_after_it_closes(aged):
    apply_retention(now=NOW)
    Concern.objects.filter(pk=aged["held_concern"].pk).update(status="closed", closed_at=NOW)

    report = apply_retention(now=NOW)

    assert fresh(aged["held_concern"]).text == ""
    assert report.counts["concerns"] == 1 and report.held_back == 0


def test_a_dry_run_counts_and_changes_nothing(aged):
    before = snapshot()

    report = apply_retention(now=NOW, dry_run=True)

    assert snapshot() == before
    assert report.counts["account"] == 1 and report.counts["diner"] == 2  # the old one and the held one
    assert report.counts["audit"] == 1 and report.counts["messages"] == 2
    assert all(line.endswith(" due") for line in report.lines()[:-1])


def test_the_command_prints_a_line_per_kind(aged):
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    printed = out.getvalue().splitlines()
    assert [line.split(" ")[0] for line in printed[:-1]] == [item.key for item in SCHEDULE]
    assert printed[-1] == "held back (a concern or door case still open): 0"
