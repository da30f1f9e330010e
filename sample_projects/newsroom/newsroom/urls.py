"""newsroom URL Configuration"""
from django.conf import settings
from django.conf.urls import include, url
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import GenericSitemap
from django.contrib.sitemaps.views import sitemap

from articles.models import Article

sitemaps = {
    'articles': GenericSitemap(
        {'queryset': Article.objects.filter(status=Article.STATUS_PUBLISHED),
         'date_field': 'updated_at'}, priority=0.6),
}

urlpatterns = [
    url(r'^', include('articles.urls')),
    url(r'^events/', include('events.urls')),
    url(r'^sitemap\.xml$', sitemap, {'sitemaps': sitemaps},
        name='django.contrib.sitemaps.views.sitemap'),
    url(r'^admin/', admin.site.urls),
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
