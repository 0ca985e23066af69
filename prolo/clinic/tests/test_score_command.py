"""`manage.py score`: answers from a file or stdin, scored as a saved response would be."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from prolo.clinic.models import InstrumentSetting, QuestionnaireResponse
from prolo.clinic.outcomes.instruments import INSTRUMENTS
from prolo.clinic.services.questionnaires import answers_score, clinic_instrument

WOMAC_IDS = [item.id for item in INSTRUMENTS["womac"].items]


def run(*args: str, stdin: str | None = None) -> str:
    out = io.StringIO()
    extra = {"stdin": io.StringIO(stdin)} if stdin is not None else {}
    call_command("score", *args, stdout=out, **extra)
    return out.getvalue()


def refusal(*args: str, stdin: str | None = None) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args, stdin=stdin)
    assert caught.value.returncode == 2
    return str(caught.value)


def womac_csv(*rows: dict[str, str]) -> str:
    lines = ["form," + ",".join(WOMAC_IDS)]
    for row in rows:
        lines.append(",".join([row.get("form", "")] + [row.get(i, "0") for i in WOMAC_IDS]))
    return "\n".join(lines) + "\n"


@pytest.mark.django_db
def test_a_csv_of_paper_forms_is_scored_by_the_manual_and_nothing_is_saved(tmp_path):
    path = tmp_path / "womac.csv"
    first = {"form": "A-17", "P1": "4", "P2": "4", "P3": "4", "P4": "4", "P5": ""}
    path.write_text(womac_csv(first, {"F1": "4"}), encoding="utf-8")
    data = json.loads(run("womac", str(path), "--json"))
    assert data["rule_version"] == "womac:womac/2"
    a17, second = data["forms"]
    assert a17["form"] == "A-17"
    assert a17["scores"]["total"] == "20.83"  # the missing P5 takes the pain mean, 4
    assert a17["missing"] == ["P5"]
    assert second["form"] == "2"
    assert second["scores"]["function"] == "5.88"  # 4/68
    assert not QuestionnaireResponse.objects.exists()


@pytest.mark.django_db
def test_json_from_stdin_gives_the_same_scores_as_a_saved_response(clinic):
    answers = {f"Q{n}": 5 for n in range(1, 7)} | {"Q7": 7, "Q8": 14}
    data = json.loads(run("visa_a", "--json", stdin=json.dumps(answers)))
    _, saved_path = answers_score(clinic_instrument(clinic, "visa_a"), answers)
    assert data["forms"][0]["scores"] == {"total": str(saved_path.value("total"))}
    assert data["forms"][0]["scores"] == {"total": "51.00"}


@pytest.mark.django_db
def test_text_output_names_each_score():
    out = run("pain_nrs", "-", stdin='[{"pain": 7}, {"pain": 3}]')
    assert out.splitlines() == [
        "Pain numeric rating scale (0–10) (pain_nrs:single/1)",
        "form 1: Pain (0–10) 7.00",
        "form 2: Pain (0–10) 3.00",
    ]


@pytest.mark.django_db
def test_the_clinics_own_minimums_apply_with_clinic(clinic):
    InstrumentSetting.objects.create(clinic=clinic, instrument="womac", min_answered={"pain": 3})
    row = {"P1": "2", "P2": "2", "P3": "2", "P4": "", "P5": ""}
    assert "Pain: 3 of 5 items answered" in refusal(
        "womac", "--format", "csv", stdin=womac_csv(row)
    )
    data = json.loads(
        run(
            "womac", "--format", "csv", "--json", "--clinic", str(clinic.code), stdin=womac_csv(row)
        )
    )
    assert data["forms"][0]["scores"]["pain"] == "50.00"
    assert data["min_answered"] == {"pain": 3}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ("visa_a",),
            json.dumps({f"Q{n}": 0 for n in range(1, 9)} | {"Q7": 5}),
            "form 1, Q7: VISA-A (Achilles) item Q7: 5 is not an allowed answer; give 0, 4, 7 "
            "or 10, or leave it blank.",
        ),
        (("pain_nrs", "--format", "csv"), "pain\n3\nx\n", "form 2, pain: "),
        (("pain_nrs", "--format", "csv"), "ache\n3\n", "form 1, ache: Pain numeric"),
        (("pain_nrs",), '{"pain": 3.5}', "item pain: 3.5 is not an allowed answer"),
        (("pain_nrs",), '{"pain": ', "FILE: not valid JSON"),
        (("pain_nrs",), "[1, 2]", "FILE: give an object"),
        (("pain_nrs", "--format", "csv"), "pain\n", "FILE: the CSV has a header but no forms"),
        (("pain_nrs", "--clinic", "nope"), "{}", "--clinic: no clinic has the code 'nope'"),
    ],
)
def test_refusals_name_the_form_and_the_field_and_exit_2(args, stdin, message):
    assert message in refusal(*args, stdin=stdin)


@pytest.mark.django_db
def test_one_bad_form_refuses_the_batch_and_prints_nothing():
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("score", "pain_nrs", stdout=out, stdin=io.StringIO('[{"pain": 3}, {}]'))
    assert out.getvalue() == ""


def test_a_missing_file_is_refused(tmp_path):
    assert "FILE: cannot read" in refusal("pain_nrs", str(tmp_path / "none.json"))


def test_help_works(capsys):
    with pytest.raises(SystemExit) as exited:
        call_command("score", "--help")
    assert exited.value.code == 0
    assert "without saving them" in capsys.readouterr().out


# Refusals with --json, and input that is neither JSON nor CSV


def json_refusal(*args: str, stdin: str) -> list[dict]:
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("score", *args, "--json", stdout=out, stdin=io.StringIO(stdin))
    assert exited.value.code == 2
    return json.loads(out.getvalue())["errors"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "stdin", "field", "reason"),
    [
        (("pain_nrs",), '{"pain": ', "file", "not valid JSON"),
        (("pain_nrs", "--format", "csv"), "pain\n", "file", "the CSV has a header but no forms"),
        (("pain_nrs", "--clinic", "nope"), "{}", "clinic", "no clinic has the code 'nope'"),
        (("visa_a",), '{"Q1": 11}', "form 1, Q1", "11 is not an allowed answer"),
    ],
)
def test_json_refusals_are_json_errors_with_status_2(args, stdin, field, reason):
    [error] = json_refusal(*args, stdin=stdin)
    assert error["field"] == field
    assert reason in error["reason"]


def test_every_bad_form_is_a_json_error_of_its_own():
    errors = json_refusal("pain_nrs", stdin='[{"pain": 11}, {"pain": 3}, {"pain": 12}]')
    assert [e["field"] for e in errors] == ["form 1, pain", "form 3, pain"]


def test_a_bad_argument_is_a_json_error_too(capsys):
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "score", "nope", "--json"]).execute()
    assert exited.value.code == 2
    [error] = json.loads(capsys.readouterr().out)["errors"]
    assert "invalid choice: 'nope'" in error["reason"]


NEITHER = "the input is neither valid JSON nor a CSV with the instrument's item columns"


@pytest.mark.parametrize("stdin", ["garbage\n", "garbage", "a,b\n1,2\n", "\n"])
def test_input_that_is_neither_json_nor_an_item_csv_says_so_and_names_the_columns(stdin):
    message = refusal("visa_a", stdin=stdin)
    assert NEITHER in message
    assert "(Q1, Q2, Q3, Q4, Q5, Q6, Q7, Q8;" in message
    assert "header but no forms" not in message
    [error] = json_refusal("visa_a", stdin=stdin)
    assert (error["field"], NEITHER in error["reason"]) == ("file", True)


def test_a_csv_with_item_columns_is_still_read_without_format():
    assert "form 1:" in run("pain_nrs", stdin="pain\n3\n")
