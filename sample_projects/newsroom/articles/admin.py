from django.contrib import admin
from django.utils import timezone

from .models import Article, Author, Comment, Section


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ('name', 'slug', 'position', 'comments_by_default')
    list_editable = ('position',)
    prepopulated_fields = {'slug': ('name',)}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    prepopulated_fields = {'slug': ('name',)}


class CommentInline(admin.TabularInline):
    model = Comment
    extra = 0


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ('title', 'section', 'status', 'published_at', 'comments_enabled')
    list_filter = ('status', 'section', 'comments_enabled')
    search_fields = ('title', 'standfirst')
    date_hierarchy = 'published_at'
    prepopulated_fields = {'slug': ('title',)}
    filter_horizontal = ('authors',)
    inlines = [CommentInline]
    actions = ['publish_now']

    def publish_now(self, request, queryset):
        count = queryset.update(status=Article.STATUS_PUBLISHED, published_at=timezone.now())
        self.message_user(request, '%d article(s) published.' % count)
    publish_now.short_description = 'Publish now'
