import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from catalog.models import InsufficientStock, Product
from orders import views
from orders.cart import Cart
from orders.models import Order
from orders.services import place_order
from orders.signals import order_placed

from .conftest import FakeSession

pytestmark = pytest.mark.django_db

AJAX = {'HTTP_X_REQUESTED_WITH': 'XMLHttpRequest'}


def test_place_order_reserves_stock(make_order, product):
    make_order([(product, 3)])
    product.refresh_from_db()
    assert product.stock == 7


def test_place_order_awards_loyalty_points(make_order, product, customer):
    order = make_order([(product, 2)])
    assert order.total == Decimal('20.00')
    customer.refresh_from_db()
    assert customer.loyalty_points == 20


def test_place_order_sends_confirmation(make_order, make_product):
    mug = make_product(name='Mug', price='10.00')
    pot = make_product(name='Teapot', price='25.50')
    order = make_order([(mug, 2), (pot, 1)], gift_wrap=True)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == 'Your order %s' % order.number
    assert message.to == ['alice@example.com']
    assert '2 x Mug: 20.00 EUR' in message.body
    assert '1 x Teapot: 25.50 EUR' in message.body
    assert 'Total: 45.50 EUR' in message.body
    assert 'gift wrapped' in message.body


def test_order_placed_signal_carries_order_and_request(make_order, product, rf):
    received = []

    def listener(sender, order, request, **kwargs):
        received.append((sender, order.number, request))

    order_placed.connect(listener)
    try:
        request = rf.get('/')
        order = make_order([(product, 1)], request=request)
    finally:
        order_placed.disconnect(listener)
    assert received == [(Order, order.number, request)]


def test_cancel_restocks_and_takes_points_back(make_order, product, customer):
    order = make_order([(product, 4)])
    order.cancel()
    product.refresh_from_db()
    customer.refresh_from_db()
    assert product.stock == 10
    assert customer.loyalty_points == 0


def test_empty_cart_cannot_be_ordered(make_order):
    with pytest.raises(ValueError):
        make_order([])
    assert not Order.objects.exists()


def test_insufficient_stock(customer, product):
    cart = Cart(FakeSession())
    cart.add(product, 5)
    Product.objects.filter(pk=product.pk).update(stock=2)  # someone else was quicker
    with pytest.raises(InsufficientStock):
        place_order(customer, cart, email='a@example.com', shipping_address='a\nb')
    assert not Order.objects.exists()
    assert len(cart) == 5


def test_cart_add_redirects(client, product):
    response = client.post(reverse('orders:cart_add', args=[product.pk]), {'quantity': 2})
    assert response['Location'] == reverse('orders:cart')
    assert client.session['cart'] == {str(product.pk): 2}


def test_cart_add_ajax_answers_json(client, product):
    response = client.post(reverse('orders:cart_add', args=[product.pk]), **AJAX)
    assert response.status_code == 200
    assert json.loads(response.content.decode()) == {'count': 1, 'product': 'Enamel Mug'}


def test_cart_is_capped_at_stock(client, make_product):
    product = make_product(stock=2)
    client.post(reverse('orders:cart_add', args=[product.pk]), {'quantity': 5})
    assert client.session['cart'] == {str(product.pk): 2}


@pytest.mark.parametrize('products, summary', [
    pytest.param(1, 'One product in your cart.', id='one'),
    pytest.param(2, '2 products in your cart.', id='two'),
])
def test_cart_page_summary(client, make_product, products, summary):
    for _ in range(products):
        client.post(reverse('orders:cart_add', args=[make_product().pk]))
    response = client.get(reverse('orders:cart'))
    assert summary in response.content.decode()
    assert 'Cart (<span id="cart-count">%d</span>)' % products in response.content.decode()


def test_cart_remove(client, product):
    client.post(reverse('orders:cart_add', args=[product.pk]))
    client.post(reverse('orders:cart_remove', args=[product.pk]))
    assert client.session['cart'] == {}
    assert 'Your cart is empty.' in client.get(reverse('orders:cart')).content.decode()


