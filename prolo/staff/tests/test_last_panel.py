"""The LAST emergency panel of a session, and recording the toxicity as an adverse event."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from prolo.clinic.models import AdverseEvent, AnaestheticLimit, AuditAction, AuditEvent
from prolo.clinic.services.dosing import dose_override_record
from prolo.testing import add_injection, complete_checklist, give_consent, make_course, make_note

pytestmark = pytest.mark.django_db


def words(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def session(alice_actor, nora_actor, pat):
    course = make_course(alice_actor, pat)
    give_consent(alice_actor, course)
    return course.sessions.get(number=1)


@pytest.fixture
def injected(alice_actor, nora_actor, session):
    """A 60 kg patient given 8 mL of 1% lidocaine: 80 mg of a 270 mg ceiling."""
    complete_checklist(nora_actor, session, weight_kg=Decimal(60))
    note = make_note(alice_actor, session)
    add_injection(alice_actor, note, anaesthetic_percent=Decimal(1), volume_ml=Decimal(8))
    return session


def _panel(session) -> str:
    return reverse("staff:last-panel", args=[session.code])


def _record(session) -> str:
    return reverse("staff:last-record", args=[session.code])


def _at(hour: int, minute: int, second: int = 0) -> dt.datetime:
    """Today at this clock time in the clinic's time zone (the session is at 09:00)."""
    return timezone.make_aware(
        dt.datetime.combine(timezone.localdate(), dt.time(hour, minute, second))
    )


def _post(opened: dt.datetime, **fields) -> dict[str, str]:
    return {"opened_at": opened.isoformat(), "grade": "3", "expectedness": "expected", **fields}


def test_the_session_page_opens_the_panel_with_a_link_and_an_access_key(alice, session, client_for):
    html = client_for(alice).get(reverse("staff:session-detail", args=[session.code]))
    assert f'href="{_panel(session)}" accesskey="l"' in html.content.decode()
    assert "Keyboard: Alt+L" in words(html)


def test_the_panel_shows_the_steps_the_lipid_doses_for_60_kg_and_the_anaesthetic_given(
    nora, injected, client_for
):
    page = words(client_for(nora).get(_panel(injected)))
    for step in ("Stop injecting local anaesthetic.", "Call for help.", "Airway: give 100%"):
        assert step in page
    assert "Benzodiazepine for seizures." in page
    assert "Worked out from 60.0 kg; weight 60.0 kg measured" in page
    assert "Bolus 90 mL over 2–3 minutes 1.5 mL/kg × 60 kg = 90 mL (70 kg or less)" in page
    assert "Then an infusion of 15 mL/min 0.25 mL/kg/min × 60 kg = 15 mL/min" in page
    assert "Upper limit about 720 mL in total 12 mL/kg × 60 kg = 720 mL" in page
    assert "Source: ASRA LAST checklist 2020 [R52]; lipid dosing as summarised in [R53]" in page
    assert "Lidocaine, plain 80 mg (8 mL) 29.6% of 270 mg" in page
    assert "Muscle twitching" in page
    assert "Ventricular arrhythmias" in page
    assert "Record the adverse event and close" in page


def test_the_panel_lists_the_rest_of_the_asra_checklist_after_the_steps_to_do_now(
    nora, injected, client_for
):
    page = html.unescape(words(client_for(nora).get(_panel(injected))))
    assert "the full checklist has more steps" not in page
    verify = "from the ASRA checklist, not in the clinic's reference excerpts: verify against"
    steps = [
        "Stop injecting local anaesthetic.",
        "Give 20% lipid emulsion.",
        "Alert the nearest facility with cardiopulmonary bypass capability. [R52], " + verify,
        "Avoid propofol when there are signs of cardiovascular instability.",
        "Treat hypotension and bradycardia.",
        "If cardiac arrest: CPR with modified ACLS. Small doses of epinephrine (≤ 1 µg/kg)",
        "Prolonged monitoring. At least 2 hours after a seizure",
    ]
    at = [page.index(step) for step in steps]
    assert at == sorted(at)
    assert page.count(verify) == 5


def test_a_signed_note_shows_the_anaesthetic_as_signed_not_worked_out_afresh(
    alice, clinic, injected, client_for
):
    client = client_for(alice)
    assert client.post(reverse("staff:note-sign", args=[injected.code])).status_code == 302
    # Afterwards the clinic lowers its lidocaine limit: 60 mg would make 80 mg 133%.
    AnaestheticLimit.objects.create(
        clinic=clinic, agent="lidocaine", mg_per_kg=Decimal(1), cap_mg=60, source="Lower"
    )
    page = words(client.get(_panel(injected)))
    assert "As signed: the figures below were kept with the note when it was signed" in page
    assert "Lidocaine, plain 80 mg (8 mL) 270 mg 29.6% Within the ceiling" in page
    assert "All agents combined Sum of each agent's share of its own ceiling 29.6%" in (
        html.unescape(page)
    )
    assert "133.3" not in page
    assert "of 60 mg" not in page


def test_an_agent_with_no_maximum_reads_as_no_cap_configured(
    alice, alice_actor, session, client_for
):
    note = make_note(alice_actor, session)
    add_injection(
        alice_actor,
        note,
        anaesthetic="ropivacaine",
        anaesthetic_percent=Decimal("0.2"),
        volume_ml=Decimal(5),
    )
    page = html.unescape(words(client_for(alice).get(_panel(session))))
    assert "Ropivacaine, plain 10 mg (5 mL) No cap configured for ropivacaine — set one" in page
    assert "Cannot be worked out" not in page


