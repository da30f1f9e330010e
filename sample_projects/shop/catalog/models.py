from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.encoding import python_2_unicode_compatible
from django.utils.text import slugify
from django.utils.translation import ugettext_lazy as _


class InsufficientStock(Exception):
    pass


@python_2_unicode_compatible
class Category(models.Model):
    name = models.CharField(_('name'), max_length=100)
    slug = models.SlugField(_('slug'), unique=True)
    parent = models.ForeignKey(
        'self', null=True, blank=True, related_name='children', on_delete=models.CASCADE)

    class Meta:
        verbose_name = _('category')
        verbose_name_plural = _('categories')
        ordering = ['name']

    def __str__(self):
        if self.parent_id:
            return '%s / %s' % (self.parent, self.name)
        return self.name

    def get_absolute_url(self):
        return reverse('catalog:category', kwargs={'slug': self.slug})


class ProductQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def in_stock(self):
        return self.filter(stock__gt=0)


@python_2_unicode_compatible
class Product(models.Model):
    category = models.ForeignKey(
        Category, related_name='products', on_delete=models.PROTECT, verbose_name=_('category'))
    name = models.CharField(_('name'), max_length=200)
    slug = models.SlugField(_('slug'), unique=True, blank=True)
    sku = models.CharField(_('SKU'), max_length=32, unique=True)
    description = models.TextField(_('description'), blank=True)
    price = models.DecimalField(_('price (EUR)'), max_digits=10, decimal_places=2)
    stock = models.PositiveIntegerField(_('stock'), default=0)
    is_active = models.BooleanField(_('active'), default=True)
    # None: not decided by the buyer's team yet; shown as "ask us" in the shop.
    gift_wrap = models.NullBooleanField(_('gift wrap available'))
    manual = models.FileField(_('manual (PDF)'), upload_to='manuals/', blank=True)
    created = models.DateTimeField(_('created'), auto_now_add=True)
    updated = models.DateTimeField(_('updated'), auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _('product')
        verbose_name_plural = _('products')
        ordering = ['name']
        index_together = [
            ('category', 'is_active'),
            ('is_active', 'price'),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super(Product, self).save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse('catalog:product_detail', kwargs={'slug': self.slug})

    @property
    def in_stock(self):
        return self.stock > 0

    def average_rating(self):
        ratings = [review.rating for review in self.reviews.all()]
        if not ratings:
            return None
        return (Decimal(sum(ratings)) / len(ratings)).quantize(Decimal('0.1'))


@python_2_unicode_compatible
class Review(models.Model):
    product = models.ForeignKey(Product, related_name='reviews', on_delete=models.CASCADE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name='reviews', on_delete=models.CASCADE)
    rating = models.PositiveSmallIntegerField(
        _('rating'), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_('comment'), blank=True)
    created = models.DateTimeField(_('created'), auto_now_add=True)

    class Meta:
        ordering = ['-created']
        unique_together = [('product', 'author')]
        index_together = [('product', 'created')]

    def __str__(self):
        return '%s on %s (%d/5)' % (self.author, self.product, self.rating)
