from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import python_2_unicode_compatible
from django.utils.translation import ugettext_lazy as _

from catalog.models import Product

from .signals import order_cancelled


@python_2_unicode_compatible
class Order(models.Model):
    STATUS_PENDING = 'pending'
    STATUS_PAID = 'paid'
    STATUS_SHIPPED = 'shipped'
    STATUS_CANCELLED = 'cancelled'
    STATUS_CHOICES = (
        (STATUS_PENDING, _('Pending payment')),
        (STATUS_PAID, _('Paid')),
        (STATUS_SHIPPED, _('Shipped')),
        (STATUS_CANCELLED, _('Cancelled')),
    )

    number = models.CharField(_('order number'), max_length=20, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name='orders', on_delete=models.PROTECT)
    status = models.CharField(
        _('status'), max_length=20, choices=STATUS_CHOICES, default=STATUS_PENDING)
    email = models.EmailField(_('e-mail'))
    shipping_address = models.TextField(_('shipping address'))
    gift_wrap = models.NullBooleanField(_('gift wrap'))
    total = models.DecimalField(_('total (EUR)'), max_digits=10, decimal_places=2,
                                default=Decimal('0.00'))
    created = models.DateTimeField(_('created'), default=timezone.now)

    class Meta:
        verbose_name = _('order')
        verbose_name_plural = _('orders')
        ordering = ['-created']
        index_together = [('user', 'status')]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        if not self.number:
            today = timezone.localdate(self.created)
            prefix = 'SO%s-' % today.strftime('%Y%m%d')
            count = Order.objects.filter(number__startswith=prefix).count()
            self.number = '%s%04d' % (prefix, count + 1)
        super(Order, self).save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse('orders:order_detail', kwargs={'number': self.number})

    def recalculate_total(self):
        self.total = sum((item.line_total for item in self.items.all()), Decimal('0.00'))
        return self.total

    @property
    def is_cancellable(self):
        return self.status in (self.STATUS_PENDING, self.STATUS_PAID)

    def cancel(self, reason=''):
        """Cancel the order. Only the status is written: other pending edits stay unsaved."""
        if not self.is_cancellable:
            return False
        self.status = self.STATUS_CANCELLED
        self.save(False, False, None, ['status'])
        order_cancelled.send(sender=self.__class__, order=self, reason=reason)
        return True


@python_2_unicode_compatible
class OrderItem(models.Model):
    order = models.ForeignKey(Order, related_name='items', on_delete=models.CASCADE)
    product = models.ForeignKey(Product, related_name='order_items', on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField(_('quantity'), default=1)
    unit_price = models.DecimalField(_('unit price (EUR)'), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _('order item')

    def __str__(self):
        return '%d x %s' % (self.quantity, self.product)

    @property
    def line_total(self):
        return self.unit_price * self.quantity
