import datetime

import pytz
from django.contrib.auth.models import User
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from events.forms import EventForm
from events.models import Event, Venue
from newsroom.middleware import READER_TZ_SESSION_KEY


def utc(*args):
    return datetime.datetime(*args, tzinfo=pytz.utc)


class EventTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.berlin = Venue.objects.create(name='Kino', city='Berlin', timezone='Europe/Berlin')
        cls.la = Venue.objects.create(name='Bowl', city='Los Angeles',
                                      timezone='America/Los_Angeles')
        cls.delhi = Venue.objects.create(name='Hall', city='New Delhi', timezone='Asia/Kolkata')

    def make_event(self, title, venue, starts_at, hours=2, **kwargs):
        return Event.objects.create(
            title=title, slug=title.lower().replace(' ', '-'), venue=venue, starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=hours), **kwargs)


class EventModelTests(EventTestCase):
    def test_local_start_in_summer_and_winter(self):
        summer = self.make_event('Summer film', self.berlin, utc(2019, 7, 1, 18, 0))
        winter = self.make_event('Winter film', self.berlin, utc(2019, 1, 10, 18, 0))
        self.assertEquals(summer.local_starts_at.strftime('%H:%M %Z'), '20:00 CEST')
        self.assertEquals(winter.local_starts_at.strftime('%H:%M %Z'), '19:00 CET')

    def test_event_across_the_dst_change(self):
        # Berlin falls back at 01:00 UTC on October 27, 2019.
        event = self.make_event('Long night', self.berlin, utc(2019, 10, 26, 22, 0), hours=5)
        self.assertEquals(event.local_starts_at.strftime('%H:%M %Z'), '00:00 CEST')
        self.assertEquals(event.local_ends_at.strftime('%H:%M %Z'), '04:00 CET')
        self.assertEquals(event.duration, datetime.timedelta(hours=5))

    def test_venue_timezone_is_validated(self):
        venue = Venue(name='Nowhere', city='Atlantis', timezone='Atlantis/Capital')
        with self.assertRaises(Exception) as ctx:
            venue.full_clean()
        self.assertIn('Atlantis/Capital is not a time zone name.', str(ctx.exception))
        self.assertEquals(str(self.delhi.tzinfo), 'Asia/Kolkata')

    def test_upcoming(self):
        past = self.make_event('Past', self.la, utc(2019, 1, 1, 20))
        future = self.make_event('Future', self.la, timezone.now() + datetime.timedelta(days=3))
        self.assertQuerysetEqual(Event.objects.upcoming(timezone.now()), ['<Event: Future>'])
        self.assertNotEquals(past.pk, future.pk)


class EventFormTests(EventTestCase):
    def form(self, **data):
        values = {'title': 'Talk', 'slug': 'talk', 'venue': self.berlin.pk, 'date': '2019-07-01',
                  'start_time': '19:30', 'duration_minutes': '90', 'is_free': 'unknown'}
        values.update(data)
        return EventForm(values)

    def test_wall_clock_time_is_stored_as_utc(self):
        form = self.form()
        self.assertTrue(form.is_valid(), form.errors)
        event = form.save()
        event.refresh_from_db()
        self.assertEquals(event.starts_at, utc(2019, 7, 1, 17, 30))
        self.assertEquals(event.ends_at, utc(2019, 7, 1, 19, 0))
        self.assertIsNone(event.is_free)

    def test_winter_offset(self):
        form = self.form(venue=self.la.pk, date='2019-01-10', start_time='20:00')
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEquals(form.cleaned_data['starts_at'], utc(2019, 1, 11, 4, 0))

    def test_skipped_time(self):
        form = self.form(date='2019-03-31', start_time='02:30')
        self.assertFalse(form.is_valid())
        self.assertEquals(form.non_field_errors(), [
            '02:30 does not exist in Europe/Berlin on that day (clocks go forward).'])

    def test_repeated_time(self):
        form = self.form(date='2019-10-27', start_time='02:30')
        self.assertFalse(form.is_valid())
        self.assertIn('happens twice', form.non_field_errors()[0])

    def test_missing_fields_do_not_crash(self):
        form = self.form(start_time='')
        self.assertFalse(form.is_valid())
        self.assertIn('start_time', form.errors)


