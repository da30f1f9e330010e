from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import F
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.translation import ugettext as _

from catalog.models import Product

from .signals import order_cancelled, order_placed


@receiver(order_placed)
def reserve_stock(sender, order, **kwargs):
    for item in order.items.all():
        Product.objects.filter(pk=item.product_id).update(stock=F('stock') - item.quantity)


@receiver(order_placed)
def award_loyalty_points(sender, order, **kwargs):
    points = int((order.total * settings.SHOP_LOYALTY_POINTS_PER_EURO).to_integral_value(
        rounding=ROUND_DOWN))
    get_user_model().objects.filter(pk=order.user_id).update(
        loyalty_points=F('loyalty_points') + points)


@receiver(order_placed)
def send_confirmation(sender, order, request=None, **kwargs):
    body = render_to_string('orders/email/confirmation.txt', {'order': order}, request=request)
    send_mail(_('Your order %(number)s') % {'number': order.number}, body,
              settings.DEFAULT_FROM_EMAIL, [order.email])


@receiver(order_cancelled)
def restock(sender, order, **kwargs):
    for item in order.items.all():
        Product.objects.filter(pk=item.product_id).update(stock=F('stock') + item.quantity)
    points = int(Decimal(order.total).to_integral_value(rounding=ROUND_DOWN))
    get_user_model().objects.filter(pk=order.user_id, loyalty_points__gte=points).update(
        loyalty_points=F('loyalty_points') - points)
