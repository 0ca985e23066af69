"""iCalendar (RFC 5545): a patient's events as VCALENDAR bytes.

Pure: it takes plain event data (built by services/calendar_feed.py) and returns bytes, so the
personal feed and the per-session download are written the same way. It knows nothing of the
record: callers pass only neutral wording (time, place, the clinic's name), never a diagnosis,
a substance or a site, because calendars are synced to phones, shared with family and shown on
lock screens. Timed events are written in UTC, which every calendar app converts to local time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import icalendar

PRODID = "-//Prolo//Patient calendar//EN"
# Calendar apps that honour it poll the feed this often (RFC 7986 and Apple's extension).
REFRESH_INTERVAL = dt.timedelta(hours=6)


@dataclass(frozen=True)
class Alarm:
    """A pop-up (VALARM DISPLAY) `offset` from the event's start: negative is before."""

    offset: dt.timedelta
    description: str


@dataclass(frozen=True)
class Event:
    """One calendar entry. `start` is an aware datetime, or a date for an all-day entry."""

    uid: str
    summary: str
    start: dt.datetime | dt.date
    end: dt.datetime | None = None
    location: str = ""
    description: str = ""
    alarms: tuple[Alarm, ...] = ()

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, dt.datetime)


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("Calendar times must be timezone-aware.")
    return moment.astimezone(dt.UTC)


def _vevent(event: Event, stamp: dt.datetime) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp)
    vevent.add("summary", event.summary)
    if isinstance(event.start, dt.datetime):
        vevent.add("dtstart", _utc(event.start))
        vevent.add("dtend", _utc(event.end or event.start))
    else:
        vevent.add("dtstart", event.start)
        vevent.add("dtend", event.start + dt.timedelta(days=1))
        vevent.add("transp", "TRANSPARENT")  # a reminder day does not make the patient busy
    if event.location:
        vevent.add("location", event.location)
    if event.description:
        vevent.add("description", event.description)
    for alarm in event.alarms:
        vevent.add_component(_valarm(alarm))
    return vevent


def _valarm(alarm: Alarm) -> icalendar.Alarm:
    valarm = icalendar.Alarm()
    valarm.add("action", "DISPLAY")
    valarm.add("trigger", alarm.offset)
    valarm.add("description", alarm.description)
    return valarm


def calendar_bytes(
    events: Iterable[Event], *, name: str, stamp: dt.datetime, publish: bool = True
) -> bytes:
    """The VCALENDAR text of `events`; `stamp` (aware) is written as every DTSTAMP.

    `publish` marks a subscribed feed (METHOD:PUBLISH): apps then treat it as read-only.
    """
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if publish:
        cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("name", name)
    cal.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL))
    utc_stamp = _utc(stamp)
    for event in events:
        cal.add_component(_vevent(event, utc_stamp))
    return cal.to_ical()
