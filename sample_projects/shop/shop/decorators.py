from functools import wraps

from django.http import HttpResponseBadRequest
from django.utils.decorators import available_attrs


def ajax_required(view_func):
    """Answer 400 to anything that is not an XMLHttpRequest."""
    @wraps(view_func, assigned=available_attrs(view_func))
    def _wrapped_view(request, *args, **kwargs):
        if not request.is_ajax():
            return HttpResponseBadRequest('This endpoint only answers AJAX requests.')
        return view_func(request, *args, **kwargs)
    return _wrapped_view
