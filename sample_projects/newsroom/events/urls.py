from django.conf.urls import url

from . import views

app_name = 'events'
urlpatterns = [
    url(r'^$', views.event_list, name='list'),
    url(r'^new/$', views.event_create, name='create'),
    url(r'^timezone/$', views.set_reader_timezone, name='set_timezone'),
    url(r'^(?P<slug>[-\w]+)/$', views.event_detail, name='detail'),
    url(r'^(?P<slug>[-\w]+)\.ics$', views.event_ics, name='ics'),
]
