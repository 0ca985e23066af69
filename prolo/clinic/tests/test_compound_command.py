"""manage.py compound: the calculator on the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from prolo.clinic.models import ClinicSettings
from prolo.clinic.safety.catalogue import DEFAULT_STOCKS, find_stock
from prolo.clinic.services.catalogue import clinic_safety_install, stock_update

MANAGE = Path(__file__).resolve().parents[3] / "manage.py"


def run(*args: str) -> str:
    out = StringIO()
    call_command("compound", *args, stdout=out)
    return out.getvalue()


def refusal(*args: str) -> CommandError:
    with pytest.raises(CommandError) as refused:
        run(*args)
    assert refused.value.returncode == 2
    return refused.value


def test_the_table_says_what_to_draw_up_and_what_the_syringe_contains():
    table = run("--volume", "10", "--dextrose", "15", "--lidocaine", "0.5")
    lines = table.splitlines()
    assert lines[0] == "Syringe: 10.0 mL, volumes rounded to 0.1 mL"
    assert "Dextrose 50% (D50)       3.0       3.0               30%" in lines
    assert "Lidocaine 1% (MPF)       5.0       5.0               50%" in lines
    assert "0.9% sodium chloride     2.0       2.0               20%" in lines
    assert any(line.startswith("Lidocaine") and line.endswith("50 mg") for line in lines)
    assert "- Lidocaine: mg = mL × % × 10; lidocaine 1% = 10 mg/mL [R22]" in lines


def test_json_gives_every_number_as_an_exact_string():
    data = json.loads(run("--volume", "6", "--dextrose", "25", "--json"))
    assert data["mode"] == "forward"
    assert [(i["stock"], i["volume_ml"]) for i in data["ingredients"]] == [
        ("Dextrose 50% (D50)", "3"),
        ("0.9% sodium chloride", "3"),
    ]
    assert data["dextrose"] == {"target_percent": "25", "percent": "25", "grams": "1.5"}
    assert data["allergens"] == ["corn"]


def test_stocks_and_precision_can_be_chosen():
    data = json.loads(
        run(
            "--volume", "1", "--dextrose", "12.5", "--bupivacaine", "0.125",
            "--anaesthetic-stock", "Bupivacaine 0.25%", "--diluent", "water",
            "--precision", "0.05", "--json",
        )
    )  # fmt: skip
    assert [(i["stock"], i["volume_ml"]) for i in data["ingredients"]] == [
        ("Dextrose 50% (D50)", "0.25"),
        ("Bupivacaine 0.25%", "0.5"),
        ("Sterile water for injection", "0.25"),
    ]
    assert data["anaesthetics"][0]["mg"] == "1.25"


def test_a_recipe_in_ml_gives_the_final_strengths():
    data = json.loads(run("--recipe", "D50:3,Lidocaine 1%:1,saline:6", "--json"))
    assert data["mode"] == "recipe"
    assert data["dextrose"]["percent"] == "15"
    assert data["anaesthetics"][0] == {
        "agent": "lidocaine",
        "target_percent": None,
        "percent": "0.1",
        "mg": "10",
        "epinephrine": False,
        "epinephrine_reason": None,
    }


def test_a_recipe_in_parts_is_scaled_to_the_volume_given():
    table = run("--recipe", "D50:1,lidocaine:3", "--parts")
    assert "Syringe: in parts" in table
    assert "Dextrose 50% (D50)   1 part" in table
    data = json.loads(run("--recipe", "D50:1,lidocaine:3", "--parts", "--volume", "4", "--json"))
    assert data["dextrose"]["percent"] == "12.5"
    assert data["anaesthetics"][0]["mg"] == "30"


def test_a_mix_that_does_not_fit_exits_2_with_what_would_work():
    error = refusal("--volume", "10", "--dextrose", "30", "--lidocaine", "0.8")
    assert str(error).startswith("Does not fit: 30% dextrose and lidocaine 0.8% in 10.0 mL")
    assert "Lidocaine 2% (MPF) instead of Lidocaine 1% (MPF)" in str(error)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--dextrose", "15"], "Give the final volume with --volume"),
        (["--volume", "10", "--dextrose", "15", "--dextrose-stock", "D5W"], "never stronger"),
        (["--volume", "10", "--dextrose", "15", "--diluent", "vodka"], "No stock is called"),
        (
            ["--volume", "10", "--lidocaine", "0.5", "--anaesthetic-stock", "Lidocaine 1"],
            "could be",
        ),
        (["--volume", "10", "--anaesthetic-stock", "Bupivacaine 0.5%"], "give its strength too"),
        (["--recipe", "D50"], "Write each ingredient as STOCK:AMOUNT"),
        (["--recipe", "D50:lots"], "is not a number"),
        (["--recipe", "D50:3,saline:6", "--volume", "10"], "add up to 9.0 mL, not 10.0 mL"),
        (["--volume", "10", "--clinic", "not-a-code"], "No clinic has the code"),
    ],
)
def test_a_bad_request_is_a_clear_message_not_a_traceback(args, words):
    assert words in str(refusal(*args))


@pytest.mark.django_db
def test_a_clinics_catalogue_and_precision_can_be_used(clinic, alice_actor):
    clinic_safety_install(clinic=clinic)
    ClinicSettings.objects.filter(clinic=clinic).update(syringe_precision_ml=Decimal("0.2"))
    data = json.loads(
        run("--volume", "1", "--dextrose", "15", "--clinic", str(clinic.code), "--json")
    )
    assert data["precision_ml"] == "0.2"
    assert data["ingredients"][0]["volume_ml"] == "0.4"  # 0.3 mL of D50, to the nearest 0.2
    d50 = clinic.stocks.get(name="Dextrose 50% (D50)")
    stock_update(actor=alice_actor, stock=d50, active=False)
    error = refusal("--volume", "1", "--dextrose", "15", "--clinic", str(clinic.code))
    assert "No stock is called 'D50'" in str(error)


def test_from_the_shell_a_refusal_exits_2_and_prints_no_traceback():
    env = os.environ | {"DEBUG": "1"}
    args = ["--volume", "10", "--dextrose", "40", "--lidocaine", "1"]
    shell = subprocess.run(
        [sys.executable, str(MANAGE), "compound", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert shell.returncode == 2
    assert shell.stderr.startswith("CommandError: Does not fit")
    assert "Traceback" not in shell.stderr


def test_the_help_prints_without_crashing(capsys):
    with pytest.raises(SystemExit) as done:
        call_command("compound", "--help")
    assert done.value.code == 0
    assert "target lidocaine, % (stock: Lidocaine 1% (MPF))" in capsys.readouterr().out


@pytest.mark.parametrize("stock", ["Sodium morrhuate 5%", "PRP", "D50", "Lidocaine 1%"])
def test_the_diluent_must_be_a_diluent(stock):
    error = refusal("--volume", "10", "--dextrose", "15", "--diluent", stock)
    assert str(error) == (
        f"--diluent: {find_stock(stock, DEFAULT_STOCKS).name} is not a diluent: choose saline "
        "or water, a diluent stock with nothing active in it."
    )


def test_a_recipe_names_stocks_the_catalogue_lacks_by_composition():
    data = json.loads(run("--recipe", "DEXTROSE 30%:2,lidocaine 4%:1,SALINE:7", "--json"))
    assert [i["stock"] for i in data["ingredients"]] == [
        "DEXTROSE 30%",
        "lidocaine 4%",
        "0.9% sodium chloride",
    ]
    assert data["dextrose"] == {"target_percent": None, "percent": "6", "grams": "0.6"}
    assert data["anaesthetics"][0]["percent"] == "0.4"
    assert data["anaesthetics"][0]["mg"] == "40"
    assert data["allergens"] == ["amide_anaesthetic", "corn"]


def test_every_active_is_reported_sclerosants_included():
    recipe = "phenol 2.5% + glycerin 25% + dextrose 25%:2,morrhuate:1,saline:7"
    data = json.loads(run("--recipe", recipe, "--json"))
    assert data["dextrose"]["percent"] == "5"
    assert data["actives"] == [
        {"name": "phenol", "percent": "0.5", "grams": "0.05"},
        {"name": "glycerin", "percent": "5", "grams": "0.5"},
        {"name": "sodium morrhuate", "percent": "0.5", "grams": "0.05"},
    ]
    assert data["high_risk"] is True
    table = run("--recipe", recipe)
    assert any(line.split()[:3] == ["Sodium", "morrhuate", "—"] for line in table.splitlines())
    assert "0.5%" in next(line for line in table.splitlines() if line.startswith("Phenol"))


def test_json_refusals_are_json_with_the_field_and_exit_2():
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("compound", "--volume", "ten", "--dextrose", "15", "--json", stdout=out)
    assert refused.value.returncode == 2
    assert json.loads(out.getvalue()) == {
        "errors": [{"field": "--volume", "reason": "'ten' is not a number."}]
    }
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("compound", "--volume", "10", "--lidocaine", "2", "--json", stdout=out)
    [error] = json.loads(out.getvalue())["errors"]
    assert error["field"] == "--lidocaine"
    assert "never stronger than its stock" in error["reason"]


def test_json_numbers_are_all_exact_decimal_strings():
    data = json.loads(
        run("--recipe", "D50:1,lidocaine:1,saline:1", "--parts", "--volume", "10", "--json")
    )

    def numbers(value):
        if isinstance(value, dict):
            return [n for v in value.values() for n in numbers(v)]
        if isinstance(value, list):
            return [n for v in value for n in numbers(v)]
        return [value] if isinstance(value, int | float) and not isinstance(value, bool) else []

    assert numbers(data) == []
    assert data["osmolarity_mosm_per_l"] == "944"
    assert data["dextrose"]["grams"] == "1.667"
    assert data["anaesthetics"][0]["mg"] == "33.333"


def test_the_printed_amounts_and_shares_add_up_to_the_printed_total():
    table = run("--recipe", "D50:1,lidocaine:1,saline:1", "--parts", "--volume", "10")
    lines = table.splitlines()
    rows = [line.rsplit(None, 3) for line in lines[3:6]]
    assert [(r[1], r[3]) for r in rows] == [("3.34", "33.4%"), ("3.33", "33.3%"), ("3.33", "33.3%")]
    assert lines[6].split() == ["Total", "10.0", "100%"]


def test_a_mix_of_plain_and_epinephrine_lidocaine_counts_as_plain():
    data = json.loads(
        run("--recipe", "lidocaine 1% with epinephrine:5,lidocaine 2%:1,saline:4", "--json")
    )
    [lidocaine] = data["anaesthetics"]
    assert lidocaine["epinephrine"] is False
    assert "Lidocaine 2% (MPF) has no epinephrine" in lidocaine["epinephrine_reason"]
    assert data["epinephrine"] is True  # it still contains epinephrine, and sulfite
    table = run("--recipe", "lidocaine 1% with epinephrine:5,lidocaine 2%:1,saline:4")
    assert "Lidocaine (plain limit)" in table
    [row] = [line for line in table.splitlines() if line.startswith("Lidocaine (")]
    assert row.split()[:3] == ["Lidocaine", "(plain", "limit)"]
    assert row.endswith("70 mg")


@pytest.mark.parametrize(
    ("recipe", "ug", "ratio", "counts"),
    [
        ("lidocaine 1% with epinephrine:5,saline:5", "5", "1:200,000", True),
        ("lidocaine 1% with epinephrine:2.5,saline:7.5", "2.5", "1:400,000", True),
        ("lidocaine 1% with epinephrine:2,saline:8", "2", "1:500,000", False),
        ("lidocaine 1% with epinephrine 1:200000:5,saline:5", "2.5", "1:400,000", True),
    ],
)
def test_the_mix_reports_its_epinephrine_and_judges_it_against_the_threshold(
    recipe, ug, ratio, counts
):
    data = json.loads(run("--recipe", recipe, "--json"))
    assert (data["epinephrine_ug_per_ml"], data["epinephrine_ratio"]) == (ug, ratio)
    assert data["anaesthetics"][0]["epinephrine"] is counts
    assert data["epinephrine_min_ratio"] == "1:400,000"
    if not counts:
        assert (
            "weaker than the clinic's threshold of 1:400,000"
            in (data["anaesthetics"][0]["epinephrine_reason"])
        )


@pytest.mark.django_db
def test_a_clinics_epinephrine_threshold_is_used(clinic):
    clinic_safety_install(clinic=clinic)
    ClinicSettings.objects.filter(clinic=clinic).update(epinephrine_min_ratio=150_000)
    recipe = "lidocaine 1% with epinephrine:5,saline:5"
    data = json.loads(run("--recipe", recipe, "--clinic", str(clinic.code), "--json"))
    assert data["anaesthetics"][0]["epinephrine"] is False  # 1:200,000 is below 1:150,000


@pytest.mark.parametrize(
    ("agent", "stock"), [("procaine", "procaine 2%"), ("mepivacaine", "Mepivacaine 1%")]
)
def test_every_agent_has_its_target_option(agent, stock):
    data = json.loads(
        run("--volume", "10", "--anaesthetic-stock", stock, f"--{agent}", "0.5", "--json")
    )
    assert [(a["agent"], a["percent"], a["mg"]) for a in data["anaesthetics"]] == [
        (agent, "0.5", "50")
    ]


def test_an_agent_without_a_default_stock_asks_for_one():
    error = refusal("--volume", "10", "--mepivacaine", "1")
    assert "--mepivacaine: No stock of mepivacaine in the catalogue" in str(error)


@pytest.mark.parametrize(
    "recipe",
    [
        "Lidocaine 1% with epinephrine 1:100,000:5,saline:5",
        "Lidocaine 1% with epinephrine 1:100,000:5, 0.9% sodium chloride:5",
        "saline:5,Lidocaine 1% with epinephrine 1:100000:5",
    ],
)
def test_a_recipe_may_write_an_epinephrine_ratio_with_commas(recipe):
    data = json.loads(run("--recipe", recipe, "--json"))
    assert [i["volume_ml"] for i in data["ingredients"]] == ["5", "5"]
    assert data["epinephrine_ug_per_ml"] == "5"  # 1:100,000 = 10 µg/mL, halved


def test_a_comma_before_a_stock_named_by_a_number_still_separates():
    data = json.loads(run("--recipe", "D50:3,0.9% sodium chloride:7", "--json"))
    assert [i["stock"] for i in data["ingredients"]] == [
        "Dextrose 50% (D50)",
        "0.9% sodium chloride",
    ]


def test_the_dextrose_of_a_mixed_stock_counts_and_the_rest_makes_osmolarity_a_lower_bound():
    recipe = "phenol 2.5% + glycerin 25% + dextrose 25%:5,saline:5"
    table = run("--recipe", recipe)
    assert (
        "at least 785 mOsm/L (not counted: phenol and glycerin in phenol 2.5% + glycerin 25% "
        "+ dextrose 25%)" in table
    )  # 5 × 1262.5 + 5 × 308, over 10 mL
    data = json.loads(run("--recipe", recipe, "--json"))
    assert data["osmolarity_mosm_per_l"] == "785"
    assert data["osmolarity_is_lower_bound"] is True


def test_an_osmolarity_with_nothing_counted_is_not_known_never_about_0():
    table = run("--recipe", "sodium morrhuate 5%:1,lidocaine 1%:1")
    assert "about 0" not in table
    assert "not known (not counted: Sodium morrhuate 5%, Lidocaine 1% (MPF))" in table
    data = json.loads(run("--recipe", "D50:3,saline:7", "--json"))
    assert data["osmolarity_is_lower_bound"] is False


@pytest.mark.parametrize(
    "args",
    [
        ["--volume", "10", "--anaesthetic-stock", "procaine 2%", "--procaine", "0.5"],
        ["--recipe", "sodium morrhuate 5%:1,lidocaine 1%:1"],
    ],
)
def test_a_mix_without_dextrose_has_no_dextrose_row(args):
    assert not any(line.startswith("Dextrose") for line in run(*args).splitlines())
    assert "Dextrose" in run("--volume", "10", "--dextrose", "15")


def test_json_says_how_its_numbers_are_rounded():
    data = json.loads(run("--recipe", "D50:1,saline:2", "--json"))
    assert data["dextrose"]["percent"] == "16.667"  # 50 ÷ 3, to 0.001
    assert "rounded half up to 0.001" in data["rounding"]
