from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from catalog.models import Category, Product
from orders.cart import Cart
from orders.services import place_order


@pytest.fixture
def category(db):
    return Category.objects.create(name='Kitchen', slug='kitchen')


@pytest.fixture
def make_product(category):
    counter = {'n': 0}

    def make(name=None, price='10.00', stock=10, **kwargs):
        counter['n'] += 1
        kwargs.setdefault('category', category)
        kwargs.setdefault('sku', 'SKU%03d' % counter['n'])
        return Product.objects.create(
            name=name or 'Product %d' % counter['n'], price=Decimal(price), stock=stock, **kwargs)
    return make


@pytest.fixture
def product(make_product):
    return make_product(name='Enamel Mug', price='10.00', stock=10, description='Holds tea.')


@pytest.fixture
def customer(django_user_model):
    return django_user_model.objects.create_user(
        'alice', 'alice@example.com', 'correct-horse', first_name='Alice', last_name='Liddell')


@pytest.fixture
def other_customer(django_user_model):
    return django_user_model.objects.create_user('bob', 'bob@example.com', 'battery-staple')


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser('admin', 'admin@example.com', 'admin-pass')


@pytest.fixture
def customer_client(client, customer):
    client.force_login(customer)
    return client


@pytest.fixture
def api_client():
    return APIClient()


class FakeSession(dict):
    modified = False


@pytest.fixture
def make_order(customer):
    def make(lines, user=None, **kwargs):
        cart = Cart(FakeSession())
        for product, quantity in lines:
            cart.add(product, quantity)
        kwargs.setdefault('email', 'alice@example.com')
        kwargs.setdefault('shipping_address', '1 Main Street\nSpringfield')
        return place_order(user or customer, cart, **kwargs)
    return make
