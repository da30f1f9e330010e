from django.contrib import admin

from .models import Event, Venue


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ('name', 'city', 'timezone')


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ('title', 'venue', 'starts_at', 'local_starts_at', 'is_free')
    list_filter = ('venue', 'is_free')
    prepopulated_fields = {'slug': ('title',)}
