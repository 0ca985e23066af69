"""The stock catalogue: what a new clinic starts with, and the audited edits of its own copy."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from prolo.clinic.models import AnaestheticLimit, AuditEvent, ClinicSettings, StockProduct
from prolo.clinic.models.safety import composition_allergens
from prolo.clinic.safety.catalogue import DEFAULT_LIMITS, DEFAULT_STOCKS
from prolo.clinic.services.catalogue import clinic_safety_install, stock_add, stock_update
from prolo.clinic.services.clinics import clinic_create
from prolo.clinic.services.syringes import syringe_draw_up
from prolo.testing import make_course

D25 = {
    "name": "Dextrose 25% (D25)",
    "kind": "dextrose",
    "dextrose_percent": Decimal(25),
    "osmolarity": 1263,
    "allergens": ["corn"],
    "source": "Vial label",
}


@pytest.fixture
def installed(clinic):
    clinic_safety_install(clinic=clinic)
    return clinic


def _stock(clinic, name: str) -> StockProduct:
    return StockProduct.objects.get(clinic=clinic, name=name)


def test_a_new_clinic_starts_with_the_default_catalogue_limits_and_settings(db):
    clinic = clinic_create(name="Seaside Prolotherapy")
    assert ClinicSettings.objects.filter(clinic=clinic).exists()
    names = set(clinic.stocks.values_list("name", flat=True))
    assert names == {s.name for s in DEFAULT_STOCKS}
    assert clinic.anaesthetic_limits.count() == len(DEFAULT_LIMITS)


def test_the_defaults_carry_strength_allergens_flags_and_sources(installed):
    d50 = _stock(installed, "Dextrose 50% (D50)")
    assert (d50.dextrose_percent, d50.osmolarity, d50.allergens) == (50, 2525, ["corn"])
    assert "[R20]" in d50.source
    epi = _stock(installed, "Lidocaine 1% with epinephrine")
    assert epi.epinephrine
    assert set(epi.allergens) == {"amide_anaesthetic", "sulfite"}
    assert "paraben" in _stock(installed, "Lidocaine 1% (multi-dose vial)").allergens
    assert "paraben" not in _stock(installed, "Lidocaine 1% (MPF)").allergens
    assert _stock(installed, "Bacteriostatic water").benzyl_alcohol
    morrhuate = _stock(installed, "Sodium morrhuate 5%")
    assert morrhuate.high_risk
    assert morrhuate.allergens == ["fish"]
    assert "unverified" in _stock(installed, "0.9% sodium chloride").source


def test_the_default_limits_are_the_domain_notes_values_none_marked_verified(installed):
    limits = {limit.agent: limit for limit in installed.anaesthetic_limits.all()}
    lido, bupi, ropi = limits["lidocaine"], limits["bupivacaine"], limits["ropivacaine"]
    assert (lido.mg_per_kg, lido.cap_mg, lido.mg_per_kg_epinephrine, lido.cap_mg_epinephrine) == (
        Decimal("4.5"),
        300,
        Decimal(7),
        500,
    )
    assert (bupi.mg_per_kg, bupi.cap_mg, bupi.mg_per_kg_epinephrine, bupi.cap_mg_epinephrine) == (
        Decimal(2),
        175,
        Decimal(3),
        225,
    )
    assert (ropi.mg_per_kg, ropi.cap_mg) == (Decimal(3), None)
    assert "unverified" in bupi.source
    assert "unverified" in ropi.source
    assert not any(limit.verified for limit in limits.values())


def test_installing_twice_changes_nothing_and_keeps_the_clinics_edits(installed, alice_actor):
    d50 = _stock(installed, "Dextrose 50% (D50)")
    stock_update(actor=alice_actor, stock=d50, notes="Top shelf")
    AnaestheticLimit.objects.filter(clinic=installed, agent="lidocaine").update(cap_mg=250)
    clinic_safety_install(clinic=installed)
    assert installed.stocks.count() == len(DEFAULT_STOCKS)
    assert _stock(installed, "Dextrose 50% (D50)").notes == "Top shelf"
    assert installed.anaesthetic_limits.get(agent="lidocaine").cap_mg == 250


def test_a_physician_adds_a_stock_and_it_is_audited_without_a_patient(installed, alice_actor):
    stock = stock_add(actor=alice_actor, **D25)
    assert stock.clinic == installed
    event = AuditEvent.objects.get(object_code=str(stock.code))
    assert (event.action, event.patient, event.actor) == ("create", None, alice_actor.user)
    assert event.changes["dextrose_percent"] == "25"


def test_a_clinic_admin_manages_the_catalogue_but_a_nurse_may_not(
    installed, adam_actor, nora_actor
):
    assert stock_add(actor=adam_actor, **D25).pk
    with pytest.raises(PermissionDenied):
        stock_add(actor=nora_actor, **D25 | {"name": "Another"})


@pytest.mark.parametrize(
    ("case", "changes", "field"),
    [
        ("a name already used", {"name": "dextrose 50% (D50)"}, "name"),
        ("a dextrose stock at 0%", {"dextrose_percent": Decimal(0)}, "dextrose_percent"),
        ("dextrose in a diluent", {"kind": "diluent"}, "dextrose_percent"),
        (
            "an anaesthetic in a dextrose stock",
            {"anaesthetic": "lidocaine", "anaesthetic_percent": Decimal(1)},
            "anaesthetic",
        ),
        (
            "an anaesthetic stock without its strength",
            {"kind": "anaesthetic", "dextrose_percent": Decimal(0), "anaesthetic": "lidocaine"},
            "anaesthetic_percent",
        ),
        ("epinephrine in dextrose", {"epinephrine": True}, "epinephrine"),
        ("an unknown allergen", {"allergens": ["peanut"]}, "allergens"),
        ("a NUL in the name", {"name": "D\x0025"}, "name"),
    ],
)
def test_an_inconsistent_stock_is_refused_naming_the_field(
    installed, alice_actor, case, changes, field
):
    with pytest.raises(ValidationError) as refused:
        stock_add(actor=alice_actor, **D25 | changes)
    assert field in refused.value.message_dict
    assert not StockProduct.objects.filter(clinic=installed, source="Vial label").exists()


def test_an_edit_is_audited_old_to_new(installed, alice_actor):
    d50 = _stock(installed, "Dextrose 50% (D50)")
    stock_update(actor=alice_actor, stock=d50, source="Hospira label, 2026")
    event = AuditEvent.objects.filter(object_code=str(d50.code)).latest("id")
    assert event.action == "update"
    assert event.changes["source"][1] == "Hospira label, 2026"


def test_a_drawn_up_stocks_strength_is_fixed_but_it_can_be_retired(installed, alice_actor, pat):
    session = make_course(alice_actor, pat).sessions.get(number=1)
    d50 = _stock(installed, "Dextrose 50% (D50)")
    syringe_draw_up(
        actor=alice_actor,
        session=session,
        label="A",
        final_volume_ml=Decimal(5),
        target_dextrose_percent=Decimal(15),
        dextrose_stock=d50,
        anaesthetic_stock=None,
        target_anaesthetic_percent=Decimal(0),
        diluent_stock=_stock(installed, "0.9% sodium chloride"),
    )
    with pytest.raises(ValidationError, match="add a new stock") as refused:
        stock_update(actor=alice_actor, stock=d50, dextrose_percent=Decimal(40))
    assert "dextrose_percent" in refused.value.message_dict
    stock_update(actor=alice_actor, stock=d50, active=False)
    d50.refresh_from_db()
    assert (d50.dextrose_percent, d50.active) == (50, False)


def test_another_clinics_stock_cannot_be_edited(installed, other_clinic, alice_actor):
    clinic_safety_install(clinic=other_clinic)
    theirs = _stock(other_clinic, "Dextrose 50% (D50)")
    with pytest.raises(ValidationError, match="not in your clinic's catalogue"):
        stock_update(actor=alice_actor, stock=theirs, notes="Mine now")
    theirs.refresh_from_db()
    assert theirs.notes != "Mine now"


# What a stock is made of decides some of its allergens; the clinic can only add to them.


def test_every_default_stock_carries_the_allergens_of_what_it_is_made_of():
    for stock in DEFAULT_STOCKS:
        composition = composition_allergens(
            dextrose_percent=stock.dextrose_percent,
            anaesthetic=stock.anaesthetic,
            epinephrine=stock.epinephrine,
            diluent=stock.diluent,
        )
        assert set(composition) <= set(stock.allergens), stock.name


def test_unticking_corn_on_d50_keeps_corn(installed, alice_actor):
    d50 = _stock(installed, "Dextrose 50% (D50)")
    stock_update(actor=alice_actor, stock=d50, allergens=[])
    d50.refresh_from_db()
    assert d50.allergens == ["corn"]


def test_unticking_amide_on_lidocaine_keeps_it_and_an_added_paraben_is_kept(installed, alice_actor):
    lidocaine = _stock(installed, "Lidocaine 1% (MPF)")
    stock_update(actor=alice_actor, stock=lidocaine, allergens=["paraben"])
    lidocaine.refresh_from_db()
    assert lidocaine.allergens == ["amide_anaesthetic", "paraben"]


def test_a_new_stock_gets_the_allergens_of_its_composition(installed, alice_actor):
    d25 = stock_add(actor=alice_actor, **D25 | {"allergens": []})
    assert d25.allergens == ["corn"]
    epi = stock_add(
        actor=alice_actor,
        name="Lidocaine 2% with epinephrine",
        kind="anaesthetic",
        anaesthetic="lidocaine",
        anaesthetic_percent=Decimal(2),
        epinephrine=True,
        epinephrine_ratio=200_000,
        allergens=[],
    )
    assert epi.allergens == ["amide_anaesthetic", "sulfite"]


def test_a_bacteriostatic_diluent_always_contains_benzyl_alcohol(installed, alice_actor):
    stock = stock_add(
        actor=alice_actor,
        name="Bacteriostatic saline, 30 mL",
        kind="diluent",
        diluent="bacteriostatic_saline",
        allergens=[],
    )
    assert stock.benzyl_alcohol


def test_a_stock_saved_without_its_composition_allergens_gets_them_on_its_next_save(
    installed, alice_actor
):
    d50 = _stock(installed, "Dextrose 50% (D50)")
    StockProduct.objects.filter(pk=d50.pk).update(allergens=[])  # as an older edit left it
    stock_update(actor=alice_actor, stock=d50, notes="Top shelf")
    d50.refresh_from_db()
    assert d50.allergens == ["corn"]
    event = AuditEvent.objects.filter(object_code=str(d50.code)).latest("id")
    assert event.changes["allergens"] == [[], ["corn"]]


def test_the_stock_says_which_allergens_are_fixed_and_why(installed):
    epi = _stock(installed, "Lidocaine 1% with epinephrine")
    assert epi.fixed_allergens == [
        ("Amide local anaesthetic", "it contains lidocaine, an amide local anaesthetic"),
        (
            "Sulfite (metabisulfite)",
            "it contains epinephrine, whose forms contain sodium metabisulfite [R22]",
        ),
    ]
    assert _stock(installed, "Sodium morrhuate 5%").fixed_allergens == []


# Which diluent a diluent stock is: what an injection from it records.


def test_the_default_diluents_say_which_diluent_they_are(installed):
    diluents = dict(installed.stocks.filter(kind="diluent").values_list("name", "diluent"))
    assert diluents == {
        "0.9% sodium chloride": "saline",
        "Bacteriostatic 0.9% sodium chloride": "bacteriostatic_saline",
        "Bacteriostatic water": "bacteriostatic_water",
        "Sterile water for injection": "sterile_water",
    }
    assert set(installed.stocks.exclude(kind="diluent").values_list("diluent", flat=True)) == {
        "none"
    }


@pytest.mark.parametrize(
    ("case", "fields", "message"),
    [
        ("a diluent not saying which", {"diluent": "none"}, "Choose which diluent"),
        ("a dextrose stock as a diluent", {"kind": "dextrose"}, "Only a diluent stock"),
        (
            "benzyl alcohol in plain saline",
            {"diluent": "saline", "allergens": ["benzyl_alcohol"]},
            "bacteriostatic",
        ),
    ],
)
def test_a_diluent_that_does_not_add_up_is_refused_beside_the_diluent_field(
    installed, alice_actor, case, fields, message
):
    values = {"name": "Saline 10 mL", "kind": "diluent", "diluent": "saline"} | fields
    if values["kind"] == "dextrose":
        values["dextrose_percent"] = Decimal(5)
    with pytest.raises(ValidationError) as refused:
        stock_add(actor=alice_actor, **values)
    assert message in refused.value.message_dict["diluent"][0]
    assert not StockProduct.objects.filter(name="Saline 10 mL").exists()
