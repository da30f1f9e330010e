import datetime

import pytz
from django.test import SimpleTestCase, override_settings

from newsroom.timeutils import day_bounds, local_to_utc, newsroom_tz, to_zone, utc_offset_label


def utc(*args):
    return datetime.datetime(*args, tzinfo=pytz.utc)


class DayBoundsTests(SimpleTestCase):
    def test_ordinary_winter_day(self):
        start, end = day_bounds(datetime.date(2019, 1, 15))
        self.assertEquals(start, utc(2019, 1, 15, 5, 0))
        self.assertEquals(end, utc(2019, 1, 16, 5, 0))

    def test_summer_day(self):
        start, end = day_bounds(datetime.date(2019, 7, 4))
        self.assertEquals(start, utc(2019, 7, 4, 4, 0))
        self.assertEquals(end - start, datetime.timedelta(hours=24))

    def test_spring_forward_day_has_23_hours(self):
        start, end = day_bounds(datetime.date(2019, 3, 10))
        self.assertEquals(start, utc(2019, 3, 10, 5, 0))
        self.assertEquals(end, utc(2019, 3, 11, 4, 0))
        self.assertEquals(end - start, datetime.timedelta(hours=23))

    def test_fall_back_day_has_25_hours(self):
        start, end = day_bounds(datetime.date(2019, 11, 3))
        self.assertEquals(end - start, datetime.timedelta(hours=25))

    def test_bounds_are_utc(self):
        start, end = day_bounds(datetime.date(2019, 1, 15))
        self.assertEquals(start.utcoffset(), datetime.timedelta(0))
        self.assertEquals(end.tzname(), 'UTC')

    def test_other_zone(self):
        start, _ = day_bounds(datetime.date(2019, 7, 1), pytz.timezone('Asia/Kolkata'))
        self.assertEquals(start, utc(2019, 6, 30, 18, 30))

    @override_settings(TIME_ZONE='Australia/Sydney')
    def test_follows_the_time_zone_setting(self):
        self.assertEquals(str(newsroom_tz()), 'Australia/Sydney')
        start, _ = day_bounds(datetime.date(2019, 1, 15))
        self.assertEquals(start, utc(2019, 1, 14, 13, 0))


class ConversionTests(SimpleTestCase):
    def test_to_zone_uses_the_offset_in_effect(self):
        winter = to_zone(utc(2019, 1, 15, 17, 0), 'America/New_York')
        summer = to_zone(utc(2019, 7, 15, 17, 0), 'America/New_York')
        self.assertEquals((winter.hour, winter.tzname()), (12, 'EST'))
        self.assertEquals((summer.hour, summer.tzname()), (13, 'EDT'))

    def test_to_zone_half_hour_offset(self):
        value = to_zone(utc(2019, 7, 1, 12, 0), 'Asia/Kolkata')
        self.assertEquals((value.hour, value.minute), (17, 30))

    def test_local_to_utc(self):
        self.assertEquals(
            local_to_utc(datetime.datetime(2019, 1, 15, 19, 30), 'America/New_York'),
            utc(2019, 1, 16, 0, 30))
        self.assertEquals(
            local_to_utc(datetime.datetime(2019, 7, 15, 19, 30), 'Europe/Berlin'),
            utc(2019, 7, 15, 17, 30))

    def test_local_to_utc_is_not_lmt(self):
        """A zone attached with replace() would be Local Mean Time (-4:56 in New York)."""
        value = local_to_utc(datetime.datetime(2019, 1, 1, 0, 0), 'America/New_York')
        self.assertEquals(value, utc(2019, 1, 1, 5, 0))

    def test_skipped_time_is_rejected(self):
        with self.assertRaises(pytz.NonExistentTimeError):
            local_to_utc(datetime.datetime(2019, 3, 31, 2, 30), 'Europe/Berlin')

    def test_repeated_time_is_rejected(self):
        with self.assertRaises(pytz.AmbiguousTimeError):
            local_to_utc(datetime.datetime(2019, 10, 27, 2, 30), 'Europe/Berlin')

    def test_offset_labels(self):
        self.assertEquals(utc_offset_label(utc(2019, 1, 15, 12), 'America/New_York'), 'UTC-05:00')
        self.assertEquals(utc_offset_label(utc(2019, 7, 15, 12), 'America/New_York'), 'UTC-04:00')
        self.assertEquals(utc_offset_label(utc(2019, 7, 15, 12), 'Asia/Kolkata'), 'UTC+05:30')
        self.assertEquals(utc_offset_label(utc(2019, 7, 15, 12), 'UTC'), 'UTC+00:00')