def test_cart_summary_needs_ajax(client, db):
    response = client.get(reverse('orders:cart_summary'))
    assert response.status_code == 400


def test_cart_summary(client, product):
    client.post(reverse('orders:cart_add', args=[product.pk]), {'quantity': 3})
    response = client.get(reverse('orders:cart_summary'), **AJAX)
    assert json.loads(response.content.decode()) == {'count': 3, 'total': '30.00'}


def test_ajax_required_keeps_the_view_identity():
    assert views.cart_summary.__name__ == 'cart_summary'
    assert views.cart_summary.__module__ == 'orders.views'
    assert views.cart_summary.__wrapped__.__name__ == 'cart_summary'


def test_checkout_needs_login(client, db):
    response = client.get(reverse('orders:checkout'))
    assert response['Location'] == '%s?next=%s' % (reverse('login'), reverse('orders:checkout'))


def test_checkout_with_empty_cart(customer_client):
    response = customer_client.get(reverse('orders:checkout'), follow=True)
    assert response.redirect_chain[-1][0] == reverse('orders:cart')
    assert 'Your cart is empty.' in response.content.decode()


def test_checkout_places_order(customer_client, customer, product):
    customer_client.post(reverse('orders:cart_add', args=[product.pk]), {'quantity': 2})
    response = customer_client.post(reverse('orders:checkout'), {
        'email': 'alice@example.com',
        'shipping_address': '1 Main Street\nSpringfield',
        'gift_wrap': 'unknown',
        'accept_terms': 'on',
    }, follow=True)
    order = Order.objects.get()
    assert response.redirect_chain[-1][0] == order.get_absolute_url()
    assert order.user == customer
    assert order.gift_wrap is None
    assert order.total == Decimal('20.00')
    assert 'Your order %s was placed.' % order.number in response.content.decode()
    assert customer_client.session['cart'] == {}


def test_checkout_wants_address_on_two_lines(customer_client, product):
    customer_client.post(reverse('orders:cart_add', args=[product.pk]))
    response = customer_client.post(reverse('orders:checkout'), {
        'email': 'alice@example.com', 'shipping_address': 'Somewhere', 'accept_terms': 'on'})
    assert response.context['form'].errors == {
        'shipping_address': ['Please give the street and the town on separate lines.']}
    assert not Order.objects.exists()


def test_order_detail_shows_shipping_until_cancelled(customer_client, make_order, product):
    order = make_order([(product, 1)])
    response = customer_client.get(order.get_absolute_url())
    assert 'Shipping to: 1 Main Street<br>Springfield' in response.content.decode()
    assert 'Cancel this order' in response.content.decode()
    order.cancel()
    response = customer_client.get(order.get_absolute_url())
    assert 'Shipping to:' not in response.content.decode()
    assert 'Cancel this order' not in response.content.decode()
    assert '<p class="status">Cancelled</p>' in response.content.decode()


def test_orders_of_others_are_hidden(client, make_order, product, other_customer):
    order = make_order([(product, 1)])
    client.force_login(other_customer)
    assert client.get(order.get_absolute_url()).status_code == 404
    assert list(client.get(reverse('orders:order_list')).context['orders']) == []


def test_customer_cancels_order(customer_client, make_order, product):
    order = make_order([(product, 1)])
    response = customer_client.post(
        reverse('orders:order_cancel', args=[order.number]), follow=True)
    order.refresh_from_db()
    assert order.status == Order.STATUS_CANCELLED
    assert 'Order %s was cancelled.' % order.number in response.content.decode()


def test_order_list(customer_client, make_order, product):
    order = make_order([(product, 1)])
    response = customer_client.get(reverse('orders:order_list'))
    assert list(response.context['orders']) == [order]
    assert 'Pending payment' in response.content.decode()


def test_user_model_is_the_custom_one():
    assert get_user_model()._meta.label == 'accounts.User'
