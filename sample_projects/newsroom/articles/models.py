from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import python_2_unicode_compatible
from django.utils.text import slugify
from django.utils.translation import ugettext_lazy as _

from newsroom.timeutils import to_zone


@python_2_unicode_compatible
class Section(models.Model):
    name = models.CharField(_('name'), max_length=60)
    slug = models.SlugField(_('slug'), unique=True)
    position = models.PositiveSmallIntegerField(_('position'), default=0)
    comments_by_default = models.BooleanField(_('comments open by default'), default=True)

    class Meta:
        ordering = ['position', 'name']
        verbose_name = _('section')

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse('articles:section', kwargs={'slug': self.slug})


@python_2_unicode_compatible
class Author(models.Model):
    name = models.CharField(_('name'), max_length=100)
    slug = models.SlugField(_('slug'), unique=True)
    bio = models.TextField(_('biography'), blank=True)

    class Meta:
        ordering = ['name']

    def __str__(self):
        return self.name


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.STATUS_PUBLISHED, published_at__lte=timezone.now())


@python_2_unicode_compatible
class Article(models.Model):
    STATUS_DRAFT = 'draft'
    STATUS_PUBLISHED = 'published'
    STATUS_CHOICES = (
        (STATUS_DRAFT, _('Draft')),
        (STATUS_PUBLISHED, _('Published')),
    )

    section = models.ForeignKey(Section, related_name='articles', on_delete=models.PROTECT)
    authors = models.ManyToManyField(Author, related_name='articles', blank=True)
    title = models.CharField(_('headline'), max_length=200)
    slug = models.SlugField(_('slug'), max_length=200, unique_for_date='published_at')
    standfirst = models.CharField(_('standfirst'), max_length=300, blank=True)
    body = models.TextField(_('body'))
    image = models.FileField(_('image'), upload_to='articles/%Y/%m/', blank=True)
    status = models.CharField(
        _('status'), max_length=10, choices=STATUS_CHOICES, default=STATUS_DRAFT)
    published_at = models.DateTimeField(_('published at'), null=True, blank=True)
    updated_at = models.DateTimeField(_('updated at'), auto_now=True)
    # None: follow the section's default.
    comments_enabled = models.NullBooleanField(_('comments enabled'))

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ['-published_at']
        verbose_name = _('article')
        index_together = [('status', 'published_at'), ('section', 'status', 'published_at')]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:200]
        if self.status == self.STATUS_PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super(Article, self).save(*args, **kwargs)

    def _url_kwargs(self):
        # URLs carry the print edition's date (newsroom time), whatever zone the reader uses.
        local = to_zone(self.published_at, settings.TIME_ZONE)
        return {'year': '%04d' % local.year, 'month': '%02d' % local.month,
                'day': '%02d' % local.day, 'slug': self.slug}

    def get_absolute_url(self):
        return reverse('articles:detail', kwargs=self._url_kwargs())

    def get_comment_url(self):
        return reverse('articles:add_comment', kwargs=self._url_kwargs())

    @property
    def comments_open(self):
        if self.comments_enabled is None:
            return self.section.comments_by_default
        return self.comments_enabled

    def byline(self):
        names = [author.name for author in self.authors.all()]
        if len(names) > 1:
            return '%s and %s' % (', '.join(names[:-1]), names[-1])
        return names[0] if names else ''


@python_2_unicode_compatible
class Comment(models.Model):
    article = models.ForeignKey(Article, related_name='comments', on_delete=models.CASCADE)
    name = models.CharField(_('name'), max_length=80)
    email = models.EmailField(_('e-mail'))
    body = models.TextField(_('comment'), max_length=2000)
    created = models.DateTimeField(_('created'), default=timezone.now)
    is_public = models.BooleanField(_('public'), default=True)

    class Meta:
        ordering = ['created']
        index_together = [('article', 'is_public', 'created')]

    def __str__(self):
        return '%s on %s' % (self.name, self.article)
