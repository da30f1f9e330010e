from django.contrib import admin
from django.utils.translation import ugettext_lazy as _, ungettext

from .models import Order, OrderItem


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    extra = 0
    readonly_fields = ('product', 'quantity', 'unit_price')


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ('number', 'user', 'status', 'total', 'gift_wrap', 'created')
    list_filter = ('status', 'gift_wrap', 'created')
    search_fields = ('number', 'email', 'user__username')
    readonly_fields = ('number', 'total', 'created')
    date_hierarchy = 'created'
    inlines = [OrderItemInline]
    actions = ['cancel_orders']

    def cancel_orders(self, request, queryset):
        cancelled = sum(1 for order in queryset if order.cancel(reason='admin'))
        self.message_user(request, ungettext(
            '%(count)d order was cancelled.',
            '%(count)d orders were cancelled.',
            cancelled) % {'count': cancelled})
    cancel_orders.short_description = _('Cancel selected orders (restocks items)')
