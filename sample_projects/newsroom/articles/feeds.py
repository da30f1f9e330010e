from django.contrib.syndication.views import Feed
from django.utils.encoding import smart_text

from .models import Article


class LatestArticlesFeed(Feed):
    title = 'The Daily Meridian'
    link = '/'
    description = 'The latest stories from The Daily Meridian.'

    def items(self):
        return Article.objects.published().prefetch_related('authors')[:20]

    def item_title(self, item):
        return smart_text(item.title)

    def item_description(self, item):
        return item.standfirst

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.byline() or None
