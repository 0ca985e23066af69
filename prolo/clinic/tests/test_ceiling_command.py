"""`manage.py ceiling`: the ceiling with its source, the share of it a dose uses, and errors."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import pytest
from django.core.management import ManagementUtility, call_command

from prolo.clinic.models import AnaestheticLimit, ClinicSettings
from prolo.clinic.safety.dosing import Dose, exact, summarise
from prolo.clinic.services.dosing import anaesthetic_limit_update, built_in_limits

D = Decimal


def _run(*args: str) -> str:
    out = StringIO()
    call_command("ceiling", *args, stdout=out)
    return out.getvalue()


def _json(*args: str) -> dict:
    return json.loads(_run(*args, "--json"))


def _agent(*args: str) -> dict:
    """The first agent of the JSON answer."""
    return _json(*args)["agents"][0]


@pytest.mark.parametrize(
    ("args", "ceiling"),
    [
        (["--weight", "70", "--agent", "lidocaine"], "300"),
        (["--weight", "50", "--agent", "lidocaine"], "225"),
        (["--weight", "70", "--agent", "lidocaine", "--epinephrine"], "490"),
        (["--weight", "80", "--agent", "lidocaine", "--epinephrine"], "500"),
        (["--weight", "100", "--agent", "bupivacaine"], "175"),
        (["--weight", "70", "--agent", "mepivacaine"], "400"),
        (["--weight", "40", "--agent", "procaine"], "280"),
    ],
)
def test_it_prints_the_ceiling_of_the_built_in_limits(args, ceiling):
    assert _agent(*args)["ceiling_mg"] == ceiling
    assert f"Ceiling    {ceiling} mg" in _run(*args)


def test_the_text_shows_the_working_and_the_source():
    text = _run("--weight", "70", "--agent", "lidocaine")
    assert "By weight  4.5 mg/kg × 70 kg = 315 mg" in text
    assert "Maximum    300 mg (the lower, so it applies)" in text
    assert "Source     Xylocaine label [R22][R44]" in text
    assert "unverified" in text


def test_the_built_in_limits_are_called_built_in_defaults_in_text_and_json():
    text = _run("--weight", "70", "--agent", "lidocaine")
    assert text.startswith(
        "Lidocaine ceiling for 70 kg, plain (no epinephrine), from Prolo's built-in default limits"
    )
    assert "(built-in default: this clinic has not set its own limit; unverified" in text
    data = _agent("--weight", "70", "--agent", "lidocaine")
    assert data["built_in_default"] is True
    assert "built-in default" in data["source"]
    assert data["source"].startswith("Xylocaine label [R22][R44]")


def test_a_given_amount_is_shown_in_mg_and_as_a_share_of_the_ceiling():
    text = _run("--weight", "50", "--agent", "lidocaine", "--given-ml", "24", "--percent", "1")
    assert "Given      24 mL of 1% = 240 mg = 106.7% of the ceiling: Over the ceiling" in text
    data = _agent("--weight", "70", "--agent", "lidocaine", "--given-ml", "12", "--percent", "1")
    assert data["given"] == {
        "doses": [
            {
                "volume_ml": "12",
                "percent": "1",
                "epinephrine": False,
                "epinephrine_ratio": None,
                "epinephrine_reason": None,
                "mg": "120",
            }
        ],
        "volume_ml": "12",
        "mg": "120",
        "mixed_epinephrine": False,
        "percent_of_ceiling": "40",
        "percent_of_ceiling_shown": "40",
        "status": "ok",
    }


def test_without_an_epinephrine_limit_the_plain_one_is_used_and_said():
    args = ["--weight", "70", "--agent", "mepivacaine", "--epinephrine"]
    assert "no with-epinephrine limit is set for it: the plain limit is used" in _run(*args)
    assert _agent(*args)["epinephrine_limit_used"] is False


def test_the_factors_are_listed_with_the_note_that_the_label_gives_no_amount():
    data = _json("--weight", "70", "--agent", "lidocaine", "--age", "80", "--liver", "--heart")
    assert data["factors"] == [
        {"reason": "age 80 (elderly from 65)", "value": "1.00"},
        {"reason": "liver disease", "value": "1.00"},
        {"reason": "heart disease", "value": "1.00"},
    ]
    assert "gives no amount" in data["factor_source"]


def test_under_18_the_factor_and_the_sign_off_are_shown_with_their_source():
    text = _run("--weight", "40", "--agent", "lidocaine", "--age", "15")
    assert "Factor     × 1.00 for age 15 (under 18)" in text
    assert "Under 18   The limits are adult doses; the Xylocaine label [R44]" in text
    assert "needs a physician's dose sign-off before its note is signed" in text
    data = _json("--weight", "40", "--agent", "lidocaine", "--age", "15")
    assert data["factors"] == [{"reason": "age 15 (under 18)", "value": "1.00"}]
    assert "[R65]" in data["under_18"]
    assert "children" in data["factor_source"]
    assert "under_18" not in _json("--weight", "40", "--agent", "lidocaine", "--age", "18")


def test_a_clinics_under_18_factor_lowers_the_ceiling(clinic):
    ClinicSettings.objects.update_or_create(clinic=clinic, defaults={"child_factor": "0.5"})
    args = ["--weight", "40", "--agent", "lidocaine", "--age", "12", "--clinic", str(clinic.code)]
    assert _agent(*args)["ceiling_mg"] == "90"  # 4.5 × 40 = 180, × 0.5


def test_a_clinics_limits_and_factors_are_used_with_its_code(clinic, adam_actor):
    ClinicSettings.objects.update_or_create(clinic=clinic, defaults={"hepatic_factor": "0.5"})
    anaesthetic_limit_update(
        actor=adam_actor,
        agent="lidocaine",
        mg_per_kg=Decimal(4),
        cap_mg=250,
        mg_per_kg_epinephrine=None,
        cap_mg_epinephrine=None,
        source="Riverside formulary",
        verified=True,
    )
    answer = _json(
        "--weight", "70", "--agent", "lidocaine", "--liver", "--clinic", str(clinic.code)
    )
    data = answer["agents"][0]
    assert (data["ceiling_mg"], data["source"], data["verified"]) == (
        "125",
        "Riverside formulary",
        True,
    )
    assert answer["limits_from"] == "the limits of Riverside Prolotherapy"
    assert data["built_in_default"] is False


def test_a_clinic_that_never_set_a_limit_is_told_it_is_the_built_in_default(clinic):
    data = _agent("--weight", "70", "--agent", "bupivacaine", "--clinic", str(clinic.code))
    assert data["built_in_default"] is True
    assert "built-in default: this clinic has not set its own limit" in data["source"]


def test_an_epinephrine_limit_without_its_own_maximum_uses_the_plain_one(clinic):
    AnaestheticLimit.objects.create(  # saved before the maximum was required
        clinic=clinic,
        agent="lidocaine",
        mg_per_kg=Decimal("4.5"),
        cap_mg=300,
        mg_per_kg_epinephrine=Decimal(7),
        source="Old row",
    )
    args = [
        "--weight",
        "100",
        "--agent",
        "lidocaine",
        "--epinephrine",
        "--clinic",
        str(clinic.code),
    ]
    assert "Maximum    300 mg (the plain maximum: no maximum with epinephrine is set)" in _run(
        *args
    )
    data = _agent(*args)
    assert (data["ceiling_mg"], data["cap_from_plain_limit"]) == ("300", True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--weight", "0", "--agent", "lidocaine"], "--weight: give a number from 2.0 to 350.0."),
        (["--weight", "abc", "--agent", "lidocaine"], "--weight: 'abc' is not a number."),
        (["--weight", "NaN", "--agent", "lidocaine"], "--weight: give a number from 2.0"),
        (["--weight", "70", "--agent", "cocaine"], "--agent: 'cocaine' is not an agent Prolo"),
        (["--agent", "lidocaine"], "--weight: give the patient's weight in kg."),
        (["--weight", "70", "--agent", "lidocaine", "--given-ml", "3"], "Give both --given-ml"),
        (
            ["--weight", "70", "--agent", "lidocaine", "--given-ml", "3", "--percent", "-1"],
            "--percent: give a number from 0.01 to 10.",
        ),
        (["--weight", "70", "--agent", "lidocaine", "--age", "200"], "--age: give an age"),
        (
            ["--weight", "70", "--agent", "lidocaine", "--clinic", "nope"],
            "--clinic: no clinic has the code 'nope'.",
        ),
    ],
)
@pytest.mark.django_db
def test_bad_input_is_a_clear_message_and_exit_status_2(args, message, capsys):
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "ceiling", *args]).execute()
    assert exc.value.code == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err


# A whole session


def test_help_prints_without_crashing(capsys):
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "ceiling", "--help"]).execute()
    assert exc.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "in % (1% = 10 mg/mL)" in out
    assert "--dose AGENT:ML:PERCENT[:epi=1:N|:plain]" in out
    assert "epi=1:200000" in out


SESSION = [
    "--weight",
    "60",
    "--dose",
    "lidocaine:8:1",
    "--dose",
    "Lidocaine:5:1:epi=1:100000",
    "--dose",
    "BUPIVACAINE:10:0.25",
]


def test_a_session_of_several_doses_and_agents_is_answered_per_agent_and_combined():
    text = _run(*SESSION)
    assert "Lidocaine ceiling for 60 kg, plain and with epinephrine (plain limit used)" in text
    assert (
        "Given      8 mL of 1% + 5 mL of 1% with epinephrine 1:100,000 = 80 + 50 = 130 mg = 48.1% of the "
        "ceiling: Within the ceiling"
    ) in text
    assert "Given      10 mL of 0.25% = 25 mg = 20.8% of the ceiling" in text
    assert "Combined     48.1% + 20.8% = 69% of the ceiling: Within the ceiling" in text


def test_the_session_answer_is_the_session_pages_arithmetic():
    doses = [
        Dose("lidocaine", D(8), D(1)),
        Dose("lidocaine", D(5), D(1), True),
        Dose("bupivacaine", D(10), D("0.25")),
    ]
    summary = summarise(doses, weight_kg=D(60), limits=built_in_limits())
    data = _json(*SESSION)
    assert data["combined"]["percent_of_ceiling"] == exact(
        summary.combined_percent.quantize(D("0.001"), ROUND_HALF_UP)
    )
    for answered, total in zip(data["agents"], summary.agents, strict=True):
        assert answered["given"]["mg"] == exact(total.mg)
        assert total.ceiling is not None
        assert answered["ceiling_mg"] == exact(total.ceiling.mg)
        assert answered["given"]["status"] == str(total.status)
    assert data["agents"][0]["given"]["mixed_epinephrine"] is True
    assert data["agents"][0]["epinephrine_limit_used"] is False


def test_every_number_in_json_is_an_exact_decimal_string():
    data = _json("--weight", "60.05", "--dose", "lidocaine:10:1")
    assert data["weight_kg"] == "60.05"
    lido = data["agents"][0]
    assert (lido["by_weight_mg"], lido["ceiling_mg"]) == ("270.225", "270.225")
    assert lido["given"]["percent_of_ceiling"] == "37.006"  # 37.00615..., half up to 0.001
    assert lido["given"]["percent_of_ceiling_shown"] == "37"


@pytest.mark.parametrize(
    ("args", "agent_percent", "combined"),
    [
        (["--weight", "70", "--dose", "lidocaine:10:1"], "33.333", "33.333"),  # 100 of 300
        (["--weight", "60", "--dose", "lidocaine:28:1"], "103.704", "103.704"),  # 280 of 270
        (["--weight", "70", "--dose", "lidocaine:12:1"], "40", "40"),
        (["--weight", "100", "--dose", "lidocaine:0.02:1"], "0.067", "0.067"),  # 0.0666…
    ],
)
def test_json_percentages_are_rounded_half_up_to_a_thousandth_and_said(
    args, agent_percent, combined
):
    data = _json(*args)
    assert data["agents"][0]["given"]["percent_of_ceiling"] == agent_percent
    assert data["combined"]["percent_of_ceiling"] == combined
    assert "rounded half up to 0.001" in data["rounding"]
    assert "exact" in data["rounding"]


def test_a_percentage_exactly_half_a_thousandth_rounds_up():
    # 0.01 mL of 0.015% = 0.0015 mg of a 300 mg ceiling: 0.0005% exactly (half even would give 0).
    data = _json("--weight", "100", "--dose", "lidocaine:0.01:0.015")
    assert data["agents"][0]["given"]["mg"] == "0.0015"
    assert data["combined"]["percent_of_ceiling"] == "0.001"


def test_the_printed_working_adds_up():
    # Before: "4.5 mg/kg × 60.1 kg = 270.23 mg" for a weight of 60.05 kg.
    assert "By weight  4.5 mg/kg × 60.05 kg = 270.225 mg" in _run(
        "--weight", "60.05", "--agent", "lidocaine"
    )


def test_an_agent_with_no_cap_gets_no_ceiling_and_is_not_counted():
    text = _run("--weight", "350", "--dose", "ropivacaine:20:0.2", "--dose", "lidocaine:5:1")
    assert "Ceiling    none: No cap configured for ropivacaine — set one" in text
    assert "1050" not in text.replace(",", "")
    assert (
        "not counted: ropivacaine (a session with it needs a physician's override to sign)" in text
    )
    data = _json("--weight", "350", "--agent", "ropivacaine")
    assert data["agents"][0]["ceiling_mg"] is None
    assert data["agents"][0]["no_cap"].startswith("No cap configured for ropivacaine")


def test_ideal_and_adjusted_weight_on_the_command_line():
    args = ["--weight", "120", "--height", "180", "--sex", "male", "--dose", "lidocaine:20:1"]
    text = _run(*args, "--weight-basis", "adjusted")
    assert "Dosing       adjusted body weight: ideal body weight (Devine, male)" in text
    assert "By weight  4.5 mg/kg × 92.9 kg = 418.05 mg" in text
    data = _json(*args, "--weight-basis", "ideal")
    assert (data["dosing_weight"]["basis"], data["dosing_weight"]["kg"]) == ("ideal", "74.8")
    assert data["dosing_weight"]["ideal_kg"] == "74.84"


def test_a_clinic_that_doses_by_ideal_weight_needs_a_height(clinic):
    ClinicSettings.objects.update_or_create(clinic=clinic, defaults={"dose_weight_basis": "ideal"})
    out = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command(
            "ceiling",
            "--weight",
            "120",
            "--agent",
            "lidocaine",
            "--clinic",
            str(clinic.code),
            "--json",
            stdout=out,
        )
    assert exc.value.code == 2
    (error,) = json.loads(out.getvalue())["errors"]
    assert error["field"] == "height"
    assert "needs the patient's height: give --height" in error["reason"]


@pytest.mark.parametrize(
    ("args", "field", "reason"),
    [
        (
            [
                "--weight",
                "70",
                "--agent",
                "lidocaine",
                "--given-ml",
                "3",
                "--given-ml",
                "4",
                "--percent",
                "1",
            ],
            "given-ml",
            "given 2 times; only one is allowed",
        ),
        (
            [
                "--weight",
                "70",
                "--agent",
                "lidocaine",
                "--given-ml",
                "3",
                "--percent",
                "1",
                "--percent",
                "2",
            ],
            "percent",
            "given 2 times",
        ),
        (["--weight", "70", "--dose", "lidocaine:8"], "dose", "dose 1 ('lidocaine:8'): give"),
        (["--weight", "70", "--dose", "cocaine:8:1"], "dose", "'cocaine' is not an agent"),
        (["--weight", "70", "--dose", "lidocaine:8:1:maybe"], "dose", "'epi=1:N' or 'plain'"),
        (
            ["--weight", "70", "--dose", "lidocaine:8:1", "--agent", "lidocaine"],
            "dose",
            "not both",
        ),
        (["--weight", "70"], "agent", "name an --agent"),
        (["--weight", "70", "--agent", "lidocaine", "--nope"], "nope", "unrecognized"),
    ],
)
@pytest.mark.django_db
def test_refusals_are_json_errors_on_stdout_with_status_2(args, field, reason, capsys):
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "ceiling", *args, "--json"]).execute()
    assert exc.value.code == 2
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert any(e["field"] == field and reason in e["reason"] for e in errors), errors


def test_every_refusal_is_listed_at_once(capsys):
    with pytest.raises(SystemExit):
        ManagementUtility(
            ["manage.py", "ceiling", "--weight", "x", "--agent", "cocaine", "--json"]
        ).execute()
    fields = [e["field"] for e in json.loads(capsys.readouterr().out)["errors"]]
    assert fields == ["weight", "agent"]


# Epinephrine: its strength decides the limit, as on the session page


def test_diluted_epinephrine_below_the_threshold_is_judged_against_the_plain_limit():
    # Lidocaine 1% with epinephrine 1:100,000 diluted to 0.2%: 2 µg/mL = 1:500,000.
    args = ["--weight", "40", "--dose", "lidocaine:100:0.2:epi=1:500000"]
    text = _run(*args)
    assert "Ceiling    180 mg" in text
    assert "= 200 mg = 111.1% of the ceiling: Over the ceiling" in text
    assert "with epinephrine below the threshold (plain limit used)" in text
    assert (
        "plain limit: epinephrine 1:500,000 (2 µg/mL) is weaker than Prolo's built-in default "
        "threshold (no --clinic given) of 1:400,000 (2.5 µg/mL)"
    ) in text
    data = _json(*args)
    agent = data["agents"][0]
    assert (agent["ceiling_mg"], agent["epinephrine_limit_used"]) == ("180", False)
    assert agent["given"]["status"] == "over"
    assert agent["limit_used"].startswith("plain: the epinephrine of its doses is weaker")
    assert agent["given"]["doses"][0]["epinephrine_ratio"] == "1:500,000"
    assert data["epinephrine_threshold"]["ratio"] == "1:400,000"
    assert "built-in default" in data["epinephrine_threshold"]["from"]


@pytest.mark.parametrize("strength", ["1:200000", "1:200,000", " 1 : 200000 "])
def test_epinephrine_at_or_above_the_threshold_uses_the_higher_limit(strength):
    agent = _agent("--weight", "40", "--dose", f"lidocaine:100:0.2:epi={strength}")
    assert (agent["ceiling_mg"], agent["epinephrine_limit_used"]) == ("280", True)
    assert agent["given"]["doses"][0]["epinephrine_ratio"] == "1:200,000"
    assert agent["limit_used"].startswith("with epinephrine")


def test_exactly_the_threshold_counts():
    agent = _agent("--weight", "40", "--dose", "lidocaine:10:1:epi=1:400000")
    assert agent["epinephrine_limit_used"] is True


def test_the_clinics_threshold_is_used_with_its_code(clinic):
    ClinicSettings.objects.update_or_create(
        clinic=clinic, defaults={"epinephrine_min_ratio": 600_000}
    )
    args = ["--weight", "40", "--dose", "lidocaine:100:0.2:epi=1:500000"]
    data = _json(*args, "--clinic", str(clinic.code))
    assert data["agents"][0]["ceiling_mg"] == "280"
    assert data["epinephrine_threshold"] == {
        "ratio": "1:600,000",
        "from": "the threshold of Riverside Prolotherapy",
        "rule": data["epinephrine_threshold"]["rule"],
    }


def test_the_threshold_rule_is_the_one_every_mix_is_judged_by():
    from prolo.clinic.safety.compounding import epinephrine_counts, ug_per_ml

    for n in (100_000, 399_999, 400_000, 400_001, 500_000):
        counts, _ = epinephrine_counts(ug_per_ml(n), 400_000)
        agent = _agent("--weight", "40", "--dose", f"lidocaine:10:1:epi=1:{n}")
        assert agent["epinephrine_limit_used"] is counts


def test_one_weak_dose_puts_the_agent_on_the_plain_limit():
    args = ["--weight", "40", "--dose", "lidocaine:5:1:epi=1:100000"]
    args += ["--dose", "lidocaine:5:1:epi=1:800000"]
    agent = _agent(*args)
    assert (agent["ceiling_mg"], agent["epinephrine_limit_used"]) == ("180", False)
    assert agent["given"]["mixed_epinephrine"] is True


@pytest.mark.parametrize(
    ("dose", "reason"),
    [
        ("lidocaine:100:0.2:epi", "give the epinephrine strength of what was given, as epi=1:N"),
        ("lidocaine:100:0.2:epinephrine", "as epi=1:N"),
        ("lidocaine:100:0.2:epi=1:", "is not an epinephrine strength"),
        ("lidocaine:100:0.2:epi=2:200000", "is not an epinephrine strength"),
        ("lidocaine:100:0.2:epi=1:50", "N from 1,000 to 10,000,000"),
        ("lidocaine:100:0.2:epi=strong", "is not an epinephrine strength"),
    ],
)
@pytest.mark.django_db
def test_epinephrine_without_a_usable_strength_is_refused(dose, reason, capsys):
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(
            ["manage.py", "ceiling", "--weight", "40", "--dose", dose, "--json"]
        ).execute()
    assert exc.value.code == 2
    [error] = json.loads(capsys.readouterr().out)["errors"]
    assert error["field"] == "dose"
    assert error["reason"].startswith(f"dose 1 ({dose!r}): ")
    assert reason in error["reason"]


def test_plain_still_works():
    agent = _agent("--weight", "40", "--dose", "lidocaine:10:1:plain")
    assert (agent["ceiling_mg"], agent["epinephrine_limit_used"]) == ("180", False)
    assert agent["given"]["doses"][0]["epinephrine_ratio"] is None


def test_a_given_amount_with_the_epinephrine_flag_is_sent_to_the_dose_form():
    from django.core.management.base import CommandError

    args = ["--weight", "40", "--agent", "lidocaine", "--epinephrine", "--given-ml", "10"]
    with pytest.raises(CommandError, match="--dose AGENT:ML:PERCENT:epi=1:N"):
        _run(*args, "--percent", "1")
