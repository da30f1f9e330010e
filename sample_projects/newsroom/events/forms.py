import datetime

import pytz
from django import forms
from django.utils.translation import ugettext, ugettext_lazy as _

from newsroom.timeutils import local_to_utc

from .models import Event


class EventForm(forms.ModelForm):
    """Editors type the venue's wall-clock time; we store UTC."""

    date = forms.DateField(label=_('Date (at the venue)'))
    start_time = forms.TimeField(label=_('Starts (venue time)'))
    duration_minutes = forms.IntegerField(label=_('Duration in minutes'), min_value=1,
                                          max_value=24 * 60)

    class Meta:
        model = Event
        fields = ('title', 'slug', 'venue', 'description', 'is_free')
        widgets = {'is_free': forms.NullBooleanSelect}

    def clean(self):
        cleaned_data = super(EventForm, self).clean()
        venue = cleaned_data.get('venue')
        date = cleaned_data.get('date')
        start_time = cleaned_data.get('start_time')
        minutes = cleaned_data.get('duration_minutes')
        if not (venue and date and start_time and minutes):
            return cleaned_data
        naive = datetime.datetime.combine(date, start_time)
        try:
            starts_at = local_to_utc(naive, venue.timezone)
        except pytz.NonExistentTimeError:
            raise forms.ValidationError(ugettext(
                '%(time)s does not exist in %(zone)s on that day (clocks go forward).')
                % {'time': start_time.strftime('%H:%M'), 'zone': venue.timezone})
        except pytz.AmbiguousTimeError:
            raise forms.ValidationError(ugettext(
                '%(time)s happens twice in %(zone)s on that day (clocks go back); '
                'pick another time.')
                % {'time': start_time.strftime('%H:%M'), 'zone': venue.timezone})
        cleaned_data['starts_at'] = starts_at
        cleaned_data['ends_at'] = starts_at + datetime.timedelta(minutes=minutes)
        return cleaned_data

    def save(self, commit=True):
        event = super(EventForm, self).save(commit=False)
        event.starts_at = self.cleaned_data['starts_at']
        event.ends_at = self.cleaned_data['ends_at']
        if commit:
            event.save()
        return event


class ReaderTimezoneForm(forms.Form):
    timezone = forms.ChoiceField(label=_('Show times in'))

    def __init__(self, *args, **kwargs):
        choices = kwargs.pop('choices')
        super(ReaderTimezoneForm, self).__init__(*args, **kwargs)
        self.fields['timezone'].choices = [(name, name.replace('_', ' ')) for name in choices]



