import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from catalog.models import Product
from orders.models import Order

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def test_product_changelist_has_shop_styles_and_tools(admin_client, product):
    response = admin_client.get(reverse('admin:catalog_product_changelist'))
    content = response.content.decode()
    assert response.status_code == 200
    assert '<link rel="stylesheet" type="text/css" href="/static/shop/admin.css">' in content
    assert 'href="/api/products/low_stock/" class="low-stock-link"' in content
    assert 'Enamel Mug' in content


@pytest.mark.parametrize('level, expected', [
    pytest.param('out', ['Sold Out Pot'], id='sold-out'),
    pytest.param('low', ['Low Jug'], id='low'),
    pytest.param('ok', ['Enamel Mug'], id='ok'),
])
def test_stock_level_filter(admin_client, product, make_product, level, expected):
    make_product(name='Sold Out Pot', stock=0)
    make_product(name='Low Jug', stock=2)
    response = admin_client.get(
        reverse('admin:catalog_product_changelist'), {'stock_level': level})
    assert [p.name for p in response.context['cl'].result_list] == expected


@pytest.mark.parametrize('count, message', [
    pytest.param(1, '1 product was deactivated.', id='singular'),
    pytest.param(2, '2 products were deactivated.', id='plural'),
])
def test_deactivate_action(admin_client, make_product, count, message):
    products = [make_product() for _ in range(count)]
    response = admin_client.post(reverse('admin:catalog_product_changelist'), {
        'action': 'deactivate', '_selected_action': [p.pk for p in products]})
    assert response.status_code == 302
    assert not Product.objects.filter(is_active=True).exists()
    assert [m.message for m in get_messages(response.wsgi_request)] == [message]


def test_sku_is_normalised_in_admin(admin_client, category):
    response = admin_client.post(reverse('admin:catalog_product_add'), {
        'category': category.pk, 'name': 'Ladle', 'slug': 'ladle', 'sku': ' ladle7 ',
        'price': '4.00', 'stock': '3', 'is_active': 'on', 'gift_wrap': 'unknown',
        'reviews-TOTAL_FORMS': '0', 'reviews-INITIAL_FORMS': '0',
        'reviews-MIN_NUM_FORMS': '0', 'reviews-MAX_NUM_FORMS': '1000',
    })
    assert response.status_code == 302, response.context['adminform'].form.errors
    assert Product.objects.get(slug='ladle').sku == 'LADLE7'


def test_cancel_orders_action_restocks(admin_client, make_order, product):
    order = make_order([(product, 4)])
    admin_client.post(reverse('admin:orders_order_changelist'), {
        'action': 'cancel_orders', '_selected_action': [order.pk]})
    order.refresh_from_db()
    product.refresh_from_db()
    assert order.status == Order.STATUS_CANCELLED
    assert product.stock == 10


def test_customer_admin_shows_shop_fields(admin_client, customer):
    response = admin_client.get(reverse('admin:accounts_user_change', args=[customer.pk]))
    content = response.content.decode()
    assert 'name="loyalty_points"' in content
    assert 'name="marketing_opt_in"' in content
