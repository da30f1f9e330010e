from django.db import transaction

from catalog.models import InsufficientStock

from .models import Order, OrderItem
from .signals import order_placed


@transaction.atomic
def place_order(user, cart, email, shipping_address, gift_wrap=None, request=None):
    lines = list(cart.items())
    if not lines:
        raise ValueError('The cart is empty.')
    for product, quantity, _line_total in lines:
        if quantity > product.stock:
            raise InsufficientStock(product.name)
    order = Order.objects.create(
        user=user, email=email, shipping_address=shipping_address, gift_wrap=gift_wrap)
    for product, quantity, _line_total in lines:
        OrderItem.objects.create(
            order=order, product=product, quantity=quantity, unit_price=product.price)
    order.recalculate_total()
    order.save(update_fields=['total'])
    order_placed.send(sender=Order, order=order, request=request)
    cart.clear()
    return order
