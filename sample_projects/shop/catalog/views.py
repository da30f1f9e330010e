from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ugettext as _
from django.views import generic

from .forms import ReviewForm
from .models import Category, Product

CATEGORY_MENU_CACHE_KEY = 'catalog:category-menu'


def category_menu():
    """Top-level categories for the navigation, cached until a category changes."""
    menu = cache.get(CATEGORY_MENU_CACHE_KEY)
    if menu is None:
        menu = [(c.name, c.get_absolute_url())
                for c in Category.objects.filter(parent__isnull=True)]
        cache.set(CATEGORY_MENU_CACHE_KEY, menu, 60 * 60)
    return menu


class ProductListView(generic.ListView):
    template_name = 'catalog/product_list.html'
    context_object_name = 'products'
    paginate_by = 12

    def get_queryset(self):
        queryset = Product.objects.active().select_related('category')
        self.category = None
        if 'slug' in self.kwargs:
            self.category = get_object_or_404(Category, slug=self.kwargs['slug'])
            queryset = queryset.filter(
                Q(category=self.category) | Q(category__parent=self.category))
        return queryset

    def get_context_data(self, **kwargs):
        context = super(ProductListView, self).get_context_data(**kwargs)
        context['category'] = self.category
        context['category_menu'] = category_menu()
        return context


class ProductDetailView(generic.DetailView):
    template_name = 'catalog/product_detail.html'
    context_object_name = 'product'

    def get_queryset(self):
        return Product.objects.active().select_related('category')

    def get_context_data(self, **kwargs):
        context = super(ProductDetailView, self).get_context_data(**kwargs)
        context['reviews'] = self.object.reviews.select_related('author')
        if self.request.user.is_authenticated:
            context['review_form'] = ReviewForm(product=self.object, author=self.request.user)
        return context


def search(request):
    query = request.GET.get('q', '').strip()
    products = Product.objects.none()
    if query:
        products = Product.objects.active().filter(
            Q(name__icontains=query) | Q(sku__iexact=query) | Q(description__icontains=query))
    if request.is_ajax():
        # The search box shows up to eight suggestions while typing.
        return JsonResponse({
            'query': query,
            'results': [{'name': p.name, 'url': p.get_absolute_url(), 'price': str(p.price)}
                        for p in products[:8]],
        })
    return render(request, 'catalog/search.html', {'query': query, 'products': products})


@login_required
def add_review(request, slug):
    product = get_object_or_404(Product.objects.active(), slug=slug)
    form = ReviewForm(request.POST or None, product=product, author=request.user)
    if request.method == 'POST' and form.is_valid():
        form.save()
        messages.success(request, _('Thank you for your review.'))
        return redirect(product)
    return render(request, 'catalog/review_form.html', {'form': form, 'product': product})
