from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.encoding import force_text
from django.utils.translation import ugettext_lazy as _


class User(AbstractUser):
    phone = models.CharField(_('phone number'), max_length=32, blank=True)
    # None means "never asked": the checkout page asks once.
    marketing_opt_in = models.NullBooleanField(_('marketing e-mails'))
    loyalty_points = models.PositiveIntegerField(_('loyalty points'), default=0)

    class Meta(AbstractUser.Meta):
        swappable = 'AUTH_USER_MODEL'
        verbose_name = _('customer')
        verbose_name_plural = _('customers')

    def __str__(self):
        return force_text(self.get_full_name() or self.username)

    @property
    def needs_marketing_question(self):
        return self.marketing_opt_in is None


class NewsletterSubscription(models.Model):
    email = models.EmailField(_('e-mail address'), unique=True)
    source = models.CharField(_('source'), max_length=50, blank=True)
    created = models.DateTimeField(_('subscribed at'), auto_now_add=True)

    class Meta:
        verbose_name = _('newsletter subscription')
        ordering = ['-created']

    def __str__(self):
        return self.email