class EventViewTests(EventTestCase):
    def test_detail_shows_venue_and_utc_times(self):
        event = self.make_event('Summer film', self.berlin, utc(2019, 7, 1, 18, 0), is_free=True)
        response = self.client.get(event.get_absolute_url())
        self.assertContains(
            response, '<dd class="local-time">Monday, July 1, 2019, 20:00&ndash;22:00 CEST '
            '(UTC+02:00)</dd>', html=True)
        self.assertContains(response, '<dd class="utc-time">2019-07-01 18:00</dd>', html=True)
        self.assertContains(response, '<dd class="entry">Free</dd>', html=True)

    def test_detail_entry_unknown(self):
        event = self.make_event('Mystery', self.la, utc(2019, 7, 1, 18, 0))
        response = self.client.get(event.get_absolute_url())
        self.assertContains(response, '<dd class="entry">See the venue</dd>', html=True)

    def test_ics(self):
        event = self.make_event('Summer film', self.berlin, utc(2019, 7, 1, 18, 0))
        response = self.client.get(reverse('events:ics', kwargs={'slug': event.slug}))
        self.assertEquals(response['Content-Type'], 'text/calendar')
        body = response.content.decode()
        self.assertIn('DTSTART:20190701T180000Z\r\n', body)
        self.assertIn('DTEND:20190701T200000Z\r\n', body)
        self.assertIn('LOCATION:Kino, Berlin\r\n', body)

    def future_local(self, venue, days, hour, minute=0):
        """An aware datetime ``days`` from today at hour:minute on the venue's wall clock."""
        tz = pytz.timezone(venue.timezone)
        day = timezone.now().astimezone(tz).date() + datetime.timedelta(days=days)
        return tz.localize(datetime.datetime.combine(day, datetime.time(hour, minute))), day

    def test_list_groups_by_venue_day(self):
        late, la_day = self.future_local(self.la, 10, 23, 30)
        self.make_event('Late show', self.la, late.astimezone(pytz.utc))
        early, berlin_day = self.future_local(self.berlin, 12, 0, 30)
        self.make_event('Early show', self.berlin, early.astimezone(pytz.utc))
        response = self.client.get(reverse('events:list'))
        days = [(day, [e.title for e in events]) for day, events in response.context['days']]
        self.assertEquals(days, [(la_day, ['Late show']), (berlin_day, ['Early show'])])
        self.assertContains(response, '11:30 PM Los Angeles time')
        self.assertContains(response, '12:30 AM Berlin time')

    def test_list_free_badge(self):
        start, _ = self.future_local(self.delhi, 5, 18)
        self.make_event('Free talk', self.delhi, start, is_free=True)
        self.make_event('Paid talk', self.delhi, start + datetime.timedelta(hours=1), is_free=False)
        response = self.client.get(reverse('events:list'))
        self.assertEquals(response.content.decode().count('<span class="badge free">Free</span>'), 1)

    def test_reader_timezone(self):
        start = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
        self.make_event('Noon', self.berlin, start + datetime.timedelta(days=4))
        response = self.client.post(reverse('events:set_timezone'), {
            'timezone': 'Asia/Kolkata', 'next': reverse('events:list')})
        self.assertRedirects(response, reverse('events:list'))
        self.assertEquals(self.client.session[READER_TZ_SESSION_KEY], 'Asia/Kolkata')
        response = self.client.get(reverse('events:list'))
        self.assertContains(response, '(5:30 PM IST your time)')
        self.assertContains(response, 'times in Asia/Kolkata')

    def test_default_reader_timezone_is_the_newsroom(self):
        response = self.client.get(reverse('events:list'))
        self.assertContains(response, 'times in America/New_York')
        self.assertContains(
            response, '<option value="America/New_York" selected>America/New York</option>',
            html=True)

    def test_unknown_reader_timezone_is_refused(self):
        self.client.post(reverse('events:set_timezone'), {'timezone': 'Mars/Olympus'})
        self.assertNotIn(READER_TZ_SESSION_KEY, self.client.session)

    def test_stale_timezone_in_session_is_dropped(self):
        session = self.client.session
        session[READER_TZ_SESSION_KEY] = 'Mars/Olympus'
        session.save()
        response = self.client.get(reverse('events:list'))
        self.assertContains(response, 'times in America/New_York')
        self.assertNotIn(READER_TZ_SESSION_KEY, self.client.session)

    def test_next_must_be_local(self):
        response = self.client.post(reverse('events:set_timezone'), {
            'timezone': 'Europe/London', 'next': 'https://evil.example/'})
        self.assertEquals(response['Location'], '/')

    def test_create_needs_staff(self):
        response = self.client.get(reverse('events:create'))
        self.assertEquals(response.status_code, 302)
        self.assertIn('/admin/login/', response['Location'])

    def test_staff_create_event(self):
        staff = User.objects.create_user('editor', password='pw', is_staff=True)
        self.client.force_login(staff)
        response = self.client.post(reverse('events:create'), {
            'title': 'Night market', 'slug': 'night-market', 'venue': self.delhi.pk,
            'date': '2019-12-01', 'start_time': '18:00', 'duration_minutes': '240',
            'is_free': 'true'}, follow=True)
        event = Event.objects.get(slug='night-market')
        self.assertRedirects(response, event.get_absolute_url())
        self.assertEquals(event.starts_at, utc(2019, 12, 1, 12, 30))
        self.assertContains(response, 'The event was created.')

    def test_event_form_page_uses_form_templates(self):
        staff = User.objects.create_user('editor', password='pw', is_staff=True)
        self.client.force_login(staff)
        response = self.client.post(reverse('events:create'), {
            'title': 'Clock change party', 'slug': 'clock', 'venue': self.berlin.pk,
            'date': '2019-03-31', 'start_time': '02:30', 'duration_minutes': '60'})
        self.assertContains(response, '<div class="form-errors">')
        self.assertContains(response, 'does not exist in Europe/Berlin')
        self.assertContains(response, '<label for="id_start_time">Starts (venue time)</label>',
                            html=True)
