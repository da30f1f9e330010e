import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from catalog.models import Category, Review
from catalog.views import CATEGORY_MENU_CACHE_KEY

pytestmark = pytest.mark.django_db

AJAX = {'HTTP_X_REQUESTED_WITH': 'XMLHttpRequest'}


def test_list_shows_only_active_products(client, make_product):
    make_product(name='Visible Kettle')
    make_product(name='Hidden Kettle', is_active=False)
    response = client.get(reverse('catalog:product_list'))
    assert response.status_code == 200
    assert [p.name for p in response.context['products']] == ['Visible Kettle']
    assert b'Hidden Kettle' not in response.content


@pytest.mark.parametrize('count, text', [
    pytest.param(1, '1 product<', id='singular'),
    pytest.param(3, '3 products<', id='plural'),
])
def test_list_counts_products(client, make_product, count, text):
    for _ in range(count):
        make_product()
    response = client.get(reverse('catalog:product_list'))
    assert text in response.content.decode()


def test_empty_list(client, db):
    response = client.get(reverse('catalog:product_list'))
    assert 'No products here yet.' in response.content.decode()


def test_category_page_includes_subcategories(client, category, make_product):
    cups = Category.objects.create(name='Cups', slug='cups', parent=category)
    make_product(name='Teacup', category=cups)
    make_product(name='Saucepan')
    other = Category.objects.create(name='Garden', slug='garden')
    make_product(name='Spade', category=other)
    response = client.get(reverse('catalog:category', kwargs={'slug': 'kitchen'}))
    names = sorted(p.name for p in response.context['products'])
    assert names == ['Saucepan', 'Teacup']


def test_category_menu_is_cached_and_invalidated(client, category):
    cache.clear()
    client.get(reverse('catalog:product_list'))
    assert cache.get(CATEGORY_MENU_CACHE_KEY) == [('Kitchen', '/category/kitchen/')]
    Category.objects.create(name='Garden', slug='garden')
    assert cache.get(CATEGORY_MENU_CACHE_KEY) is None
    response = client.get(reverse('catalog:product_list'))
    assert [name for name, _ in response.context['category_menu']] == ['Garden', 'Kitchen']


def test_inactive_product_detail_is_404(client, make_product):
    product = make_product(is_active=False)
    assert client.get(product.get_absolute_url()).status_code == 404


@pytest.mark.parametrize('stock, text', [
    pytest.param(0, 'Sold out', id='sold-out'),
    pytest.param(3, 'three in stock', id='in-stock'),
    pytest.param(12, '12 in stock', id='many'),
])
def test_detail_stock_line(client, make_product, stock, text):
    product = make_product(stock=stock)
    response = client.get(product.get_absolute_url())
    assert '<p class="stock">%s</p>' % text in response.content.decode()


@pytest.mark.parametrize('gift_wrap, text', [
    pytest.param(True, 'Gift wrap available', id='yes'),
    pytest.param(False, 'No gift wrap', id='no'),
    pytest.param(None, 'Ask us about gift wrapping', id='unknown'),
])
def test_detail_gift_wrap_line(client, make_product, gift_wrap, text):
    product = make_product(gift_wrap=gift_wrap)
    response = client.get(product.get_absolute_url())
    assert '<p class="gift-wrap">%s</p>' % text in response.content.decode()


def test_search_page(client, make_product):
    make_product(name='Blue Teapot')
    make_product(name='Red Kettle')
    response = client.get(reverse('catalog:search'), {'q': 'teapot'})
    assert [p.name for p in response.context['products']] == ['Blue Teapot']
    assert 'Nothing matches' not in response.content.decode()


def test_search_without_matches(client, product):
    response = client.get(reverse('catalog:search'), {'q': 'zebra'})
    assert 'Nothing matches &ldquo;zebra&rdquo;.' in response.content.decode()


def test_search_by_exact_sku(client, make_product):
    make_product(name='Whisk', sku='WHISK42')
    response = client.get(reverse('catalog:search'), {'q': 'whisk42'})
    assert [p.name for p in response.context['products']] == ['Whisk']


def test_ajax_search_returns_suggestions(client, make_product):
    make_product(name='Blue Teapot', price='24.50')
    response = client.get(reverse('catalog:search'), {'q': 'tea'}, **AJAX)
    assert response['Content-Type'] == 'application/json'
    assert json.loads(response.content.decode()) == {
        'query': 'tea',
        'results': [{'name': 'Blue Teapot', 'url': '/products/blue-teapot/', 'price': '24.50'}],
    }


def test_ajax_search_returns_at_most_eight(client, make_product):
    for i in range(10):
        make_product(name='Tea Towel %d' % i)
    response = client.get(reverse('catalog:search'), {'q': 'towel'}, **AJAX)
    assert len(json.loads(response.content.decode())['results']) == 8


def test_review_needs_login(client, product):
    url = reverse('catalog:add_review', kwargs={'slug': product.slug})
    response = client.post(url, {'rating': 5})
    assert response.status_code == 302
    assert response['Location'].startswith(reverse('login'))


def test_post_review(customer_client, customer, product):
    url = reverse('catalog:add_review', kwargs={'slug': product.slug})
    response = customer_client.post(url, {'rating': 4, 'comment': 'Nice'}, follow=True)
    assert response.redirect_chain[-1][0] == product.get_absolute_url()
    review = Review.objects.get()
    assert (review.author, review.rating) == (customer, 4)
    assert 'Thank you for your review.' in response.content.decode()
    assert '\u2605\u2605\u2605\u2605\u2606' in response.content.decode()


def test_second_review_is_rejected(customer_client, customer, product):
    Review.objects.create(product=product, author=customer, rating=5)
    url = reverse('catalog:add_review', kwargs={'slug': product.slug})
    response = customer_client.post(url, {'rating': 3, 'comment': 'Changed my mind'})
    assert response.status_code == 200
    assert 'You have already reviewed this product.' in response.content.decode()
    assert Review.objects.count() == 1


def test_low_rating_needs_a_comment(customer_client, product):
    url = reverse('catalog:add_review', kwargs={'slug': product.slug})
    response = customer_client.post(url, {'rating': 1, 'comment': ''})
    assert response.context['form'].errors == {'comment': ['Please tell us what went wrong.']}
    assert not Review.objects.exists()


def test_pages_link_static_files(client, db):
    response = client.get(reverse('catalog:product_list'))
    content = response.content.decode()
    assert '<link rel="stylesheet" href="/static/shop/shop.css">' in content
    assert '<script src="/static/shop/cart.js"></script>' in content


def test_manual_is_stored_with_the_default_file_storage(client, make_product):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    product = make_product(name='Espresso Machine')
    product.manual.save('espresso.pdf', ContentFile(b'%PDF-1.4 manual'))
    assert product.manual.name == 'manuals/espresso.pdf'
    assert default_storage.exists('manuals/espresso.pdf')
    with default_storage.open('manuals/espresso.pdf') as stored:
        assert stored.read() == b'%PDF-1.4 manual'
    response = client.get(product.get_absolute_url())
    assert '<a href="/media/manuals/espresso.pdf" class="manual">' in response.content.decode()