def test_a_signed_note_with_an_agent_with_no_maximum_reads_as_no_cap_configured(
    alice, alice_actor, nora_actor, session, client_for
):
    complete_checklist(nora_actor, session, weight_kg=Decimal(60))
    note = make_note(alice_actor, session)
    add_injection(
        alice_actor,
        note,
        anaesthetic="ropivacaine",
        anaesthetic_percent=Decimal("0.2"),
        volume_ml=Decimal(5),
    )
    dose_override_record(actor=alice_actor, note=note, reason="Ropivacaine 10 mg is a small dose")
    client = client_for(alice)
    assert client.post(reverse("staff:note-sign", args=[session.code])).status_code == 302
    page = html.unescape(words(client.get(_panel(session))))
    assert "As signed" in page
    assert "No cap configured for ropivacaine — set one" in page
    assert "Cannot be worked out" not in page


def test_without_a_weight_the_panel_shows_the_rules_not_a_guess(alice, session, client_for):
    page = words(client_for(alice).get(_panel(session)))
    assert "No weight is recorded within 30 days of this session" in page
    assert "100 mL if over 70 kg; 1.5 mL/kg if 70 kg or less" in page
    assert "0.25 mL/kg/min if 70 kg or less" in page
    assert "No local anaesthetic is recorded in this session yet." in page


def test_opening_the_panel_is_audited_as_a_read_of_the_session(alice, session, client_for):
    client_for(alice).get(_panel(session))
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW_CHART, object_code=str(session.code), actor=alice
    ).exists()


def test_another_clinics_staff_get_404(charlie, session, client_for):
    client = client_for(charlie)
    assert client.get(_panel(session)).status_code == 404
    assert client.post(_record(session), _post(timezone.now())).status_code == 404
    assert not AdverseEvent.objects.exists()


def test_reception_cannot_open_it_and_a_physiotherapist_cannot_record(
    rita, pete, session, client_for
):
    assert client_for(rita).get(_panel(session)).status_code == 403
    physio = client_for(pete)
    page = words(physio.get(_panel(session)))
    assert "Your role (Physiotherapist) cannot report adverse events" in page
    assert physio.post(_record(session), _post(timezone.now())).status_code == 403
    assert not AdverseEvent.objects.exists()


def test_a_reload_keeps_the_time_the_panel_was_first_opened(alice, session, client_for):
    client = client_for(alice)
    with time_machine.travel(_at(10, 2, 10), tick=False):
        opened = timezone.now()
    with time_machine.travel(_at(10, 5), tick=False):
        page = words(client.get(_panel(session), {"opened": opened.isoformat()}))
        assert "Panel opened at 10:02:10" in page
        # A time in the future is not believed: the panel starts now.
        later = _at(11, 0).isoformat()
        assert "Panel opened at 10:05:00" in words(client.get(_panel(session), {"opened": later}))


def test_recording_makes_one_audited_adverse_event_with_the_times(alice, session, client_for):
    client = client_for(alice)
    with time_machine.travel(_at(10, 2, 10), tick=False):
        html = client.get(_panel(session)).content.decode()
    opened = re.search(r'name="opened_at" value="([^"]+)"', html)
    assert opened is not None
    fields = {
        "opened_at": opened.group(1),
        "onset_time": "10:00",
        "grade": "4",
        "serious": "on",
        "seriousness_criteria": ["life_threatening"],
        "expectedness": "expected",
        "actions_taken": "Midazolam 2 mg; lipid 90 mL bolus then 15 mL/min.",
    }
    with time_machine.travel(_at(10, 15, 3), tick=False):
        response = client.post(_record(session), fields, follow=True)

    event = AdverseEvent.objects.get()
    assert event.event_type == "last"
    assert event.session == session
    assert event.grade == 4
    assert event.serious
    assert event.onset_date == timezone.localdate()
    times = "Onset 10:00; LAST panel opened 10:02:10; recorded 10:15:03 (Europe/London)"
    assert event.description == times
    assert event.reported_by == alice
    created = AuditEvent.objects.get(action=AuditAction.CREATE, object_code=str(event.code))
    assert created.changes["description"] == times
    assert created.patient == session.course.patient
    assert response.redirect_chain == [(reverse("staff:session-detail", args=[session.code]), 302)]
    assert (
        "Adverse event recorded: local anaesthetic systemic toxicity, CTCAE grade 4. " + times
    ) in words(response)


def test_bad_input_names_the_field_and_records_nothing(alice, session, client_for):
    client = client_for(alice)
    with time_machine.travel(_at(10, 2), tick=False):
        now = timezone.now()
        cases = {
            "CTCAE grade (1–5): This field is required.": _post(now, grade=""),
            "Onset time (optional): The onset time cannot be after the time of recording.": (
                _post(now, onset_time="10:03")
            ),
            "Panel opened at: The time the panel was opened cannot be in the future.": _post(
                now + dt.timedelta(hours=1)
            ),
            "Panel opened at: Enter a valid date/time.": _post(now, opened_at="soon"),
            "Seriousness criteria: A serious event needs at least one seriousness criterion.": (
                _post(now, serious="on")
            ),
        }
        for message, data in cases.items():
            response = client.post(_record(session), data)
            assert response.status_code == 400, message
            assert message in words(response)
    assert not AdverseEvent.objects.exists()
