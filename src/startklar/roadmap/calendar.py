"""Roadmap items as an iCalendar file (RFC 5545) that Outlook, Thunderbird and Google Calendar
read: each item an all-day event from its start to its end, a milestone a single day.

The address of a member's feed is a secret (``CalendarFeed``); the file names no other
organisation's data and no secret.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from icalendar import Calendar, Event

PRODID = "-//Startklar//Roadmap//DE"


@dataclass(frozen=True)
class Entry:
    """One item as the calendar shows it (texts already in the reader's language)."""

    uid: str  # stable across downloads, e.g. "roadmap-item-12@startklar.example"
    title: str
    description: str
    start: datetime.date
    end: datetime.date  # the last day (inclusive)
    stamp: datetime.datetime  # when the item last changed (aware)
    url: str
    done: bool
    milestone: bool


def ics(name: str, entries: Iterable[Entry], *, language: str) -> bytes:
    """The calendar ``name`` with one event per entry."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    # How often subscribers fetch it again (Outlook and Apple read the first, others the second).
    calendar.add("x-published-ttl", "PT6H")
    calendar.add("refresh-interval", datetime.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", entry.stamp.astimezone(datetime.UTC))
        event.add("last-modified", entry.stamp.astimezone(datetime.UTC))
        event.add("summary", entry.title, parameters={"LANGUAGE": language})
        if entry.description:
            event.add("description", entry.description, parameters={"LANGUAGE": language})
        event.add("dtstart", entry.start)
        # All-day events end on the day after their last day (DTEND is exclusive).
        event.add("dtend", (entry.start if entry.milestone else entry.end) + datetime.timedelta(1))
        event.add("transp", "TRANSPARENT")  # a plan item does not block the day as busy
        event.add("status", "CONFIRMED")
        if entry.url:
            event.add("url", entry.url)
        if entry.done:
            event.add("categories", ["done"])
        calendar.add_component(event)
    return calendar.to_ical()
