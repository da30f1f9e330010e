from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from catalog.templatetags.shop_tags import convert, stars

pytestmark = pytest.mark.django_db


def test_default_currency(client, product):
    response = client.get(product.get_absolute_url())
    assert response['X-Shop-Currency'] == 'EUR'
    assert '<span class="price" data-currency="EUR">\u20ac10.00</span>' in response.content.decode()
    assert 'currency' not in response.cookies


def test_currency_from_query_is_remembered(client, product):
    response = client.get(product.get_absolute_url(), {'currency': 'usd'})
    assert response['X-Shop-Currency'] == 'USD'
    assert '<span class="price" data-currency="USD">$11.00</span>' in response.content.decode()
    assert response.cookies['currency'].value == 'USD'
    response = client.get(reverse('catalog:product_list'))
    assert response['X-Shop-Currency'] == 'USD'


def test_currency_from_cookie(client, product):
    client.cookies['currency'] = 'GBP'
    response = client.get(product.get_absolute_url())
    assert '<span class="price" data-currency="GBP">\xa38.50</span>' in response.content.decode()


def test_unsupported_currency_is_ignored(client, product):
    client.cookies['currency'] = 'XYZ'
    response = client.get(product.get_absolute_url(), {'currency': 'BTC'})
    assert response['X-Shop-Currency'] == 'EUR'


@pytest.mark.parametrize('amount, currency, expected', [
    pytest.param('10.00', 'USD', Decimal('11.00'), id='string-amount'),
    pytest.param(Decimal('19.99'), 'GBP', Decimal('16.99'), id='rounds-half-up'),
    pytest.param(3, 'EUR', Decimal('3.00'), id='int-amount'),
])
def test_convert(amount, currency, expected):
    assert convert(amount, currency) == expected


def test_price_tag_without_request():
    rendered = Template('{% load shop_tags %}{% price amount %}').render(
        Context({'amount': '2.5'}))
    assert rendered == '<span class="price" data-currency="EUR">\u20ac2.50</span>'


def test_price_tag_uses_request_currency():
    request = RequestFactory().get('/')
    request.currency = 'USD'
    rendered = Template('{% load shop_tags %}{% price amount %}').render(
        Context({'amount': Decimal('100'), 'request': request}))
    assert rendered == '<span class="price" data-currency="USD">$110.00</span>'


@pytest.mark.parametrize('rating, expected', [
    pytest.param(None, '', id='no-rating'),
    pytest.param(0, '\u2606' * 5, id='zero'),
    pytest.param(Decimal('3.6'), '\u2605' * 4 + '\u2606', id='rounded'),
    pytest.param(5, '\u2605' * 5, id='full'),
])
def test_stars(rating, expected):
    assert stars(rating) == expected


def test_product_card_for_sold_out_product(client, make_product):
    make_product(name='Rare Teapot', stock=0)
    content = client.get(reverse('catalog:product_list')).content.decode()
    assert 'product-card sold-out' in content
    assert '<p class="stock">Sold out</p>' in content
