from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.conf import settings
from django.utils import six
from django.utils.encoding import force_text
from django.utils.html import format_html

register = template.Library()

CURRENCY_SYMBOLS = {'EUR': u'\u20ac', 'USD': '$', 'GBP': u'\xa3'}


def convert(amount, currency):
    if isinstance(amount, six.string_types):
        amount = Decimal(amount)
    rate = Decimal(settings.SHOP_CURRENCY_RATES[currency])
    return (Decimal(amount) * rate).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)


@register.simple_tag(takes_context=True)
def price(context, amount):
    """Render ``amount`` (EUR) in the visitor's currency: ``<span class="price">$11.00</span>``."""
    request = context.get('request')
    currency = getattr(request, 'currency', settings.SHOP_DEFAULT_CURRENCY)
    value = convert(amount, currency)
    return format_html(
        '<span class="price" data-currency="{}">{}{}</span>',
        currency, CURRENCY_SYMBOLS.get(currency, ''), force_text(value))


@register.filter
def stars(rating):
    """5-star rating as text: 3 -> '★★★☆☆'."""
    if rating is None:
        return ''
    rating = int(round(rating))
    return u'\u2605' * rating + u'\u2606' * (5 - rating)


@register.inclusion_tag('catalog/_product_card.html', takes_context=True)
def product_card(context, product):
    return {'product': product, 'request': context.get('request')}
