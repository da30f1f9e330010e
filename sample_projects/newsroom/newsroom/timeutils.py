"""Time-zone arithmetic for the newsroom, done with pytz as the Django 2.2 docs recommend."""

from datetime import datetime, time, timedelta

import pytz
from django.conf import settings


def newsroom_tz():
    return pytz.timezone(settings.TIME_ZONE)


def day_bounds(day, tz=None):
    """The UTC instants where ``day`` starts and ends in ``tz`` (the newsroom's zone by default).

    Days are not always 24 hours long: the day clocks change is 23 or 25 hours.
    """
    tz = tz or newsroom_tz()
    start = tz.localize(datetime.combine(day, time.min))
    end = tz.localize(datetime.combine(day + timedelta(days=1), time.min))
    return start.astimezone(pytz.utc), end.astimezone(pytz.utc)


def to_zone(value, tzname):
    """``value`` (aware) as wall-clock time in ``tzname``."""
    tz = pytz.timezone(tzname)
    return tz.normalize(value.astimezone(tz))


def local_to_utc(naive, tzname):
    """Wall-clock ``naive`` in ``tzname`` as an aware UTC datetime.

    Raises ``pytz.NonExistentTimeError`` for times skipped by a DST change and
    ``pytz.AmbiguousTimeError`` for times that happen twice.
    """
    tz = pytz.timezone(tzname)
    return tz.localize(naive, is_dst=None).astimezone(pytz.utc)


def utc_offset_label(value, tzname):
    """'UTC-05:00' style label of the offset in effect in ``tzname`` at ``value``."""
    offset = to_zone(value, tzname).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = '+' if minutes >= 0 else '-'
    return 'UTC%s%02d:%02d' % (sign, abs(minutes) // 60, abs(minutes) % 60)
