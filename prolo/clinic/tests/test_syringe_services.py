"""Drawing up a syringe in a session, and injections given from it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404

from prolo.clinic.models import (
    AuditEvent,
    ClinicSettings,
    Injection,
    StockProduct,
    Syringe,
    SyringeIngredient,
)
from prolo.clinic.permissions import Perm
from prolo.clinic.services.catalogue import clinic_safety_install, stock_add, stock_update
from prolo.clinic.services.courses import course_set_status
from prolo.clinic.services.syringes import get_syringe, syringe_discard, syringe_draw_up
from prolo.testing import add_injection, make_course, make_note, signed_session


@pytest.fixture
def stocks(clinic):
    clinic_safety_install(clinic=clinic)
    return {s.name: s for s in StockProduct.objects.filter(clinic=clinic)}


@pytest.fixture
def session(alice_actor, pat, stocks):
    return make_course(alice_actor, pat).sessions.get(number=1)


def draw(actor, session, stocks, **overrides):
    fields = {
        "label": "A",
        "final_volume_ml": Decimal(10),
        "target_dextrose_percent": Decimal(15),
        "dextrose_stock": stocks["Dextrose 50% (D50)"],
        "anaesthetic_stock": stocks["Lidocaine 1% (MPF)"],
        "target_anaesthetic_percent": Decimal("0.5"),
        "diluent_stock": stocks["0.9% sodium chloride"],
        "lots": {"dextrose": "D-1", "anaesthetic": "L-2", "diluent": "S-3"},
    }
    fields.update(overrides)
    return syringe_draw_up(actor=actor, session=session, **fields)


def test_a_syringe_records_its_recipe_and_what_it_contains(alice_actor, session, stocks):
    syringe = draw(alice_actor, session, stocks)
    assert syringe.final_volume_ml == 10
    assert syringe.dextrose_percent == 15
    assert syringe.anaesthetics == {"lidocaine": {"percent": "0.5", "epinephrine": False}}
    assert syringe.osmolarity == 819
    assert not syringe.benzyl_alcohol
    recipe = [(i.stock.name, i.volume_ml, i.lot) for i in syringe.ingredients.all()]
    assert recipe == [
        ("Dextrose 50% (D50)", Decimal(3), "D-1"),
        ("Lidocaine 1% (MPF)", Decimal(5), "L-2"),
        ("0.9% sodium chloride", Decimal(2), "S-3"),
    ]


def test_drawing_up_is_audited_on_the_patients_record(alice_actor, session, stocks, pat):
    syringe = draw(alice_actor, session, stocks)
    events = AuditEvent.objects.filter(
        patient=pat, object_type__in=["syringe", "syringeingredient"]
    )
    assert [e.object_type for e in events.order_by("id")] == [
        "syringe",
        "syringeingredient",
        "syringeingredient",
        "syringeingredient",
    ]
    assert events.get(object_type="syringe").object_code == str(syringe.code)


def test_the_clinics_syringe_precision_is_used(alice_actor, clinic, session, stocks):
    ClinicSettings.objects.filter(clinic=clinic).update(syringe_precision_ml=Decimal("0.05"))
    syringe = draw(
        alice_actor,
        session,
        stocks,
        final_volume_ml=Decimal(1),
        target_dextrose_percent=Decimal("12.5"),
    )
    assert syringe.ingredients.first().volume_ml == Decimal("0.25")


def test_a_nurse_draws_up_but_a_physiotherapist_may_not(nora_actor, pete_actor, session, stocks):
    assert draw(nora_actor, session, stocks).created_by == nora_actor.user
    with pytest.raises(PermissionDenied):
        draw(pete_actor, session, stocks, label="B")


def test_a_signed_session_refuses_a_new_syringe(alice_actor, pat, stocks):
    signed = signed_session(alice_actor, pat)
    with pytest.raises(ValidationError, match="signed") as refused:
        draw(alice_actor, signed, stocks)
    assert not hasattr(refused.value, "error_dict")  # about the session, not a field
    assert not Syringe.objects.exists()


def test_a_session_of_a_stopped_course_refuses_a_new_syringe(alice_actor, session, stocks):
    course_set_status(actor=alice_actor, course=session.course, status="stopped", reason="Moved")
    with pytest.raises(ValidationError):
        draw(alice_actor, session, stocks)
    assert not Syringe.objects.exists()


def test_another_clinics_stock_is_refused(alice_actor, session, stocks, other_clinic):
    clinic_safety_install(clinic=other_clinic)
    theirs = StockProduct.objects.get(clinic=other_clinic, name="Dextrose 50% (D50)")
    with pytest.raises(ValidationError) as refused:
        draw(alice_actor, session, stocks, dextrose_stock=theirs)
    assert refused.value.message_dict == {
        "dextrose_stock": ["Choose a stock of this clinic's catalogue."]
    }


def test_a_retired_stock_is_refused(alice_actor, session, stocks):
    d10 = stocks["Dextrose 10% (D10W)"]
    stock_update(actor=alice_actor, stock=d10, active=False)
    with pytest.raises(ValidationError, match="this clinic's catalogue"):
        draw(alice_actor, session, stocks, dextrose_stock=d10, target_dextrose_percent=Decimal(5))


def test_a_stock_of_the_wrong_kind_is_refused(alice_actor, session, stocks):
    with pytest.raises(ValidationError) as refused:
        draw(alice_actor, session, stocks, diluent_stock=stocks["Dextrose 5% (D5W)"])
    assert "diluent_stock" in refused.value.message_dict


def test_a_label_is_used_once_per_session(alice_actor, session, stocks):
    draw(alice_actor, session, stocks, label="Knee joint")
    with pytest.raises(ValidationError) as refused:
        draw(alice_actor, session, stocks, label="knee joint ")
    assert "label" in refused.value.message_dict


def test_a_mix_that_does_not_fit_is_refused_for_the_form_as_a_whole(alice_actor, session, stocks):
    with pytest.raises(ValidationError) as refused:
        draw(
            alice_actor,
            session,
            stocks,
            target_dextrose_percent=Decimal(30),
            target_anaesthetic_percent=Decimal("0.8"),
        )
    [message] = refused.value.message_dict[NON_FIELD_ERRORS]
    assert "Lidocaine 2% (MPF) instead of Lidocaine 1% (MPF)" in message


def test_a_strength_above_its_stock_is_refused_beside_that_field(alice_actor, session, stocks):
    with pytest.raises(ValidationError) as refused:
        draw(alice_actor, session, stocks, dextrose_stock=stocks["Dextrose 10% (D10W)"])
    assert (
        "never stronger than its stock" in refused.value.message_dict["target_dextrose_percent"][0]
    )


def test_an_anaesthetic_strength_without_a_stock_is_refused(alice_actor, session, stocks):
    with pytest.raises(ValidationError) as refused:
        draw(alice_actor, session, stocks, anaesthetic_stock=None)
    assert "anaesthetic_stock" in refused.value.message_dict


def test_a_syringe_without_anaesthetic_is_recorded(alice_actor, session, stocks):
    syringe = draw(
        alice_actor,
        session,
        stocks,
        anaesthetic_stock=None,
        target_anaesthetic_percent=Decimal(0),
        diluent_stock=stocks["Bacteriostatic 0.9% sodium chloride"],
    )
    assert syringe.anaesthetics == {}
    assert syringe.benzyl_alcohol


def test_two_anaesthetics_are_both_kept_in_the_syringe(alice_actor, session, stocks):
    syringe = draw(
        alice_actor,
        session,
        stocks,
        target_anaesthetic_percent=Decimal("0.25"),
        extra_anaesthetics=[(stocks["Bupivacaine 0.5%"], Decimal("0.125"))],
        lots={"anaesthetic": "L-2", "anaesthetic_2": "B-9"},
    )
    assert syringe.anaesthetics == {
        "lidocaine": {"percent": "0.25", "epinephrine": False},
        "bupivacaine": {"percent": "0.125", "epinephrine": False},
    }
    lots = {i.stock.name: i.lot for i in syringe.ingredients.all()}
    assert lots["Bupivacaine 0.5%"] == "B-9"


# Injections given from a syringe.


@pytest.fixture
def note(alice_actor, session):
    return make_note(alice_actor, session)


def test_an_injection_from_a_syringe_takes_its_solution(alice_actor, session, stocks, note):
    syringe = draw(alice_actor, session, stocks)
    injection = add_injection(
        alice_actor,
        note,
        syringe=syringe,
        dextrose_percent=Decimal(25),  # what the boxes said: the syringe wins
        anaesthetic="bupivacaine",
        anaesthetic_percent=Decimal("0.25"),
        diluent="sterile_water",
    )
    injection.refresh_from_db()
    assert injection.syringe == syringe
    assert (injection.dextrose_percent, injection.anaesthetic, injection.anaesthetic_percent) == (
        Decimal(15),
        "lidocaine",
        Decimal("0.5"),
    )
    assert (injection.diluent, injection.epinephrine) == ("saline", False)


def test_an_injection_records_the_main_anaesthetic_of_a_two_agent_syringe(
    alice_actor, session, stocks, note
):
    syringe = draw(
        alice_actor,
        session,
        stocks,
        target_anaesthetic_percent=Decimal("0.25"),
        extra_anaesthetics=[(stocks["Bupivacaine 0.5%"], Decimal("0.125"))],
    )
    injection = add_injection(alice_actor, note, syringe=syringe)
    assert (injection.anaesthetic, injection.anaesthetic_percent) == ("lidocaine", Decimal("0.25"))


def test_epinephrine_and_a_bacteriostatic_water_diluent_carry_over(
    alice_actor, session, stocks, note
):
    syringe = draw(
        alice_actor,
        session,
        stocks,
        anaesthetic_stock=stocks["Lidocaine 1% with epinephrine"],
        diluent_stock=stocks["Bacteriostatic water"],
    )
    injection = add_injection(alice_actor, note, syringe=syringe)
    assert injection.epinephrine
    assert injection.diluent == "bacteriostatic_water"


def test_a_syringe_of_another_session_is_refused(alice_actor, pat, session, stocks, note):
    other = make_course(alice_actor, pat).sessions.get(number=2)
    theirs = draw(alice_actor, other, stocks)
    with pytest.raises(ValidationError) as refused:
        add_injection(alice_actor, note, syringe=theirs)
    assert refused.value.message_dict == {"syringe": ["Choose a syringe drawn up in this session."]}
    assert not Injection.objects.filter(syringe=theirs).exists()


def test_a_syringe_cannot_give_more_than_it_holds(alice_actor, session, stocks, note):
    syringe = draw(alice_actor, session, stocks, final_volume_ml=Decimal(3))
    add_injection(alice_actor, note, syringe=syringe, volume_ml=Decimal(2))
    with pytest.raises(ValidationError) as refused:
        add_injection(alice_actor, note, syringe=syringe, volume_ml=Decimal("1.5"))
    assert refused.value.message_dict["volume_ml"] == [
        "Syringe A has 1.0 mL left (3.0 mL drawn up, 2.0 mL injected)."
    ]
    assert add_injection(alice_actor, note, syringe=syringe, volume_ml=Decimal(1)).pk


def test_the_injections_diluent_is_what_the_stock_says_not_what_its_name_suggests(
    alice_actor, session, stocks, note
):
    # A name that mentions water, for a stock the clinic says is saline; and the reverse.
    saline = stock_add(
        actor=alice_actor, name="NS (water-bath warmed)", kind="diluent", diluent="saline"
    )
    water = stock_add(
        actor=alice_actor, name="Aqua ad iniectabilia", kind="diluent", diluent="sterile_water"
    )
    first = draw(alice_actor, session, stocks, diluent_stock=saline)
    second = draw(alice_actor, session, stocks, label="B", diluent_stock=water)
    assert add_injection(alice_actor, note, syringe=first).diluent == "saline"
    assert add_injection(alice_actor, note, syringe=second).diluent == "sterile_water"


def test_a_diluent_stock_that_does_not_say_which_it_is_is_refused_beside_the_syringe(
    alice_actor, session, stocks, note
):
    syringe = draw(alice_actor, session, stocks)
    StockProduct.objects.filter(pk=stocks["0.9% sodium chloride"].pk).update(diluent="none")
    with pytest.raises(ValidationError) as refused:
        add_injection(alice_actor, note, syringe=syringe)
    assert "does not say which diluent" in refused.value.message_dict["syringe"][0]
    assert not Injection.objects.filter(syringe=syringe).exists()


# Discarding a syringe drawn up by mistake.

WRONG = "Drawn up from D10W instead of D50"


def test_a_syringe_drawn_up_by_mistake_is_discarded_with_its_reason_on_the_record(
    nora_actor, session, stocks, pat
):
    syringe = draw(nora_actor, session, stocks)
    syringe_discard(actor=nora_actor, syringe=syringe, reason=f"  {WRONG} ")
    assert not Syringe.objects.exists()
    assert not SyringeIngredient.objects.exists()
    deleted = AuditEvent.objects.filter(patient=pat, action="delete").order_by("id")
    assert [e.object_type for e in deleted] == ["syringeingredient"] * 3 + ["syringe"]
    event = deleted.get(object_type="syringe")
    assert (event.object_code, event.actor) == (str(syringe.code), nora_actor.user)
    assert event.changes["reason"] == WRONG
    assert event.changes["label"] == "A"


def test_a_syringe_injected_from_cannot_be_discarded(alice_actor, session, stocks, note):
    syringe = draw(alice_actor, session, stocks)
    add_injection(alice_actor, note, syringe=syringe)
    with pytest.raises(ValidationError, match="has been injected from") as refused:
        syringe_discard(actor=alice_actor, syringe=syringe, reason=WRONG)
    assert not hasattr(refused.value, "error_dict")  # about the syringe, not the reason
    assert Syringe.objects.filter(pk=syringe.pk).exists()


@pytest.mark.parametrize("reason", ["", "   ", "r" * 301])
def test_discarding_needs_a_reason_of_at_most_300_characters(alice_actor, session, stocks, reason):
    syringe = draw(alice_actor, session, stocks)
    with pytest.raises(ValidationError) as refused:
        syringe_discard(actor=alice_actor, syringe=syringe, reason=reason)
    assert "reason" in refused.value.message_dict
    assert Syringe.objects.filter(pk=syringe.pk).exists()


def test_a_physiotherapist_may_not_discard_a_syringe(alice_actor, pete_actor, session, stocks):
    syringe = draw(alice_actor, session, stocks)
    with pytest.raises(PermissionDenied):
        syringe_discard(actor=pete_actor, syringe=syringe, reason=WRONG)
    assert Syringe.objects.filter(pk=syringe.pk).exists()


def test_a_syringe_of_a_stopped_course_stays_on_the_record(alice_actor, session, stocks):
    syringe = draw(alice_actor, session, stocks)
    # Stopping the course cancels its sessions still booked: the record is closed.
    course_set_status(actor=alice_actor, course=session.course, status="stopped", reason="Moved")
    with pytest.raises(ValidationError, match="cancelled"):
        syringe_discard(actor=alice_actor, syringe=syringe, reason=WRONG)
    assert Syringe.objects.filter(pk=syringe.pk).exists()


def test_another_clinics_syringe_is_not_found(alice_actor, charlie_actor, session, stocks):
    syringe = draw(alice_actor, session, stocks)
    with pytest.raises(Http404):
        get_syringe(charlie_actor, syringe.code, Perm.DRAW_UP)
    assert get_syringe(alice_actor, syringe.code, Perm.DRAW_UP) == syringe


def test_a_syringe_records_its_epinephrine_and_counts_it_only_above_the_threshold(
    alice_actor, session, stocks
):
    epinephrine = stocks["Lidocaine 1% with epinephrine"]  # 1:100,000 = 10 µg/mL
    strong = draw(alice_actor, session, stocks, anaesthetic_stock=epinephrine)
    assert strong.epinephrine_ug_per_ml == 5  # 5 mL of 10: 1:200,000
    assert strong.anaesthetics == {"lidocaine": {"percent": "0.5", "epinephrine": True}}
    weak = draw(
        alice_actor,
        session,
        stocks,
        label="B",
        anaesthetic_stock=epinephrine,
        target_anaesthetic_percent=Decimal("0.1"),
    )
    assert weak.epinephrine_ug_per_ml == 1  # 1:1,000,000, below the default 1:400,000
    assert weak.anaesthetics == {"lidocaine": {"percent": "0.1", "epinephrine": False}}
    plain = draw(alice_actor, session, stocks, label="C")
    assert plain.epinephrine_ug_per_ml is None


def test_the_clinics_epinephrine_threshold_decides(alice_actor, clinic, session, stocks):
    ClinicSettings.objects.update_or_create(
        clinic=clinic, defaults={"epinephrine_min_ratio": 150_000}
    )
    syringe = draw(
        alice_actor, session, stocks, anaesthetic_stock=stocks["Lidocaine 1% with epinephrine"]
    )
    assert syringe.anaesthetics["lidocaine"]["epinephrine"] is False  # 1:200,000 < 1:150,000


def test_an_epinephrine_stock_of_unrecorded_strength_counts_as_plain(alice_actor, session, stocks):
    stock = stocks["Lidocaine 1% with epinephrine"]
    StockProduct.objects.filter(pk=stock.pk).update(epinephrine_ratio=None)  # saved before it
    stock.refresh_from_db()
    syringe = draw(alice_actor, session, stocks, anaesthetic_stock=stock)
    assert syringe.anaesthetics["lidocaine"]["epinephrine"] is False
    assert syringe.epinephrine_ug_per_ml is None  # not known, so not recorded as 0


def test_a_syringe_records_what_its_osmolarity_leaves_out(alice_actor, session, stocks):
    syringe = draw(alice_actor, session, stocks)
    assert syringe.osmolarity_not_counted == ["Lidocaine 1% (MPF)"]  # no label osmolarity
    plain = draw(
        alice_actor,
        session,
        stocks,
        label="B",
        anaesthetic_stock=None,
        target_anaesthetic_percent=Decimal(0),
    )
    assert plain.osmolarity_not_counted == []
