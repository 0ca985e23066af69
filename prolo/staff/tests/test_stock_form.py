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
