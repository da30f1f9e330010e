from decimal import Decimal

from catalog.models import Product

CART_SESSION_KEY = 'cart'


class Cart(object):
    """A cart kept in the session: {product id (str): quantity}."""

    def __init__(self, session):
        self.session = session
        self.lines = session.get(CART_SESSION_KEY, {})

    def add(self, product, quantity=1):
        key = str(product.pk)
        self.lines[key] = min(self.lines.get(key, 0) + quantity, product.stock)
        if self.lines[key] <= 0:
            del self.lines[key]
        self.save()

    def remove(self, product):
        self.lines.pop(str(product.pk), None)
        self.save()

    def clear(self):
        self.lines = {}
        self.save()

    def save(self):
        self.session[CART_SESSION_KEY] = self.lines
        self.session.modified = True

    def items(self):
        products = Product.objects.active().in_bulk([int(pk) for pk in self.lines])
        for pk, quantity in sorted(self.lines.items()):
            product = products.get(int(pk))
            if product is not None:
                yield product, quantity, product.price * quantity

    def __len__(self):
        return sum(self.lines.values())

    @property
    def total(self):
        return sum((line for _, _, line in self.items()), Decimal('0.00'))
