from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.utils import timezone

from catalog.models import Category, Product, Review
from orders.models import Order, OrderItem
from orders.signals import order_cancelled


class CatalogModelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.kitchen = Category.objects.create(name='Kitchen', slug='kitchen')
        cls.cups = Category.objects.create(name='Cups', slug='cups', parent=cls.kitchen)
        cls.mug = Product.objects.create(
            category=cls.cups, name='Enamel Mug', sku='MUG1', price=Decimal('10.00'), stock=3)
        cls.pan = Product.objects.create(
            category=cls.kitchen, name='Frying Pan', sku='PAN1', price=Decimal('30.00'),
            stock=0)
        cls.old = Product.objects.create(
            category=cls.kitchen, name='Butter Churn', sku='OLD1', price=Decimal('99.00'),
            stock=1, is_active=False)

    def test_slug_is_made_from_the_name(self):
        self.assertEquals(self.mug.slug, 'enamel-mug')

    def test_explicit_slug_is_kept(self):
        product = Product.objects.create(
            category=self.kitchen, name='Tea Pot', slug='teapot', sku='POT1', price=1)
        self.assertEquals(product.slug, 'teapot')

    def test_active_queryset(self):
        self.assertQuerysetEqual(
            Product.objects.active(), ['<Product: Enamel Mug>', '<Product: Frying Pan>'])

    def test_in_stock_queryset(self):
        self.assertQuerysetEqual(
            Product.objects.active().in_stock(), ['<Product: Enamel Mug>'])

    def test_category_str_includes_parent(self):
        self.assertEquals(str(self.cups), 'Kitchen / Cups')
        self.assertEquals(str(self.kitchen), 'Kitchen')

    def test_average_rating(self):
        self.assertIsNone(self.mug.average_rating())
        user_model = get_user_model()
        for name, rating in (('a', 5), ('b', 4), ('c', 4)):
            Review.objects.create(
                product=self.mug, author=user_model.objects.create_user(name), rating=rating)
        self.assertEquals(self.mug.average_rating(), Decimal('4.3'))

    def test_gift_wrap_keeps_unknown_apart_from_no(self):
        Product.objects.filter(pk=self.mug.pk).update(gift_wrap=False)
        self.assertQuerysetEqual(
            Product.objects.filter(gift_wrap__isnull=True).order_by('sku'),
            ['<Product: Butter Churn>', '<Product: Frying Pan>'])
        self.assertQuerysetEqual(Product.objects.filter(gift_wrap=False), ['<Product: Enamel Mug>'])


class CustomerModelTests(TestCase):
    def test_str_prefers_full_name(self):
        user = get_user_model().objects.create_user('jdoe', first_name='Jane', last_name='Doe')
        self.assertEquals(str(user), 'Jane Doe')
        self.assertEquals(str(get_user_model().objects.create_user('anon')), 'anon')

    def test_marketing_question_until_answered(self):
        user = get_user_model().objects.create_user('jdoe')
        self.assertTrue(user.needs_marketing_question)
        user.marketing_opt_in = False
        user.save()
        user.refresh_from_db()
        self.assertIs(user.marketing_opt_in, False)
        self.assertFalse(user.needs_marketing_question)


class OrderModelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_user('buyer', 'buyer@example.com')
        category = Category.objects.create(name='Kitchen', slug='kitchen')
        cls.mug = Product.objects.create(
            category=category, name='Mug', sku='MUG1', price=Decimal('10.00'), stock=3)

    def make_order(self, **kwargs):
        kwargs.setdefault('user', self.user)
        kwargs.setdefault('email', 'buyer@example.com')
        kwargs.setdefault('shipping_address', '1 Main St\nTown')
        return Order.objects.create(**kwargs)

    def test_numbers_are_sequential_per_day(self):
        created = timezone.now()
        first = self.make_order(created=created)
        second = self.make_order(created=created)
        prefix = 'SO%s-' % timezone.localdate(created).strftime('%Y%m%d')
        self.assertEquals(first.number, prefix + '0001')
        self.assertEquals(second.number, prefix + '0002')
        self.assertEquals(str(second), second.number)

    def test_number_is_not_regenerated(self):
        order = self.make_order()
        number = order.number
        order.save()
        self.assertEquals(order.number, number)

    def test_recalculate_total(self):
        order = self.make_order()
        OrderItem.objects.create(order=order, product=self.mug, quantity=3, unit_price='10.00')
        self.assertEquals(order.recalculate_total(), Decimal('30.00'))

    def test_cancel_only_writes_the_status(self):
        order = self.make_order()
        order.email = 'not-saved@example.com'
        self.assertTrue(order.cancel())
        order.refresh_from_db()
        self.assertEquals(order.status, Order.STATUS_CANCELLED)
        self.assertEquals(order.email, 'buyer@example.com')

    def test_shipped_order_cannot_be_cancelled(self):
        order = self.make_order(status=Order.STATUS_SHIPPED)
        self.assertFalse(order.cancel())
        order.refresh_from_db()
        self.assertEquals(order.status, Order.STATUS_SHIPPED)

    def test_cancel_sends_signal_with_reason(self):
        received = []

        def listener(sender, order, reason, **kwargs):
            received.append((sender, order.pk, reason))

        order_cancelled.connect(listener)
        self.addCleanup(order_cancelled.disconnect, listener)
        order = self.make_order()
        order.cancel(reason='customer')
        self.assertEquals(received, [(Order, order.pk, 'customer')])

    def test_pending_orders_by_user_and_status(self):
        paid = self.make_order(status=Order.STATUS_PAID, created=timezone.now())
        self.make_order(status=Order.STATUS_PENDING, created=timezone.now() - timedelta(days=1))
        self.assertQuerysetEqual(
            Order.objects.filter(user=self.user, status=Order.STATUS_PAID),
            [paid.number], transform=str)
