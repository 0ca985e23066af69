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
