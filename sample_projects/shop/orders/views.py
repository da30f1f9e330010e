from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import ugettext as _
from django.views import generic
from django.views.decorators.http import require_POST

from catalog.models import InsufficientStock, Product
from shop.decorators import ajax_required

from .cart import Cart
from .forms import CheckoutForm
from .models import Order
from .services import place_order


def cart_detail(request):
    cart = Cart(request.session)
    return render(request, 'orders/cart.html', {'cart': cart, 'lines': list(cart.items())})


@require_POST
def cart_add(request, product_id):
    product = get_object_or_404(Product.objects.active(), pk=product_id)
    try:
        quantity = int(request.POST.get('quantity', 1))
    except ValueError:
        quantity = 1
    cart = Cart(request.session)
    cart.add(product, quantity)
    if request.is_ajax():
        return JsonResponse({'count': len(cart), 'product': product.name})
    messages.success(request, _('%(product)s was added to your cart.') % {'product': product})
    return redirect('orders:cart')


@require_POST
def cart_remove(request, product_id):
    product = get_object_or_404(Product, pk=product_id)
    Cart(request.session).remove(product)
    return redirect('orders:cart')


@ajax_required
def cart_summary(request):
    cart = Cart(request.session)
    return JsonResponse({'count': len(cart), 'total': str(cart.total)})


class CheckoutView(LoginRequiredMixin, generic.FormView):
    form_class = CheckoutForm
    template_name = 'orders/checkout.html'

    def dispatch(self, request, *args, **kwargs):
        self.cart = Cart(request.session)
        if request.user.is_authenticated and not len(self.cart):
            messages.info(request, _('Your cart is empty.'))
            return redirect('orders:cart')
        return super(CheckoutView, self).dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {'email': self.request.user.email}

    def get_context_data(self, **kwargs):
        context = super(CheckoutView, self).get_context_data(**kwargs)
        context['lines'] = list(self.cart.items())
        context['cart'] = self.cart
        return context

    def form_valid(self, form):
        try:
            order = place_order(
                self.request.user, self.cart,
                email=form.cleaned_data['email'],
                shipping_address=form.cleaned_data['shipping_address'],
                gift_wrap=form.cleaned_data['gift_wrap'],
                request=self.request,
            )
        except InsufficientStock as exc:
            form.add_error(None, _('Sorry, %(product)s is no longer available in that quantity.')
                           % {'product': exc})
            return self.form_invalid(form)
        messages.success(self.request, _('Thank you! Your order %(number)s was placed.')
                         % {'number': order.number})
        return redirect(order)


@method_decorator(login_required, name='dispatch')
class OrderListView(generic.ListView):
    template_name = 'orders/order_list.html'
    context_object_name = 'orders'

    def get_queryset(self):
        return self.request.user.orders.prefetch_related('items__product')


@method_decorator(login_required, name='dispatch')
class OrderDetailView(generic.DetailView):
    template_name = 'orders/order_detail.html'
    slug_field = 'number'
    slug_url_kwarg = 'number'

    def get_queryset(self):
        queryset = Order.objects.prefetch_related('items__product')
        if self.request.user.is_staff:
            return queryset
        return queryset.filter(user=self.request.user)


@login_required
@require_POST
def order_cancel(request, number):
    order = get_object_or_404(Order, number=number, user=request.user)
    if order.cancel(reason='customer'):
        messages.success(request, _('Order %(number)s was cancelled.') % {'number': number})
    else:
        messages.error(request, _('This order can no longer be cancelled.'))
    return redirect(order)
