"""The dose-ceiling arithmetic (safety/dosing.py): the domain notes' examples, then properties
that must hold for any weight, limit and volume."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prolo.clinic.safety.dosing import (
    AgentTotal,
    Ceiling,
    Dose,
    Factor,
    Limit,
    Status,
    ceiling,
    dosing_weight,
    injection_doses,
    is_child,
    mg_from_ml,
    patient_factors,
    percent_of,
    show_ceiling,
    show_percent,
    summarise,
)

D = Decimal

# The domain notes, §3.1 (lidocaine: Xylocaine label [R22][R44]; bupivacaine: Marcaine label
# [R46] for the caps, mg/kg from secondary sources; ropivacaine: secondary sources only).
LIDOCAINE = Limit("lidocaine", D("4.5"), D(300), D(7), D(500), "Xylocaine label [R44]", False)
BUPIVACAINE = Limit("bupivacaine", D("2.5"), D(175), D(3), D(225), "Marcaine label [R46]", False)
ROPIVACAINE = Limit("ropivacaine", D(3), None, None, None, "secondary sources [R48]", False)
LIMITS = {limit.agent: limit for limit in (LIDOCAINE, BUPIVACAINE, ROPIVACAINE)}


def _ceiling(total: AgentTotal) -> Ceiling:
    assert total.ceiling is not None
    return total.ceiling


def _percent(total: AgentTotal) -> Decimal:
    assert total.percent is not None
    return total.percent


@pytest.mark.parametrize(
    ("limit", "weight", "epinephrine", "expected", "cap_applies"),
    [
        (LIDOCAINE, 70, False, 300, True),  # min(4.5 × 70 = 315, 300)
        (LIDOCAINE, 50, False, 225, False),  # 4.5 × 50
        (LIDOCAINE, D("66.6"), False, D("299.7"), False),
        (LIDOCAINE, 70, True, 490, False),  # 7 × 70, below the 500 cap
        (LIDOCAINE, 80, True, 500, True),  # min(560, 500)
        (BUPIVACAINE, 80, False, 175, True),  # min(200, 175)
        (BUPIVACAINE, 60, False, 150, False),
        (BUPIVACAINE, 80, True, 225, True),  # min(240, 225)
    ],
)
def test_the_ceiling_is_the_smaller_of_weight_times_mg_per_kg_and_the_cap(
    limit, weight, epinephrine, expected, cap_applies
):
    result = ceiling(limit, D(weight), epinephrine=epinephrine)
    assert result.mg == D(expected)
    assert result.cap_applies is cap_applies


@pytest.mark.parametrize(
    ("volume", "percent", "mg"),
    [("1", "1", 10), ("12", "1", 120), ("8", "1", 80), ("5", "2", 100), ("0.5", "0.5", "2.5")],
)
def test_mg_is_ml_times_percent_times_10(volume, percent, mg):
    assert mg_from_ml(D(volume), D(percent)) == D(mg)


def test_the_working_shows_every_step_of_the_arithmetic():
    result = ceiling(LIDOCAINE, D(70), factors=[Factor("liver disease", D("0.8"))])
    assert result.working() == "4.5 mg/kg × 70 kg = 315 mg; cap 300 mg; × 0.80 for liver disease"
    assert result.mg == 240


def test_factors_that_apply_multiply():
    factors = patient_factors(
        age=80,
        child_factor=D("0.1"),
        elderly_age=65,
        elderly_factor=D("0.8"),
        hepatic=True,
        hepatic_factor=D("0.5"),
        cardiac=False,
        cardiac_factor=D("0.1"),
    )
    assert [f.reason for f in factors] == ["age 80 (elderly from 65)", "liver disease"]
    assert ceiling(LIDOCAINE, D(50), factors=factors).mg == D(90)  # 225 × 0.8 × 0.5


def test_a_patient_younger_than_the_elderly_age_gets_no_elderly_factor():
    factors = patient_factors(
        age=64,
        child_factor=D("0.5"),
        elderly_age=65,
        elderly_factor=D("0.5"),
        hepatic=False,
        hepatic_factor=D(1),
        cardiac=False,
        cardiac_factor=D(1),
    )
    assert factors == ()


def _factors_at(age: int, child_factor: str = "0.5") -> tuple[Factor, ...]:
    return patient_factors(
        age=age,
        child_factor=D(child_factor),
        elderly_age=65,
        elderly_factor=D("0.8"),
        hepatic=False,
        hepatic_factor=D(1),
        cardiac=False,
        cardiac_factor=D(1),
    )


def test_a_child_gets_the_clinics_under_18_factor():
    factors = _factors_at(15)
    assert [(f.reason, f.value) for f in factors] == [("age 15 (under 18)", D("0.5"))]
    assert ceiling(LIDOCAINE, D(40), factors=factors).mg == 90  # 4.5 × 40 = 180, × 0.5


def test_the_under_18_factor_is_listed_even_when_the_clinic_reduces_nothing():
    assert [f.reason for f in _factors_at(9, child_factor="1")] == ["age 9 (under 18)"]


def test_at_18_the_under_18_factor_no_longer_applies():
    assert _factors_at(18) == ()
    assert (is_child(17), is_child(18), is_child(None)) == (True, False, False)


def test_an_epinephrine_limit_without_its_own_cap_takes_the_plain_cap():
    no_epi_cap = Limit("lidocaine", D("4.5"), D(300), D(7), None, "row missing a cap", False)
    result = ceiling(no_epi_cap, D(100), epinephrine=True)
    assert result.by_weight_mg == 700  # 7 mg/kg × 100 kg: what an empty cap used to allow
    assert (result.mg, result.cap_mg, result.plain_cap, result.epinephrine) == (
        300,
        300,
        True,
        True,
    )
    assert "cap 300 mg (the plain maximum: no maximum with epinephrine is set)" in result.working()


def test_an_epinephrine_limit_with_its_own_cap_uses_it():
    result = ceiling(LIDOCAINE, D(100), epinephrine=True)
    assert (result.mg, result.plain_cap) == (500, False)


def test_without_any_cap_there_is_no_ceiling_with_or_without_epinephrine():
    uncapped = Limit("ropivacaine", D(3), None, D(4), None, "test", False)
    for epinephrine in (False, True):
        with pytest.raises(ValueError, match="No cap configured for ropivacaine"):
            ceiling(uncapped, D(350), epinephrine=epinephrine)


def test_an_agent_with_no_cap_gets_no_ceiling_and_asks_for_one():
    # Before: ropivacaine 3 mg/kg × 350 kg = a "ceiling" of 1,050 mg, and 500 mg read as OK.
    summary = summarise([Dose("ropivacaine", D(250), D("0.2"))], weight_kg=D(350), limits=LIMITS)
    ropi = summary.agents[0]
    assert (ropi.ceiling, ropi.percent, ropi.uncapped) == (None, None, True)
    assert ropi.status == Status.NO_CAP
    assert ropi.status_text == "No maximum configured"
    assert ropi.no_cap_message.startswith("No cap configured for ropivacaine — set one")
    assert summary.uncapped_agents == ["ropivacaine"]
    assert summary.status == Status.NO_CAP


def test_the_working_adds_up_as_printed():
    # Before: "4.5 mg/kg × 60.1 kg = 270.5 mg" (rounded) for 270.45.
    assert ceiling(LIDOCAINE, D("60.1")).working().startswith("4.5 mg/kg × 60.1 kg = 270.45 mg")


def test_the_third_8_ml_syringe_of_1_percent_lidocaine_crosses_a_50_kg_ceiling():
    doses = [Dose("lidocaine", D(8), D(1))] * 3
    two = summarise(doses[:2], weight_kg=D(50), limits=LIMITS)
    three = summarise(doses, weight_kg=D(50), limits=LIMITS)
    assert (two.agents[0].mg, two.status) == (160, Status.OK)
    assert (three.agents[0].mg, _ceiling(three.agents[0]).mg) == (240, 225)
    assert show_percent(three.combined_percent) == "106.7"
    assert three.status == Status.OVER


@pytest.mark.parametrize(
    ("mg_given", "status"),
    [("179.9", Status.OK), ("180", Status.WARN), ("225", Status.WARN), ("225.1", Status.OVER)],
)
def test_warn_at_80_percent_and_over_only_above_100(mg_given, status):
    dose = Dose("lidocaine", D(mg_given) / 10, D(1))
    assert summarise([dose], weight_kg=D(50), limits=LIMITS).status == status


def test_toxicity_is_additive_two_agents_each_under_their_ceiling_can_be_over_together():
    doses = [Dose("lidocaine", D(20), D(1)), Dose("bupivacaine", D(20), D("0.5"))]
    summary = summarise(doses, weight_kg=D(80), limits=LIMITS)
    lido, bupi = summary.agents
    assert (show_percent(lido.percent), lido.status) == ("66.7", Status.OK)  # 200 of 300 mg
    assert (show_percent(bupi.percent), bupi.status) == ("57.1", Status.OK)  # 100 of 175 mg
    assert summary.combined_percent == _percent(lido) + _percent(bupi)
    assert summary.status == Status.OVER


def test_epinephrine_values_count_only_when_every_dose_had_epinephrine():
    with_epi = Dose("lidocaine", D(10), D(1), epinephrine=True)
    plain = Dose("lidocaine", D(10), D(1))
    all_epi = summarise([with_epi, with_epi], weight_kg=D(70), limits=LIMITS).agents[0]
    mixed = summarise([with_epi, plain], weight_kg=D(70), limits=LIMITS).agents[0]
    assert (_ceiling(all_epi).mg, _ceiling(all_epi).epinephrine) == (490, True)
    assert (_ceiling(mixed).mg, _ceiling(mixed).epinephrine, mixed.mixed) == (300, False, True)


def test_without_a_weight_nothing_can_be_compared():
    summary = summarise([Dose("lidocaine", D(1), D(1))], weight_kg=None, limits=LIMITS)
    assert summary.agents[0].ceiling is None
    assert summary.status == Status.INCOMPLETE


def test_an_agent_without_a_limit_is_reported_not_ignored():
    summary = summarise([Dose("lidocaine", D(1), D(1))], weight_kg=D(70), limits={})
    assert summary.unlimited_agents == ["lidocaine"]
    assert summary.status == Status.INCOMPLETE


def test_epinephrine_follows_the_mixture_across_syringes_and_plain_injections():
    with_epi = {"lidocaine": {"percent": "1", "epinephrine": True}}
    plain = {"lidocaine": {"percent": "0.5", "epinephrine": False}}
    from_syringes = [
        *injection_doses(
            D(5), syringe=with_epi, anaesthetic="none", percent=D(0), epinephrine=False
        ),
        *injection_doses(D(5), syringe=plain, anaesthetic="none", percent=D(0), epinephrine=False),
    ]
    hand_entered = injection_doses(
        D(2), syringe=None, anaesthetic="lidocaine", percent=D(1), epinephrine=False
    )
    every_epi = injection_doses(
        D(2), syringe=None, anaesthetic="lidocaine", percent=D(1), epinephrine=True
    )
    for doses in (from_syringes, [*from_syringes[:1], *hand_entered]):
        lido = summarise(doses, weight_kg=D(100), limits=LIMITS).agents[0]
        assert (lido.mixed, _ceiling(lido).epinephrine, _ceiling(lido).mg) == (True, False, 300)
        assert lido.solution == "plain and with epinephrine (plain limit used)"
    only_epi = summarise([*from_syringes[:1], *every_epi], weight_kg=D(100), limits=LIMITS)
    assert (_ceiling(only_epi.agents[0]).epinephrine, _ceiling(only_epi.agents[0]).mg) == (
        True,
        500,
    )


def test_a_syringe_gives_every_agent_of_its_mix():
    syringe = {
        "lidocaine": {"percent": "0.5", "epinephrine": False},
        "bupivacaine": {"percent": "0.25", "epinephrine": True},
    }
    doses = injection_doses(
        D(4), syringe=syringe, anaesthetic="none", percent=D(0), epinephrine=False
    )
    assert [(d.agent, d.mg, d.epinephrine) for d in doses] == [
        ("lidocaine", D(20), False),
        ("bupivacaine", D(10), True),
    ]


def test_without_a_syringe_the_injections_own_solution_counts():
    doses = injection_doses(
        D(2), syringe=None, anaesthetic="lidocaine", percent=D(1), epinephrine=True
    )
    assert [(d.agent, d.mg, d.epinephrine) for d in doses] == [("lidocaine", D(20), True)]
    assert (
        injection_doses(D(2), syringe=None, anaesthetic="none", percent=D(0), epinephrine=False)
        == []
    )


def test_shown_numbers_never_understate_the_risk():
    assert show_percent(D("100.01")) == "100.1"  # over is never shown as 100%
    assert show_percent(D("99.96")) == "100"
    assert show_percent(D("85.714")) == "85.7"
    assert show_ceiling(D("299.99")) == "299.9"
    assert show_percent(D(80)) == "80"


def test_a_limit_reads_its_source_and_says_when_it_is_unverified_or_not_the_clinics_own():
    limit = Limit.of(
        {"agent": "lidocaine", "mg_per_kg": "4.5", "cap_mg": 300, "source": "Xylocaine label"},
        configured=False,
    )
    assert limit.cap_mg == 300
    assert limit.mg_per_kg_epinephrine is None
    assert "built-in default" in limit.source_note
    assert "unverified" in limit.source_note


# Properties, for any valid input.

weights = st.decimals(min_value=D(2), max_value=D(350), places=1)
mg_per_kg = st.decimals(min_value=D("0.5"), max_value=D(10), places=2)
caps = st.integers(min_value=1, max_value=1000).map(D)
factor_values = st.decimals(min_value=D("0.1"), max_value=D(1), places=2)
volumes = st.decimals(min_value=D("0.1"), max_value=D(30), places=1)
strengths = st.decimals(min_value=D("0.01"), max_value=D(4), places=2)


def _limit(per_kg: Decimal, cap: Decimal | None) -> Limit:
    return Limit("lidocaine", per_kg, cap, None, None, "test", False)


@given(
    per_kg=mg_per_kg, cap=caps, a=weights, b=weights, factors=st.lists(factor_values, max_size=3)
)
def test_the_ceiling_never_falls_as_the_weight_rises(per_kg, cap, a, b, factors):
    limit = _limit(per_kg, cap)
    applied = [Factor("test", f) for f in factors]
    light, heavy = sorted([a, b])
    assert ceiling(limit, light, factors=applied).mg <= ceiling(limit, heavy, factors=applied).mg


@given(per_kg=mg_per_kg, cap=caps, weight=weights, factors=st.lists(factor_values, max_size=3))
def test_the_ceiling_is_never_above_the_cap_or_the_weight_based_dose(per_kg, cap, weight, factors):
    result = ceiling(_limit(per_kg, cap), weight, factors=[Factor("test", f) for f in factors])
    assert 0 < result.mg <= per_kg * weight
    if cap is not None:
        assert result.mg <= cap


@given(
    per_kg=mg_per_kg,
    per_kg_epi=mg_per_kg,
    cap=caps,
    cap_epi=st.none() | caps,
    weight=weights,
)
def test_the_epinephrine_ceiling_is_never_above_the_cap_that_applies(
    per_kg, per_kg_epi, cap, cap_epi, weight
):
    limit = Limit("lidocaine", per_kg, cap, per_kg_epi, cap_epi, "test", False)
    result = ceiling(limit, weight, epinephrine=True)
    applies = cap_epi if cap_epi is not None else cap
    assert result.mg <= applies
    if cap_epi is None:
        assert result.plain_cap


@given(per_kg=mg_per_kg, weight=weights, volume=volumes, epinephrine=st.booleans())
def test_a_limit_without_any_cap_never_gives_a_ceiling(per_kg, weight, volume, epinephrine):
    limit = Limit("ropivacaine", per_kg, None, None, None, "test", False)
    dose = Dose("ropivacaine", volume, D("0.2"), epinephrine)
    summary = summarise([dose], weight_kg=weight, limits={"ropivacaine": limit})
    assert summary.agents[0].ceiling is None
    assert summary.status in (Status.NO_CAP, Status.OVER)


@given(volume=volumes, percent=strengths)
def test_mg_is_always_ml_times_percent_times_10(volume, percent):
    mg = mg_from_ml(volume, percent)
    assert mg == volume * percent * 10
    assert mg / volume == percent * 10  # mg per mL is ten times the percent


@given(a=volumes, b=volumes, percent=strengths, weight=weights)
def test_the_fraction_of_the_ceiling_adds_up_dose_by_dose(a, b, percent, weight):
    limit = _limit(D("4.5"), D(300))
    top = ceiling(limit, weight).mg
    together = percent_of(mg_from_ml(a + b, percent), top)
    apart = percent_of(mg_from_ml(a, percent), top) + percent_of(mg_from_ml(b, percent), top)
    assert abs(together - apart) < D("1e-20")


@given(lido=volumes, bupi=volumes, weight=weights)
def test_the_combined_percentage_is_the_sum_of_the_agents(lido, bupi, weight):
    doses = [Dose("lidocaine", lido, D(1)), Dose("bupivacaine", bupi, D("0.5"))]
    summary = summarise(doses, weight_kg=weight, limits=LIMITS)
    assert summary.combined_percent == sum(_percent(a) for a in summary.agents)
    assert (summary.status == Status.OVER) == (summary.combined_percent > 100)


# The dosing weight in obesity (Devine ideal body weight; adjusted = ideal + 0.4 × excess)


@pytest.mark.parametrize(
    ("basis", "actual", "height", "sex", "expected"),
    [
        ("actual", "120", None, "male", "120"),
        ("ideal", "120", "180", "male", "74.8"),  # 50 + 0.9 × 27.6 = 74.84, down to 0.1 kg
        ("adjusted", "120", "180", "male", "92.9"),  # 74.84 + 0.4 × 45.16 = 92.904
        ("ideal", "90", "160", "female", "52.3"),  # 45.5 + 0.9 × 7.6 = 52.34
        ("ideal", "60", "180", "male", "60"),  # never above the actual weight
        ("ideal", "90", "160", "unknown", "52.3"),  # the lower, female, formula
    ],
)
def test_the_dosing_weight_follows_the_clinics_basis(basis, actual, height, sex, expected):
    found = dosing_weight(
        D(actual), basis=basis, height_cm=None if height is None else D(height), sex=sex
    )
    assert found.kg == D(expected)


def test_the_dosing_weight_shows_its_working():
    working = dosing_weight(D(120), basis="adjusted", height_cm=D(180), sex="male").working()
    assert "ideal body weight (Devine, male) = 50 + 0.9 × (180 − 152.4) = 74.84 kg" in working
    assert "adjusted = 74.84 + 0.4 × (120 − 74.84) = 92.904 kg" in working
    assert "92.9 kg used (rounded down to 0.1 kg)" in working


@pytest.mark.parametrize("basis", ["ideal", "adjusted"])
def test_ideal_or_adjusted_weight_without_a_height_is_refused_not_guessed(basis):
    with pytest.raises(ValueError, match=f"doses by {basis} body weight, which needs the patient"):
        dosing_weight(D(120), basis=basis, height_cm=None, sex="male")


@given(
    actual=weights,
    height=st.decimals(min_value=D(140), max_value=D(250), places=1),
    basis=st.sampled_from(["actual", "ideal", "adjusted"]),
    sex=st.sampled_from(["male", "female", "other"]),
)
def test_the_dosing_weight_is_never_above_the_actual_weight(actual, height, basis, sex):
    found = dosing_weight(actual, basis=basis, height_cm=height, sex=sex)
    assert 0 < found.kg <= actual
