from django.contrib import admin
from django.utils.translation import ugettext_lazy as _, ungettext

from .forms import ProductAdminForm
from .models import Category, Product, Review


class ReviewInline(admin.TabularInline):
    model = Review
    extra = 0
    readonly_fields = ('author', 'rating', 'comment', 'created')
    can_delete = True


class StockLevelFilter(admin.SimpleListFilter):
    title = _('stock level')
    parameter_name = 'stock_level'

    def lookups(self, request, model_admin):
        return (
            ('out', _('Sold out')),
            ('low', _('Low (under 5)')),
            ('ok', _('In stock')),
        )

    def queryset(self, request, queryset):
        if self.value() == 'out':
            return queryset.filter(stock=0)
        if self.value() == 'low':
            return queryset.filter(stock__gt=0, stock__lt=5)
        if self.value() == 'ok':
            return queryset.filter(stock__gte=5)
        return queryset


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ('name', 'slug', 'parent')
    prepopulated_fields = {'slug': ('name',)}


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    form = ProductAdminForm
    list_display = ('name', 'sku', 'category', 'price', 'stock', 'is_active', 'gift_wrap')
    list_editable = ('price', 'stock')
    list_filter = ('is_active', 'category', StockLevelFilter, 'gift_wrap')
    search_fields = ('name', 'sku')
    prepopulated_fields = {'slug': ('name',)}
    inlines = [ReviewInline]
    actions = ['deactivate']
    change_list_template = 'admin/catalog/product/change_list.html'

    def deactivate(self, request, queryset):
        count = queryset.update(is_active=False)
        self.message_user(request, ungettext(
            '%(count)d product was deactivated.',
            '%(count)d products were deactivated.',
            count) % {'count': count})
    deactivate.short_description = _('Deactivate selected products')


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ('product', 'author', 'rating', 'created')
    list_filter = ('rating',)
