import pytz
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.encoding import python_2_unicode_compatible
from django.utils.translation import ugettext_lazy as _

from newsroom.timeutils import to_zone



def validate_timezone(value):
    if value not in pytz.all_timezones_set:
        raise ValidationError(_('%(value)s is not a time zone name.'), params={'value': value})


@python_2_unicode_compatible
class Venue(models.Model):
    name = models.CharField(_('name'), max_length=100)
    city = models.CharField(_('city'), max_length=100)
    timezone = models.CharField(
        _('time zone'), max_length=63, validators=[validate_timezone],
        help_text=_('An IANA zone name, e.g. Europe/Berlin.'))

    class Meta:
        ordering = ['city', 'name']

    def __str__(self):
        return '%s, %s' % (self.name, self.city)

    @property
    def tzinfo(self):
        return pytz.timezone(self.timezone)


class EventQuerySet(models.QuerySet):
    def upcoming(self, now):
        return self.filter(ends_at__gte=now).order_by('starts_at')


@python_2_unicode_compatible
class Event(models.Model):
    title = models.CharField(_('title'), max_length=200)
    slug = models.SlugField(_('slug'), unique=True)
    venue = models.ForeignKey(Venue, related_name='events', on_delete=models.PROTECT)
    starts_at = models.DateTimeField(_('starts at'))
    ends_at = models.DateTimeField(_('ends at'))
    description = models.TextField(_('description'), blank=True)
    is_free = models.NullBooleanField(_('free entry'))

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ['starts_at']
        index_together = [('venue', 'starts_at')]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse('events:detail', kwargs={'slug': self.slug})

    @property
    def local_starts_at(self):
        """Start time on the venue's wall clock."""
        return to_zone(self.starts_at, self.venue.timezone)

    @property
    def local_ends_at(self):
        return to_zone(self.ends_at, self.venue.timezone)

    @property
    def duration(self):
        return self.ends_at - self.starts_at
