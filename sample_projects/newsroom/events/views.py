from itertools import groupby

import pytz
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import is_safe_url
from django.utils.translation import ugettext as _
from django.views.decorators.http import require_POST

from newsroom.middleware import READER_TZ_SESSION_KEY

from .forms import EventForm, ReaderTimezoneForm
from .models import Event

ICS_FORMAT = '%Y%m%dT%H%M%SZ'


def event_list(request):
    """Upcoming events, grouped by the day they happen at their venue."""
    events = Event.objects.upcoming(timezone.now()).select_related('venue')
    days = [(day, list(items)) for day, items in
            groupby(events, key=lambda event: event.local_starts_at.date())]
    return render(request, 'events/event_list.html', {
        'days': days,
        'timezone_form': ReaderTimezoneForm(
            initial={'timezone': timezone.get_current_timezone_name()},
            choices=settings.NEWSROOM_READER_TIMEZONES),
    })


def event_detail(request, slug):
    event = get_object_or_404(Event.objects.select_related('venue'), slug=slug)
    return render(request, 'events/event_detail.html', {'event': event})


def event_ics(request, slug):
    event = get_object_or_404(Event.objects.select_related('venue'), slug=slug)
    stamp = timezone.now().astimezone(pytz.utc)
    lines = [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//The Daily Meridian//Events//EN',
        'BEGIN:VEVENT',
        'UID:event-%d@dailymeridian.example' % event.pk,
        'DTSTAMP:%s' % stamp.strftime(ICS_FORMAT),
        'DTSTART:%s' % event.starts_at.astimezone(pytz.utc).strftime(ICS_FORMAT),
        'DTEND:%s' % event.ends_at.astimezone(pytz.utc).strftime(ICS_FORMAT),
        'SUMMARY:%s' % event.title,
        'LOCATION:%s' % event.venue,
        'END:VEVENT',
        'END:VCALENDAR',
    ]
    response = HttpResponse('\r\n'.join(lines) + '\r\n', content_type='text/calendar')
    response['Content-Disposition'] = 'attachment; filename="%s.ics"' % event.slug
    return response


@staff_member_required
def event_create(request):
    form = EventForm(request.POST or None)
    if request.method == 'POST' and form.is_valid():
        event = form.save()
        messages.success(request, _('The event was created.'))
        return redirect(event)
    return render(request, 'events/event_form.html', {'form': form})


@require_POST
def set_reader_timezone(request):
    form = ReaderTimezoneForm(request.POST, choices=settings.NEWSROOM_READER_TIMEZONES)
    if form.is_valid():
        request.session[READER_TZ_SESSION_KEY] = form.cleaned_data['timezone']
    next_url = request.POST.get('next', '')
    if not is_safe_url(next_url, allowed_hosts={request.get_host()}):
        next_url = '/'
    return HttpResponseRedirect(next_url)
