from django.conf import settings
from django.utils.deprecation import MiddlewareMixin


class CurrencyMiddleware(MiddlewareMixin):
    """Pick the display currency from ?currency=, then the cookie, then the default."""

    cookie_name = 'currency'

    def process_request(self, request):
        supported = settings.SHOP_CURRENCY_RATES
        requested = request.GET.get('currency', '').upper()
        if requested in supported:
            request.currency = requested
            request.currency_changed = True
            return None
        cookie = request.COOKIES.get(self.cookie_name, '').upper()
        request.currency = cookie if cookie in supported else settings.SHOP_DEFAULT_CURRENCY
        request.currency_changed = False
        return None

    def process_response(self, request, response):
        currency = getattr(request, 'currency', None)
        if currency:
            response['X-Shop-Currency'] = currency
            if getattr(request, 'currency_changed', False):
                response.set_cookie(self.cookie_name, currency, max_age=365 * 24 * 3600)
        return response
