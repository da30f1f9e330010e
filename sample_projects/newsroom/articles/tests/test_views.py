import json

from django.test import TestCase
from django.urls import reverse

from articles.models import Comment

from .factories import make_article, make_section, utc

AJAX = {'HTTP_X_REQUESTED_WITH': 'XMLHttpRequest'}


class PageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_section('World', position=1)
        cls.sport = make_section('Sport', position=2)
        cls.storm = make_article(
            cls.world, title='Storm hits the coast', standfirst='Thousands without power.',
            published_at=utc(2019, 7, 4, 16, 0), authors=['Ann Lee'])
        cls.match = make_article(cls.sport, title='Late winner', published_at=utc(2019, 7, 5, 2, 0))

    def test_home_lists_latest_first(self):
        response = self.client.get(reverse('articles:home'))
        self.assertEquals(list(response.context['articles']), [self.match, self.storm])
        self.assertContains(response, 'Thousands without power.')

    def test_home_teasers_show_section_kicker(self):
        response = self.client.get(reverse('articles:home'))
        self.assertContains(response, '<a class="kicker" href="/section/sport/">Sport</a>', html=True)
        self.assertContains(response, '<a class="kicker" href="/section/world/">World</a>', html=True)

    def test_section_page_hides_its_own_kicker(self):
        response = self.client.get(reverse('articles:section', kwargs={'slug': 'world'}))
        self.assertEquals(list(response.context['articles']), [self.storm])
        self.assertNotContains(response, 'class="kicker"')

    def test_section_nav_marks_the_current_section(self):
        response = self.client.get(reverse('articles:section', kwargs={'slug': 'sport'}))
        self.assertContains(
            response, '<li class="active"><a href="/section/sport/">Sport</a></li>', html=True)
        self.assertContains(response, '<li><a href="/section/world/">World</a></li>', html=True)
        self.assertEquals(response.content.decode().count('class="active"'), 2)  # masthead + sidebar

    def test_unknown_section_is_404(self):
        self.assertEquals(self.client.get('/section/nope/').status_code, 404)

    def test_teaser_time_in_newsroom_zone(self):
        response = self.client.get(reverse('articles:home'))
        self.assertContains(response, 'Jul 4, 2019, 12:00 PM EDT')
        self.assertContains(response, 'datetime="2019-07-04T16:00:00+00:00"')

    def test_static_and_feed_links(self):
        response = self.client.get(reverse('articles:home'))
        self.assertContains(response, '<link rel="stylesheet" href="/static/css/site.css">')
        self.assertContains(response, 'href="/feed/"')

    def test_pagination(self):
        for i in range(11):
            make_article(self.world, title='Filler %d' % i, published_at=utc(2019, 1, 1, i))
        response = self.client.get(reverse('articles:home'))
        self.assertContains(response, 'Page 1 of 2')
        self.assertContains(response, '<a href="?page=2" rel="next">Older</a>', html=True)

    def test_feed(self):
        response = self.client.get(reverse('articles:feed'))
        self.assertEquals(response['Content-Type'], 'application/rss+xml; charset=utf-8')
        content = response.content.decode()
        self.assertIn('<title>Storm hits the coast</title>', content)
        self.assertIn('<pubDate>Thu, 04 Jul 2019 16:00:00 +0000</pubDate>', content)
        self.assertIn('Ann Lee', content)

    def test_sitemap(self):
        response = self.client.get('/sitemap.xml')
        self.assertContains(response, '/2019/07/04/storm-hits-the-coast/')

    def test_search(self):
        response = self.client.get(reverse('articles:search'), {'q': 'storm'})
        self.assertEquals(list(response.context['results']), [self.storm])
        response = self.client.get(reverse('articles:search'), {'q': 'storm', 'section': 'sport'})
        self.assertContains(response, 'No stories match &ldquo;storm&rdquo;.')

    def test_search_form_fields_use_the_field_template(self):
        response = self.client.get(reverse('articles:search'), {'q': ''})
        self.assertContains(response, '<div class="field field-q has-errors required">')
        self.assertContains(response, '<p class="error">This field is required.</p>', html=True)
        self.assertContains(response, '<option value="sport">Sport</option>', html=True)


class ArticleDetailTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_section('World')
        cls.article = make_article(
            cls.world, title='Storm hits the coast', published_at=utc(2019, 7, 4, 16, 0),
            authors=['Ann Lee', 'Bo Chen'])
        cls.url = cls.article.get_absolute_url()

    def test_detail(self):
        response = self.client.get(self.url)
        self.assertContains(response, '<h1>Storm hits the coast</h1>', html=True)
        self.assertContains(response, '<p>First paragraph.</p>', html=True)
        self.assertContains(response, 'By Ann Lee and Bo Chen')

    def test_detail_times(self):
        response = self.client.get(self.url)
        self.assertContains(response, 'Thursday, July 4, 2019, 12:00 PM EDT')
        self.assertContains(response, '(12:00 PM in New York)')

    def test_detail_for_the_wrong_day_is_404(self):
        self.assertEquals(self.client.get('/2019/07/05/storm-hits-the-coast/').status_code, 404)
        self.assertEquals(self.client.get('/2019/02/30/storm-hits-the-coast/').status_code, 404)

    def test_late_night_story_lives_on_the_newsroom_day(self):
        article = make_article(self.world, title='Late edition', published_at=utc(2019, 3, 10, 4, 30))
        self.assertEquals(self.client.get('/2019/03/09/late-edition/').status_code, 200)
        self.assertEquals(self.client.get('/2019/03/10/late-edition/').status_code, 404)
        self.assertEquals(article.get_absolute_url(), '/2019/03/09/late-edition/')

    def test_share_links(self):
        response = self.client.get(self.url)
        self.assertContains(
            response,
            'href="https://twitter.com/intent/tweet?text=Storm+hits+the+coast&amp;url='
            'http%3A%2F%2Ftestserver%2F2019%2F07%2F04%2Fstorm-hits-the-coast%2F"')
        self.assertContains(
            response,
            'href="mailto:?subject=Storm%20hits%20the%20coast&amp;body='
            'http%3A//testserver/2019/07/04/storm-hits-the-coast/"')

    def test_comment_count_heading(self):
        response = self.client.get(self.url)
        self.assertContains(response, '<h2>No comments yet</h2>', html=True)
        Comment.objects.create(article=self.article, name='Al', email='al@example.com', body='Hi')
        response = self.client.get(self.url)
        self.assertContains(response, '<h2>1 comment</h2>', html=True)
        Comment.objects.create(article=self.article, name='Bea', email='b@example.com', body='Yo')
        Comment.objects.create(article=self.article, name='Hid', email='h@example.com', body='x',
                               is_public=False)
        response = self.client.get(self.url)
        self.assertContains(response, '<h2>2 comments</h2>', html=True)
        self.assertNotContains(response, 'Hid')

    def test_post_comment(self):
        response = self.client.post(self.article.get_comment_url(), {
            'name': 'Dee', 'email': 'dee@example.com', 'body': 'Stay safe, everyone.'},
            follow=True)
        self.assertRedirects(response, self.url + '#comments')
        self.assertContains(response, 'Thanks, Dee: your comment is published.')
        self.assertContains(response, '<p>Stay safe, everyone.</p>', html=True)

    def test_post_comment_ajax_returns_the_fragment(self):
        response = self.client.post(self.article.get_comment_url(), {
            'name': 'Dee', 'email': 'dee@example.com', 'body': 'Quick one'}, **AJAX)
        self.assertEquals(response.status_code, 201)
        comment = Comment.objects.get()
        self.assertTemplateUsed(response, 'articles/includes/_comment.html')
        self.assertTemplateNotUsed(response, 'base.html')
        self.assertContains(response, 'id="comment-%d"' % comment.pk, status_code=201)

    def test_invalid_comment_ajax_returns_errors(self):
        response = self.client.post(self.article.get_comment_url(), {
            'name': 'Spammer', 'email': 'spam@example.com', 'body': 'Best CASINO deals'}, **AJAX)
        self.assertEquals(response.status_code, 400)
        self.assertEquals(json.loads(response.content.decode()),
                          {'errors': {'body': ['Comments may not advertise.']}})

    def test_invalid_comment_redisplays_the_form(self):
        response = self.client.post(self.article.get_comment_url(), {
            'name': '', 'email': 'not-an-email', 'body': 'Hello'})
        self.assertEquals(response.status_code, 400)
        self.assertContains(response, '<div class="field field-name has-errors required">',
                            status_code=400)
        self.assertContains(response, 'Enter a valid email address.', status_code=400)
        self.assertFalse(Comment.objects.exists())

    def test_honeypot(self):
        response = self.client.post(self.article.get_comment_url(), {
            'name': 'Bot', 'email': 'bot@example.com', 'body': 'Hello', 'website': 'http://x'})
        self.assertContains(response, 'Your comment looks like spam.', status_code=400)

    def test_closed_comments(self):
        self.article.comments_enabled = False
        self.article.save()
        response = self.client.get(self.url)
        self.assertContains(response, 'Comments are closed.')
        self.assertNotContains(response, 'class="comment-form"')
        response = self.client.post(self.article.get_comment_url(), {
            'name': 'Dee', 'email': 'dee@example.com', 'body': 'Hello'})
        self.assertEquals(response.status_code, 404)


class ArchiveTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        world = make_section('World')
        # March 10, 2019 is the day New York springs forward: 23 hours long.
        make_article(world, title='Saturday night', published_at=utc(2019, 3, 10, 4, 59))
        make_article(world, title='Sunday morning', published_at=utc(2019, 3, 10, 5, 0))
        make_article(world, title='Sunday night', published_at=utc(2019, 3, 11, 3, 59))
        make_article(world, title='Monday', published_at=utc(2019, 3, 11, 4, 0))

    def test_archive_day_follows_newsroom_midnight(self):
        response = self.client.get(reverse('articles:archive_day', args=['2019', '03', '10']))
        self.assertQuerysetEqual(
            response.context['articles'], ['<Article: Sunday morning>', '<Article: Sunday night>'])
        self.assertContains(response, '<h1>Sunday, March 10, 2019</h1>', html=True)

    def test_archive_times_are_local(self):
        response = self.client.get(reverse('articles:archive_day', args=['2019', '03', '10']))
        self.assertContains(response, '<time>12:00 AM</time>', html=True)
        self.assertContains(response, '<time>11:59 PM</time>', html=True)

    def test_archive_navigation(self):
        response = self.client.get(reverse('articles:archive_day', args=['2019', '03', '01']))
        self.assertContains(response, '<a href="/2019/02/28/" rel="prev">Feb 28</a>', html=True)
        self.assertContains(response, '<a href="/2019/03/02/" rel="next">Mar 2</a>', html=True)
        self.assertContains(response, 'Nothing was published that day.')

    def test_invalid_date(self):
        self.assertEquals(self.client.get('/2019/02/31/').status_code, 404)


class ReaderZoneTests(TestCase):
    def test_article_times_follow_the_reader_zone(self):
        article = make_article(make_section('World'), title='Storm',
                               published_at=utc(2019, 7, 4, 16, 0))
        session = self.client.session
        session['reader_timezone'] = 'Europe/London'
        session.save()
        response = self.client.get(article.get_absolute_url())
        self.assertContains(response, 'Thursday, July 4, 2019, 5:00 PM BST')
        self.assertContains(response, '(12:00 PM in New York)')
