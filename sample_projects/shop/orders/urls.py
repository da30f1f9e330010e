from django.conf.urls import url

from . import views

app_name = 'orders'
urlpatterns = [
    url(r'^cart/$', views.cart_detail, name='cart'),
    url(r'^cart/summary/$', views.cart_summary, name='cart_summary'),
    url(r'^cart/add/(?P<product_id>\d+)/$', views.cart_add, name='cart_add'),
    url(r'^cart/remove/(?P<product_id>\d+)/$', views.cart_remove, name='cart_remove'),
    url(r'^checkout/$', views.CheckoutView.as_view(), name='checkout'),
    url(r'^orders/$', views.OrderListView.as_view(), name='order_list'),
    url(r'^orders/(?P<number>[-\w]+)/$', views.OrderDetailView.as_view(), name='order_detail'),
    url(r'^orders/(?P<number>[-\w]+)/cancel/$', views.order_cancel, name='order_cancel'),
]
