from django import template
from django.utils import six
from django.utils.http import urlquote

from newsroom.timeutils import to_zone, utc_offset_label

register = template.Library()


@register.filter
def in_zone(value, tzname):
    """``{{ event.starts_at|in_zone:"Europe/Berlin"|date:"H:i" }}``"""
    if not value:
        return ''
    return to_zone(value, tzname)


@register.filter
def offset_label(value, tzname):
    """``{{ value|offset_label:"America/New_York" }}`` -> ``UTC-05:00``"""
    if not value:
        return ''
    return utc_offset_label(value, tzname)


@register.simple_tag(takes_context=True)
def share_link(context, network, article):
    """A link that shares ``article`` on ``network`` ("twitter" or "email")."""
    request = context['request']
    url = request.build_absolute_uri(article.get_absolute_url())
    if network == 'twitter':
        query = six.moves.urllib.parse.urlencode([('text', article.title), ('url', url)])
        return 'https://twitter.com/intent/tweet?' + query
    if network == 'email':
        return 'mailto:?subject=%s&body=%s' % (urlquote(article.title), urlquote(url))
    raise template.TemplateSyntaxError('Unknown network %r' % network)


@register.inclusion_tag('includes/_section_nav.html', takes_context=True)
def section_nav(context, current=None):
    from articles.models import Section
    return {'sections': Section.objects.all(), 'current': current}
