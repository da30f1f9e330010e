import datetime

import pytz

from articles.models import Article, Author, Section


def utc(*args):
    return datetime.datetime(*args, tzinfo=pytz.utc)


def make_section(name='World', slug=None, **kwargs):
    return Section.objects.create(name=name, slug=slug or name.lower(), **kwargs)


def make_article(section, title='A headline', published_at=None, authors=(), **kwargs):
    kwargs.setdefault('body', 'First paragraph.\n\nSecond paragraph.')
    kwargs.setdefault('status', Article.STATUS_PUBLISHED)
    article = Article.objects.create(
        section=section, title=title, published_at=published_at, **kwargs)
    for name in authors:
        author, _ = Author.objects.get_or_create(
            name=name, defaults={'slug': name.lower().replace(' ', '-')})
        article.authors.add(author)
    return article
