"""Discarding a syringe drawn up by mistake, from the session page.

Who may post it is in test_view_access.py; hostile input in test_bad_input.py.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from prolo.clinic.models import AuditEvent, StockProduct, Syringe
from prolo.clinic.services.catalogue import clinic_safety_install
from prolo.clinic.services.syringes import syringe_draw_up
from prolo.testing import add_injection, make_course, make_note

WRONG = "Drawn up from D10W instead of D50"


@pytest.fixture
def session(alice_actor, pat, clinic):
    clinic_safety_install(clinic=clinic)
    session = make_course(alice_actor, pat).sessions.get(number=1)
    make_note(alice_actor, session)
    return session


@pytest.fixture
def syringe(alice_actor, session, clinic):
    stock = StockProduct.objects.filter(clinic=clinic)
    return syringe_draw_up(
        actor=alice_actor,
        session=session,
        label="A",
        final_volume_ml=Decimal(5),
        target_dextrose_percent=Decimal(15),
        dextrose_stock=stock.get(name="Dextrose 50% (D50)"),
        anaesthetic_stock=None,
        target_anaesthetic_percent=Decimal(0),
        diluent_stock=stock.get(name="0.9% sodium chloride"),
    )


def _page(client, session) -> str:
    return client.get(reverse("staff:session-detail", args=[session.code])).content.decode()


def _discard(client, syringe, reason: str = WRONG):
    url = reverse("staff:syringe-discard", args=[syringe.code])
    return client.post(url, {"discard-reason": reason})


def test_a_nurse_discards_a_syringe_drawn_up_by_mistake(nora, client_for, session, syringe):
    client = client_for(nora)
    assert "Discard syringe A" in _page(client, session)
    response = _discard(client, syringe)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Syringe A discarded." in page
    assert not Syringe.objects.exists()
    event = AuditEvent.objects.get(object_type="syringe", action="delete")
    assert (event.actor, event.changes["reason"]) == (nora, WRONG)


def test_a_syringe_injected_from_offers_no_discard_and_refuses_one(
    alice, alice_actor, client_for, session, syringe
):
    add_injection(alice_actor, session.note, syringe=syringe)
    client = client_for(alice)
    page = _page(client, session)
    assert "Discard syringe A" not in page
    assert "Injected from: it stays on the record." in page
    response = _discard(client, syringe)
    assert response.status_code == 302
    assert "has been injected from" in client.get(response["Location"]).content.decode()
    assert Syringe.objects.filter(pk=syringe.pk).exists()


def test_a_discard_without_a_reason_is_refused_beside_that_syringes_reason_box(
    alice, client_for, session, syringe
):
    response = _discard(client_for(alice), syringe, reason="  ")
    assert response.status_code == 400
    html = response.content.decode()
    field = f"id_discard-reason_{syringe.code}"
    assert f'href="#{field}"' in html  # the error summary links to the box
    assert f'id="{field}_error"' in html
    assert "<details open><summary>Discard syringe A</summary>" in html
    assert Syringe.objects.filter(pk=syringe.pk).exists()


def test_a_physiotherapist_sees_no_discard_button(pete, client_for, session, syringe):
    assert "Discard syringe" not in _page(client_for(pete), session)
