from django.conf.urls import url

from . import feeds, views

app_name = 'articles'

DATE = r'(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})'

urlpatterns = [
    url(r'^$', views.HomeView.as_view(), name='home'),
    url(r'^search/$', views.search, name='search'),
    url(r'^feed/$', feeds.LatestArticlesFeed(), name='feed'),
    url(r'^section/(?P<slug>[-\w]+)/$', views.SectionView.as_view(), name='section'),
    url(r'^%s/$' % DATE, views.archive_day, name='archive_day'),
    url(r'^%s/(?P<slug>[-\w]+)/$' % DATE, views.article_detail, name='detail'),
    url(r'^%s/(?P<slug>[-\w]+)/comment/$' % DATE, views.add_comment, name='add_comment'),
]
