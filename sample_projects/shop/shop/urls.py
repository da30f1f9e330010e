"""shop URL Configuration"""
from django.conf import settings
from django.conf.urls import include, url
from django.conf.urls.static import static
from django.contrib import admin
from rest_framework import routers

from catalog import api as catalog_api
from orders import api as orders_api

router = routers.DefaultRouter()
router.register(r'products', catalog_api.ProductViewSet, base_name='product')
router.register(r'categories', catalog_api.CategoryViewSet)
router.register(r'orders', orders_api.OrderViewSet, base_name='order')

admin.site.site_header = 'Shop administration'
admin.site.site_title = 'Shop admin'

urlpatterns = [
    url(r'^', include('catalog.urls')),
    url(r'^', include('orders.urls')),
    url(r'^accounts/', include('accounts.urls')),
    url(r'^api/', include(router.urls)),
    url(r'^api-auth/', include('rest_framework.urls')),
    url(r'^admin/', admin.site.urls),
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
