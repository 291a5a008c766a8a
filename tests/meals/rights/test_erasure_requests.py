"""Erasure requests: Edie asks Ada (area A's coordinator) on the phone for her record to be erased. Ada
records when she asked; the page says it is due ERASURE_DUE_DAYS later and shows what holds it back (the
record still open blocks it; a concern still open is kept until it is closed), and Ada carries it out."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from casserole.models import AuditEntry, Channel
from casserole.retention import ERASED
from meals.diners import services as diner_services
from meals.diners.models import Diner
from meals.relationships.models import Concern
from meals.rights import erasure_requests
from meals.rights.errors import RightsError
from meals.rights.models import ErasureRequest

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def record(diner, by, received_on=None, **kwargs) -> ErasureRequest:
    return erasure_requests.record_erasure_request(
        diner=diner, by=by, received_on=received_on or timezone.localdate(), channel=Channel.PHONE, **kwargs
    )


def close(diner, by) -> Diner:
    return diner_services.change_diner_status(by=by, diner=diner, action="close", reason="Asked to be erased")


def test_a_request_is_due_thirty_days_after_the_day_it_was_received(diner, coordinator_a, settings):
    settings.ERASURE_DUE_DAYS = 30
    now = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)

    request = record(diner, coordinator_a, received_on=date(2026, 2, 27), now=now)

    assert request.received_at == datetime(2026, 2, 27, tzinfo=LONDON)
    assert request.due_by == datetime(2026, 3, 29, tzinfo=LONDON)
    assert (request.status, request.channel, request.recorded_by) == ("open", "phone", coordinator_a)
    entry = AuditEntry.objects.get(action="erasure_requested")
    assert (entry.channel, entry.object_id) == ("phone", str(diner.pk))


def test_a_day_still_to_come_and_a_second_open_request_are_refused(diner, coordinator_a):
    with pytest.raises(RightsError, match="today or in the past"):
        record(diner, coordinator_a, received_on=timezone.localdate() + timedelta(days=2))
    record(diner, coordinator_a)
    with pytest.raises(RightsError, match="already open"):
        record(diner, coordinator_a)
    assert ErasureRequest.objects.count() == 1


def test_another_areas_coordinator_cannot_record_one(diner, coordinator_b):
    with pytest.raises(RightsError):
        record(diner, coordinator_b)


def test_an_open_record_blocks_it_and_an_open_concern_is_only_kept(diner, coordinator_a):
    Concern.objects.create(diner=diner, level=Concern.Level.WORRIED, text="Seemed low", raised_by=coordinator_a)

    codes = {(e.code, e.blocks) for e in erasure_requests.exceptions_for(diner)}
    assert codes == {("not_closed", True), ("open_concern", False)}

    request = record(diner, coordinator_a)
    with pytest.raises(RightsError, match="not closed"):
        erasure_requests.carry_out_erasure_request(erasure_request=request, by=coordinator_a)
    request.refresh_from_db()
    assert request.is_open


def test_carrying_it_out_erases_the_record_and_keeps_the_open_concern(diner, coordinator_a):
    concern = Concern.objects.create(
        diner=diner, level=Concern.Level.WORRIED, text="Seemed low", raised_by=coordinator_a
    )
    diner = close(diner, coordinator_a)
    request = record(diner, coordinator_a)

    done = erasure_requests.carry_out_erasure_request(erasure_request=request, by=coordinator_a)

    assert (done.status, done.carried_out_by, done.held_back) == ("done", coordinator_a, 1)
    diner.refresh_from_db()
    assert diner.full_name == ERASED and diner.phone == "" and diner.access_notes == ""
    concern.refresh_from_db()
    assert concern.text == "Seemed low"  # a safeguarding record under review
    assert AuditEntry.objects.filter(action="erasure_request_carried_out").count() == 1
    with pytest.raises(RightsError, match="already been carried out"):
        erasure_requests.carry_out_erasure_request(erasure_request=request, by=coordinator_a)


# The page ---------------------------------------------------------------------------------------------------


URL = "/{lang}/coordinator/diners/{pk}/erasure/"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_recording_a_request_shows_its_due_date_and_the_exceptions(diner, coordinator_a, login_as, lang):
    client = login_as(coordinator_a)
    today = timezone.localdate()
    response = client.post(
        URL.format(lang=lang, pk=diner.pk),
        {
            "received_on_day": str(today.day),
            "received_on_month": str(today.month),
            "received_on_year": str(today.year),
            "channel": "phone",
        },
    )
    assert response.status_code == 302

    html = client.get(response.url).content.decode()
    assert 'id="due-by"' in html and 'id="exception-not_closed"' in html
    assert "carry-out" not in html  # blocked until the record is closed


def test_a_missing_date_shows_the_error_summary_and_keeps_the_answers(diner, coordinator_a, login_as):
    response = login_as(coordinator_a).post(
        URL.format(lang="en", pk=diner.pk), {"received_on_day": "3", "channel": "in_person"}
    )
    html = response.content.decode()
    assert "There is a problem" in html and "The date they asked must include a day, a month and a year" in html
    assert 'value="3"' in html
    assert not ErasureRequest.objects.exists()


def test_the_coordinator_carries_it_out_from_the_page(diner, coordinator_a, login_as):
    diner = close(diner, coordinator_a)
    request = record(diner, coordinator_a)
    client = login_as(coordinator_a)
    assert f"/erasure/{request.pk}/carry-out/" in client.get(URL.format(lang="en", pk=diner.pk)).content.decode()

    response = client.post(f"/en/coordinator/diners/{diner.pk}/erasure/{request.pk}/carry-out/")

    assert response.status_code == 302
    assert 'id="erased"' in client.get(response.url).content.decode()


def test_carrying_out_a_blocked_request_shows_why(diner, coordinator_a, login_as):
    request = record(diner, coordinator_a)
    response = login_as(coordinator_a).post(f"/en/coordinator/diners/{diner.pk}/erasure/{request.pk}/carry-out/")
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html and "<title>Error:" in html


def test_another_areas_coordinator_gets_404(diner, coordinator_a, coordinator_b, login_as):
    request = record(diner, coordinator_a)
    client = login_as(coordinator_b)
    assert client.get(URL.format(lang="en", pk=diner.pk)).status_code == 404
    assert client.post(f"/en/coordinator/diners/{diner.pk}/erasure/{request.pk}/carry-out/").status_code == 404


def test_carrying_out_by_get_is_405(diner, coordinator_a, login_as):
    request = record(diner, coordinator_a)
    url = f"/en/coordinator/diners/{diner.pk}/erasure/{request.pk}/carry-out/"
    assert login_as(coordinator_a).get(url).status_code == 405


@pytest.mark.parametrize("count", [1, 20])
def test_the_page_reads_in_the_same_queries_whatever_the_number_of_requests(
    diner, coordinator_a, login_as, count, django_assert_num_queries
):
    now = timezone.now()
    for n in range(count):
        ErasureRequest.objects.create(
            diner=diner,
            received_at=now - timedelta(days=n + 1),
            due_by=now,
            channel="phone",
            recorded_by=coordinator_a,
            status="done",
            carried_out_at=now,
            carried_out_by=coordinator_a,
        )
    client = login_as(coordinator_a)
    # session, user, the second factor's device, the coordinator's areas, the diner, open concerns, open door
    # cases, the requests with who recorded and carried them out, the coordinator's first area ("Need help?")
    with django_assert_num_queries(9):
        assert client.get(URL.format(lang="en", pk=diner.pk)).status_code == 200
