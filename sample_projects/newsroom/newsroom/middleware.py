import pytz
from django.utils import timezone

READER_TZ_SESSION_KEY = 'reader_timezone'


class ReaderTimezoneMiddleware(object):
    """Show times in the zone the reader picked; the newsroom's zone otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tzname = request.session.get(READER_TZ_SESSION_KEY)
        if tzname:
            try:
                timezone.activate(pytz.timezone(tzname))
            except pytz.UnknownTimeZoneError:
                del request.session[READER_TZ_SESSION_KEY]
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)
