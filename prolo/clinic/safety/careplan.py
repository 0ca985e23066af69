"""A session's preparation and aftercare plan: what the patient does before and after, dated.

Pure: it takes the course type, the session's local date and time, the clinic's durations and a
few facts about the patient and the sites, and returns plain dataclasses that the session page,
the printed sheet and (later) the portal, PDFs and reminders all read.

The texts are written for patients in plain language: no diagnosis and no injected substances.
They are translated (prolo/locale) into the language active when the plan is made, dates too.
Each item carries the sources behind it (tags of the domain notes' references) and whether
those sources back it (`verified`); items that are the clinic's own practice say so in their
text. Durations come from the clinic's settings (docs/care-plans.md lists each and its source).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from prolo.clinic.sites import SITES_BY_CODE

# Regions whose courses count as spinal or chest-wall work when no site is known yet.
SPINAL_REGIONS = frozenset({"cervical", "thoracic", "lumbar_si"})
THORACIC_REGIONS = frozenset({"thoracic"})


class CarePlanSettings(Protocol):
    """The durations a plan needs; a ClinicSettings row provides them."""

    nsaid_stop_days_before: int
    nsaid_avoid_days_after: int
    flare_typical_days: int
    flare_max_days: int
    heat_pack_min_minutes: int
    heat_pack_max_minutes: int
    healing_weeks: int
    heavy_loading_days: int
    prp_nsaid_stop_days_before: int
    prp_nsaid_avoid_days_after: int


@dataclass(frozen=True)
class PlanItem:
    key: str
    text: str
    date: dt.date | None = None
    sources: tuple[str, ...] = ()
    verified: bool = True

    @property
    def clinic_practice(self) -> bool:
        """Not backed by a published source: the clinic's own practice or setting."""
        return not self.verified


@dataclass(frozen=True)
class CarePlan:
    session_at: dt.datetime
    course_type: str
    before: tuple[PlanItem, ...]
    after: tuple[PlanItem, ...]
    precautions: tuple[PlanItem, ...]

    @property
    def session_date(self) -> dt.date:
        return self.session_at.date()

    @property
    def sections(self) -> tuple[tuple[str, str, tuple[PlanItem, ...]], ...]:
        """(key, heading, items) in reading order, for templates."""
        return (
            ("before", _("Before your treatment"), self.before),
            ("after", _("After your treatment"), self.after),
            ("precautions", _("When to contact us straight away"), self.precautions),
        )

    def item(self, key: str) -> PlanItem | None:
        for items in (self.before, self.after, self.precautions):
            for item in items:
                if item.key == key:
                    return item
        return None


@dataclass(frozen=True)
class SiteFlags:
    spinal: bool = False
    thoracic: bool = False


def site_flags(site_codes: Iterable[str], region: str = "") -> SiteFlags:
    """Whether the work is spinal or at the chest wall, from the sites, else from the region.

    With no known site (a session not yet injected, a course without a template) the course's
    region decides, erring towards giving the precaution: an extra warning costs little.
    """
    sites = [SITES_BY_CODE[code] for code in site_codes if code in SITES_BY_CODE]
    if sites:
        return SiteFlags(
            spinal=any(site.spinal for site in sites),
            thoracic=any(site.thoracic for site in sites),
        )
    return SiteFlags(spinal=region in SPINAL_REGIONS, thoracic=region in THORACIC_REGIONS)


def long_date(day: dt.date) -> str:
    """'Friday 27 February 2026': unambiguous in any country, in the active language."""
    # Translators: a PHP-style date format (Django's `date` filter); escape literal letters.
    return dateformat.format(day, _("l j F Y"))


def _days(n: int) -> str:
    return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}


