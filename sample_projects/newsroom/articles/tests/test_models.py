from django.test import TestCase
from django.utils import timezone

from articles.models import Article

from .factories import make_article, make_section, utc


class ArticleModelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_section('World', comments_by_default=True)
        cls.opinion = make_section('Opinion', comments_by_default=False)

    def test_slug_from_title(self):
        article = make_article(self.world, title='Storm hits the coast', published_at=utc(2019, 1, 2))
        self.assertEquals(article.slug, 'storm-hits-the-coast')
        self.assertEquals(str(article), 'Storm hits the coast')

    def test_publishing_sets_the_date(self):
        before = timezone.now()
        article = make_article(self.world)
        self.assertGreaterEqual(article.published_at, before)

    def test_drafts_keep_no_date(self):
        article = make_article(self.world, status=Article.STATUS_DRAFT)
        self.assertIsNone(article.published_at)

    def test_published_queryset(self):
        make_article(self.world, title='Old news', published_at=utc(2019, 1, 1))
        make_article(self.world, title='Newer news', published_at=utc(2019, 2, 1))
        make_article(self.world, title='Embargoed', published_at=utc(2099, 1, 1))
        make_article(self.world, title='Draft', status=Article.STATUS_DRAFT)
        self.assertQuerysetEqual(
            Article.objects.published(), ['<Article: Newer news>', '<Article: Old news>'])

    def test_url_uses_the_newsroom_date(self):
        # 04:30 UTC on March 10 is still March 9 in New York.
        article = make_article(self.world, title='Late edition', published_at=utc(2019, 3, 10, 4, 30))
        self.assertEquals(article.get_absolute_url(), '/2019/03/09/late-edition/')
        self.assertEquals(article.get_comment_url(), '/2019/03/09/late-edition/comment/')

    def test_url_ignores_the_reader_zone(self):
        article = make_article(self.world, title='Late edition', published_at=utc(2019, 3, 10, 4, 30))
        with timezone.override('Asia/Kolkata'):
            self.assertEquals(article.get_absolute_url(), '/2019/03/09/late-edition/')

    def test_comments_follow_the_section_unless_set(self):
        news = make_article(self.world, title='News')
        column = make_article(self.opinion, title='Column')
        self.assertTrue(news.comments_open)
        self.assertFalse(column.comments_open)
        column.comments_enabled = True
        news.comments_enabled = False
        self.assertTrue(column.comments_open)
        self.assertFalse(news.comments_open)

    def test_comments_enabled_stores_three_states(self):
        for value in (None, True, False):
            article = make_article(self.world, title='Three %s' % value, comments_enabled=value)
            article.refresh_from_db()
            self.assertIs(article.comments_enabled, value)

    def test_byline(self):
        self.assertEquals(make_article(self.world, title='A').byline(), '')
        self.assertEquals(make_article(self.world, title='B', authors=['Ann Lee']).byline(), 'Ann Lee')
        article = make_article(self.world, title='C', authors=['Ann Lee', 'Bo Chen', 'Cy Diaz'])
        self.assertEquals(sorted(article.byline().replace(' and ', ', ').split(', ')),
                          ['Ann Lee', 'Bo Chen', 'Cy Diaz'])
        self.assertIn(' and ', article.byline())
