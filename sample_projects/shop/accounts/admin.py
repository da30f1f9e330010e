from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import ugettext_lazy as _

from .models import NewsletterSubscription, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        (_('Shop'), {'fields': ('phone', 'marketing_opt_in', 'loyalty_points')}),
    )
    list_display = ('username', 'email', 'first_name', 'last_name', 'loyalty_points',
                    'marketing_opt_in', 'is_staff')
    list_filter = BaseUserAdmin.list_filter + ('marketing_opt_in',)


@admin.register(NewsletterSubscription)
class NewsletterSubscriptionAdmin(admin.ModelAdmin):
    list_display = ('email', 'source', 'created')
    search_fields = ('email',)
