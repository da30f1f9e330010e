from django.conf.urls import url

from . import views

app_name = 'catalog'
urlpatterns = [
    url(r'^$', views.ProductListView.as_view(), name='product_list'),
    url(r'^search/$', views.search, name='search'),
    url(r'^category/(?P<slug>[-\w]+)/$', views.ProductListView.as_view(), name='category'),
    url(r'^products/(?P<slug>[-\w]+)/$', views.ProductDetailView.as_view(),
        name='product_detail'),
    url(r'^products/(?P<slug>[-\w]+)/review/$', views.add_review, name='add_review'),
]
