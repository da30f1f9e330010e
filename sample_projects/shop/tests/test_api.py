import pytest
from django.urls import reverse

from catalog.models import Category, Review
from orders.models import Order

pytestmark = pytest.mark.django_db


def names(response):
    return sorted(item['name'] for item in response.data['results'])


def test_product_list_is_public(api_client, make_product):
    make_product(name='Kettle', price='35.00')
    make_product(name='Retired', is_active=False)
    response = api_client.get(reverse('product-list'))
    assert response.status_code == 200
    assert response.data['count'] == 1
    item = response.data['results'][0]
    assert (item['name'], item['price'], item['category'], item['in_stock']) == (
        'Kettle', '35.00', 'kitchen', True)


def test_staff_see_inactive_products(api_client, staff, make_product):
    make_product(name='Retired', is_active=False)
    api_client.force_authenticate(staff)
    assert names(api_client.get(reverse('product-list'))) == ['Retired']


@pytest.mark.parametrize('params, expected', [
    pytest.param({'min_price': '10'}, ['Kettle', 'Toaster'], id='min-price'),
    pytest.param({'max_price': '10'}, ['Mug', 'Toaster'], id='max-price'),
    pytest.param({'min_price': '5', 'max_price': '10'}, ['Toaster'], id='price-range'),
    pytest.param({'category': 'garden'}, ['Kettle'], id='category-slug'),
    pytest.param({'in_stock': 'false'}, ['Mug'], id='sold-out'),
    pytest.param({'in_stock': 'true'}, ['Kettle', 'Toaster'], id='in-stock'),
    pytest.param({'gift_wrap': 'true'}, ['Toaster'], id='gift-wrap'),
])
def test_product_filters(api_client, make_product, params, expected):
    garden = Category.objects.create(name='Garden', slug='garden')
    make_product(name='Mug', price='4.00', stock=0)
    make_product(name='Toaster', price='10.00', stock=2, gift_wrap=True)
    make_product(name='Kettle', price='35.00', stock=8, category=garden)
    response = api_client.get(reverse('product-list'), params)
    assert names(response) == expected


def test_low_stock_list_route(api_client, make_product):
    make_product(name='Mug', stock=1)
    make_product(name='Toaster', stock=4)
    make_product(name='Kettle', stock=9)
    response = api_client.get(reverse('product-low-stock'))
    assert sorted(p['name'] for p in response.data) == ['Mug', 'Toaster']
    response = api_client.get(reverse('product-low-stock'), {'threshold': 2})
    assert [p['name'] for p in response.data] == ['Mug']


def test_low_stock_rejects_bad_threshold(api_client, db):
    response = api_client.get(reverse('product-low-stock'), {'threshold': 'few'})
    assert response.status_code == 400


def test_low_stock_url():
    assert reverse('product-low-stock') == '/api/products/low_stock/'


def test_reviews_detail_route(api_client, product, customer):
    Review.objects.create(product=product, author=customer, rating=4, comment='Fine')
    response = api_client.get(reverse('product-reviews', args=[product.pk]))
    assert response.status_code == 200
    assert [(r['author'], r['rating']) for r in response.data] == [('Alice Liddell', 4)]


def test_posting_a_review_needs_login(api_client, product):
    response = api_client.post(reverse('product-reviews', args=[product.pk]), {'rating': 5})
    assert response.status_code in (401, 403)
    assert not Review.objects.exists()


def test_post_review(api_client, product, customer):
    api_client.force_authenticate(customer)
    url = reverse('product-reviews', args=[product.pk])
    response = api_client.post(url, {'rating': 5, 'comment': 'Great'})
    assert response.status_code == 201
    assert Review.objects.get().author == customer
    response = api_client.post(url, {'rating': 1, 'comment': 'Again'})
    assert response.status_code == 400


def test_only_staff_create_products(api_client, customer, staff, category):
    data = {'name': 'Sieve', 'sku': 'SIEVE1', 'category': 'kitchen', 'price': '3.50', 'stock': 5}
    api_client.force_authenticate(customer)
    assert api_client.post(reverse('product-list'), data).status_code == 403
    api_client.force_authenticate(staff)
    response = api_client.post(reverse('product-list'), data)
    assert response.status_code == 201
    assert response.data['slug'] == 'sieve'


def test_categories_filter_by_parent(api_client, category):
    Category.objects.create(name='Cups', slug='cups', parent=category)
    Category.objects.create(name='Garden', slug='garden')
    response = api_client.get(reverse('category-list'), {'parent': category.pk})
    assert [c['display_name'] for c in response.data['results']] == ['Kitchen / Cups']


def test_orders_need_login(api_client, db):
    assert api_client.get(reverse('order-list')).status_code in (401, 403)


def test_orders_are_private_and_filterable(
        api_client, make_order, product, customer, other_customer):
    mine = make_order([(product, 1)])
    paid = make_order([(product, 2)])
    Order.objects.filter(pk=paid.pk).update(status=Order.STATUS_PAID)
    make_order([(product, 1)], user=other_customer)
    api_client.force_authenticate(customer)
    response = api_client.get(reverse('order-list'))
    assert sorted(o['number'] for o in response.data['results']) == sorted(
        [mine.number, paid.number])
    response = api_client.get(reverse('order-list'), {'status': 'paid'})
    assert [o['number'] for o in response.data['results']] == [paid.number]
    assert response.data['results'][0]['items'] == [
        {'product': 'SKU001', 'quantity': 2, 'unit_price': '10.00'}]


def test_cancel_detail_route(api_client, make_order, product, customer):
    order = make_order([(product, 3)])
    api_client.force_authenticate(customer)
    url = reverse('order-cancel', kwargs={'number': order.number})
    assert url == '/api/orders/%s/cancel/' % order.number
    response = api_client.post(url, {'reason': 'changed my mind'})
    assert response.status_code == 200
    assert response.data['status'] == 'cancelled'
    product.refresh_from_db()
    assert product.stock == 10
    assert api_client.post(url).status_code == 409
