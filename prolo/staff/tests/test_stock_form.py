"""The stock form: what a stock is made of always counts as an allergen; which diluent it is.

Who may open it is in test_view_access.py; hostile input in test_bad_input.py.
"""

from __future__ import annotations

from django.urls import reverse

from prolo.clinic.models import StockProduct
from prolo.clinic.services.catalogue import clinic_safety_install


def test_the_stock_form_shows_the_allergens_a_stock_always_has_and_why(adam, client_for, clinic):
    clinic_safety_install(clinic=clinic)
    d50 = StockProduct.objects.get(clinic=clinic, name="Dextrose 50% (D50)")
    html = client_for(adam).get(reverse("staff:stock-edit", args=[d50.code])).content.decode()
    assert "What a stock is made of always counts, ticked or not" in html
    assert "Corn (dextrose), because it contains dextrose, which is derived from corn" in html
    assert "Which diluent" in html


def test_unticking_corn_on_the_stock_form_keeps_corn(adam, client_for, clinic):
    clinic_safety_install(clinic=clinic)
    d50 = StockProduct.objects.get(clinic=clinic, name="Dextrose 50% (D50)")
    data = {
        "name": d50.name,
        "kind": "dextrose",
        "dextrose_percent": "50",
        "anaesthetic": "none",
        "anaesthetic_percent": "0",
        "diluent": "none",
        "osmolarity": "2525",
        "source": d50.source,
        "active": "on",
    }  # no allergen ticked
    response = client_for(adam).post(reverse("staff:stock-edit", args=[d50.code]), data)
    assert response.status_code == 302
    d50.refresh_from_db()
    assert d50.allergens == ["corn"]


P2G = {
    "name": "P2G",
    "kind": "sclerosant",
    "dextrose_percent": "25",
    "anaesthetic": "none",
    "anaesthetic_percent": "0",
    "diluent": "none",
    "osmolarity": "0",
    "actives": "Phenol 2.5%, glycerin 25%",
    "high_risk": "on",
    "source": "Composition unverified",
    "active": "on",
}


def test_a_stock_is_added_by_its_composition_and_listed_with_every_active(adam, client_for, clinic):
    clinic_safety_install(clinic=clinic)
    response = client_for(adam).post(reverse("staff:stock-new"), P2G)
    assert response.status_code == 302
    p2g = StockProduct.objects.get(clinic=clinic, name="P2G")
    assert p2g.actives == [
        {"name": "phenol", "percent": "2.5"},
        {"name": "glycerin", "percent": "25"},
    ]
    assert p2g.allergens == ["corn"]
    html = client_for(adam).get(reverse("staff:catalogue")).content.decode()
    assert "25% dextrose, phenol 2.5%, glycerin 25%" in html
    assert "Lidocaine 1%, epinephrine 1:100,000 (10 µg/mL)" in html
    assert "sodium morrhuate 5%" in html
    edit = client_for(adam).get(reverse("staff:stock-edit", args=[p2g.code])).content.decode()
    assert 'value="phenol 2.5%, glycerin 25%"' in edit


def test_an_active_that_is_not_a_strength_is_refused_beside_its_field(adam, client_for, clinic):
    clinic_safety_install(clinic=clinic)
    response = client_for(adam).post(reverse("staff:stock-new"), P2G | {"actives": "phenol"})
    assert response.status_code == 200  # the form again, with the error
    assert "Write each active as NAME PERCENT%, such as phenol 2.5%" in response.content.decode()
    assert not StockProduct.objects.filter(clinic=clinic, name="P2G").exists()


def test_an_epinephrine_stock_needs_its_strength(adam, client_for, clinic):
    data = {
        "name": "Lidocaine 2% with epinephrine",
        "kind": "anaesthetic",
        "dextrose_percent": "0",
        "anaesthetic": "lidocaine",
        "anaesthetic_percent": "2",
        "epinephrine": "on",
        "diluent": "none",
        "osmolarity": "0",
        "active": "on",
    }
    response = client_for(adam).post(reverse("staff:stock-new"), data)
    assert response.status_code == 200  # the form again, with the error
    assert "Give the epinephrine strength as on the vial" in response.content.decode()
    data["epinephrine_ratio"] = "200000"
    assert client_for(adam).post(reverse("staff:stock-new"), data).status_code == 302
    stock = StockProduct.objects.get(clinic=clinic, name=data["name"])
    assert stock.epinephrine_ratio == 200_000
