"""The calculator page, the stock catalogue pages, and drawing up a syringe on the session page.

Who may open each page is in test_view_access.py; hostile input in test_bad_input.py.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from prolo.clinic.models import Injection, StockProduct, Syringe
from prolo.clinic.services.catalogue import clinic_safety_install
from prolo.testing import make_course, make_note, signed_session

CALCULATOR = reverse("staff:calculator")


@pytest.fixture
def stocks(clinic):
    clinic_safety_install(clinic=clinic)
    return {s.name: s.pk for s in StockProduct.objects.filter(clinic=clinic)}


def _ask(stocks, **changes):
    query = {
        "final_volume_ml": "10",
        "precision_ml": "0.1",
        "target_dextrose_percent": "15",
        "dextrose_stock": stocks["Dextrose 50% (D50)"],
        "target_anaesthetic_percent": "0.5",
        "anaesthetic_stock": stocks["Lidocaine 1% (MPF)"],
        "diluent_stock": stocks["0.9% sodium chloride"],
    }
    return query | changes


def test_the_calculator_starts_from_a_worked_example_with_the_clinics_stocks(
    nora, client_for, stocks
):
    response = client_for(nora).get(CALCULATOR)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["dextrose_stock"] == stocks["Dextrose 50% (D50)"]
    assert response.context["mix"] is None
    assert "Formulas" in response.content.decode()


def test_the_calculator_shows_each_volume_the_strengths_reached_and_their_sources(
    nora, client_for, stocks
):
    response = client_for(nora).get(CALCULATOR, _ask(stocks))
    html = response.content.decode()
    assert response.status_code == 200
    rows = [(r.name, r.achieved) for r in response.context["ingredients"]]
    assert rows == [
        ("Dextrose 50% (D50)", "3.0"),
        ("Lidocaine 1% (MPF)", "5.0"),
        ("0.9% sodium chloride", "2.0"),
    ]
    assert "50 mg" in html
    assert "at least 819 mOsm/L (not counted: Lidocaine 1% (MPF))" in html
    assert "[R20]" in html
    assert "[R22]" in html
    assert "Corn (dextrose)" in html


def test_a_second_anaesthetic_is_measured_too(alice, client_for, stocks):
    query = _ask(
        stocks,
        target_anaesthetic_percent="0.25",
        second_anaesthetic_percent="0.125",
        second_anaesthetic_stock=stocks["Bupivacaine 0.5%"],
    )
    response = client_for(alice).get(CALCULATOR, query)
    names = [r.name for r in response.context["contents"]]
    assert names[:3] == ["Dextrose", "Lidocaine", "Bupivacaine"]


def test_an_impossible_mix_is_refused_with_what_would_work(nora, client_for, stocks):
    query = _ask(stocks, target_dextrose_percent="30", target_anaesthetic_percent="0.8")
    response = client_for(nora).get(CALCULATOR, query)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["mix"] is None
    assert "There is a problem" in html
    assert "Does not fit: 30% dextrose and lidocaine 0.8% in 10.0 mL" in html
    assert "Lidocaine 2% (MPF) instead of Lidocaine 1% (MPF)" in html


def test_a_strength_above_the_stock_is_shown_beside_the_field(nora, client_for, stocks):
    query = _ask(stocks, dextrose_stock=stocks["Dextrose 10% (D10W)"])
    form = client_for(nora).get(CALCULATOR, query).context["form"]
    assert "never stronger than its stock" in form.errors["target_dextrose_percent"][0]


@pytest.mark.parametrize(
    "changes",
    [
        {"final_volume_ml": "NaN"},
        {"final_volume_ml": "-1"},
        {"final_volume_ml": "9" * 400},
        {"precision_ml": "0"},
        {"dextrose_stock": "999999"},
        {"target_dextrose_percent": "a\x00b"},
        {"final_volume_ml": "10.05"},
    ],
)
def test_nonsense_in_the_calculator_is_refused_by_its_field(nora, client_for, stocks, changes):
    response = client_for(nora).get(CALCULATOR, _ask(stocks, **changes))
    assert response.status_code == 200
    assert response.context["mix"] is None
    assert response.context["form"].errors


def test_another_clinics_stock_is_not_offered(nora, client_for, stocks, other_clinic):
    clinic_safety_install(clinic=other_clinic)
    theirs = StockProduct.objects.get(clinic=other_clinic, name="Dextrose 50% (D50)")
    form = client_for(nora).get(CALCULATOR, _ask(stocks, dextrose_stock=theirs.pk)).context["form"]
    assert "dextrose_stock" in form.errors


# The catalogue.


def test_the_catalogue_lists_strengths_contents_flags_and_sources(nora, client_for, stocks):
    html = client_for(nora).get(reverse("staff:catalogue")).content.decode()
    assert "Sodium morrhuate 5%" in html
    assert "High risk" in html
    assert "Fish (morrhuate)" in html
    assert "Benzyl alcohol" in html
    assert "2525 mOsm/L" in html
    assert "unverified" in html
    assert "Add a stock" not in html  # a nurse reads it; physicians and admins manage it


def test_a_clinic_admin_adds_a_stock(adam, client_for, stocks):
    data = {
        "name": "Dextrose 25% (D25)",
        "kind": "dextrose",
        "dextrose_percent": "25",
        "anaesthetic": "none",
        "anaesthetic_percent": "0",
        "diluent": "none",
        "osmolarity": "1263",
        "allergens": ["corn"],
        "source": "Vial label",
        "active": "on",
    }
    response = client_for(adam).post(reverse("staff:stock-new"), data)
    assert response.status_code == 302
    stock = StockProduct.objects.get(name="Dextrose 25% (D25)")
    assert (stock.dextrose_percent, stock.allergens) == (25, ["corn"])


def test_editing_a_stock_starts_from_its_values(alice, client_for, stocks):
    d50 = StockProduct.objects.get(pk=stocks["Dextrose 50% (D50)"])
    url = reverse("staff:stock-edit", args=[d50.code])
    form = client_for(alice).get(url).context["form"]
    assert form.initial["dextrose_percent"] == 50
    assert form.initial["allergens"] == ["corn"]


# Drawing up on the session page.


@pytest.fixture
def session(alice_actor, pat, stocks):
    session = make_course(alice_actor, pat).sessions.get(number=1)
    make_note(alice_actor, session)
    return session


def _draw_up_form(stocks, **changes):
    data = {
        "syringe-label": "A",
        "syringe-final_volume_ml": "10",
        "syringe-target_dextrose_percent": "15",
        "syringe-dextrose_stock": stocks["Dextrose 50% (D50)"],
        "syringe-dextrose_lot": "D-1",
        "syringe-target_anaesthetic_percent": "0.5",
        "syringe-anaesthetic_stock": stocks["Lidocaine 1% (MPF)"],
        "syringe-diluent_stock": stocks["0.9% sodium chloride"],
    }
    return data | changes


def test_a_nurse_draws_up_a_syringe_from_the_session_page(nora, client_for, session, stocks):
    client = client_for(nora)
    url = reverse("staff:syringe-add", args=[session.code])
    response = client.post(url, _draw_up_form(stocks))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Syringe A is drawn up." in page
    assert "3.0 mL Dextrose 50% (D50), lot D-1" in page
    assert (
        "15% dextrose; lidocaine 0.5% (50 mg); at least 819 mOsm/L (not counted: Lidocaine 1% (MPF))"
        in page
    )
    assert "0.0 of 10.0 mL" in page


def test_the_next_syringe_starts_from_the_last_with_the_next_letter(
    alice, client_for, session, stocks
):
    client = client_for(alice)
    client.post(reverse("staff:syringe-add", args=[session.code]), _draw_up_form(stocks))
    form = client.get(reverse("staff:session-detail", args=[session.code])).context["forms"][
        "syringe"
    ]
    assert form.initial["label"] == "B"
    assert form.initial["target_anaesthetic_percent"] == Decimal("0.5")


def test_a_mix_that_does_not_fit_is_shown_on_the_session_page(alice, client_for, session, stocks):
    url = reverse("staff:syringe-add", args=[session.code])
    data = _draw_up_form(stocks, **{"syringe-target_dextrose_percent": "40"})
    response = client_for(alice).post(url, data | {"syringe-target_anaesthetic_percent": "0.9"})
    assert response.status_code == 400
    assert "Does not fit: 40% dextrose and lidocaine 0.9%" in response.content.decode()
    assert not Syringe.objects.exists()


def test_a_signed_session_says_so_instead_of_drawing_up(
    alice, alice_actor, pat, client_for, stocks
):
    signed = signed_session(alice_actor, pat)
    client = client_for(alice)
    response = client.post(reverse("staff:syringe-add", args=[signed.code]), _draw_up_form(stocks))
    assert response.status_code == 302
    assert "signed" in client.get(response["Location"]).content.decode()
    assert not Syringe.objects.exists()
    assert "Draw up a syringe" not in client.get(response["Location"]).content.decode()


def test_an_injection_is_recorded_from_a_syringe_through_the_page(
    alice, client_for, session, stocks
):
    client = client_for(alice)
    client.post(reverse("staff:syringe-add", args=[session.code]), _draw_up_form(stocks))
    syringe = Syringe.objects.get()
    page = client.get(reverse("staff:session-detail", args=[session.code]))
    assert list(page.context["forms"]["injection"].fields["syringe"].queryset) == [syringe]
    data = {
        "injection-site_code": "knee-pes",
        "injection-side": "left",
        "injection-structure": "enthesis",
        "injection-guidance": "landmark",
        "injection-needle_gauge": "27",
        "injection-needle_length_mm": "38",
        "injection-syringe": syringe.pk,
        "injection-volume_ml": "1.0",
    }  # no solution given: the syringe's is used
    response = client.post(reverse("staff:injection-add", args=[session.code]), data)
    assert response.status_code == 302
    injection = Injection.objects.get()
    assert (injection.syringe, injection.dextrose_percent, injection.anaesthetic) == (
        syringe,
        Decimal(15),
        "lidocaine",
    )


def test_without_a_syringe_the_solution_is_still_required(alice, client_for, session, stocks):
    data = {
        "injection-site_code": "knee-pes",
        "injection-side": "left",
        "injection-structure": "enthesis",
        "injection-guidance": "landmark",
        "injection-needle_gauge": "27",
        "injection-needle_length_mm": "38",
        "injection-volume_ml": "1.0",
    }
    response = client_for(alice).post(reverse("staff:injection-add", args=[session.code]), data)
    assert response.status_code == 400
    errors = response.context["forms"]["injection"].errors
    assert set(errors) == {"dextrose_percent", "anaesthetic", "anaesthetic_percent", "diluent"}


# Reading a recipe: the inverse, on the same page.


def _recipe(*rows, **changes):
    query = {"recipe-unit": "ml"}
    for number, (stock, amount) in enumerate(rows, start=1):
        query |= {f"recipe-stock_{number}": stock, f"recipe-amount_{number}": amount}
    return query | {f"recipe-{name}": value for name, value in changes.items()}


def _rabago(stocks):
    return (
        (stocks["Dextrose 50% (D50)"], "3"),
        (stocks["Lidocaine 1% (MPF)"], "5"),
        (stocks["0.9% sodium chloride"], "2"),
    )


def test_the_recipe_form_starts_from_the_same_worked_example(nora, client_for, stocks):
    response = client_for(nora).get(CALCULATOR)
    form = response.context["recipe_form"]
    assert not form.is_bound
    assert form.initial["stock_1"] == stocks["Dextrose 50% (D50)"]
    assert form.initial["amount_2"] == Decimal(5)
    assert response.context["recipe"] is None
    html = response.content.decode()
    assert "<legend>Ingredient 2</legend>" in html
    assert '<label for="id_recipe-amount_2">Ingredient 2 amount</label>' in html


def test_a_rabago_recipe_in_ml_reads_as_15_percent_dextrose_and_half_percent_lidocaine(
    nora, client_for, stocks
):
    response = client_for(nora).get(CALCULATOR, _recipe(*_rabago(stocks)))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["mix"] is None  # the forward form was not sent
    assert not response.context["form"].is_bound
    recipe = response.context["recipe"]
    assert recipe.final_volume_ml == 10
    assert recipe.dextrose_percent == 15
    assert [(a.agent, a.percent, a.mg) for a in recipe.anaesthetics] == [
        ("lidocaine", Decimal("0.5"), Decimal(50))
    ]
    rows = [(r.name, r.written, r.volume, r.share) for r in response.context["recipe_rows"]]
    assert rows == [
        ("Dextrose 50% (D50)", "3 mL", "3.0 mL", "30%"),
        ("Lidocaine 1% (MPF)", "5 mL", "5.0 mL", "50%"),
        ("0.9% sodium chloride", "2 mL", "2.0 mL", "20%"),
    ]
    assert response.context["recipe_total"] == "10.0 mL"
    assert "1.5 g" in html
    assert "50 mg" in html
    assert "at least 819 mOsm/L (not counted: Lidocaine 1% (MPF))" in html
    assert "[R20]" in html
    assert "Corn (dextrose)" in html
    assert "Strength of each ingredient of the recipe</caption>" in html


def test_the_recipe_reads_the_same_as_the_command(nora, client_for, stocks):
    """One implementation: the page shows what `analyse()` says, as the command prints it."""
    from prolo.clinic.safety.compounding import analyse

    response = client_for(nora).get(CALCULATOR, _recipe(*_rabago(stocks)))
    products = {s.pk: s for s in StockProduct.objects.filter(pk__in=stocks.values())}
    expected = analyse([(products[pk], Decimal(amount)) for pk, amount in _rabago(stocks)])
    assert response.context["recipe"].as_dict() == expected.as_dict()


def test_a_recipe_in_parts_is_scaled_to_the_final_volume(nora, client_for, stocks):
    topol = ((stocks["Dextrose 50% (D50)"], "1"), (stocks["Lidocaine 1% (MPF)"], "3"))
    response = client_for(nora).get(CALCULATOR, _recipe(*topol, unit="parts", final_volume_ml="4"))
    recipe = response.context["recipe"]
    assert (recipe.dextrose_percent, recipe.dextrose_g) == (Decimal("12.5"), Decimal("0.5"))
    assert [(a.percent, a.mg) for a in recipe.anaesthetics] == [(Decimal("0.75"), Decimal(30))]
    rows = [(r.written, r.volume) for r in response.context["recipe_rows"]]
    assert rows == [("1 part", "1.0 mL"), ("3 parts", "3.0 mL")]
    assert "30 mg" in response.content.decode()


def test_a_recipe_in_parts_without_a_volume_gives_strengths_but_no_mg(nora, client_for, stocks):
    topol = ((stocks["Dextrose 50% (D50)"], "1"), (stocks["Lidocaine 1% (MPF)"], "3"))
    response = client_for(nora).get(CALCULATOR, _recipe(*topol, unit="parts"))
    recipe = response.context["recipe"]
    assert recipe.dextrose_percent == Decimal("12.5")
    assert [(a.percent, a.mg) for a in recipe.anaesthetics] == [(Decimal("0.75"), None)]
    assert response.context["recipe_total"] == "4 parts (no final volume given)"
    assert "not the grams and mg" in response.content.decode()


def test_a_recipe_is_flagged_for_epinephrine_benzyl_alcohol_and_high_risk(
    alice, client_for, stocks
):
    rows = (
        (stocks["Lidocaine 1% with epinephrine"], "2"),
        (stocks["Bacteriostatic 0.9% sodium chloride"], "2"),
        (stocks["Sodium morrhuate 5%"], "1"),
    )
    response = client_for(alice).get(CALCULATOR, _recipe(*rows))
    flags = " ".join(response.context["recipe_flags"])
    assert "High-risk ingredient: Sodium morrhuate 5%" in flags
    assert "benzyl alcohol" in flags
    assert "epinephrine" in flags
    assert "Fish (morrhuate)" in flags


def test_empty_rows_are_ignored(nora, client_for, stocks):
    query = _recipe((stocks["Dextrose 50% (D50)"], "3")) | {
        "recipe-stock_3": stocks["0.9% sodium chloride"],
        "recipe-amount_3": "7",
        "recipe-stock_2": "",
        "recipe-amount_2": "",
    }
    recipe = client_for(nora).get(CALCULATOR, query).context["recipe"]
    assert [i.stock.name for i in recipe.ingredients] == [
        "Dextrose 50% (D50)",
        "0.9% sodium chloride",
    ]
    assert recipe.dextrose_percent == 15


def test_a_recipe_needs_at_least_one_row(nora, client_for, stocks):
    response = client_for(nora).get(CALCULATOR, {"recipe-unit": "ml"})
    form = response.context["recipe_form"]
    assert response.context["recipe"] is None
    assert form.errors["stock_1"] == ["Choose at least one stock and give its amount."]
    assert response.context["mix"] is None
    assert not response.context["form"].is_bound


def test_a_recipe_error_names_its_row_in_the_summary(nora, client_for, stocks):
    rows = ((stocks["Dextrose 50% (D50)"], "3"), (stocks["Lidocaine 1% (MPF)"], "0"))
    response = client_for(nora).get(CALCULATOR, _recipe(*rows))
    html = response.content.decode()
    assert response.context["recipe_form"].errors["amount_2"] == ["Must be more than 0."]
    assert '<a href="#id_recipe-amount_2">Ingredient 2 amount: Must be more than 0.</a>' in html
    assert 'aria-describedby="id_recipe-amount_2_error"' in html
    assert '<h3 class="summary-heading">There is a problem</h3>' in html


@pytest.mark.parametrize(
    ("row", "field", "error"),
    [
        ({"recipe-stock_2": ""}, "stock_2", "Choose the stock of this amount."),
        ({"recipe-amount_2": ""}, "amount_2", "Give the amount of this stock."),
        ({"recipe-stock_2": "D50"}, "stock_2", "Already in ingredient 1"),
    ],
)
def test_a_half_filled_or_repeated_row_is_refused_by_its_field(
    nora, client_for, stocks, row, field, error
):
    query = _recipe(*_rabago(stocks)) | row
    if row.get("recipe-stock_2") == "D50":
        query["recipe-stock_2"] = stocks["Dextrose 50% (D50)"]
    form = client_for(nora).get(CALCULATOR, query).context["recipe_form"]
    assert error in form.errors[field][0]


def test_a_final_volume_that_is_not_the_total_of_the_ml_is_refused_beside_it(
    nora, client_for, stocks
):
    response = client_for(nora).get(CALCULATOR, _recipe(*_rabago(stocks), final_volume_ml="12"))
    errors = response.context["recipe_form"].errors["final_volume_ml"]
    assert "add up to 10.0 mL, not 12.0 mL" in errors[0]


@pytest.mark.parametrize(
    "changes",
    [
        {"recipe-amount_1": "NaN"},
        {"recipe-amount_1": "Infinity"},
        {"recipe-amount_1": "-3"},
        {"recipe-amount_1": "9" * 400},
        {"recipe-amount_1": "1e400"},
        {"recipe-amount_1": "3\x00"},
        {"recipe-stock_1": "a\x00b"},
        {"recipe-stock_1": "999999"},
        {"recipe-stock_1": "-1"},
        {"recipe-unit": "litres\x00"},
        {"recipe-final_volume_ml": "0"},
        {"recipe-final_volume_ml": "-10"},
        {"recipe-final_volume_ml": "NaN"},
        {"recipe-final_volume_ml": "9" * 400},
    ],
)
def test_nonsense_in_the_recipe_is_refused_by_its_field(nora, client_for, stocks, changes):
    response = client_for(nora).get(CALCULATOR, _recipe(*_rabago(stocks)) | changes)
    assert response.status_code == 200
    assert response.context["recipe"] is None
    name = next(iter(changes)).removeprefix("recipe-")
    assert name in response.context["recipe_form"].errors


def test_an_inactive_stock_is_refused_in_a_recipe(nora, client_for, stocks):
    StockProduct.objects.filter(pk=stocks["Dextrose 50% (D50)"]).update(active=False)
    form = client_for(nora).get(CALCULATOR, _recipe(*_rabago(stocks))).context["recipe_form"]
    assert "Select a valid choice" in form.errors["stock_1"][0]


def test_another_clinics_stock_is_refused_in_a_recipe(nora, client_for, stocks, other_clinic):
    clinic_safety_install(clinic=other_clinic)
    theirs = StockProduct.objects.get(clinic=other_clinic, name="Dextrose 50% (D50)")
    query = _recipe((theirs.pk, "3"), (stocks["0.9% sodium chloride"], "7"))
    response = client_for(nora).get(CALCULATOR, query)
    assert response.status_code == 200
    assert response.context["recipe"] is None
    assert "Select a valid choice" in response.context["recipe_form"].errors["stock_1"][0]
    offered = response.context["recipe_form"].fields["stock_1"].queryset
    assert not offered.filter(clinic=other_clinic).exists()


def test_a_bookmarked_calculation_does_not_bind_the_recipe_form(nora, client_for, stocks):
    response = client_for(nora).get(CALCULATOR, _ask(stocks))
    assert response.context["mix"] is not None
    assert not response.context["recipe_form"].is_bound
    assert response.context["recipe"] is None


def test_a_recipe_of_plain_and_epinephrine_lidocaine_is_shown_as_plain_with_the_reason(
    nora, client_for, stocks
):
    query = _recipe(
        (stocks["Lidocaine 1% with epinephrine"], "5"),
        (stocks["Lidocaine 1% (MPF)"], "1"),
        (stocks["0.9% sodium chloride"], "4"),
    )
    response = client_for(nora).get(CALCULATOR, query)
    [lidocaine] = response.context["recipe"].anaesthetics
    assert lidocaine.epinephrine is False
    html = response.content.decode()
    assert "Lidocaine (plain limit)" in html
    assert "Lidocaine with epinephrine" not in html
    assert "Lidocaine 1% (MPF) has no epinephrine" in html
    assert "5 µg/mL (1:200,000)" in html
    assert "Epinephrine threshold 1:400,000" in html


def test_a_recipe_with_a_sclerosant_shows_its_strength_in_the_mix(nora, client_for, stocks):
    query = _recipe((stocks["Sodium morrhuate 5%"], "1"), (stocks["0.9% sodium chloride"], "4"))
    html = client_for(nora).get(CALCULATOR, query).content.decode()
    assert "Sodium morrhuate" in html
    assert "High-risk ingredient: Sodium morrhuate 5%" in html
    assert response_row(html, "Sodium morrhuate") == ["1%", "0.05 g"]


def response_row(html: str, name: str) -> list[str]:
    """The cells after `name` in its row of the contents table."""
    row = re.search(rf"<th scope=\"row\">{name}</th>(.*?)</tr>", html, re.S)
    assert row, name
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row[1], re.S)]
    return [c for c in cells if c in ("1%", "0.05 g")]


def test_the_session_page_shows_a_syringes_epinephrine_and_which_limit_applies(
    nora, client_for, session, stocks
):
    client = client_for(nora)
    url = reverse("staff:syringe-add", args=[session.code])
    epinephrine = {"syringe-anaesthetic_stock": stocks["Lidocaine 1% with epinephrine"]}
    client.post(url, _draw_up_form(stocks, **epinephrine))
    weak = epinephrine | {"syringe-label": "B", "syringe-target_anaesthetic_percent": "0.1"}
    client.post(url, _draw_up_form(stocks, **weak))
    page = client.get(reverse("staff:session-detail", args=[session.code])).content.decode()
    assert "lidocaine 0.5% (50 mg, with epinephrine); epinephrine 5 µg/mL (1:200,000)" in page
    assert "lidocaine 0.1% (10 mg, plain limit); epinephrine 1 µg/mL (1:1,000,000)" in page


def test_the_session_page_says_when_a_syringes_epinephrine_strength_is_not_recorded(
    nora, client_for, session, stocks
):
    stock = StockProduct.objects.get(pk=stocks["Lidocaine 1% with epinephrine"])
    StockProduct.objects.filter(pk=stock.pk).update(epinephrine_ratio=None)  # as after upgrade
    client = client_for(nora)
    url = reverse("staff:syringe-add", args=[session.code])
    client.post(url, _draw_up_form(stocks, **{"syringe-anaesthetic_stock": stock.pk}))
    assert Syringe.objects.get(session=session).epinephrine_ug_per_ml is None
    page = client.get(reverse("staff:session-detail", args=[session.code])).content.decode()
    assert "lidocaine 0.5% (50 mg, plain limit); epinephrine, strength not recorded" in page


def test_a_syringe_without_dextrose_does_not_say_0_percent_dextrose(
    nora, client_for, session, stocks
):
    client = client_for(nora)
    url = reverse("staff:syringe-add", args=[session.code])
    client.post(
        url,
        _draw_up_form(
            stocks, **{"syringe-target_dextrose_percent": "0", "syringe-dextrose_stock": ""}
        ),
    )
    assert Syringe.objects.filter(session=session).count() == 1
    page = client.get(reverse("staff:session-detail", args=[session.code])).content.decode()
    assert "0% dextrose" not in page
    assert "lidocaine 0.5% (50 mg); at least" in page