def care_plan(
    *,
    course_type: str,
    session_at: dt.datetime,
    settings: CarePlanSettings,
    flags: SiteFlags = SiteFlags(),  # frozen, so sharing the default is safe
    blood_thinner: bool = False,
) -> CarePlan:
    """The plan for a session at local time `session_at` (aware or naive, taken as given)."""
    prp = course_type == "prp"
    return CarePlan(
        session_at=session_at,
        course_type=course_type,
        before=tuple(_before(session_at.date(), settings, prp, blood_thinner)),
        after=tuple(_after(session_at.date(), settings, prp)),
        precautions=tuple(_precautions(flags)),
    )


def nsaid_stop_days(settings: CarePlanSettings, prp: bool) -> int:
    """Days before a session to stop anti-inflammatories: the plan and the checklist agree."""
    days = settings.nsaid_stop_days_before
    return max(days, settings.prp_nsaid_stop_days_before) if prp else days


def _avoid_days(settings: CarePlanSettings, prp: bool) -> int:
    days = settings.nsaid_avoid_days_after
    return max(days, settings.prp_nsaid_avoid_days_after) if prp else days


def _nsaid_examples() -> str:
    return _("such as ibuprofen, naproxen, diclofenac or high-dose aspirin")


def _before(day: dt.date, s: CarePlanSettings, prp: bool, blood_thinner: bool) -> list[PlanItem]:
    stop = nsaid_stop_days(s, prp)
    stop_from = day - dt.timedelta(days=stop)
    stop_sources = ("R98", "R99", "R100", "R101", *(("R104",) if prp else ()))
    if stop:
        stop_text = _(
            "From %(date)s (%(days)s before your treatment), stop taking anti-inflammatory "
            "painkillers (%(examples)s), including creams and gels. They dampen the healing "
            "response the treatment is meant to start."
        ) % {"date": long_date(stop_from), "days": _days(stop), "examples": _nsaid_examples()}
    else:
        stop_text = _(
            "Do not take anti-inflammatory painkillers (%(examples)s) on the day of your treatment."
        ) % {"examples": _nsaid_examples()}
    items = [PlanItem("nsaid_stop", stop_text, stop_from, stop_sources)]
    if prp:
        items.append(
            PlanItem(
                "prp_platelets",
                _(
                    "Your treatment uses the platelets from your own blood. Anti-inflammatory "
                    "painkillers make platelets work less well, so keep to these dates carefully."
                ),
                None,
                ("R104",),
            )
        )
    items.append(
        PlanItem(
            "low_dose_aspirin",
            _(
                "If you take a low-dose aspirin each day for your heart, keep taking it unless "
                "your doctor tells you otherwise."
            ),
            None,
            ("R101", "R103"),
        )
    )
    if blood_thinner:
        items.append(
            PlanItem(
                "blood_thinner",
                _(
                    "You told us you take a medicine that thins the blood. Do not stop it on "
                    "your own. We will agree with the doctor who prescribes it what to do before "
                    "your treatment; if nobody has spoken to you about it, call us."
                ),
                None,
                ("R99", "R106"),
            )
        )
    items += [
        PlanItem(
            "meal",
            _(
                "Eat a light meal one to two hours before you come. Our clinic asks you to "
                "include some protein, such as eggs, yoghurt, fish, beans or meat (this is our "
                "clinic's practice)."
            ),
            day,
            ("R98",),
            verified=False,
        ),
        PlanItem(
            "bring",
            _(
                "Our clinic asks you to bring a list of the medicines you take, and to wear "
                "loose clothing that lets us reach the area being treated easily. If you have "
                "been offered something to help you relax, arrange for someone to drive you home."
            ),
            day,
            ("R99",),
            verified=False,
        ),
    ]
    return items


