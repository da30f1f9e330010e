import datetime

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render, render_to_response
from django.utils.encoding import force_text
from django.utils.translation import ugettext as _
from django.views import generic
from django.views.decorators.http import require_POST

from newsroom.timeutils import day_bounds

from .forms import CommentForm, SearchForm
from .models import Article, Section


class HomeView(generic.ListView):
    template_name = 'articles/home.html'
    context_object_name = 'articles'
    paginate_by = 10

    def get_queryset(self):
        return Article.objects.published().select_related('section').prefetch_related('authors')


class SectionView(generic.ListView):
    template_name = 'articles/section.html'
    context_object_name = 'articles'
    paginate_by = 10

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs['slug'])
        return Article.objects.published().filter(section=self.section).prefetch_related('authors')

    def get_context_data(self, **kwargs):
        context = super(SectionView, self).get_context_data(**kwargs)
        context['section'] = self.section
        return context


def _get_published(year, month, day, slug):
    try:
        date = datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise Http404('No such date')
    start, end = day_bounds(date)
    return get_object_or_404(
        Article.objects.published().select_related('section'),
        slug=slug, published_at__gte=start, published_at__lt=end)


def article_detail(request, year, month, day, slug):
    article = _get_published(year, month, day, slug)
    return render(request, 'articles/article_detail.html', {
        'article': article,
        'comments': article.comments.filter(is_public=True),
        'form': CommentForm(),
    })


@require_POST
def add_comment(request, year, month, day, slug):
    article = _get_published(year, month, day, slug)
    if not article.comments_open:
        raise Http404('Comments are closed')
    form = CommentForm(request.POST)
    if form.is_valid():
        comment = form.save(commit=False)
        comment.article = article
        comment.save()
        if request.is_ajax():
            # The comment box inserts the rendered comment without reloading the page.
            return render(request, 'articles/includes/_comment.html', {'comment': comment},
                          status=201)
        messages.success(request, _('Thanks, %(name)s: your comment is published.')
                         % {'name': force_text(comment.name)})
        return HttpResponseRedirect(article.get_absolute_url() + '#comments')
    if request.is_ajax():
        return JsonResponse({'errors': form.errors}, status=400)
    return render(request, 'articles/article_detail.html', {
        'article': article,
        'comments': article.comments.filter(is_public=True),
        'form': form,
    }, status=400)


def archive_day(request, year, month, day):
    """Everything published on one day of the print edition (newsroom time)."""
    try:
        date = datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise Http404('No such date')
    start, end = day_bounds(date)
    articles = Article.objects.published().filter(
        published_at__gte=start, published_at__lt=end).order_by('published_at')
    return render_to_response('articles/archive_day.html', {
        'day': date,
        'articles': articles,
        'previous_day': date - datetime.timedelta(days=1),
        'next_day': date + datetime.timedelta(days=1),
    })


def search(request):
    sections = Section.objects.all()
    form = SearchForm(request.GET or None, sections=sections)
    results = Article.objects.none()
    if form.is_valid():
        results = Article.objects.published().filter(title__icontains=form.cleaned_data['q'])
        if form.cleaned_data['section']:
            results = results.filter(section__slug=form.cleaned_data['section'])
    return render(request, 'articles/search.html', {'form': form, 'results': results})
