"""Where a clinic works: its locations, their rooms, opening hours and closures.

A weekday with no opening hours is a closed day. A closure (a public holiday, a refurbishment)
closes a location for whole days of the clinic's calendar, whatever its hours say.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q

from prolo.clinic.models.accounts import Clinic


class Weekday(models.IntegerChoices):
    # The numbers are Python's date.weekday(), so a date maps onto them directly.
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class Location(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=120)
    address = models.TextField(blank=True, max_length=1000)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "name"],
                name="location_name_unique_in_clinic",
                violation_error_message="The clinic already has a location with this name.",
                violation_error_code="name",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=80)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "name"],
                name="room_name_unique_in_location",
                violation_error_message="This location already has a room with this name.",
                violation_error_code="name",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    """One opening range on a weekday; a day may have two (a lunch break between)."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens", "id"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")),
                name="opening_hours_close_after_open",
                violation_error_message="The closing time must be after the opening time.",
                violation_error_code="closes",
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6),
                name="opening_hours_weekday_valid",
                violation_error_code="weekday",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """Whole days, first to last inclusive, on which a location is closed."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="closures")
    starts_on = models.DateField("first day")
    ends_on = models.DateField("last day")
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="closure_ends_after_it_starts",
                violation_error_message="The last day cannot be before the first day.",
                violation_error_code="ends_on",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} ({self.starts_on}–{self.ends_on})"