def _after(day: dt.date, s: CarePlanSettings, prp: bool) -> list[PlanItem]:
    avoid = _avoid_days(s, prp)
    avoid_until = day + dt.timedelta(days=avoid)
    flare_max_on = day + dt.timedelta(days=s.flare_max_days)
    healing_on = day + dt.timedelta(weeks=s.healing_weeks)
    loading_until = day + dt.timedelta(days=s.heavy_loading_days)
    avoid_sources = ("R98", "R101", "R103", *(("R104",) if prp else ()))
    return [
        PlanItem(
            "nsaid_avoid",
            _(
                "Keep avoiding anti-inflammatory painkillers for %(days)s after your treatment, "
                "up to and including %(date)s."
            )
            % {"days": _days(avoid), "date": long_date(avoid_until)},
            avoid_until,
            avoid_sources,
        ),
        PlanItem(
            "pain_relief",
            _(
                "If you need a painkiller, paracetamol (also called acetaminophen) is fine. Take "
                "it as the packet or your doctor says."
            ),
            None,
            ("R103",),
        ),
        PlanItem(
            "heat_not_ice",
            _("Use warmth, not ice, to ease soreness: ice calms the healing response we want."),
            None,
            ("R102", "R107", "R101"),
        ),
        PlanItem(
            "heat_pack",
            _(
                "A warm pack on the area for %(min)d to %(max)d minutes at a time can help (this "
                "is our clinic's practice). Wrap it in a cloth and never sleep on it."
            )
            % {"min": s.heat_pack_min_minutes, "max": s.heat_pack_max_minutes},
            None,
            (),
            verified=False,
        ),
        PlanItem(
            "keep_moving",
            _(
                "Keep moving gently within what is comfortable. Do not rest the area completely "
                "or keep it still in a brace unless we have told you to."
            ),
            None,
            ("R106", "R108"),
        ),
        PlanItem(
            "heavy_loading",
            _(
                "For about %(days)s, until %(date)s, avoid heavy lifting and hard or repeated "
                "exercise with the treated area."
            )
            % {"days": _days(s.heavy_loading_days), "date": long_date(loading_until)},
            loading_until,
            ("R106", "R108"),
        ),
        PlanItem(
            "exercise",
            _(
                "Carry on with the exercises or physiotherapy you have been given: treatment "
                "works best alongside them."
            ),
            None,
            ("R64", "R33", "R60"),
        ),
        PlanItem(
            "flare",
            _(
                "The area is often sore and stiff afterwards, and may feel worse before it "
                "feels better. This usually lasts about %(typical)s. If it has not settled by "
                "%(date)s (%(max)s), call us."
            )
            % {
                "typical": _days(s.flare_typical_days),
                "date": long_date(flare_max_on),
                "max": _days(s.flare_max_days),
            },
            flare_max_on,
            ("R98", "R102", "R103"),
        ),
        PlanItem(
            "healing",
            _(
                "Tissues heal slowly. Give it about %(weeks)d weeks, until around %(date)s, "
                "before judging how much this treatment has helped (our clinic's guide). Some "
                "people need more than one treatment before they notice a change."
            )
            % {"weeks": s.healing_weeks, "date": long_date(healing_on)},
            healing_on,
            (),
            verified=False,
        ),
    ]


def _precautions(flags: SiteFlags) -> list[PlanItem]:
    items = [
        PlanItem(
            "warning_signs",
            _(
                "Call us straight away, or get urgent medical help if we are closed, if you have "
                "a fever, redness or warmth that spreads, fluid or pus coming from an injection "
                "point, bleeding that does not stop with firm pressure, or new numbness or "
                "weakness."
            ),
            None,
            ("R103", "R109"),
        )
    ]
    if flags.spinal:
        items.append(
            PlanItem(
                "spinal_headache",
                _(
                    "Because your treatment is near the spine: a severe headache afterwards, "
                    "especially one that gets worse when you sit or stand up, needs urgent "
                    "medical help."
                ),
                None,
                ("R103", "R109", "R115"),
            )
        )
    if flags.thoracic:
        items.append(
            PlanItem(
                "chest",
                _(
                    "Because your treatment is near the chest: if you become short of breath or "
                    "have chest pain, call an ambulance or go to an emergency department."
                ),
                None,
                ("R103", "R109", "R114"),
            )
        )
    return items
